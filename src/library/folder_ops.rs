//! The library and its folder: syncs, the inbox, the trash, merging
//! papers, repair, reindex, exports and attachments.

use super::*;

/// What opening a library saw of its folder before the store was open.
pub(super) enum Look {
    /// Nothing: the folder is left to the caller.
    Nothing,
    /// The quick look ([`folder::glance::glance`]), under way.
    Walking(std::thread::JoinHandle<Result<folder::glance::Glance>>),
    /// The folders' times ([`folder::glance::folder_times`]).
    Times(Result<Option<String>>),
}

impl Library {
    // ----- the library folder ---------------------------------------------

    /// Reconciles what changed in the folder while nothing watched it (see
    /// [`Reconcile`]): a full sync when a look at the folder saw a change,
    /// else only what a sync does besides reading files (the owed
    /// write-out, the trash's expiry).
    pub(super) fn reconcile(&mut self, look: Look) {
        let glance = match look {
            Look::Nothing => return,
            Look::Walking(walk) => walk.join().ok().and_then(|g| g.ok()),
            Look::Times(Ok(Some(times)))
                if folder::state::folder_times(&self.conn)
                    .ok()
                    .flatten()
                    .as_deref()
                    == Some(times.as_str()) =>
            {
                let synced = self.sync_paths(&[]);
                return self.reconciled(synced);
            }
            Look::Times(_) => {
                let root = self.root.clone();
                folder::glance::glance(&root).ok()
            }
        };
        let synced = match glance {
            Some(g) if g.agrees(&self.conn) => {
                self.sync_paths(&[]).map(|mut report| {
                    // Every comparison reports these.
                    report.conflicts.extend(g.conflicts);
                    report.problems.extend(g.problems);
                    let _ = folder::state::set_folder_times(&self.conn, g.times.as_deref());
                    report
                })
            }
            _ => self.sync(),
        };
        self.reconciled(synced);
    }

    fn reconciled(&mut self, synced: Result<SyncReport>) {
        match synced {
            Ok(report) => self.folder_report = report,
            Err(e) => self.folder_lag = Some(e.to_string()),
        }
    }

    /// Reconciles the library with its folder: applies files changed
    /// outside Lectern, imports the inbox, writes what the folder is owed
    /// and forgets trash older than 30 days. See [`crate::sync`].
    pub fn sync(&mut self) -> Result<SyncReport> {
        self.ensure_writable()?;
        let listing = folder::list(&self.root)?;
        self.sync_scoped(Scope::Listed(Box::new(listing)))
    }

    /// [`Library::sync`] limited to the files at `paths` (what the
    /// watcher's events named); `inbox/` is imported when a path is in it.
    pub fn sync_paths(&mut self, paths: &[PathBuf]) -> Result<SyncReport> {
        self.sync_scoped(Scope::Paths(paths))
    }

    /// [`Library::sync`] from a walk of the folder made beforehand with
    /// [`folder::list`] (which needs no access to the library: the desktop
    /// app walks a large folder before it takes the library's lock, so
    /// searches are not kept waiting for it). Files that change after the
    /// walk are left to the next sync.
    pub fn sync_listed(&mut self, listing: folder::Listing) -> Result<SyncReport> {
        self.sync_scoped(Scope::Listed(Box::new(listing)))
    }

    fn sync_scoped(&mut self, scope: Scope<'_>) -> Result<SyncReport> {
        self.ensure_writable()?;
        let mut report = SyncReport::default();
        // A full comparison records the folders' times it started from,
        // for read commands to tell whether the folder moved since.
        let times = match &scope {
            Scope::Listed(listing) => Some(listing.times.clone()),
            Scope::Paths(_) => None,
        };
        match self.sync_steps(scope, &mut report) {
            Ok(()) => {
                if let Some(times) = times {
                    let _ = folder::state::set_folder_times(&self.conn, times.as_deref());
                }
                let written = std::mem::take(&mut self.folder_report);
                report.absorb(written);
                Ok(report)
            }
            Err(e) => {
                // What the steps before the failure did is committed: it is
                // reported with the next call.
                self.folder_report.absorb(report);
                Err(e)
            }
        }
    }

