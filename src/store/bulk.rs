//! Loading many papers at once, for the write-out of a large import: one
//! query per table for a whole batch instead of nine per paper. The result
//! is exactly what [`super::papers::load`] gives for each paper (same
//! orders), so the files written are the same.

use std::collections::HashMap;

use rusqlite::{Connection, params};

use super::papers::{Attached, PaperRow, ROW_COLUMNS, map_row};
use crate::error::Result;
use crate::model::{Link, LinkKind, Paper};

/// Fills `temp.bulk_ids` with `ids` (in order).
fn stage(conn: &Connection, ids: &[String]) -> Result<()> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS bulk_ids (pos INTEGER PRIMARY KEY, id TEXT NOT NULL);
         DELETE FROM temp.bulk_ids;",
    )?;
    let mut ins = conn.prepare_cached("INSERT INTO temp.bulk_ids (pos, id) VALUES (?1, ?2)")?;
    for (i, id) in ids.iter().enumerate() {
        ins.execute(params![i as i64, id])?;
    }
    Ok(())
}

/// Runs `sql` (whose first column is the paper id) and groups what `map`
/// makes of each row by paper.
fn grouped<T>(
    conn: &Connection,
    sql: &str,
    map: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<HashMap<String, Vec<T>>> {
    let mut out: HashMap<String, Vec<T>> = HashMap::new();
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        out.entry(id).or_default().push(map(r)?);
    }
    Ok(out)
}

/// The papers with these ids, in the same order; ids of papers that do not
/// exist are left out.
pub fn load_many(conn: &Connection, ids: &[String]) -> Result<Vec<Paper>> {
    stage(conn, ids)?;
    let result = load_staged(conn);
    conn.execute_batch("DELETE FROM temp.bulk_ids")?;
    result
}

fn load_staged(conn: &Connection) -> Result<Vec<Paper>> {
    let rows: Vec<PaperRow> = {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {} FROM temp.bulk_ids b CROSS JOIN papers p ON p.id = b.id ORDER BY b.pos",
            ROW_COLUMNS
                .split(", ")
                .map(|c| format!("p.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))?;
        stmt.query_map([], map_row)?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut authors = grouped(
        conn,
        "SELECT a.paper_id, a.name FROM temp.bulk_ids b CROSS JOIN authors a ON a.paper_id = b.id
         ORDER BY a.paper_id, a.position",
        |r| r.get::<_, String>(1),
    )?;
    let mut links = grouped(
        conn,
        "SELECT l.paper_id, l.url, l.kind FROM temp.bulk_ids b CROSS JOIN links l ON l.paper_id = b.id
         ORDER BY l.paper_id, l.position",
        |r| {
            let kind: String = r.get(2)?;
            Ok(Link {
                url: r.get(1)?,
                kind: kind.parse().unwrap_or(LinkKind::Other),
            })
        },
    )?;
    let mut tags = grouped(
        conn,
        "SELECT t.paper_id, t.tag FROM temp.bulk_ids b CROSS JOIN tags t ON t.paper_id = b.id
         ORDER BY t.paper_id, t.tag",
        |r| r.get::<_, String>(1),
    )?;
    let mut notes = grouped(
        conn,
        "SELECT n.paper_id, n.id, n.paper_id, n.body, n.created, n.updated
         FROM temp.bulk_ids b CROSS JOIN notes n ON n.paper_id = b.id ORDER BY n.paper_id, n.seq",
        |r| super::notes::map_from(r, 1),
    )?;
    let mut annotations = grouped(
        conn,
        &format!(
            "SELECT a.paper_id, {} FROM temp.bulk_ids b CROSS JOIN annotations a ON a.paper_id = b.id
             ORDER BY a.paper_id, a.page IS NOT NULL, a.page, a.start, a.seq",
            super::annotations::COLUMNS
                .split(", ")
                .map(|c| format!("a.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        |r| super::annotations::map_from(r, 1),
    )?;
    let mut relations = grouped(
        conn,
        "SELECT * FROM (
           SELECT b.id AS me, r.kind, 'outgoing' AS dir, p.id, p.citekey AS key, p.title, r.created AS created
             FROM temp.bulk_ids b CROSS JOIN relations r ON r.src = b.id JOIN papers p ON p.id = r.dst
           UNION ALL
           SELECT b.id, r.kind, 'incoming', p.id, p.citekey, p.title, r.created
             FROM temp.bulk_ids b CROSS JOIN relations r ON r.dst = b.id JOIN papers p ON p.id = r.src)
         ORDER BY me, dir DESC, created, key",
        |r| super::relations::map_from(r, 1),
    )?;
    let mut fields = grouped(
        conn,
        "SELECT f.paper_id, f.name, f.value FROM temp.bulk_ids b CROSS JOIN fields f ON f.paper_id = b.id
         ORDER BY f.paper_id, f.position",
        |r| Ok((r.get::<_, String>(1)?, r.get::<_, String>(2)?)),
    )?;
    let mut aliases = grouped(
        conn,
        "SELECT a.paper_id, a.alias FROM temp.bulk_ids b CROSS JOIN aliases a ON a.paper_id = b.id
         ORDER BY a.paper_id, a.alias",
        |r| r.get::<_, String>(1),
    )?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let id = row.id.clone();
            row.into_paper(Attached {
                authors: authors.remove(&id).unwrap_or_default(),
                links: links.remove(&id).unwrap_or_default(),
                tags: tags.remove(&id).unwrap_or_default(),
                notes: notes.remove(&id).unwrap_or_default(),
                annotations: annotations.remove(&id).unwrap_or_default(),
                relations: relations.remove(&id).unwrap_or_default(),
                extra: fields.remove(&id).unwrap_or_default(),
                aliases: aliases.remove(&id).unwrap_or_default(),
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use crate::Library;

    #[test]
    fn a_batch_loads_exactly_what_one_by_one_loads() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open(dir.path()).unwrap();
        lib.import_text(
            include_str!("../../tests/fixtures/trending-papers.txt"),
            "seed.txt",
        )
        .unwrap();
        let papers = lib.list(None, None).unwrap();
        let (a, b, c) = (&papers[0].citekey, &papers[1].citekey, &papers[2].citekey);
        lib.add_note(a, "A note [[x]]").unwrap();
        lib.add_note(a, "Another").unwrap();
        lib.tag(a, &["zeta".into(), "alpha".into()]).unwrap();
        lib.link(a, b, "extends").unwrap();
        lib.link(c, a, "related").unwrap();
        let words: Vec<&str> = papers[0].abstract_text.split_whitespace().take(2).collect();
        lib.annotate(a, &words.join(" "), Some("why"), Some("blue"))
            .unwrap();
        let conn = lib.connection();
        let mut ids: Vec<String> = papers.iter().map(|p| p.id.clone()).collect();
        ids.reverse();
        ids.push("no-such-id".into());
        let many = super::load_many(conn, &ids).unwrap();
        assert_eq!(many.len(), papers.len());
        for p in &many {
            assert_eq!(p, &crate::store::papers::load(conn, &p.id).unwrap());
        }
        assert_eq!(many.last().unwrap().id, papers[0].id);
    }
}
