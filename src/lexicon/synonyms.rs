//! Search synonym groups from synonyms.toml: "uds" expands to "urine drug screen" and kin.

use std::collections::HashMap;

use serde::Deserialize;

use super::squash;
use crate::error::{Error, Result};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SynonymsFile {
    group: Vec<RawGroup>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    canonical: String,
    variants: Vec<String>,
}

#[derive(Debug)]
pub(crate) struct Synonyms {
    /// Canonical phrase first, then its variants.
    groups: Vec<Vec<String>>,
    by_phrase: HashMap<String, usize>,
}

impl Synonyms {
    pub(crate) fn parse(text: &str, path: &str) -> Result<Synonyms> {
        let file: SynonymsFile =
            toml::from_str(text).map_err(|e| Error::parse(path, e.to_string()))?;
        let mut groups = Vec::with_capacity(file.group.len());
        let mut by_phrase = HashMap::new();
        for (i, g) in file.group.into_iter().enumerate() {
            let phrases: Vec<String> = std::iter::once(g.canonical).chain(g.variants).collect();
            for phrase in &phrases {
                if phrase.is_empty() || squash(phrase) != *phrase {
                    return Err(Error::parse(
                        path,
                        format!("{phrase:?} must be lower-case with single spaces"),
                    ));
                }
                if let Some(j) = by_phrase.insert(phrase.clone(), i) {
                    let other = groups.get(j).map_or(&phrases[0], |g: &Vec<String>| &g[0]);
                    return Err(Error::parse(
                        path,
                        format!(
                            "{phrase:?} is listed twice (groups {other:?} and {:?})",
                            phrases[0]
                        ),
                    ));
                }
            }
            groups.push(phrases);
        }
        Ok(Synonyms { groups, by_phrase })
    }

    pub(crate) fn groups(&self) -> &[Vec<String>] {
        &self.groups
    }

    pub(crate) fn group_of(&self, phrase: &str) -> Option<&[String]> {
        let i = *self.by_phrase.get(&squash(phrase))?;
        Some(&self.groups[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;

    #[test]
    fn groups_of_the_terms_users_search_with() {
        let lex = Lexicon::get();
        let canonical = |phrase: &str| lex.synonyms_of(phrase).map(|g| g[0].as_str());
        assert_eq!(canonical("UDS"), Some("urine drug screen"));
        assert_eq!(canonical("urine  drug testing"), Some("urine drug screen"));
        assert_eq!(canonical("urine toxicology"), Some("urine drug screen"));
        assert_eq!(canonical("esi"), Some("epidural steroid injection"));
        assert_eq!(canonical("PT"), Some("physical therapy"));
        assert_eq!(canonical("ur"), Some("utilization review"));
        assert_eq!(
            canonical("tens"),
            Some("transcutaneous electrical nerve stimulation")
        );
        assert_eq!(canonical("mri"), Some("magnetic resonance imaging"));
        assert_eq!(canonical("ct"), Some("computed tomography"));
        assert_eq!(canonical("emg/ncv"), Some("electrodiagnostic studies"));
        assert_eq!(canonical("ncv"), Some("nerve conduction study"));
        assert_eq!(
            canonical("nsaid"),
            Some("nonsteroidal anti-inflammatory drug")
        );
        assert_eq!(canonical("pain management"), Some("pain medicine"));
        assert_eq!(canonical("norco"), None, "drug names live in drugs.toml");
        let uds = lex.synonyms_of("uds").unwrap_or_default();
        assert_eq!(&uds[..3], ["urine drug screen", "uds", "urine drug test"]);
    }

    #[test]
    fn every_phrase_is_tidy_and_in_one_group() {
        let lex = Lexicon::get();
        let mut seen = std::collections::HashSet::new();
        for group in lex.synonym_groups() {
            assert!(group.len() >= 2, "{group:?}");
            for phrase in group {
                assert_eq!(*phrase, squash(phrase));
                assert!(seen.insert(phrase.as_str()), "{phrase} twice");
            }
        }
    }

    #[test]
    fn a_phrase_in_two_groups_is_refused() {
        let text = "[[group]]\ncanonical = \"a\"\nvariants = [\"x\"]\n\
                    [[group]]\ncanonical = \"b\"\nvariants = [\"x\"]\n";
        let err = Synonyms::parse(text, "synonyms.toml")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            r#"synonyms.toml: "x" is listed twice (groups "a" and "b")"#
        );
    }
}
