//! Domain vocabulary compiled in from data files: drugs, categories, specialties, synonyms.
//!
//! The knowledge lives in the TOML files next to this module (each opens with a comment that
//! explains its format and the decisions behind it); the code only compiles it into matchers.
//! `Lexicon::get()` parses the bundled files once per process; a unit test parses them on every
//! `cargo test`, so a malformed edit fails the build's tests rather than a user's run.

mod categories;
mod drugs;
mod medication;
mod specialties;
mod synonyms;

use std::sync::OnceLock;

pub use drugs::Drug;

use crate::error::Result;
use crate::letter::{Category, Medication};

const DRUGS_TOML: &str = include_str!("drugs.toml");
const CATEGORIES_TOML: &str = include_str!("categories.toml");
const SPECIALTIES_TOML: &str = include_str!("specialties.toml");
const SYNONYMS_TOML: &str = include_str!("synonyms.toml");

/// Drug names, treatment-category rules, specialty spellings and search synonyms, compiled.
#[derive(Debug)]
pub struct Lexicon {
    drugs: drugs::DrugTable,
    medication: medication::MedicationReader,
    categories: categories::CategoryRules,
    specialties: specialties::Specialties,
    synonyms: synonyms::Synonyms,
}

impl Lexicon {
    /// The compiled-in lexicon, parsed once (panics only if the bundled data files are malformed,
    /// which a unit test rules out).
    pub fn get() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(|| {
            Lexicon::bundled().unwrap_or_else(|e| panic!("bundled lexicon data is malformed: {e}"))
        })
    }

    /// Parses the bundled data files. `get()` is the cached form of this.
    pub fn bundled() -> Result<Lexicon> {
        Lexicon::from_sources(DRUGS_TOML, CATEGORIES_TOML, SPECIALTIES_TOML, SYNONYMS_TOML)
    }

    /// Builds a lexicon from the text of the four data files (same formats as the bundled ones).
    /// Errors name the file and what is wrong in it.
    pub fn from_sources(
        drugs: &str,
        categories: &str,
        specialties: &str,
        synonyms: &str,
    ) -> Result<Lexicon> {
        let drugs = drugs::DrugTable::parse(drugs, "src/lexicon/drugs.toml")?;
        let categories = categories::CategoryRules::parse(
            categories,
            "src/lexicon/categories.toml",
            drugs.class_names(),
        )?;
        let specialties =
            specialties::Specialties::parse(specialties, "src/lexicon/specialties.toml")?;
        let synonyms = synonyms::Synonyms::parse(synonyms, "src/lexicon/synonyms.toml")?;
        Ok(Lexicon {
            drugs,
            medication: medication::MedicationReader::new(),
            categories,
            specialties,
            synonyms,
        })
    }

    /// The first drug named in an item text ("Norco 10/325mg #60", "60 Flexeril 10mg") as a
    /// `Medication`: the name as written, its generic and class, the strength as written and the
    /// quantity. The longest name wins at a position ("hydrocodone/APAP" over "hydrocodone");
    /// matching is case-insensitive on whole words. `None` if no drug is named.
    ///
    /// Strength: the first dose after the name and before the next drug named ("10/325mg",
    /// "7.5mg", "5%", "10-325 mg", "10mcg/hr"), else a bare ratio right after the name ("Norco
    /// 10/325"). Package sizes in grams or millilitres are not strengths.
    /// Quantity: the number after '#' ("#60", "# 60", "#60 grams" → 60: the unit is ignored) or
    /// after "qty"/"quantity", else a count written before the name ("60 Flexeril 10mg").
    pub fn find_medication(&self, item: &str) -> Option<Medication> {
        self.medication.find(&self.drugs, item)
    }

    /// The treatment category of an item text, using categories.toml; `medication` is the result
    /// of `find_medication`.
    pub fn category(&self, item: &str, medication: Option<&Medication>) -> Category {
        self.categories.category(item, medication)
    }

    /// Canonical spelling of one specialty as written ("Physical Medicine & Rehabilitation",
    /// "Sports Medicinea"); unknown ones come back tidied (trimmed, single spaces, '&' as "and",
    /// case as written).
    pub fn canonical_specialty(&self, raw: &str) -> String {
        self.specialties.canonical(raw)
    }

    /// Splits a "Certification(s)/Specialty:" value or the prose ("Board Certified in Physical
    /// Medicine and Rehabilitation, has a subspecialty in Pain Medicine") into canonical
    /// specialties, in order, deduplicated.
    pub fn specialties(&self, text: &str) -> Vec<String> {
        self.specialties.split(text)
    }

    /// A drug by any of its names or its generic, case-insensitive ("norco" →
    /// hydrocodone/acetaminophen). A trailing salt or release form is ignored ("tramadol ER").
    pub fn drug(&self, name: &str) -> Option<&Drug> {
        self.drugs.lookup(name)
    }

    /// All drugs, in data-file order.
    pub fn drugs(&self) -> &[Drug] {
        self.drugs.all()
    }

    /// Known drug classes, in data-file order.
    pub fn classes(&self) -> Vec<&str> {
        self.drugs
            .class_names()
            .iter()
            .map(String::as_str)
            .collect()
    }

    /// Synonym groups: each is the canonical phrase followed by its variants, all lower-case.
    pub fn synonym_groups(&self) -> &[Vec<String>] {
        self.synonyms.groups()
    }

    /// The group a phrase belongs to, if any (case and spacing do not matter).
    pub fn synonyms_of(&self, phrase: &str) -> Option<&[String]> {
        self.synonyms.group_of(phrase)
    }
}

/// Lower-case, single-spaced, trimmed: the form phrases are compared in.
fn squash(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_data_files_parse() {
        if let Err(e) = Lexicon::bundled() {
            panic!("{e}");
        }
    }

    #[test]
    fn get_is_cached() {
        assert!(std::ptr::eq(Lexicon::get(), Lexicon::get()));
    }

    #[test]
    fn errors_name_the_file() {
        let err = Lexicon::from_sources(
            "classes = [",
            CATEGORIES_TOML,
            SPECIALTIES_TOML,
            SYNONYMS_TOML,
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("src/lexicon/drugs.toml: "), "{err}");
    }

    #[test]
    fn squash_normalises_case_and_spacing() {
        assert_eq!(squash("  Urine   Drug\tScreen "), "urine drug screen");
    }
}
