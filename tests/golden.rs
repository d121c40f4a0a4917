//! The JSON contract of `imr search --format json`, pinned byte for byte: other tools parse
//! it, so any change to it shows up here as a diff (fields may only be added).
//!
//! The index is built from the seed letters with the repository as the working folder, so
//! every `source` is the stable relative path `corpora/seeds/...`. To accept an intended
//! change, run with `IMR_BLESS=1` and review the diff of `tests/data/*.golden.json`.

use crate::util::*;

fn golden(name: &str, args: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let ix = dir.path().join("ix");
    let r = run_cmd(
        imr()
            .current_dir(repo())
            .args(["index", "--quiet", "corpora/seeds", "--index"])
            .arg(&ix),
    );
    assert_eq!(r.status, 0, "{}", r.stderr);
    let r = run_cmd(
        imr()
            .current_dir(repo())
            .arg(args[0])
            .args(["--format", "json", "--index"])
            .arg(&ix)
            .args(&args[1..]),
    );
    assert_eq!(r.status, 0, "{}", r.stderr);
    let path = repo()
        .join("tests/data")
        .join(format!("{name}.golden.json"));
    if std::env::var_os("IMR_BLESS").is_some() {
        std::fs::write(&path, &r.stdout).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        r.stdout == want,
        "{} differs from `imr {}`:\n--- want\n{want}\n--- got\n{}",
        path.display(),
        args.join(" "),
        r.stdout
    );
}

#[test]
fn search_json_contract() {
    golden("search", &["search", "Norco upheld urine drug screen"]);
}

#[test]
fn search_json_contract_with_filters_and_facets() {
    golden(
        "search-opioids",
        // One hit: below the first, equal scores order by where the documents landed in the
        // index, which two indexing threads do not fix.
        &[
            "search",
            "norco functional improvement",
            "--class",
            "opioid",
            "--limit",
            "1",
        ],
    );
}

#[test]
fn facets_json_contract() {
    golden("facets-guideline", &["facets", "guideline", "--depth", "3"]);
}

#[test]
fn precedents_json_contract() {
    golden(
        "precedents",
        &["precedents", "physical therapy", "--limit", "3"],
    );
}

#[test]
fn similar_json_contract() {
    // The top neighbour only: below it, equal scores order by where the documents landed.
    golden(
        "similar",
        &["similar", "000_015c11873bc6d2ff#1", "--limit", "1"],
    );
}
