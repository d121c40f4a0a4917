//! Every letter of the public record, each exactly once (issue 12): the 2013 layouts, letters
//! kept whole, letters that end without a period, letters cut short, files holding several
//! letters.

use crate::util::*;
use imr_search::letter::{parse_file_text, Parsed};
use serde_json::Value;
use std::path::Path;

fn parse(text: &str, name: &str) -> Parsed {
    parse_file_text(text, name, name.trim_end_matches(".txt")).unwrap()
}

fn real_letter(stem: &str) -> Option<String> {
    let dir = shared_letters("txt")?;
    Some(std::fs::read_to_string(dir.join(format!("{stem}.txt"))).unwrap())
}

fn seed(n: usize) -> String {
    let files = letter_files(&seeds());
    std::fs::read_to_string(&files[n]).unwrap()
}

/// `imr parse --format jsonl` of one file written into a temp folder.
fn parse_cli(name: &str, text: &str) -> (Run, Vec<Value>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let r = run(&["parse", "--format", "jsonl", path.to_str().unwrap()]);
    let items = jsonl(&r.stdout);
    (r, items)
}

/// A 2013 Notice letter as FORMAT.md describes it: letterhead, `Dated:`, the numbered
/// decisions printed twice (words glued as extraction glues them), the dates in prose, the
/// reviewer in prose, the case summary after its disclaimer. `headed`: each item's rationale
/// under a numbered heading that repeats the item.
fn notice_letter(case: &str, headed: bool) -> String {
    let list = "1) MAXIMUS Federal Services, Inc. has determined the request for a 28 day\nfunctional restoration program is notmedically necessary and appropriate.\n2) MAXIMUS Federal Services, Inc. has determined the request for Norco 10/325mg #60\nismedically necessary and appropriate.\n3) MAXIMUS Federal Services, Inc. has determined the request for a 6 month follow-\nup aftercare program is not medically necessary and appropriate.\n";
    let rationale = if headed {
        "Documents Reviewed for Determination:\nUtilization review denial dated 8/30/2013.\n1) Regarding the request for a 28 day functional restoration program:\nMedical Treatment Guideline(s) Relied Upon by the Expert Reviewer:\nThe Expert Reviewer based his/her decision on the MTUS Chronic Pain Medical Treatment\nGuidelines, pages 30-32. Rationale for the Decision:\nThe patient has not had an adequate evaluation, so the program is not medically necessary.\n2) Regarding the request for Norco 10/325mg #60:\nRationale for the Decision:\nThe patient's pain and function improved with the opioid, which is medically necessary.\n3) Regarding the request for a 6 month follow-up aftercare program:\nRationale for the Decision:\nAftercare follows a program that is not certified\n"
    } else {
        "Rationale for the Decision:\nThe functional restoration program is not supported without an evaluation; the opioid\nhas helped.\n"
    };
    format!(
        "MAXIMUS FEDERAL SERVICES, INC.\nP.O. Box 138009\nSacramento, CA 95813-8009\n\nNotice of Independent Medical Review Determination\nDated: 9/26/2013\n\nIMR Case Number: {case}\n\n{list}\n\x0cINDEPENDENT MEDICAL REVIEW DECISION AND RATIONALE\nAn application for Independent Medical Review was filed on 9/6/2013 disputing the\nUtilization Review Denial dated 8/30/2013. A Notice of Assignment and Request for\nInformation was provided to the above parties on 9/23/2013. A decision has been made\nfor each of the treatment and/or services that were in dispute:\n{list}Medical Qualifications of the Expert Reviewer:\nThe independent Medical Doctor who made the decision has no affiliation with the\nemployer, employee, providers or the claims administrator. The physician reviewer is\nBoard Certified in Physical Medicine and Rehabilitation, has a subspecialty in Pain\nMedicine and is licensed to practice in California.\nHe/she has been in active clinical practice for more than five years.\nCase Summary:\nDisclaimer: The following case summary was taken directly from the utilization review\ndenial/modification dated August 30, 2013.\n\u{201c}The patient is a 44 year-old female with a date of Injury of 8/28/2001. The provider\nsubmitted a request for 28 days of residential functional restoration program.\u{201d}\n{rationale}"
    )
}

