//! One synthetic letter: header, reviewer, clinical summary and item blocks, in the 2014-15
//! or 2016 format (the 2013 Notice layout: `notice.rs`), with the ground truth of every item
//! it holds.

use super::citations;
use super::items::{capitalize, fill, GenItem, ItemMaker};
use super::layout::{Era, Layout};
use super::rng::Rng;
use super::sentence::{damage, DateStyle, Day, Sentence, Sex};
use super::templates::{Pool, Templates};
use super::vocab::Vocab;
use super::TruthItem;
use crate::record::Decision;

/// A generated letter: its text and the items the parser must read back from it.
#[derive(Debug)]
pub struct SynthLetter {
    pub letter_id: String,
    pub era: Era,
    pub text: String,
    pub items: Vec<TruthItem>,
}

/// Everything the generator needs, built once per corpus.
pub struct Generator {
    pub(super) vocab: Vocab,
    pub(super) templates: Templates,
    items: ItemMaker,
    seed: u64,
}

/// The dates of one case.
pub(super) struct Dates {
    pub(super) decision: Day,
    pub(super) assigned: Day,
    pub(super) application: Day,
    pub(super) ur: Day,
    pub(super) injury: Day,
}

impl Generator {
    pub fn new(vocab: Vocab, templates: Templates, seed: u64) -> Generator {
        let items = ItemMaker::new(&vocab);
        Generator {
            vocab,
            templates,
            items,
            seed,
        }
    }

    pub fn templates(&self) -> &Templates {
        &self.templates
    }

    /// The file stem of letter `index`, and its case number but in the Notice layout: "CM99-"
    /// so it can never be taken for a real one.
    pub fn letter_id(index: u64) -> String {
        format!("CM99-{index:07}")
    }

    /// The case number letter `index` writes: 2013 Notice letters number cases "IMR 13-...",
    /// so theirs is "IMR 99-..." (never a real one either).
    pub fn case_number(index: u64, era: Era) -> String {
        match era {
            Era::Notice => format!("IMR 99-{index:07}"),
            Era::Seed | Era::Modern => Generator::letter_id(index),
        }
    }

