//! Reading the medication an item names: which drug, its strength and its quantity.

use regex::Regex;

use super::drugs::DrugTable;
use crate::record::Medication;

/// A dose: "10/325mg", "7.5 mg", "5%", "10-325 mg", "10mcg/hr", "5 mg/ml". Grams and millilitres
/// alone are package sizes ("240g", "#60 grams"), not strengths.
const STRENGTH: &str = r"(?i)\d+(?:\.\d+)?(?:\s*[/-]\s*\d+(?:\.\d+)?)*\s*(?:mg|mcg|µg|meq|iu|units?|%)(?:\s*/\s*(?:\d+(?:\.\d+)?\s*)?(?:ml|hrs?|hours?|h|actuations?|sprays?|doses?))?";

/// Salts and release or oral forms that may stand between a name and a strength without a unit
/// ("Norco tab 10/325"): drugs.toml's `qualifiers.release`, as a pattern.
fn qualifiers(words: &[String]) -> String {
    let alternation: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
    format!(r"(?i)^(?:[\s,]*(?:{})\b)*", alternation.join("|"))
}

/// A strength without a unit, accepted only right after the name: "Norco 10/325 #60".
const BARE_RATIO: &str = r"^\s*\d+(?:\.\d+)?\s*[/-]\s*\d+(?:\.\d+)?";

/// "#60", "# 60", "qty: 2", "quantity 10".
const QUANTITY: &str = r"(?i)#\s*(\d+)|\b(?:qty|quantity)\s*[:#.]?\s*(\d+)";

/// The drugs.toml class of branded compounding kits, whose generic lists their ingredients.
const COMPOUNDED_TOPICAL: &str = "compounded topical";

/// A count written before the name and nothing else: "60 Flexeril 10mg".
const LEADING_COUNT: &str = r"^\s*(\d+)\s*$";

/// The fixed patterns that read strength and quantity around a drug name.
#[derive(Debug)]
pub(crate) struct MedicationReader {
    strength: Regex,
    qualifiers: Regex,
    bare_ratio: Regex,
    quantity: Regex,
    leading_count: Regex,
}

impl MedicationReader {
    pub(crate) fn new(drugs: &DrugTable) -> MedicationReader {
        MedicationReader {
            strength: compile(STRENGTH),
            qualifiers: compile(&qualifiers(&drugs.qualifiers().release)),
            bare_ratio: compile(BARE_RATIO),
            quantity: compile(QUANTITY),
            leading_count: compile(LEADING_COUNT),
        }
    }

    pub(crate) fn find(&self, drugs: &DrugTable, item: &str) -> Option<Medication> {
        let found = drugs.find_names(item);
        let first = *found.first()?;
        let drug = drugs.drug_named(first.as_str())?;

        // Each drug's own text runs from its name to the next drug named.
        let segment = |k: usize| -> &str {
            let end = found.get(k + 1).map_or(item.len(), |m| m.start());
            &item[found[k].end()..end]
        };

        let own = segment(0);
        let strength = self.strength_in(own);

        // A quantity belongs to the first drug if written in its segment; a compound listing
        // several drugs ("Gabapentin 10%, Cyclobenzaprine 6% in cream base #120") writes one
        // quantity after the last ingredient, which counts when no other drug has its own.
        let mut quantity = self.quantity_in(own);
        if quantity.is_none() && found.len() > 1 {
            let others: Vec<Option<u32>> = (1..found.len())
                .map(|k| self.quantity_in(segment(k)))
                .collect();
            if others[..others.len() - 1].iter().all(Option::is_none) {
                quantity = others[others.len() - 1];
            }
        }
        if quantity.is_none() {
            quantity = self
                .leading_count
                .captures(&item[..first.start()])
                .and_then(|c| c[1].parse().ok());
        }

        Some(Medication {
            name: first.as_str().to_string(),
            generic: drug.generic.clone(),
            class: drug.class.clone(),
            strength,
            quantity,
        })
    }

