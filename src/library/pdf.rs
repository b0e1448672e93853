//! Highlights on the pages of a paper's PDF: made in the window or from the
//! command line, read from the annotations other readers stored in the
//! file, written into a copy of it, and carried over to a new version.
//!
//! The engine's own text of each page (`import::pdf::pages`) is the
//! reference the selectors count in: a quote the window sends is found in
//! it (`anchor::place`), so its position, prefix and suffix are the
//! engine's and a later version of the PDF is searched the same way. The
//! window's rectangles are kept as it drew them; rectangles the engine
//! makes (a quote given on the command line, a highlight carried over to a
//! new version) come from the positions of the page's characters.
//!
//! Reading a PDF's pages takes a while for a long paper, so the pages of
//! the last PDF read are kept, keyed by the file's path, size and time.

use std::sync::Arc;

use super::*;
use crate::anchor;
use crate::export::pdf_annots::{OutAnnotation, OutKind};
use crate::import::pdf::pages::{PageText, Rect, page_texts};
use crate::model::{
    AnnotationKind, LinkKind, PdfAnnotationsRead, PdfInfo, PdfRect, PdfReplaced, PdfSelection,
};

/// The pages of the PDF read last.
pub(super) struct CachedPdf {
    path: PathBuf,
    len: u64,
    modified: Option<std::time::SystemTime>,
    hash: String,
    pages: Arc<Vec<PageText>>,
}

/// A PDF with its pages read: the attachment's link, its hash and pages.
struct ReadPdf {
    link: String,
    hash: String,
    pages: Arc<Vec<PageText>>,
}