    /// Letter `index` of the corpus: the same text for the same seed and index, always.
    pub fn letter(&self, index: u64) -> SynthLetter {
        let rng = &mut Rng::for_letter(self.seed, index);
        let v = &self.vocab;
        let era = if rng.chance(v.seed_era_share) {
            Era::Seed
        } else if rng.chance(v.notice_share / (1.0 - v.seed_era_share)) {
            Era::Notice
        } else {
            Era::Modern
        };
        let letter_id = Generator::case_number(index, era);
        let dates = dates(rng, era);
        let sex = if rng.chance(0.55) {
            Sex::Male
        } else {
            Sex::Female
        };
        let age = 18 + rng.range(0, 31) + rng.range(0, 31);

        // The items first: the summary's utilization-review sentence names them.
        let n = 1 + rng.weighted(&v.items_per_letter);
        let theme = self.items.category(rng);
        let mut items: Vec<GenItem> = Vec::with_capacity(n);
        while items.len() < n {
            let category = if rng.chance(0.5) {
                theme
            } else {
                self.items.category(rng)
            };
            let it = self.items.item(v, rng, category, dates.decision);
            // Real letters rarely dispute the same thing twice.
            if items.iter().any(|o| o.item == it.item) && rng.chance(0.9) {
                continue;
            }
            items.push(it);
        }

        if era == Era::Notice {
            return self.notice(rng, letter_id, &dates, sex, age, &items);
        }
        let mut out = Layout::new(88 + rng.below(12));
        if era == Era::Modern {
            header(rng, &mut out, &letter_id, &dates);
        }
        out.line("HOW THE IMR FINAL DETERMINATION WAS MADE");
        let prose_reviewer = era == Era::Seed && rng.chance(0.5);
        let mut specialty_written = String::new();
        let reviewer = if prose_reviewer {
            let [board, sub] = rng.pick(&v.reviewer.board);
            specialty_written = format!("{board}, {sub}");
            if sub.is_empty() {
                format!("The expert reviewer is Board Certified in {board} and is licensed to practice in California. ")
            } else {
                format!("The expert reviewer is Board Certified in {board}, has a subspecialty in {sub} and is licensed to practice in California. ")
            }
        } else {
            String::new()
        };
        out.para(&v.reviewer.boilerplate.replace("{reviewer}", &reviewer));
        if !prose_reviewer {
            out.line("The Expert Reviewer has the following credentials:");
            out.line(format!(
                "State(s) of Licensure: {}",
                rng.pick(&v.reviewer.states)
            ));
            specialty_written = rng.pick(&v.reviewer.specialties).clone();
            out.line(format!("Certification(s)/Specialty: {specialty_written}"));
        }
        out.line("CLINICAL CASE SUMMARY");
        out.para("The expert reviewer developed the following clinical case summary based on a review of the case file, including all medical records:");
        out.para(&self.summary(rng, sex, age, &dates, &items));

        out.line("IMR ISSUES, DECISIONS AND RATIONALES");
        if rng.chance(0.3) {
            out.blank();
        }
        out.para("The Final Determination was based on decisions for the disputed items/services set forth below:");

        let mut truth = Vec::with_capacity(items.len());
        let mut pending_conclusion: Option<String> = None;
        for (k, it) in items.iter().enumerate() {
            // The generator writes upheld and overturned items only (items::ItemMaker).
            let decision = match it.decision {
                Decision::Upheld | Decision::Unknown => "Upheld",
                Decision::Overturned => "Overturned",
            };
            let sep = if era == Era::Seed { ":  " } else { ": " };
            if let Some(c) = pending_conclusion.take() {
                // The item's name starts on the line of the previous rationale's last sentence.
                out.para(&format!("{c} {}{sep}{decision}", it.head));
            } else if rng.chance(0.08) {
                out.para(&format!("{}:", it.head));
                out.line(decision);
            } else {
                out.para(&format!("{}{sep}{decision}", it.head));
            }
            let lines = match era {
                Era::Seed => citations::seed_era(v, rng, it),
                // Notice letters returned above; they have no guideline lines.
                Era::Modern | Era::Notice => citations::modern_era(v, &self.templates, rng, it),
            };
            out.para(&format!("Claims Administrator guideline: {}", lines.claims));
            out.para(&format!("MAXIMUS guideline: {}", lines.maximus));
            let (body, conclusion) = self.rationale(rng, sex, &dates, it, era);
            const LABEL: &str = "Decision rationale: ";
            // The next item's name starts on the line of this rationale's last sentence. The
            // parser reads that only when the sentence and the name's first word share the
            // line (a sentence that wraps first leaves the name inside the rationale), and
            // the line before ends a sentence with a period (not ".)").
            let flow = items.get(k + 1).is_some_and(|next| {
                let first_word = next.head.split(' ').next().unwrap_or("");
                !next.partial && conclusion.len() + 1 + first_word.len() <= out.width()
            }) && body.ends_with('.')
                && rng.chance(0.03);
            if flow {
                out.para(&format!("{LABEL}{body}"));
                pending_conclusion = Some(conclusion);
            } else {
                let space = if body.is_empty() { "" } else { " " };
                out.para(&format!("{LABEL}{body}{space}{conclusion}"));
            }
            if rng.chance(0.03) {
                out.blank();
            }
            truth.push(TruthItem {
                letter_id: letter_id.clone(),
                era,
                item_index: k as u32 + 1,
                item: it.item.clone(),
                decision: it.decision,
                category: it.category,
                generic: it.generic.clone(),
                strength: it.strength.clone(),
                quantity: it.quantity,
                partial: it.partial,
                mtus_pages: lines.mtus_pages,
                decision_date: (era == Era::Modern).then(|| dates.decision.iso()),
                date_of_injury: Some(dates.injury.iso()),
                ur_denial_date: (era == Era::Modern).then(|| dates.ur.iso()),
                application_received: (era == Era::Modern).then(|| dates.application.iso()),
                specialty: canonical_specialties(&specialty_written),
                patient_age: Some(age),
                patient_sex: Some(match sex {
                    Sex::Male => crate::record::Sex::Male,
                    Sex::Female => crate::record::Sex::Female,
                }),
            });
        }
        SynthLetter {
            letter_id,
            era,
            text: out.finish(rng, era),
            items: truth,
        }
    }

