//! Files → library: walking the folder ([`list`]) or the paths the watcher
//! names ([`scan_paths`]), comparing each file with its recorded state, and
//! applying what changed in one transaction ([`scan_listed`]).

use super::flush::recover_aside;
use super::*;

/// Outgoing relations as `(kind, citekey)`.
type Relations = Vec<(String, String)>;

/// A changed file found by a scan.
struct Changed {
    rel: String,
    content: String,
    /// Where the bytes stop being UTF-8, if they do (the content is then
    /// not applied).
    not_utf8: Option<usize>,
    size: u64,
    mtime: i64,
}

/// Applies what changed since the last sync among the files a walk of the
/// folder found ([`list`], which needs no access to the store, so the
/// desktop app walks a large folder before it takes the library's lock).
pub fn scan_listed(
    conn: &mut Connection,
    root: &Path,
    listing: Listing,
    report: &mut SyncReport,
) -> Result<()> {
    let found = collect_listed(conn, root, listing, report)?;
    apply_found(conn, root, found, report)
}

/// Reads only `paths` (what file-system events named): files there that
/// changed are applied, and a path that no longer exists counts as its
/// file deleted. Paths outside `papers/` and `notes/` are ignored.
pub fn scan_paths(
    conn: &mut Connection,
    root: &Path,
    paths: &[PathBuf],
    report: &mut SyncReport,
) -> Result<()> {
    let mut found = Found::default();
    let mut done: HashSet<&Path> = HashSet::new();
    for path in paths {
        if !done.insert(path.as_path()) {
            continue;
        }
        let rel = relative(root, path);
        let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        let in_papers = rel
            .strip_prefix("papers/")
            .is_some_and(|r| !r.contains('/'));
        let in_notes = rel.starts_with("notes/");
        if !(in_papers || in_notes) || !consider(path, &name, &rel, report) {
            continue;
        }
        let st = state::get(conn, &rel)?;
        match crate::paths::entry(root, path) {
            Ok(crate::paths::Entry::Outside(why)) => report.problems.push(why),
            Ok(crate::paths::Entry::File(meta)) => {
                let into = if in_papers {
                    &mut found.papers
                } else {
                    &mut found.notes
                };
                check(
                    path,
                    rel,
                    stat_of(&meta),
                    st.as_ref(),
                    &mut found.restat,
                    into,
                )?;
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                found.gone.extend(st);
            }
            Err(e) => return Err(Error::io(path, e)),
        }
    }
    apply_found(conn, root, found, report)
}

/// What a scan found to do.
#[derive(Default)]
struct Found {
    /// Files whose content is as recorded but whose size or mtime moved.
    restat: Vec<FileState>,
    papers: Vec<Changed>,
    notes: Vec<Changed>,
    /// Recorded files that no longer exist.
    gone: Vec<FileState>,
    /// Papers whose files must be written again (their folder went away
    /// as a whole).
    rewrite: Vec<String>,
}

/// Whether a file in the folder is one a scan reads. Temporary files an
/// interrupted write left are removed (the caller holds the library, so no
/// write is under way; [`list`] sets them aside instead); conflict files
/// are reported.
fn consider(path: &Path, name: &str, rel: &str, report: &mut SyncReport) -> bool {
    if name.starts_with(TEMP_PREFIX) {
        let _ = std::fs::remove_file(path);
        return false;
    }
    if is_temporary_name(name) || !name.ends_with(".md") {
        return false;
    }
    if is_conflict_name(name) {
        report.conflicts.push(rel.to_string());
        return false;
    }
    true
}

/// The files of `papers/` and `notes/` with their sizes and mtimes, as one
/// walk found them. Making it reads no file and no table.
pub struct Listing {
    pub(super) files: Vec<Listed>,
    /// The kinds ("paper", "note") whose folder exists.
    present: Vec<&'static str>,
    /// What the walk reported (conflict files).
    report: SyncReport,
    /// Temporary files of writes, removed under the lock if still there
    /// (the walk may run while this process is writing).
    temporary: Vec<PathBuf>,
    /// Files a write-out set aside and did not settle (it was killed):
    /// put back or kept as conflict copies under the lock.
    aside: Vec<PathBuf>,
    /// The folders' times before the walk ([`super::glance::folder_times`]).
    pub(crate) times: Option<String>,
}

