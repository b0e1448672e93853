//! Edits to a library's papers: notes, highlights, links between papers,
//! tags, status, star and corrected metadata.

use super::*;

impl Library {
    // ----- writing ------------------------------------------------------

    /// Adds a Markdown note to a paper.
    pub fn add_note(&mut self, key: &str, body: &str) -> Result<Note> {
        let paper_id = self.resolve(key)?;
        if body.trim().is_empty() {
            return Err(Error::Invalid("note is empty".into()));
        }
        self.write(|tx| {
            let id = store::new_id();
            let now = now();
            store::notes::insert(tx, &id, &paper_id, body, &now)?;
            store::papers::touch(tx, &paper_id, &now)?;
            store::pending::mark(tx, &paper_id)?;
            store::notes::get(tx, &id)
        })
    }

    pub fn update_note(&mut self, note_id: &str, body: &str) -> Result<Note> {
        self.write(|tx| {
            let note = store::notes::get(tx, note_id)?;
            let now = now();
            store::notes::update(tx, note_id, body, &now)?;
            store::papers::touch(tx, &note.paper_id, &now)?;
            store::pending::mark(tx, &note.paper_id)?;
            store::notes::get(tx, note_id)
        })
    }

    pub fn delete_note(&mut self, note_id: &str) -> Result<()> {
        self.write(|tx| {
            let note = store::notes::get(tx, note_id)?;
            store::notes::delete(tx, note_id)?;
            store::papers::touch(tx, &note.paper_id, &now())?;
            store::pending::mark(tx, &note.paper_id)
        })
    }

    /// Highlights the first occurrence of `quote` in the paper's abstract,
    /// else in the text of its PDF (recording the page).
    pub fn annotate(
        &mut self,
        key: &str,
        quote: &str,
        comment: Option<&str>,
        color: Option<&str>,
    ) -> Result<Annotation> {
        let paper = store::papers::row(&self.conn, &self.resolve(key)?)?;
        if quote.is_empty() {
            return Err(Error::Invalid("quote is empty".into()));
        }
        let Some(byte_start) = paper.abstract_text.find(quote) else {
            let color = resolve_color(color)?;
            if let Some(a) = self.annotate_pdf_quote(&paper.id, quote, comment, color)? {
                return Ok(a);
            }
            return Err(Error::Invalid(format!(
                "quote `{}` not found in the text of paper `{}`",
                crate::text::fold_whitespace(quote),
                paper.citekey
            )));
        };
        let start = paper.abstract_text[..byte_start].chars().count();
        let end = start + quote.chars().count();
        self.annotate_range(&paper.id, start, end, comment, color)
    }

    /// Highlights characters `start..end` of the paper's abstract (what the
    /// desktop reader sends for a selection).
    pub fn annotate_range(
        &mut self,
        key: &str,
        start: usize,
        end: usize,
        comment: Option<&str>,
        color: Option<&str>,
    ) -> Result<Annotation> {
        let paper = store::papers::row(&self.conn, &self.resolve(key)?)?;
        let text = &paper.abstract_text;
        let len = text.chars().count();
        if start >= end || end > len {
            return Err(Error::Invalid(format!(
                "highlight range {start}..{end} is outside the text of paper `{}` ({len} characters)",
                paper.citekey
            )));
        }
        let color = resolve_color(color)?;
        let b = |c: usize| crate::text::char_to_byte(text, c);
        let quote = TextQuote {
            exact: text[b(start)..b(end)].to_string(),
            prefix: text[b(start.saturating_sub(QUOTE_CONTEXT_CHARS))..b(start)].to_string(),
            suffix: text[b(end)..b((end + QUOTE_CONTEXT_CHARS).min(len))].to_string(),
        };
        let now = now();
        let annotation = Annotation::on_abstract(
            store::new_id(),
            paper.id.clone(),
            quote,
            TextPosition { start, end },
            color.to_string(),
            comment.map(str::to_string).filter(|c| !c.trim().is_empty()),
            &now,
        );
        self.write(|tx| {
            store::annotations::insert(tx, &annotation)?;
            store::papers::touch(tx, &annotation.paper_id, &now)?;
            store::pending::mark(tx, &annotation.paper_id)?;
            Ok(annotation.clone())
        })
    }

    /// Changes a highlight's color and/or comment (`Some("")` clears it).
    pub fn update_annotation(
        &mut self,
        id: &str,
        comment: Option<&str>,
        color: Option<&str>,
    ) -> Result<Annotation> {
        let color = color.map(|c| resolve_color(Some(c))).transpose()?;
        self.write(|tx| {
            let a = store::annotations::get(tx, id)?;
            let color = color.unwrap_or(&a.color).to_string();
            let comment = match comment {
                Some(c) if c.trim().is_empty() => None,
                Some(c) => Some(c.to_string()),
                None => a.comment.clone(),
            };
            let now = now();
            store::annotations::update(tx, id, &color, comment.as_deref(), &now)?;
            store::papers::touch(tx, &a.paper_id, &now)?;
            store::pending::mark(tx, &a.paper_id)?;
            store::annotations::get(tx, id)
        })
    }

    pub fn delete_annotation(&mut self, id: &str) -> Result<()> {
        self.write(|tx| {
            let a = store::annotations::get(tx, id)?;
            store::annotations::delete(tx, id)?;
            store::papers::touch(tx, &a.paper_id, &now())?;
            store::pending::mark(tx, &a.paper_id)
        })
    }

