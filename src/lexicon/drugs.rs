//! The drug table from drugs.toml: every name compiled into one matcher, and lookup by name.

use std::collections::{HashMap, HashSet};

use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

use crate::error::{Error, Result};

/// One drug (or fixed combination) of the lexicon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drug {
    /// Lower-case generic; combined drugs joined by '/': "hydrocodone/acetaminophen".
    pub generic: String,
    /// Lower-case drug class, one of `Lexicon::classes()`.
    pub class: String,
    /// Brand names, other spellings and abbreviations, as written in drugs.toml.
    pub names: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DrugsFile {
    qualifiers: Qualifiers,
    classes: Vec<String>,
    drug: Vec<Drug>,
}

/// Words that may follow a name without changing the drug (drugs.toml's `[qualifiers]`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Qualifiers {
    /// Salts, release forms, plain oral forms: also skipped between a name and its strength.
    pub release: Vec<String>,
    /// Dose forms: skipped only at the end of a looked-up name.
    pub forms: Vec<String>,
}

/// What may separate the words of a name in a letter: "hydrocodone/APAP", "hydrocodone-APAP" and
/// "hydrocodone APAP" are one name.
const NAME_SEPARATOR: &str = r"(?:\s*[/-]\s*|\s+)";

/// The compiled drug table.
#[derive(Debug)]
pub(crate) struct DrugTable {
    drugs: Vec<Drug>,
    classes: Vec<String>,
    qualifiers: Qualifiers,
    /// `name_key` of every name and generic → index into `drugs`.
    by_key: HashMap<String, usize>,
    /// Every name and generic, longest first, as one case-insensitive alternation. Compiled
    /// on first use: query understanding only needs `by_key`, and compiling the alternation
    /// is most of a search's start-up otherwise.
    alternation: String,
    names: OnceLock<Regex>,
}

impl DrugTable {
    pub(crate) fn parse(text: &str, path: &str) -> Result<DrugTable> {
        let file: DrugsFile =
            toml::from_str(text).map_err(|e| Error::parse(path, e.to_string()))?;
        let bad = |reason: String| Error::parse(path, reason);

        let mut seen_classes = HashSet::new();
        for class in &file.classes {
            if class.is_empty() || *class != class.to_lowercase() || class.trim() != class {
                return Err(bad(format!(
                    "class {class:?} must be lower-case and trimmed"
                )));
            }
            if !seen_classes.insert(class.as_str()) {
                return Err(bad(format!("class {class:?} is listed twice")));
            }
        }

        let mut by_key: HashMap<String, usize> = HashMap::new();
        let mut alternatives: Vec<(String, String)> = Vec::new();
        for (i, drug) in file.drug.iter().enumerate() {
            if drug.generic.is_empty() || drug.generic != drug.generic.to_lowercase() {
                return Err(bad(format!(
                    "generic {:?} must be non-empty and lower-case",
                    drug.generic
                )));
            }
            if !seen_classes.contains(drug.class.as_str()) {
                return Err(bad(format!(
                    "{}: class {:?} is not in `classes`",
                    drug.generic, drug.class
                )));
            }
            for name in std::iter::once(&drug.generic).chain(&drug.names) {
                if !name.is_ascii() {
                    return Err(bad(format!("{}: name {name:?} is not ASCII", drug.generic)));
                }
                let key = name_key(name);
                if key.is_empty() {
                    return Err(bad(format!("{}: empty name", drug.generic)));
                }
                match by_key.get(&key) {
                    Some(&j) if j != i => {
                        return Err(bad(format!(
                            "name {name:?} belongs to both {} and {}",
                            file.drug[j].generic, drug.generic
                        )));
                    }
                    Some(_) => {} // the same name twice in one drug, e.g. "X/Y" and "X-Y"
                    None => {
                        by_key.insert(key.clone(), i);
                        alternatives.push((key, name_pattern(name)));
                    }
                }
            }
        }

        // Leftmost-first alternation: listing longer names first makes the longest name win at
        // any position ("hydrocodone/APAP" before "hydrocodone").
        alternatives.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        let alternation = alternatives
            .iter()
            .map(|(_, p)| p.as_str())
            .collect::<Vec<_>>()
            .join("|");
        Ok(DrugTable {
            drugs: file.drug,
            classes: file.classes,
            qualifiers: file.qualifiers,
            by_key,
            alternation,
            names: OnceLock::new(),
        })
    }

    fn compile_names(alternation: &str) -> std::result::Result<Regex, regex::Error> {
        RegexBuilder::new(alternation)
            .case_insensitive(true)
            .unicode(false)
            .size_limit(64 << 20)
            .dfa_size_limit(64 << 20)
            .build()
    }

    /// Compiles the name matcher now, reporting a failure as an error (for validation).
    pub(crate) fn check(&self, path: &str) -> Result<()> {
        if self.names.get().is_none() {
            let re = Self::compile_names(&self.alternation)
                .map_err(|e| Error::parse(path, format!("cannot compile the name matcher: {e}")))?;
            let _ = self.names.set(re);
        }
        Ok(())
    }

    fn names(&self) -> &Regex {
        self.names.get_or_init(|| {
            Self::compile_names(&self.alternation)
                .unwrap_or_else(|e| panic!("bundled drug names compile (tested): {e}"))
        })
    }

    pub(crate) fn all(&self) -> &[Drug] {
        &self.drugs
    }

    /// Whether a word may follow a name without changing the drug.
    fn is_qualifier(&self, word: &str) -> bool {
        let q = &self.qualifiers;
        q.release.iter().chain(&q.forms).any(|w| w == word)
    }

    /// drugs.toml's qualifier words.
    pub(crate) fn qualifiers(&self) -> &Qualifiers {
        &self.qualifiers
    }

