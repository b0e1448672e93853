//! Kill `lectern` (SIGKILL) at random moments during a large import, a sync
//! of many edited files and a burst of edits; afterwards one `lectern sync`
//! must bring the folder and the library into agreement with no file
//! truncated and no acknowledged note lost.
//!
//! CI runs a few rounds; the long form is
//! `LECTERN_KILL_ROUNDS=100 cargo test --test kill -- --nocapture`.

mod common;

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::time::Duration;

use common::Lib;

/// A small deterministic generator (64-bit LCG), so a failing round can be
/// replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("lectern")
}

/// Starts `sh -c script` in its own process group, waits `delay`, then
/// kills the whole group.
fn run_and_kill(lib: &Lib, script: &str, delay: Duration) {
    let mut child = Process::new("sh")
        .arg("-c")
        .arg(script)
        .env("LECTERN", bin())
        .env("LECTERN_LIBRARY", lib.root())
        .current_dir(lib.dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("spawn");
    std::thread::sleep(delay);
    let pgid = child.id().to_string();
    let _ = Process::new("kill")
        .args(["-KILL", "--", &format!("-{pgid}")])
        .status();
    let _ = child.wait();
}

fn big_import(dir: &Path, round: u64, n: usize) -> std::path::PathBuf {
    let mut items = Vec::with_capacity(n);
    for i in 0..n {
        items.push(serde_json::json!({
            "id": format!("r{round}p{i}"),
            "type": "article-journal",
            "title": format!("Round {round} paper {i} on the kinetics of axolotl regeneration"),
            "abstract": format!("Marker round{round}. An abstract long enough to look like prose, number {i}."),
        }));
    }
    let path = dir.join(format!("big-{round}.json"));
    std::fs::write(&path, serde_json::to_vec(&items).expect("json")).expect("write");
    path
}

#[test]
fn killing_lectern_at_random_moments_loses_nothing() {
    let rounds: u64 = std::env::var("LECTERN_KILL_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6);
    let lib = Lib::new();
    lib.import_seed();
    let keys: Vec<String> = lib
        .json(&["list"])
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|p| p["citekey"].as_str().map(str::to_string))
        .take(60)
        .collect();
    let mut rng = Rng(0x5eed);
    for round in 0..rounds {
        let delay = Duration::from_millis(30 + rng.below(1500));
        let scenario = round % 3;
        eprintln!("round {round}: scenario {scenario}, kill after {delay:?}");
        let mut edited: Vec<(String, String)> = Vec::new();
        match scenario {
            0 => {
                let file = big_import(lib.dir.path(), round, 3000);
                run_and_kill(
                    &lib,
                    &format!("\"$LECTERN\" import '{}'", file.display()),
                    delay,
                );
            }
            1 => {
                for key in keys.iter().skip(rng.below(10) as usize).take(40) {
                    let path = lib.root().join("papers").join(format!("{key}.md"));
                    let text = std::fs::read_to_string(&path).expect("paper file");
                    let line = format!("Edited by hand in round {round}.");
                    std::fs::write(&path, format!("{text}\n{line}\n")).expect("edit");
                    edited.push((key.clone(), line));
                }
                run_and_kill(&lib, "\"$LECTERN\" sync", delay);
            }
            _ => {
                let key = &keys[rng.below(keys.len() as u64) as usize];
                let script = format!(
                    "i=0; while [ $i -lt 400 ]; do i=$((i+1)); \
                     \"$LECTERN\" note add {key} --text \"burst {round} $i\" && echo \"$i\" >> acked-{round}.txt; done"
                );
                run_and_kill(&lib, &script, delay);
                edited.push((key.clone(), String::new()));
            }
        }
        // One sync brings everything into agreement (once the killed
        // processes are gone and their lock with them).
        let mut tries = 0;
        loop {
            let out = lib.cmd().arg("sync").output().expect("sync");
            if out.status.success() {
                break;
            }
            let err = String::from_utf8_lossy(&out.stderr).into_owned();
            assert!(
                err.contains("in use by another Lectern process") && tries < 100,
                "round {round}: sync failed: {err}"
            );
            tries += 1;
            std::thread::sleep(Duration::from_millis(50));
        }
        let check = lib.cmd().args(["sync", "--check"]).output().expect("check");
        assert!(
            check.status.success(),
            "round {round}: folder and library disagree after one sync:\n{}",
            String::from_utf8_lossy(&check.stdout)
        );
        match scenario {
            0 => {
                let n = lib.json(&["search", &format!("round{round}"), "--limit", "5000"]);
                let n = n.as_array().map_or(0, Vec::len);
                assert!(
                    n == 0 || n == 3000,
                    "round {round}: import was half-written ({n})"
                );
            }
            1 => {
                for (key, line) in &edited {
                    let p = lib.json(&["show", key]);
                    let found = p["notes"].as_array().expect("notes").iter().any(|n| {
                        n["body"]
                            .as_str()
                            .is_some_and(|b| b.contains(line.as_str()))
                    });
                    assert!(found, "round {round}: the hand edit of {key} was lost");
                }
            }
            _ => {
                let key = &edited[0].0;
                let acked =
                    std::fs::read_to_string(lib.dir.path().join(format!("acked-{round}.txt")))
                        .unwrap_or_default();
                let p = lib.json(&["show", key]);
                let bodies: Vec<&str> = p["notes"]
                    .as_array()
                    .expect("notes")
                    .iter()
                    .filter_map(|n| n["body"].as_str())
                    .collect();
                for i in acked.lines() {
                    let want = format!("burst {round} {i}");
                    assert!(
                        bodies.contains(&want.as_str()),
                        "round {round}: acknowledged note `{want}` was lost"
                    );
                }
            }
        }
    }
}
