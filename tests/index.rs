//! `imr index`: document counts, facet counts, drill-down, idempotent re-indexing, bad files,
//! the writer lock, schema versions, and a real `kill -9` in the middle of a run.

use crate::util::*;
use imr_search::index::ImrIndex;
use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;
use tantivy::collector::{Count, FacetCollector};
use tantivy::query::{AllQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::Term;

fn index_cmd(dir: &Path, paths: &[&Path]) -> Run {
    let mut cmd = imr();
    cmd.arg("index").arg("--index").arg(dir);
    for p in paths {
        cmd.arg(p);
    }
    run_cmd(&mut cmd)
}

/// Facet counts one level below `root`, as (last step, count), sorted by step.
fn facet_counts(dir: &Path, field: &str, root: &str) -> Vec<(String, u64)> {
    let ix = ImrIndex::open(dir).unwrap();
    let searcher = ix.index.reader().unwrap().searcher();
    let mut fc = FacetCollector::for_field(field);
    fc.add_facet(root);
    let counts = searcher.search(&AllQuery, &fc).unwrap();
    let mut out: Vec<(String, u64)> = counts
        .get(root)
        .map(|(f, n)| (f.to_path().last().unwrap().to_string(), n))
        .collect();
    out.sort();
    out
}

fn all_ids(dir: &Path) -> Vec<String> {
    let ix = ImrIndex::open(dir).unwrap();
    let searcher = ix.index.reader().unwrap().searcher();
    let top = searcher
        .search(&AllQuery, &tantivy::collector::DocSetCollector)
        .unwrap();
    top.into_iter()
        .map(|addr| {
            let doc: tantivy::TantivyDocument = searcher.doc(addr).unwrap();
            let record = tantivy::schema::Value::as_str(
                &doc.get_first(ix.fields.record).expect("stored record"),
            )
            .unwrap()
            .to_string();
            let v: serde_json::Value = serde_json::from_str(&record).unwrap();
            format!("{}#{}", v["letter_id"].as_str().unwrap(), v["item_index"])
        })
        .collect()
}

#[test]
fn seeds_index_counts_and_reindex_is_idempotent() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ix");
    let r = index_cmd(&dir, &[&seeds()]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("indexed 5 letters (15 items) from 5 files"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .ends_with("\n5 files: 5 read (5 letters: 5 2014-no-header), 0 skipped\n"),
        "{}",
        r.stderr
    );
    assert_eq!(ImrIndex::open(&dir).unwrap().num_items().unwrap(), 15);
    assert_eq!(
        facet_counts(&dir, "decision", "/decision"),
        [("upheld".into(), 15)]
    );

    let r = index_cmd(&dir, &[&seeds()]);
    assert_eq!(r.status, 0);
    assert!(r.stderr.contains("5 replaced"), "{}", r.stderr);
    // Re-indexing the same files replaces each letter, silently: no file changed.
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    assert!(
        r.stderr.ends_with(
            "\n5 files: 5 read (5 letters: 5 2014-no-header; 5 replaced earlier copies: 5 \
             indexed before), 0 skipped\n"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(ImrIndex::open(&dir).unwrap().num_items().unwrap(), 15);
    let ids = all_ids(&dir);
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        15,
        "no duplicates: {ids:?}"
    );
}

#[test]
fn real_letters_facets_and_drill_down() {
    let Some(letters) = shared_letters("txt") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ix");
    let r = index_cmd(&dir, &[&letters]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(ImrIndex::open(&dir).unwrap().num_items().unwrap(), 180);
    assert_eq!(
        facet_counts(&dir, "decision", "/decision"),
        [("overturned".into(), 18), ("upheld".into(), 162)]
    );
    // Drill down: MTUS → documents; the Chronic Pain guidelines are cited by 78 items.
    let docs = facet_counts(&dir, "guideline", "/guideline/MTUS");
    assert!(
        docs.contains(&("Chronic Pain Medical Treatment Guidelines".into(), 78)),
        "{docs:?}"
    );
    assert!(
        docs.contains(&("Low Back Complaints".into(), 25)),
        "{docs:?}"
    );
    // ... and inside a drill-down, the decisions of just those items.
    let ix = ImrIndex::open(&dir).unwrap();
    let searcher = ix.index.reader().unwrap().searcher();
    let q = TermQuery::new(
        Term::from_facet(
            ix.fields.facets[imr_search::index::facets::by_name("guideline")],
            &Facet::from("/guideline/MTUS/Low Back Complaints/Special Studies"),
        ),
        IndexRecordOption::Basic,
    );
    let mut fc = FacetCollector::for_field("decision");
    fc.add_facet("/decision");
    let (n, counts) = searcher.search(&q, &(Count, fc)).unwrap();
    let upheld = counts
        .get("/decision")
        .find(|(f, _)| f.to_string() == "/decision/upheld")
        .map_or(0, |x| x.1);
    let overturned = counts
        .get("/decision")
        .find(|(f, _)| f.to_string() == "/decision/overturned")
        .map_or(0, |x| x.1);
    assert_eq!(
        n, 14,
        "14 items cite MTUS Low Back Complaints, Special Studies"
    );
    assert_eq!(upheld + overturned, 14);

    // Adding the seeds to it keeps what was there.
    let r = index_cmd(&dir, &[&seeds()]);
    assert_eq!(r.status, 0);
    assert_eq!(ImrIndex::open(&dir).unwrap().num_items().unwrap(), 195);
}

#[test]
fn bad_files_are_skipped_and_nothing_committed_is_lost() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ix");
    assert_eq!(index_cmd(&dir, &[&seeds()]).status, 0);
    let more = tmp.path().join("more");
    std::fs::create_dir(&more).unwrap();
    std::fs::write(more.join("empty.txt"), "").unwrap();
    std::fs::write(more.join("notes.txt"), "not a letter\n").unwrap();
    let seed = std::fs::read_to_string(seeds().join("004_8d13912140871e79.txt")).unwrap();
    std::fs::write(
        more.join("new.txt"),
        format!("Case Number: CM99-0000001\n{seed}"),
    )
    .unwrap();
    let r = index_cmd(&dir, &[&more]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "skipped: {}: empty file",
            more.join("empty.txt").display()
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("notes.txt: not an IMR determination letter"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("indexed 1 letters (2 items) from 3 files"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("2 skipped"), "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "3 files: 1 read (1 letter: 1 2016-header), 2 skipped (1 not a letter, 1 empty)"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(ImrIndex::open(&dir).unwrap().num_items().unwrap(), 17);
}

#[test]
fn a_letter_in_two_files_is_indexed_once_and_the_warning_names_both() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ix");
    let seed = std::fs::read_to_string(seeds().join("004_8d13912140871e79.txt")).unwrap();
    let letter = format!("Case Number: CM99-0000001\n{seed}");
    let file = |folder: &str, name: &str| {
        let d = tmp.path().join(folder);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join(name), &letter).unwrap();
        d.join(name)
    };
    let (a, b, c) = (file("a", "x.txt"), file("b", "y.txt"), file("c", "z.txt"));

    // In one run: the later file replaces the earlier.
    let r = index_cmd(&dir, &[a.parent().unwrap(), b.parent().unwrap()]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "warning: CM99-0000001: {} replaces {} (same letter read twice)",
            b.display(),
            a.display()
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(
            "2 files: 2 read (2 letters: 2 2016-header; 1 replaced an earlier copy: 1 read \
             earlier in this run), 0 skipped"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(ImrIndex::open(&dir).unwrap().num_items().unwrap(), 2);

    // In a later run: the warning names the file the index holds it from.
    let r = index_cmd(&dir, &[&c]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "warning: CM99-0000001: {} replaces {} (indexed before)",
            c.display(),
            b.display()
        )),
        "{}",
        r.stderr
    );
    assert_eq!(ImrIndex::open(&dir).unwrap().num_items().unwrap(), 2);
    let mut ids = all_ids(&dir);
    ids.sort();
    assert_eq!(ids, ["CM99-0000001#1", "CM99-0000001#2"]);
    // The same file again is routine: replaced, no warning.
    let r = index_cmd(&dir, &[&c]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}

#[test]
fn a_second_writer_gets_a_clear_lock_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ix");
    assert_eq!(index_cmd(&dir, &[&seeds()]).status, 0);
    let ix = ImrIndex::open(&dir).unwrap();
    let _held = ix.writer(1, 30 << 20).unwrap();
    let r = index_cmd(&dir, &[&seeds()]);
    assert_eq!(r.status, 2);
    assert_eq!(
        r.stderr.trim(),
        format!(
            "imr: {}: index is locked by another imr process (an `imr index` is running); try again when it finishes",
            dir.display()
        )
    );
}

#[test]
fn an_index_of_another_schema_version_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ix");
    assert_eq!(index_cmd(&dir, &[&seeds()]).status, 0);
    let v = imr_search::index::schema::version();
    std::fs::write(
        dir.join("imr-index.json"),
        format!(
            "{{\"schema_version\": {}, \"written_by\": \"imr 0.0.1\"}}",
            v + 1
        ),
    )
    .unwrap();
    let r = index_cmd(&dir, &[&seeds()]);
    assert_eq!(r.status, 2);
    assert_eq!(
        r.stderr.trim(),
        format!(
            "imr: {}: index built with schema v{}, this imr needs v{v}: run `imr index --rebuild PATH...`",
            dir.display(),
            v + 1
        )
    );
    // --rebuild replaces it.
    let mut cmd = imr();
    cmd.args(["index", "--rebuild", "--index"])
        .arg(&dir)
        .arg(seeds());
    let r = run_cmd(&mut cmd);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(ImrIndex::open(&dir).unwrap().num_items().unwrap(), 15);
    // Beside the index, only its write lock file (which stays, see src/index/lock.rs).
    assert!(
        std::fs::read_dir(tmp.path()).unwrap().count() == 2,
        "no rebuild leftovers"
    );
}

#[test]
fn an_index_built_with_another_synonym_table_is_refused() {
    // Concept tokens are indexed from the synonym table: an index built with another table
    // would silently miss concept matches, so it is refused like another schema version.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ix");
    assert_eq!(index_cmd(&dir, &[&seeds()]).status, 0);
    let meta_path = dir.join("imr-index.json");
    let mut meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&meta_path).unwrap()).unwrap();
    assert_eq!(
        meta["concepts"].as_u64(),
        Some(imr_search::index::schema::concepts_fingerprint())
    );
    meta["concepts"] = serde_json::json!(12345);
    std::fs::write(&meta_path, meta.to_string()).unwrap();
    for r in [
        index_cmd(&dir, &[&seeds()]),
        run_cmd(imr().args(["search", "--index"]).arg(&dir).arg("UDS")),
    ] {
        assert_eq!(r.status, 2);
        assert_eq!(
            r.stderr.trim(),
            format!(
                "imr: {}: index built with another synonym table than this imr's: run `imr index --rebuild PATH...`",
                dir.display()
            )
        );
    }
}