    /// The steps of a sync, each its own transaction.
    fn sync_steps(&mut self, scope: Scope<'_>, report: &mut SyncReport) -> Result<()> {
        let mut paths = None;
        match scope {
            Scope::Listed(listing) => {
                folder::scan_listed(&mut self.conn, &self.root, *listing, report)?
            }
            Scope::Paths(p) => {
                paths = Some(p);
                folder::scan_paths(&mut self.conn, &self.root, p, report)?
            }
        }
        self.catch_up_index();
        let inbox_dir = self.root.join(folder::INBOX_DIR);
        // The inbox is the holder's: two processes would import a file twice.
        if self.holds_index() && paths.is_none_or(|p| p.iter().any(|p| p.starts_with(&inbox_dir))) {
            let was = std::mem::replace(&mut self.mirror, true);
            let inbox = self.import_inbox(report);
            self.mirror = was;
            inbox?;
        }
        self.owes_files = folder::flush(&mut self.conn, &self.root, report, self.step, None)?;
        let cutoff = (chrono::Utc::now() - chrono::Duration::days(folder::TRASH_DAYS))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        folder::state::trash_purge(&self.conn, &cutoff)?;
        self.folder_lag = None;
        Ok(())
    }

    /// Hands files the person opened with Lectern (a file manager's "Open
    /// with") to the library at `root`, open or not: each is copied whole
    /// into `inbox/`, which the library's writer (this process once it
    /// opens the library, or another Lectern holding it) imports. Returns
    /// where each landed; stops at the first file that cannot be copied.
    pub fn deliver_to_inbox(root: &Path, files: &[PathBuf]) -> Result<Vec<PathBuf>> {
        files
            .iter()
            .map(|f| folder::inbox::deliver(root, f))
            .collect()
    }

    /// Imports the files waiting in `inbox/`, a few hundred per transaction.
    fn import_inbox(&mut self, report: &mut SyncReport) -> Result<()> {
        let folder::inbox::Ready {
            files,
            waiting,
            refused,
        } = folder::inbox::ready(&self.root)?;
        report.inbox_waiting = waiting;
        report.problems.extend(refused);
        for chunk in files.chunks(500) {
            let mut papers = Vec::new();
            let mut problems = Vec::new();
            let mut imported: Vec<(&PathBuf, bool, String)> = Vec::new();
            for file in chunk {
                let name = file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                match crate::import::read_file(file) {
                    Ok(parsed) if !parsed.papers.is_empty() => {
                        let is_pdf = parsed.papers.iter().any(|p| p.attachment.is_some());
                        let mut note = format!(
                            "{name}: {} entr{} imported {}\n",
                            parsed.papers.len(),
                            if parsed.papers.len() == 1 { "y" } else { "ies" },
                            now()
                        );
                        for p in &parsed.problems {
                            note.push_str(&format!("{}: {}\n", p.location, p.message));
                        }
                        imported.push((file, is_pdf, note));
                        papers.extend(parsed.papers);
                        problems.extend(parsed.problems);
                    }
                    Ok(parsed) => {
                        let why = parsed
                            .problems
                            .first()
                            .map(|p| format!("{}: {}", p.location, p.message))
                            .unwrap_or_else(|| format!("{name}: no papers found"));
                        folder::inbox::failed(&self.root, file, &why)?;
                        report.inbox_failed += 1;
                        report.problems.push(why);
                    }
                    Err(e) => {
                        folder::inbox::failed(&self.root, file, &e.to_string())?;
                        report.inbox_failed += 1;
                        report.problems.push(e.to_string());
                    }
                }
            }
            if papers.is_empty() {
                continue;
            }
            // On failure the files stay in the inbox for the next sync.
            let result = self.import_papers(papers, problems)?;
            for p in &result.problems {
                report
                    .problems
                    .push(format!("{}: {}", p.location, p.message));
            }
            for (file, is_pdf, note) in imported {
                folder::inbox::done(&self.root, file, is_pdf, &note)?;
                report.inbox_imported += 1;
            }
        }
        Ok(())
    }

    /// [`Library::sync`], then, while files in `inbox/` are still being
    /// written (changed in the last 0.5 s), waits for them to settle and
    /// imports them, for at most `patience`. A file still changing after
    /// that is named in the report's problems, to be imported by a later
    /// sync. For a one-shot sync: a file dropped just before is imported.
    pub fn sync_settled(&mut self, patience: std::time::Duration) -> Result<SyncReport> {
        let mut report = self.sync()?;
        let deadline = std::time::Instant::now() + patience;
        let inbox = [self.root.join(folder::INBOX_DIR)];
        while report.inbox_waiting && std::time::Instant::now() < deadline {
            std::thread::sleep(folder::inbox::SETTLE / 4);
            let more = self.sync_paths(&inbox)?;
            let waiting = more.inbox_waiting;
            report.absorb(more);
            report.inbox_waiting = waiting;
        }
        if report.inbox_waiting {
            report.problems.push(format!(
                "{}/: a file is still being written; the next sync imports it once it has been left alone for {} ms",
                folder::INBOX_DIR,
                folder::inbox::SETTLE.as_millis()
            ));
        }
        Ok(report)
    }

