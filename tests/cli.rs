//! The command line as a user meets it: flags checked before any work, absurd values
//! clamped, errors on one line, pipes and dumb terminals (the first run: install.rs).

use crate::search::{ids, search_json, seeds_index};
use crate::util::*;
use serde_json::Value;

#[test]
fn bad_flags_are_usage_errors_before_any_work() {
    let ix = seeds_index().to_str().unwrap().to_string();
    let r = run(&["search", "--index", &ix, "--from", "yesterday", "x"]);
    assert_eq!(r.status, 2);
    assert_eq!(
        r.stderr.lines().next(),
        Some(
            "error: invalid value 'yesterday' for '--from <DATE>': not a date: use YYYY-MM-DD, YYYY-MM or YYYY"
        )
    );
    let r = run(&["search", "--index", &ix, "--medication", "Frobozz"]);
    assert_eq!(r.status, 2);
    assert!(
        r.stderr.contains("unknown drug \"Frobozz\""),
        "{}",
        r.stderr
    );
    let r = run(&["search", "--index", &ix, "--guideline", "NICE"]);
    assert_eq!(r.status, 2);
    assert!(
        r.stderr
            .contains("no guideline in the index matches \"NICE\""),
        "{}",
        r.stderr
    );
    let r = run(&["search", "--index", "/nonexistent/ix", "x"]);
    assert_eq!(r.status, 2);
    assert!(r.stderr.contains("no index here"), "{}", r.stderr);
}

#[test]
fn absurd_limits_and_offsets_are_clamped() {
    // Issue 13: `--limit 18446744073709551615` panicked (capacity overflow) and
    // `--limit 2000000000` aborted allocating 32 GB.
    let ix = seeds_index();
    for limit in ["18446744073709551615", "2000000000"] {
        let v = search_json(ix, &["--limit", limit, "opioids"]);
        assert_eq!(v["total"], 7);
        assert_eq!(v["hits"].as_array().unwrap().len(), 7);
    }
    let v = search_json(ix, &["--offset", "18446744073709551615", "opioids"]);
    assert_eq!(v["total"], 7);
    assert!(v["hits"].as_array().unwrap().is_empty());
}

#[test]
fn a_pasted_page_is_cut_to_its_first_distinct_words() {
    // Issue 13: a query of 4,000 words took 25 s. Repeats add nothing; past 64 distinct
    // words the rest is dropped, and the note says so.
    let ix = seeds_index();
    let long = std::iter::repeat_n("norco urine", 2000)
        .collect::<Vec<_>>()
        .join(" ");
    let start = std::time::Instant::now();
    let v = search_json(ix, &[&long]);
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    assert_eq!(ids(&v)[0], "000_015c11873bc6d2ff#1");
    assert_eq!(
        v["note"],
        "the query was cut to its first 64 distinct words"
    );
}

#[test]
fn a_closed_pipe_is_quiet_in_every_format() {
    // Issue 13: `--format csv | head -1` printed "imr: Broken pipe" and exited 2.
    use std::io::Read;
    let ix = seeds_index();
    for format in ["csv", "json", "jsonl", "md", "table"] {
        let mut child = imr()
            .args(["search", "--limit", "100", "--format", format, "--index"])
            .arg(ix)
            .arg("medically")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Read one byte, then close the pipe: the rest of the output meets a closed pipe.
        let mut stdout = child.stdout.take().unwrap();
        let mut one = [0u8; 1];
        stdout.read_exact(&mut one).unwrap();
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{format}");
    }
}

#[test]
fn errors_say_their_cause_once() {
    // Issue 13: "(os error 2): No such file or directory (os error 2)".
    let dir = tempfile::tempdir().unwrap();
    let r = run_cmd(
        imr()
            .args(["index", "/nonexistent/letters", "--index"])
            .arg(dir.path().join("ix")),
    );
    assert_eq!(r.status, 2);
    assert_eq!(
        r.stderr,
        "imr: /nonexistent/letters: No such file or directory (os error 2)\n"
    );
}

#[test]
fn a_query_word_starting_with_a_dash_says_how_to_pass_it() {
    // Issue 13: `imr search -tramadol` was a bare clap error.
    let r = run(&["search", "-tramadol"]);
    assert_eq!(r.status, 2);
    assert!(
        r.stderr.ends_with(
            "imr: \"-tramadol\" was read as a flag; put the query after `--` to search with it \
             (in query syntax -word excludes a word): imr search -- -tramadol ...\n"
        ),
        "{}",
        r.stderr
    );
    let ix = seeds_index();
    let r = run_cmd(
        imr()
            .args(["search", "--format", "json", "--index"])
            .arg(ix)
            .args(["--", "-tramadol", "opioids"]),
    );
    assert_eq!(r.status, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["total"], 6, "the seven opioid items but the tramadol one");
}

#[test]
fn a_dumb_terminal_gets_no_escape_codes() {
    // Issue 13: TERM=dumb still got ANSI bold. (stdout is a pipe here, so this checks the
    // table format asked for explicitly: never bold down a pipe either.)
    let ix = seeds_index();
    let r = run_cmd(
        imr()
            .env("TERM", "dumb")
            .args(["search", "--format", "table", "--index"])
            .arg(ix)
            .arg("Norco"),
    );
    assert_eq!(r.status, 0);
    assert!(!r.stdout.contains('\x1b'), "{}", r.stdout);
}

#[test]
fn where_filters_on_any_facet() {
    let ix = seeds_index();
    let v = search_json(ix, &["--where", "class=opioid", "--limit", "0"]);
    assert_eq!(v["total"], 7);
    assert_eq!(
        v["interpreted"], "medication=opioid",
        "an alias names its facet"
    );
    let v = search_json(
        ix,
        &[
            "--where",
            "guideline=MTUS/Chronic",
            "--where",
            "decision=upheld",
            "--limit",
            "0",
        ],
    );
    let w = search_json(
        ix,
        &[
            "--guideline",
            "MTUS/Chronic",
            "--decision",
            "upheld",
            "--limit",
            "0",
        ],
    );
    assert_eq!(v["total"], w["total"]);
    let r = run(&["search", "--where", "nonsense=1", "x"]);
    assert_eq!(r.status, 2);
    assert!(r.stderr.contains("no facet \"nonsense\""), "{}", r.stderr);
}
