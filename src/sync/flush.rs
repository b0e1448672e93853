//! Library → files: writing every owed paper file ([`flush`]) without ever
//! overwriting an edit saved meanwhile (old file set aside, no-replace
//! rename, conflict copies), and putting back what a killed write-out set
//! aside.

use super::*;

/// A file compared with what Lectern last recorded of it.
enum OnDisk {
    Missing,
    /// As recorded; its size and mtime now.
    Unchanged((u64, i64)),
    /// Changed since: its text, size and mtime, and the hash of its bytes.
    Changed(String, (u64, i64), String),
}

/// A symbolic link out of the library counts as missing: it is not read,
/// and the write that follows replaces the link, not what it points at.
fn on_disk(root: &Path, path: &Path, st: Option<&FileState>) -> Result<OnDisk> {
    let (size, mtime) = match crate::paths::entry(root, path) {
        Ok(crate::paths::Entry::File(meta)) => stat_of(&meta),
        Ok(_) => return Ok(OnDisk::Missing),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(OnDisk::Missing),
        Err(e) => return Err(Error::io(path, e)),
    };
    if let Some(st) = st
        && st.size == size
        && st.mtime == mtime
    {
        return Ok(OnDisk::Unchanged((size, mtime)));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let h = hash(&bytes);
    if st.is_some_and(|st| st.hash == h) {
        return Ok(OnDisk::Unchanged((size, mtime)));
    }
    Ok(OnDisk::Changed(
        String::from_utf8_lossy(&bytes).into_owned(),
        (size, mtime),
        h,
    ))
}

/// What a write-out last saw at a file's path: its size, mtime and hash.
/// `None`: no file.
type Seen = Option<((u64, i64), String)>;

/// A name for the new file of the paper with citekey `key`:
/// `papers/<safe key>.md` ([`crate::paths::key_file_stem`]), with `-2`,
/// `-3`, … when another file already has that name in any letter case
/// (the folder may travel to a system that does not tell case apart).
fn new_file_name(conn: &Connection, key: &str, named: &mut HashSet<String>) -> Result<String> {
    let stem = crate::paths::key_file_stem(key);
    let mut n = 1;
    loop {
        let rel = if n == 1 {
            format!("{PAPERS_DIR}/{stem}.md")
        } else {
            format!("{PAPERS_DIR}/{stem}-{n}.md")
        };
        if !state::taken_any_case(conn, &rel)? && named.insert(rel.to_lowercase()) {
            return Ok(rel);
        }
        n += 1;
    }
}

/// One file to write.
struct Write {
    path: PathBuf,
    rel: String,
    content: String,
    paper_id: String,
    /// What was at `path` when the write-out looked: anything else found
    /// there when the new file goes in is an edit, kept as a conflict copy.
    seen: Seen,
}

/// Writes the owed paper files, at most `limit` of them (the rest stay
/// owed; returns whether any do), telling `progress` how many of how many
/// are done after each chunk. The library's version of a paper wins; a
/// file edited outside since the last sync is kept as a conflict copy
/// first.
pub fn flush(
    conn: &mut Connection,
    root: &Path,
    report: &mut SyncReport,
    limit: Option<usize>,
    progress: Option<&mut dyn FnMut(usize, usize)>,
) -> Result<bool> {
    let (mut ids, max_seq) = state::owed(conn)?;
    if ids.is_empty() {
        return Ok(false);
    }
    // Beyond the limit, files stay owed for the next call.
    let rest = match limit {
        Some(limit) if ids.len() > limit => ids.split_off(limit),
        _ => Vec::new(),
    };
    let papers_dir = root.join(PAPERS_DIR);
    std::fs::create_dir_all(&papers_dir).map_err(|e| Error::io(&papers_dir, e))?;
    let failed = write_chunks(conn, root, &ids, report, progress)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    state::paid(&tx, &ids, max_seq)?;
    state::owe(&tx, &rest)?;
    state::owe(&tx, &failed)?;
    tx.commit()?;
    Ok(!rest.is_empty())
}

/// A chunk's files as written by the writing thread: what to record, and
/// the papers whose file could not be written (still owed).
struct Written {
    plan: ChunkPlan,
    failed: Vec<String>,
    report: SyncReport,
}

/// Writes the files of `ids` in chunks, so memory and open files stay
/// bounded at any size. Two threads share the work: this one plans each
/// chunk (loads the papers, renders their files, looks at what is on
/// disk) and records the chunk before, while the other writes the files
/// of the chunk planned last. Returns the papers whose file could not be
/// written.
fn write_chunks(
    conn: &mut Connection,
    root: &Path,
    ids: &[String],
    report: &mut SyncReport,
    mut progress: Option<&mut dyn FnMut(usize, usize)>,
) -> Result<Vec<String>> {
    let (to_writer, plans) = std::sync::mpsc::sync_channel::<ChunkPlan>(1);
    let (to_recorder, written) = std::sync::mpsc::sync_channel::<Result<Written>>(1);
    std::thread::scope(|scope| {
        // Owned here: returning early drops both ends, so the writer stops.
        let (to_writer, written) = (to_writer, written);
        scope.spawn(move || {
            for plan in plans {
                if to_recorder.send(write_chunk(root, plan)).is_err() {
                    return;
                }
            }
        });
        let mut failed = Vec::new();
        let mut named = HashSet::new();
        let (mut sent, mut recorded, mut done) = (0, 0, 0);
        let mut record = |conn: &mut Connection, report: &mut SyncReport| -> Result<()> {
            let w = written
                .recv()
                .map_err(|_| Error::Invalid("the paper-file writer stopped".into()))??;
            report.absorb(w.report);
            record_chunk(conn, &w.plan)?;
            done += w.plan.papers;
            failed.extend(w.failed);
            if let Some(p) = progress.as_mut() {
                p(done, ids.len());
            }
            Ok(())
        };
        for chunk in ids.chunks(FLUSH_CHUNK) {
            let mut plan = plan_chunk(conn, root, chunk, report, named)?;
            named = std::mem::take(&mut plan.named);
            if to_writer.send(plan).is_err() {
                break;
            }
            sent += 1;
            // One chunk is written while the next is planned.
            if sent - recorded > 1 {
                recorded += 1;
                record(conn, report)?;
            }
        }
        drop(to_writer);
        while recorded < sent {
            recorded += 1;
            record(conn, report)?;
        }
        Ok(failed)
    })
}

/// Writes a planned chunk's files (on the writing thread).
fn write_chunk(root: &Path, mut plan: ChunkPlan) -> Result<Written> {
    let mut report = SyncReport::default();
    let mut failed: Vec<String> = Vec::new();
    let (written, set_aside, started) = swap_all(
        root,
        &plan.writes,
        &mut report,
        &mut plan.recorded,
        &mut failed,
    )?;
    settle_all(root, set_aside, started, &mut report)?;
    if written > 0 {
        crate::fsutil::sync_dir(&root.join(PAPERS_DIR));
    }
    report.written += written;
    Ok(Written {
        plan,
        failed,
        report,
    })
}

/// Records what a chunk's write-out did, in one transaction.
fn record_chunk(conn: &mut Connection, plan: &ChunkPlan) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for g in &plan.gone {
        state::remove(&tx, g)?;
    }
    for s in &plan.recorded {
        state::put(&tx, s)?;
    }
    tx.commit()?;
    Ok(())
}

