//! Sentence pools learned at run time from a folder of real letters (`--templates DIR`):
//! clinical-summary sentences, rationale sentences per treatment kind and decision, and the
//! 2016-era guideline lines per treatment kind. The generator recombines them with fresh
//! names, numbers and dates, so its text has the vocabulary and sentence lengths of real
//! letters without copying any letter whole.
//!
//! The letters are read with the crate's own parser, which splits them into sections; the
//! sentences that carry what the parser reads back (the summary's first sentence with age,
//! sex and injury date; the rationale's last, "... is (not) medically necessary.") are not
//! learned: the generator writes those itself from `vocab.toml`, so the ground truth never
//! depends on what the parser makes of a template.

use super::sentence::{split_sentences, Sentence};
use crate::error::{Error, Result};
use crate::record::{Decision, Item};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Rationale sentences of one treatment kind, by decision.
#[derive(Debug, Default)]
pub struct Pool {
    pub upheld: Vec<Sentence>,
    pub overturned: Vec<Sentence>,
}

impl Pool {
    fn len(&self) -> usize {
        self.upheld.len() + self.overturned.len()
    }
}

/// Everything learned from the template letters.
#[derive(Debug, Default)]
pub struct Templates {
    /// Template letters read, and their total size.
    pub letters: usize,
    pub bytes: u64,
    /// Files that did not parse (not letters, or damaged beyond the parser).
    pub skipped: usize,
    pub summary: Vec<Sentence>,
    /// Keyed "medication/opioid", "medication", "imaging", ..., and "*" for all.
    pub rationale: BTreeMap<String, Pool>,
    /// 2016-era `MAXIMUS guideline:` lines without page citations, by the same keys.
    pub maximus: BTreeMap<String, Vec<String>>,
    /// 2016-era `Claims Administrator guideline:` lines, by the same keys.
    pub claims: BTreeMap<String, Vec<String>>,
}

/// Fewer sentences than this in a class pool and its category's pool is used instead.
const MIN_POOL: usize = 12;

