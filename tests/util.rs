//! Test harness: run the real `imr` binary, find the shared letters, make temp dirs.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn seeds() -> PathBuf {
    repo().join("corpora/seeds")
}

/// `../shared/letters/<kind>` (kind: txt, txt-layout, pdf), or None — after saying so on
/// stderr — where the shared letters are not beside the repo (a user's clone).
pub fn shared_letters(kind: &str) -> Option<PathBuf> {
    let dir = repo().join("../shared/letters").join(kind);
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: {} not found; the 72 real letters live beside the repo in ../shared",
            dir.display()
        );
        None
    }
}

pub fn imr() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_imr"));
    cmd.env_remove("IMR_INDEX");
    // A test that forgets --index must not build the demo in the developer's own data
    // directory: the default location is a home of the tests' own.
    let home = Path::new(env!("CARGO_TARGET_TMPDIR")).join("home");
    cmd.env("XDG_DATA_HOME", home.join(".local/share"))
        .env("HOME", home);
    cmd
}

pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(args: &[&str]) -> Run {
    run_cmd(imr().args(args))
}

pub fn run_cmd(cmd: &mut Command) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("imr binary runs");
    Run {
        status: status.code().unwrap_or(-1),
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

/// Parses `imr parse --format jsonl` output.
pub fn jsonl(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect()
}

pub fn letter_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("letters dir readable")
        .map(|e| e.expect("dir entry").path())
        .collect();
    files.sort();
    files
}
