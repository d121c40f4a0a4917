//! Domain vocabulary compiled in from data files: drugs, categories, specialties, synonyms.
//! (Placeholder API while the data files are written on the `lexicon` branch.)

use crate::letter::{Category, Medication};
use std::sync::OnceLock;

pub struct Drug {
    pub generic: String,
    pub class: String,
    pub names: Vec<String>,
}

pub struct Lexicon {
    drugs: Vec<Drug>,
}

impl Lexicon {
    pub fn get() -> &'static Lexicon {
        static L: OnceLock<Lexicon> = OnceLock::new();
        L.get_or_init(|| Lexicon { drugs: Vec::new() })
    }
    pub fn find_medication(&self, _item: &str) -> Option<Medication> {
        None
    }
    pub fn category(&self, _item: &str, m: Option<&Medication>) -> Category {
        if m.is_some() {
            Category::Medication
        } else {
            Category::Other
        }
    }
    pub fn canonical_specialty(&self, raw: &str) -> String {
        raw.replace('&', "and").trim().to_string()
    }
    pub fn specialties(&self, text: &str) -> Vec<String> {
        text.split(',')
            .map(|s| self.canonical_specialty(s))
            .filter(|s| !s.is_empty())
            .collect()
    }
    pub fn drug(&self, name: &str) -> Option<&Drug> {
        self.drugs.iter().find(|d| d.generic == name)
    }
    pub fn drugs(&self) -> &[Drug] {
        &self.drugs
    }
}