    /// Every drug named in the item, the first exactly as `find` reads it, then each further
    /// ingredient with the strength written in its own segment ("Flurbiprofen 10%,
    /// Cyclobenzaprine 3%, ..."), one medication per generic. A quantity written once for a
    /// compound is every ingredient's. A compounding kit of drugs.toml whose generic joins
    /// several drugs of the table ("Fluriflex": flurbiprofen/cyclobenzaprine) also yields
    /// each of those drugs, under the kit's name; fixed combinations sold as one product
    /// (Norco, Percocet) stay one drug.
    pub(crate) fn find_all(&self, drugs: &DrugTable, item: &str) -> Vec<Medication> {
        let Some(first) = self.find(drugs, item) else {
            return Vec::new();
        };
        let found = drugs.find_names(item);
        // The first drug's quantity is everyone's only when it was not written in the first
        // drug's own segment: "Gabapentin 10%, Cyclobenzaprine 6% ... #120" is one compound,
        // "Norco 10/325mg #60, Soma 350mg" two prescriptions.
        let first_segment_end = found.get(1).map_or(item.len(), |n| n.start());
        let own_first = found
            .first()
            .and_then(|m| self.quantity_in(&item[m.end()..first_segment_end]));
        let shared_quantity = if own_first.is_some() {
            None
        } else {
            first.quantity
        };
        let mut all = vec![first];
        let push = |all: &mut Vec<Medication>, med: Medication| {
            if !all.iter().any(|m| m.generic == med.generic) {
                all.push(med);
            }
        };
        for (k, m) in found.iter().enumerate() {
            let Some(drug) = drugs.drug_named(m.as_str()) else {
                continue;
            };
            if k > 0 {
                let end = found.get(k + 1).map_or(item.len(), |n| n.start());
                let own = &item[m.end()..end];
                push(
                    &mut all,
                    Medication {
                        name: m.as_str().to_string(),
                        generic: drug.generic.clone(),
                        class: drug.class.clone(),
                        strength: self.strength_in(own),
                        quantity: self.quantity_in(own).or(shared_quantity),
                    },
                );
            }
            if drug.class == COMPOUNDED_TOPICAL {
                for part in drug.generic.split('/') {
                    if let Some(ingredient) = drugs.lookup(part) {
                        if ingredient.generic != drug.generic {
                            push(
                                &mut all,
                                Medication {
                                    name: m.as_str().to_string(),
                                    generic: ingredient.generic.clone(),
                                    class: ingredient.class.clone(),
                                    strength: None,
                                    quantity: shared_quantity,
                                },
                            );
                        }
                    }
                }
            }
        }
        all
    }

    /// The first dose in `text`, else a bare ratio right after the name's qualifiers.
    fn strength_in(&self, text: &str) -> Option<String> {
        let bytes = text.as_bytes();
        for m in self.strength.find_iter(text) {
            // Not the tail of a longer token ("#60", "x10mg") nor the head of one ("5mgs").
            let before = m.start().checked_sub(1).map(|i| bytes[i]);
            let after = bytes.get(m.end()).copied();
            let glued_before =
                before.is_some_and(|b| b.is_ascii_alphanumeric() || b"#./".contains(&b));
            let glued_after = after.is_some_and(|b| b.is_ascii_alphanumeric());
            if !glued_before && !glued_after {
                return Some(m.as_str().trim().to_string());
            }
        }
        let skip = self.qualifiers.find(text).map_or(0, |m| m.end());
        let rest = &text[skip..];
        let m = self.bare_ratio.find(rest)?;
        // "11/11/2016" is a date, and "10/325.5" is not a ratio we know how to read.
        match rest.as_bytes().get(m.end()) {
            Some(b) if b.is_ascii_alphanumeric() || b"/.-".contains(b) => None,
            _ => Some(m.as_str().trim().to_string()),
        }
    }

    fn quantity_in(&self, text: &str) -> Option<u32> {
        let caps = self.quantity.captures(text)?;
        caps.get(1).or_else(|| caps.get(2))?.as_str().parse().ok()
    }
}

