//! The ordered category rules from categories.toml: one treatment category per item.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use regex::{Regex, RegexBuilder, RegexSet};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::record::{Category, Medication};

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
        let rules = super::rule_set(&patterns)
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

#[cfg(test)]
mod tests {
    use crate::lexicon::Lexicon;
    use crate::record::Category::{self, *};

    /// Item names from the seed and 2016 letters (first block), then items other letters write,
    /// each with the category a reader would file it under.
    #[rustfmt::skip]
    const PINNED: &[(&str, Category)] = &[
        ("Norco 10/325mg #60", Medication),
        ("60 Flexeril 10mg", Medication),
        ("Three months coverage of Viagra 50mg", Medication),
        ("Lidocaine ointment 5% 106.32gm", Medication),
        ("Salonpas pad #60", Medication),
        ("Flector 1.3% transdermal patch", Medication),
        ("Post-op Zofran", Medication),
        ("MRI of the right shoulder without contrast", Imaging),
        ("Cervical CT scan", Imaging),
        ("X-rays of the left shoulder", Imaging),
        ("EMG/NCV of the lower extremities", Imaging),
        ("NCS of the left upper extremity", Imaging),
        ("Electroencephalogram", Imaging),
        ("MRI/CT of the spine and pelvis", Imaging),
        ("Facet joint injections L4-5, L5-S1", Injection),
        ("Right L5-S1 epidural steroid injection", Injection),
        ("Bilateral L4 selective nerve root block", Injection),
        ("Injection of neurolytic substance, lumbar spine", Injection),
        ("Physical therapy 2-3 times a week for 6 weeks", Therapy),
        ("Chiropractic physiotherapy treatment 6 visits", Therapy),
        ("Electro acupuncture to the low back two times a week times six weeks", Therapy),
        ("Infrared heat to the low back two times a week times six weeks", Therapy),
        ("Myofascial release to the low back two times a week times six weeks", Therapy),
        ("Ultrasound 1 times 8", Therapy),
        ("Electrical stimulation 1 times 8", Therapy),
        ("Spinolator therapy (traction) times 6", Therapy),
        ("Ice/Heat pads therapy times 6", Therapy),
        ("Four sessions of biofeedback two times a week times 2 weeks", Therapy),
        ("Physical therapy evaluation, cervical and thoracic spine", Therapy),
        ("Associated surgical service: Physical therapy, times 12", Therapy),
        ("continuation for left hand therapy for 6 sessions", Therapy),
        ("Unknown shockwave treatments", Therapy),
        ("Acute inpatient rehabilitation physical therapy and occupational therapy 7-10 days for left foot fracture", Therapy),
        ("TENS unit", Dme),
        ("Lumbar support", Dme),
        ("1 Kronos lumbar spine support", Dme),
        ("Wrist braces #2", Dme),
        ("Cervical pillow", Dme),
        ("Hot/cold therapy wrap", Dme),
        ("Custom touch back heat therapy pad", Dme),
        ("Associated surgical service: Cold compression therapy 30 day rental", Dme),
        ("Associated surgical service: Cold therapy for one week", Dme),
        ("Associated surgical service: Shoulder sling with abduction pillow", Dme),
        ("standard wheelchair for a 2 month rental", Dme),
        ("purchase of a bedside 3 in 1 commode", Dme),
        ("Consultation pain management for low back", Consultation),
        ("Referral to chiropractor for evaluation of low back pain and left groin pain, twice a week for 3 weeks", Consultation),
        ("TOC to ortho spine surgeon eval and treatment", Consultation),
        ("Spine surgery evaluation for the lumbar", Consultation),
        ("Medical Clearance", Consultation),
        ("Comprehensive psychological testing", Consultation),
        ("Functional capacity evaluation (FCE)", Consultation),
        ("Physical exam 2 times 8", Consultation),
        ("Initial exam", Consultation),
        ("Right shoulder arthroscopy RCR (rotator cuff repair) and decompression", Surgery),
        ("Left shoulder arthroscopy with Bankart repair, possible biceps tenodesis", Surgery),
        ("Neuroplasty, lumbar spine", Surgery),
        ("Labs to include: EKG", Lab),
        ("Labs to include: Chest X-ray", Lab),
        ("Urine Test", Lab),
        ("Daily RN for 4 weeks for wound care and monitoring of wound healing and home safety, medication management", Other),
        ("Home aide 6 hours per day, 5 times a week for 4 weeks to assist with mobility, transfer, ADL's and safety in the home when wife is working", Other),
        // Written the way other letters write them.
        ("Toradol 60mg IM injection", Injection),
        ("Trigger point injection with lidocaine", Injection),
        ("Synvisc-One", Injection),
        ("Botox 100 units", Injection),
        ("Urine toxicology screen for Norco compliance", Lab),
        ("Urine drug screen", Lab),
        ("Pre-operative EKG", Lab),
        ("Chest X-ray", Imaging),
        ("Ultrasound of the right shoulder", Imaging),
        ("Carpal tunnel release", Surgery),
        ("Spinal cord stimulator trial", Surgery),
        ("Assistant surgeon", Surgery),
        ("Radiofrequency ablation L4-5", Injection),
        ("H-wave unit rental", Dme),
        ("Cold therapy unit 7 day rental", Dme),
        ("Paraffin bath", Therapy),
        ("Work hardening program", Therapy),
        ("Cognitive behavioral therapy 6 sessions", Therapy),
        ("Psychological evaluation", Consultation),
        ("Follow-up visit with orthopedist", Consultation),
        ("Unknown cream 10% #120", Medication),
        ("Home health aide", Other),
        ("Gym membership", Other),
    ];

