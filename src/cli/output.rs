//! Human and JSON renderings of command results.

use std::io::Write;

use serde::Serialize;

use crate::model::{
    Annotation, AnnotationKind, ImportReport, MarkedText, Note, Paper, Related, SearchHit,
};

pub struct Output {
    json: bool,
    color: bool,
}

pub fn print_json<T: Serialize + ?Sized>(v: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, v)?;
    writeln!(out)?;
    Ok(())
}

/// A marked text for a terminal: matched words in bold, or `[word]`
/// without color.
fn for_terminal(m: &MarkedText, color: bool) -> String {
    let (on, off) = if color {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    m.render(on, off, str::to_string)
}

/// A marked text as HTML: escaped, matched words in `<b>…</b>`.
fn as_html(m: &MarkedText) -> String {
    m.render("<b>", "</b>", escape_html)
}

/// Escapes `<`, `>`, `&` and quotes for HTML text.
fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A search hit as `--json` prints it: the title and snippet as HTML
/// (escaped, matched words in `<b>…</b>`) as scripts have always read
/// them, and as the engine's pieces beside them.
#[derive(Serialize)]
struct JsonHit<'a> {
    id: &'a str,
    citekey: &'a str,
    title: &'a str,
    title_html: String,
    score: f32,
    snippet: String,
    title_marked: &'a MarkedText,
    snippet_marked: &'a MarkedText,
    matched: &'a [String],
    missing: &'a [String],
    by_meaning: bool,
}

impl<'a> JsonHit<'a> {
    fn new(h: &'a SearchHit) -> JsonHit<'a> {
        JsonHit {
            id: &h.id,
            citekey: &h.citekey,
            title: &h.title,
            title_html: as_html(&h.title_marked),
            score: h.score,
            snippet: as_html(&h.snippet),
            title_marked: &h.title_marked,
            snippet_marked: &h.snippet,
            matched: &h.matched,
            missing: &h.missing,
            by_meaning: h.by_meaning,
        }
    }
}

/// `-kind->` for a relation this paper made, `<-kind-` for one made to it.
fn arrow(r: &crate::model::Relation) -> String {
    match r.direction {
        crate::model::Direction::Outgoing => format!("-{}->", r.kind),
        crate::model::Direction::Incoming => format!("<-{}-", r.kind),
    }
}

impl Output {
    pub fn new(json: bool, color: bool) -> Output {
        Output { json, color }
    }

    pub fn done<T: Serialize>(&self, value: &T, text: &str) -> anyhow::Result<()> {
        if self.json {
            print_json(value)
        } else {
            println!("{text}");
            Ok(())
        }
    }

    pub fn import(&self, r: &ImportReport) -> anyhow::Result<()> {
        if self.json {
            return print_json(r);
        }
        let mut summary = format!(
            "Imported: {} added, {} merged, {} already in the library",
            r.added, r.merged, r.skipped
        );
        if r.rejected > 0 {
            summary.push_str(&format!(", {} not imported", r.rejected));
        }
        if r.highlights_read > 0 {
            summary.push_str(&format!(
                "; {} highlight{} read from the PDFs' annotations",
                r.highlights_read,
                if r.highlights_read == 1 { "" } else { "s" }
            ));
        }
        println!("{summary}");
        for m in &r.merges {
            let alias = m
                .alias
                .as_deref()
                .map(|a| format!("; `{a}` kept as an alias"))
                .unwrap_or_default();
            println!(
                "merged {} into {} ({}{alias})",
                m.source, m.citekey, m.reason
            );
        }
        for p in &r.problems {
            eprintln!("warning: {}: {}", p.location, p.message);
        }
        Ok(())
    }

    pub fn list(&self, papers: &[Paper]) -> anyhow::Result<()> {
        if self.json {
            return print_json(papers);
        }
        let mut out = std::io::stdout().lock();
        for p in papers {
            writeln!(out, "{:<36} {:<7} {}", p.citekey, p.status, p.title)?;
        }
        Ok(())
    }

    /// Papers one line each, for people (`--json` prints [`Output::list`]).
    pub fn listed(&self, papers: &[crate::views::Listed]) -> anyhow::Result<()> {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        for p in papers {
            writeln!(out, "{:<36} {:<7} {}", p.citekey, p.status, p.title)?;
        }
        out.flush()?;
        Ok(())
    }

    /// Whether output is JSON.
    pub fn is_json(&self) -> bool {
        self.json
    }

