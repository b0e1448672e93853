//! The `lectern` command line: argument parsing and output.
//!
//! `main()` → [`run`] → `anyhow::Result<ExitCode>`. Every command takes
//! `--json` for stable machine-readable output; errors go to stderr as one
//! line and exit non-zero. The grammar is in `args`, each command's work
//! in `commands`, the printing in `output`; [`run`] only dispatches.

mod args;
mod commands;
mod output;
mod progress;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

pub use args::Cli;
use args::{Command, ExportCommand, NoteCommand, TrashCommand};
use commands::{editing, folder, online, reading, tidying, transfer};

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
    let root = root.as_path();
    let out = &output::Output::new(cli.json, std::io::stdout().is_terminal());
    match cli.command {
        Command::Import {
            files,
            format,
            ids,
            hf_daily,
        } => transfer::import(root, out, &files, format, &ids, hf_daily.as_deref()),
        Command::Fetch {
            papers,
            all,
            query,
            dry_run,
            online: o,
        } => online::fetch(
            root,
            cli.json,
            online::FetchArgs {
                papers: &papers,
                all,
                query: query.as_deref(),
                dry_run,
                email: o.email,
                sources: o.sources.as_deref(),
                pdf: o.pdf.then_some(o.max_pdf_mb),
            },
        ),
        Command::Add { ids, online: o } => online::add(
            root,
            cli.json,
            &ids,
            o.email,
            o.sources.as_deref(),
            o.pdf.then_some(o.max_pdf_mb),
        ),
        Command::Config { key, value } => {
            online::config(root, out, key.as_deref(), value.as_deref())
        }
        Command::List { tag, status } => reading::list(root, out, tag.as_deref(), status),
        Command::Show { paper } => reading::show(root, out, &paper),
        Command::Search { query, limit } => reading::search(root, out, &query, limit),
        Command::Related { paper, limit } => reading::related(root, out, &paper, limit),
        Command::Note(NoteCommand::Add(add)) => editing::note_add(root, out, add),
        Command::Note(NoteCommand::List { paper }) => reading::note_list(root, out, &paper),
        Command::Annotate {
            paper,
            quote,
            comment,
            color,
        } => editing::annotate(
            root,
            out,
            &paper,
            &quote,
            comment.as_deref(),
            color.as_deref(),
        ),
        Command::Attach { paper, file } => editing::attach(root, out, &paper, &file),
        Command::ReadAnnotations { paper } => editing::read_annotations(root, out, &paper),
        Command::Link { from, to, kind } => editing::link(root, out, &from, &to, &kind),
        Command::Unlink { a, b, kind } => editing::unlink(root, out, &a, &b, kind.as_deref()),
        Command::Tag { paper, tags } => editing::tag(root, out, &paper, &tags),
        Command::Untag { paper, tags } => editing::untag(root, out, &paper, &tags),
        Command::Edit(args) => editing::edit(root, out, args),
        Command::Status { paper, status } => editing::status(root, out, &paper, status),
        Command::Export(ExportCommand::Bibtex { out: file, query }) => {
            transfer::export_bibtex(root, file.as_deref(), query.as_deref())
        }
        Command::Export(ExportCommand::CslJson { out: file, query }) => {
            transfer::export_csl_json(root, file.as_deref(), query.as_deref())
        }
        Command::Export(ExportCommand::Pdf { paper, out: file }) => {
            transfer::export_pdf(root, &paper, &file)
        }
        Command::Export(ExportCommand::Markdown { out: dir, query }) => {
            transfer::export_markdown(root, out, &dir, query.as_deref())
        }
        Command::Repair => folder::repair(root, out),
        Command::Reindex => folder::reindex(root, out),
        Command::Sync { watch, check } => return folder::sync(root, out, watch, check),
        Command::Delete { paper } => tidying::delete(root, out, &paper),
        Command::Merge { keep, other } => tidying::merge(root, out, &keep, &other),
        Command::Duplicates { limit } => tidying::duplicates(root, out, limit),
        Command::Trash(TrashCommand::List) => tidying::trash_list(root, out),
        Command::Trash(TrashCommand::Restore { paper }) => {
            tidying::trash_restore(root, out, &paper)
        }
        #[cfg(feature = "bench")]
        Command::Bench(args) => commands::bench::bench(args, cli.json),
    }?;
    Ok(ExitCode::SUCCESS)
}
