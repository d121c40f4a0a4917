//! `vocab.toml` compiled in: the item mix, item words, citations and fact-bearing sentences
//! the generator writes besides what it learns from real letters.

use crate::error::{Error, Result};
use serde::Deserialize;
use std::collections::BTreeMap;

const VOCAB_TOML: &str = include_str!("vocab.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vocab {
    pub seed_era_share: f64,
    pub notice_share: f64,
    pub overturned_share: f64,
    pub partial_share: f64,
    pub items_per_letter: Vec<f64>,
    pub category_weights: BTreeMap<String, f64>,
    pub other_drugs_weight: f64,
    pub procedure_drugs: ProcedureDrugs,
    pub drug: Vec<DrugEntry>,
    pub class_strengths: BTreeMap<String, Vec<String>>,
    pub quantities: Vec<u32>,
    pub medication_form: Vec<Form>,
    pub fill: BTreeMap<String, Vec<String>>,
    pub patterns: BTreeMap<String, Vec<String>>,
    pub named_drug_item: Vec<NamedDrugItem>,
    pub partial_therapy: Vec<PartialTherapy>,
    pub seed_citation: Vec<SeedCitation>,
    pub section_citation: Vec<SectionCitation>,
    pub odg: Odg,
    pub opening: Vec<Opening>,
    pub opening_nosex: Vec<Opening>,
    pub sentences: Sentences,
    pub reviewer: Reviewer,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Odg {
    /// (chapter, topic)
    pub citations: Vec<[String; 2]>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sentences {
    pub pronoun: Vec<String>,
    pub ur: Vec<String>,
    pub upheld: Vec<String>,
    pub overturned: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reviewer {
    pub specialties: Vec<String>,
    /// (board certification, subspecialty or "")
    pub board: Vec<[String; 2]>,
    pub states: Vec<String>,
    pub boilerplate: String,
}

/// Drugs only ever given as a procedure: never drawn as medications.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcedureDrugs {
    pub classes: Vec<String>,
    pub generics: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrugEntry {
    pub generic: String,
    pub weight: f64,
    pub names: Vec<String>,
    pub strengths: Vec<String>,
    #[serde(default)]
    pub quantities: Vec<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    pub weight: f64,
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedDrugItem {
    pub category: String,
    pub generic: String,
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartialTherapy {
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedCitation {
    pub keys: Vec<String>,
    pub document: String,
    pub topics: Vec<String>,
    pub pages: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionCitation {
    pub keys: Vec<String>,
    pub documents: Vec<String>,
    pub sections: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opening {
    /// How the date of injury is written: slash (10/17/2006), short (5-12-03), dash
    /// (10-13-2016), long (May 6, 2002).
    pub date: String,
    pub text: String,
}

impl Vocab {
    /// The bundled vocabulary (a unit test parses it on every `cargo test`).
    pub fn bundled() -> Result<Vocab> {
        let v: Vocab = toml::from_str(VOCAB_TOML)
            .map_err(|e| Error::parse("src/synth/vocab.toml", e.to_string()))?;
        v.check()?;
        Ok(v)
    }

    fn check(&self) -> Result<()> {
        let bad = |reason: String| Err(Error::parse("src/synth/vocab.toml", reason));
        for c in self.category_weights.keys() {
            if crate::record::Category::parse(c).is_none() {
                return bad(format!("category_weights: unknown category {c:?}"));
            }
            if c != "medication" && !self.patterns.contains_key(c) {
                return bad(format!("patterns: no patterns for category {c:?}"));
            }
        }
        if self.items_per_letter.is_empty() || self.items_per_letter.len() > 21 {
            return bad("items_per_letter: 1 to 21 weights".into());
        }
        for p in self.patterns.values().flatten() {
            for slot in slots(p) {
                if !self.fill.contains_key(slot) && !self.fill.contains_key(&slot.to_lowercase()) {
                    return bad(format!("pattern {p:?}: no fill list for {{{slot}}}"));
                }
            }
        }
        if self
            .seed_citation
            .iter()
            .all(|c| !c.keys.iter().any(|k| k == "*"))
            || self
                .section_citation
                .iter()
                .all(|c| !c.keys.iter().any(|k| k == "*"))
        {
            return bad("seed_citation and section_citation each need a \"*\" entry".into());
        }
        Ok(())
    }
}

/// The `{slot}` names in a pattern.
pub fn slots(pattern: &str) -> impl Iterator<Item = &str> {
    pattern
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_vocab_parses_and_checks() {
        if let Err(e) = Vocab::bundled() {
            panic!("{e}");
        }
    }

    #[test]
    fn slot_names() {
        let s: Vec<&str> = slots("MRI of the {side} {joint}{contrast}").collect();
        assert_eq!(s, ["side", "joint", "contrast"]);
    }
}