    pub fn paper(&self, p: &Paper) -> anyhow::Result<()> {
        if self.json {
            return print_json(p);
        }
        println!("{}", p.title);
        println!("  citekey: {}   id: {}", p.citekey, p.id);
        if !p.aliases.is_empty() {
            println!("  aliases: {}", p.aliases.join(", "));
        }
        if !p.authors.is_empty() {
            println!("  authors: {}", p.authors.join(", "));
        }
        if let Some(y) = p.year {
            println!("  year:    {y}");
        }
        if let Some(v) = &p.venue {
            println!("  venue:   {v}");
        }
        if let Some(a) = &p.arxiv {
            println!("  arXiv:   {a}");
        }
        if let Some(d) = &p.doi {
            println!("  doi:     {d}");
        }
        if !p.filled_from.is_empty() {
            let sources: Vec<String> = p
                .filled_from
                .iter()
                .map(|f| {
                    format!(
                        "{} ({}, {})",
                        f.field,
                        f.source,
                        f.at.get(..10).unwrap_or(&f.at)
                    )
                })
                .collect();
            println!("  from the web: {}", sources.join(", "));
        }
        println!(
            "  status:  {}{}",
            p.status,
            if p.starred { " ★" } else { "" }
        );
        if !p.tags.is_empty() {
            println!("  tags:    {}", p.tags.join(", "));
        }
        for l in &p.links {
            println!("  {:<8} {}", format!("{}:", l.kind), l.url);
        }
        println!("\n{}\n", p.abstract_text);
        if !p.annotations.is_empty() {
            println!("Highlights:");
            for a in &p.annotations {
                let place = match (a.page, a.kind) {
                    (Some(page), AnnotationKind::Area) => format!("area on p. {page}"),
                    (Some(page), AnnotationKind::Text) => format!("p. {page}"),
                    (None, _) => "abstract".to_string(),
                };
                let unplaced = if a.placed {
                    ""
                } else {
                    ", not placed in this version"
                };
                println!(
                    "  [{}] \"{}\" ({place}{unplaced}, {})",
                    a.color,
                    crate::text::fold_whitespace(&a.quote.exact),
                    a.id
                );
                if let Some(c) = &a.comment {
                    println!("      {c}");
                }
            }
        }
        if !p.relations.is_empty() {
            println!("Links:");
            for r in &p.relations {
                println!("  {} {} {}", arrow(r), r.other_citekey, r.other_title);
            }
        }
        if !p.notes.is_empty() {
            println!("Notes:");
            for n in &p.notes {
                println!("  ({}) {}", n.id, n.body.replace('\n', "\n    "));
            }
        }
        Ok(())
    }

    pub fn search(&self, hits: &[SearchHit]) -> anyhow::Result<()> {
        if self.json {
            let hits: Vec<JsonHit> = hits.iter().map(JsonHit::new).collect();
            return print_json(&hits);
        }
        let mut out = std::io::stdout().lock();
        if hits.is_empty() {
            writeln!(out, "No papers match.")?;
        }
        for h in hits {
            writeln!(out, "{:<36} {:>6.2}  {}", h.citekey, h.score, h.title)?;
            writeln!(out, "    {}", for_terminal(&h.snippet, self.color))?;
            if h.by_meaning {
                writeln!(out, "    (similar in meaning)")?;
            } else if !h.missing.is_empty() {
                // Best match lists papers holding only some of the words;
                // say which ones this one lacks.
                let (on, off) = if self.color {
                    ("\x1b[2m", "\x1b[0m")
                } else {
                    ("", "")
                };
                writeln!(out, "    {on}missing: {}{off}", h.missing.join(", "))?;
            }
        }
        Ok(())
    }

    pub fn related(&self, r: &Related) -> anyhow::Result<()> {
        if self.json {
            return print_json(&r.suggestions);
        }
        println!("Similar papers:");
        for h in &r.suggestions {
            println!("  {:<36} {:>6.2}  {}", h.citekey, h.score, h.title);
            if !h.terms.is_empty() {
                println!("      shared: {}", h.terms.join(", "));
            }
            if let Some(sentence) = &h.sentence {
                println!("      similar in meaning: “{sentence}”");
            }
        }
        if !r.relations.is_empty() {
            println!("Your links:");
            for rel in &r.relations {
                println!("  {} {} {}", arrow(rel), rel.other_citekey, rel.other_title);
            }
        }
        Ok(())
    }

    pub fn note(&self, n: &Note) -> anyhow::Result<()> {
        self.done(n, &format!("Added note {}", n.id))
    }

    pub fn notes(&self, notes: &[Note]) -> anyhow::Result<()> {
        if self.json {
            return print_json(notes);
        }
        for n in notes {
            println!("({}) {}\n{}\n", n.id, n.updated, n.body);
        }
        Ok(())
    }

    pub fn annotation(&self, a: &Annotation) -> anyhow::Result<()> {
        self.done(
            a,
            &format!(
                "Highlighted {}..{}{} in {} ({})",
                a.position.start,
                a.position.end,
                a.page.map(|p| format!(" on p. {p}")).unwrap_or_default(),
                a.color,
                a.id
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked() -> MarkedText {
        let mut m = MarkedText::plain("…a <b> & \"q\" 's' ");
        m.push("masked", true);
        m.push(" ", false);
        m.push("autoencoder", true);
        m.push("…", false);
        m
    }

    #[test]
    fn terminals_see_brackets_or_bold() {
        assert_eq!(
            for_terminal(&marked(), false),
            "…a <b> & \"q\" 's' [masked] [autoencoder]…"
        );
        assert_eq!(
            for_terminal(&marked(), true),
            "…a <b> & \"q\" 's' \x1b[1mmasked\x1b[0m \x1b[1mautoencoder\x1b[0m…"
        );
    }

    #[test]
    fn json_keeps_escaped_html_with_bold_matches() {
        assert_eq!(
            as_html(&marked()),
            "…a &lt;b&gt; &amp; &quot;q&quot; &#39;s&#39; <b>masked</b> <b>autoencoder</b>…"
        );
    }
}
