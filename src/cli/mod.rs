//! The `lectern` command line: argument parsing and output.
//!
//! `main()` → [`run`] → `anyhow::Result<ExitCode>`. Every command takes
//! `--json` for stable machine-readable output; errors go to stderr as one
//! line and exit non-zero.

mod output;

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};

use crate::Library;
use crate::model::Status;

#[derive(Debug, Parser)]
#[command(
    name = "lectern",
    version,
    about = "A fast, local-first library of research papers"
)]
pub struct Cli {
    /// The library folder (created if missing).
    #[arg(long, global = true, env = "LECTERN_LIBRARY", value_name = "DIR")]
    library: Option<PathBuf>,
    /// Machine-readable JSON output.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Import papers from files, or `-` for stdin. The format (papers
    /// listing, BibTeX, RIS, CSL-JSON, arXiv Atom, Hugging Face JSON,
    /// Markdown with front matter) is detected from the content.
    Import {
        #[arg(value_name = "FILE", required_unless_present = "ids")]
        files: Vec<String>,
        /// Read every file as this format: listing, bibtex, ris, csl-json,
        /// arxiv, hf, markdown.
        #[arg(long, value_name = "FORMAT")]
        format: Option<crate::import::Format>,
        /// Record a DOI or arXiv id (no network): matches the paper that has
        /// it, or creates a placeholder a later import fills in.
        #[arg(long = "id", value_name = "ID")]
        ids: Vec<String>,
    },
    /// List papers in import order.
    List {
        #[arg(long)]
        tag: Option<String>,
        #[arg(long)]
        status: Option<Status>,
    },
    /// Show one paper with its notes, highlights and links.
    Show { paper: String },
    /// Search titles, authors, abstracts, notes, highlights and tags.
    Search {
        query: Vec<String>,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Papers similar to this one, and the links you made.
    Related {
        paper: String,
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
    /// Notes on a paper.
    #[command(subcommand)]
    Note(NoteCommand),
    /// Highlight a quote of a paper's abstract.
    Annotate {
        paper: String,
        #[arg(long)]
        quote: String,
        #[arg(long)]
        comment: Option<String>,
        /// yellow, red, green, blue, purple, magenta, orange or gray.
        #[arg(long)]
        color: Option<String>,
    },
    /// Link two papers with a typed relation.
    Link {
        from: String,
        to: String,
        /// related, cites, extends, contradicts, or your own word.
        #[arg(long, default_value = "related")]
        kind: String,
    },
    /// Remove the relations between two papers.
    Unlink {
        a: String,
        b: String,
        #[arg(long)]
        kind: Option<String>,
    },
    /// Add tags to a paper.
    Tag {
        paper: String,
        #[arg(required = true)]
        tags: Vec<String>,
    },
    /// Remove tags from a paper.
    Untag {
        paper: String,
        #[arg(required = true)]
        tags: Vec<String>,
    },
    /// Correct a paper's metadata; fields not given stay as they are.
    Edit {
        paper: String,
        #[arg(long)]
        title: Option<String>,
        /// Replaces the authors (repeat for each, in order).
        #[arg(long = "author", value_name = "NAME")]
        authors: Vec<String>,
        /// A year, or `none`.
        #[arg(long)]
        year: Option<String>,
        /// A venue, or an empty string to clear it.
        #[arg(long)]
        venue: Option<String>,
        #[arg(long)]
        doi: Option<String>,
        #[arg(long)]
        arxiv: Option<String>,
    },
    /// Set the reading status: unread, reading or read.
    Status { paper: String, status: Status },
    /// Export the library.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Rebuild the full-text index from the database.
    Reindex,
    /// Rebuild a damaged library database from the folder (papers/, notes/,
    /// attachments/); the old one is kept in .lectern/damaged-<time>/.
    Repair,
    /// Reconcile the library with its folder (papers/, notes/, inbox/).
    Sync {
        /// Keep watching the folder and sync on every change.
        #[arg(long)]
        watch: bool,
        /// Only report where the folder and the library disagree, without
        /// syncing first (exit 1 if they do).
        #[arg(long, conflicts_with = "watch")]
        check: bool,
    },
    /// Delete a paper (it goes to the trash for 30 days).
    Delete { paper: String },
    /// Merge paper OTHER into paper KEEP: KEEP's empty fields are filled,
    /// OTHER's notes, highlights, links, tags and attachments move over,
    /// and OTHER's citekey keeps working as an alias of KEEP.
    Merge { keep: String, other: String },
    /// Pairs of papers with the same title that the library keeps apart,
    /// and why.
    Duplicates {
        /// At most this many pairs.
        #[arg(long, default_value_t = 200)]
        limit: usize,
    },
    /// Papers deleted in the last 30 days.
    #[command(subcommand)]
    Trash(TrashCommand),
    /// Benchmark the engine on a synthetic library.
    #[cfg(feature = "bench")]
    Bench(crate::bench::BenchArgs),
}

#[derive(Debug, Subcommand)]
enum TrashCommand {
    /// List the trash, newest first.
    List,
    /// Bring a paper back (by citekey or id).
    Restore { paper: String },
}

#[derive(Debug, Subcommand)]
enum NoteCommand {
    /// Add a Markdown note.
    Add(NoteAdd),
    /// List a paper's notes.
    List { paper: String },
}

#[derive(Debug, Args)]
struct NoteAdd {
    paper: String,
    #[arg(long, conflicts_with = "file", required_unless_present = "file")]
    text: Option<String>,
    #[arg(long)]
    file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum ExportCommand {
    /// One Markdown file per paper, for Obsidian.
    Markdown {
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Only the papers this search finds.
        #[arg(long, value_name = "QUERY")]
        query: Option<String>,
    },
    /// BibTeX, for LaTeX, biber, JabRef, Zotero.
    Bibtex {
        /// Write to this file (default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Only the papers this search finds.
        #[arg(long, value_name = "QUERY")]
        query: Option<String>,
    },
    /// CSL-JSON, for Zotero, Pandoc and citation processors.
    CslJson {
        /// Write to this file (default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Only the papers this search finds.
        #[arg(long, value_name = "QUERY")]
        query: Option<String>,
    },
}

/// Writes an export to a file (atomically) or to standard output.
fn write_export(out: Option<&std::path::Path>, text: &str) -> anyhow::Result<()> {
    match out {
        Some(path) => {
            crate::fsutil::write_atomic(path, text.as_bytes())?;
            eprintln!("Exported to {}", path.display());
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes())?;
        }
    }
    Ok(())
}

/// Opens the library for writing and warns (on stderr) about what the
/// folder reconciliation on opening found.
fn open_writer(root: &std::path::Path) -> anyhow::Result<Library> {
    let mut lib = Library::open(root)?;
    warn_folder(&mut lib);
    Ok(lib)
}

/// [`Library::open_for_reading`], with the same warnings.
fn open_reader(root: &std::path::Path) -> anyhow::Result<Library> {
    let mut lib = Library::open_for_reading(root)?;
    warn_folder(&mut lib);
    Ok(lib)
}

fn warn_folder(lib: &mut Library) {
    let report = lib.take_folder_report();
    if !report.conflicts.is_empty() {
        eprintln!(
            "lectern: warning: {} conflict(s) in the library folder: {} (see `lectern sync`)",
            report.conflicts.len(),
            report.conflicts.join(", ")
        );
    }
    for p in &report.problems {
        eprintln!("lectern: warning: {p}");
    }
    if let Some(lag) = lib.folder_lag() {
        eprintln!("lectern: warning: the library folder is behind: {lag}");
    }
}

/// One line per thing a sync did, for people.
fn describe_sync(r: &crate::sync::SyncReport) -> String {
    let mut parts = Vec::new();
    for (n, what) in [
        (r.applied, "file change(s) applied"),
        (r.created, "paper(s) created from new files"),
        (r.renamed, "renamed file(s) followed"),
        (r.trashed, "paper(s) moved to the trash (file deleted)"),
        (r.notes, "free-standing note change(s)"),
        (r.inbox_imported, "inbox file(s) imported"),
        (r.inbox_failed, "inbox file(s) failed (see inbox/failed/)"),
        (r.written, "paper file(s) written"),
        (r.removed, "paper file(s) removed"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    let mut text = if parts.is_empty() && r.problems.is_empty() && r.conflicts.is_empty() {
        "The library and its folder agree; nothing to do.".to_string()
    } else if parts.is_empty() {
        "Nothing to sync, but the folder holds what Lectern cannot take:".to_string()
    } else {
        format!("Synced: {}.", parts.join(", "))
    };
    for c in &r.conflicts {
        text.push_str(&format!("\nconflict: {c}"));
    }
    for p in &r.problems {
        text.push_str(&format!("\nproblem: {p}"));
    }
    text
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    // Like other Unix tools, end quietly when the reader of our output goes
    // away (`lectern list | head -1`) instead of failing on every write.
    // SAFETY: restoring the default action of one signal at start-up,
    // before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            let msg = format!("{e:#}").replace('\n', " ");
            eprintln!("lectern: error: {msg}");
            ExitCode::FAILURE
        }
    }
}

fn default_library() -> anyhow::Result<PathBuf> {
    let home = std::env::var_os("HOME").context("HOME is not set; pass --library DIR")?;
    Ok(PathBuf::from(home).join("Lectern"))
}

/// Runs a parsed command.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let root = match cli.library {
        Some(p) => p,
        None => default_library()?,
    };
    let json = cli.json;
    let out = output::Output::new(json, std::io::stdout().is_terminal());
    match cli.command {
        Command::Import { files, format, ids } => {
            // Read and parse everything first: a bad file leaves the
            // library untouched.
            let mut papers = Vec::new();
            let mut problems = Vec::new();
            for f in &files {
                let parsed = if f == "-" {
                    let mut buf = Vec::new();
                    std::io::stdin()
                        .read_to_end(&mut buf)
                        .context("reading standard input")?;
                    crate::import::read_bytes(buf, "<stdin>", None, format)?
                } else {
                    let path = std::path::Path::new(f);
                    let bytes = std::fs::read(path).with_context(|| f.clone())?;
                    crate::import::read_bytes(bytes, f, Some(path), format)?
                };
                papers.extend(parsed.papers);
                problems.extend(parsed.problems);
            }
            for (i, id) in ids.iter().enumerate() {
                let ident = crate::import::identifier::parse_identifier(id)?;
                papers.push(crate::import::identifier::record(
                    &ident,
                    &format!("--id:{}", i + 1),
                ));
            }
            let mut lib = open_writer(&root)?;
            let report = lib.import_papers(papers, problems)?;
            out.import(&report)?;
            // What the write-out of the paper files could not do is said
            // now, not on the next command.
            warn_folder(&mut lib);
        }
        Command::List { tag, status } => {
            let lib = open_reader(&root)?;
            out.list(&lib.list(tag.as_deref(), status)?)?;
        }
        Command::Show { paper } => {
            let lib = open_reader(&root)?;
            out.paper(&lib.paper(&paper)?)?;
        }
        Command::Search { query, limit } => {
            let lib = open_reader(&root)?;
            let q = query.join(" ");
            out.search(&lib.search(&q, limit)?)?;
        }
        Command::Related { paper, limit } => {
            let lib = open_reader(&root)?;
            out.related(&lib.related(&paper, limit)?)?;
        }
        Command::Note(NoteCommand::Add(add)) => {
            let body = match (add.text, add.file) {
                (Some(t), _) => t,
                (None, Some(f)) => {
                    let bytes = std::fs::read(&f).with_context(|| f.display().to_string())?;
                    crate::import::decode(&bytes, &f.display().to_string())?
                }
                (None, None) => bail!("give --text or --file"),
            };
            let mut lib = open_writer(&root)?;
            out.note(&lib.add_note(&add.paper, &body)?)?;
        }
        Command::Note(NoteCommand::List { paper }) => {
            let lib = open_reader(&root)?;
            out.notes(&lib.notes(&paper)?)?;
        }
        Command::Annotate {
            paper,
            quote,
            comment,
            color,
        } => {
            let mut lib = open_writer(&root)?;
            let a = lib.annotate(&paper, &quote, comment.as_deref(), color.as_deref())?;
            out.annotation(&a)?;
        }
        Command::Link { from, to, kind } => {
            let mut lib = open_writer(&root)?;
            let new = lib.link(&from, &to, &kind)?;
            out.done(
                &serde_json::json!({"linked": true, "new": new, "kind": kind}),
                &if new {
                    format!("Linked {from} -{kind}-> {to}")
                } else {
                    format!("{from} -{kind}-> {to} was already linked")
                },
            )?;
        }
        Command::Unlink { a, b, kind } => {
            let mut lib = open_writer(&root)?;
            let n = lib.unlink(&a, &b, kind.as_deref())?;
            out.done(
                &serde_json::json!({"removed": n}),
                &format!("Removed {n} link(s) between {a} and {b}"),
            )?;
        }
        Command::Tag { paper, tags } => {
            let mut lib = open_writer(&root)?;
            let now = lib.tag(&paper, &tags)?;
            out.done(
                &serde_json::json!({"tags": now}),
                &format!("Tags: {}", now.join(", ")),
            )?;
        }
        Command::Untag { paper, tags } => {
            let mut lib = open_writer(&root)?;
            let now = lib.untag(&paper, &tags)?;
            out.done(
                &serde_json::json!({"tags": now}),
                &format!("Tags: {}", now.join(", ")),
            )?;
        }
        Command::Edit {
            paper,
            title,
            authors,
            year,
            venue,
            doi,
            arxiv,
        } => {
            let mut lib = open_writer(&root)?;
            let p = lib.paper(&paper)?;
            let year = match year.as_deref().map(str::trim) {
                None => p.year,
                Some("" | "none") => None,
                Some(y) => Some(
                    y.parse()
                        .with_context(|| format!("--year {y} is not a year"))?,
                ),
            };
            let edit = crate::model::PaperEdit {
                title: title.unwrap_or(p.title),
                authors: if authors.is_empty() {
                    p.authors
                } else {
                    authors
                },
                year,
                venue: venue.or(p.venue),
                doi: doi.or(p.doi),
                arxiv: arxiv.or(p.arxiv),
            };
            let p = lib.edit_paper(&paper, &edit)?;
            out.done(&p, &format!("Edited {}", p.citekey))?;
        }
        Command::Status { paper, status } => {
            let mut lib = open_writer(&root)?;
            lib.set_status(&paper, status)?;
            out.done(
                &serde_json::json!({"status": status}),
                &format!("{paper} is now {status}"),
            )?;
        }
        Command::Export(ExportCommand::Bibtex { out, query }) => {
            let lib = open_reader(&root)?;
            let text = lib.export_bibtex(query.as_deref())?;
            write_export(out.as_deref(), &text)?;
        }
        Command::Export(ExportCommand::CslJson { out, query }) => {
            let lib = open_reader(&root)?;
            let text = lib.export_csl_json(query.as_deref())?;
            write_export(out.as_deref(), &text)?;
        }
        Command::Export(ExportCommand::Markdown { out: dir, query }) => {
            let lib = open_reader(&root)?;
            let report = match query {
                Some(q) => {
                    let ids = lib.search_ids(&q)?;
                    lib.export_markdown_of(&dir, &ids)?
                }
                None => lib.export_markdown(&dir)?,
            };
            let mut text = format!(
                "Exported to {}: {} written, {} unchanged",
                dir.display(),
                report.written,
                report.unchanged
            );
            for f in &report.kept_edits {
                text.push_str(&format!("\nkept your edits in {f}"));
            }
            out.done(&report, &text)?;
        }
        Command::Repair => {
            let (lib, kept) = Library::repair(&root)?;
            let n = lib.count()?;
            out.done(
                &serde_json::json!({"papers": n, "kept": kept}),
                &format!(
                    "Rebuilt the library from its folder: {n} papers. The damaged state is kept in {}.",
                    kept.display()
                ),
            )?;
        }
        Command::Reindex => {
            let mut lib = open_writer(&root)?;
            let n = lib.reindex()?;
            out.done(
                &serde_json::json!({"indexed": n}),
                &format!("Indexed {n} papers"),
            )?;
        }
        Command::Sync { watch, check } => {
            // Opened without the usual reconcile: `--check` reports the
            // folder as it is, and a sync runs once, below.
            let mut lib = Library::open_without_sync(&root)?;
            if check {
                let mut problems = lib.check_folder()?;
                problems.extend(lib.check_index()?);
                out.done(
                    &serde_json::json!({"agree": problems.is_empty(), "differences": problems}),
                    &if problems.is_empty() {
                        "The library and its folder agree.".to_string()
                    } else {
                        problems.join("\n")
                    },
                )?;
                return Ok(if problems.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                });
            }
            let mut report = lib.sync()?;
            out.done(&report, &describe_sync(&report))?;
            if watch {
                let mut watcher = crate::sync::watch::FolderWatcher::new(lib.root())?;
                eprintln!("Watching {} (Ctrl+C stops)…", lib.root().display());
                loop {
                    let timeout = if report.inbox_waiting {
                        crate::sync::inbox::SETTLE
                    } else {
                        // Also how soon others' writes reach the index.
                        std::time::Duration::from_millis(400)
                    };
                    let waited = watcher.wait(timeout);
                    while lib.catch_up_others()? && lib.others_pending() {}
                    report = match waited {
                        crate::sync::watch::Wait::Closed => break,
                        crate::sync::watch::Wait::TimedOut if !report.inbox_waiting => {
                            report = crate::sync::SyncReport::default();
                            continue;
                        }
                        // Files were still being copied into the inbox.
                        crate::sync::watch::Wait::TimedOut => {
                            let inbox = lib.root().join(crate::sync::INBOX_DIR);
                            lib.sync_paths(&[inbox])?
                        }
                        crate::sync::watch::Wait::Changed(Some(paths)) => lib.sync_paths(&paths)?,
                        crate::sync::watch::Wait::Changed(None) => lib.sync()?,
                    };
                    if report.changed()
                        || !report.conflicts.is_empty()
                        || !report.problems.is_empty()
                    {
                        out.done(&report, &describe_sync(&report))?;
                    }
                }
            }
        }
        Command::Delete { paper } => {
            let mut lib = open_writer(&root)?;
            let entry = lib.delete_paper(&paper)?;
            out.done(
                &entry,
                &format!(
                    "Moved {} to the trash (`lectern trash restore {}` brings it back)",
                    entry.citekey, entry.citekey
                ),
            )?;
        }
        Command::Merge { keep, other } => {
            let mut lib = open_writer(&root)?;
            let gone = lib.paper(&other)?.citekey;
            let paper = lib.merge_papers(&keep, &other)?;
            out.done(
                &paper,
                &format!(
                    "Merged {gone} into {} (`{gone}` is now an alias of it)",
                    paper.citekey
                ),
            )?;
        }
        Command::Duplicates { limit } => {
            let lib = open_reader(&root)?;
            let pairs = lib.possible_duplicates(limit)?;
            let text = if pairs.is_empty() {
                "No two papers share a title.".to_string()
            } else {
                let year = |y: Option<i32>| y.map(|y| format!(" ({y})")).unwrap_or_default();
                pairs
                    .iter()
                    .map(|d| {
                        format!(
                            "{}{}  ~  {}{}  {}: {}",
                            d.a_citekey,
                            year(d.a_year),
                            d.b_citekey,
                            year(d.b_year),
                            d.a_title,
                            d.reason
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
                    + "\n(`lectern merge KEEP OTHER` merges a pair)"
            };
            out.done(&pairs, &text)?;
        }
        Command::Trash(TrashCommand::List) => {
            let lib = open_reader(&root)?;
            let entries = lib.trash()?;
            let text = if entries.is_empty() {
                "The trash is empty.".to_string()
            } else {
                entries
                    .iter()
                    .map(|e| format!("{}  {}  {}", e.deleted, e.citekey, e.title))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            out.done(&entries, &text)?;
        }
        Command::Trash(TrashCommand::Restore { paper }) => {
            let mut lib = open_writer(&root)?;
            let citekey = lib.restore_paper(&paper)?;
            out.done(
                &serde_json::json!({"citekey": citekey}),
                &format!("Restored {citekey}"),
            )?;
        }
        #[cfg(feature = "bench")]
        Command::Bench(args) => match args.formats {
            Some(entries) => {
                let rows = crate::bench::formats::run(entries, args.seed, args.topics)?;
                if json {
                    output::print_json(&rows)?;
                } else {
                    print!("{}", crate::bench::formats::table(&rows));
                }
            }
            None => {
                crate::bench::run(&args, json)?;
            }
        },
    }
    Ok(ExitCode::SUCCESS)
}
