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
use clap::{CommandFactory, Parser};

pub use args::Cli;
use args::{Command, ExportCommand, NoteCommand, TrashCommand};
use commands::{editing, folder, meaning, online, reading, tidying, transfer};

/// Entry point of the binary.
pub fn main() -> ExitCode {
    // Like other Unix tools, end quietly when the reader of our output goes
    // away (`lectern list | head -1`) instead of failing on every write.
    // SAFETY: restoring the default action of one signal at start-up,
    // before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    if let Launch::Window { .. } = launch(&args) {
        return open_window(&args);
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

/// What `lectern` does with its arguments: the window or the command line.
#[derive(Debug, PartialEq, Eq)]
pub enum Launch {
    /// Open the window; `open` are files the person opened with Lectern,
    /// to import; `library` a `--library DIR` given on the command line.
    Window {
        open: Vec<PathBuf>,
        library: Option<PathBuf>,
    },
    /// Run the command line: a command, a flag, or something that is
    /// neither a command nor an existing file (for clap to explain).
    Cli,
}

/// Sorts `lectern`'s arguments (without the program name): no arguments
/// opens the window, as do existing files (`lectern refs.bib`, what a file
/// manager's "Open with" runs); a command or any other flag than
/// `--library DIR` runs the CLI.
pub fn launch(args: &[std::ffi::OsString]) -> Launch {
    let cmd = Cli::command();
    let is_command = |word: &str| {
        word == "help"
            || cmd
                .get_subcommands()
                .any(|c| c.get_name() == word || c.get_all_aliases().any(|a| a == word))
    };
    let mut open = Vec::new();
    let mut library = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let text = arg.to_string_lossy();
        if text == "--library" {
            match rest.next() {
                Some(dir) => library = Some(PathBuf::from(dir)),
                None => return Launch::Cli,
            }
        } else if let Some(dir) = text.strip_prefix("--library=") {
            library = Some(PathBuf::from(dir));
        } else if text == "--" {
            // Everything after `--` is a file.
            for file in rest.by_ref() {
                open.push(PathBuf::from(file));
            }
        } else if text.starts_with('-') || is_command(&text) {
            return Launch::Cli;
        } else {
            open.push(PathBuf::from(arg));
        }
    }
    if open.iter().any(|f| !f.is_file()) {
        return Launch::Cli;
    }
    Launch::Window { open, library }
}

/// The window program beside this one: `../lib/lectern/lectern-window` in
/// an installed package (`/usr/bin/lectern` → `/usr/lib/lectern/`), or
/// `lectern-desktop` in the same cargo target folder. Only these two
/// places are looked at, never `PATH`.
fn window_program() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?;
    [
        dir.join("../lib/lectern/lectern-window"),
        dir.join("lectern-desktop"),
    ]
    .into_iter()
    .find(|p| p.is_file())
}

/// Runs the window program in place of this process, with the same
/// arguments. The command line itself links no GUI libraries, so a shell
/// command starts in milliseconds and works where WebKitGTK is missing.
fn open_window(args: &[std::ffi::OsString]) -> ExitCode {
    use std::os::unix::process::CommandExt;
    let Some(program) = window_program() else {
        eprintln!(
            "lectern: this build is the command line only and has no window; \
             `lectern --help` lists its commands"
        );
        return ExitCode::from(2);
    };
    let error = std::process::Command::new(&program).args(args).exec();
    eprintln!(
        "lectern: error: cannot start the window {}: {error}",
        program.display()
    );
    ExitCode::FAILURE
}

fn default_library() -> anyhow::Result<PathBuf> {
    let home = std::env::var_os("HOME").context("HOME is not set; pass --library DIR")?;
    Ok(PathBuf::from(home).join("Lectern"))
}

/// Runs a parsed command.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "lectern", &mut std::io::stdout());
            return Ok(ExitCode::SUCCESS);
        }
        Command::Manual => {
            clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout())?;
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
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
        Command::Star { paper, off } => editing::star(root, out, &paper, !off),
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
        Command::Reindex { embeddings } => folder::reindex(root, out, embeddings),
        Command::Embed { limit } => meaning::embed(root, out, limit),
        Command::Model(cmd) => meaning::model(root, out, cmd),
        Command::Rank {
            for_me: _,
            query,
            limit,
        } => meaning::for_you(root, out, query.as_deref(), limit),
        Command::Sync { watch, check } => return folder::sync(root, out, watch, check),
        Command::Delete { paper } => tidying::delete(root, out, &paper),
        Command::Merge { keep, other } => tidying::merge(root, out, &keep, &other),
        Command::Duplicates { limit } => tidying::duplicates(root, out, limit),
        Command::Trash(TrashCommand::List) => tidying::trash_list(root, out),
        Command::Trash(TrashCommand::Restore { paper }) => {
            tidying::trash_restore(root, out, &paper)
        }
        Command::Completions { .. } | Command::Manual => Ok(()),
        #[cfg(feature = "bench")]
        Command::Bench(args) => commands::bench::bench(args, cli.json),
    }?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::{Launch, launch};
    use std::ffi::OsString;
    use std::path::PathBuf;

    fn args(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    #[test]
    fn a_desktop_lectern_opens_the_window_only_without_a_command() {
        let dir = tempfile::tempdir().unwrap();
        let bib = dir.path().join("refs.bib");
        std::fs::write(&bib, "@misc{a, title={A}}").unwrap();
        let bib_arg = bib.to_str().unwrap();
        let window = |open: Vec<PathBuf>, library: Option<&str>| Launch::Window {
            open,
            library: library.map(PathBuf::from),
        };
        assert_eq!(launch(&args(&[])), window(vec![], None));
        assert_eq!(
            launch(&args(&["--library", "/l"])),
            window(vec![], Some("/l"))
        );
        assert_eq!(launch(&args(&[bib_arg])), window(vec![bib.clone()], None));
        assert_eq!(
            launch(&args(&["--library=/l", "--", bib_arg])),
            window(vec![bib.clone()], Some("/l"))
        );
        for cli in [
            &["search", "diffusion"][..],
            &["--version"],
            &["-h"],
            &["help"],
            &["--json", "list"],
            &["--library", "/l", "show", "x"],
            &["--library"],
            // A mistyped command is not a file: clap explains.
            &["serach", "x"],
            &[bib_arg, "nonexistent.bib"],
        ] {
            assert_eq!(launch(&args(cli)), Launch::Cli, "{cli:?}");
        }
        // A file named like a command is still the command.
        assert_eq!(launch(&args(&["list"])), Launch::Cli);
    }
}