    /// Writes what the library folder is owed now (also when this library
    /// was opened without the folder).
    pub fn write_folder(&mut self) -> Result<SyncReport> {
        self.ensure_writable()?;
        let mut report = SyncReport::default();
        self.owes_files = folder::flush(&mut self.conn, &self.root, &mut report, None, None)?;
        Ok(report)
    }

    /// Whether writes go to the library folder's files right away.
    pub fn set_folder_mirror(&mut self, on: bool) {
        self.mirror = on;
    }

    /// What write-outs and syncs did since the last call.
    pub fn take_folder_report(&mut self) -> SyncReport {
        std::mem::take(&mut self.folder_report)
    }

    /// Why the library folder is behind the store, if it is.
    pub fn folder_lag(&self) -> Option<&str> {
        self.folder_lag.as_deref()
    }

    /// Where the folder disagrees with the store (empty when they agree).
    pub fn check_folder(&self) -> Result<Vec<String>> {
        folder::check_folder(&self.conn, &self.root)
    }

    /// Deletes a paper: it moves to the trash, where
    /// [`Library::restore_paper`] can bring it back for 30 days.
    pub fn delete_paper(&mut self, key: &str) -> Result<folder::state::TrashEntry> {
        let id = self.resolve(key)?;
        self.write(|tx| folder::trash(tx, &id, &now()))
    }

    /// The trash, newest first.
    pub fn trash(&self) -> Result<Vec<folder::state::TrashEntry>> {
        folder::state::trash_list(&self.conn)
    }

    /// Merges paper `other` into paper `keep` (ids, citekeys or aliases):
    /// see [`store::merge::merge_papers`]. Returns the merged paper.
    pub fn merge_papers(&mut self, keep: &str, other: &str) -> Result<Paper> {
        let keep = self.resolve(keep)?;
        let other = self.resolve(other)?;
        self.write(|tx| store::merge::merge_papers(tx, &keep, &other, &now()))?;
        self.paper(&keep)
    }

    /// Pairs of papers with the same title that are kept apart, and why.
    pub fn possible_duplicates(
        &self,
        limit: usize,
    ) -> Result<Vec<crate::model::PossibleDuplicate>> {
        store::merge::possible_duplicates(&self.conn, limit)
    }

    /// Brings a paper back from the trash (by id or citekey) with its
    /// notes, highlights and links to papers still in the library.
    /// Returns its citekey.
    pub fn restore_paper(&mut self, key: &str) -> Result<String> {
        let Some((entry, content)) = folder::state::trash_take(&self.conn, key.trim())? else {
            return Err(Error::NotFound {
                what: "paper in the trash",
                id: key.to_string(),
            });
        };
        let source = format!("trash/{}.md", crate::paths::key_file_stem(&entry.citekey));
        let f = folder::file::parse(&content, &source)
            .map_err(|p| Error::Invalid(format!("{}: {}", p.location, p.message)))?;
        let root = self.root.clone();
        self.write(|tx| {
            let now = now();
            // What cannot be applied again (an alias taken since) is left out.
            let mut left_out = Vec::new();
            let id = folder::apply::create(tx, &root, &f, &now, &source, &mut left_out)?;
            folder::apply::apply_relations(tx, &id, &f.relations, &now)?;
            folder::state::trash_remove(tx, &entry.paper_id)?;
            Ok(store::papers::row(tx, &id)?.citekey)
        })
    }

    /// Rebuilds a library whose database is damaged from its folder: the
    /// old private state is moved to `.lectern/damaged-<UTC>/` (nothing is
    /// deleted), then the library is opened afresh, which reads every
    /// paper file, note and attachment. Refused while another Lectern
    /// holds the library. Returns the rebuilt library and where the old
    /// state went.
    pub fn repair(root: impl AsRef<Path>) -> Result<(Library, PathBuf)> {
        let root = root.as_ref();
        let private = root.join(PRIVATE_DIR);
        if !private.is_dir() {
            return Err(Error::Invalid(format!(
                "{}: not a Lectern library (no {PRIVATE_DIR}/); nothing to repair",
                root.display()
            )));
        }
        let lock = take_lock(root, &private)?;
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let moving = root.join(format!("{PRIVATE_DIR}-repair-{stamp}"));
        std::fs::rename(&private, &moving).map_err(|e| Error::io(&private, e))?;
        drop(lock);
        std::fs::create_dir_all(&private).map_err(|e| Error::io(&private, e))?;
        let kept = private.join(format!("damaged-{stamp}"));
        std::fs::rename(&moving, &kept).map_err(|e| Error::io(&moving, e))?;
        let lib = Library::open(root)?;
        Ok((lib, kept))
    }