/// What a chunk's write-out found to do, before any new file goes in.
#[derive(Default)]
struct ChunkPlan {
    writes: Vec<Write>,
    /// Paths of files whose paper is gone: their record goes.
    gone: Vec<String>,
    /// Files to record as they are now.
    recorded: Vec<FileState>,
    /// Names given to new files in this write-out so far, in lowercase.
    named: HashSet<String>,
    /// How many papers the chunk has.
    papers: usize,
}

/// Looks at each paper of the chunk and its file: removes the files of
/// deleted papers, keeps edited files as conflict copies, and lists the
/// files to write.
fn plan_chunk(
    conn: &mut Connection,
    root: &Path,
    ids: &[String],
    report: &mut SyncReport,
    named: HashSet<String>,
) -> Result<ChunkPlan> {
    let mut plan = ChunkPlan {
        named,
        papers: ids.len(),
        ..ChunkPlan::default()
    };
    // One query per table for the whole chunk.
    let mut loaded: std::collections::HashMap<String, crate::model::Paper> =
        store::bulk::load_many(conn, ids)?
            .into_iter()
            .map(|p| (p.id.clone(), p))
            .collect();
    let mut states = state::for_items(conn, ids)?;
    for id in ids {
        let st = states.remove(id);
        match loaded.remove(id) {
            Some(paper) => plan.add_write(conn, root, id, &paper, st, report)?,
            None => {
                if let Some(st) = st {
                    plan.remove_deleted(root, st, report)?;
                }
            }
        }
    }
    Ok(plan)
}

