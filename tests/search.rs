//! `imr search`, `precedents`, `facets`, `show`: query understanding, exact facet counts,
//! filters, output formats, first run, and relevance held to a bar.

use crate::util::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// An index of `paths`, built once per test process under cargo's test temp dir.
pub(crate) fn shared_index(name: &str, paths: &[PathBuf]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("index-{name}-{}", std::process::id()));
    let mut cmd = imr();
    cmd.args(["index", "--quiet", "--rebuild", "--index"])
        .arg(&dir)
        .args(paths);
    let r = run_cmd(&mut cmd);
    assert_eq!(r.status, 0, "{}", r.stderr);
    dir
}

pub(crate) fn seeds_index() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| shared_index("seeds", &[seeds()]))
}

/// Seeds plus the 72 real letters, when ../shared is there.
pub(crate) fn all_index() -> Option<&'static Path> {
    static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| shared_letters("txt").map(|txt| shared_index("all", &[seeds(), txt])))
        .as_deref()
}

pub(crate) fn search_json(index: &Path, args: &[&str]) -> Value {
    let mut cmd = imr();
    cmd.args(["search", "--format", "json", "--index"])
        .arg(index)
        .args(args);
    let r = run_cmd(&mut cmd);
    assert_eq!(r.status, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).expect("search --format json prints one JSON object")
}

pub(crate) fn ids(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

pub(crate) fn facet(v: &Value, name: &str) -> Vec<(String, u64, u64)> {
    v["facets"][name]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["value"].as_str().unwrap().to_string(),
                f["count"].as_u64().unwrap(),
                f["overturned"].as_u64().unwrap(),
            )
        })
        .collect()
}

pub(crate) fn s(v: &str, n: u64, o: u64) -> (String, u64, u64) {
    (v.to_string(), n, o)
}

/// The key and rule sentences are chosen only when the output prints them: a request that
/// asks for no reasoning (a table, CSV or Markdown search, the HTML search page) leaves
/// them empty, and one that asks (JSON, precedent lists) gets a sentence for every hit.
#[test]
fn reasoning_is_chosen_only_when_asked_for() {
    use imr_search::search::{Criteria, Engine, SearchRequest};
    let engine = Engine::open(seeds_index()).unwrap();
    let asked = SearchRequest::new(Criteria {
        query: String::new(),
        literal: false,
        filters: Default::default(),
    });
    let r = engine.search(&asked).unwrap();
    assert!(!r.hits.is_empty());
    assert!(r.hits.iter().all(|h| !h.key_sentence.text.is_empty()));
    let r = engine
        .search(&SearchRequest {
            reasoning: false,
            ..asked
        })
        .unwrap();
    assert!(!r.hits.is_empty());
    assert!(r
        .hits
        .iter()
        .all(|h| h.key_sentence.text.is_empty() && h.rule_sentence.is_none()));
}

#[test]
fn the_readme_query_on_the_seeds() {
    let v = search_json(seeds_index(), &["Norco upheld urine drug screen"]);
    assert_eq!(
        v["interpreted"],
        "medication=hydrocodone/acetaminophen decision=upheld text=\"urine drug screen\""
    );
    let hits = v["hits"].as_array().unwrap();
    assert_eq!(hits[0]["id"], "000_015c11873bc6d2ff#1");
    for h in hits {
        assert_eq!(h["decision"], "upheld");
        assert_eq!(h["medication"]["generic"], "hydrocodone/acetaminophen");
    }
    let snippet = hits[0]["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("<b>urine</b> <b>drug</b> <b>screening</b>"),
        "{snippet}"
    );
    assert_eq!(v["total"], hits.len());
    assert_eq!(facet(&v, "decision"), [s("upheld", 1, 0)]);
    assert_eq!(
        facet(&v, "medication"),
        [s("hydrocodone/acetaminophen", 1, 0)]
    );
}

