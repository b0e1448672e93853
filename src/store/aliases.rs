//! Aliases: other keys a paper goes by. When an import merges a record into
//! a paper, the record's own key becomes an alias, so citations and
//! `[[links]]` written with it keep working. An alias is unique in the
//! library and never equal to another paper's citekey.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;

/// The aliases of paper `id`, in name order.
pub fn for_paper(conn: &Connection, id: &str) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT alias FROM aliases WHERE paper_id = ?1 ORDER BY alias")?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
}

/// The paper that goes by alias `alias`.
pub fn resolve(conn: &Connection, alias: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT paper_id FROM aliases WHERE alias = ?1")?
        .query_row([alias], |r| r.get(0))
        .optional()?)
}

/// Whether `key` is free to become an alias of paper `id`: not another
/// paper's citekey or alias. Its own citekey is not an alias either.
fn free_for(conn: &Connection, id: &str, key: &str) -> Result<bool> {
    let taken: Option<String> = conn
        .prepare_cached(
            "SELECT id FROM papers WHERE citekey = ?1
             UNION ALL SELECT paper_id FROM aliases WHERE alias = ?1 AND paper_id != ?2
             LIMIT 1",
        )?
        .query_row(params![key, id], |r| r.get(0))
        .optional()?;
    Ok(taken.is_none())
}

/// Gives paper `id` the alias `key` when it is free; returns whether the
/// paper has it now (false when another paper uses the key).
pub fn add(conn: &Connection, id: &str, key: &str) -> Result<bool> {
    let key = key.trim();
    if key.is_empty() || !free_for(conn, id, key)? {
        return Ok(false);
    }
    conn.prepare_cached("INSERT OR IGNORE INTO aliases (alias, paper_id) VALUES (?1, ?2)")?
        .execute(params![key, id])?;
    Ok(true)
}

/// Makes the aliases of paper `id` exactly `keys` (what its file says),
/// leaving out keys another paper uses. Returns the keys left out.
pub fn set_for_paper(conn: &Connection, id: &str, keys: &[String]) -> Result<Vec<String>> {
    let current = for_paper(conn, id)?;
    for old in current.iter().filter(|a| !keys.contains(a)) {
        conn.prepare_cached("DELETE FROM aliases WHERE alias = ?1")?
            .execute([old])?;
    }
    let mut refused = Vec::new();
    for key in keys.iter().filter(|k| !current.contains(k)) {
        if !add(conn, id, key)? {
            refused.push(key.clone());
        }
    }
    Ok(refused)
}

/// Moves every alias of paper `from` to paper `to` (a merge).
pub fn move_all(conn: &Connection, from: &str, to: &str) -> Result<()> {
    conn.prepare_cached("UPDATE aliases SET paper_id = ?2 WHERE paper_id = ?1")?
        .execute(params![from, to])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NewPaper;

    #[test]
    fn aliases_resolve_and_never_shadow_a_citekey() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::store::open(&dir.path().join("t.db")).unwrap();
        let p = NewPaper {
            title: "T".into(),
            ..Default::default()
        };
        crate::store::papers::insert(&conn, "p1", "k1", &p, "now").unwrap();
        crate::store::papers::insert(&conn, "p2", "k2", &p, "now").unwrap();
        assert!(add(&conn, "p1", "old/key").unwrap());
        assert!(!add(&conn, "p1", "k2").unwrap(), "another paper's citekey");
        assert!(
            !add(&conn, "p2", "old/key").unwrap(),
            "another paper's alias"
        );
        assert_eq!(
            crate::store::papers::resolve(&conn, "old/key").unwrap(),
            "p1"
        );
        assert_eq!(crate::store::papers::resolve(&conn, "k2").unwrap(), "p2");
        let refused = set_for_paper(&conn, "p1", &["a".into(), "k2".into()]).unwrap();
        assert_eq!(refused, vec!["k2".to_string()]);
        assert_eq!(for_paper(&conn, "p1").unwrap(), vec!["a".to_string()]);
        move_all(&conn, "p1", "p2").unwrap();
        assert_eq!(resolve(&conn, "a").unwrap().as_deref(), Some("p2"));
    }
}