impl ChunkPlan {
    /// Deleted in the library: its file goes too, unless it was edited since;
    /// then it stays and the next scan brings the paper back rather than lose
    /// the edit.
    fn remove_deleted(
        &mut self,
        root: &Path,
        st: FileState,
        report: &mut SyncReport,
    ) -> Result<()> {
        let path = root.join(&st.path);
        match on_disk(root, &path, Some(&st))? {
            OnDisk::Unchanged(_) => {
                std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
                report.removed += 1;
            }
            OnDisk::Missing => {}
            OnDisk::Changed(..) => report.conflicts.push(st.path.clone()),
        }
        self.gone.push(st.path);
        Ok(())
    }

    /// Adds the paper's file to the plan unless it already holds the paper's
    /// text; a file edited since it was recorded is first kept as a conflict
    /// copy.
    fn add_write(
        &mut self,
        conn: &Connection,
        root: &Path,
        id: &str,
        paper: &crate::model::Paper,
        st: Option<FileState>,
        report: &mut SyncReport,
    ) -> Result<()> {
        let content = file::render(paper);
        let h = hash(content.as_bytes());
        // A file keeps its name (a person may have renamed it); a new one
        // is named after the citekey, made safe and unique.
        let rel = match &st {
            Some(st) => st.path.clone(),
            None => new_file_name(conn, &paper.citekey, &mut self.named)?,
        };
        let path = root.join(&rel);
        let seen: Seen = match on_disk(root, &path, st.as_ref())? {
            OnDisk::Unchanged(_) if st.as_ref().is_some_and(|s| s.hash == h) => return Ok(()),
            OnDisk::Unchanged(stat) => st.as_ref().map(|s| (stat, s.hash.clone())),
            OnDisk::Missing => None,
            OnDisk::Changed(_, stat, theirs) if theirs == h => {
                // Already holds our text (an interrupted earlier write).
                self.recorded.push(FileState {
                    path: rel.clone(),
                    kind: "paper".into(),
                    item_id: id.to_string(),
                    size: stat.0,
                    mtime: stat.1,
                    hash: h,
                });
                return Ok(());
            }
            OnDisk::Changed(theirs, stat, their_hash) => {
                let copy = conflict_path(root, &rel);
                crate::fsutil::write_atomic(&copy, theirs.as_bytes())?;
                report.conflicts.push(relative(root, &copy));
                Some((stat, their_hash))
            }
        };
        self.writes.push(Write {
            path,
            rel: rel.clone(),
            content,
            paper_id: id.to_string(),
            seen,
        });
        Ok(())
    }
}

/// Prepares every new file, then puts each in place ([`swap_in`]),
/// recording those written (papers whose file could not be written go to
/// `failed`). Returns how many were written, the old files set aside as
/// unchanged, and when the swapping started.
fn swap_all(
    root: &Path,
    writes: &[Write],
    report: &mut SyncReport,
    recorded: &mut Vec<FileState>,
    failed: &mut Vec<String>,
) -> Result<(usize, Vec<SetAside>, std::time::Instant)> {
    let files: Vec<(&Path, &[u8])> = writes
        .iter()
        .map(|w| (w.path.as_path(), w.content.as_bytes()))
        .collect();
    let temps = crate::fsutil::prepare_many(&files)?;
    let mut written = 0;
    // Old files set aside as unchanged, looked at once more at the end.
    let mut set_aside: Vec<SetAside> = Vec::new();
    let started = std::time::Instant::now();
    for ((tmp, meta), w) in temps.into_iter().zip(writes) {
        // One file that cannot be written never stops the others; it stays
        // owed for the next sync.
        let theirs = match swap_in(root, &tmp, w, report, &mut set_aside) {
            Ok(theirs) => theirs,
            Err(e) => {
                report.problems.push(format!("{}: not written: {e}", w.rel));
                failed.push(w.paper_id.clone());
                continue;
            }
        };
        let _ = tmp.keep();
        written += 1;
        // Ours went in as written (a rename keeps size and time), or an
        // identical file was there already.
        let (size, mtime) = match theirs {
            Some(stat) => stat,
            None => stat_of(&meta),
        };
        recorded.push(FileState {
            path: w.rel.clone(),
            kind: "paper".into(),
            item_id: w.paper_id.clone(),
            size,
            mtime,
            hash: hash(w.content.as_bytes()),
        });
    }
    Ok((written, set_aside, started))
}

