//! What each paper is about, in words, for the embedding model: its title
//! and abstract (part 0), and what the reader wrote on it, its notes and
//! highlight comments (part 1, only when there are some).

use rusqlite::Connection;

use crate::error::Result;

/// The part of a paper a vector stands for.
pub const ABOUT: u8 = 0;
/// The reader's own words on the paper.
pub const READER: u8 = 1;

/// Calls `visit(id, part, text)` for every part of every paper, in id
/// order (a paper's parts together).
pub fn for_embedding(
    conn: &Connection,
    mut visit: impl FnMut(&str, u8, &str) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT id, title, abstract,
                (SELECT group_concat(body, char(10)) FROM notes WHERE paper_id = papers.id),
                (SELECT group_concat(comment, char(10)) FROM annotations
                 WHERE paper_id = papers.id AND comment IS NOT NULL AND comment <> '')
         FROM papers ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut about = String::new();
    let mut reader = String::new();
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        about.clear();
        about_text(
            &mut about,
            &row.get::<_, String>(1)?,
            &row.get::<_, String>(2)?,
        );
        visit(&id, ABOUT, &about)?;
        reader.clear();
        for text in [
            row.get::<_, Option<String>>(3)?,
            row.get::<_, Option<String>>(4)?,
        ]
        .into_iter()
        .flatten()
        {
            if !reader.is_empty() {
                reader.push('\n');
            }
            reader.push_str(text.trim());
        }
        if !reader.trim().is_empty() {
            visit(&id, READER, &reader)?;
        }
    }
    Ok(())
}

/// Title and abstract as one text, the way the model reads a paper.
pub fn about_text(out: &mut String, title: &str, abstract_text: &str) {
    out.push_str(title.trim());
    let abstract_text = abstract_text.trim();
    if !abstract_text.is_empty() {
        if !out.ends_with(['.', '?', '!']) {
            out.push('.');
        }
        out.push(' ');
        out.push_str(abstract_text);
    }
}

/// The papers the reader cares about, in import order: starred, annotated
/// or written on.
pub fn favourites(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT id FROM papers WHERE starred = 1
            OR EXISTS (SELECT 1 FROM annotations WHERE paper_id = papers.id)
            OR EXISTS (SELECT 1 FROM notes WHERE paper_id = papers.id)
         ORDER BY seq",
    )?;
    let ids = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(ids)
}
