//! The treatment vocabulary on real letters: coverage of every item of the letters in
//! ../shared (skipped, saying so, where absent) and accuracy against the hand-judged items of
//! tests/data/treatments.expected.toml, reported for the tuning and held-out halves.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::lexicon::Lexicon;

fn letters_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/letters/txt")
}

/// Items of every letter in `dir`, sorted by file name, with each letter's position.
fn items_in(dir: &Path) -> Vec<(usize, crate::record::Item)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    files.sort();
    let mut items = Vec::new();
    for (i, path) in files.iter().enumerate() {
        let parsed =
            crate::files::parse_file(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        items.extend(parsed.into_items().into_iter().map(|item| (i, item)));
    }
    items
}

pub(super) fn real_items() -> Vec<(usize, crate::record::Item)> {
    items_in(&letters_dir())
}

pub(super) fn seed_items() -> Vec<crate::record::Item> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/seeds");
    items_in(&dir).into_iter().map(|(_, i)| i).collect()
}

/// The held-out letters: every third letter sorted by file name.
fn held_out(letter_position: usize) -> bool {
    letter_position % 3 == 2
}

#[derive(Default)]
struct Coverage {
    items: usize,
    unknown: Vec<String>,
    catch_all: Vec<String>,
}

impl Coverage {
    fn add(&mut self, item: &str) {
        let t = Lexicon::get().treatment(item);
        self.items += 1;
        if t.treatment.is_none() {
            self.unknown.push(item.to_string());
        }
        if t.catch_all {
            self.catch_all
                .push(format!("{item} ({:?})", t.dwc_subcategory));
        }
    }

    fn share(n: usize, of: usize) -> f64 {
        if of == 0 {
            0.0
        } else {
            n as f64 / of as f64
        }
    }

    fn report(&self, what: &str) {
        eprintln!(
            "{what}: {} items, treatment unknown {:.1}% {:?}, catch-all {:.1}% {:?}",
            self.items,
            100.0 * Self::share(self.unknown.len(), self.items),
            self.unknown,
            100.0 * Self::share(self.catch_all.len(), self.items),
            self.catch_all
        );
    }
}

/// On the real letters, fewer than 5% of items have no treatment, and fewer than 5% a
/// catch-all subcategory; reported for the tuning and held-out letters apart.
#[test]
fn coverage_on_the_real_letters() {
    let items = real_items();
    if items.is_empty() {
        eprintln!(
            "skipped: no letters in {} (the shared corpus is not here)",
            letters_dir().display()
        );
        return;
    }
    let (mut tune, mut held, mut all, mut seeds) = (
        Coverage::default(),
        Coverage::default(),
        Coverage::default(),
        Coverage::default(),
    );
    for (position, item) in &items {
        let part = if held_out(*position) {
            &mut held
        } else {
            &mut tune
        };
        part.add(&item.item);
        all.add(&item.item);
    }
    for item in seed_items() {
        seeds.add(&item.item);
    }
    tune.report("tune");
    held.report("held-out");
    all.report("all real letters");
    seeds.report("seeds");
    assert_eq!(all.items, 180);
    assert!(
        Coverage::share(all.unknown.len(), all.items) < 0.05,
        "{:?}",
        all.unknown
    );
    assert!(
        Coverage::share(all.catch_all.len(), all.items) < 0.05,
        "{:?}",
        all.catch_all
    );
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedFile {
    item: Vec<Expected>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    letter_id: String,
    item_index: u32,
    item: String,
    split: String,
    treatment: Option<String>,
    region: Option<String>,
    laterality: Option<String>,
    category: Option<String>,
    subcategory: Option<String>,
}

/// The classifier against tests/data/treatments.expected.toml (judged by reading): at
/// least 95% right on treatment and on subcategory, per split and overall.
#[test]
fn accuracy_against_the_judged_items() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/treatments.expected.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file: ExpectedFile = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}"));

    let lex = Lexicon::get();
    for split in ["tune", "held-out", "all"] {
        let chosen: Vec<&Expected> = file
            .item
            .iter()
            .filter(|e| split == "all" || e.split == split)
            .collect();
        if chosen.is_empty() {
            continue;
        }
        let mut wrong: [Vec<String>; 5] = Default::default();
        for e in &chosen {
            let t = lex.treatment(&e.item);
            let fields = [
                (t.treatment.clone(), &e.treatment),
                (t.dwc_subcategory.clone(), &e.subcategory),
                (t.dwc_category.clone(), &e.category),
                (t.region.clone(), &e.region),
                (t.laterality.map(|l| l.as_str().to_string()), &e.laterality),
            ];
            for (k, (got, want)) in fields.iter().enumerate() {
                if got != *want {
                    wrong[k].push(format!(
                        "{} #{} {}: {got:?} not {want:?}",
                        e.letter_id, e.item_index, e.item
                    ));
                }
            }
        }
        let n = chosen.len() as f64;
        let accuracy = |k: usize| 1.0 - wrong[k].len() as f64 / n;
        eprintln!(
            "{split}: {} items; treatment {:.1}%, subcategory {:.1}%, category {:.1}%, region {:.1}%, laterality {:.1}%",
            chosen.len(),
            100.0 * accuracy(0),
            100.0 * accuracy(1),
            100.0 * accuracy(2),
            100.0 * accuracy(3),
            100.0 * accuracy(4)
        );
        for (k, what) in [
            "treatment",
            "subcategory",
            "category",
            "region",
            "laterality",
        ]
        .iter()
        .enumerate()
        {
            for w in &wrong[k] {
                eprintln!("  {split} {what}: {w}");
            }
        }
        assert!(accuracy(0) >= 0.95, "{split}: treatment {:#?}", wrong[0]);
        assert!(accuracy(1) >= 0.95, "{split}: subcategory {:#?}", wrong[1]);
    }

    // The file's items are the parser's, where the letters are here to say so.
    let parsed = real_items();
    if !parsed.is_empty() {
        assert_eq!(
            parsed.len(),
            file.item.len(),
            "items in the letters vs the file"
        );
        for ((_, p), e) in parsed.iter().zip(&file.item) {
            assert_eq!(
                (&p.letter_id, p.item_index, &p.item),
                (&e.letter_id, e.item_index, &e.item)
            );
        }
    }
}