/// An editor that opened the old file just before it was set aside may
/// write into it a moment later: each is looked at again now, after the
/// whole chunk, and removed only if still as the write-out saw it.
fn settle_all(
    root: &Path,
    set_aside: Vec<SetAside>,
    started: std::time::Instant,
    report: &mut SyncReport,
) -> Result<()> {
    if !set_aside.is_empty() {
        // A small chunk ends at once: give such a writer a moment.
        let min = std::time::Duration::from_millis(ASIDE_SETTLE_MS);
        if let Some(left) = min.checked_sub(started.elapsed()) {
            std::thread::sleep(left);
        }
    }
    // One still held open for writing may yet be written: it is waited
    // for, up to a limit shared by the chunk, and then left set aside for
    // the next sync rather than removed.
    let deadline = std::time::Instant::now() + std::time::Duration::from_millis(ASIDE_OPEN_WAIT_MS);
    for a in set_aside {
        while crate::fsutil::open_for_writing(&a.path) == Some(true) {
            if std::time::Instant::now() >= deadline {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        if crate::fsutil::open_for_writing(&a.path) == Some(true) {
            report.problems.push(format!(
                "{}: the replaced file is still open for writing elsewhere; kept as {} for the next sync",
                a.rel,
                relative(root, &a.path)
            ));
            continue;
        }
        settle_aside(root, &a.path, &a.rel, Some(&a.seen), report, None)?;
    }
    Ok(())
}

/// Puts the new file `tmp` in place of `w.path` without losing an edit
/// made since the write-out looked: the old file is first renamed aside
/// (an editor saving from then on creates a new file), the new one goes in
/// only if no file appeared meanwhile (a no-replace rename), and whatever
/// was set aside or appeared and is not what the write-out saw is kept as
/// a conflict copy. Returns `None` when the new file went in, or the
/// size and time of a file found there holding the same text.
fn swap_in(
    root: &Path,
    tmp: &Path,
    w: &Write,
    report: &mut SyncReport,
    set_aside: &mut Vec<SetAside>,
) -> Result<Option<(u64, i64)>> {
    let ours = hash(w.content.as_bytes());
    let dir = w.path.parent().unwrap_or(root);
    let mut seen = w.seen.clone();
    for _ in 0..8 {
        let aside = match &seen {
            None => None,
            Some(_) => {
                let aside = aside_path(dir, &w.path);
                match std::fs::rename(&w.path, &aside) {
                    Ok(()) => Some(aside),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                    Err(e) => return Err(Error::io(&w.path, e)),
                }
            }
        };
        let placed = crate::fsutil::rename_noreplace(tmp, &w.path);
        if let Some(aside) = aside {
            settle_aside(root, &aside, &w.rel, seen.as_ref(), report, Some(set_aside))?;
        }
        match placed {
            Ok(()) => return Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                // Saved by someone else after the old file was set aside.
                let bytes = match std::fs::read(&w.path) {
                    Ok(b) => b,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        seen = None;
                        continue;
                    }
                    Err(e) => return Err(Error::io(&w.path, e)),
                };
                let theirs = hash(&bytes);
                let (size, mtime) = stat(&w.path).map_err(|e| Error::io(&w.path, e))?;
                if theirs == ours {
                    let _ = std::fs::remove_file(tmp);
                    return Ok(Some((size, mtime)));
                }
                seen = Some(((size, mtime), theirs));
            }
            Err(e) => return Err(Error::io(&w.path, e)),
        }
    }
    Err(Error::Invalid(format!(
        "{} keeps changing while Lectern writes it; left for the next sync",
        w.rel
    )))
}

