//! The treatment vocabulary from treatments.toml: what an item is, in DWC's taxonomy and finer.
//!
//! `Treatments::classify` reads an item name (and the drugs found in it) into a `Treatment`:
//! DWC's Request Category and SubCategory, a canonical treatment, body regions, laterality and
//! today's nine-valued `Category`. The rules are data; this file only compiles them: every rule
//! is one member of a `RegexSet`, so an item is scanned once whatever the number of rules.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

use regex::{Regex, RegexBuilder, RegexSet};
use serde::{Deserialize, Serialize};

use super::drugs::{name_key, name_pattern, DrugTable};
use crate::error::{Error, Result};
use crate::record::{Category, Medication};

/// What one disputed item is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Treatment {
    /// The canonical treatment ("MRI", "physical therapy", "epidural steroid injection",
    /// "medication" for drugs); `None` when no rule names one.
    pub treatment: Option<String>,
    /// DWC's Request Category ("Diagnostic Testing"); `None` only when nothing is recognised.
    pub dwc_category: Option<String>,
    /// DWC's SubCategory ("Imaging / Radiology", "Muscle Relaxant", "Topical Compounds");
    /// `None` when the category is known but not the subcategory (a drug of unknown class).
    pub dwc_subcategory: Option<String>,
    /// The first body region written ("lumbar spine", "shoulder", "wrist/hand", ...).
    pub region: Option<String>,
    /// Every body region written, in the order written (`region` is the first).
    pub regions: Vec<String>,
    /// Left, right or bilateral where written.
    pub laterality: Option<Laterality>,
    /// Today's nine-valued category, from the same rule.
    pub category: Category,
    /// The subcategory says only "something else": a catch-all subcategory ("Other
    /// Therapies"), a fallback rule that names no treatment, or no subcategory at all.
    pub catch_all: bool,
}

/// Which side of the body an item is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Laterality {
    Left,
    Right,
    Bilateral,
}

impl Laterality {
    pub fn as_str(self) -> &'static str {
        match self {
            Laterality::Left => "left",
            Laterality::Right => "right",
            Laterality::Bilateral => "bilateral",
        }
    }
}

/// One of DWC's twelve Request Categories with its SubCategories, as DWC spells them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DwcCategory {
    pub name: String,
    pub subcategories: Vec<String>,
}