/// The BLAKE3 hash of a file's bytes, in hex (what `file_hash` holds).
fn hash_of(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// `rects` of a page's text range as the model keeps them.
fn model_rects(page: &PageText, start: usize, end: usize) -> Vec<PdfRect> {
    page.rects(start, end)
        .into_iter()
        .filter_map(|r| PdfRect::checked(r.x0, r.y0, r.x1, r.y1))
        .collect()
}

/// The context of `start..end` in `text` (characters), as an annotation's
/// quote keeps it.
fn quote_in(text: &str, exact: &str, start: usize, end: usize) -> TextQuote {
    let len = text.chars().count();
    let b = |c: usize| crate::text::char_to_byte(text, c.min(len));
    TextQuote {
        exact: exact.to_string(),
        prefix: text[b(start.saturating_sub(QUOTE_CONTEXT_CHARS))..b(start)].to_string(),
        suffix: text[b(end)..b(end + QUOTE_CONTEXT_CHARS)].to_string(),
    }
}

/// Every page's text one after the other (a blank line between pages),
/// with where each page starts, so a quote can be looked for across a
/// whole document and the place found mapped back to a page.
struct Joined {
    text: String,
    /// Character offset of each page's text in `text`.
    starts: Vec<usize>,
}

/// A whole document prepared once for placing many quotes in it.
struct Prepared {
    joined: Joined,
    haystack: anchor::Haystack,
}

impl Joined {
    fn new(pages: &[PageText]) -> Joined {
        let mut text = String::new();
        let mut starts = Vec::with_capacity(pages.len());
        let mut at = 0;
        for p in pages {
            if !text.is_empty() {
                text.push_str("\n\n");
                at += 2;
            }
            starts.push(at);
            text.push_str(&p.text);
            at += p.text.chars().count();
        }
        Joined { text, starts }
    }

    /// The page index and page-relative offset of document offset `at`.
    fn locate(&self, at: usize) -> (usize, usize) {
        let i = self.starts.partition_point(|&s| s <= at).saturating_sub(1);
        (i, at - self.starts.get(i).copied().unwrap_or(0))
    }
}

impl Library {
    /// The link of the paper's PDF attachment: `file` when it is one of
    /// the paper's PDF links, else its first PDF inside the library.
    fn pdf_link(&self, paper_id: &str, file: Option<&str>) -> Result<String> {
        let links = store::papers::links(&self.conn, paper_id)?;
        let citekey = store::papers::row(&self.conn, paper_id)?.citekey;
        let inside = |url: &str| url.starts_with(&format!("{ATTACHMENTS_DIR}/"));
        let found = match file {
            Some(f) => links.iter().find(|l| l.url == f && inside(&l.url)),
            None => links
                .iter()
                .find(|l| l.kind == LinkKind::Pdf && inside(&l.url)),
        };
        found.map(|l| l.url.clone()).ok_or_else(|| match file {
            Some(f) => Error::Invalid(format!("{f}: not a PDF attachment of paper `{citekey}`")),
            None => Error::Invalid(format!("paper `{citekey}` has no PDF in the library")),
        })
    }

    /// The pages of the attachment `link`, read once per version of the
    /// file.
    fn read_pdf(&mut self, link: &str) -> Result<ReadPdf> {
        let path = self.attachment_pdf_path(link)?;
        let meta = std::fs::metadata(&path).map_err(|e| Error::io(&path, e))?;
        let modified = meta.modified().ok();
        if let Some(c) = &self.pdf_cache
            && c.path == path
            && c.len == meta.len()
            && c.modified == modified
        {
            return Ok(ReadPdf {
                link: link.to_string(),
                hash: c.hash.clone(),
                pages: c.pages.clone(),
            });
        }
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let hash = hash_of(&bytes);
        let pages = Arc::new(page_texts(&bytes).map_err(|e| e.in_file(&path))?);
        self.pdf_cache = Some(CachedPdf {
            path,
            len: meta.len(),
            modified,
            hash: hash.clone(),
            pages: pages.clone(),
        });
        Ok(ReadPdf {
            link: link.to_string(),
            hash,
            pages,
        })
    }

    /// Reads a paper's PDF ahead of highlighting it (the window calls this
    /// when it shows the PDF, so the first highlight is stored at once).
    pub fn prepare_pdf(&mut self, key: &str, file: Option<&str>) -> Result<PdfInfo> {
        let id = self.resolve(key)?;
        let link = self.pdf_link(&id, file)?;
        let pdf = self.read_pdf(&link)?;
        Ok(PdfInfo {
            file: pdf.link,
            hash: pdf.hash,
            pages: pdf.pages.len() as u32,
            has_text: pdf.pages.iter().any(|p| !p.text.trim().is_empty()),
        })
    }

    /// Highlights a selection (or an area) on a page of the paper's PDF.
    pub fn annotate_pdf(
        &mut self,
        key: &str,
        selection: &PdfSelection,
        comment: Option<&str>,
        color: Option<&str>,
    ) -> Result<Annotation> {
        let id = self.resolve(key)?;
        let link = self.pdf_link(&id, Some(&selection.file))?;
        let color = super::edit::resolve_color(color)?;
        let pdf = self.read_pdf(&link)?;
        let page_count = pdf.pages.len();
        let page = usize::try_from(selection.page)
            .ok()
            .and_then(|p| p.checked_sub(1))
            .and_then(|i| pdf.pages.get(i))
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "page {} is not in {link} ({page_count} pages)",
                    selection.page
                ))
            })?;
        let exact = selection.exact.trim();
        if selection.kind == AnnotationKind::Text && exact.is_empty() {
            return Err(Error::Invalid("the selection holds no text".into()));
        }
        if selection.rects.is_empty() || selection.rects.len() > 1000 {
            return Err(Error::Invalid(format!(
                "a highlight on page {} needs 1 to 1,000 rectangles",
                selection.page
            )));
        }
        let rects: Vec<PdfRect> = selection
            .rects
            .iter()
            .map(|r| PdfRect::checked(r.x0, r.y0, r.x1, r.y1))
            .collect::<Option<_>>()
            .ok_or_else(|| Error::Invalid("a rectangle is not four finite numbers".into()))?;
        let (quote, position) = match selection.kind {
            AnnotationKind::Area => {
                // Listed in reading order at the first text below its top.
                let at = reading_place(page, &rects);
                (
                    TextQuote {
                        exact: String::new(),
                        prefix: String::new(),
                        suffix: String::new(),
                    },
                    TextPosition { start: at, end: at },
                )
            }
            AnnotationKind::Text => {
                let wanted = TextQuote {
                    exact: exact.to_string(),
                    prefix: selection.prefix.clone(),
                    suffix: selection.suffix.clone(),
                };
                match anchor::place(&page.text, &wanted, None) {
                    Some(at) => (
                        quote_in(&page.text, exact, at.start, at.end),
                        TextPosition {
                            start: at.start,
                            end: at.end,
                        },
                    ),
                    // The engine reads this page differently: the quote is
                    // kept as the window saw it, with its context.
                    None => (wanted, TextPosition { start: 0, end: 0 }),
                }
            }
        };
        let now = now();
        let annotation = Annotation {
            kind: selection.kind,
            page: Some(selection.page),
            file: Some(pdf.link.clone()),
            file_hash: Some(pdf.hash.clone()),
            rects,
            ..Annotation::on_abstract(
                store::new_id(),
                id,
                quote,
                position,
                color.to_string(),
                comment.map(str::to_string).filter(|c| !c.trim().is_empty()),
                &now,
            )
        };
        self.store_annotation(annotation)
    }

    /// Highlights the first occurrence of `quote` in the text of the
    /// paper's PDF (what `lectern annotate --quote` does when the abstract
    /// does not hold the quote). `None` when the paper has no PDF or its
    /// text does not hold the quote.
    pub(super) fn annotate_pdf_quote(
        &mut self,
        paper_id: &str,
        quote: &str,
        comment: Option<&str>,
        color: &str,
    ) -> Result<Option<Annotation>> {
        let Ok(link) = self.pdf_link(paper_id, None) else {
            return Ok(None);
        };
        let pdf = self.read_pdf(&link)?;
        let joined = Joined::new(&pdf.pages);
        let wanted = TextQuote {
            exact: quote.to_string(),
            prefix: String::new(),
            suffix: String::new(),
        };
        let Some(at) = anchor::place(&joined.text, &wanted, None)
            .filter(|at| matches!(at.how, anchor::How::Exact))
        else {
            return Ok(None);
        };
        let (i, start) = joined.locate(at.start);
        let Some(page) = pdf.pages.get(i) else {
            return Ok(None);
        };
        let end = (start + (at.end - at.start)).min(page.text.chars().count());
        let now = now();
        let annotation = Annotation {
            page: Some(i as u32 + 1),
            file: Some(pdf.link.clone()),
            file_hash: Some(pdf.hash.clone()),
            rects: model_rects(page, start, end),
            ..Annotation::on_abstract(
                store::new_id(),
                paper_id.to_string(),
                quote_in(&page.text, quote, start, end),
                TextPosition { start, end },
                color.to_string(),
                comment.map(str::to_string).filter(|c| !c.trim().is_empty()),
                &now,
            )
        };
        self.store_annotation(annotation).map(Some)
    }

    fn store_annotation(&mut self, annotation: Annotation) -> Result<Annotation> {
        self.write(|tx| {
            store::annotations::insert(tx, &annotation)?;
            store::papers::touch(tx, &annotation.paper_id, &annotation.updated)?;
            store::pending::mark(tx, &annotation.paper_id)?;
            Ok(annotation.clone())
        })
    }

    /// Makes `file` the paper's PDF in place of the one it has (a new
    /// version: arXiv v1 → v3, preprint → published). The file is copied
    /// into `attachments/<citekey>/`; the old file stays there, no longer
    /// linked. Each highlight of the old version is looked for in the new
    /// one by its quote (exact with its context first, then allowing small
    /// edits) and moved there; one that cannot be placed is kept and
    /// marked, never deleted.
    pub fn replace_pdf(&mut self, key: &str, file: &Path) -> Result<PdfReplaced> {
        let id = self.resolve(key)?;
        let old = self.pdf_link(&id, None).ok();
        let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
        if !crate::import::pdf::is_pdf(&bytes) {
            return Err(Error::Invalid(format!("{}: not a PDF", file.display())));
        }
        let hash = hash_of(&bytes);
        let pages = page_texts(&bytes).map_err(|e| e.in_file(file))?;
        let citekey = store::papers::row(&self.conn, &id)?.citekey;
        let name = file
            .file_name()
            .map(|n| crate::paths::safe_file_name(&n.to_string_lossy()))
            .unwrap_or_else(|| "paper.pdf".into());
        let folder = crate::paths::key_file_stem(&citekey);
        let mut link = format!("{ATTACHMENTS_DIR}/{folder}/{name}");
        let dest_dir = self.root.join(ATTACHMENTS_DIR).join(&folder);
        std::fs::create_dir_all(&dest_dir).map_err(|e| Error::io(&dest_dir, e))?;
        crate::paths::ensure_dir_inside(&self.root, &dest_dir)?;
        let same_file = |path: &Path| std::fs::read(path).is_ok_and(|b| hash_of(&b) == hash);
        if self.root.join(&link).exists() && !same_file(&self.root.join(&link)) {
            // The new version has the old one's name: it gets its own.
            let stem = name.strip_suffix(".pdf").unwrap_or(&name);
            link = format!("{ATTACHMENTS_DIR}/{folder}/{stem}-{}.pdf", &hash[..8]);
        }
        let dest = self.root.join(&link);
        if !dest.exists() {
            crate::fsutil::write_atomic(&dest, &bytes)?;
        }
        let fulltext =
            crate::import::pdf::read_pdf(&bytes, &file.display().to_string(), "").full_text;
        let joined = Joined::new(&pages);
        let prepared = Prepared {
            haystack: anchor::Haystack::new(&joined.text),
            joined,
        };
        let now = now();
        let report = self.write(|tx| {
            let mut links = store::papers::links(tx, &id)?;
            links.retain(|l| Some(&l.url) != old.as_ref() && l.url != link);
            links.insert(
                0,
                crate::model::Link {
                    url: link.clone(),
                    kind: LinkKind::Pdf,
                },
            );
            store::papers::set_links(tx, &id, &links)?;
            if !fulltext.trim().is_empty() {
                store::papers::set_fulltext(tx, &id, &fulltext)?;
            }
            let mut report = PdfReplaced {
                file: link.clone(),
                ..PdfReplaced::default()
            };
            for a in store::annotations::for_paper(tx, &id)? {
                if a.page.is_none() || (a.file.is_some() && a.file != old) {
                    continue;
                }
                report.highlights += 1;
                let next = carry_over(&a, &pages, &prepared, &link, &hash, &now);
                if next.placed {
                    report.placed += 1;
                } else {
                    report.unplaced.push(a.id.clone());
                }
                store::annotations::replace(tx, &next)?;
            }
            store::papers::touch(tx, &id, &now)?;
            store::pending::mark(tx, &id)?;
            Ok(report)
        })?;
        self.pdf_cache = None;
        Ok(report)
    }

    /// Reads the annotations another reader stored in the paper's PDF
    /// (highlights, underlines, strike-outs, sticky notes, squares) into
    /// the library. One already there (same page, kind, quote and place)
    /// is not added again.
    pub fn read_pdf_annotations(&mut self, key: &str) -> Result<PdfAnnotationsRead> {
        let id = self.resolve(key)?;
        let link = self.pdf_link(&id, None)?;
        self.read_annotations_from(&id, &link)
    }

    /// After an import: the annotations stored in the PDFs it copied into
    /// the library (`copied`) become highlights of the papers (`ids`) that
    /// link them. A PDF whose annotations cannot be read is reported as a
    /// problem; the import itself stands.
    pub(super) fn read_imported_annotations(
        &mut self,
        ids: &[String],
        copied: &[PathBuf],
        report: &mut crate::model::ImportReport,
    ) {
        for id in ids {
            let Ok(links) = store::papers::links(&self.conn, id) else {
                continue;
            };
            for link in links {
                if !copied.contains(&self.root.join(&link.url)) {
                    continue;
                }
                match self.read_annotations_from(id, &link.url) {
                    Ok(read) => report.highlights_read += read.added,
                    Err(e) => report.problems.push(crate::model::Problem {
                        location: link.url.clone(),
                        message: format!("its annotations could not be read: {e}"),
                    }),
                }
            }
        }
    }

    fn read_annotations_from(&mut self, id: &str, link: &str) -> Result<PdfAnnotationsRead> {
        let path = self.attachment_pdf_path(link)?;
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let found =
            crate::import::pdf::annots::read_annotations(&bytes).map_err(|e| e.in_file(&path))?;
        let mut report = PdfAnnotationsRead {
            file: link.to_string(),
            found: found.len(),
            added: 0,
        };
        // Most imported PDFs hold none: their pages are not read again.
        if found.is_empty() {
            return Ok(report);
        }
        let pdf = self.read_pdf(link)?;
        let now = now();
        let stored = store::annotations::for_paper(&self.conn, id)?;
        let mut new = Vec::new();
        for f in found {
            let a = from_pdf_annotation(&f, id, &pdf, &now);
            let known = stored
                .iter()
                .chain(new.iter())
                .any(|s| same_highlight(s, &a));
            if !known {
                new.push(a);
            }
        }
        report.added = new.len();
        if new.is_empty() {
            return Ok(report);
        }
        self.write(|tx| {
            for a in &new {
                store::annotations::insert(tx, a)?;
            }
            store::papers::touch(tx, id, &now)?;
            store::pending::mark(tx, id)
        })?;
        Ok(report)
    }

    /// Writes a copy of the paper's PDF with its highlights as standard
    /// PDF annotations (Highlight with QuadPoints, Square for areas, the
    /// comment in `/Contents`) to `out`. The attachment is not modified.
    /// Returns how many annotations the copy holds.
    pub fn export_pdf(&mut self, key: &str, out: &Path) -> Result<usize> {
        let id = self.resolve(key)?;
        let link = self.pdf_link(&id, None)?;
        let path = self.attachment_pdf_path(&link)?;
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let annotations: Vec<_> = store::annotations::for_paper(&self.conn, &id)?
            .into_iter()
            .filter(|a| a.page.is_some() && a.placed && !a.rects.is_empty())
            .filter(|a| a.file.as_deref().is_none_or(|f| f == link))
            .map(|a| out_annotation(&a))
            .collect();
        let copy = crate::export::pdf_annots::with_annotations(&bytes, &annotations)
            .map_err(|e| e.in_file(&path))?;
        crate::fsutil::write_atomic(out, &copy)?;
        Ok(annotations.len())
    }
}

