//! Bad input: one clear line per failed file on stderr, every good file still parsed, exit
//! status 1; no panic on any bytes.

use crate::util::*;
use proptest::prelude::*;
use std::fs;

const SEED_004: &str = include_str!("../corpora/seeds/004_8d13912140871e79.txt");

fn bad_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::copy(seeds().join("004_8d13912140871e79.txt"), p.join("good.txt")).unwrap();
    fs::write(p.join("empty.txt"), "").unwrap();
    fs::write(
        p.join("binary.txt"),
        [0u8, 159, 146, 150, 0, 1, 2, 3, 255, 0],
    )
    .unwrap();
    fs::write(p.join("notes.txt"), "Meeting notes\nNothing to see here.\n").unwrap();
    // Cut inside the second item's MAXIMUS line.
    let cut = SEED_004.find("Page 63-64").unwrap();
    fs::write(p.join("truncated.txt"), &SEED_004[..cut]).unwrap();
    // Cut after the second item's decision line, before its guideline lines.
    let cut =
        SEED_004.find("Baclofen 20mg #30:  Upheld").unwrap() + "Baclofen 20mg #30:  Upheld".len();
    fs::write(p.join("cut-after-decision.txt"), &SEED_004[..cut]).unwrap();
    // A Windows-1252 en dash and curly quotes: read leniently, not thrown away.
    let mut cp1252 = SEED_004
        .replace("Norco 10/325 #60", "Norco 10/325 \u{0}#60")
        .into_bytes();
    let pos = cp1252.iter().position(|&b| b == 0).unwrap();
    cp1252.splice(pos..=pos, [0x96, b' ']);
    fs::write(p.join("cp1252.txt"), cp1252).unwrap();
    dir
}

/// Files that are not letters fail, one named line each; letters cut short keep their
/// complete items, with a warning naming the file (issue 12).
#[test]
fn each_bad_file_gets_one_named_error_and_the_rest_is_parsed() {
    let dir = bad_dir();
    let r = run(&["parse", "--format", "jsonl", dir.path().to_str().unwrap()]);
    assert_eq!(r.status, 1, "some files failed: exit 1");
    let d = dir.path().display();
    let mut errors: Vec<&str> = r.stderr.lines().collect();
    errors.sort();
    assert_eq!(
        errors,
        vec![
            format!("{d}/binary.txt: binary file, not letter text"),
            format!("{d}/empty.txt: empty file"),
            format!("{d}/notes.txt: not an IMR determination letter (no layout's headings, no MAXIMUS or Independent Medical Review wording)"),
            format!("warning: {d}/cp1252.txt: not valid UTF-8, read as Windows-1252"),
            format!("warning: {d}/cut-after-decision.txt: cut-after-decision: truncated in item 2: a decision with no guideline or rationale lines after it; the complete item before it (1) indexed"),
            format!("warning: {d}/truncated.txt: truncated: truncated in item 2: no \"Decision rationale:\" line; the complete item before it (1) indexed"),
        ]
    );
    let items = jsonl(&r.stdout);
    let got: Vec<(&str, &str)> = items
        .iter()
        .map(|i| {
            let source = i["source"].as_str().unwrap();
            (
                &source[source.rfind('/').unwrap() + 1..],
                i["item"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("cp1252.txt", "Norco 10/325 \u{2013} #60"),
            ("cp1252.txt", "Baclofen 20mg #30"),
            ("cut-after-decision.txt", "Norco 10/325 #60"),
            ("good.txt", "Norco 10/325 #60"),
            ("good.txt", "Baclofen 20mg #30"),
            ("truncated.txt", "Norco 10/325 #60"),
        ]
    );
    // The kept item's rationale stops where it did, not at the cut item's name.
    assert!(items[2]["rationale"]
        .as_str()
        .unwrap()
        .ends_with("this request for Norco is not considered medically necessary."));
}

#[test]
fn a_missing_path_is_a_usage_error() {
    let r = run(&["parse", "/definitely/not/here.txt"]);
    assert_eq!(r.status, 2);
    assert!(
        r.stderr.contains("/definitely/not/here.txt"),
        "{}",
        r.stderr
    );
    let r = run(&["parse"]);
    assert_eq!(r.status, 2);
}

/// A letter that stops mid-sentence cannot be told from one that ends without a period
/// (real letters do, issue 12): it is complete, both items kept.
#[test]
fn ending_mid_sentence_is_not_a_cut() {
    let cut = SEED_004.find("efficacy diminishes").unwrap();
    let letter = imr_search::letter::parse_letter(&SEED_004[..cut], "x.txt").unwrap();
    assert_eq!(letter.items.len(), 2);
    assert!(
        letter.items[1]
            .rationale
            .ends_with("It is also noted that the"),
        "{}",
        letter.items[1].rationale
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = imr_search::letter::parse_bytes(&bytes, "fuzz.txt", "fuzz");
    }

    /// Letters with a slice cut out, a slice repeated, or text spliced in.
    #[test]
    fn mutated_letters_never_panic(
        a in 0..SEED_004.len(),
        b in 0..SEED_004.len(),
        insert in "(Upheld|Overturned|: |MAXIMUS guideline:|Decision rationale:|Claims Administrator guideline:|\n|Page\\(s\\): 1-|Section\\(s\\):|, and |[\\PC]{0,20})",
        op in 0..3u8,
    ) {
        let (lo, hi) = (a.min(b), a.max(b));
        let boundary = |i: usize| (0..=i).rev().find(|&j| SEED_004.is_char_boundary(j)).unwrap_or(0);
        let (lo, hi) = (boundary(lo), boundary(hi));
        let text = match op {
            0 => format!("{}{}", &SEED_004[..lo], &SEED_004[hi..]),
            1 => format!("{}{}{}", &SEED_004[..hi], &SEED_004[lo..hi], &SEED_004[hi..]),
            _ => format!("{}{}{}", &SEED_004[..lo], insert, &SEED_004[lo..]),
        };
        if let Ok(letter) = imr_search::letter::parse_letter(&text, "m.txt") {
            for item in letter.into_items() {
                prop_assert!(!item.item.is_empty());
            }
        }
    }
}