    /// Rebuilds the full-text index from SQLite.
    pub fn reindex(&mut self) -> Result<u64> {
        if !self.holds_index() {
            return Err(Error::Locked {
                library: self.root.clone(),
                lock: self.root.join(PRIVATE_DIR).join("lock"),
            });
        }
        super::indexing::rebuild(&mut self.index, &self.conn)?;
        self.index_lag = None;
        Ok(self.index.num_docs())
    }

    /// Writes one Markdown file per paper into `dir`, keeping what the user
    /// wrote in files exported before.
    pub fn export_markdown(&self, dir: &Path) -> Result<crate::export::markdown::ExportReport> {
        crate::export::markdown::export(&self.conn, dir, None)
    }

    /// Exports only the given papers (ids or citekeys) to Markdown files.
    pub fn export_markdown_of(
        &self,
        dir: &Path,
        keys: &[String],
    ) -> Result<crate::export::markdown::ExportReport> {
        let ids = keys
            .iter()
            .map(|k| self.resolve(k))
            .collect::<Result<Vec<_>>>()?;
        crate::export::markdown::export(&self.conn, dir, Some(&ids))
    }

    /// Ids of every paper a search finds that holds every word of the
    /// query, best first. An export takes a set, not a ranking: the papers
    /// best match adds below them, holding only some words, are left out.
    pub fn search_ids(&self, query: &str) -> Result<Vec<String>> {
        let limit = usize::try_from(self.count()?).unwrap_or(usize::MAX).max(1);
        Ok(self
            .search(query, limit)?
            .into_iter()
            .filter(|h| h.missing.is_empty())
            .map(|h| h.id)
            .collect())
    }

    /// Papers to export: those `query` finds, or all in import order.
    fn papers_for_export(&self, query: Option<&str>) -> Result<Vec<Paper>> {
        let ids = match query {
            Some(q) => self.search_ids(q)?,
            None => store::papers::all_ids(&self.conn)?,
        };
        ids.iter()
            .map(|id| store::papers::load(&self.conn, id))
            .collect()
    }

    /// The library (or a search's results) as BibTeX.
    pub fn export_bibtex(&self, query: Option<&str>) -> Result<String> {
        let papers = self.papers_for_export(query)?;
        let entries: Vec<_> = papers.iter().map(crate::export::record).collect();
        Ok(crate::export::bibtex::render(&entries))
    }

    /// The library (or a search's results) as CSL-JSON.
    pub fn export_csl_json(&self, query: Option<&str>) -> Result<String> {
        let papers = self.papers_for_export(query)?;
        let items: Vec<_> = papers.iter().map(crate::export::record).collect();
        Ok(crate::export::csl::render(&items))
    }

    /// The path of a PDF attachment named by its link, for the window's
    /// reader: only files inside the attachments folder (as
    /// [`Library::attachment_path`] decides) that start as PDFs do.
    pub fn attachment_pdf_path(&self, relative: &str) -> Result<PathBuf> {
        let path = self.attachment_path(relative)?;
        let mut head = [0u8; 1024];
        let n = {
            use std::io::Read;
            let mut f = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
            f.read(&mut head).map_err(|e| Error::io(&path, e))?
        };
        if crate::import::pdf::is_pdf(&head[..n]) {
            Ok(path)
        } else {
            Err(Error::Invalid(format!("{relative}: not a PDF")))
        }
    }

    /// The absolute path of an attachment named by its link
    /// (`attachments/<citekey>/<file>`); refuses anything outside the
    /// library's attachments folder.
    pub fn attachment_path(&self, relative: &str) -> Result<PathBuf> {
        let base = self.root.join(ATTACHMENTS_DIR);
        let outside = || Error::Invalid(format!("{relative}: not an attachment of this library"));
        let base = base.canonicalize().map_err(|_| outside())?;
        let file = self
            .root
            .join(relative)
            .canonicalize()
            .map_err(|e| Error::io(self.root.join(relative), e))?;
        if file.starts_with(&base) && file.is_file() {
            Ok(file)
        } else {
            Err(outside())
        }
    }
}
