//! Domain vocabulary compiled in from data files: drugs, categories, specialties, synonyms,
//! treatments.
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
mod treatments;
mod words;

use std::sync::OnceLock;

pub use drugs::Drug;
pub use treatments::{DwcCategory, Laterality, Treatment, TreatmentNames, Treatments};
pub use words::{
    guidelines, layouts, query_words, similar_words, Document as GuidelineDocument, GuidelineDocs,
    ImrWords, LayoutHeadings, Layouts, QueryWords, SimilarWeights, SimilarWords,
};

use crate::error::Result;
use crate::record::{Category, Medication};

const DRUGS_TOML: &str = include_str!("drugs.toml");
const CATEGORIES_TOML: &str = include_str!("categories.toml");
const SPECIALTIES_TOML: &str = include_str!("specialties.toml");
const SYNONYMS_TOML: &str = include_str!("synonyms.toml");
const TREATMENTS_TOML: &str = include_str!("treatments.toml");

/// Drug names, treatment-category rules, specialty spellings and search synonyms, compiled.
#[derive(Debug)]
pub struct Lexicon {
    drugs: drugs::DrugTable,
    synonyms: synonyms::Synonyms,
    // The matchers below compile on first use: a search needs only name lookups, and
    // compiling every pattern up front was most of a search's start-up time.
    categories_toml: String,
    specialties_toml: String,
    medication: OnceLock<medication::MedicationReader>,
    categories: OnceLock<categories::CategoryRules>,
    specialties: OnceLock<specialties::Specialties>,
    treatments: OnceLock<treatments::Treatments>,
    treatment_names: OnceLock<treatments::TreatmentNames>,
}

const CATEGORIES_PATH: &str = "src/lexicon/categories.toml";
const SPECIALTIES_PATH: &str = "src/lexicon/specialties.toml";
const TREATMENTS_PATH: &str = "src/lexicon/treatments.toml";