    /// Links two papers with a typed relation (`related`, `cites`,
    /// `extends`, `contradicts` or any word). Returns whether it was new.
    pub fn link(&mut self, from: &str, to: &str, kind: &str) -> Result<bool> {
        let src = self.resolve(from)?;
        let dst = self.resolve(to)?;
        if src == dst {
            return Err(Error::Invalid(format!(
                "cannot link paper `{from}` to itself"
            )));
        }
        let kind = normalize_relation_kind(kind)?;
        self.write(|tx| {
            let now = now();
            let new = store::relations::insert(tx, &src, &dst, &kind, &now)?;
            store::papers::touch(tx, &src, &now)?;
            store::papers::touch(tx, &dst, &now)?;
            Ok(new)
        })
    }

    /// Removes relations between two papers (either direction). Returns how
    /// many were removed; none is an error.
    pub fn unlink(&mut self, a: &str, b: &str, kind: Option<&str>) -> Result<usize> {
        let a_id = self.resolve(a)?;
        let b_id = self.resolve(b)?;
        let n = self.write(|tx| {
            let n = store::relations::delete(tx, &a_id, &b_id, kind)?;
            if n > 0 {
                let now = now();
                store::papers::touch(tx, &a_id, &now)?;
                store::papers::touch(tx, &b_id, &now)?;
            }
            Ok(n)
        })?;
        if n == 0 {
            return Err(Error::NotFound {
                what: "relation between",
                id: format!("{a}` and `{b}"),
            });
        }
        Ok(n)
    }

    /// Adds tags (lowercased, trimmed). Returns the paper's tags.
    pub fn tag(&mut self, key: &str, tags: &[String]) -> Result<Vec<String>> {
        let id = self.resolve(key)?;
        let tags = normalize_tags(tags)?;
        self.write(|tx| {
            for t in &tags {
                store::papers::add_tag(tx, &id, t)?;
            }
            store::papers::touch(tx, &id, &now())?;
            store::pending::mark(tx, &id)?;
            store::papers::tags(tx, &id)
        })
    }

    pub fn untag(&mut self, key: &str, tags: &[String]) -> Result<Vec<String>> {
        let id = self.resolve(key)?;
        let tags = normalize_tags(tags)?;
        self.write(|tx| {
            for t in &tags {
                store::papers::remove_tag(tx, &id, t)?;
            }
            store::papers::touch(tx, &id, &now())?;
            store::pending::mark(tx, &id)?;
            store::papers::tags(tx, &id)
        })
    }

    pub fn set_status(&mut self, key: &str, status: Status) -> Result<()> {
        let id = self.resolve(key)?;
        self.write(|tx| {
            store::papers::set_status(tx, &id, status)?;
            store::papers::touch(tx, &id, &now())?;
            store::pending::mark(tx, &id)
        })
    }

    /// Corrects a paper's title, authors, year, venue, DOI and arXiv id.
    /// The rest (abstract, links, tags, notes, highlights) stays.
    pub fn edit_paper(&mut self, key: &str, edit: &crate::model::PaperEdit) -> Result<Paper> {
        let id = self.resolve(key)?;
        let clean = |s: &Option<String>| {
            s.as_deref()
                .map(crate::text::fold_whitespace)
                .filter(|s| !s.is_empty())
        };
        let title = crate::text::fold_whitespace(&edit.title);
        if title.is_empty() {
            return Err(Error::Invalid("a paper needs a title".into()));
        }
        if let Some(y) = edit.year
            && !(1000..=2999).contains(&y)
        {
            return Err(Error::Invalid(format!("year {y} is not a year")));
        }
        let current = store::papers::load(&self.conn, &id)?;
        let next = NewPaper {
            title,
            abstract_text: current.abstract_text,
            authors: edit
                .authors
                .iter()
                .map(|a| crate::text::fold_whitespace(a))
                .filter(|a| !a.is_empty())
                .collect(),
            year: edit.year,
            doi: clean(&edit.doi).map(|d| store::papers::normalize_doi(&d)),
            arxiv: clean(&edit.arxiv),
            links: current.links,
            tags: current.tags,
            venue: clean(&edit.venue),
            entry_type: current.entry_type,
            extra: current.extra,
            ..NewPaper::default()
        };
        self.write(|tx| {
            store::papers::replace_metadata(tx, &id, &next)?;
            store::papers::touch(tx, &id, &now())?;
            store::pending::mark(tx, &id)?;
            store::papers::load(tx, &id)
        })
    }

    pub fn set_starred(&mut self, key: &str, starred: bool) -> Result<()> {
        let id = self.resolve(key)?;
        self.write(|tx| {
            store::papers::set_starred(tx, &id, starred)?;
            store::papers::touch(tx, &id, &now())
        })
    }
}

pub(super) fn resolve_color(color: Option<&str>) -> Result<&'static str> {
    match color {
        None => Ok("yellow"),
        Some(c) => crate::model::palette_color(c).ok_or_else(|| {
            let names: Vec<&str> = crate::model::PALETTE.iter().map(|(n, _)| *n).collect();
            Error::Invalid(format!(
                "unknown highlight color `{c}` (use one of {})",
                names.join(", ")
            ))
        }),
    }
}

fn normalize_relation_kind(kind: &str) -> Result<String> {
    let k = kind.trim().to_lowercase();
    if k.is_empty()
        || !k
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Error::Invalid(format!(
            "relation kind `{kind}` must be one word (related, cites, extends, contradicts, …)"
        )));
    }
    Ok(k)
}

fn normalize_tags(tags: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for t in tags {
        let t = t.trim().trim_start_matches('#').to_lowercase();
        if t.is_empty() || t.chars().any(char::is_whitespace) {
            return Err(Error::Invalid(format!(
                "tag `{t}` must be one word without spaces"
            )));
        }
        out.push(t);
    }
    if out.is_empty() {
        return Err(Error::Invalid("no tags given".into()));
    }
    Ok(out)
}