    /// The clinical summary. Its first sentences, which say the age, sex and injury date the
    /// parser reads, are the generator's own and never damaged.
    pub(super) fn summary(
        &self,
        rng: &mut Rng,
        sex: Sex,
        age: u32,
        d: &Dates,
        items: &[GenItem],
    ) -> String {
        let v = &self.vocab;
        let mut s = String::with_capacity(2048);
        let no_sex_word = rng.chance(0.05);
        let openings = if no_sex_word {
            &v.opening_nosex
        } else {
            &v.opening
        };
        let o = rng.pick(openings);
        let style = DateStyle::parse(&o.date).unwrap_or(DateStyle::Slash);
        let word = match sex {
            Sex::Male => *rng.pick(&["male", "male", "male", "gentleman", "man"]),
            Sex::Female => *rng.pick(&["female", "female", "female", "woman", "lady"]),
        };
        let opening = fill(
            v,
            rng,
            &o.text
                .replace("{age}", &age.to_string())
                .replace("{sexword}", word)
                .replace("{doi}", &d.injury.write(style)),
        );
        s.push_str(&opening);
        if no_sex_word {
            let p = rng.pick(&v.sentences.pronoun);
            let (he, his) = match sex {
                Sex::Male => ("he", "his"),
                Sex::Female => ("she", "her"),
            };
            let p = fill(
                v,
                rng,
                &p.replace("{He}", &capitalize(he))
                    .replace("{he}", he)
                    .replace("{his}", his),
            );
            s.push(' ');
            s.push_str(&p);
        }
        let count = rng.range(7, 18) as usize;
        self.learned(
            rng,
            &self.templates.summary,
            count,
            sex,
            (d.injury, d.ur),
            &mut s,
        );
        let named: Vec<&str> = items.iter().take(3).map(|i| i.item.as_str()).collect();
        let list = match named.as_slice() {
            [a] => a.to_string(),
            [a, b] => format!("{a} and {b}"),
            [a, b, c] => format!("{a}, {b} and {c}"),
            _ => String::new(),
        };
        let ur = rng.pick(&v.sentences.ur).replace("{items}", &list).replace(
            "{date}",
            &d.ur.write(if rng.chance(0.5) {
                DateStyle::Slash
            } else {
                DateStyle::Long
            }),
        );
        s.push(' ');
        s.push_str(&capitalize(&ur));
        s
    }

    /// Appends `count` learned sentences (distinct where the pool allows), damaged now and
    /// then as extraction damages text.
    fn learned(
        &self,
        rng: &mut Rng,
        pool: &[Sentence],
        count: usize,
        sex: Sex,
        dates: (Day, Day),
        s: &mut String,
    ) {
        if pool.is_empty() {
            return;
        }
        let count = count.min(pool.len());
        let mut used: Vec<usize> = Vec::with_capacity(count);
        let mut sentence = String::with_capacity(256);
        for _ in 0..count * 2 {
            if used.len() == count {
                break;
            }
            let i = rng.below(pool.len());
            if used.contains(&i) {
                continue;
            }
            used.push(i);
            sentence.clear();
            pool[i].render(rng, sex, dates, &mut sentence);
            damage(rng, &mut sentence);
            // A lost space between sentences: "positive.Prior".
            let glued = s.ends_with('.') && rng.chance(0.03);
            if !s.is_empty() && !glued {
                s.push(' ');
            }
            s.push_str(&sentence);
        }
    }