    pub(crate) fn class_names(&self) -> &[String] {
        &self.classes
    }

    pub(crate) fn lookup(&self, name: &str) -> Option<&Drug> {
        let key = name_key(name);
        if let Some(&i) = self.by_key.get(&key) {
            return Some(&self.drugs[i]);
        }
        // "tramadol ER", "oxycodone HCL ER": drop trailing salts and release forms.
        let mut words: Vec<&str> = key.split(' ').collect();
        while words.len() > 1 && self.is_qualifier(words[words.len() - 1]) {
            words.pop();
            if let Some(&i) = self.by_key.get(&words.join(" ")) {
                return Some(&self.drugs[i]);
            }
        }
        None
    }

    /// Every drug name in `text`, leftmost first, the longest at each position.
    pub(crate) fn find_names<'t>(&self, text: &'t str) -> Vec<regex::Match<'t>> {
        self.names().find_iter(text).collect()
    }

    /// The drug a name found by `find_names` belongs to.
    pub(crate) fn drug_named(&self, name: &str) -> Option<&Drug> {
        self.by_key.get(&name_key(name)).map(|&i| &self.drugs[i])
    }
}

/// The comparison form of a name: lower-case words split on spaces, '/' and '-'.
pub(crate) fn name_key(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '/' || c == '-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The regex for one name: its words joined by any separator, whole words only.
pub(crate) fn name_pattern(name: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| c.is_whitespace() || c == '/' || c == '-')
        .filter(|w| !w.is_empty())
        .map(regex::escape)
        .collect();
    let mut pattern = words.join(NAME_SEPARATOR);
    // \b only where the name starts or ends with a word character ("Tylenol #3" ends in one,
    // a name ending in '.' would not).
    if name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        pattern.insert_str(0, r"\b");
    }
    if name.ends_with(|c: char| c.is_ascii_alphanumeric()) {
        pattern.push_str(r"\b");
    }
    format!("(?:{pattern})")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;

    #[test]
    fn lookup_by_any_name() {
        let lex = Lexicon::get();
        let generic = |name: &str| lex.drug(name).map(|d| d.generic.as_str());
        assert_eq!(generic("norco"), Some("hydrocodone/acetaminophen"));
        assert_eq!(generic("NORCO"), Some("hydrocodone/acetaminophen"));
        assert_eq!(
            generic("hydrocodone-apap"),
            Some("hydrocodone/acetaminophen")
        );
        assert_eq!(
            generic("hydrocodone/acetaminophen"),
            Some("hydrocodone/acetaminophen")
        );
        assert_eq!(generic("Percocet"), Some("oxycodone/acetaminophen"));
        assert_eq!(generic("oxycodone HCL ER"), Some("oxycodone"));
        assert_eq!(generic("tramadol ER"), Some("tramadol"));
        assert_eq!(generic("Ultracet"), Some("tramadol/acetaminophen"));
        assert_eq!(generic("Flexeril"), Some("cyclobenzaprine"));
        assert_eq!(generic("lidocaine ointment"), Some("lidocaine"));
        assert_eq!(generic("Lidoderm"), Some("lidocaine"));
        assert_eq!(generic("Soma"), Some("carisoprodol"));
        assert_eq!(generic("Lyrica"), Some("pregabalin"));
        assert_eq!(generic("  ambien  "), Some("zolpidem"));
        assert_eq!(generic("physical therapy"), None);
        assert_eq!(generic(""), None);
    }

    #[test]
    fn classes_are_the_listed_ones() {
        let lex = Lexicon::get();
        let classes = lex.classes();
        assert!(classes.contains(&"opioid") && classes.contains(&"proton pump inhibitor"));
        for drug in lex.drugs() {
            assert!(classes.contains(&drug.class.as_str()), "{}", drug.generic);
        }
        // Every class is used by at least one drug: no dead entries in the list.
        for class in &classes {
            assert!(
                lex.drugs().iter().any(|d| d.class == *class),
                "{class} is unused"
            );
        }
    }

    #[test]
    fn no_name_belongs_to_two_drugs() {
        // The parser refuses such a file; check that it does, and that the bundled one passes.
        let mut owner: HashMap<String, &str> = HashMap::new();
        for drug in Lexicon::get().drugs() {
            for name in std::iter::once(&drug.generic).chain(&drug.names) {
                if let Some(other) = owner.insert(name_key(name), &drug.generic) {
                    assert_eq!(other, drug.generic, "{name}");
                }
            }
        }
        let twice = r#"
            classes = ["opioid"]
            qualifiers = { release = [], forms = [] }
            [[drug]]
            generic = "a"
            class = "opioid"
            names = ["Same-Name"]
            [[drug]]
            generic = "b"
            class = "opioid"
            names = ["same name"]
        "#;
        let err = DrugTable::parse(twice, "drugs.toml")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            r#"drugs.toml: name "same name" belongs to both a and b"#
        );
    }

    #[test]
    fn unknown_class_is_refused() {
        let text = r#"
            classes = ["opioid"]
            qualifiers = { release = [], forms = [] }
            [[drug]]
            generic = "x"
            class = "opiate"
            names = []
        "#;
        let err = DrugTable::parse(text, "drugs.toml")
            .unwrap_err()
            .to_string();
        assert_eq!(err, r#"drugs.toml: x: class "opiate" is not in `classes`"#);
    }

    #[test]
    fn data_counts() {
        let lex = Lexicon::get();
        assert!(lex.drugs().len() >= 150, "{}", lex.drugs().len());
        let names: usize = lex.drugs().iter().map(|d| d.names.len() + 1).sum();
        assert!(names >= 400, "{names}");
    }
}