pub(super) struct Listed {
    path: PathBuf,
    rel: String,
    paper: bool,
    size: u64,
    mtime: i64,
}

/// Walks `papers/` and `notes/`.
pub fn list(root: &Path) -> Result<Listing> {
    let mut listing = Listing {
        files: Vec::new(),
        present: Vec::new(),
        report: SyncReport::default(),
        temporary: Vec::new(),
        aside: Vec::new(),
        times: super::glance::folder_times(root)?,
    };
    for (name, recursive) in [(PAPERS_DIR, false), (NOTES_DIR, true)] {
        let dir = root.join(name);
        if !dir.is_dir() {
            continue;
        }
        let paper = name == PAPERS_DIR;
        listing.present.push(if paper { "paper" } else { "note" });
        let mut refused = Vec::new();
        list_files(root, &dir, recursive, &mut refused, &mut |path, meta| {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            let Some(name) = name else { return Ok(()) };
            if name.starts_with(TEMP_PREFIX) {
                listing.temporary.push(path.to_path_buf());
                return Ok(());
            }
            if name.starts_with(crate::fsutil::ASIDE_PREFIX) {
                listing.aside.push(path.to_path_buf());
                return Ok(());
            }
            let rel = relative(root, path);
            if !consider(path, &name, &rel, &mut listing.report) {
                return Ok(());
            }
            let (size, mtime) = stat_of(meta);
            listing.files.push(Listed {
                path: path.to_path_buf(),
                rel,
                paper,
                size,
                mtime,
            });
            Ok(())
        })?;
        listing.report.problems.extend(refused);
    }
    Ok(listing)
}

/// Compares every listed file with its recorded state.
fn collect_listed(
    conn: &Connection,
    root: &Path,
    listing: Listing,
    report: &mut SyncReport,
) -> Result<Found> {
    let Listing {
        files,
        present,
        report: walked,
        temporary,
        aside,
        times: _,
    } = listing;
    report.conflicts.extend(walked.conflicts);
    report.problems.extend(walked.problems);
    // Under the lock no write is under way: a temporary file still there
    // was left by an interrupted one.
    for path in temporary {
        let _ = std::fs::remove_file(path);
    }
    for path in aside {
        recover_aside(root, &path, report)?;
    }
    // Sizes and mtimes decide; a file's whole state is read only when they
    // moved. What is left in `stamps` afterwards was not found.
    let mut stamps = state::stamps(conn)?;
    let mut found = Found::default();
    for f in files {
        let recorded = stamps.remove(&f.rel);
        if let Some((size, mtime, stamp)) = recorded
            && (size, mtime) == (f.size, f.mtime)
        {
            // Unchanged. A record whose stamp is not the one its path,
            // size and time give (stored before stamps existed) is
            // recorded again, so quick looks can trust the sum.
            if stamp != super::glance::stamp(&f.rel, size, mtime)
                && let Some(st) = state::get(conn, &f.rel)?
            {
                found.restat.push(st);
            }
            continue;
        }
        let st = match recorded {
            Some(_) => state::get(conn, &f.rel)?,
            None => None,
        };
        let into = if f.paper {
            &mut found.papers
        } else {
            &mut found.notes
        };
        check(
            &f.path,
            f.rel,
            (f.size, f.mtime),
            st.as_ref(),
            &mut found.restat,
            into,
        )?;
    }
    // A folder that is missing as a whole is not a deletion of every file
    // in it (an unmounted disk, a sync tool mid-way): its files are
    // written again instead.
    for path in stamps.into_keys() {
        if let Some(st) = state::get(conn, &path)?
            && !root.join(&st.path).exists()
        {
            if present.contains(&st.kind.as_str()) {
                found.gone.push(st);
            } else if st.kind == "paper" {
                found.rewrite.push(st.item_id);
            }
        }
    }
    if !found.rewrite.is_empty() {
        report.problems.push(format!(
            "{PAPERS_DIR}/ is missing as a whole; its {} paper file(s) are written again from the library (delete papers one by one to trash them)",
            found.rewrite.len()
        ));
    }
    Ok(found)
}

