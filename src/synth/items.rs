//! Disputed items: which treatment, how it is written, the decision, partial approvals.
//!
//! Medications come from the crate's drug lexicon (every drug it knows, the common ones
//! weighted as in real letters by `vocab.toml`); everything else from the item patterns of
//! `vocab.toml`. What the generator chose is the ground truth: the parser has to find it.

use super::layout::NO_BREAK;
use super::rng::Rng;
use super::sentence::{DateStyle, Day};
use super::vocab::{slots, Vocab};
use crate::lexicon::Lexicon;
use crate::record::{Category, Decision};

#[derive(Debug)]
struct DrugChoice {
    generic: String,
    class: String,
    names: Vec<String>,
    strengths: Vec<String>,
    quantities: Vec<u32>,
}

/// One generated item and the facts the parser must read back from it.
#[derive(Debug, Clone)]
pub struct GenItem {
    /// The item as the parser should report it.
    pub item: String,
    /// What the letter writes before ": Upheld": the item, or a partial approval's preamble
    /// ending in the IMR-eligible remainder.
    pub head: String,
    pub decision: Decision,
    pub category: Category,
    /// The drug class, for medications (rationale pools and citations are chosen by it).
    pub class: Option<String>,
    pub generic: Option<String>,
    pub strength: Option<String>,
    pub quantity: Option<u32>,
    pub partial: bool,
}

/// Draws items.
#[derive(Debug)]
pub struct ItemMaker {
    drugs: Vec<DrugChoice>,
    drug_weights: Vec<f64>,
    categories: Vec<Category>,
    category_weights: Vec<f64>,
    form_weights: Vec<f64>,
}

impl ItemMaker {
    pub fn new(vocab: &Vocab) -> ItemMaker {
        let lexicon = Lexicon::get();
        let mut drugs = Vec::new();
        let mut drug_weights = Vec::new();
        for e in &vocab.drug {
            let Some(d) = lexicon.drugs().iter().find(|d| d.generic == e.generic) else {
                // A drug the lexicon dropped: vocab.toml must follow (a unit test says so).
                continue;
            };
            drugs.push(DrugChoice {
                generic: d.generic.clone(),
                class: d.class.clone(),
                names: e.names.clone(),
                strengths: e.strengths.clone(),
                quantities: if e.quantities.is_empty() {
                    vocab.quantities.clone()
                } else {
                    e.quantities.clone()
                },
            });
            drug_weights.push(e.weight);
        }
        let others: Vec<_> = lexicon
            .drugs()
            .iter()
            .filter(|d| !vocab.drug.iter().any(|e| e.generic == d.generic))
            .filter(|d| {
                !vocab.procedure_drugs.classes.contains(&d.class)
                    && !vocab.procedure_drugs.generics.contains(&d.generic)
            })
            .collect();
        for d in &others {
            let mut names = vec![capitalize(&d.generic)];
            // Names with digits ("LMX 4", "Robaxin-750") would read as a strength.
            // Item names start with a capital in letters (the parser capitalises them too).
            names.extend(
                d.names
                    .iter()
                    .filter(|n| !n.bytes().any(|b| b.is_ascii_digit()))
                    .map(|n| capitalize(n)),
            );
            let strengths = vocab
                .class_strengths
                .get(&d.class)
                .or_else(|| vocab.class_strengths.get("default"))
                .cloned()
                .unwrap_or_default();
            drugs.push(DrugChoice {
                generic: d.generic.clone(),
                class: d.class.clone(),
                names,
                strengths,
                quantities: vocab.quantities.clone(),
            });
            drug_weights.push(vocab.other_drugs_weight / others.len() as f64);
        }
        let (categories, category_weights) = vocab
            .category_weights
            .iter()
            .filter_map(|(c, w)| Category::parse(c).map(|c| (c, *w)))
            .unzip();
        ItemMaker {
            drugs,
            drug_weights,
            categories,
            category_weights,
            form_weights: vocab.medication_form.iter().map(|f| f.weight).collect(),
        }
    }

    /// A category from the overall mix.
    pub fn category(&self, rng: &mut Rng) -> Category {
        self.categories[rng.weighted(&self.category_weights)]
    }

    /// One item of `category`, decided, possibly a partial approval. `day` is near the
    /// decision (for "DOS:" dates).
    pub fn item(&self, vocab: &Vocab, rng: &mut Rng, category: Category, day: Day) -> GenItem {
        let decision = if rng.chance(vocab.overturned_share) {
            Decision::Overturned
        } else {
            Decision::Upheld
        };
        let partial = rng.chance(vocab.partial_share);
        let mut item = match category {
            Category::Medication => self.medication(vocab, rng, day, partial),
            _ => pattern_item(vocab, rng, category, partial),
        };
        item.decision = decision;
        item
    }

