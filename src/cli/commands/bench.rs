//! `lectern bench`: the engine's benchmark, or with `--formats` the
//! import-format benchmark.

use crate::bench::BenchArgs;
use crate::cli::output::print_json;

/// Runs the benchmark the arguments ask for and prints its report.
pub(in crate::cli) fn bench(args: BenchArgs, json: bool) -> anyhow::Result<()> {
    match args.formats {
        Some(entries) => {
            let rows = crate::bench::formats::run(entries, args.seed, args.topics)?;
            if json {
                print_json(&rows)?;
            } else {
                print!("{}", crate::bench::formats::table(&rows));
            }
        }
        None => {
            crate::bench::run(&args, json)?;
        }
    }
    Ok(())
}