#[test]
fn notice_letters_items_decisions_dates_specialty() {
    for headed in [true, false] {
        let p = parse(&notice_letter("IMR 13-000004", headed), "notice.txt");
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert_eq!(p.letters.len(), 1);
        let items = p.into_items();
        let got: Vec<(&str, &str)> = items
            .iter()
            .map(|i| (i.item.as_str(), i.decision.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("28 day functional restoration program", "upheld"),
                ("Norco 10/325mg #60", "overturned"),
                ("6 month follow-up aftercare program", "upheld"),
            ],
            "each item once, though listed twice"
        );
        let i = &items[1];
        assert_eq!(i.layout.as_str(), "2013-notice");
        assert!(!i.whole);
        assert_eq!(i.case_number.as_deref(), Some("IMR 13-000004"));
        assert_eq!(i.letter_id, "IMR 13-000004");
        assert_eq!(i.decision_date.as_deref(), Some("2013-09-26"));
        assert_eq!(i.application_received.as_deref(), Some("2013-09-06"));
        assert_eq!(i.ur_denial_date.as_deref(), Some("2013-08-30"));
        assert_eq!(i.date_assigned.as_deref(), Some("2013-09-23"));
        assert_eq!(i.date_of_injury.as_deref(), Some("2001-08-28"));
        assert_eq!(
            i.specialty,
            ["Physical Medicine and Rehabilitation", "Pain Medicine"]
        );
        assert_eq!(i.licensure, ["California"]);
        assert_eq!(i.patient_age, Some(44));
        assert_eq!(i.patient_sex, Some(imr_search::record::Sex::Female));
        assert!(
            i.summary
                .starts_with("\u{201c}The patient is a 44 year-old female"),
            "{}",
            i.summary
        );
        assert_eq!(
            i.medication.as_ref().unwrap().generic,
            "hydrocodone/acetaminophen"
        );
        if headed {
            assert_eq!(
                items[0].rationale,
                "The patient has not had an adequate evaluation, so the program is not medically necessary."
            );
            assert!(items[0]
                .maximus_guideline
                .starts_with("The Expert Reviewer based his/her decision on the MTUS"));
            assert_eq!(
                items[2].rationale,
                "Aftercare follows a program that is not certified"
            );
        } else {
            // No per-item headings: the text after the summary is every item's rationale.
            assert!(items.iter().all(|i| i.rationale == items[0].rationale));
            assert!(items[0]
                .rationale
                .starts_with("The functional restoration program"));
        }
    }
}

/// The Notice letters through the binary: exit 0, nothing on stderr, the layout in the JSON.
#[test]
fn notice_letter_through_imr_parse() {
    let (r, items) = parse_cli("notice.txt", &notice_letter("IMR 13-000004", true));
    assert_eq!((r.status, r.stderr.as_str()), (0, ""));
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["layout"], "2013-notice");
    assert_eq!(items[0]["case_number"], "IMR 13-000004");
    assert!(items[0].get("whole").is_none());
}

fn professional_review(conclusion: &str) -> String {
    format!(
        "MAXIMUS FEDERAL SERVICES, INC.\nMEDICAL PROFESSIONAL\nREVIEW\nCase Number: IMR 13-000123\nDated: 7/15/2013\nISSUE AT DISPUTE:\nWhether the requested MRI of the lumbar spine is medically necessary.\nCASE SUMMARY:\nThe patient is a 52 year old man who was injured on 1/4/2013 lifting boxes.\nDOCUMENTS REVIEWED FOR DETERMINATION:\n1. Utilization review determination.\nMEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL\nREVIEWER AND WHY:\nMTUS ACOEM Low Back Complaints, Chapter 12, pages 303-304.\nRATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT\nMEDICALLY NECESSARY:\nThere are no red flags and no neurologic deficits. {conclusion}\nMEDICAL REVIEWER QUALIFICATIONS:\nThe reviewer is Board Certified in Orthopedic Surgery and is licensed to practice in\nCalifornia.\n"
    )
}

