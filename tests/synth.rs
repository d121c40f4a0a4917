//! The corpus generator against the parser: every item `imr-synth` writes is read back
//! exactly (letter id, item name, decision, category, drug, strength, quantity, partial
//! approval, MTUS pages, dates, age, sex, specialty), in all three layouts it writes (2014-15,
//! 2016, the 2013 Notice), and the same seed writes the same corpus.

use crate::util::*;
use imr_search::synth::{self, SynthOptions, TruthItem};
use std::path::PathBuf;

const LETTERS: u64 = 3_000;
const SEED: u64 = 20_240_601;

/// The real 2016 letters when they are beside the repo (richer text), and the seed letters
/// always: the test runs in a bare clone too.
fn templates() -> Vec<PathBuf> {
    let mut t: Vec<PathBuf> = shared_letters("txt").into_iter().collect();
    t.push(seeds());
    t
}

fn generate(dir: &std::path::Path, letters: u64, seed: u64) -> synth::Manifest {
    let opts = SynthOptions {
        letters,
        seed,
        out: dir.to_path_buf(),
        templates: templates(),
        per_folder: 1000,
    };
    synth::generate(&opts, |_| {}).unwrap().manifest
}

fn truth(dir: &std::path::Path) -> Vec<TruthItem> {
    std::fs::read_to_string(dir.join(synth::TRUTH))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// What the parser reads from a letter, in the ground truth's shape.
fn read_back(item: &imr_search::record::Item, era: synth::Era) -> TruthItem {
    let med = item.medication.as_ref();
    TruthItem {
        letter_id: item.letter_id.clone(),
        era,
        item_index: item.item_index,
        item: item.item.clone(),
        decision: item.decision,
        category: item.category,
        generic: med.map(|m| m.generic.clone()),
        strength: med.and_then(|m| m.strength.clone()),
        quantity: med.and_then(|m| m.quantity),
        partial: item.original_request.is_some(),
        mtus_pages: item.mtus_pages.clone(),
        decision_date: item.decision_date.clone(),
        date_of_injury: item.date_of_injury.clone(),
        ur_denial_date: item.ur_denial_date.clone(),
        application_received: item.application_received.clone(),
        patient_age: item.patient_age,
        patient_sex: item.patient_sex,
        specialty: item.specialty.clone(),
    }
}

#[test]
fn parser_reads_back_every_generated_item() {
    let dir = tempfile::tempdir().unwrap();
    let m = generate(dir.path(), LETTERS, SEED);
    let truth = truth(dir.path());
    assert_eq!(truth.len() as u64, m.items);
    // The corpus has the shape the issue asks for.
    let per_letter = m.items as f64 / m.letters as f64;
    assert!(
        (2.1..2.6).contains(&per_letter),
        "{per_letter} items per letter"
    );
    let overturned = m.overturned as f64 / m.items as f64;
    assert!(
        (0.08..0.14).contains(&overturned),
        "{overturned} overturned"
    );
    let seed_era = m.seed_era_letters as f64 / m.letters as f64;
    assert!(
        (0.2..0.4).contains(&seed_era),
        "{seed_era} in the seed format"
    );
    let notice = m.notice_letters as f64 / m.letters as f64;
    assert!(
        (0.06..0.14).contains(&notice),
        "{notice} in the 2013 Notice layout"
    );
    assert!(truth.iter().any(|t| t.partial));
    assert!(truth.iter().any(|t| t.item_index >= 8));

    let mut wrong = Vec::new();
    let mut next = truth.iter().peekable();
    let mut layouts = std::collections::BTreeMap::<&str, (u64, u64)>::new();
    for i in 0..LETTERS {
        let path = dir.path().join(synth::letter_path(i, 1000));
        let era = next.peek().expect("truth for every letter").era;
        let id = synth::Generator::case_number(i, era);
        let expected: Vec<&TruthItem> =
            std::iter::from_fn(|| next.next_if(|t| t.letter_id == id)).collect();
        let got: Vec<TruthItem> = match imr_search::files::parse_file(&path) {
            Ok(p) => {
                if !p.warnings.is_empty() {
                    wrong.push(format!("{}: {:?}", path.display(), p.warnings));
                }
                let items = p.into_items();
                for it in &items {
                    let n = layouts.entry(it.layout.as_str()).or_default();
                    n.0 += u64::from(it.item_index == 1);
                    n.1 += 1;
                }
                items.iter().map(|it| read_back(it, era)).collect()
            }
            Err(e) => {
                wrong.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        if got.len() != expected.len() {
            wrong.push(format!(
                "{}: {} items read, {} written: {:?}",
                path.display(),
                got.len(),
                expected.len(),
                got.iter().map(|g| &g.item).collect::<Vec<_>>()
            ));
            continue;
        }
        for (g, e) in got.iter().zip(expected) {
            if g != e {
                wrong.push(format!(
                    "{} item {}:\n  read    {g:?}\n  written {e:?}",
                    path.display(),
                    e.item_index
                ));
            }
        }
    }
    assert!(
        next.next().is_none(),
        "truth for letters that were not written"
    );
    eprintln!("letters and items per layout: {layouts:?}");
    assert_eq!(
        layouts.keys().copied().collect::<Vec<_>>(),
        ["2013-notice", "2014-no-header", "2016-header"]
    );
    assert!(
        wrong.is_empty(),
        "{} of {} items not read back as written; first ones:\n{}",
        wrong.len(),
        m.items,
        wrong[..wrong.len().min(15)].join("\n")
    );
}

/// Letters of all three layouts run together in one file (merged PDFs, appended text) are
/// read as the same letters, with the same items, as one to a file.
#[test]
fn a_corpus_in_one_file_reads_as_its_letters() {
    let dir = tempfile::tempdir().unwrap();
    let m = generate(dir.path(), 80, 5);
    let mut all = String::new();
    let mut alone = Vec::new();
    for i in 0..m.letters {
        let path = dir.path().join(synth::letter_path(i, 1000));
        all.push_str(&std::fs::read_to_string(&path).unwrap());
        alone.extend(imr_search::files::parse_file(&path).unwrap().into_items());
    }
    let file = imr_search::letter::parse_file_text(&all, "all.txt", "all").unwrap();
    assert!(file.warnings.is_empty(), "{:?}", file.warnings);
    assert_eq!(file.letters.len() as u64, m.letters);
    let together = file.into_items();
    assert_eq!(together.len(), alone.len());
    for (t, a) in together.iter().zip(&alone) {
        assert_eq!(
            (&t.item, t.decision, &t.rationale, &t.case_number, t.layout),
            (&a.item, a.decision, &a.rationale, &a.case_number, a.layout)
        );
    }
    let layouts: std::collections::BTreeSet<&str> =
        together.iter().map(|i| i.layout.as_str()).collect();
    assert_eq!(layouts.len(), 3, "{layouts:?}");
}

#[test]
fn same_seed_same_corpus() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    generate(a.path(), 300, 7);
    generate(b.path(), 300, 7);
    generate(c.path(), 300, 8);
    let read = |d: &std::path::Path, f: &str| std::fs::read(d.join(f)).unwrap();
    assert_eq!(read(a.path(), synth::TRUTH), read(b.path(), synth::TRUTH));
    assert_ne!(read(a.path(), synth::TRUTH), read(c.path(), synth::TRUTH));
    for i in [0, 150, 299] {
        let p = synth::letter_path(i, 1000);
        let p = p.to_str().unwrap();
        assert_eq!(read(a.path(), p), read(b.path(), p), "{p}");
    }
}

#[test]
fn refuses_to_overwrite_a_corpus() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), 5, 1);
    let opts = SynthOptions {
        letters: 5,
        seed: 1,
        out: dir.path().to_path_buf(),
        templates: vec![seeds()],
        per_folder: 1000,
    };
    let err = synth::generate(&opts, |_| {}).unwrap_err().to_string();
    assert!(err.contains("already holds a corpus"), "{err}");
}

