//! Importing into a library: one transaction per import, duplicates
//! matched and merged, PDFs copied into the attachments folder.

use super::*;
use crate::index::IndexDoc;

/// Gives paper `id` what a PDF import brings: its text (when the paper has
/// none) and the file, copied to `attachments/<citekey>/` and linked.
/// Returns whether anything changed.
fn merge_pdf(
    tx: &Transaction<'_>,
    root: &Path,
    id: &str,
    p: &NewPaper,
    copied: &mut Vec<PathBuf>,
) -> Result<bool> {
    let mut changed = false;
    if !p.fulltext.trim().is_empty() && store::papers::fulltext(tx, id)?.is_none() {
        store::papers::set_fulltext(tx, id, &p.fulltext)?;
        changed = true;
    }
    let Some(src) = &p.attachment else {
        return Ok(changed);
    };
    let citekey = store::papers::row(tx, id)?.citekey;
    let name = src
        .file_name()
        .map(|n| crate::paths::safe_file_name(&n.to_string_lossy()))
        .unwrap_or_else(|| "attachment.pdf".into());
    let folder = crate::paths::key_file_stem(&citekey);
    let relative = format!("{ATTACHMENTS_DIR}/{folder}/{name}");
    let mut links = store::papers::links(tx, id)?;
    if links.iter().any(|l| l.url == relative) {
        return Ok(changed);
    }
    let dest = root.join(&relative);
    if !dest.exists() {
        let bytes = std::fs::read(src).map_err(|e| Error::io(src, e))?;
        if let Some(dir) = dest.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            // A symbolic link planted in attachments/ must not carry the
            // copy out of the library.
            crate::paths::ensure_dir_inside(root, dir)?;
        }
        crate::fsutil::write_atomic(&dest, &bytes)?;
        copied.push(dest);
    }
    links.push(crate::model::Link {
        url: relative,
        kind: crate::model::LinkKind::Pdf,
    });
    store::papers::set_links(tx, id, &links)?;
    Ok(true)
}

/// Removes the `wikilinks` field an importer may add (space-separated
/// citekeys) and returns the keys.
fn take_wikilinks(extra: &mut Vec<(String, String)>) -> Vec<String> {
    let mut keys = Vec::new();
    extra.retain(|(name, value)| {
        if name == "wikilinks" {
            keys.extend(value.split_whitespace().map(str::to_string));
            false
        } else {
            true
        }
    });
    keys
}

/// Removes the `ids` field (BibLaTeX: other keys of the entry, as Lectern
/// exports aliases) and returns the keys.
fn take_ids(extra: &mut Vec<(String, String)>) -> Vec<String> {
    let mut keys = Vec::new();
    extra.retain(|(name, value)| {
        if name.eq_ignore_ascii_case("ids") {
            keys.extend(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|k| !k.is_empty())
                    .map(str::to_string),
            );
            false
        } else {
            true
        }
    });
    keys
}

/// Entry types that are instructions to a bibliography style, not works.
const NOT_WORKS: &[&str] = &["ieeetranbstctl"];

