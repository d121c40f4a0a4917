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

/// A small, well-formed one-page PDF whose page dictionary holds an array nested `depth`
/// deep (`[[[...]]]`): the shape that overflowed the PDF reader's stack (issue 13).
pub fn nested_pdf(depth: usize) -> Vec<u8> {
    let content = b"BT /F1 12 Tf 72 720 Td (Case Number: CM16-0000099) Tj ET";
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        [
            &b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Nested "[..],
            &"[".repeat(depth).into_bytes(),
            &"]".repeat(depth).into_bytes(),
            b" >>",
        ]
        .concat(),
        [
            format!("<< /Length {} >>\nstream\n", content.len()).as_bytes(),
            content,
            b"\nendstream",
        ]
        .concat(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend(body);
        pdf.extend(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        pdf.extend(format!("{off:010} 00000 n \n").as_bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}