/// Applies what a scan found, in one transaction.
fn apply_found(
    conn: &mut Connection,
    root: &Path,
    found: Found,
    report: &mut SyncReport,
) -> Result<()> {
    let Found {
        restat,
        papers: changed_papers,
        notes: changed_notes,
        gone,
        rewrite,
    } = found;
    if restat.is_empty()
        && changed_papers.is_empty()
        && changed_notes.is_empty()
        && gone.is_empty()
        && rewrite.is_empty()
    {
        return Ok(());
    }
    let owed_before: HashSet<String> = state::owed(conn)?.0.into_iter().collect();
    let now = store::now();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for s in &restat {
        state::put(&tx, s)?;
    }
    state::owe(&tx, &rewrite)?;
    let mut run = Applying {
        tx: &tx,
        root,
        now,
        report,
        owed_before,
        claimed: HashSet::new(),
        relations: Vec::new(),
    };
    // Paper files, parsed; the relations wait for the second pass.
    for c in &changed_papers {
        run.paper_file(c)?;
    }
    run.link_relations()?;
    run.trash_gone_papers(&gone)?;
    let touched_notes = run.note_files(&changed_notes)?;
    run.delete_gone_notes(&gone)?;
    run.refresh_mentions(&touched_notes)?;
    tx.commit()?;
    Ok(())
}

/// A scan's findings being applied inside its transaction.
struct Applying<'a> {
    tx: &'a Connection,
    root: &'a Path,
    now: String,
    report: &'a mut SyncReport,
    /// Papers owed a write-out before the scan: changed in the library too.
    owed_before: HashSet<String>,
    /// Papers a file of this scan stands for.
    claimed: HashSet<String>,
    /// (paper id, its outgoing relations, the file that names them)
    relations: Vec<(String, Relations, String)>,
}