/// A file an interrupted write-out set aside (`.lectern-aside-<pid>-<n>-<name>`):
/// back in place when `<name>` is gone, removed when `<name>` holds the
/// same bytes, else kept as a conflict copy of `<name>`. Nothing in it is
/// lost.
pub(super) fn recover_aside(root: &Path, aside: &Path, report: &mut SyncReport) -> Result<()> {
    let name = aside
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let original = name
        .strip_prefix(crate::fsutil::ASIDE_PREFIX)
        .and_then(|rest| rest.splitn(3, '-').nth(2))
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    let dir = aside.parent().unwrap_or(root);
    let Some(original) = original else {
        return Ok(());
    };
    let target = dir.join(&original);
    let rel = relative(root, &target);
    if crate::fsutil::open_for_writing(aside) == Some(true) {
        // Still being written: a later sync looks again.
        return Ok(());
    }
    match std::fs::read(&target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            crate::fsutil::rename_noreplace(aside, &target).map_err(|e| Error::io(aside, e))?;
        }
        Err(e) => return Err(Error::io(&target, e)),
        Ok(current) => {
            let kept = std::fs::read(aside).map_err(|e| Error::io(aside, e))?;
            if kept == current {
                std::fs::remove_file(aside).map_err(|e| Error::io(aside, e))?;
            } else {
                let copy = conflict_path(root, &rel);
                std::fs::rename(aside, &copy).map_err(|e| Error::io(aside, e))?;
                report.conflicts.push(relative(root, &copy));
            }
        }
    }
    Ok(())
}

/// A fresh name beside `path` to set the old file aside under.
fn aside_path(dir: &Path, path: &Path) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    loop {
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let candidate = dir.join(format!(
            "{}{}-{n}-{name}",
            crate::fsutil::ASIDE_PREFIX,
            std::process::id()
        ));
        if !candidate.exists() {
            return candidate;
        }
    }
}

/// How long, at least, an old file set aside stays before it is removed
/// (an editor's open-then-write of a save takes far less).
const ASIDE_SETTLE_MS: u64 = 10;

/// How long a write-out waits, in all, for old files still held open for
/// writing to be closed.
const ASIDE_OPEN_WAIT_MS: u64 = 2000;

/// An old file set aside unchanged, to be looked at again before removal.
struct SetAside {
    path: PathBuf,
    rel: String,
    seen: ((u64, i64), String),
}

/// The file a write-out set aside: kept as a conflict copy of `rel` when it
/// is not what the write-out saw (`seen`); otherwise queued on `later` to
/// be looked at once more, or removed when there is no `later`.
fn settle_aside(
    root: &Path,
    aside: &Path,
    rel: &str,
    seen: Option<&((u64, i64), String)>,
    report: &mut SyncReport,
    later: Option<&mut Vec<SetAside>>,
) -> Result<()> {
    let unchanged = match (stat(aside), seen) {
        (Ok(now), Some((then, _))) if now == *then => true,
        (Ok(_), Some((_, h))) => std::fs::read(aside)
            .map(|b| hash(&b) == *h)
            .map_err(|e| Error::io(aside, e))?,
        (Ok(_), None) => false,
        (Err(e), _) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        (Err(e), _) => return Err(Error::io(aside, e)),
    };
    if unchanged {
        match (later, seen) {
            (Some(later), Some(seen)) => later.push(SetAside {
                path: aside.to_path_buf(),
                rel: rel.to_string(),
                seen: seen.clone(),
            }),
            _ => std::fs::remove_file(aside).map_err(|e| Error::io(aside, e))?,
        }
    } else {
        let copy = conflict_path(root, rel);
        std::fs::rename(aside, &copy).map_err(|e| Error::io(aside, e))?;
        report.conflicts.push(relative(root, &copy));
    }
    Ok(())
}