#[test]
fn facet_counts_over_all_seed_items_are_exact() {
    let v = search_json(seeds_index(), &[]);
    assert_eq!(v["total"], 15);
    assert_eq!(v["sort"], "date", "no words to rank by: newest first");
    assert_eq!(facet(&v, "decision"), [s("upheld", 15, 0)]);
    assert_eq!(
        facet(&v, "class"),
        [
            s("opioid", 7, 0),
            s("muscle relaxant", 3, 0),
            s("benzodiazepine", 1, 0),
            s("sedative-hypnotic", 1, 0)
        ]
    );
    assert_eq!(
        facet(&v, "medication")[0..2],
        [s("hydrocodone/acetaminophen", 5, 0), s("baclofen", 1, 0)]
    );
    assert_eq!(
        facet(&v, "category"),
        [
            s("medication", 12, 0),
            s("consultation", 1, 0),
            s("dme", 1, 0),
            s("injection", 1, 0)
        ]
    );
    assert_eq!(
        facet(&v, "guideline"),
        [
            s("MTUS/Chronic Pain Medical Treatment Guidelines", 12, 0),
            s("ACOEM/Practice Guidelines, 2nd Edition", 1, 0),
            s("MTUS/Low Back Complaints", 1, 0),
            s("ODG/Pain (Chronic)", 1, 0),
        ]
    );
    assert_eq!(v["hits"].as_array().unwrap().len(), 10, "default limit");
}

#[test]
fn overturn_rates_on_the_real_letters() {
    let Some(ix) = all_index() else { return };
    let v = search_json(ix, &["MRI"]);
    let d = facet(&v, "decision");
    let total: u64 = d.iter().map(|x| x.1).sum();
    assert_eq!(total, v["total"].as_u64().unwrap());
    let over = d.iter().find(|x| x.0 == "overturned").map_or(0, |x| x.1);
    // Every facet's overturned count is a part of its count, and the category split adds up.
    for g in ["category", "guideline", "specialty"] {
        for (value, n, o) in facet(&v, g) {
            assert!(o <= n, "{g} {value}: {o} > {n}");
        }
    }
    let cat_over: u64 = facet(&v, "category").iter().map(|x| x.2).sum();
    assert_eq!(cat_over, over);
}

#[test]
fn facet_counts_match_the_parsed_items() {
    // The one-pass facet tally, checked against an independent count over `imr parse`'s
    // output for the same letters: every group, every value, every overturned share. The
    // guideline group counts an item once per document however many sections and pages of
    // it the item cites; specialty once per specialty.
    let Some(ix) = all_index() else { return };
    let txt = shared_letters("txt").unwrap();
    let mut items = Vec::new();
    for dir in [seeds(), txt] {
        let r = run(&["parse", "--format", "jsonl", dir.to_str().unwrap()]);
        items.extend(jsonl(&r.stdout));
    }
    let v = search_json(ix, &["--limit", "1"]);
    assert_eq!(v["total"].as_u64().unwrap(), items.len() as u64);
    let upper_first = |s: &str| {
        let mut c = s.trim().chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect::<String>())
            .unwrap_or_default()
    };
    type Counts = std::collections::BTreeMap<String, (u64, u64)>;
    let mut expected: std::collections::BTreeMap<&str, Counts> = Default::default();
    for item in &items {
        let over = u64::from(item["decision"] == "overturned");
        let mut add = |group: &'static str, value: String| {
            let e = expected
                .entry(group)
                .or_default()
                .entry(value)
                .or_insert((0, 0));
            e.0 += 1;
            e.1 += over;
        };
        add("decision", item["decision"].as_str().unwrap().to_string());
        add("category", item["category"].as_str().unwrap().to_string());
        // Every drug of the item (each ingredient of a compound), once per drug and class.
        let meds = item["medications"].as_array().unwrap();
        let mut generics: Vec<&str> = meds
            .iter()
            .map(|m| m["generic"].as_str().unwrap())
            .collect();
        let mut classes: Vec<&str> = meds.iter().map(|m| m["class"].as_str().unwrap()).collect();
        generics.sort();
        generics.dedup();
        classes.sort();
        classes.dedup();
        for g in generics {
            add("medication", g.to_string());
        }
        for c in classes {
            add("class", c.to_string());
        }
        if let Some(t) = item["treatment"].as_str() {
            add("treatment", t.to_string());
        }
        if let Some(c) = item["dwc_category"].as_str() {
            add("dwc_category", c.to_string());
        }
        let mut docs: Vec<String> = item["guidelines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| {
                // The record says "OTHER"; the facet step is "Other".
                let source = match g["source"].as_str().unwrap() {
                    "OTHER" => "Other",
                    s => s,
                };
                format!("{source}/{}", upper_first(g["document"].as_str().unwrap()))
            })
            .collect();
        docs.sort();
        docs.dedup();
        for d in docs {
            add("guideline", d);
        }
        for sp in item["specialty"].as_array().unwrap() {
            add("specialty", sp.as_str().unwrap().to_string());
        }
    }
    for (group, want) in &expected {
        let got: Counts = facet(&v, group)
            .into_iter()
            .map(|(value, n, o)| (value, (n, o)))
            .collect();
        assert_eq!(&got, want, "facet group {group}");
    }
}