/// A title for an entry that has none, from what it has: `Untitled:
/// <venue>, vol. 45, no. 2, pp. 12--20, 1980`, or its kind and key.
fn untitled_title(p: &NewPaper) -> String {
    let field = |name: &str| {
        p.extra
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let mut bits: Vec<String> = Vec::new();
    if let Some(first) = p.authors.first() {
        let family = crate::citekey::family_name(first);
        bits.push(if p.authors.len() > 1 {
            format!("{family} et al.")
        } else {
            family.to_string()
        });
    }
    bits.extend(p.venue.clone().or_else(|| field("howpublished")));
    bits.extend(field("volume").map(|v| format!("vol. {v}")));
    bits.extend(field("number").map(|v| format!("no. {v}")));
    bits.extend(field("pages").map(|v| format!("pp. {v}")));
    bits.extend(p.year.map(|y| y.to_string()));
    if bits.is_empty() {
        let kind = p.entry_type.as_deref().unwrap_or("entry");
        match p.citekey.as_deref() {
            Some(key) => format!("Untitled {kind} {key}"),
            None => format!("Untitled {kind}"),
        }
    } else {
        format!("Untitled: {}", bits.join(", "))
    }
}

impl Library {
    // ----- import -------------------------------------------------------

    /// Imports a text in any format the importer recognises.
    pub fn import_text(&mut self, text: &str, source: &str) -> Result<ImportReport> {
        let parsed = crate::import::parse(text, source)?;
        self.import_papers(parsed.papers, parsed.problems)
    }

    /// Imports a file (format detected from its content).
    pub fn import_file(&mut self, path: &Path) -> Result<ImportReport> {
        let parsed = crate::import::read_file(path)?;
        self.import_papers(parsed.papers, parsed.problems)
    }

    /// Adds papers in one transaction, merging those already present
    /// (matched by DOI, arXiv id, then normalized title).
    pub fn import_papers(
        &mut self,
        papers: Vec<NewPaper>,
        problems: Vec<Problem>,
    ) -> Result<ImportReport> {
        self.import_papers_with_progress(papers, problems, &mut |_, _| true)
    }

    /// [`Library::import_papers`], reporting `(done, total)` every few
    /// hundred papers. When `progress` returns `false` the import stops and
    /// is rolled back: nothing of it is written ([`Error::Cancelled`]).
    pub fn import_papers_with_progress(
        &mut self,
        papers: Vec<NewPaper>,
        problems: Vec<Problem>,
        progress: &mut dyn FnMut(usize, usize) -> bool,
    ) -> Result<ImportReport> {
        self.ensure_writable()?;
        let mut report = ImportReport {
            problems,
            ..Default::default()
        };
        let now = now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let root = self.root.clone();
        let index = self.lock.is_some().then_some(&mut self.index);
        let mut batch = Batch::new(&tx, &root, &now, report);
        let result = batch.write_all(papers, index, progress);
        let Batch {
            copied,
            merged_ids,
            queued_before,
            report: written,
            ..
        } = batch;
        let result = result.map(|()| merged_ids);
        report = written;
        // The index flushes its new segment on the other core while SQLite
        // commits. Both must succeed; if SQLite fails, the index forgets
        // the papers again.
        let holds_index = self.lock.is_some();
        let index = &mut self.index;
        let (committed, indexed) = std::thread::scope(|scope| {
            // Shared, the index work stays queued for the holder.
            let flush = scope.spawn(move || if holds_index { index.commit() } else { Ok(()) });
            let committed = result.and_then(|m| tx.commit().map(|_| m).map_err(Error::from));
            let indexed = flush.join().unwrap_or_else(|_| {
                Err(Error::Index {
                    path: self.root.join(PRIVATE_DIR).join("index"),
                    message: "index commit panicked".into(),
                })
            });
            (committed, indexed)
        });
        let merged_ids = match committed {
            Ok(m) => m,
            Err(e) => {
                for file in &copied {
                    let _ = std::fs::remove_file(file);
                }
                if indexed.is_ok() {
                    for id in &report.added_ids {
                        let _ = self.index.remove(id);
                    }
                    // If this fails too, the document count no longer
                    // matches SQLite and the next open rebuilds the index.
                    let _ = self.index.commit();
                } else {
                    self.index.rollback();
                }
                return Err(e.in_library(&self.root));
            }
        };
        // Merged papers are re-read from SQLite and re-indexed (by the
        // holder of the index; shared, the queue keeps them).
        let finish = indexed.and_then(|()| {
            if !holds_index {
                return Ok(());
            }
            let seq = store::pending::max_seq(&self.conn)?;
            if !merged_ids.is_empty() {
                for id in &merged_ids {
                    if let Some(doc) = super::indexing::load_doc(&self.conn, id)? {
                        self.index.upsert(&doc)?;
                    }
                }
                self.index.commit()?;
            }
            store::pending::clear_between(&self.conn, queued_before, seq)?;
            if queued_before > 0 {
                // Work queued before is left for the catch-up: make it look.
                self.data_version = None;
            }
            Ok(())
        });
        self.index_lag = finish.err().map(|e| e.to_string());
        self.write_out();
        if !copied.is_empty() {
            let ids: Vec<String> = report
                .added_ids
                .iter()
                .chain(&merged_ids)
                .cloned()
                .collect();
            self.read_imported_annotations(&ids, &copied, &mut report);
        }
        Ok(report)
    }
}

/// One import's papers being written inside its transaction: what it has
/// done so far and what it needs to finish.
struct Batch<'t> {
    tx: &'t Transaction<'t>,
    root: &'t Path,
    now: &'t str,
    report: ImportReport,
    /// Attachments copied into the library folder, removed again if the
    /// import does not commit.
    copied: Vec<PathBuf>,
    /// Papers that took in something of a record: re-indexed afterwards.
    merged_ids: Vec<String>,
    /// The queue's end before this import: what is queued up to there
    /// (another process's batch) is not this import's to clear.
    queued_before: i64,
    /// The last paper sequence number before this import.
    last_seq: i64,
    alloc: Allocator,
    /// Large imports match duplicates in memory; small ones ask SQLite.
    dedup: Option<store::duplicates::DedupIndex>,
    /// `[[wikilinks]]` an importer found, made relations at the end so
    /// papers later in the same import can be their targets.
    wikilinks: Vec<(String, String)>,
}

