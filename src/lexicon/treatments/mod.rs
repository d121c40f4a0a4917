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
    /// Parses and compiles treatments.toml; `drugs` is the drug table it refers to (classes,
    /// generics and kit names are checked against it).
    pub(crate) fn parse(text: &str, path: &str, drugs: &DrugTable) -> Result<Treatments> {
        let file: TreatmentsFile =
            toml::from_str(text).map_err(|e| Error::parse(path, e.to_string()))?;
        let bad = |reason: String| Error::parse(path, reason);

        // DWC's table, Pharmaceuticals taking the drug classes.
        let pharma: HashSet<&str> = file
            .pharmaceutical_classes
            .iter()
            .map(String::as_str)
            .collect();
        let mut dwc = Vec::new();
        for (name, subs) in &file.dwc {
            let subcategories = if name == PHARMACEUTICALS {
                if !subs.is_empty() {
                    return Err(bad(
                        "dwc: Pharmaceuticals takes its subcategories from pharmaceutical_classes"
                            .to_string(),
                    ));
                }
                file.pharmaceutical_classes.clone()
            } else {
                subs.clone()
            };
            dwc.push(DwcCategory {
                name: name.clone(),
                subcategories,
            });
        }
        if !dwc.iter().any(|c| c.name == PHARMACEUTICALS) {
            return Err(bad("dwc: no Pharmaceuticals category".to_string()));
        }
        let is_subcategory =
            |sub: &str| dwc.iter().any(|c| c.subcategories.iter().any(|s| s == sub));
        for sub in &file.catch_all {
            if !is_subcategory(sub) {
                return Err(bad(format!("catch_all: {sub:?} is not a DWC subcategory")));
            }
        }

        // Drug classes → DWC pharmaceutical classes, covering every class of drugs.toml.
        let classes = drugs.class_names();
        for class in classes {
            if !file.class_subcategory.contains_key(class) {
                return Err(bad(format!(
                    "class_subcategory: drugs.toml class {class:?} is not mapped"
                )));
            }
        }
        let check_pharma = |what: &str, sub: &str| {
            if pharma.contains(sub) {
                Ok(())
            } else {
                Err(bad(format!(
                    "{what}: {sub:?} is not in pharmaceutical_classes"
                )))
            }
        };
        for (class, sub) in &file.class_subcategory {
            if !classes.contains(class) {
                return Err(bad(format!(
                    "class_subcategory: {class:?} is not a class in drugs.toml"
                )));
            }
            check_pharma("class_subcategory", sub)?;
        }
        for (generic, sub) in &file.generic_subcategory {
            if !drugs.all().iter().any(|d| d.generic == *generic) {
                return Err(bad(format!(
                    "generic_subcategory: {generic:?} is not a generic in drugs.toml"
                )));
            }
            check_pharma("generic_subcategory", sub)?;
        }

        let c = &file.compounds;
        for kit in &c.kits {
            if drugs.lookup(kit).is_none() {
                return Err(bad(format!(
                    "compounds.kits: {kit:?} is not a name in drugs.toml"
                )));
            }
        }
        for generic in &c.compounded_generics {
            if !drugs.all().iter().any(|d| d.generic == *generic) {
                return Err(bad(format!(
                    "compounds.compounded_generics: {generic:?} is not a generic in drugs.toml"
                )));
            }
        }
        for class in &c.topical_classes {
            if !classes.contains(class) {
                return Err(bad(format!(
                    "compounds.topical_classes: {class:?} is not a class in drugs.toml"
                )));
            }
        }
        let compounds = Compounds {
            topical_forms: words_regex(&[], &c.topical_forms)
                .map_err(|e| bad(format!("compounds.topical_forms: {e}")))?,
            compound_forms: words_regex(&[], &c.compound_forms)
                .map_err(|e| bad(format!("compounds.compound_forms: {e}")))?,
            compound_words: words_regex(&[], &c.compound_words)
                .map_err(|e| bad(format!("compounds.compound_words: {e}")))?,
            kits: c.kits.iter().map(|k| name_key(k)).collect(),
            topical_classes: c.topical_classes.iter().cloned().collect(),
            compounded_generics: c.compounded_generics.iter().cloned().collect(),
        };

        let ignore = if file.ignore.is_empty() {
            None
        } else {
            let pattern = format!("(?:{})", file.ignore.join(")|(?:"));
            Some(build(&pattern).map_err(|e| bad(format!("bad `ignore` pattern: {e}")))?)
        };

        // Regions.
        let mut regions = Vec::new();
        for raw in &file.region {
            let matcher = words_regex(&raw.names, &raw.patterns)
                .map_err(|e| bad(format!("region {:?}: {e}", raw.name)))?;
            regions.push(Region {
                name: raw.name.clone(),
                matcher,
                yields_to: raw.yields_to.clone(),
            });
        }
        for region in &regions {
            for other in &region.yields_to {
                if !regions.iter().any(|r| r.name == *other) {
                    return Err(bad(format!(
                        "region {:?}: yields_to {other:?} is not a region",
                        region.name
                    )));
                }
            }
        }

        let side = |names: &[String], which: &str| {
            words_regex(names, &[]).map_err(|e| bad(format!("laterality.{which}: {e}")))
        };
        let left = side(&file.laterality.left, "left")?;
        let right = side(&file.laterality.right, "right")?;
        let bilateral = side(&file.laterality.bilateral, "bilateral")?;

        // Rules.
        let mut rules = Vec::new();
        let mut patterns = Vec::new();
        let mut medication_rules = 0;
        for (i, raw) in file.rule.iter().enumerate() {
            let label = format!(
                "rule {} ({})",
                i + 1,
                raw.treatment.as_deref().unwrap_or(&raw.dwc)
            );
            let category = if raw.medication && raw.category.is_empty() {
                Category::Medication
            } else {
                Category::parse(&raw.category)
                    .ok_or_else(|| bad(format!("{label}: unknown category {:?}", raw.category)))?
            };
            if raw.medication {
                medication_rules += 1;
                if !raw.names.is_empty() || !raw.patterns.is_empty() || !raw.classes.is_empty() {
                    return Err(bad(format!(
                        "{label}: the `medication = true` rule has no names, patterns or classes"
                    )));
                }
                rules.push(Rule {
                    treatment: Some("medication".to_string()),
                    dwc_category: PHARMACEUTICALS.to_string(),
                    dwc_subcategory: None,
                    category: Category::Medication,
                    classes: Vec::new(),
                    medication: true,
                    pattern: None,
                });
                continue;
            }
            let (dwc_category, dwc_subcategory) = match raw.dwc.split_once(" / ") {
                Some((cat, sub)) => (cat, Some(sub)),
                None => (raw.dwc.as_str(), None),
            };
            let known = dwc.iter().find(|c| c.name == dwc_category);
            let ok = match (known, dwc_subcategory) {
                (Some(c), Some(sub)) => c.subcategories.iter().any(|s| s == sub),
                // Only a pharmaceutical rule may leave the subcategory to the drug.
                (Some(c), None) => c.name == PHARMACEUTICALS,
                (None, _) => false,
            };
            if !ok {
                return Err(bad(format!(
                    "{label}: {:?} is not a DWC \"Category / Subcategory\"",
                    raw.dwc
                )));
            }
            for class in &raw.classes {
                if !classes.contains(class) {
                    return Err(bad(format!(
                        "{label}: class {class:?} is not in drugs.toml"
                    )));
                }
            }
            if raw.names.is_empty() && raw.patterns.is_empty() && raw.classes.is_empty() {
                return Err(bad(format!("{label}: no names, patterns or classes")));
            }
            let pattern = if raw.names.is_empty() && raw.patterns.is_empty() {
                None
            } else {
                let p = words_pattern(&raw.names, &raw.patterns);
                build(&p).map_err(|e| bad(format!("{label}: {e}")))?;
                patterns.push(p);
                Some(patterns.len() - 1)
            };
            rules.push(Rule {
                treatment: raw.treatment.clone(),
                dwc_category: dwc_category.to_string(),
                dwc_subcategory: dwc_subcategory.map(str::to_string),
                category,
                classes: raw.classes.clone(),
                medication: false,
                pattern,
            });
        }
        if medication_rules != 1 {
            return Err(bad(format!(
                "{medication_rules} `medication = true` rules: there must be exactly one"
            )));
        }

        let set = super::rule_set(&patterns)
            .map_err(|e| bad(format!("cannot compile the rules: {e}")))?;
        let percent = build(r"\d+(?:\.\d+)?\s*%").map_err(|e| bad(e.to_string()))?;

        let names = TreatmentNames::from_file(&file);
        Ok(Treatments {
            ignore,
            set,
            rules,
            dwc,
            pharmaceutical_classes: file.pharmaceutical_classes,
            catch_all: file.catch_all.into_iter().collect(),
            class_subcategory: file.class_subcategory.into_iter().collect(),
            generic_subcategory: file.generic_subcategory.into_iter().collect(),
            compounds,
            percent,
            regions,
            left,
            right,
            bilateral,
            names,
        })
    }

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

/// Case-insensitive, no Unicode classes: the options every pattern of the file is built with.
fn build(pattern: &str) -> std::result::Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .unicode(false)
        .build()
}

/// One alternation of plain names (words joined by any of space, '-', '/') and regex fragments,
/// each on word boundaries.
fn words_pattern(names: &[String], patterns: &[String]) -> String {
    let mut parts: Vec<String> = names.iter().map(|n| name_pattern(n)).collect();
    parts.extend(patterns.iter().map(|p| format!(r"\b(?:{p})\b")));
    format!("(?:{})", parts.join("|"))
}

fn words_regex(names: &[String], patterns: &[String]) -> std::result::Result<Regex, regex::Error> {
    build(&words_pattern(names, patterns))
}

mod names;
pub use names::TreatmentNames;

#[cfg(test)]
mod tests;