impl Templates {
    /// Learns from every `.txt` letter under `dirs` (sorted, so the pools and therefore the
    /// corpus are the same on every run).
    pub fn learn(dirs: &[PathBuf]) -> Result<Templates> {
        let mut files = Vec::new();
        for dir in dirs {
            files.extend(
                crate::files::letter_files(std::slice::from_ref(dir))?
                    .into_iter()
                    .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt"))),
            );
        }
        let mut t = Templates::default();
        for path in &files {
            t.learn_file(path)?;
        }
        if t.summary.is_empty() || t.rationale.get("*").is_none_or(|p| p.len() == 0) {
            return Err(Error::Other(format!(
                "no template letters could be read under {}: give --templates a folder of IMR letters as text",
                dirs.iter()
                    .map(|d| d.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        Ok(t)
    }

    fn learn_file(&mut self, path: &Path) -> Result<()> {
        let bytes = std::fs::read(path).map_err(|e| Error::io_path(e, path))?;
        let source = path.display().to_string();
        let Some(letter) = crate::letter::parse_bytes(&bytes, &source, &crate::files::stem(path))
            .ok()
            .and_then(|p| p.letters.into_iter().next())
            // A whole-letter record has no item sentences to learn.
            .filter(|l| !l.whole)
        else {
            self.skipped += 1;
            return Ok(());
        };
        self.letters += 1;
        self.bytes += bytes.len() as u64;
        let modern = letter.header.case_number.is_some();
        let summary = letter.summary.clone();
        for s in split_sentences(&summary).into_iter().skip(1) {
            if usable(s, false) {
                self.summary.push(Sentence::compile(s));
            }
        }
        for item in letter.into_items() {
            let keys = keys(&item);
            let sentences = split_sentences(&item.rationale);
            let body = &sentences[..sentences.len().saturating_sub(1)];
            for s in body.iter().filter(|s| usable(s, true)) {
                let compiled = Sentence::compile(s);
                for k in &keys {
                    let pool = self.rationale.entry(k.clone()).or_default();
                    match item.decision {
                        Decision::Upheld => pool.upheld.push(compiled.clone()),
                        Decision::Overturned => pool.overturned.push(compiled.clone()),
                        // A whole-letter document's text is no item's rationale.
                        Decision::Unknown => {}
                    }
                }
            }
            if modern {
                let m = &item.maximus_guideline;
                let lower = m.to_ascii_lowercase();
                // Pages are the seed era's; a 2016 line citing one would put pages in the
                // ground truth that the generator did not choose.
                if !lower.contains("page") && !regex!(r"\bpg").is_match(&lower) && usable_line(m) {
                    for k in &keys {
                        self.maximus.entry(k.clone()).or_default().push(m.clone());
                    }
                }
                let c = &item.claims_administrator_guideline;
                if usable_line(c) {
                    for k in &keys {
                        self.claims.entry(k.clone()).or_default().push(c.clone());
                    }
                }
            }
        }
        Ok(())
    }

    /// The rationale pool for an item: its class's if large enough, else its category's,
    /// else all.
    pub fn rationale_pool(&self, category: &str, class: Option<&str>) -> &Pool {
        let class_key = class.map(|c| format!("{category}/{c}"));
        let pool = [class_key.as_deref(), Some(category), Some("*")]
            .into_iter()
            .flatten()
            .filter_map(|k| self.rationale.get(k))
            .find(|p| p.len() >= MIN_POOL);
        pool.or_else(|| self.rationale.get("*"))
            .expect("learn() refuses templates without rationale sentences")
    }

    /// Learned 2016-era guideline lines for an item: its class's, else its category's.
    pub fn lines<'a>(
        map: &'a BTreeMap<String, Vec<String>>,
        category: &str,
        class: Option<&str>,
    ) -> Option<&'a [String]> {
        let class_key = class.map(|c| format!("{category}/{c}"));
        let lines = [class_key.as_deref(), Some(category)]
            .into_iter()
            .flatten()
            .filter_map(|k| map.get(k))
            .find(|v| !v.is_empty());
        lines.map(Vec::as_slice)
    }
}

fn keys(item: &Item) -> Vec<String> {
    let category = item.category.as_str().to_string();
    let mut keys = vec!["*".to_string(), category.clone()];
    if let Some(m) = &item.medication {
        keys.push(format!("{category}/{}", m.class));
    }
    keys
}

/// Whether a learned sentence can be reused anywhere: no words the parser anchors on, no
/// decisions, no case numbers, complete.
fn usable(s: &str, rationale: bool) -> bool {
    let lower = s.to_ascii_lowercase();
    (25..=450).contains(&s.len())
        && s.trim_end_matches(['"', ')', '\''])
            .ends_with(['.', '!', '?'])
        && !regex!(r"(?i)upheld|overturned|original request|authorized by the|imr eligible|guideline\s*:|rationale\s*:|set forth below|imr issues|case summary|final determination|\bCM\d{2}-\d|\bIMR\s?\d{2}-")
            .is_match(s)
        && !(rationale && lower.contains("medically necessary"))
}

fn usable_line(s: &str) -> bool {
    (10..=600).contains(&s.len())
        && !regex!(r"(?i)upheld|overturned|rationale\s*:|guideline\s*:|\bCM\d{2}-\d").is_match(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_from_the_seed_letters() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpora/seeds");
        let t = Templates::learn(&[dir]).unwrap();
        assert_eq!(t.letters, 5);
        assert!(t.summary.len() >= 30, "{}", t.summary.len());
        assert!(t.rationale["*"].upheld.len() >= 30);
        // The opioid rationales of the seeds form a pool of their own.
        assert!(t.rationale_pool("medication", Some("opioid")).len() >= MIN_POOL);
    }

    #[test]
    fn unusable_sentences() {
        assert!(!usable(
            "The request for Norco 10/325mg #60 is not medically necessary.",
            true
        ));
        assert!(!usable(
            "MAXIMUS guideline: Decision based on MTUS Chronic Pain.",
            false
        ));
        assert!(!usable(
            "The remaining IMR eligible portion of the original request",
            false
        ));
        assert!(usable(
            "The patient has been taking cyclobenzaprine for an extended period.",
            true
        ));
    }
}
