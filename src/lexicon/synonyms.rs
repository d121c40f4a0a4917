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