const PHARMACEUTICALS: &str = "Pharmaceuticals";
const TOPICAL_COMPOUNDS: &str = "Topical Compounds";
const TOPICAL_ANALGESICS: &str = "Topical Analgesics";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TreatmentsFile {
    #[serde(default)]
    ignore: Vec<String>,
    catch_all: Vec<String>,
    pharmaceutical_classes: Vec<String>,
    dwc: BTreeMap<String, Vec<String>>,
    class_subcategory: BTreeMap<String, String>,
    #[serde(default)]
    generic_subcategory: BTreeMap<String, String>,
    compounds: RawCompounds,
    laterality: RawLaterality,
    region: Vec<RawRegion>,
    rule: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompounds {
    topical_forms: Vec<String>,
    compound_forms: Vec<String>,
    compound_words: Vec<String>,
    kits: Vec<String>,
    topical_classes: Vec<String>,
    #[serde(default)]
    compounded_generics: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLaterality {
    left: Vec<String>,
    right: Vec<String>,
    bilateral: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegion {
    name: String,
    #[serde(default)]
    #[allow(dead_code)] // documentation in the data file
    why: String,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    patterns: Vec<String>,
    #[serde(default)]
    yields_to: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    treatment: Option<String>,
    #[serde(default)]
    dwc: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    #[allow(dead_code)] // documentation in the data file
    why: String,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    patterns: Vec<String>,
    #[serde(default)]
    classes: Vec<String>,
    #[serde(default)]
    medication: bool,
}

#[derive(Debug)]
struct Rule {
    treatment: Option<String>,
    dwc_category: String,
    /// `None` for the pharmaceutical rules: the subcategory comes from the drug.
    dwc_subcategory: Option<String>,
    category: Category,
    classes: Vec<String>,
    medication: bool,
    /// Index into the `RegexSet`, if the rule has names or patterns.
    pattern: Option<usize>,
}

#[derive(Debug)]
struct Region {
    name: String,
    matcher: Regex,
    yields_to: Vec<String>,
}

#[derive(Debug)]
struct Compounds {
    topical_forms: Regex,
    compound_forms: Regex,
    compound_words: Regex,
    /// `name_key` of each kit name.
    kits: HashSet<String>,
    topical_classes: HashSet<String>,
    compounded_generics: HashSet<String>,
}

/// The compiled treatment vocabulary.
#[derive(Debug)]
pub struct Treatments {
    ignore: Option<Regex>,
    set: RegexSet,
    rules: Vec<Rule>,
    dwc: Vec<DwcCategory>,
    pharmaceutical_classes: Vec<String>,
    catch_all: HashSet<String>,
    class_subcategory: HashMap<String, String>,
    generic_subcategory: HashMap<String, String>,
    compounds: Compounds,
    percent: Regex,
    regions: Vec<Region>,
    left: Regex,
    right: Regex,
    bilateral: Regex,
    /// Treatment and region names and synonyms.
    names: TreatmentNames,
}

impl Treatments {
    /// Classifies an item name; `medications` are the drugs found in it, primary first (see
    /// `Lexicon::find_medications`), empty if none.
    pub fn classify(&self, item: &str, medications: &[Medication]) -> Treatment {
        let text: Cow<str> = match &self.ignore {
            Some(re) => re.replace_all(item, |c: &regex::Captures| " ".repeat(c[0].len())),
            None => Cow::Borrowed(item),
        };
        let matched = self.set.matches(&text);
        let rule = self.rules.iter().find(|r| {
            if r.medication {
                return !medications.is_empty();
            }
            r.pattern.is_some_and(|i| matched.matched(i))
                || medications.iter().any(|m| r.classes.contains(&m.class))
        });

        let (treatment, dwc_category, dwc_subcategory, category, fallback) = match rule {
            Some(r) => {
                let sub = match &r.dwc_subcategory {
                    Some(sub) => Some(sub.clone()),
                    None => self.drug_subcategory(&text, medications),
                };
                (
                    r.treatment.clone(),
                    Some(r.dwc_category.clone()),
                    sub,
                    r.category,
                    r.treatment.is_none(),
                )
            }
            None => (None, None, None, Category::Other, true),
        };
        let catch_all = fallback
            || dwc_subcategory
                .as_ref()
                .is_none_or(|s| self.catch_all.contains(s));

        let regions = self.regions_in(&text);
        Treatment {
            treatment,
            dwc_category,
            dwc_subcategory,
            region: regions.first().cloned(),
            regions,
            laterality: self.laterality_in(&text),
            category,
            catch_all,
        }
    }

    /// The DWC pharmaceutical class of a medication item.
    fn drug_subcategory(&self, text: &str, medications: &[Medication]) -> Option<String> {
        let c = &self.compounds;
        let topical = c.topical_forms.is_match(text);
        let compounded_form = c.compound_forms.is_match(text);
        let percentages = self.percent.find_iter(text).count();
        let mut generics: Vec<&str> = medications.iter().map(|m| m.generic.as_str()).collect();
        generics.sort_unstable();
        generics.dedup();
        let compound = medications
            .iter()
            .any(|m| c.kits.contains(&name_key(&m.name)) || m.class == "compounded topical")
            || (generics.len() >= 2 && (topical || percentages >= 2))
            || (c.compound_words.is_match(text) && (compounded_form || topical))
            || (medications.is_empty() && compounded_form && percentages >= 2)
            || (compounded_form
                && medications.first().is_some_and(|m| {
                    !c.topical_classes.contains(&m.class)
                        || c.compounded_generics.contains(&m.generic)
                }));
        if compound {
            return Some(TOPICAL_COMPOUNDS.to_string());
        }
        let primary = medications.first()?;
        if topical && c.topical_classes.contains(&primary.class) {
            return Some(TOPICAL_ANALGESICS.to_string());
        }
        self.generic_subcategory
            .get(&primary.generic)
            .or_else(|| self.class_subcategory.get(&primary.class))
            .cloned()
    }

    fn regions_in(&self, text: &str) -> Vec<String> {
        let mut found: Vec<(usize, &Region)> = self
            .regions
            .iter()
            .filter_map(|r| r.matcher.find(text).map(|m| (m.start(), r)))
            .collect();
        found.sort_by_key(|&(start, _)| start);
        let names: Vec<&str> = found.iter().map(|(_, r)| r.name.as_str()).collect();
        found
            .iter()
            .filter(|(_, r)| !r.yields_to.iter().any(|y| names.contains(&y.as_str())))
            .map(|(_, r)| r.name.clone())
            .collect()
    }

    fn laterality_in(&self, text: &str) -> Option<Laterality> {
        let left = self.left.is_match(text);
        let right = self.right.is_match(text);
        if self.bilateral.is_match(text) || (left && right) {
            Some(Laterality::Bilateral)
        } else if left {
            Some(Laterality::Left)
        } else if right {
            Some(Laterality::Right)
        } else {
            None
        }
    }

    /// DWC's categories with their subcategories (Pharmaceuticals: the drug classes), in
    /// alphabetical order as DWC lists them.
    pub fn dwc_categories(&self) -> &[DwcCategory] {
        &self.dwc
    }

    /// DWC's pharmaceutical classes (the subcategories of Pharmaceuticals).
    pub fn pharmaceutical_classes(&self) -> &[String] {
        &self.pharmaceutical_classes
    }

    /// The DWC pharmaceutical class of one of our drug classes ("muscle relaxant" → "Muscle
    /// Relaxant").
    pub fn class_subcategory(&self, class: &str) -> Option<&str> {
        self.class_subcategory.get(class).map(String::as_str)
    }

    /// Whether a subcategory is one of the catch-alls ("Other Therapies", ...).
    pub fn is_catch_all_subcategory(&self, subcategory: &str) -> bool {
        self.catch_all.contains(subcategory)
    }

    /// Every canonical treatment, in data-file order, without repeats ("medication" included).
    pub fn treatment_names(&self) -> Vec<&str> {
        let mut seen = HashSet::new();
        self.rules
            .iter()
            .filter_map(|r| r.treatment.as_deref())
            .filter(|t| seen.insert(*t))
            .collect()
    }

    /// Every body region, in data-file order.
    pub fn region_names(&self) -> Vec<&str> {
        self.regions.iter().map(|r| r.name.as_str()).collect()
    }

    /// The names and synonyms of treatments and regions (`TreatmentNames`).
    pub fn names(&self) -> &TreatmentNames {
        &self.names
    }
}

mod names;
mod parse;
pub use names::TreatmentNames;

#[cfg(test)]
mod judged;
#[cfg(test)]
mod tests;
