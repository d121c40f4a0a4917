//! Near-identical items of one letter, as one precedent entry: the left and the right EMG,
//! the pre-operative EKG and chest X-ray that fall with the surgery they were for.
//!
//! Two items are near-identical when they are items of one letter with the same decision,
//! and either
//! - they ask for the same thing and rest on a guideline in common: the same drugs (every
//!   generic name the same) or, for items without drugs, the same treatment; and a cited
//!   guideline (source, document and section) in common, or no citation at all on either; or
//! - the reviewer wrote the same rationale for both, word for word once each item's own name
//!   is taken out ("As the requested surgical intervention is not medically necessary ...,
//!   the request for <item> is not medically necessary").
//!
//! Items that ask for different things under different guidelines (a cervical and a lumbar
//! MRI: Neck and Upper Back Complaints vs Low Back Complaints) stay apart, as do items
//! decided differently (an upheld EMG beside an overturned NCS).

use crate::record::Item;
use crate::search::Hit;
use std::collections::BTreeSet;

/// One entry of a precedent list: the hits it stands for, in list order; the first leads.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub hits: Vec<&'a Hit>,
}

impl<'a> Entry<'a> {
    pub fn lead(&self) -> &'a Hit {
        self.hits[0]
    }
}

/// What makes two items near-identical, computed once per item.
struct Traits<'a> {
    letter: &'a str,
    decision: crate::record::Decision,
    /// The drugs' generic names, else the treatment; None when neither is known (such an
    /// item groups only by its rationale).
    what: Option<BTreeSet<&'a str>>,
    /// Each citation as (source, document, sections).
    cited: BTreeSet<(&'static str, &'a str, String)>,
    /// The rationale in lower case, words joined by single spaces, the item's name removed.
    reasoning: String,
}

impl<'a> Traits<'a> {
    fn of(item: &'a Item) -> Traits<'a> {
        let drugs: BTreeSet<&str> = item
            .medications
            .iter()
            .chain(item.medication.iter())
            .map(|m| m.generic.as_str())
            .collect();
        let what = if drugs.is_empty() {
            item.treatment
                .treatment
                .as_deref()
                .map(|t| BTreeSet::from([t]))
        } else {
            Some(drugs)
        };
        let cited = item
            .guidelines
            .iter()
            .map(|c| (c.source.as_str(), c.document.as_str(), c.sections.join("/")))
            .collect();
        Traits {
            letter: &item.letter_id,
            decision: item.decision,
            what,
            cited,
            reasoning: reasoning_without_name(&item.rationale, &item.item),
        }
    }

    fn near_identical(&self, other: &Traits) -> bool {
        if self.letter != other.letter || self.decision != other.decision {
            return false;
        }
        let same_thing = self.what.is_some() && self.what == other.what;
        let shared_guideline = (self.cited.is_empty() && other.cited.is_empty())
            || !self.cited.is_disjoint(&other.cited);
        (same_thing && shared_guideline)
            || (!self.reasoning.is_empty() && self.reasoning == other.reasoning)
    }
}

/// The rationale as compared: lower case, one space between words, every occurrence of the
/// item's own name (as written in the item line) taken out.
fn reasoning_without_name(rationale: &str, name: &str) -> String {
    let squash = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let name = squash(name);
    let text = squash(rationale);
    if name.is_empty() {
        text
    } else {
        text.replace(&name, "")
    }
}

/// The entries of a list of hits: one per hit, or, with `group`, one per set of
/// near-identical hits, placed where its first hit stands. A hit joins the first entry
/// holding a hit it is near-identical to.
pub fn entries(hits: &[Hit], group: bool) -> Vec<Entry<'_>> {
    if !group {
        return hits.iter().map(|h| Entry { hits: vec![h] }).collect();
    }
    let traits: Vec<Traits> = hits.iter().map(|h| Traits::of(&h.item)).collect();
    // Per entry: the indexes of its hits.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, t) in traits.iter().enumerate() {
        let found = groups
            .iter_mut()
            .find(|g| g.iter().any(|&j| traits[j].near_identical(t)));
        match found {
            Some(g) => g.push(i),
            None => groups.push(vec![i]),
        }
    }
    groups
        .into_iter()
        .map(|g| Entry {
            hits: g.into_iter().map(|i| &hits[i]).collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_item_name_is_taken_out_of_the_reasoning() {
        let a = reasoning_without_name(
            "As the surgery is not necessary, the request for Labs to include:  EKG is not medically necessary.",
            "Labs to include: EKG",
        );
        let b = reasoning_without_name(
            "As the surgery is not necessary, the request for Labs to include: Chest X-ray is not\nmedically necessary.",
            "Labs to include: Chest X-ray",
        );
        assert_eq!(a, b);
        assert_eq!(
            a,
            "as the surgery is not necessary, the request for  is not medically necessary."
        );
    }
}
