//! treatments.toml compiled: every rule one member of a `RegexSet`, regions, laterality and
//! the compound-drug words as regexes, each name checked against the drug table.

use super::*;

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

        let set = crate::lexicon::rule_set(&patterns)
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