impl<'t> Batch<'t> {
    fn new(tx: &'t Transaction<'t>, root: &'t Path, now: &'t str, report: ImportReport) -> Self {
        Batch {
            tx,
            root,
            now,
            report,
            copied: Vec::new(),
            merged_ids: Vec::new(),
            queued_before: 0,
            last_seq: 0,
            alloc: Allocator::new(Vec::new()),
            dedup: None,
            wikilinks: Vec::new(),
        }
    }

    /// Writes every paper (the index, when given, takes the new ones as
    /// they come), then the links and mentions among them.
    fn write_all(
        &mut self,
        papers: Vec<NewPaper>,
        mut index: Option<&mut SearchIndex>,
        progress: &mut dyn FnMut(usize, usize) -> bool,
    ) -> Result<()> {
        let total = papers.len();
        self.alloc = Allocator::new(store::papers::citekeys(self.tx)?);
        self.last_seq = store::pending::last_paper_seq(self.tx)?;
        self.queued_before = store::pending::max_seq(self.tx)?;
        if total >= BULK_IMPORT {
            self.dedup = Some(store::duplicates::DedupIndex::load(self.tx)?);
        }
        for (done, p) in papers.into_iter().enumerate() {
            if done % PROGRESS_EVERY == 0 && !progress(done, total) {
                return Err(Error::Cancelled);
            }
            self.write_one(p, index.as_deref_mut())?;
        }
        self.link_and_mention()?;
        if !progress(total, total) {
            return Err(Error::Cancelled);
        }
        Ok(())
    }

    /// One record: left out, merged into the paper it is, or added.
    fn write_one(&mut self, mut p: NewPaper, index: Option<&mut SearchIndex>) -> Result<()> {
        let links_to = take_wikilinks(&mut p.extra);
        let other_keys = take_ids(&mut p.extra);
        if !self.screen(&mut p) {
            return Ok(());
        }
        let existing = match &self.dedup {
            Some(d) => d.find(&p),
            None => store::duplicates::find_duplicate(self.tx, &p)?,
        };
        let paper_id = match existing {
            Some(found) => self.merge_into(found, &p)?,
            None => self.add(p, index)?,
        };
        for key in other_keys {
            if store::aliases::add(self.tx, &paper_id, &key)? {
                self.alloc.take(&key);
            }
        }
        self.wikilinks
            .extend(links_to.into_iter().map(|key| (paper_id.clone(), key)));
        Ok(())
    }

    /// Leaves out what is not a work (returns `false`), gives an untitled
    /// entry a title made of what it has, and cuts unsafe links and
    /// oversized text, saying so.
    fn screen(&mut self, p: &mut NewPaper) -> bool {
        if p.entry_type
            .as_deref()
            .is_some_and(|t| NOT_WORKS.contains(&t.to_ascii_lowercase().as_str()))
        {
            self.report.rejected += 1;
            self.report.problems.push(Problem {
                location: p.source.clone(),
                message: format!(
                    "`@{}` controls a bibliography style; it is not a work, so it is left out",
                    p.entry_type.as_deref().unwrap_or_default()
                ),
            });
            return false;
        }
        if p.title.trim().is_empty() {
            // Physics and other styles cite without titles; the entry is
            // kept under a title made of what it has.
            p.title = untitled_title(p);
            self.report.problems.push(Problem {
                location: p.source.clone(),
                message: format!("entry has no title; imported as “{}”", p.title),
            });
        }
        self.report
            .problems
            .extend(crate::paths::drop_unsafe_links(p));
        self.report.problems.extend(crate::import::cap_sizes(p));
        true
    }