/// Where an area on `page` comes in the page's reading order: the first
/// character drawn below the area's top (in the order the page draws its
/// text), or the end of the page.
fn reading_place(page: &PageText, rects: &[PdfRect]) -> usize {
    let top = rects.iter().map(|r| r.y1).fold(f64::MIN, f64::max);
    page.boxes
        .iter()
        .position(|b| !b.synthetic && (b.rect.y0 + b.rect.y1) / 2.0 < top)
        .unwrap_or(page.boxes.len())
}

/// A highlight as the PDF writer takes it.
fn out_annotation(a: &Annotation) -> OutAnnotation {
    OutAnnotation {
        page: a.page.unwrap_or(1),
        kind: match a.kind {
            AnnotationKind::Text => OutKind::Highlight,
            AnnotationKind::Area => OutKind::Area,
        },
        rects: a
            .rects
            .iter()
            .map(|r| Rect::new(r.x0, r.y0, r.x1, r.y1))
            .collect(),
        color: crate::model::palette_rgb(&a.color),
        comment: a.comment.clone(),
        id: a.id.clone(),
        modified: a.updated.clone(),
    }
}

/// Where highlight `a` goes in a new version of its PDF (`pages`).
fn carry_over(
    a: &Annotation,
    pages: &[PageText],
    prepared: &Prepared,
    link: &str,
    hash: &str,
    now: &str,
) -> Annotation {
    let moved = |page: u32, quote: TextQuote, position: TextPosition, rects, placed| Annotation {
        page: Some(page),
        quote,
        position,
        rects,
        placed,
        file: Some(link.to_string()),
        file_hash: Some(hash.to_string()),
        updated: now.to_string(),
        ..a.clone()
    };
    let old_page = a.page.unwrap_or(1);
    if a.kind == AnnotationKind::Area || a.quote.exact.trim().is_empty() {
        // An area has no text to follow: it stays where it was when the
        // new version has that page.
        let placed = (old_page as usize) <= pages.len();
        return moved(
            old_page,
            a.quote.clone(),
            a.position,
            a.rects.clone(),
            placed,
        );
    }
    let joined = &prepared.joined;
    let hint = joined
        .starts
        .get((old_page as usize).saturating_sub(1))
        .map(|s| s + a.position.start);
    match prepared.haystack.place(&a.quote, hint) {
        Some(at) => {
            let (i, start) = joined.locate(at.start);
            let page = &pages[i];
            let end = (start + (at.end - at.start)).min(page.text.chars().count());
            // The quote stays as the person highlighted it when the new
            // version holds it (line breaks aside); an edited one is taken
            // as it now reads.
            let exact: String = match at.how {
                anchor::How::Exact => a.quote.exact.clone(),
                anchor::How::Fuzzy { .. } => {
                    page.text.chars().skip(start).take(end - start).collect()
                }
            };
            moved(
                i as u32 + 1,
                quote_in(&page.text, &exact, start, end),
                TextPosition { start, end },
                model_rects(page, start, end),
                true,
            )
        }
        None => moved(
            old_page,
            a.quote.clone(),
            a.position,
            a.rects.clone(),
            false,
        ),
    }
}

