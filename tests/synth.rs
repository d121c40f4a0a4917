//! The corpus generator against the parser: every item `imr-synth` writes is read back
//! exactly (letter id, item name, decision, category, drug, strength, quantity, partial
//! approval, MTUS pages, dates, age, sex), and the same seed writes the same corpus.

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
fn read_back(item: &imr_search::letter::Item, era: synth::Era) -> TruthItem {
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
        patient_age: item.patient_age,
        patient_sex: item.patient_sex,
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
    assert!(truth.iter().any(|t| t.partial));
    assert!(truth.iter().any(|t| t.item_index >= 8));

    let mut wrong = Vec::new();
    let mut next = truth.iter().peekable();
    for i in 0..LETTERS {
        let path = dir.path().join(synth::letter_path(i, 1000));
        let expected: Vec<&TruthItem> =
            std::iter::from_fn(|| next.next_if(|t| t.letter_id == synth::Generator::letter_id(i)))
                .collect();
        let era = expected[0].era;
        let got: Vec<TruthItem> = match imr_search::files::parse_file(&path) {
            Ok(p) => p
                .letter
                .into_items()
                .iter()
                .map(|it| read_back(it, era))
                .collect(),
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
    assert!(
        wrong.is_empty(),
        "{} of {} items not read back as written; first ones:\n{}",
        wrong.len(),
        m.items,
        wrong[..wrong.len().min(15)].join("\n")
    );
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