/// Compiles one of the fixed patterns above; they are constants, so a failure is a bug here and
/// the `fixed_patterns_compile` test catches it.
fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("bad built-in pattern {pattern:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;

    type Pin = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        Option<&'static str>,
        Option<u32>,
    );

    /// Item names from the seed and 2016 letters, and a few written the way other letters do:
    /// (item, name, generic, class, strength, quantity).
    #[rustfmt::skip]
    const PINNED: &[Pin] = &[
        ("Norco 10/325mg #60", "Norco", "hydrocodone/acetaminophen", "opioid", Some("10/325mg"), Some(60)),
        ("60 Flexeril 10mg", "Flexeril", "cyclobenzaprine", "muscle relaxant", Some("10mg"), Some(60)),
        ("30 Ambien 10mg", "Ambien", "zolpidem", "sedative-hypnotic", Some("10mg"), Some(30)),
        ("60 Norco 10/325mg", "Norco", "hydrocodone/acetaminophen", "opioid", Some("10/325mg"), Some(60)),
        ("Oxycontin 80mg #90", "Oxycontin", "oxycodone", "opioid", Some("80mg"), Some(90)),
        ("Tramadol 50mg #60 no refills", "Tramadol", "tramadol", "opioid", Some("50mg"), Some(60)),
        ("Norco 5/325mg #30 no refills", "Norco", "hydrocodone/acetaminophen", "opioid", Some("5/325mg"), Some(30)),
        ("Norco 10/325 #60", "Norco", "hydrocodone/acetaminophen", "opioid", Some("10/325"), Some(60)),
        ("Zanaflex 4mg #60 no refills", "Zanaflex", "tizanidine", "muscle relaxant", Some("4mg"), Some(60)),
        ("Valium 2mg #30", "Valium", "diazepam", "benzodiazepine", Some("2mg"), Some(30)),
        ("Baclofen 100mg #3", "Baclofen", "baclofen", "muscle relaxant", Some("100mg"), Some(3)),
        ("Lidocaine ointment 5% 106.32gm", "Lidocaine", "lidocaine", "topical analgesic", Some("5%"), None),
        ("Three months coverage of Viagra 50mg", "Viagra", "sildenafil", "erectile dysfunction", Some("50mg"), None),
        ("Oxycodone HCL ER 20mg #60 day supply: 30", "Oxycodone", "oxycodone", "opioid", Some("20mg"), Some(60)),
        ("Ultram 50mg #30", "Ultram", "tramadol", "opioid", Some("50mg"), Some(30)),
        ("Norflex 100mg #60", "Norflex", "orphenadrine", "muscle relaxant", Some("100mg"), Some(60)),
        ("Pepcid 20mg", "Pepcid", "famotidine", "h2 blocker", Some("20mg"), None),
        ("Cyclobenzaprine 7.5mg #27", "Cyclobenzaprine", "cyclobenzaprine", "muscle relaxant", Some("7.5mg"), Some(27)),
        ("Diclofenac ER 100mg #60", "Diclofenac", "diclofenac", "nsaid", Some("100mg"), Some(60)),
        ("Diazepam 5mg #10", "Diazepam", "diazepam", "benzodiazepine", Some("5mg"), Some(10)),
        ("Voltaren gel apply to affected area 4 times a day, #60 grams with 1 refill, DOS: 11/11/2016", "Voltaren gel", "diclofenac", "nsaid", None, Some(60)),
        ("Lidoderm patch, 12 hours on 12 hours off to affected area, #1 box with 1 refill, DOS: 11/11/2016", "Lidoderm patch", "lidocaine", "topical analgesic", None, Some(1)),
        ("Etodolac", "Etodolac", "etodolac", "nsaid", None, None),
        ("Lidocaine patch", "Lidocaine patch", "lidocaine", "topical analgesic", None, None),
        ("Flector 1.3% transdermal patch", "Flector", "diclofenac", "nsaid", Some("1.3%"), None),
        ("Salonpas pad #60", "Salonpas", "methyl salicylate/menthol", "topical analgesic", None, Some(60)),
        ("Anecream cream 4% #30", "Anecream", "lidocaine", "topical analgesic", Some("4%"), Some(30)),
        ("Post-op Percocet 5/325mg", "Percocet", "oxycodone/acetaminophen", "opioid", Some("5/325mg"), None),
        ("Post-op Zofran", "Zofran", "ondansetron", "antiemetic", None, None),
        ("Naproxen 550mg #60", "Naproxen", "naproxen", "nsaid", Some("550mg"), Some(60)),
        ("Orphenadrine Citrate ER 100mg tabs #30", "Orphenadrine", "orphenadrine", "muscle relaxant", Some("100mg"), Some(30)),
        ("Lidocaine 5% patch #1", "Lidocaine", "lidocaine", "topical analgesic", Some("5%"), Some(1)),
        ("Norco 5/325mg oral tablet, one tablet twice daily 14 days #40", "Norco", "hydrocodone/acetaminophen", "opioid", Some("5/325mg"), Some(40)),
        ("Retrospective Cyclobenzaprine 5mg tab #30 DOS: 11/14/16", "Cyclobenzaprine", "cyclobenzaprine", "muscle relaxant", Some("5mg"), Some(30)),
        ("Deprizine (unknown quantity)", "Deprizine", "ranitidine", "h2 blocker", None, None),
        ("Fanatrex (unknown quantity)", "Fanatrex", "gabapentin", "anticonvulsant", None, None),
        ("Synapryn (unknown quantity)", "Synapryn", "tramadol", "opioid", None, None),
        ("Tabradol (unknown quantity)", "Tabradol", "cyclobenzaprine", "muscle relaxant", None, None),
        ("Ketophene (unknown quantity)", "Ketophene", "ketoprofen", "nsaid", None, None),
        ("Dicopanol (unknown quantity)", "Dicopanol", "diphenhydramine", "antihistamine", None, None),
        ("Ketoprofen 20% in cream base 240g", "Ketoprofen", "ketoprofen", "nsaid", Some("20%"), None),
        ("Bupropion HCL 150mg #90", "Bupropion", "bupropion", "antidepressant", Some("150mg"), Some(90)),
        ("Venlafaxine HCL ER 37.5mg #90", "Venlafaxine", "venlafaxine", "antidepressant", Some("37.5mg"), Some(90)),
        ("Pantoprazole sodium 20mg #60", "Pantoprazole", "pantoprazole", "proton pump inhibitor", Some("20mg"), Some(60)),
        ("Pantoprazole 40mg, one by mouth, twice a day #60 with one refill", "Pantoprazole", "pantoprazole", "proton pump inhibitor", Some("40mg"), Some(60)),
        ("Celecoxib 200mg #90", "Celecoxib", "celecoxib", "nsaid", Some("200mg"), Some(90)),
        ("Prilosec 20mg #90", "Prilosec", "omeprazole", "proton pump inhibitor", Some("20mg"), Some(90)),
        ("Flurbiprofen 20%, Baclofen 5%, Dexamethasone 2%, Menthol 2%, Capsaicin 0.025% in cream base", "Flurbiprofen", "flurbiprofen", "nsaid", Some("20%"), None),
        // Written the way other letters write them.
        ("hydrocodone/APAP 10/325 #120", "hydrocodone/APAP", "hydrocodone/acetaminophen", "opioid", Some("10/325"), Some(120)),
        ("Hydrocodone-acetaminophen 10-325 mg # 90", "Hydrocodone-acetaminophen", "hydrocodone/acetaminophen", "opioid", Some("10-325 mg"), Some(90)),
        ("Hydrocodone bitartrate/acetaminophen 7.5/325mg", "Hydrocodone bitartrate/acetaminophen", "hydrocodone/acetaminophen", "opioid", Some("7.5/325mg"), None),
        ("Tramadol/APAP 37.5/325mg #60", "Tramadol/APAP", "tramadol/acetaminophen", "opioid", Some("37.5/325mg"), Some(60)),
        ("Tylenol #3 #60", "Tylenol #3", "codeine/acetaminophen", "opioid", None, Some(60)),
        ("Butrans 10mcg/hr patch #4", "Butrans", "buprenorphine", "opioid", Some("10mcg/hr"), Some(4)),
        ("Diazepam tab 5 mg quantity 10", "Diazepam", "diazepam", "benzodiazepine", Some("5 mg"), Some(10)),
        ("MS Contin 30mg #60", "MS Contin", "morphine", "opioid", Some("30mg"), Some(60)),
        // One quantity after a compound's last ingredient is the compound's.
        ("Gabapentin 10%, Cyclobenzaprine 6%, Bupivacaine 5% in cream base #120", "Gabapentin", "gabapentin", "anticonvulsant", Some("10%"), Some(120)),
        // Two drugs with their own quantities: the first keeps its own.
        ("Norco 10/325mg #60, Soma 350mg #30", "Norco", "hydrocodone/acetaminophen", "opioid", Some("10/325mg"), Some(60)),
    ];

    #[test]
    fn pinned_items() {
        let lex = Lexicon::get();
        for &(item, name, generic, class, strength, quantity) in PINNED {
            let expected = Medication {
                name: name.to_string(),
                generic: generic.to_string(),
                class: class.to_string(),
                strength: strength.map(str::to_string),
                quantity,
            };
            assert_eq!(lex.find_medication(item), Some(expected), "{item}");
        }
    }

    #[test]
    fn non_drugs_name_no_medication() {
        let lex = Lexicon::get();
        for item in [
            "MRI of the lumbar spine",
            "Physical therapy 2-3 times a week for 6 weeks",
            "Facet joint injections L4-5, L5-S1",
            "Urine Test",
            "TENS unit",
            "1 Kronos lumbar spine support",
            "Daily RN for 4 weeks for wound care and monitoring of wound healing and home safety, medication management",
            "Associated surgical service: Cold compression therapy 30 day rental",
            "Ice/Heat pads therapy times 6",
            "Comprehensive psychological testing",
        ] {
            assert_eq!(lex.find_medication(item), None, "{item}");
        }
    }

    #[test]
    fn longest_name_wins() {
        let lex = Lexicon::get();
        let generic = |item: &str| lex.find_medication(item).map(|m| m.generic);
        assert_eq!(
            generic("hydrocodone/APAP 5/325"),
            Some("hydrocodone/acetaminophen".into())
        );
        assert_eq!(generic("hydrocodone ER 20mg"), Some("hydrocodone".into()));
        assert_eq!(
            generic("tramadol/acetaminophen"),
            Some("tramadol/acetaminophen".into())
        );
        assert_eq!(generic("tramadol 50mg"), Some("tramadol".into()));
        assert_eq!(generic("Senokot-S #60"), Some("docusate/senna".into()));
        assert_eq!(generic("Senokot #60"), Some("sennosides".into()));
        // Names are whole words: "Soma" is not in "somatic", "Norco" not in "Norcos".
        assert_eq!(generic("somatic dysfunction"), None);
    }

    #[test]
    fn strength_is_not_a_date_or_a_package_size() {
        let lex = Lexicon::get();
        let strength = |item: &str| lex.find_medication(item).and_then(|m| m.strength);
        assert_eq!(strength("Norco DOS: 11/11/2016"), None);
        assert_eq!(strength("Terocin lotion 240 ml #1"), None);
        assert_eq!(strength("Ketoprofen cream 240g"), None);
        assert_eq!(strength("Norco #60 10/325mg"), Some("10/325mg".into()));
    }

    #[test]
    fn fixed_patterns_compile() {
        for p in [STRENGTH, BARE_RATIO, QUANTITY, LEADING_COUNT] {
            compile(p);
        }
        compile(&qualifiers(&["hcl".into(), "er".into()]));
    }
}