/// An annotation read from a PDF as a Lectern highlight.
fn from_pdf_annotation(
    f: &crate::import::pdf::annots::PdfAnnotation,
    paper_id: &str,
    pdf: &ReadPdf,
    now: &str,
) -> Annotation {
    let page = (f.page as usize)
        .checked_sub(1)
        .and_then(|i| pdf.pages.get(i));
    let is_area = f.quote.trim().is_empty();
    let (quote, position) = match page.filter(|_| !is_area) {
        Some(p) => {
            let wanted = TextQuote {
                exact: f.quote.clone(),
                prefix: String::new(),
                suffix: String::new(),
            };
            match anchor::place(&p.text, &wanted, None) {
                Some(at) => (
                    quote_in(&p.text, &f.quote, at.start, at.end),
                    TextPosition {
                        start: at.start,
                        end: at.end,
                    },
                ),
                None => (wanted, TextPosition { start: 0, end: 0 }),
            }
        }
        None => (
            TextQuote {
                exact: f.quote.clone(),
                prefix: String::new(),
                suffix: String::new(),
            },
            TextPosition { start: 0, end: 0 },
        ),
    };
    Annotation {
        kind: if is_area {
            AnnotationKind::Area
        } else {
            AnnotationKind::Text
        },
        page: Some(f.page),
        file: Some(pdf.link.clone()),
        file_hash: Some(pdf.hash.clone()),
        rects: f
            .rects
            .iter()
            .filter_map(|r| PdfRect::checked(r.x0, r.y0, r.x1, r.y1))
            .collect(),
        ..Annotation::on_abstract(
            store::new_id(),
            paper_id.to_string(),
            quote,
            position,
            f.color
                .map(crate::model::nearest_palette_color)
                .unwrap_or("yellow")
                .to_string(),
            f.comment.clone().filter(|c| !c.trim().is_empty()),
            now,
        )
    }
}

/// Whether two highlights are the same one: same page, kind and quote,
/// drawn in (nearly) the same place.
fn same_highlight(a: &Annotation, b: &Annotation) -> bool {
    let near = |x: &PdfRect, y: &PdfRect| {
        (x.x0 - y.x0).abs() < 2.0
            && (x.y0 - y.y0).abs() < 2.0
            && (x.x1 - y.x1).abs() < 2.0
            && (x.y1 - y.y1).abs() < 2.0
    };
    let bounds = |rects: &[PdfRect]| {
        rects.iter().copied().reduce(|u, r| PdfRect {
            x0: u.x0.min(r.x0),
            y0: u.y0.min(r.y0),
            x1: u.x1.max(r.x1),
            y1: u.y1.max(r.y1),
        })
    };
    a.page == b.page
        && a.kind == b.kind
        && crate::text::fold_whitespace(&a.quote.exact)
            == crate::text::fold_whitespace(&b.quote.exact)
        && match (bounds(&a.rects), bounds(&b.rects)) {
            (Some(x), Some(y)) => near(&x, &y),
            (None, None) => true,
            _ => false,
        }
}