#[test]
fn professional_review_letters_one_item_decided_by_their_conclusion() {
    for (conclusion, decision) in [
        (
            "Therefore the MRI of the lumbar spine is not medically necessary.",
            "upheld",
        ),
        (
            "Even so, the MRI of the lumbar spine is medically necessary.",
            "overturned",
        ),
    ] {
        let p = parse(&professional_review(conclusion), "review.txt");
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        let items = p.into_items();
        assert_eq!(items.len(), 1);
        let i = &items[0];
        assert_eq!(i.layout.as_str(), "2013-professional-review");
        assert_eq!(i.item, "MRI of the lumbar spine");
        assert_eq!(i.decision.as_str(), decision);
        assert_eq!(i.case_number.as_deref(), Some("IMR 13-000123"));
        assert_eq!(i.decision_date.as_deref(), Some("2013-07-15"));
        assert_eq!(i.date_of_injury.as_deref(), Some("2013-01-04"));
        assert_eq!(i.specialty, ["Orthopedic Surgery"]);
        assert_eq!(i.patient_age, Some(52));
        assert_eq!(
            i.maximus_guideline,
            "MTUS ACOEM Low Back Complaints, Chapter 12, pages 303-304."
        );
        assert!(i.rationale.ends_with(conclusion), "{}", i.rationale);
        assert_eq!(i.category.as_str(), "imaging");
    }
}

const DECISIONS_TOP: &str = "MAXIMUS FEDERAL SERVICES, INC.\nCase Number: CM13-0012345\nUR Denial Date: 10/15/2013\nHOW THE IMR FINAL DETERMINATION WAS MADE\nMAXIMUS Federal Services sent the complete case file to a physician reviewer. The\nphysician reviewer is Board Certified in Anesthesiology, has a subspecialty in Pain Medicine\nand is licensed to practice in California.\nDOCUMENTS REVIEWED\nUtilization review determination.\nCLINICAL CASE SUMMARY\nThe patient is a 60 year old woman with a date of injury of 3/2/2010.\nIMR DECISION(S) AND\nRATIONALE(S)\n";
const DECISIONS_NUMBERED: &str = "1. Norco 10/325mg #120 is not medically necessary and appropriate.\nThe MTUS requires documented improvement; there is none.\n2. Physical therapy six sessions for the lumbar spine is medically necessary and appropriate.\nThe guidelines support a short course.\n";

#[test]
fn decisions_2013_letters_numbered_or_in_blocks() {
    let (top, numbered) = (DECISIONS_TOP, DECISIONS_NUMBERED);
    let blocks = "Norco 10/325mg #120: Upheld\nClaims Administrator guideline: Decision based on MTUS.\nMAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment Guidelines Opioids Page(s): 76-80.\nDecision rationale: There is no documented improvement.\nPhysical therapy six sessions for the lumbar spine: Overturned\nClaims Administrator guideline: Decision based on MTUS.\nMAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment Guidelines Physical Medicine Page(s): 98-99.\nDecision rationale: The guidelines support a short course.\n";
    for section in [numbered, blocks] {
        let p = parse(&format!("{top}{section}"), "d.txt");
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        let items = p.into_items();
        let got: Vec<(&str, &str)> = items
            .iter()
            .map(|i| (i.item.as_str(), i.decision.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("Norco 10/325mg #120", "upheld"),
                (
                    "Physical therapy six sessions for the lumbar spine",
                    "overturned"
                )
            ]
        );
        let i = &items[1];
        assert_eq!(i.layout.as_str(), "2013-decisions");
        assert_eq!(i.case_number.as_deref(), Some("CM13-0012345"));
        assert_eq!(i.ur_denial_date.as_deref(), Some("2013-10-15"));
        assert_eq!(i.date_of_injury.as_deref(), Some("2010-03-02"));
        assert_eq!(i.specialty, ["Anesthesiology", "Pain Medicine"]);
        assert_eq!(i.rationale, "The guidelines support a short course.");
    }
}