impl Applying<'_> {
    /// A changed paper file: updates its paper, or creates one, and records
    /// the file; a file that cannot be read, or that claims a paper another
    /// file stands for, is left as it is.
    fn paper_file(&mut self, c: &Changed) -> Result<()> {
        let Some(f) = self.read_paper_file(c) else {
            return Ok(());
        };
        let known = match &f.id {
            Some(id) if store::papers::exists(self.tx, id)? => Some(id.clone()),
            _ => None,
        };
        let id = match known {
            Some(id) => {
                if !self.update_known(c, &f, &id)? {
                    return Ok(());
                }
                id
            }
            None => {
                if let Some(id) = &f.id {
                    state::trash_remove(self.tx, id)?;
                }
                let id = apply::create(
                    self.tx,
                    self.root,
                    &f,
                    &self.now,
                    &c.rel,
                    &mut self.report.problems,
                )?;
                self.report.created += 1;
                id
            }
        };
        self.claimed.insert(id.clone());
        state::put(
            self.tx,
            &FileState {
                path: c.rel.clone(),
                kind: "paper".into(),
                item_id: id.clone(),
                size: c.size,
                mtime: c.mtime,
                hash: hash(c.content.as_bytes()),
            },
        )?;
        self.relations
            .push((id, f.relations.clone(), c.rel.clone()));
        Ok(())
    }

    /// The paper file parsed, with oversized fields cut and unsafe links
    /// dropped (each reported); `None`, reported, when Lectern cannot read
    /// it faithfully.
    fn read_paper_file(&mut self, c: &Changed) -> Option<file::PaperFile> {
        let report = &mut *self.report;
        // Files Lectern cannot read faithfully are left as they are.
        if let Some(at) = c.not_utf8 {
            let line = c.content.as_bytes()[..at.min(c.content.len())]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            report.problems.push(format!(
                "{}:{line}: not UTF-8 text (byte {at}); not read — save it as UTF-8",
                c.rel
            ));
            return None;
        }
        if c.content.trim_start_matches('\u{feff}').trim().is_empty() {
            report.problems.push(format!(
                "{}:1: the file is empty; not read (write a title in it, or delete it)",
                c.rel
            ));
            return None;
        }
        let mut f = match file::parse(&c.content, &c.rel) {
            Ok(f) => f,
            Err(p) => {
                if file::has_git_conflict_markers(&c.content) {
                    report.conflicts.push(c.rel.clone());
                }
                report.problem(&p);
                return None;
            }
        };
        for p in crate::import::cap_sizes(&mut f.paper) {
            report.problems.push(format!("{}: {}", c.rel, p.message));
        }
        for p in crate::paths::drop_unsafe_links(&mut f.paper) {
            // Named by the line that holds the link.
            let url = p.message.split('"').nth(1).unwrap_or_default();
            let line = c
                .content
                .lines()
                .position(|l| !url.is_empty() && l.contains(url))
                .map_or(1, |i| i + 1);
            report
                .problems
                .push(format!("{}:{line}: {}", c.rel, p.message));
        }
        Some(f)
    }

    /// Applies a file to the paper `id` it names, which exists. Returns
    /// whether the file stands for the paper; it does not when another
    /// file does, or when the paper changed in the library too (then the
    /// file is kept as a conflict copy, and the write-out replaces it).
    fn update_known(&mut self, c: &Changed, f: &file::PaperFile, id: &str) -> Result<bool> {
        let tx = self.tx;
        let report = &mut *self.report;
        if self.claimed.contains(id) {
            report.conflicts.push(c.rel.clone());
            report.problems.push(format!(
                "{}:1: another file in this folder has the same `id: {id}`; give this one a new id or delete it",
                c.rel
            ));
            return Ok(false);
        }
        if let Some(old) = state::for_item(tx, id)?
            && old.path != c.rel
        {
            if self.root.join(&old.path).exists() {
                report.conflicts.push(c.rel.clone());
                report.problems.push(format!(
                    "{}:1: has the same `id: {id}` as {}; give it a new id or delete it",
                    c.rel, old.path
                ));
                return Ok(false);
            }
            state::remove(tx, &old.path)?;
            report.renamed += 1;
        }
        if self.owed_before.contains(id) {
            let ours = file::render(&store::papers::load(tx, id)?);
            if ours != c.content {
                // Changed on both sides: the library keeps its
                // version, the file's is kept beside it.
                let copy = conflict_path(self.root, &c.rel);
                crate::fsutil::write_atomic(&copy, c.content.as_bytes())?;
                report.conflicts.push(relative(self.root, &copy));
                self.claimed.insert(id.to_string());
                // The write-out replaces the file with ours.
                return Ok(false);
            }
        }
        apply::update(tx, id, f, &self.now, &c.rel, &mut report.problems)?;
        report.applied += 1;
        Ok(true)
    }

    /// The second pass: relations, now that every paper of the scan exists.
    fn link_relations(&mut self) -> Result<()> {
        for (id, rels, rel) in &self.relations {
            let missing = apply::apply_relations(self.tx, id, rels, &self.now)?;
            for key in missing {
                self.report.problems.push(format!(
                    "{rel}:1: links to `[[{key}]]`, which is not in the library; the link is dropped"
                ));
            }
        }
        Ok(())
    }

    /// Paper files that went away: their papers go to the trash, unless
    /// another file of this scan stands for them.
    fn trash_gone_papers(&mut self, gone: &[FileState]) -> Result<()> {
        for st in gone.iter().filter(|st| st.kind == "paper") {
            if self.claimed.contains(&st.item_id) {
                continue;
            }
            state::remove(self.tx, &st.path)?;
            if store::papers::exists(self.tx, &st.item_id)? {
                trash(self.tx, &st.item_id, &self.now)?;
                self.report.trashed += 1;
            }
        }
        Ok(())
    }

    /// Free-standing note files: each updates its note or creates one.
    /// Returns the notes touched.
    fn note_files(&mut self, changed_notes: &[Changed]) -> Result<Vec<String>> {
        let tx = self.tx;
        let mut touched_notes: Vec<String> = Vec::new();
        for c in changed_notes {
            let body = c.content.trim_start_matches('\u{feff}');
            let id = match state::get(tx, &c.rel)? {
                Some(st) if store::notes::exists(tx, &st.item_id)? => {
                    store::notes::update(tx, &st.item_id, body, &self.now)?;
                    st.item_id.clone()
                }
                _ => {
                    let id = store::new_id();
                    store::notes::insert_free(tx, &id, body, &self.now)?;
                    id
                }
            };
            self.report.notes += 1;
            touched_notes.push(id.clone());
            state::put(
                tx,
                &FileState {
                    path: c.rel.clone(),
                    kind: "note".into(),
                    item_id: id,
                    size: c.size,
                    mtime: c.mtime,
                    hash: hash(c.content.as_bytes()),
                },
            )?;
        }
        Ok(touched_notes)
    }

    /// Note files that went away: their notes are deleted, and the papers
    /// they mentioned marked.
    fn delete_gone_notes(&mut self, gone: &[FileState]) -> Result<()> {
        for st in gone.iter().filter(|st| st.kind == "note") {
            state::remove(self.tx, &st.path)?;
            for paper in store::mentions::papers_of(self.tx, &st.item_id)? {
                store::pending::mark(self.tx, &paper)?;
            }
            store::notes::delete(self.tx, &st.item_id)?;
            self.report.notes += 1;
        }
        Ok(())
    }

    /// Mentions follow the notes' text and the papers that now exist.
    fn refresh_mentions(&mut self, touched_notes: &[String]) -> Result<()> {
        if store::mentions::any_free_notes(self.tx)? {
            for paper in store::mentions::refresh(self.tx, touched_notes)? {
                store::pending::mark(self.tx, &paper)?;
            }
        }
        Ok(())
    }
}