    fn medication(&self, vocab: &Vocab, rng: &mut Rng, day: Day, partial: bool) -> GenItem {
        let d = &self.drugs[rng.weighted(&self.drug_weights)];
        let name = rng.pick(&d.names).clone();
        let mut weights = self.form_weights.clone();
        for (w, f) in weights.iter_mut().zip(&vocab.medication_form) {
            let needs_strength = f.text.contains("{strength}");
            if (needs_strength && d.strengths.is_empty())
                || (partial && !f.text.starts_with("{name} {strength} #{qty}"))
            {
                *w = 0.0;
            }
        }
        let partial = partial && weights.iter().any(|&w| w > 0.0);
        if weights.iter().all(|&w| w == 0.0) {
            // No strengths and a partial asked for: a plain "{name} #{qty}".
            weights = vocab
                .medication_form
                .iter()
                .map(|f| if f.text == "{name} #{qty}" { 1.0 } else { 0.0 })
                .collect();
        }
        let form = &vocab.medication_form[rng.weighted(&weights)].text;
        let strength = (!d.strengths.is_empty()).then(|| rng.pick(&d.strengths).clone());
        let qty = *rng.pick(&d.quantities);
        let refills = rng.range(1, 5);
        let dos = day.plus(-(rng.below(60) as i32)).write(DateStyle::Slash);
        let write = |qty: u32| {
            form.replace("{name}", &name)
                .replace("{strength}", strength.as_deref().unwrap_or(""))
                .replace("{qty}", &qty.to_string())
                .replace(
                    "{refills}",
                    &if refills == 1 {
                        "1 refill".to_string()
                    } else {
                        format!("{refills} refills")
                    },
                )
                .replace("{date}", &dos)
        };
        let has_qty = form.contains("{qty}");
        let has_strength = form.contains("{strength}");
        let generic = Some(d.generic.clone());
        let class = Some(d.class.clone());
        if partial && has_qty && qty >= 20 {
            let authorized = rng.range(qty / 4, qty * 3 / 4).max(1);
            let remainder = qty - authorized;
            let (item, head) =
                partial_text(rng, &write(qty), &write(authorized), &write(remainder));
            let quantity = if item == write(qty) { qty } else { remainder };
            return GenItem {
                item,
                head,
                decision: Decision::Upheld,
                category: Category::Medication,
                class,
                generic,
                strength: strength.filter(|_| has_strength),
                quantity: Some(quantity),
                partial: true,
            };
        }
        let text = write(qty);
        GenItem {
            head: text.clone(),
            item: text,
            decision: Decision::Upheld,
            category: Category::Medication,
            class,
            generic,
            strength: strength.filter(|_| has_strength),
            quantity: has_qty.then_some(qty),
            partial: false,
        }
    }
}

/// The three sentences of a partial approval; returns (item, head). Mostly "X was the
/// original request. Y was authorized ... The remaining IMR eligible portion of the original
/// request, Z is"; sometimes the 2016 form "X was modified to Y ..., leaving the original
/// request IMR eligible. The original request, X is", whose item is the original request.
fn partial_text(
    rng: &mut Rng,
    original: &str,
    authorized: &str,
    remainder: &str,
) -> (String, String) {
    if rng.chance(0.2) {
        // The parser finds this preamble only when "eligible." does not end a line (then it
        // reads the preamble as the end of the previous rationale): keep it off a line end.
        let head = format!(
            "{original} was modified to {authorized} by the Claims Administrator, leaving the original request IMR eligible.{NO_BREAK}The original request, {original} is"
        );
        return (original.to_string(), head);
    }
    let is = if rng.chance(0.7) { " is" } else { "" };
    let head = format!(
        "{original} was the original request. {authorized} was authorized by the Claims Administrator. The remaining IMR eligible portion of the original request, {remainder}{is}"
    );
    (remainder.to_string(), head)
}