/// The 2017 case: the last rationale ends "... is not medically necessary" with no
/// period, then the file ends. Complete, not truncated: every item kept, no warning, exit 0.
#[test]
fn a_letter_ending_without_a_period_is_complete() {
    let mut letters = vec![("seed.txt".to_string(), seed(0), 2)];
    if let Some(real) = real_letter("CM16-0213037") {
        letters.push(("CM16-0213037.txt".to_string(), real, 2));
    }
    for (name, text, n) in letters {
        let cut = text
            .trim_end()
            .strip_suffix('.')
            .expect("ends with a period");
        let (r, items) = parse_cli(&name, cut);
        assert_eq!((r.status, r.stderr.as_str()), (0, ""), "{name}");
        assert_eq!(items.len(), n, "{name}");
        let last = items[n - 1]["rationale"].as_str().unwrap();
        assert!(last.ends_with("medically necessary"), "{name}: {last}");
    }
}

/// Real letters, two and three to a file, in both eras (the seeds are 2014-15 letters without
/// a header; the 72 are 2016 letters): each is its own letter with exactly the items it has
/// alone, under its own case number (or the file stem, then STEM-2, STEM-3).
#[test]
fn two_and_three_letters_in_one_file() {
    let mut sets: Vec<Vec<String>> = vec![vec![seed(0), seed(3)], vec![seed(1), seed(2), seed(4)]];
    if let Some(dir) = shared_letters("txt") {
        let read = |s: &str| std::fs::read_to_string(dir.join(format!("{s}.txt"))).unwrap();
        sets.push(vec![read("CM16-0213037"), read("CM16-0230651")]);
        sets.push(vec![
            read("CM16-0243394"),
            read("CM16-0234202"),
            read("CM16-0249536"),
        ]);
    }
    if let Some(dir) = shared_letters("txt-layout") {
        let read = |s: &str| std::fs::read_to_string(dir.join(format!("{s}.txt"))).unwrap();
        sets.push(vec![
            read("CM16-0232182"),
            read("CM16-0238676"),
            read("CM16-0229336"),
        ]);
    }
    for (k, set) in sets.iter().enumerate() {
        // Merged PDFs meet at a page break; appended text may not even start a new line.
        let joiner = if k % 2 == 0 { "\n\x0c" } else { "" };
        let file = parse(&set.join(joiner), "merged.txt");
        assert!(file.warnings.is_empty(), "set {k}: {:?}", file.warnings);
        assert_eq!(file.letters.len(), set.len(), "set {k}");
        for (j, (got, text)) in file.letters.iter().zip(set).enumerate() {
            let alone = parse(text, "merged.txt").letters.remove(0);
            let expected_id = match (&alone.header.case_number, j) {
                (Some(c), _) => c.clone(),
                (None, 0) => "merged".to_string(),
                (None, j) => format!("merged-{}", j + 1),
            };
            assert_eq!(got.letter_id, expected_id, "set {k} letter {j}");
            assert_eq!(got.items, alone.items, "set {k} letter {j}");
            assert_eq!(got.header, alone.header, "set {k} letter {j}");
            assert_eq!(got.specialty, alone.specialty);
        }
    }
}

