//! Reviewer specialty spellings from specialties.toml: canonical names, and splitting the
//! "Certification(s)/Specialty:" line or the older prose into them.

use std::collections::HashMap;

use regex::{Regex, RegexBuilder};
use serde::Deserialize;

use crate::error::{Error, Result};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpecialtiesFile {
    specialty: Vec<RawSpecialty>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpecialty {
    name: String,
    #[serde(default)]
    variants: Vec<String>,
}

/// "The expert reviewer is Board Certified in X, has a subspecialty in Y": what introduces a
/// specialty in prose.
const PROSE_MARKER: &str = r"(?i)\b(?:board[\s-]+certified|certified|sub-?specialty|specialty|specializ(?:es|ed|ing)|specialist|fellowship[\s-]+trained)\s+in\s+";

/// What ends a specialty in prose: "... and is licensed", ", has a subspecialty", a full stop.
const PROSE_END: &str = r"(?i)\s+and\s+is\b|\bis\s+licensed|\blicensed\b|,?\s*(?:and\s+)?has\b|,?\s+with\s+a\b|\bhe/she\b|[.;]";

/// The label in front of the value: "Certification(s)/Specialty:".
const LABEL: &str = r"(?i)^.*\bspecialty\s*:";

/// Splits what is left between known names: "X and Y", "X/Y".
const JOINER: &str = r"(?i)\band\b|/";

#[derive(Debug)]
pub(crate) struct Specialties {
    /// `key` of every name and variant → canonical name.
    by_key: HashMap<String, String>,
    /// Every name and variant, longest first, on whole words (run on `tidy` text).
    known: Regex,
    prose_marker: Regex,
    prose_end: Regex,
    label: Regex,
    joiner: Regex,
}

impl Specialties {
    pub(crate) fn parse(text: &str, path: &str) -> Result<Specialties> {
        let file: SpecialtiesFile =
            toml::from_str(text).map_err(|e| Error::parse(path, e.to_string()))?;
        let bad = |reason: String| Error::parse(path, reason);

        let mut by_key: HashMap<String, String> = HashMap::new();
        let mut spellings: Vec<String> = Vec::new();
        for s in &file.specialty {
            if s.name.trim().is_empty() || tidy(&s.name) != s.name {
                return Err(bad(format!(
                    "name {:?} must be tidy: trimmed, single spaces, \"and\" not '&'",
                    s.name
                )));
            }
            for spelling in std::iter::once(&s.name).chain(&s.variants) {
                let spelling = tidy(spelling);
                match by_key.get(&key(&spelling)) {
                    Some(other) if *other != s.name => {
                        return Err(bad(format!(
                            "{spelling:?} is a spelling of both {other:?} and {:?}",
                            s.name
                        )));
                    }
                    Some(_) => {}
                    None => {
                        by_key.insert(key(&spelling), s.name.clone());
                        spellings.push(spelling);
                    }
                }
            }
        }

        spellings.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        let alternation = spellings
            .iter()
            .map(|s| {
                let words: Vec<String> = s.split(' ').map(regex::escape).collect();
                format!(r"\b{}\b", words.join(r"\s+"))
            })
            .collect::<Vec<_>>()
            .join("|");
        let known = RegexBuilder::new(&alternation)
            .case_insensitive(true)
            .unicode(false)
            .build()
            .map_err(|e| bad(format!("cannot compile the specialty matcher: {e}")))?;

        Ok(Specialties {
            by_key,
            known,
            prose_marker: compile(PROSE_MARKER),
            prose_end: compile(PROSE_END),
            label: compile(LABEL),
            joiner: compile(JOINER),
        })
    }

    /// The canonical name of a known spelling, also when one stray letter is glued to its end
    /// ("Sports Medicinea").
    fn lookup(&self, spelling: &str) -> Option<&str> {
        if let Some(name) = self.by_key.get(&key(spelling)) {
            return Some(name);
        }
        let trimmed = spelling.trim_end();
        let last = trimmed.chars().last()?;
        if last.is_ascii_lowercase() && trimmed.len() > 1 {
            let shorter = &trimmed[..trimmed.len() - 1];
            return self.by_key.get(&key(shorter)).map(String::as_str);
        }
        None
    }

    pub(crate) fn canonical(&self, raw: &str) -> String {
        let tidied = tidy(raw);
        match self.lookup(&tidied) {
            Some(name) => name.to_string(),
            None => tidied,
        }
    }

    pub(crate) fn split(&self, text: &str) -> Vec<String> {
        let text = tidy(text);
        let text = match self.label.find(&text) {
            Some(m) => text[m.end()..].trim(),
            None => text.as_str(),
        };
        let mut found = Vec::new();
        let markers: Vec<regex::Match> = self.prose_marker.find_iter(text).collect();
        if markers.is_empty() {
            self.split_list(text, true, &mut found);
        } else {
            // Before the first marker only known names count ("Physical Medicine and
            // Rehabilitation, has a subspecialty in ..." passed without its opening words);
            // "The expert reviewer is" must not become a specialty.
            self.split_list(&text[..markers[0].start()], false, &mut found);
            for m in &markers {
                let rest = &text[m.end()..];
                let end = self.prose_end.find(rest).map_or(rest.len(), |e| e.start());
                self.split_list(&rest[..end], true, &mut found);
            }
        }
        let mut seen = std::collections::HashSet::new();
        found.retain(|s| seen.insert(s.clone()));
        found
    }

    /// Known names in order; the text between them, split on commas, semicolons, "and" and '/',
    /// is kept as unknown specialties when `keep_unknown`.
    fn split_list(&self, text: &str, keep_unknown: bool, out: &mut Vec<String>) {
        let mut last = 0;
        for m in self.known.find_iter(text) {
            if keep_unknown {
                self.unknown(&text[last..m.start()], out);
            }
            if let Some(name) = self.lookup(m.as_str()) {
                out.push(name.to_string());
            }
            last = m.end();
        }
        if keep_unknown {
            self.unknown(&text[last..], out);
        }
    }

    fn unknown(&self, gap: &str, out: &mut Vec<String>) {
        for part in gap.split([',', ';']) {
            let part = part.trim();
            if !part.chars().any(|c| c.is_alphabetic()) {
                continue;
            }
            // A known name with a stray letter is one piece ("Physical Medicine and
            // Rehabilitationa"); only an unknown one is split further.
            if let Some(name) = self.lookup(part) {
                out.push(name.to_string());
                continue;
            }
            for piece in self.joiner.split(part) {
                let piece = piece.trim();
                if piece.chars().any(|c| c.is_alphabetic()) {
                    out.push(self.canonical(piece));
                }
            }
        }
    }
}

/// Trimmed, single-spaced, '&' written "and", trailing punctuation dropped; case kept.
fn tidy(text: &str) -> String {
    text.replace('&', " and ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches(['.', ',', ';', ':'])
        .trim()
        .to_string()
}

/// The comparison form of a spelling.
fn key(spelling: &str) -> String {
    tidy(spelling).to_lowercase()
}

/// Compiles one of the fixed patterns above; the `fixed_patterns_compile` test covers them.
fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("bad built-in pattern {pattern:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;

    fn split(text: &str) -> Vec<String> {
        Lexicon::get().specialties(text)
    }

    #[test]
    fn every_specialty_line_in_the_2016_letters() {
        // All 21 distinct "Certification(s)/Specialty:" values of the 72 letters in ../shared.
        #[rustfmt::skip]
        let cases: &[(&str, &[&str])] = &[
            ("Preventive Medicine, Occupational Medicine", &["Preventive Medicine", "Occupational Medicine"]),
            ("Family Practice", &["Family Medicine"]),
            ("Physical Medicine & Rehabilitation", &["Physical Medicine and Rehabilitation"]),
            ("Physical Medicine & Rehabilitation, Pain Management", &["Physical Medicine and Rehabilitation", "Pain Medicine"]),
            ("Preventive Medicine, Occupational Medicine, Family Practice", &["Preventive Medicine", "Occupational Medicine", "Family Medicine"]),
            ("Preventive Medicine, Occupational Medicine, Medical Toxicology", &["Preventive Medicine", "Occupational Medicine", "Medical Toxicology"]),
            ("Physical Medicine & Rehabilitation, Sports Medicine", &["Physical Medicine and Rehabilitation", "Sports Medicine"]),
            ("Orthopedic Surgery", &["Orthopedic Surgery"]),
            ("Internal Medicine", &["Internal Medicine"]),
            ("Anesthesiology, Pain Management", &["Anesthesiology", "Pain Medicine"]),
            ("Surgery, Surgical Critical Care", &["Surgery", "Surgical Critical Care"]),
            ("Psychiatry", &["Psychiatry"]),
            ("Preventive Medicine", &["Preventive Medicine"]),
            ("Physical Medicine & Rehabilitation, Pediatric Rehabilitation Medicine", &["Physical Medicine and Rehabilitation", "Pediatric Rehabilitation Medicine"]),
            ("Orthopedic Surgery, Sports Medicinea", &["Orthopedic Surgery", "Sports Medicine"]),
            ("Orthopedic Surgery, Sports Medicine", &["Orthopedic Surgery", "Sports Medicine"]),
            ("Neurology, Pain Management", &["Neurology", "Pain Medicine"]),
            ("Family Practice, Sports Medicine", &["Family Medicine", "Sports Medicine"]),
            ("Chiropractor", &["Chiropractic"]),
            ("Anesthesiology, Pain Management, Hospice & Palliative Medicine", &["Anesthesiology", "Pain Medicine", "Hospice and Palliative Medicine"]),
        ];
        for (text, expected) in cases {
            assert_eq!(split(text), *expected, "{text}");
        }
    }

    #[test]
    fn the_label_is_not_a_specialty() {
        assert_eq!(
            split("Certification(s)/Specialty: Preventive Medicine, Occupational Medicine"),
            ["Preventive Medicine", "Occupational Medicine"]
        );
    }

    #[test]
    fn prose_of_the_seed_letters() {
        assert_eq!(
            split(
                "The expert reviewer is Board Certified in Physical Medicine and Rehabilitation, \
                 has a subspecialty in Pain\nMedicine and is licensed to practice in California."
            ),
            ["Physical Medicine and Rehabilitation", "Pain Medicine"]
        );
        assert_eq!(
            split(
                "reviewer is Board Certified in Occupational Medicine and is licensed to practice \
                 in California. He/she has been in active clinical practice for more than five years"
            ),
            ["Occupational Medicine"]
        );
        // Without its opening words, and with a specialty nobody listed.
        assert_eq!(
            split("Physical Medicine and Rehabilitation, has a subspecialty in Pain Medicine"),
            ["Physical Medicine and Rehabilitation", "Pain Medicine"]
        );
        assert_eq!(
            split("Board Certified in Underwater Medicine and is licensed in California"),
            ["Underwater Medicine"]
        );
    }

    #[test]
    fn and_inside_a_name_is_not_a_separator() {
        assert_eq!(
            split("Physical Medicine and Rehabilitation"),
            ["Physical Medicine and Rehabilitation"]
        );
        assert_eq!(
            split("Endocrinology, Diabetes and Metabolism"),
            ["Endocrinology, Diabetes and Metabolism"]
        );
        assert_eq!(
            split("Psychiatry and Neurology"),
            ["Psychiatry", "Neurology"]
        );
        assert_eq!(
            split("Basket Weaving, Internal Medicine"),
            ["Basket Weaving", "Internal Medicine"]
        );
        assert_eq!(
            split("Pain Management, Pain Medicine"),
            ["Pain Medicine"],
            "deduplicated"
        );
        assert!(split("").is_empty());
    }

    #[test]
    fn canonical_spellings() {
        let lex = Lexicon::get();
        assert_eq!(
            lex.canonical_specialty("Sports Medicinea"),
            "Sports Medicine"
        );
        assert_eq!(
            lex.canonical_specialty("  pain   management "),
            "Pain Medicine"
        );
        assert_eq!(
            lex.canonical_specialty("Orthopaedic Surgery"),
            "Orthopedic Surgery"
        );
        assert_eq!(
            lex.canonical_specialty("Physical Medicine & Rehabilitation"),
            "Physical Medicine and Rehabilitation"
        );
        assert_eq!(
            lex.canonical_specialty("Family Practice"),
            "Family Medicine"
        );
        // Unknown: tidied, case kept.
        assert_eq!(
            lex.canonical_specialty(" Basket  & Weaving "),
            "Basket and Weaving"
        );
    }

    #[test]
    fn a_spelling_of_two_specialties_is_refused() {
        let text = "[[specialty]]\nname = \"A\"\nvariants = [\"X\"]\n\
                    [[specialty]]\nname = \"B\"\nvariants = [\"x\"]\n";
        let err = Specialties::parse(text, "specialties.toml")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            r#"specialties.toml: "x" is a spelling of both "A" and "B""#
        );
    }

    #[test]
    fn fixed_patterns_compile() {
        for p in [PROSE_MARKER, PROSE_END, LABEL, JOINER] {
            compile(p);
        }
    }
}
