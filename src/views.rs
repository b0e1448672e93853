//! Read-only views that front ends need beside search: facet counts for a
//! sidebar, browsing without a query, backlinks between notes, `[[`
//! completion and the link graph.
//!
//! Everything here reads SQLite directly with bounded queries (`LIMIT`), so
//! the cost does not grow with the size of the library beyond an index
//! lookup or one aggregate scan.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::model::{MarkedText, RelatedHit, SearchHit, Status};

/// How many user links the graph view draws at most.
pub const GRAPH_EDGE_LIMIT: usize = 2000;

/// How many characters of the abstract a browsed paper shows.
const BROWSE_SNIPPET_CHARS: usize = 220;

/// A count of papers under one label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Count {
    pub name: String,
    pub count: u32,
}

/// Sidebar counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Facets {
    pub total: u32,
    pub starred: u32,
    /// Tags by paper count, most used first.
    pub tags: Vec<Count>,
    /// `unread`, `reading`, `read`, always in that order.
    pub statuses: Vec<Count>,
}

/// What a browse (a list without a query) keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Filter {
    pub tag: Option<String>,
    pub status: Option<Status>,
    pub starred: bool,
}

/// A paper named by id, citekey and title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PaperRef {
    pub id: String,
    pub citekey: String,
    pub title: String,
}

/// One line of a list of papers: what `lectern list` prints for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listed {
    pub id: String,
    pub citekey: String,
    pub status: Status,
    pub title: String,
}

