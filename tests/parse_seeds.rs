//! The five seed letters: every field of all 15 items pinned.
//!
//! `tests/data/seeds.expected.jsonl` was checked by hand against the letters (item names,
//! decisions, drugs, strengths, quantities, categories, each citation's source, document,
//! year, sections and pages, dates, reviewer, patient). A change to any field fails here; if
//! the change is right, check the new value against the letter before updating the file.

use crate::util::*;
use serde_json::{json, Value};

fn seed_items() -> Vec<Value> {
    let r = run(&["parse", "--format", "jsonl", seeds().to_str().unwrap()]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    jsonl(&r.stdout)
}

#[test]
fn every_field_of_every_seed_item() {
    let got = seed_items();
    let expected = jsonl(include_str!("data/seeds.expected.jsonl"));
    assert_eq!(got.len(), 15);
    assert_eq!(expected.len(), 15);
    for (g, e) in got.iter().zip(&expected) {
        let obj = e.as_object().unwrap();
        assert_eq!(g.as_object().unwrap().len(), obj.len(), "same keys");
        for (k, v) in obj {
            if k == "source" {
                // The path as given on the command line: compare the file part.
                let want = v.as_str().unwrap().rsplit('/').next().unwrap();
                assert!(
                    g[k].as_str().unwrap().ends_with(&format!("/{want}")),
                    "{}",
                    g[k]
                );
                continue;
            }
            assert_eq!(
                &g[k], v,
                "{} item {}: field {k}",
                e["letter_id"], e["item_index"]
            );
        }
    }
}

fn find<'a>(items: &'a [Value], letter: &str, n: u64) -> &'a Value {
    items
        .iter()
        .find(|i| i["letter_id"] == letter && i["item_index"] == n)
        .unwrap()
}

/// The examples the parser was specified with, spelled out.
#[test]
fn specified_examples() {
    let items = seed_items();
    let norco_004 = find(&items, "004_8d13912140871e79", 1);
    assert_eq!(norco_004["item"], "Norco 10/325 #60");
    assert_eq!(norco_004["mtus_pages"], json!([74, 75, 76, 77, 78, 88, 91]));
    assert_eq!(
        norco_004["medication"],
        json!({"name": "Norco", "generic": "hydrocodone/acetaminophen", "class": "opioid", "strength": "10/325", "quantity": 60})
    );
    assert_eq!(
        norco_004["specialty"],
        json!(["Physical Medicine and Rehabilitation", "Pain Medicine"])
    );
    assert_eq!(norco_004["date_of_injury"], "1993-10-27");
    assert_eq!(norco_004["patient_age"], 47);
    assert_eq!(norco_004["patient_sex"], "male");

    let norco_000 = find(&items, "000_015c11873bc6d2ff", 1);
    assert_eq!(norco_000["mtus_pages"], json!([78, 79, 80, 81, 82]));
    assert_eq!(norco_000["decision"], "upheld");
    assert_eq!(norco_000["category"], "medication");
    assert!(norco_000["rationale"]
        .as_str()
        .unwrap()
        .contains("urine drug screening"));

    let consult = find(&items, "003_e7842380b86787dc", 1);
    assert_eq!(consult["item"], "Consultation pain management for low back");
    assert_eq!(consult["category"], "consultation");
    assert_eq!(
        consult["mtus_pages"],
        json!([]),
        "ACOEM page 127 is not an MTUS page"
    );
    assert_eq!(
        consult["guidelines"],
        json!([{"source": "ACOEM", "document": "Practice Guidelines, 2nd Edition", "year": 2004,
                "sections": ["Chapter 7", "Independent Medical Examinations and Consultations"], "pages": [127]}])
    );
    assert_eq!(
        find(&items, "003_e7842380b86787dc", 2)["category"],
        "injection"
    );
    assert_eq!(find(&items, "001_b67151935dfeaf0e", 1)["category"], "dme");
    assert_eq!(
        find(&items, "001_b67151935dfeaf0e", 3)["guidelines"],
        json!([{"source": "ODG", "document": "Pain (Chronic)", "year": null, "sections": ["Zolpidem (Ambien)"], "pages": []}])
    );
    // Seed letters have no header table: the id is the file stem, dates come from the summary.
    assert_eq!(norco_000["case_number"], Value::Null);
    assert_eq!(norco_000["decision_date"], Value::Null);
    assert_eq!(norco_000["date_of_injury"], "2006-10-17");
    assert_eq!(
        find(&items, "001_b67151935dfeaf0e", 1)["date_of_injury"],
        "2003-05-12"
    );
}

#[test]
fn json_and_text_formats() {
    let r = run(&["parse", "--format", "json", seeds().to_str().unwrap()]);
    assert_eq!(r.status, 0);
    let all: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 15);
    let r = run(&[
        "parse",
        seeds().join("000_015c11873bc6d2ff.txt").to_str().unwrap(),
    ]);
    assert_eq!(r.status, 0);
    assert!(
        r.stdout
            .contains("   1. Norco 10/325mg #60: UPHELD [medication]"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("drug: Norco (hydrocodone/acetaminophen, opioid)"),
        "{}",
        r.stdout
    );
}