    #[test]
    fn pinned_items() {
        let lex = Lexicon::get();
        for &(item, expected) in PINNED {
            let med = lex.find_medication(item);
            assert_eq!(lex.category(item, med.as_ref()), expected, "{item}");
        }
        for category in Category::ALL {
            assert!(
                PINNED.iter().any(|&(_, c)| c == category),
                "{category:?} untested"
            );
        }
    }

    #[test]
    fn a_named_drug_beats_later_rules_but_not_earlier_ones() {
        let lex = Lexicon::get();
        let med = lex.find_medication("Lidocaine patch");
        assert_eq!(lex.category("Lidocaine patch", med.as_ref()), Medication);
        // Without the drug the form words still say medication.
        assert_eq!(lex.category("Lidocaine patch", None), Medication);
        // A drug does not turn an injection into a medication.
        let med = lex.find_medication("Kenalog injection");
        assert!(med.is_some());
        assert_eq!(lex.category("Kenalog injection", med.as_ref()), Injection);
    }

    #[test]
    fn matching_is_case_insensitive_on_whole_words() {
        let lex = Lexicon::get();
        assert_eq!(lex.category("mri OF THE LUMBAR SPINE", None), Imaging);
        // "ct" inside "contrast", "pt" inside "support" and "tens" inside "extensions" are not
        // words of their own.
        assert_eq!(lex.category("contrast", None), Other);
        assert_eq!(lex.category("extensions", None), Other);
    }

    #[test]
    fn bad_rules_are_refused() {
        let classes = ["opioid".to_string()];
        let parse = |text: &str| {
            super::CategoryRules::parse(text, "categories.toml", &classes)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            parse("[[rule]]\ncategory = \"imaging\"\npatterns = [\"mri\"]\n"),
            "categories.toml: no `medication = true` rule"
        );
        assert_eq!(
            parse("[[rule]]\ncategory = \"xray\"\npatterns = [\"x\"]\n"),
            "categories.toml: unknown category \"xray\""
        );
        assert_eq!(
            parse("[class_category]\nopiate = \"injection\"\n[[rule]]\ncategory = \"medication\"\nmedication = true\n"),
            "categories.toml: class_category: \"opiate\" is not a class in drugs.toml"
        );
    }
}