/// Writes `n` letters (seed texts under fresh case numbers) and returns the items each has.
fn synthetic_corpus(dir: &Path, n: usize) -> Vec<usize> {
    let seeds: Vec<(String, usize)> = letter_files(&seeds())
        .iter()
        .map(|p| {
            let t = std::fs::read_to_string(p).unwrap();
            let items = t.matches("Decision rationale:").count();
            (t, items)
        })
        .collect();
    std::fs::create_dir_all(dir).unwrap();
    (0..n)
        .map(|i| {
            let (text, items) = &seeds[i % seeds.len()];
            std::fs::write(
                dir.join(format!("L{i:05}.txt")),
                format!("Case Number: CM99-{i:07}\nDecision Date: 01/02/2017\n{text}"),
            )
            .unwrap();
            *items
        })
        .collect()
}

#[test]
fn killed_mid_run_keeps_the_last_commit_and_a_rerun_finishes_without_duplicates() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let items = synthetic_corpus(&corpus, 3000);
    let total: usize = items.iter().sum();
    let dir = tmp.path().join("ix");
    let batch = 100;
    let mut child = imr()
        .args(["index", "--batch", &batch.to_string(), "--index"])
        .arg(&dir)
        .arg(&corpus)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    // Wait for the second commit, then kill -9 in the middle of the next batches.
    let mut commits = 0;
    for line in lines.by_ref() {
        if line.unwrap().contains("committed") {
            commits += 1;
            if commits == 2 {
                break;
            }
        }
    }
    assert_eq!(commits, 2, "the run committed twice before the kill");
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();

    // The index opens with exactly what some commit held: a whole number of batches.
    let n = ImrIndex::open(&dir).unwrap().num_items().unwrap() as usize;
    let prefix_sums: Vec<usize> = items
        .chunks(batch)
        .scan(0, |acc, c| {
            *acc += c.iter().sum::<usize>();
            Some(*acc)
        })
        .collect();
    assert!(
        n >= prefix_sums[1],
        "at least the two reported commits survive: {n}"
    );
    assert!(
        prefix_sums.contains(&n),
        "{n} items is not a whole number of batches"
    );

    let r = index_cmd(&dir, &[&corpus]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(
        ImrIndex::open(&dir).unwrap().num_items().unwrap() as usize,
        total
    );
    let ids = all_ids(&dir);
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        total,
        "no duplicates"
    );
}
