//! The ordered category rules from categories.toml: one treatment category per item.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::letter::{Category, Medication};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoriesFile {
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    class_category: BTreeMap<String, String>,
    rule: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    category: String,
    #[serde(default)]
    #[allow(dead_code)] // documentation in the data file
    why: String,
    #[serde(default)]
    patterns: Vec<String>,
    #[serde(default)]
    medication: bool,
}

/// The compiled rules: every pattern rule is one member of a `RegexSet`, so an item is scanned
/// once whatever the number of rules.
#[derive(Debug)]
pub(crate) struct CategoryRules {
    ignore: Option<Regex>,
    rules: RegexSet,
    /// The category of each member of `rules`, in file order.
    categories: Vec<Category>,
    /// How many members of `rules` come before the "a drug is named" rule.
    before_medication: usize,
    class_category: HashMap<String, Category>,
}

impl CategoryRules {
    pub(crate) fn parse(text: &str, path: &str, classes: &[String]) -> Result<CategoryRules> {
        let file: CategoriesFile =
            toml::from_str(text).map_err(|e| Error::parse(path, e.to_string()))?;
        let bad = |reason: String| Error::parse(path, reason);
        let category = |name: &str| {
            Category::parse(name).ok_or_else(|| bad(format!("unknown category {name:?}")))
        };

        let ignore = if file.ignore.is_empty() {
            None
        } else {
            let pattern = format!("(?:{})", file.ignore.join(")|(?:"));
            let re = RegexBuilder::new(&pattern)
                .case_insensitive(true)
                .unicode(false)
                .build()
                .map_err(|e| bad(format!("bad `ignore` pattern: {e}")))?;
            Some(re)
        };

        let mut class_category = HashMap::new();
        for (class, name) in &file.class_category {
            if !classes.contains(class) {
                return Err(bad(format!(
                    "class_category: {class:?} is not a class in drugs.toml"
                )));
            }
            class_category.insert(class.clone(), category(name)?);
        }

        let mut patterns = Vec::new();
        let mut categories = Vec::new();
        let mut before_medication = None;
        for (i, rule) in file.rule.iter().enumerate() {
            let cat = category(&rule.category)?;
            if rule.medication {
                if cat != Category::Medication || !rule.patterns.is_empty() {
                    return Err(bad(format!(
                        "rule {}: the `medication = true` rule has category \"medication\" and no patterns",
                        i + 1
                    )));
                }
                if before_medication.replace(patterns.len()).is_some() {
                    return Err(bad("more than one `medication = true` rule".to_string()));
                }
                continue;
            }
            if rule.patterns.is_empty() {
                return Err(bad(format!(
                    "rule {} ({}) has no patterns",
                    i + 1,
                    rule.category
                )));
            }
            // Each pattern in its own group, the whole alternation on word boundaries.
            let alternation = rule
                .patterns
                .iter()
                .map(|p| format!("(?:{p})"))
                .collect::<Vec<_>>()
                .join("|");
            let pattern = format!(r"\b(?:{alternation})\b");
            // Compile alone first so an error points at its rule.
            RegexBuilder::new(&pattern)
                .case_insensitive(true)
                .unicode(false)
                .build()
                .map_err(|e| bad(format!("rule {} ({}): {e}", i + 1, rule.category)))?;
            patterns.push(pattern);
            categories.push(cat);
        }
        let before_medication =
            before_medication.ok_or_else(|| bad("no `medication = true` rule".to_string()))?;
        let rules = RegexSetBuilder::new(&patterns)
            .case_insensitive(true)
            .unicode(false)
            .size_limit(64 << 20)
            .dfa_size_limit(64 << 20)
            .build()
            .map_err(|e| bad(format!("cannot compile the rules: {e}")))?;

        Ok(CategoryRules {
            ignore,
            rules,
            categories,
            before_medication,
            class_category,
        })
    }

    pub(crate) fn category(&self, item: &str, medication: Option<&Medication>) -> Category {
        let text: Cow<str> = match &self.ignore {
            Some(re) => re.replace_all(item, |c: &regex::Captures| " ".repeat(c[0].len())),
            None => Cow::Borrowed(item),
        };
        let first = self.rules.matches(&text).iter().next();
        if let Some(i) = first {
            if i < self.before_medication {
                return self.categories[i];
            }
        }
        if let Some(med) = medication {
            return self
                .class_category
                .get(&med.class)
                .copied()
                .unwrap_or(Category::Medication);
        }
        first.map_or(Category::Other, |i| self.categories[i])
    }
}