    /// Merges a record into the stored paper it is; returns that paper's id.
    fn merge_into(&mut self, found: store::duplicates::Duplicate, p: &NewPaper) -> Result<String> {
        let tx = self.tx;
        let existing = found.id;
        let mut changed = store::papers::merge_missing(tx, &existing, p, self.now)?;
        changed |= merge_pdf(tx, self.root, &existing, p, &mut self.copied)?;
        let row = store::papers::row(tx, &existing)?;
        // The record's own key keeps working: it becomes an alias of the
        // paper it merged into.
        let alias = match p.citekey.as_deref().map(str::trim) {
            Some(key)
                if !key.is_empty()
                    && key != row.citekey
                    && !store::aliases::for_paper(tx, &existing)?
                        .iter()
                        .any(|a| a == key) =>
            {
                if store::aliases::add(tx, &existing, key)? {
                    self.alloc.take(key);
                    changed = true;
                    Some(key.to_string())
                } else {
                    None
                }
            }
            _ => None,
        };
        if changed {
            // The paper's file shows what merged (a PDF link from
            // `merge_pdf` touches no column of papers).
            store::papers::touch(tx, &existing, self.now)?;
            self.report.merges.push(crate::model::Merge {
                source: p.source.clone(),
                citekey: row.citekey,
                reason: found.reason.to_string(),
                alias,
            });
            store::pending::mark(tx, &existing)?;
            self.report.merged += 1;
            self.merged_ids.push(existing.clone());
        } else {
            self.report.skipped += 1;
        }
        Ok(existing)
    }

    /// Adds a record as a new paper; returns its id.
    fn add(&mut self, p: NewPaper, index: Option<&mut SearchIndex>) -> Result<String> {
        let tx = self.tx;
        let id = store::new_id();
        // The source's own key when it is free, else ours.
        let citekey = match p.citekey.as_deref() {
            Some(key) if self.alloc.try_take(key) => key.to_string(),
            _ => self.alloc.allocate(&p.authors, &p.title, p.year),
        };
        store::papers::insert(tx, &id, &citekey, &p, self.now)?;
        merge_pdf(tx, self.root, &id, &p, &mut self.copied)?;
        if self.report.added == 0 {
            // One row covers every paper this import adds.
            store::pending::mark_added_after(tx, self.last_seq)?;
        }
        if let Some(d) = self.dedup.as_mut() {
            d.add(&id, &p);
        }
        if let Some(index) = index {
            index.add_new(&IndexDoc {
                id: id.clone(),
                title: p.title,
                authors: p.authors,
                abstract_text: p.abstract_text,
                notes: p.note.into_iter().collect(),
                fulltext: p.fulltext,
                annotations: Vec::new(),
                tags: p.tags,
                status: Status::Unread.as_str().to_string(),
                year: p.year,
            })?;
        }
        self.report.added += 1;
        self.report.added_ids.push(id.clone());
        Ok(id)
    }

    /// The `[[wikilinks]]` among the imported papers become relations, and
    /// free-standing notes that mention papers this import added are
    /// indexed with them.
    fn link_and_mention(&mut self) -> Result<()> {
        let tx = self.tx;
        for (from, key) in std::mem::take(&mut self.wikilinks) {
            // A link to a paper the library does not have is left out.
            if let Ok(to) = store::papers::resolve(tx, &key)
                && to != from
            {
                store::relations::insert(tx, &from, &to, "related", self.now)?;
            }
        }
        if store::mentions::any_free_notes(tx)? {
            for id in store::mentions::refresh(tx, &[])? {
                store::pending::mark(tx, &id)?;
                if !self.merged_ids.contains(&id) {
                    self.merged_ids.push(id);
                }
            }
        }
        Ok(())
    }
}
