//! The 72 real letters in ../shared, in both pdftotext forms: every item, decision, case
//! number and decision date, checked against what the raw text says.

use crate::util::*;
use serde_json::Value;
use std::collections::BTreeMap;

fn parse_dir(kind: &str) -> Option<BTreeMap<String, Vec<Value>>> {
    let dir = shared_letters(kind)?;
    let r = run(&["parse", "--format", "jsonl", dir.to_str()?]);
    assert_eq!(r.status, 0, "all real letters parse; stderr: {}", r.stderr);
    let mut by_letter: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for item in jsonl(&r.stdout) {
        by_letter
            .entry(item["letter_id"].as_str().unwrap().to_string())
            .or_default()
            .push(item);
    }
    Some(by_letter)
}

/// Item count = "Decision rationale:" lines; decisions in order = the "Upheld"/"Overturned"
/// line ends; case number = file name; decision date = the header's.
fn check_against_raw_text(kind: &str) {
    let Some(dir) = shared_letters(kind) else {
        return;
    };
    let parsed = parse_dir(kind).unwrap();
    let files = letter_files(&dir);
    assert_eq!(files.len(), 72);
    assert_eq!(parsed.len(), 72, "one letter id per file");
    let mut total = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let stem = file.file_stem().unwrap().to_str().unwrap();
        let items = &parsed[stem];
        let rationales = text.matches("Decision rationale:").count();
        assert_eq!(items.len(), rationales, "{stem}: item count");
        let decisions: Vec<String> = text
            .lines()
            .map(str::trim_end)
            .filter_map(|l| {
                if l.ends_with("Upheld") {
                    Some("upheld".to_string())
                } else if l.ends_with("Overturned") {
                    Some("overturned".to_string())
                } else {
                    None
                }
            })
            .collect();
        let got: Vec<&str> = items
            .iter()
            .map(|i| i["decision"].as_str().unwrap())
            .collect();
        assert_eq!(got, decisions, "{stem}: decisions");
        // The layout form keeps "Decision Date:   12/09/2016" on one line.
        let layout =
            std::fs::read_to_string(dir.join("../txt-layout").join(format!("{stem}.txt"))).unwrap();
        let line = layout
            .lines()
            .find(|l| l.starts_with("Decision Date:"))
            .unwrap();
        let us = line.split_whitespace().nth(2).unwrap();
        let (m, rest) = us.split_once('/').unwrap();
        let (d, y) = rest.split_once('/').unwrap();
        let iso = format!("{y}-{m}-{d}");
        for (k, item) in items.iter().enumerate() {
            assert_eq!(item["case_number"], stem, "{stem}: case number");
            assert_eq!(item["item_index"], k as u64 + 1);
            assert_eq!(item["decision_date"], iso.as_str(), "{stem}: decision date");
            assert!(!item["item"].as_str().unwrap().is_empty());
            assert!(
                item["rationale"].as_str().unwrap().len() > 40,
                "{stem}: rationale"
            );
        }
        total += items.len();
    }
    assert_eq!(total, 180);
}

#[test]
fn plain_text_letters_match_raw_text() {
    check_against_raw_text("txt");
}

#[test]
fn layout_text_letters_match_raw_text() {
    check_against_raw_text("txt-layout");
}

/// Both extractions of a letter give the same items, decisions, citations and dates.
#[test]
fn plain_and_layout_agree() {
    let (Some(a), Some(b)) = (parse_dir("txt"), parse_dir("txt-layout")) else {
        return;
    };
    let fields = [
        "item",
        "decision",
        "medication",
        "category",
        "mtus_pages",
        "decision_date",
        "date_assigned",
        "date_of_injury",
        "ur_denial_date",
        "application_received",
        "priority",
        "specialty",
        "licensure",
        "patient_age",
        "patient_sex",
        "original_request",
    ];
    for (id, items) in &a {
        for (x, y) in items.iter().zip(&b[id]) {
            for f in fields {
                assert_eq!(x[f], y[f], "{id} item {}: {f}", x["item_index"]);
            }
        }
    }
}

fn item<'a>(all: &'a BTreeMap<String, Vec<Value>>, id: &str, n: usize) -> &'a Value {
    &all[id][n - 1]
}