impl Lexicon {
    /// The compiled-in lexicon, parsed once (panics only if the bundled data files are malformed,
    /// which a unit test rules out).
    pub fn get() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(|| {
            Lexicon::lazy(DRUGS_TOML, CATEGORIES_TOML, SPECIALTIES_TOML, SYNONYMS_TOML)
                .unwrap_or_else(|e| panic!("bundled lexicon data is malformed: {e}"))
        })
    }

    /// Parses the drug table and synonyms now, the rest on first use.
    fn lazy(drugs: &str, categories: &str, specialties: &str, synonyms: &str) -> Result<Lexicon> {
        Ok(Lexicon {
            drugs: drugs::DrugTable::parse(drugs, "src/lexicon/drugs.toml")?,
            synonyms: synonyms::Synonyms::parse(synonyms, "src/lexicon/synonyms.toml")?,
            categories_toml: categories.to_string(),
            specialties_toml: specialties.to_string(),
            medication: OnceLock::new(),
            categories: OnceLock::new(),
            specialties: OnceLock::new(),
            treatment_names: OnceLock::new(),
            treatments: OnceLock::new(),
        })
    }

    fn medication(&self) -> &medication::MedicationReader {
        self.medication
            .get_or_init(|| medication::MedicationReader::new(&self.drugs))
    }

    fn categories(&self) -> &categories::CategoryRules {
        self.categories.get_or_init(|| {
            categories::CategoryRules::parse(
                &self.categories_toml,
                CATEGORIES_PATH,
                self.drugs.class_names(),
            )
            .unwrap_or_else(|e| panic!("bundled lexicon data is malformed: {e}"))
        })
    }

    fn specialties_rules(&self) -> &specialties::Specialties {
        self.specialties.get_or_init(|| {
            specialties::Specialties::parse(&self.specialties_toml, SPECIALTIES_PATH)
                .unwrap_or_else(|e| panic!("bundled lexicon data is malformed: {e}"))
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
        // Everything compiled now, so that a malformed file is an error here, not a panic later.
        let lex = Lexicon::lazy(drugs, categories, specialties, synonyms)?;
        lex.drugs.check("src/lexicon/drugs.toml")?;
        let rules =
            categories::CategoryRules::parse(categories, CATEGORIES_PATH, lex.drugs.class_names())?;
        let _ = lex.categories.set(rules);
        let _ = lex.specialties.set(specialties::Specialties::parse(
            specialties,
            SPECIALTIES_PATH,
        )?);
        let _ = lex.medication();
        Ok(lex)
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
        self.medication().find(&self.drugs, item)
    }

    /// Every drug an item names, as `Medication`s: the first is what `find_medication` returns,
    /// then each further ingredient of a compound or combination ("Flurbiprofen 10%,
    /// Cyclobenzaprine 3%, Gabapentin 6%, Lidocaine 5% cream" gives four), one per generic.
    /// Empty if no drug is named.
    pub fn find_medications(&self, item: &str) -> Vec<Medication> {
        self.medication().find_all(&self.drugs, item)
    }

    /// The treatment vocabulary of treatments.toml, compiled on first use (panics only if the
    /// bundled file is malformed, which its unit tests rule out).
    /// Treatment, region and DWC category names, without the classifier's patterns: what a
    /// search needs (see `TreatmentNames`).
    pub fn treatment_names(&self) -> &TreatmentNames {
        self.treatment_names.get_or_init(|| {
            TreatmentNames::parse(TREATMENTS_TOML, TREATMENTS_PATH)
                .unwrap_or_else(|e| panic!("bundled lexicon data is malformed: {e}"))
        })
    }

    pub fn treatments(&self) -> &Treatments {
        self.treatments.get_or_init(|| {
            Treatments::parse(TREATMENTS_TOML, TREATMENTS_PATH, &self.drugs)
                .unwrap_or_else(|e| panic!("bundled lexicon data is malformed: {e}"))
        })
    }

    /// What an item is: DWC category and subcategory, canonical treatment, body regions,
    /// laterality and today's category (see `Treatment`). Finds the item's drugs itself; use
    /// `treatments().classify(item, &medications)` when they are already known.
    pub fn treatment(&self, item: &str) -> Treatment {
        self.treatments()
            .classify(item, &self.find_medications(item))
    }

    /// The treatment category of an item text, using categories.toml; `medication` is the result
    /// of `find_medication`.
    pub fn category(&self, item: &str, medication: Option<&Medication>) -> Category {
        self.categories().category(item, medication)
    }

    /// Canonical spelling of one specialty as written ("Physical Medicine & Rehabilitation",
    /// "Sports Medicinea"); unknown ones come back tidied (trimmed, single spaces, '&' as "and",
    /// case as written).
    pub fn canonical_specialty(&self, raw: &str) -> String {
        self.specialties_rules().canonical(raw)
    }

    /// Splits a "Certification(s)/Specialty:" value or the prose ("Board Certified in Physical
    /// Medicine and Rehabilitation, has a subspecialty in Pain Medicine") into canonical
    /// specialties, in order, deduplicated.
    pub fn specialties(&self, text: &str) -> Vec<String> {
        self.specialties_rules().split(text)
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

/// A data file's rules as one set, so an item is scanned once whatever their number:
/// case-insensitive, ASCII classes (the rules are English words), room for a few hundred.
pub(crate) fn rule_set(patterns: &[String]) -> std::result::Result<regex::RegexSet, regex::Error> {
    regex::RegexSetBuilder::new(patterns)
        .case_insensitive(true)
        .unicode(false)
        .size_limit(64 << 20)
        .dfa_size_limit(64 << 20)
        .build()
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

    /// The disputed items of every letter under `dir`: the text before ": Upheld" or
    /// ": Overturned", joined back over wrapped lines, the IMR-eligible remainder of a partial
    /// approval ("... the original request, Z is: Upheld" gives Z).
    fn letter_items(dir: &std::path::Path) -> Vec<String> {
        let mut items = Vec::new();
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.sort();
        for path in files {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let lines: Vec<&str> = text
                .split(['\n', '\x0c'])
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            for (i, line) in lines.iter().enumerate() {
                let decided = line.ends_with("Upheld") || line.ends_with("Overturned");
                if !decided || line.starts_with("MAXIMUS") {
                    continue;
                }
                let mut parts = vec![*line];
                for prev in lines[..i].iter().rev() {
                    if prev.ends_with('.')
                        || prev.ends_with("below:")
                        || prev.ends_with("RATIONALES")
                    {
                        break;
                    }
                    parts.insert(0, prev);
                }
                let joined = parts.join(" ");
                let item = joined
                    .trim_end_matches("Upheld")
                    .trim_end_matches("Overturned")
                    .trim_end()
                    .trim_end_matches(':')
                    .trim_end()
                    .trim_end_matches(" is");
                let item = item.rsplit("original request, ").next().unwrap_or(item);
                items.push(squash_keep_case(item));
            }
        }
        items
    }

    fn squash_keep_case(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Every item of the seed letters, and of the 2016 letters in ../shared when present, gets
    /// a category other than "other" (but for home care), and every item written with a dose in
    /// milligrams names a drug with that strength.
    #[test]
    fn every_letter_item_gets_a_sensible_category() {
        let lex = Lexicon::get();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut items = letter_items(&root.join("corpora/seeds"));
        assert_eq!(
            items.len(),
            15,
            "the seed letters hold 15 items: {items:#?}"
        );
        // The 72 letters of late 2016 hold 180 items (one "MAXIMUS guideline:" line each).
        let shared = letter_items(&root.join("../shared/letters/txt"));
        assert!(shared.is_empty() || shared.len() == 180, "{}", shared.len());
        items.extend(shared);
        let dose = regex::Regex::new(r"(?i)\d\s*mg\b").unwrap();
        for item in &items {
            let med = lex.find_medication(item);
            let category = lex.category(item, med.as_ref());
            let home_care = item.contains("RN ") || item.contains("aide");
            assert_eq!(
                category == Category::Other,
                home_care,
                "{item}: {category:?}"
            );
            if dose.is_match(item) {
                let med = med.unwrap_or_else(|| panic!("{item}: no drug found"));
                assert!(med.strength.is_some(), "{item}: no strength");
                assert_eq!(category, Category::Medication, "{item}");
            }
        }
    }
}