/// Papers in import order, optionally by tag or status, as [`Listed`]
/// lines: one query, however large the library.
pub fn listed(conn: &Connection, tag: Option<&str>, status: Option<Status>) -> Result<Vec<Listed>> {
    let mut stmt = conn.prepare(
        "SELECT p.id, p.citekey, p.status, p.title FROM papers p
         WHERE (?1 IS NULL OR EXISTS (SELECT 1 FROM tags t WHERE t.paper_id = p.id AND t.tag = ?1))
           AND (?2 IS NULL OR p.status = ?2)
         ORDER BY p.seq",
    )?;
    let rows = stmt.query_map(params![tag, status.map(Status::as_str)], |r| {
        let status: String = r.get(2)?;
        Ok(Listed {
            id: r.get(0)?,
            citekey: r.get(1)?,
            status: status.parse().unwrap_or(Status::Unread),
            title: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// A note that links to this paper: a note on another paper, or a
/// free-standing note of the library folder (`notes/…`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Backlink {
    pub note_id: String,
    /// The paper the note belongs to; `None` for a free-standing note.
    pub paper: Option<PaperRef>,
    /// A free-standing note's file, relative to the library folder.
    pub file: Option<String>,
    /// The line of the note holding the link.
    pub context: String,
}

/// An edge of the graph view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct GraphEdge {
    pub from: String,
    pub to: String,
    pub kind: String,
    /// A suggestion from the related-papers engine rather than a user link.
    pub suggested: bool,
}

/// Papers and the links between them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Graph {
    pub nodes: Vec<PaperRef>,
    pub edges: Vec<GraphEdge>,
}

fn count_u32(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub fn facets(conn: &Connection) -> Result<Facets> {
    let (total, starred): (i64, i64) = conn.query_row(
        "SELECT count(*), coalesce(sum(starred), 0) FROM papers",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut stmt = conn.prepare_cached(
        "SELECT tag, count(*) AS n FROM tags GROUP BY tag ORDER BY n DESC, tag LIMIT 200",
    )?;
    let tags = stmt
        .query_map([], |r| {
            Ok(Count {
                name: r.get(0)?,
                count: count_u32(r.get(1)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut statuses = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT count(*) FROM papers WHERE status = ?1")?;
    for status in [Status::Unread, Status::Reading, Status::Read] {
        let n: i64 = stmt.query_row([status.as_str()], |r| r.get(0))?;
        statuses.push(Count {
            name: status.as_str().to_string(),
            count: count_u32(n),
        });
    }
    Ok(Facets {
        total: count_u32(total),
        starred: count_u32(starred),
        tags,
        statuses,
    })
}

/// Whether paper `id` passes the sidebar's filters.
pub fn passes(conn: &Connection, id: &str, filter: &Filter) -> Result<bool> {
    if filter.tag.is_none() && filter.status.is_none() && !filter.starred {
        return Ok(true);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT 1 FROM papers p WHERE p.id = ?1
            AND (?2 IS NULL OR EXISTS (SELECT 1 FROM tags t WHERE t.paper_id = p.id AND t.tag = ?2))
            AND (?3 IS NULL OR p.status = ?3) AND (?4 = 0 OR p.starred = 1)",
    )?;
    Ok(stmt.exists(params![
        id,
        filter.tag,
        filter.status.map(Status::as_str),
        filter.starred
    ])?)
}

pub fn browse(conn: &Connection, filter: &Filter, limit: usize) -> Result<Vec<SearchHit>> {
    let mut sql =
        String::from("SELECT p.id, p.citekey, p.title, substr(p.abstract, 1, ?1) FROM papers p");
    if filter.tag.is_some() {
        sql.push_str(" JOIN tags t ON t.paper_id = p.id AND t.tag = ?2");
    } else {
        sql.push_str(" WHERE ?2 IS NULL");
    }
    sql.push_str(if filter.tag.is_some() {
        " WHERE"
    } else {
        " AND"
    });
    sql.push_str(" (?3 IS NULL OR p.status = ?3) AND (?4 = 0 OR p.starred = 1)");
    sql.push_str(" ORDER BY p.seq DESC LIMIT ?5");
    let mut stmt = conn.prepare_cached(&sql)?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = stmt.query_map(
        params![
            BROWSE_SNIPPET_CHARS as i64,
            filter.tag,
            filter.status.map(Status::as_str),
            filter.starred,
            limit
        ],
        |r| {
            let snippet: String = r.get(3)?;
            let title: String = r.get(2)?;
            Ok(SearchHit {
                id: r.get(0)?,
                citekey: r.get(1)?,
                title_marked: MarkedText::plain(&title),
                title,
                score: 0.0,
                snippet: MarkedText::plain(&snippet),
                matched: Vec::new(),
                missing: Vec::new(),
                by_meaning: false,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn paper_ref(conn: &Connection, id: &str) -> Result<PaperRef> {
    let mut stmt = conn.prepare_cached("SELECT id, citekey, title FROM papers WHERE id = ?1")?;
    Ok(stmt.query_row([id], |r| {
        Ok(PaperRef {
            id: r.get(0)?,
            citekey: r.get(1)?,
            title: r.get(2)?,
        })
    })?)
}

pub fn backlinks(conn: &Connection, id: &str) -> Result<Vec<Backlink>> {
    let me = paper_ref(conn, id)?;
    // Links written with the citekey or with any alias of the paper.
    let mut keys = vec![me.citekey.clone()];
    keys.extend(crate::store::aliases::for_paper(conn, id)?);
    let needles: Vec<String> = keys.iter().map(|k| format!("[[{k}")).collect();
    let context = |body: &str| {
        body.lines()
            .find(|l| needles.iter().any(|n| l.contains(n.as_str())))
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let mut stmt = conn.prepare_cached(
        "SELECT n.id, n.body, p.id, p.citekey, p.title FROM notes n JOIN papers p ON p.id = n.paper_id
         WHERE n.paper_id <> ?1 AND (n.body LIKE ?2 ESCAPE '\\' OR n.body LIKE ?3 ESCAPE '\\')
         ORDER BY n.updated DESC LIMIT 100",
    )?;
    let mut out: Vec<Backlink> = Vec::new();
    for key in &keys {
        let exact = format!("%[[{}]]%", like_escape(key));
        let aliased = format!("%[[{}|%", like_escape(key));
        let rows = stmt.query_map(params![id, exact, aliased], |r| {
            let body: String = r.get(1)?;
            Ok(Backlink {
                note_id: r.get(0)?,
                paper: Some(PaperRef {
                    id: r.get(2)?,
                    citekey: r.get(3)?,
                    title: r.get(4)?,
                }),
                file: None,
                context: context(&body),
            })
        })?;
        for b in rows {
            let b = b?;
            if !out.iter().any(|o| o.note_id == b.note_id) {
                out.push(b);
            }
        }
    }
    let mut file_of = conn.prepare_cached(
        "SELECT path FROM folder_files WHERE kind = 'note' AND item_id = ?1 LIMIT 1",
    )?;
    for (note_id, body) in crate::store::mentions::notes_mentioning(conn, id)? {
        let file = file_of
            .query_row([&note_id], |r| r.get::<_, String>(0))
            .optional()?;
        out.push(Backlink {
            note_id,
            paper: None,
            file,
            context: context(&body),
        });
    }
    Ok(out)
}

fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

pub fn complete(conn: &Connection, prefix: &str, limit: usize) -> Result<Vec<PaperRef>> {
    let prefix = prefix.trim();
    let limit_i = i64::try_from(limit).unwrap_or(i64::MAX);
    let starts = format!("{}%", like_escape(prefix));
    let contains = format!("%{}%", like_escape(prefix));
    // Citekey and title prefixes first, then titles containing the text.
    let mut stmt = conn.prepare_cached(
        "SELECT id, citekey, title FROM (
            SELECT id, citekey, title, 0 AS rank, seq FROM papers WHERE citekey LIKE ?1 ESCAPE '\\'
            UNION ALL
            SELECT id, citekey, title, 1, seq FROM papers WHERE title LIKE ?1 ESCAPE '\\'
            UNION ALL
            SELECT id, citekey, title, 2, seq FROM papers WHERE title LIKE ?2 ESCAPE '\\'
         ) GROUP BY id ORDER BY min(rank), seq LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![starts, contains, limit_i], |r| {
        Ok(PaperRef {
            id: r.get(0)?,
            citekey: r.get(1)?,
            title: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn links_graph(conn: &Connection, edge_limit: usize) -> Result<Graph> {
    let mut graph = Graph::default();
    let limit = i64::try_from(edge_limit).unwrap_or(i64::MAX);
    let mut stmt = conn.prepare_cached(
        "SELECT r.src, r.dst, r.kind, a.citekey, a.title, b.citekey, b.title
         FROM relations r JOIN papers a ON a.id = r.src JOIN papers b ON b.id = r.dst
         ORDER BY r.created DESC LIMIT ?1",
    )?;
    let mut rows = stmt.query([limit])?;
    while let Some(r) = rows.next()? {
        let from = PaperRef {
            id: r.get(0)?,
            citekey: r.get(3)?,
            title: r.get(4)?,
        };
        let to = PaperRef {
            id: r.get(1)?,
            citekey: r.get(5)?,
            title: r.get(6)?,
        };
        graph.edges.push(GraphEdge {
            from: from.id.clone(),
            to: to.id.clone(),
            kind: r.get(2)?,
            suggested: false,
        });
        add_node(&mut graph, from);
        add_node(&mut graph, to);
    }
    Ok(graph)
}

fn add_node(graph: &mut Graph, node: PaperRef) {
    if !graph.nodes.iter().any(|n| n.id == node.id) {
        graph.nodes.push(node);
    }
}

/// Adds `center` and its suggestions as dashed edges, skipping pairs the
/// user already linked.
pub fn add_suggestions(graph: &mut Graph, center: PaperRef, related: Vec<RelatedHit>) {
    let center_id = center.id.clone();
    add_node(graph, center);
    for hit in related {
        let linked = graph.edges.iter().any(|e| {
            (e.from == center_id && e.to == hit.id) || (e.to == center_id && e.from == hit.id)
        });
        if linked {
            continue;
        }
        graph.edges.push(GraphEdge {
            from: center_id.clone(),
            to: hit.id.clone(),
            kind: "suggested".into(),
            suggested: true,
        });
        add_node(
            graph,
            PaperRef {
                id: hit.id,
                citekey: hit.citekey,
                title: hit.title,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Library;

    const LISTING: &str = "Masked Autoencoders Are Scalable Vision Learners\n\nThis paper shows that masked autoencoders are scalable self-supervised learners for computer vision, reconstructing missing pixels.\n\nVideoMAE V2: Scaling Video Masked Autoencoders\n\nWe scale video masked autoencoders with dual masking to billions of parameters for video understanding tasks.\n\nA Survey of Graph Neural Networks\n\nGraph neural networks learn over nodes and edges; this survey reviews message passing architectures in depth.\n";

    fn library() -> (tempfile::TempDir, Library) {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open(dir.path()).unwrap();
        let report = lib.import_text(LISTING, "listing.txt").unwrap();
        assert_eq!(report.added, 3);
        (dir, lib)
    }

    fn key(lib: &Library, title_start: &str) -> String {
        lib.complete(title_start, 1).unwrap()[0].citekey.clone()
    }

    #[test]
    fn facets_count_tags_statuses_and_stars() {
        let (_d, mut lib) = library();
        let mae = key(&lib, "Masked");
        let video = key(&lib, "VideoMAE");
        lib.tag(&mae, &["vision".into(), "mae".into()]).unwrap();
        lib.tag(&video, &["vision".into()]).unwrap();
        lib.set_status(&video, Status::Read).unwrap();
        lib.set_starred(&mae, true).unwrap();
        let f = lib.facets().unwrap();
        assert_eq!(f.total, 3);
        assert_eq!(f.starred, 1);
        assert_eq!(
            f.tags[0],
            Count {
                name: "vision".into(),
                count: 2
            }
        );
        assert_eq!(
            f.tags[1],
            Count {
                name: "mae".into(),
                count: 1
            }
        );
        assert_eq!(f.statuses[0].count, 2);
        assert_eq!(
            f.statuses[2],
            Count {
                name: "read".into(),
                count: 1
            }
        );
    }

    #[test]
    fn browse_filters_newest_first() {
        let (_d, mut lib) = library();
        let all = lib.browse(&Filter::default(), 10).unwrap();
        assert_eq!(all.len(), 3);
        assert!(all[0].title.starts_with("A Survey"));
        let mae = key(&lib, "Masked");
        lib.tag(&mae, &["to-read".into()]).unwrap();
        let tagged = lib
            .browse(
                &Filter {
                    tag: Some("to-read".into()),
                    ..Filter::default()
                },
                10,
            )
            .unwrap();
        assert_eq!(tagged.len(), 1);
        assert_eq!(tagged[0].citekey, mae);
        let read = lib
            .browse(
                &Filter {
                    status: Some(Status::Read),
                    ..Filter::default()
                },
                10,
            )
            .unwrap();
        assert!(read.is_empty());
        lib.set_starred(&mae, true).unwrap();
        let starred = lib
            .browse(
                &Filter {
                    starred: true,
                    ..Filter::default()
                },
                10,
            )
            .unwrap();
        assert_eq!(starred.len(), 1);
    }

    #[test]
    fn find_applies_filters_to_queries() {
        let (_d, mut lib) = library();
        let mae = key(&lib, "Masked");
        lib.tag(&mae, &["my-list".into()]).unwrap();
        let f = Filter {
            tag: Some("my-list".into()),
            ..Filter::default()
        };
        let hits = lib.find("autoenc", &f, 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].citekey, mae);
        assert_eq!(
            lib.find("autoenc", &Filter::default(), 10).unwrap().len(),
            2
        );
        let starred = Filter {
            starred: true,
            ..Filter::default()
        };
        assert!(lib.find("autoenc", &starred, 10).unwrap().is_empty());
        lib.set_starred(&mae, true).unwrap();
        assert_eq!(lib.find("autoenc", &starred, 10).unwrap().len(), 1);
        assert_eq!(lib.find("  ", &Filter::default(), 10).unwrap().len(), 3);
    }

    #[test]
    fn a_hit_whose_paper_is_gone_gives_its_place_to_the_next() {
        let (_d, lib) = library();
        let hits = lib.search("masked autoencoders", 10).unwrap();
        assert_eq!(hits.len(), 2);
        // The index is behind SQLite (as after a crash between the two).
        lib.connection()
            .execute("DELETE FROM papers WHERE id = ?1", [&hits[0].id])
            .unwrap();
        let after = lib.search("masked autoencoders", 1).unwrap();
        assert_eq!(after.len(), 1);
        assert_eq!(after[0].id, hits[1].id);
    }

    #[test]
    fn backlinks_find_notes_elsewhere() {
        let (_d, mut lib) = library();
        let mae = key(&lib, "Masked");
        let video = key(&lib, "VideoMAE");
        let gnn = key(&lib, "A Survey");
        lib.add_note(&video, &format!("Builds on\n[[{mae}]] directly."))
            .unwrap();
        lib.add_note(&gnn, &format!("See [[{mae}|the MAE paper]]."))
            .unwrap();
        lib.add_note(&mae, &format!("Self link [[{mae}]] is not a backlink."))
            .unwrap();
        let back = lib.backlinks(&mae).unwrap();
        assert_eq!(back.len(), 2);
        assert!(back.iter().any(|b| {
            b.paper.as_ref().is_some_and(|p| p.citekey == video)
                && b.context == format!("[[{mae}]] directly.")
        }));
        assert!(lib.backlinks(&video).unwrap().is_empty());
        // A free-standing note of the library folder is named by its file.
        let notes = lib.root().join("notes");
        std::fs::create_dir_all(&notes).unwrap();
        std::fs::write(
            notes.join("ideas.md"),
            format!("# Ideas\n\nTry [[{mae}]] on audio.\n"),
        )
        .unwrap();
        lib.sync().unwrap();
        let back = lib.backlinks(&mae).unwrap();
        assert_eq!(back.len(), 3);
        assert!(back.iter().any(|b| b.paper.is_none()
            && b.file.as_deref() == Some("notes/ideas.md")
            && b.context == format!("Try [[{mae}]] on audio.")));
    }

    #[test]
    fn completion_prefers_citekey_then_title_prefix_then_substring() {
        let (_d, lib) = library();
        let hits = lib.complete("video", 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert!(hits[0].title.starts_with("VideoMAE"));
        let hits = lib.complete("Autoencoders", 10).unwrap();
        assert_eq!(hits.len(), 2);
        assert!(lib.complete("100%_", 10).unwrap().is_empty());
    }

    #[test]
    fn graph_has_links_and_dashed_suggestions() {
        let (_d, mut lib) = library();
        let mae = key(&lib, "Masked");
        let video = key(&lib, "VideoMAE");
        lib.link(&video, &mae, "extends").unwrap();
        let g = lib.graph(None, 5).unwrap();
        assert_eq!(g.nodes.len(), 2);
        assert_eq!(g.edges.len(), 1);
        assert!(!g.edges[0].suggested);
        let g = lib.graph(Some(&mae), 5).unwrap();
        // The video paper is linked already, so it is not suggested again.
        assert!(
            g.edges
                .iter()
                .filter(|e| e.suggested)
                .all(|e| e.to != lib.resolve(&video).unwrap())
        );
    }
}