/// Item names checked by hand against the letters: wrapped names, partial approvals, a name
/// with a colon, a name wrapped after "DOS:".
#[test]
fn hand_checked_item_names() {
    let Some(all) = parse_dir("txt") else { return };
    let cases = [
        ("CM16-0232182", 1, "Referral to chiropractor for evaluation of low back pain and left groin pain, twice a week for 3 weeks", "upheld"),
        ("CM16-0238676", 1, "Additional physical therapy three times a week for two weeks of the right hip and foot", "upheld"),
        ("CM16-0239110", 1, "Oxycodone HCL ER 20mg #60 day supply: 30", "overturned"),
        ("CM16-0243394", 2, "Lidoderm patch, 12 hours on 12 hours off to affected area, #1 box with 1 refill, DOS: 11/11/2016", "upheld"),
        ("CM16-0234202", 1, "Norco 10/325mg #35", "upheld"),
        ("CM16-0233904", 1, "Baclofen 100mg #3", "upheld"),
        ("CM16-0229336", 1, "Acute inpatient rehabilitation physical therapy and occupational therapy 7-10 days for left foot fracture", "overturned"),
        ("CM16-0249724", 2, "Purchase of a bedside 3 in 1 commode", "upheld"),
        ("CM16-0235991", 2, "EMG (electromyography)/NCV (nerve conduction velocity) of the bilateral upper extremities", "overturned"),
        ("CM16-0230651", 10, "Physical therapy to the low back two sessions", "upheld"),
        ("CM16-0238035", 3, "Labs to include: EKG", "upheld"),
        ("CM16-0249536", 2, "Flurbiprofen 20%, Baclofen 5%, Dexamethasone 2%, Menthol 2%, Capsaicin 0.025% in cream base", "upheld"),
    ];
    for (id, n, name, decision) in cases {
        let it = item(&all, id, n);
        assert_eq!(it["item"], name, "{id} item {n}");
        assert_eq!(it["decision"], decision, "{id} item {n}");
    }
    assert_eq!(
        item(&all, "CM16-0234202", 1)["original_request"],
        "Norco 10/325mg #60 was the original request. Norco 10/325mg #25 was authorized by the Claims Administrator."
    );
}

/// Citations checked by hand: several MTUS parts joined by ", and", MTUS with ODG, ACOEM
/// pages, ODG alone, UpToDate.
#[test]
fn hand_checked_citations() {
    let Some(all) = parse_dir("txt") else { return };
    let g = |id: &str, n: usize| item(&all, id, n)["guidelines"].clone();
    assert_eq!(
        g("CM16-0219557", 1),
        serde_json::json!([
            {"source": "MTUS", "document": "Low Back Complaints", "year": 2004, "sections": ["Summary"], "pages": []},
            {"source": "MTUS", "document": "Chronic Pain Medical Treatment Guidelines", "year": 2016, "sections": ["Facet blocks"], "pages": []},
            {"source": "ACOEM", "document": "Practice Guidelines, 3rd Edition", "year": null, "sections": ["Low Back Disorders"], "pages": [607]}
        ])
    );
    assert_eq!(
        g("CM16-0230548", 1),
        serde_json::json!([
            {"source": "MTUS", "document": "Neck and Upper Back Complaints", "year": 2004, "sections": ["Special Studies"], "pages": []},
            {"source": "MTUS", "document": "Forearm, Wrist, and Hand Complaints", "year": 2004, "sections": ["Special Studies"], "pages": []}
        ])
    );
    assert_eq!(
        g("CM16-0221706", 1),
        serde_json::json!([
            {"source": "OTHER", "document": "UpToDate", "year": null, "sections": ["Sildenafil: Drug information"], "pages": []}
        ])
    );
    assert_eq!(
        g("CM16-0213037", 1),
        serde_json::json!([
            {"source": "MTUS", "document": "Shoulder Complaints", "year": 2004, "sections": ["Special Studies"], "pages": []}
        ])
    );
    // Every MAXIMUS line that says "Decision based on" yields at least one citation.
    for items in all.values() {
        for it in items {
            let line = it["maximus_guideline"].as_str().unwrap();
            let n = it["guidelines"].as_array().unwrap().len();
            assert_eq!(line.contains("Decision based on"), n > 0, "{line}");
        }
    }
}

/// Reviewer and patient facts on a few letters.
#[test]
fn hand_checked_letter_fields() {
    let Some(all) = parse_dir("txt") else { return };
    let it = item(&all, "CM16-0213037", 1);
    assert_eq!(
        it["licensure"],
        serde_json::json!(["California", "North Carolina"])
    );
    assert_eq!(it["specialty"], serde_json::json!(["Family Medicine"]));
    assert_eq!(it["patient_age"], 48);
    assert_eq!(it["patient_sex"], "male");
    assert_eq!(it["date_assigned"], "2016-11-09");
    assert_eq!(it["date_of_injury"], "2016-10-13");
    assert_eq!(it["ur_denial_date"], "2016-11-03");
    assert_eq!(it["application_received"], "2016-11-03");
    assert_eq!(it["priority"], "Standard");
    // No age is stated in this summary (only two conflicting birthdates).
    assert_eq!(item(&all, "CM16-0249170", 1)["patient_age"], Value::Null);
    assert_eq!(item(&all, "CM16-0249170", 1)["patient_sex"], "female");
}
