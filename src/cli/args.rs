//! The command line's grammar: every command, its arguments and its help
//! text, as clap parses them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::model::Status;

#[derive(Debug, Parser)]
#[command(
    name = "lectern",
    version,
    about = "A fast, local-first library of research papers",
    after_help = "Run with no command, `lectern` opens the window (when installed with it), \
                  and `lectern FILE...` hands the files to the window to import."
)]
pub struct Cli {
    /// The library folder (created if missing).
    #[arg(long, global = true, env = "LECTERN_LIBRARY", value_name = "DIR")]
    pub(super) library: Option<PathBuf>,
    /// Machine-readable JSON output.
    #[arg(long, global = true)]
    pub(super) json: bool,
    #[command(subcommand)]
    pub(super) command: Command,
}

#[derive(Debug, Subcommand)]
pub(super) enum Command {
    /// Import papers from files, or `-` for stdin. The format (papers
    /// listing, BibTeX, RIS, CSL-JSON, arXiv Atom, Hugging Face JSON,
    /// Markdown with front matter) is detected from the content.
    Import {
        #[arg(value_name = "FILE", required_unless_present_any = ["ids", "hf_daily"])]
        files: Vec<String>,
        /// Read every file as this format: listing, bibtex, ris, csl-json,
        /// arxiv, hf, markdown.
        #[arg(long, value_name = "FORMAT")]
        format: Option<crate::import::Format>,
        /// Record a DOI or arXiv id (no network): matches the paper that has
        /// it, or creates a placeholder a later import fills in.
        #[arg(long = "id", value_name = "ID")]
        ids: Vec<String>,
        /// Also import a day's Hugging Face daily papers (online), the
        /// latest day's without a date.
        #[arg(long, value_name = "YYYY-MM-DD", num_args = 0..=1, default_missing_value = "latest")]
        hf_daily: Option<String>,
    },
    /// Fill papers in from the web (arXiv, Hugging Face, Crossref,
    /// Semantic Scholar): authors, year, arXiv id, DOI, venue, abstract and
    /// links, only where empty, each recorded with its source. Named
    /// papers are always looked for; with --query or --all, only those
    /// missing something.
    Fetch {
        #[arg(value_name = "PAPER")]
        papers: Vec<String>,
        /// Every paper of the library that lacks something.
        #[arg(long, conflicts_with_all = ["papers", "query"])]
        all: bool,
        /// The papers a search finds.
        #[arg(long, value_name = "Q", conflicts_with = "papers")]
        query: Option<String>,
        /// Say what would change, write nothing.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        online: OnlineArgs,
    },
    /// Add papers by arXiv id, DOI or link (arxiv.org, doi.org,
    /// huggingface.co/papers), filled in from the web.
    Add {
        #[arg(value_name = "ID", required = true)]
        ids: Vec<String>,
        #[command(flatten)]
        online: OnlineArgs,
    },
    /// Show or change the library's settings: online.email ADDRESS,
    /// online.sources LIST, online.rate-limit SOURCE=MS, online.fill-new
    /// true|false (look up newly imported papers at once), search.mode
    /// hybrid|words|meaning.
    Config {
        key: Option<String>,
        value: Option<String>,
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
    /// Search titles, authors, abstracts, notes, highlights and tags, by
    /// words and by meaning (`~query`: meaning only, `=query`: words
    /// only; fields, phrases, +word and -word match exactly).
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
    /// Highlight a quote of a paper's abstract, or of its PDF's text (the
    /// page is recorded).
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
    /// Make FILE the paper's PDF in place of the one it has (a new version:
    /// its highlights are looked for and placed in the new text).
    Attach { paper: String, file: PathBuf },
    /// Read the highlights and notes another reader (Zotero, Acrobat,
    /// Okular, Preview) stored in the paper's PDF into the library.
    ReadAnnotations { paper: String },
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
    Edit(EditArgs),
    /// Set the reading status: unread, reading or read.
    Status { paper: String, status: Status },
    /// Star a paper (`--off` to take the star away).
    Star {
        paper: String,
        #[arg(long)]
        off: bool,
    },
    /// Export the library.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Rebuild the full-text index from the database; with --embeddings,
    /// delete the vectors of search by meaning instead (`lectern embed`
    /// or the window computes them again).
    Reindex {
        #[arg(long)]
        embeddings: bool,
    },
    /// Compute the vectors of search by meaning for papers that lack them
    /// or changed (resumable: a stopped run keeps what it did).
    Embed {
        /// Stop after this many texts.
        #[arg(long)]
        limit: Option<usize>,
    },
    /// The embedding model behind search by meaning: status, fetch, place.
    #[command(subcommand)]
    Model(ModelCommand),
    /// Order papers by closeness in meaning to those you starred,
    /// annotated or wrote notes on ("for you").
    Rank {
        /// Required: the order this command gives (the only one so far).
        #[arg(long, required = true)]
        for_me: bool,
        /// Only the papers this search finds.
        #[arg(long, value_name = "Q")]
        query: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
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
    /// Print a shell completion script: bash, zsh, fish, elvish or
    /// powershell (the desktop package installs bash, zsh and fish ones).
    Completions { shell: clap_complete::Shell },
    /// Print this command's manual page (roff), for packaging.
    #[command(hide = true)]
    Manual,
    /// Benchmark the engine on a synthetic library.
    #[cfg(feature = "bench")]
    Bench(crate::bench::BenchArgs),
}

// The fields of `lectern edit`, kept together for the command that applies
// them (a plain comment: a doc comment here would become the help text).
#[derive(Debug, Args)]
pub(super) struct EditArgs {
    pub(super) paper: String,
    #[arg(long)]
    pub(super) title: Option<String>,
    /// Replaces the authors (repeat for each, in order).
    #[arg(long = "author", value_name = "NAME")]
    pub(super) authors: Vec<String>,
    /// A year, or `none`.
    #[arg(long)]
    pub(super) year: Option<String>,
    /// A venue, or an empty string to clear it.
    #[arg(long)]
    pub(super) venue: Option<String>,
    #[arg(long)]
    pub(super) doi: Option<String>,
    #[arg(long)]
    pub(super) arxiv: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(super) enum TrashCommand {
    /// List the trash, newest first.
    List,
    /// Bring a paper back (by citekey or id).
    Restore { paper: String },
}

#[derive(Debug, Subcommand)]
pub(super) enum NoteCommand {
    /// Add a Markdown note.
    Add(NoteAdd),
    /// List a paper's notes.
    List { paper: String },
}

#[derive(Debug, Args)]
pub(super) struct NoteAdd {
    pub(super) paper: String,
    #[arg(long, conflicts_with = "file", required_unless_present = "file")]
    pub(super) text: Option<String>,
    #[arg(long)]
    pub(super) file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub(super) enum ExportCommand {
    /// One Markdown file per paper, for Obsidian.
    Markdown {
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Only the papers this search finds holding every word.
        #[arg(long, value_name = "QUERY")]
        query: Option<String>,
    },
    /// BibTeX, for LaTeX, biber, JabRef, Zotero.
    Bibtex {
        /// Write to this file (default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Only the papers this search finds holding every word.
        #[arg(long, value_name = "QUERY")]
        query: Option<String>,
    },
    /// A copy of the paper's PDF with its highlights as PDF annotations,
    /// which other readers show (the attachment is not changed).
    Pdf {
        paper: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// CSL-JSON, for Zotero, Pandoc and citation processors.
    CslJson {
        /// Write to this file (default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Only the papers this search finds holding every word.
        #[arg(long, value_name = "QUERY")]
        query: Option<String>,
    },
}

/// What `fetch` and `add` ask of the web sources.
#[derive(Debug, Args)]
pub(super) struct OnlineArgs {
    /// Sent to Crossref (its polite pool) and Unpaywall.
    #[arg(long, value_name = "ADDRESS")]
    pub(super) email: Option<String>,
    /// Ask only these sources: arxiv, huggingface, crossref,
    /// semanticscholar, unpaywall (comma-separated).
    #[arg(long, value_name = "LIST")]
    pub(super) sources: Option<String>,
    /// Also download each paper's open-access PDF (arXiv's, Semantic
    /// Scholar's, or Unpaywall's with --email) into attachments/.
    #[arg(long)]
    pub(super) pdf: bool,
    /// The largest PDF downloaded, in MB.
    #[arg(long, value_name = "MB", default_value_t = 100)]
    pub(super) max_pdf_mb: u64,
}

#[derive(Debug, Subcommand)]
pub(super) enum ModelCommand {
    /// Where the model is looked for, whether it loads, and how many
    /// papers have vectors.
    Status,
    /// Download the model (all-MiniLM-L6-v2, about 91 MB) into your data
    /// folder, checking every file's SHA-256.
    Fetch {
        /// Do not ask first.
        #[arg(long)]
        yes: bool,
    },
    /// Use a copy of the model you already have: a folder holding
    /// config.json, tokenizer.json and model.safetensors.
    Place { dir: PathBuf },
}