#[test]
fn filters_narrow_exactly() {
    let ix = seeds_index();
    let mut got = ids(&search_json(ix, &["--mtus-page", "80"]));
    got.sort();
    assert_eq!(
        got,
        [
            "000_015c11873bc6d2ff#1",
            "002_a618e6da92a8e84b#1",
            "002_a618e6da92a8e84b#2",
            "003_e7842380b86787dc#3"
        ]
    );
    assert_eq!(
        ids(&search_json(ix, &["--guideline", "odg"])),
        ["001_b67151935dfeaf0e#3"]
    );
    let mut got = ids(&search_json(
        ix,
        &["--guideline", "MTUS/chronic pain/when to continue"],
    ));
    got.sort();
    assert_eq!(got, ["002_a618e6da92a8e84b#1", "002_a618e6da92a8e84b#2"]);
    assert_eq!(search_json(ix, &["--class", "muscle relaxant"])["total"], 3);
    assert_eq!(search_json(ix, &["--medication", "Vicodin"])["total"], 5);
    assert_eq!(search_json(ix, &["--decision", "overturned"])["total"], 0);
    assert_eq!(search_json(ix, &["--category", "injection"])["total"], 1);
    assert_eq!(
        search_json(ix, &["--specialty", "occupational medicine"])["total"],
        11
    );
}

#[test]
fn date_filters_on_the_real_letters() {
    let Some(ix) = all_index() else { return };
    let txt = shared_letters("txt").unwrap();
    let r = run(&["parse", "--format", "jsonl", txt.to_str().unwrap()]);
    let in_dec = jsonl(&r.stdout)
        .iter()
        .filter(|i| {
            i["decision_date"]
                .as_str()
                .is_some_and(|d| d.starts_with("2016-12"))
        })
        .count();
    let v = search_json(
        ix,
        &["--from", "2016-12", "--to", "2016-12", "--limit", "0"],
    );
    assert_eq!(v["total"].as_u64().unwrap() as usize, in_dec);
    assert!(in_dec > 0);
}

#[test]
fn query_syntax_and_literal_opt_outs() {
    let ix = seeds_index();
    // The phrase and the word anywhere in an item or its letter: letter 000's summary has
    // both, so both its items match, the Norco item (the words in its own fields) first.
    let v = search_json(ix, &["\"urine drug\" AND norco"]);
    assert_eq!(
        ids(&v),
        ["000_015c11873bc6d2ff#1", "000_015c11873bc6d2ff#2"]
    );
    let v = search_json(ix, &["--literal", "Norco", "upheld"]);
    assert_eq!(v["interpreted"], "text=\"norco upheld\"");
    let v = search_json(ix, &["item:baclofen"]);
    assert_eq!(ids(&v), ["004_8d13912140871e79#2"]);
}

