//! The `lectern` binary: a thin wrapper over [`lectern::cli`].

fn main() -> std::process::ExitCode {
    lectern::cli::main()
}