fn pattern_item(vocab: &Vocab, rng: &mut Rng, category: Category, partial: bool) -> GenItem {
    let named: Vec<_> = vocab
        .named_drug_item
        .iter()
        .filter(|n| n.category == category.as_str())
        .collect();
    if !named.is_empty() && rng.chance(0.05) {
        let n = rng.pick(&named);
        let text = fill(vocab, rng, &n.text);
        return GenItem {
            head: text.clone(),
            item: text,
            decision: Decision::Upheld,
            category,
            class: None,
            generic: Some(n.generic.clone()),
            strength: None,
            quantity: None,
            partial: false,
        };
    }
    if partial && category == Category::Therapy {
        let t = &rng.pick(&vocab.partial_therapy).text;
        let original = rng.range(6, 12);
        let authorized = rng.range(2, original - 1);
        let part = rng.pick(&vocab.fill["part"]).clone();
        let w = |n: u32| {
            t.replace("{count}", &number_word(n))
                .replace("{part}", &part)
        };
        let (item, head) =
            partial_text(rng, &w(original), &w(authorized), &w(original - authorized));
        return GenItem {
            item,
            head,
            decision: Decision::Upheld,
            category,
            class: None,
            generic: None,
            strength: None,
            quantity: None,
            partial: true,
        };
    }
    let patterns = &vocab.patterns[category.as_str()];
    let pattern = rng.pick(patterns).clone();
    let text = fill(vocab, rng, &pattern);
    GenItem {
        head: text.clone(),
        item: text,
        decision: Decision::Upheld,
        category,
        class: None,
        generic: None,
        strength: None,
        quantity: None,
        partial: false,
    }
}

/// Fills every `{slot}` of a pattern; a capitalised slot name gives a capitalised value.
pub fn fill(vocab: &Vocab, rng: &mut Rng, pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let slot = &rest[open + 1..open + close];
        let lower = slot.to_lowercase();
        match vocab.fill.get(&lower) {
            Some(values) => {
                let v = rng.pick(values);
                if slot != lower {
                    out.push_str(&capitalize(v));
                } else {
                    out.push_str(v);
                }
            }
            None => out.push_str(&rest[open..=open + close]),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    debug_assert!(slots(&out).next().is_none(), "unfilled slot in {out}");
    out
}

pub fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn number_word(n: u32) -> String {
    const WORDS: [&str; 13] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    WORDS
        .get(n as usize)
        .map_or_else(|| n.to_string(), |w| w.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every item the generator can write is read by the lexicon as the drug and category
    /// the generator meant: the read-back test at corpus scale depends on it, and a failure
    /// here names the pattern.
    #[test]
    fn lexicon_reads_every_pattern_as_meant() {
        let vocab = Vocab::bundled().unwrap();
        let lex = Lexicon::get();
        let mut rng = Rng::new(3);
        let mut wrong = Vec::new();
        for (cat, patterns) in &vocab.patterns {
            let category = Category::parse(cat).unwrap();
            for p in patterns {
                for _ in 0..6 {
                    let text = fill(&vocab, &mut rng, p);
                    let med = lex.find_medication(&text);
                    let got = lex.category(&text, med.as_ref());
                    if got != category || med.is_some() {
                        wrong.push(format!(
                            "{text}: {got:?}, drug {:?} (meant {category:?}, no drug)",
                            med.map(|m| m.generic)
                        ));
                    }
                }
            }
        }
        for n in &vocab.named_drug_item {
            let text = fill(&vocab, &mut rng, &n.text);
            let med = lex.find_medication(&text);
            let got = lex.category(&text, med.as_ref());
            if got.as_str() != n.category
                || med.as_ref().map(|m| m.generic.as_str()) != Some(&n.generic)
            {
                wrong.push(format!("{text}: {got:?} {:?}", med.map(|m| m.generic)));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn lexicon_reads_every_medication_as_meant() {
        let vocab = Vocab::bundled().unwrap();
        let maker = ItemMaker::new(&vocab);
        assert!(maker.drugs.len() > 150, "{}", maker.drugs.len());
        assert_eq!(
            vocab.drug.len(),
            maker
                .drugs
                .iter()
                .filter(|d| vocab.drug.iter().any(|e| e.generic == d.generic))
                .count(),
            "every drug of vocab.toml is in the lexicon"
        );
        let lex = Lexicon::get();
        let mut rng = Rng::new(5);
        let day = Day::from_ymd(2016, 11, 1);
        let mut wrong = Vec::new();
        for _ in 0..20_000 {
            let it = maker.item(&vocab, &mut rng, Category::Medication, day);
            let med = lex.find_medication(&it.item);
            let got = lex.category(&it.item, med.as_ref());
            let read = med
                .as_ref()
                .map(|m| (m.generic.clone(), m.strength.clone(), m.quantity));
            let meant = it
                .generic
                .clone()
                .map(|g| (g, it.strength.clone(), it.quantity));
            if got != Category::Medication || read != meant {
                wrong.push(format!(
                    "{}: {got:?} read {read:?} meant {meant:?}",
                    it.item
                ));
            }
        }
        wrong.sort();
        wrong.dedup();
        assert!(
            wrong.is_empty(),
            "{} wrong: {:#?}",
            wrong.len(),
            &wrong[..wrong.len().min(40)]
        );
    }
}