/// Shapes the generator found the parser misreading, each a real pattern of the letters
/// (FORMAT.md); the parser reads them since (see also the unit tests in letter/items.rs).
/// The generator still avoids writing them: letting it would widen the read-back test.
mod parser_gap {
    fn items(section: &str) -> Vec<(String, Option<String>, String)> {
        let text = format!(
            "CLINICAL CASE SUMMARY\nThe injured worker is a 50 year old male.\nIMR ISSUES, DECISIONS AND RATIONALES\nThe Final Determination was based on decisions for the disputed items/services set forth below:\n{section}"
        );
        imr_search::letter::parse_text(&text, "gap.txt", "gap")
            .unwrap()
            .into_items()
            .into_iter()
            .map(|i| (i.item, i.original_request, i.rationale))
            .collect()
    }

    const BLOCK: &str = "Claims Administrator guideline: Decision based on MTUS.\nMAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s):\nOpioids.\n";

    /// The next item's name starts on the last line of a rationale whose final sentence
    /// began on an earlier line: only a final sentence that starts its own line is split off.
    #[test]
    fn item_name_on_the_last_line_of_a_wrapped_rationale() {
        let got = items(&format!(
            "Norco 10/325mg #60: Upheld\n{BLOCK}Decision rationale: There is no documentation of functional improvement with the\ncurrent regimen and no recent urine drug screen. Therefore, the request is not\nmedically necessary. MRI of the lumbar\nspine: Upheld\n{BLOCK}Decision rationale: No red flags. The request is not medically necessary.\n"
        ));
        assert_eq!(got[1].0, "MRI of the lumbar spine");
        assert!(
            got[0].2.ends_with("is not medically necessary."),
            "{}",
            got[0].2
        );
    }

    /// "... leaving the original request IMR eligible." ending a line: the preamble is taken
    /// for the end of the previous rationale and the item loses its original request.
    #[test]
    fn modified_request_preamble_ending_a_line() {
        let got = items(&format!(
            "Norco 10/325mg #60: Upheld\n{BLOCK}Decision rationale: The request is not medically necessary.\nChiropractic treatment eight visits was modified to Chiropractic treatment six visits by the\nClaims Administrator, leaving the original request IMR eligible.\nThe original request, Chiropractic treatment eight visits is: Upheld\n{BLOCK}Decision rationale: The request is not medically necessary.\n"
        ));
        assert_eq!(got[1].0, "Chiropractic treatment eight visits");
        assert!(got[1].1.is_some(), "no original request");
        assert_eq!(got[0].2, "The request is not medically necessary.");
    }

    /// A rationale ending in ".)" does not end a sentence for the item-name search, so the
    /// next item's name swallows the rationale's last lines.
    #[test]
    fn rationale_ending_in_a_parenthesis() {
        let got = items(&format!(
            "Norco 10/325mg #60: Upheld\n{BLOCK}Decision rationale: The request is not medically necessary (see the MTUS,\npage 80.)\nMRI of the lumbar spine: Upheld\n{BLOCK}Decision rationale: The request is not medically necessary.\n"
        ));
        assert_eq!(got[1].0, "MRI of the lumbar spine");
    }
}