/// Compares a file against its recorded state; a file that changed is
/// read into `changed`, one whose content is as recorded only gets its
/// new size and mtime recorded.
fn check(
    path: &Path,
    rel: String,
    (size, mtime): (u64, i64),
    st: Option<&FileState>,
    restat: &mut Vec<FileState>,
    changed: &mut Vec<Changed>,
) -> Result<()> {
    if st.is_some_and(|st| st.size == size && st.mtime == mtime) {
        return Ok(());
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(path, e)),
    };
    if let Some(st) = st
        && st.hash == hash(&bytes)
    {
        restat.push(FileState {
            size,
            mtime,
            ..st.clone()
        });
        return Ok(());
    }
    changed.push(Changed {
        rel,
        not_utf8: std::str::from_utf8(&bytes).err().map(|e| e.valid_up_to()),
        content: String::from_utf8_lossy(&bytes).into_owned(),
        size,
        mtime,
    });
    Ok(())
}

/// Calls `f` for each file in `dir` (and its subfolders when `recursive`),
/// in name order.
/// A symbolic link is followed only to a file inside `root`; one that
/// leads out of the library is not read, and `refused` says so. Linked
/// folders are not entered.
pub(super) fn list_files(
    root: &Path,
    dir: &Path,
    recursive: bool,
    refused: &mut Vec<String>,
    f: &mut dyn FnMut(&Path, &std::fs::Metadata) -> Result<()>,
) -> Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        match crate::paths::entry(root, &path) {
            Ok(crate::paths::Entry::Dir) => {
                let hidden = entry.file_name().to_string_lossy().starts_with('.');
                if recursive && !hidden {
                    list_files(root, &path, recursive, refused, f)?;
                }
            }
            Ok(crate::paths::Entry::File(meta)) => f(&path, &meta)?,
            Ok(crate::paths::Entry::Outside(why)) => refused.push(why),
            Ok(crate::paths::Entry::Other) | Err(_) => {}
        }
    }
    Ok(())
}