/// One letter repeated (the 200 MB file, small): N letters of the same case, one
/// warning, and the index keeps one copy.
#[test]
fn one_letter_repeated_is_indexed_once() {
    let text = seed(4).replace(
        "HOW THE IMR FINAL DETERMINATION WAS MADE",
        "Case Number: CM15-0000042\nHOW THE IMR FINAL DETERMINATION WAS MADE",
    );
    let p = parse(&text.repeat(40), "repeated.txt");
    assert_eq!(p.letters.len(), 40);
    assert!(p.letters.iter().all(|l| l.items.len() == 2));
    assert_eq!(
        p.warnings,
        ["repeated.txt: letter CM15-0000042 is in the file 40 times; the last copy is indexed"]
    );
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("repeated.txt");
    std::fs::write(&file, text.repeat(40)).unwrap();
    let ix = tmp.path().join("ix");
    let r = run(&[
        "index",
        "--quiet",
        "--index",
        ix.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let v = search(&ix, &["--where", "layout=2016-header", "--limit", "0"]);
    assert_eq!(v["total"], 2, "{v}");
}

fn search(ix: &Path, args: &[&str]) -> Value {
    let mut all = vec![
        "search",
        "--format",
        "json",
        "--index",
        ix.to_str().unwrap(),
    ];
    all.extend(args);
    let r = run(&all);
    assert_eq!(r.status, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

/// A letter in a layout nobody described, found by a word only it contains, flagged whole;
/// a recognised letter whose items cannot be split, kept whole too; a text that is no IMR
/// letter at all, an error.
#[test]
fn letters_kept_whole_are_searchable_and_flagged() {
    let tmp = tempfile::tempdir().unwrap();
    let letters = tmp.path().join("letters");
    std::fs::create_dir(&letters).unwrap();
    std::fs::write(
        letters.join("odd.txt"),
        "MAXIMUS Federal Services\nFinal Determination Letter\nCase: IMR 14-0123456\nDated: 3/4/2014\nAfter review, the request for zyxorbital\ntraction therapy was found not medically necessary for this 58 year old male.\n",
    )
    .unwrap();
    // A 2016 letter whose second item has no decision word: the items cannot be split.
    let broken = seed(4).replace("Baclofen 20mg #30:  Upheld", "Baclofen 20mg #30");
    std::fs::write(letters.join("broken.txt"), &broken).unwrap();
    std::fs::write(
        letters.join("notes.txt"),
        "Meeting notes\nNothing to see here.\n",
    )
    .unwrap();
    std::fs::write(
        letters.join("notice.txt"),
        notice_letter("IMR 13-000004", true),
    )
    .unwrap();

    let r = run(&["parse", "--format", "jsonl", letters.to_str().unwrap()]);
    assert_eq!(r.status, 1, "notes.txt fails");
    let d = letters.display();
    let mut stderr: Vec<&str> = r.stderr.lines().collect();
    stderr.sort();
    assert_eq!(
        stderr,
        [
            format!("{d}/notes.txt: not an IMR determination letter (no layout's headings, no MAXIMUS or Independent Medical Review wording)"),
            format!("warning: {d}/broken.txt: broken: 2014-no-header letter whose items could not be split: item 2: no \"Upheld\" or \"Overturned\" decision before its guideline lines (found \"Baclofen 20mg #30\"); indexed whole, as one whole-letter document"),
            format!("warning: {d}/odd.txt: IMR 14-0123456: a letter in no layout imr knows; indexed whole, as one whole-letter document"),
        ]
    );
    let items = jsonl(&r.stdout);
    let odd = items
        .iter()
        .find(|i| i["source"].as_str().unwrap().ends_with("odd.txt"))
        .unwrap();
    assert_eq!(odd["whole"], true);
    assert_eq!(odd["layout"], "unrecognised");
    assert_eq!(odd["decision"], "unknown");
    assert_eq!(odd["item"], "Whole letter (items not split)");
    assert_eq!(odd["case_number"], "IMR 14-0123456");
    assert_eq!(odd["decision_date"], "2014-03-04");
    assert_eq!(odd["patient_age"], 58);
    let whole = items
        .iter()
        .find(|i| i["source"].as_str().unwrap().ends_with("broken.txt"))
        .unwrap();
    assert_eq!(whole["layout"], "2014-no-header");
    assert_eq!(
        whole["specialty"],
        serde_json::json!(["Physical Medicine and Rehabilitation", "Pain Medicine"])
    );
    assert!(whole["rationale"]
        .as_str()
        .unwrap()
        .contains("Baclofen 20mg #30"));

    let ix = tmp.path().join("ix");
    let r = run(&[
        "index",
        "--quiet",
        "--index",
        ix.to_str().unwrap(),
        letters.to_str().unwrap(),
    ]);
    assert_eq!(r.status, 1, "notes.txt is skipped: {}", r.stderr);
    let v = search(&ix, &["zyxorbital"]);
    assert_eq!(v["total"], 1, "{v}");
    assert_eq!(v["hits"][0]["whole"], true);
    assert_eq!(v["hits"][0]["decision"], "unknown");
    assert_eq!(v["hits"][0]["case_number"], "IMR 14-0123456");
    // Whole letters count as neither outcome, and are found by their layout.
    let v = search(&ix, &["--where", "decision=unknown", "--limit", "0"]);
    assert_eq!(v["total"], 2);
    let v = search(&ix, &["--decision", "upheld", "--limit", "0"]);
    assert_eq!(v["total"], 2, "the Notice letter's two upheld items");
    let v = search(&ix, &["--where", "layout=2013-notice", "--limit", "0"]);
    assert_eq!(v["total"], 3);
}

/// Cut short: every complete item before the cut is kept, with a warning naming the file.
#[test]
fn cut_letters_keep_their_complete_items() {
    let text = seed(4);
    let cases = [
        (
            "Page 63-64",
            "truncated in item 2: no \"Decision rationale:\" line",
        ),
        (
            "MAXIMUS guideline:",
            "truncated in item 2: no \"MAXIMUS guideline:\" line",
        ),
    ];
    for (at, why) in cases {
        let cut = &text[..text.rfind(at).unwrap()];
        let p = parse(cut, "cut.txt");
        assert_eq!(
            p.warnings,
            [format!(
                "cut.txt: cut: {why}; the complete item before it (1) indexed"
            )]
        );
        let items = p.into_items();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].item, "Norco 10/325 #60");
        assert!(
            items[0]
                .rationale
                .ends_with("is not considered medically necessary."),
            "{}",
            items[0].rationale
        );
    }
    // Cut inside the next item's first label.
    let at = text.rfind("Claims Administrator guideline").unwrap();
    let p = parse(&text[..at + "Claims Administr".len()], "cut.txt");
    assert_eq!(p.letters[0].items.len(), 1);
    assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
}

/// The split never cuts a real letter: every real letter and seed is one letter, with no
/// warning, in its known layout.
#[test]
fn every_real_letter_is_one_letter() {
    let mut dirs = vec![(seeds(), "2014-no-header")];
    for kind in ["txt", "txt-layout"] {
        if let Some(d) = shared_letters(kind) {
            dirs.push((d, "2016-header"));
        }
    }
    for (dir, layout) in dirs {
        for file in letter_files(&dir) {
            let p = imr_search::files::parse_file(&file).unwrap();
            assert_eq!(p.letters.len(), 1, "{}", file.display());
            assert!(
                p.warnings.is_empty(),
                "{}: {:?}",
                file.display(),
                p.warnings
            );
            assert_eq!(p.letters[0].layout.as_str(), layout, "{}", file.display());
            assert!(!p.letters[0].whole);
        }
    }
}

/// One letter of each layout in one file, each early layout recognised by its headings and
/// each letter read as it is alone.
#[test]
fn one_file_of_every_layout() {
    let letters = [
        (notice_letter("IMR 13-000004", true), "2013-notice", 3),
        (
            professional_review(
                "Therefore the MRI of the lumbar spine is not medically necessary.",
            ),
            "2013-professional-review",
            1,
        ),
        (
            format!("{DECISIONS_TOP}{DECISIONS_NUMBERED}"),
            "2013-decisions",
            2,
        ),
        (seed(2), "2014-no-header", 2),
        (notice_letter("IMR 13-000005", false), "2013-notice", 3),
    ];
    let all: String = letters.iter().map(|l| l.0.as_str()).collect();
    let p = parse(&all, "mixed.txt");
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let got: Vec<(&str, usize)> = p
        .letters
        .iter()
        .map(|l| (l.layout.as_str(), l.items.len()))
        .collect();
    let want: Vec<(&str, usize)> = letters.iter().map(|l| (l.1, l.2)).collect();
    assert_eq!(got, want);
    for (got, (text, _, _)) in p.letters.iter().zip(&letters) {
        let alone = parse(text, "mixed.txt").letters.remove(0);
        assert_eq!(got.items, alone.items, "{}", got.letter_id);
    }
}