#[test]
fn output_formats() {
    let ix = seeds_index().to_str().unwrap().to_string();
    let r = run(&["search", "--index", &ix, "--format", "jsonl", "opioids"]);
    assert_eq!(r.status, 0);
    let lines = jsonl(&r.stdout);
    assert_eq!(lines.len(), 7);
    for key in [
        "id",
        "letter_id",
        "item_index",
        "item",
        "decision",
        "medication",
        "mtus_pages",
        "specialty",
        "decision_date",
        "score",
        "snippet",
    ] {
        assert!(lines[0].get(key).is_some(), "hit has {key}");
    }
    let r = run(&["search", "--index", &ix, "--format", "csv", "opioids"]);
    let mut rdr = csv::Reader::from_reader(r.stdout.as_bytes());
    assert_eq!(rdr.headers().unwrap().iter().next(), Some("rank"));
    assert_eq!(rdr.records().count(), 7);
    let r = run(&[
        "search",
        "--index",
        &ix,
        "--format",
        "md",
        "urine drug screen",
    ]);
    assert!(
        r.stdout.contains("**urine** **drug** **screening**"),
        "{}",
        r.stdout
    );
    let r = run(&[
        "search",
        "--index",
        &ix,
        "--format",
        "table",
        "Norco upheld urine drug screen",
    ]);
    assert!(
        r.stdout
            .starts_with("interpreted: medication=hydrocodone/acetaminophen decision=upheld"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("1 item, showing 1-1, by relevance"),
        "{}",
        r.stdout
    );
}

#[test]
fn precedent_lists_are_safe_in_excel_and_markdown() {
    let tmp = tempfile::tempdir().unwrap();
    let letters = tmp.path().join("letters");
    std::fs::create_dir(&letters).unwrap();
    let seed = std::fs::read_to_string(seeds().join("004_8d13912140871e79.txt")).unwrap();
    let evil = seed.replace(
        "Norco 10/325 #60:  Upheld",
        "=HYPERLINK(\"http://x\")|Norco 10/325 #60:  Upheld",
    );
    std::fs::write(
        letters.join("evil.txt"),
        format!("Case Number: CM99-0000007\nDecision Date: 03/04/2015\n{evil}"),
    )
    .unwrap();
    let ix = tmp.path().join("ix");
    let mut cmd = imr();
    cmd.args(["index", "-q", "--index"]).arg(&ix).arg(&letters);
    assert_eq!(run_cmd(&mut cmd).status, 0);
    let ixs = ix.to_str().unwrap();

    let r = run(&["precedents", "--index", ixs, "--format", "csv", "Norco"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let mut rdr = csv::Reader::from_reader(r.stdout.as_bytes());
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        headers,
        [
            "no",
            "case_number",
            "decision_date",
            "item",
            "decision",
            "guideline",
            "key_sentence",
            "id",
            "rule_sentence",
            "specialty",
            "citation",
            "item_ids",
            "source"
        ]
    );
    let row = rdr.records().next().unwrap().unwrap();
    assert_eq!(&row[1], "CM99-0000007");
    assert_eq!(&row[2], "2015-03-04");
    assert_eq!(
        &row[3], "'=HYPERLINK(\"http://x\")|Norco 10/325 #60",
        "formula neutralised"
    );
    assert_eq!(&row[4], "Upheld");
    assert_eq!(
        &row[5],
        "MTUS Chronic Pain Medical Treatment Guidelines (2009), pp. 74-78, 88, 91"
    );

    let r = run(&["precedents", "--index", ixs, "Norco"]);
    assert_eq!(r.status, 0);
    assert!(
        r.stdout.contains("1. IMR Case No. CM99-0000007 (Mar. 4, 2015), item 1: =HYPERLINK(\"http://x\")\\|Norco 10/325 \\#60: Upheld."),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("   > \""),
        "a quoted key sentence: {}",
        r.stdout
    );
}

#[test]
fn show_an_item_and_a_letter() {
    let ix = seeds_index().to_str().unwrap().to_string();
    let r = run(&[
        "show",
        "--index",
        &ix,
        "--format",
        "json",
        "000_015c11873bc6d2ff#2",
    ]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let item: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(item["item"], "Valium 2mg #30");
    assert!(item["summary"]
        .as_str()
        .unwrap()
        .starts_with("The injured worker is a 43 year old"));
    let r = run(&[
        "show",
        "--index",
        &ix,
        "--format",
        "table",
        "000_015c11873bc6d2ff",
    ]);
    assert!(
        r.stdout
            .contains("000_015c11873bc6d2ff#1  Norco 10/325mg #60: UPHELD"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("000_015c11873bc6d2ff#2  Valium 2mg #30: UPHELD"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("CLINICAL CASE SUMMARY"), "{}", r.stdout);
    let r = run(&["show", "--index", &ix, "CM00-0000000"]);
    assert_eq!(r.status, 2);
}

#[test]
fn facets_tree_agrees_with_search_facets_on_the_real_letters() {
    // `imr facets` (one pass over every node of the tree) and `imr search`'s facet groups
    // (one pass over six groups) are two counts of the same items: they must agree, counts
    // and overturned shares, for the guideline documents, the drug classes and the
    // specialties, and every page node counts no more items than its section.
    let Some(ix) = all_index() else { return };
    let ix = ix.to_str().unwrap();
    let search = search_json(Path::new(ix), &["--limit", "1"]);
    let tree = |field: &str, depth: &str| -> Value {
        let r = run(&[
            "facets", "--index", ix, "--format", "json", field, "--depth", depth, "--limit", "1000",
        ]);
        assert_eq!(r.status, 0, "{}", r.stderr);
        serde_json::from_str(&r.stdout).unwrap()
    };
    let pairs = |nodes: &Value, prefix: &str| -> Vec<(String, u64, u64)> {
        let mut out: Vec<(String, u64, u64)> = nodes
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                (
                    format!("{prefix}{}", n["value"].as_str().unwrap()),
                    n["count"].as_u64().unwrap(),
                    n["overturned"].as_u64().unwrap(),
                )
            })
            .collect();
        out.sort();
        out
    };
    let sorted = |mut v: Vec<(String, u64, u64)>| {
        v.sort();
        v
    };
    let g = tree("guideline", "4");
    let mut documents = Vec::new();
    for source in g["values"].as_array().unwrap() {
        let name = source["value"].as_str().unwrap();
        documents.extend(pairs(&source["children"], &format!("{name}/")));
        for doc in source["children"].as_array().unwrap() {
            for section in doc["children"].as_array().unwrap_or(&Vec::new()) {
                for page in section["children"].as_array().unwrap_or(&Vec::new()) {
                    assert!(page["count"].as_u64() <= section["count"].as_u64());
                    assert!(page["overturned"].as_u64() <= page["count"].as_u64());
                }
            }
        }
    }
    documents.sort();
    assert_eq!(documents, sorted(facet(&search, "guideline")));
    let m = tree("medication", "1");
    assert_eq!(pairs(&m["values"], ""), sorted(facet(&search, "class")));
    let sp = tree("specialty", "1");
    assert_eq!(
        pairs(&sp["values"], ""),
        sorted(facet(&search, "specialty"))
    );
}

#[test]
fn facets_browse_the_guideline_tree() {
    let ix = seeds_index().to_str().unwrap().to_string();
    let r = run(&["facets", "--index", &ix, "--format", "json", "guideline"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let mtus = &v["values"][0];
    assert_eq!(
        (mtus["value"].as_str(), mtus["count"].as_u64()),
        (Some("MTUS"), Some(13))
    );
    assert_eq!(
        mtus["children"][0]["value"],
        "Chronic Pain Medical Treatment Guidelines"
    );
    assert_eq!(mtus["children"][0]["count"], 12);
    // Drill into a document: sections, then pages in page order.
    let r = run(&[
        "facets",
        "--index",
        &ix,
        "--format",
        "json",
        "guideline",
        "--path",
        "MTUS/Chronic Pain",
        "--depth",
        "2",
    ]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let sections = v["values"].as_array().unwrap();
    let when = sections
        .iter()
        .find(|s| s["value"] == "When to Continue Opioids")
        .unwrap();
    assert_eq!(when["count"], 2);
    assert_eq!(when["children"][0]["value"], "80");
    let none = sections
        .iter()
        .find(|s| s["value"] == "(no section)")
        .unwrap();
    let pages: Vec<&str> = none["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["value"].as_str().unwrap())
        .collect();
    assert_eq!(pages[..3], ["46", "63", "64"]);
    // Over a query's hits only.
    let r = run(&[
        "facets",
        "--index",
        &ix,
        "--format",
        "json",
        "medication",
        "opioids",
    ]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["total"], 7);
    assert_eq!(v["values"][0]["value"], "opioid");
    let r = run(&["facets", "--index", &ix, "nonsense"]);
    assert_eq!(r.status, 2);
}