    /// (body, conclusion) of an item's rationale.
    pub(super) fn rationale(
        &self,
        rng: &mut Rng,
        sex: Sex,
        d: &Dates,
        it: &GenItem,
        era: Era,
    ) -> (String, String) {
        let v = &self.vocab;
        let pool: &Pool = self
            .templates
            .rationale_pool(it.category.as_str(), it.class.as_deref());
        let sentences: Vec<Sentence>;
        let chosen: &[Sentence] = match it.decision {
            Decision::Overturned if pool.overturned.len() >= 5 => &pool.overturned,
            Decision::Upheld if pool.upheld.len() >= 5 => &pool.upheld,
            _ => {
                sentences = pool
                    .upheld
                    .iter()
                    .chain(&pool.overturned)
                    .cloned()
                    .collect();
                &sentences
            }
        };
        let mut body = String::with_capacity(1200);
        let not = if it.decision == Decision::Upheld {
            "not "
        } else {
            ""
        };
        if era == Era::Seed && rng.chance(0.15) {
            body.push_str(&format!(
                "The requested {}, is {not}medically necessary.",
                it.item
            ));
        }
        let count = rng.range(3, 10) as usize;
        self.learned(
            rng,
            chosen,
            count,
            sex,
            (d.injury, d.decision.plus(-10)),
            &mut body,
        );
        let conclusions = match it.decision {
            Decision::Upheld | Decision::Unknown => &v.sentences.upheld,
            Decision::Overturned => &v.sentences.overturned,
        };
        let conclusion = rng.pick(conclusions).replace("{item}", &it.item);
        (body.trim().to_string(), conclusion)
    }
}

/// The specialties a letter wrote ("Preventive Medicine, Occupational Medicine"; a prose
/// board and subspecialty as "Board, Sub"), each in the lexicon's canonical spelling: what the
/// parser must report.
pub(super) fn canonical_specialties(written: &str) -> Vec<String> {
    let lexicon = crate::lexicon::Lexicon::get();
    let mut out: Vec<String> = Vec::new();
    for name in written.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let c = lexicon.canonical_specialty(name);
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

fn dates(rng: &mut Rng, era: Era) -> Dates {
    let decision = match era {
        Era::Seed => Day::from_ymd(2013, 9, 2).plus(rng.below(850) as i32),
        Era::Modern => Day::from_ymd(2016, 1, 4).plus(rng.below(9 * 365) as i32),
        Era::Notice => Day::from_ymd(2013, 7, 15).plus(rng.below(160) as i32),
    };
    let assigned = decision.plus(-(rng.range(18, 45) as i32));
    let application = assigned.plus(-(rng.range(1, 10) as i32));
    let ur = application.plus(-(rng.range(2, 25) as i32));
    let floor = Day::from_ymd(1976, 1, 1);
    let injury = ur.plus(-(rng.range(40, 9_500) as i32)).max(floor);
    Dates {
        decision,
        assigned,
        application,
        ur,
        injury,
    }
}

/// The 2016 header: `pdftotext`'s plain output (labels, then values) or `-layout`'s (each
/// label beside its value).
fn header(rng: &mut Rng, out: &mut Layout, id: &str, d: &Dates) {
    let w = |day: Day| day.write(DateStyle::Slash);
    let priority = if rng.chance(0.05) {
        "Expedited"
    } else {
        "Standard"
    };
    if rng.chance(0.7) {
        for l in [
            "Case Number:",
            "Date Assigned:",
            "Decision Date:",
            "Priority:",
            "",
        ] {
            out.line(l);
        }
        out.line(id);
        out.line(w(d.assigned));
        out.line(w(d.decision));
        out.line(priority);
        out.blank();
        for l in [
            "Date of Injury:",
            "UR Denial Date:",
            "Application",
            "Received:",
            "",
        ] {
            out.line(l);
        }
        out.line(w(d.injury));
        out.line(w(d.ur));
        out.line(w(d.application));
        out.blank();
    } else {
        out.line(format!("Case Number:          {id}"));
        out.line(format!(
            "Date Assigned:        {}                      Date of Injury:      {}",
            w(d.assigned),
            w(d.injury)
        ));
        out.line(format!(
            "Decision Date:        {}                      UR Denial Date:      {}",
            w(d.decision),
            w(d.ur)
        ));
        out.line(format!(
            "Priority:             {priority:<10}                      Application          {}",
            w(d.application)
        ));
        out.line("                                                      Received:");
        out.blank();
    }
}
