//! A synthetic letter in the 2013 "Notice of Independent Medical Review Determination" layout,
//! as FORMAT.md ("Other layouts") describes it: letterhead, `Dated:` (month and day without
//! zero padding), the decisions as a numbered list printed twice, the dates in prose, the
//! reviewer in prose, the case summary quoted from the UR denial after a disclaimer, and (in
//! about half the letters) each item's rationale under a numbered heading repeating the item.
//! Extraction glues words ("notmedically") as it does in the published letter.

use super::items::GenItem;
use super::layout::{Era, Layout};
use super::letter::{canonical_specialties, Dates, Generator, SynthLetter};
use super::rng::Rng;
use super::sentence::{DateStyle, Day, Sex};
use super::TruthItem;
use crate::record::Decision;

/// "9/26/2013": the Notice letters do not pad month and day.
fn unpadded(day: Day) -> String {
    let (y, m, d) = day.ymd();
    format!("{m}/{d}/{y}")
}

impl Generator {
    /// The Notice letter of a case: its text and the items the parser must read back.
    pub(super) fn notice(
        &self,
        rng: &mut Rng,
        letter_id: String,
        dates: &Dates,
        sex: Sex,
        age: u32,
        items: &[GenItem],
    ) -> SynthLetter {
        let v = &self.vocab;
        let mut out = Layout::new(84 + rng.below(10));
        out.line("MAXIMUS FEDERAL SERVICES, INC.");
        out.line("P.O. Box 138009");
        out.line("Sacramento, CA 95813-8009");
        out.blank();
        out.line("Notice of Independent Medical Review Determination");
        out.line(format!("Dated: {}", unpadded(dates.decision)));
        out.blank();
        out.line(format!("IMR Case Number: {letter_id}"));
        out.blank();
        // The same list both times, glued the same way: one printing of one PDF's text.
        let list: Vec<String> = items
            .iter()
            .enumerate()
            .map(|(k, it)| {
                let (is, not) = match (it.decision, rng.chance(0.3)) {
                    (Decision::Overturned, false) => ("is ", ""),
                    (Decision::Overturned, true) => ("is", ""),
                    (_, false) => ("is ", "not "),
                    (_, true) => ("is ", "not"),
                };
                // "a 28 day functional restoration program": an article before a count.
                let article = if it.item.starts_with(|c: char| c.is_ascii_digit()) && rng.chance(0.5) {
                    "a "
                } else {
                    ""
                };
                format!(
                    "{}) MAXIMUS Federal Services, Inc. has determined the request for {article}{} {is}{not}medically necessary and appropriate.",
                    k + 1,
                    it.item
                )
            })
            .collect();
        for l in &list {
            out.para(l);
        }
        out.blank();
        out.line("INDEPENDENT MEDICAL REVIEW DECISION AND RATIONALE");
        out.para(&format!(
            "An application for Independent Medical Review was filed on {} disputing the Utilization Review Denial dated {}. A Notice of Assignment and Request for Information was provided to the above parties on {}. A decision has been made for each of the treatment and/or services that were in dispute:",
            unpadded(dates.application),
            unpadded(dates.ur),
            unpadded(dates.assigned)
        ));
        for l in &list {
            out.para(l);
        }
        out.line("Medical Qualifications of the Expert Reviewer:");
        let [board, sub] = rng.pick(&v.reviewer.board);
        let credentials = if sub.is_empty() {
            format!("Board Certified in {board}")
        } else {
            format!("Board Certified in {board}, has a subspecialty in {sub}")
        };
        out.para(&format!(
            "The independent Medical Doctor who made the decision has no affiliation with the employer, employee, providers or the claims administrator. The physician reviewer is {credentials} and is licensed to practice in California. He/she has been in active clinical practice for more than five years and is currently working at least 24 hours a week in active practice."
        ));
        out.line("Case Summary:");
        out.para(&format!(
            "Disclaimer: The following case summary was taken directly from the utilization review denial/modification dated {}.",
            dates.ur.write(DateStyle::Long)
        ));
        out.para(&format!(
            "\u{201c}{}\u{201d}",
            self.summary(rng, sex, age, dates, items)
        ));
        if rng.chance(0.5) {
            for (k, it) in items.iter().enumerate() {
                out.para(&format!(
                    "{}) Regarding the request for {}:",
                    k + 1,
                    it.item
                ));
                out.line("Rationale for the Decision:");
                let (body, conclusion) = self.rationale(rng, sex, dates, it, Era::Notice);
                let space = if body.is_empty() { "" } else { " " };
                out.para(&format!("{body}{space}{conclusion}"));
            }
        }
        let specialty = canonical_specialties(&format!("{board}, {sub}"));
        let truth = items
            .iter()
            .enumerate()
            .map(|(k, it)| TruthItem {
                letter_id: letter_id.clone(),
                era: Era::Notice,
                item_index: k as u32 + 1,
                // The parser reads the item from "the request for ...": a partial approval's
                // preamble is no part of this layout.
                item: it.item.clone(),
                decision: it.decision,
                category: it.category,
                generic: it.generic.clone(),
                strength: it.strength.clone(),
                quantity: it.quantity,
                partial: false,
                mtus_pages: Vec::new(),
                decision_date: Some(dates.decision.iso()),
                date_of_injury: Some(dates.injury.iso()),
                ur_denial_date: Some(dates.ur.iso()),
                application_received: Some(dates.application.iso()),
                patient_age: Some(age),
                patient_sex: Some(match sex {
                    Sex::Male => crate::record::Sex::Male,
                    Sex::Female => crate::record::Sex::Female,
                }),
                specialty: specialty.clone(),
            })
            .collect();
        SynthLetter {
            letter_id,
            era: Era::Notice,
            text: out.finish(rng, Era::Notice),
            items: truth,
        }
    }
}
