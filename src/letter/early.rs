//! The two other 2013 layouts, known only by their headings (FORMAT.md, "Other layouts"):
//! letterhead + `IMR DECISION(S) AND RATIONALE(S)` ("2013-decisions"), and `MEDICAL
//! PROFESSIONAL REVIEW` ("2013-professional-review": one issue, one guideline section, one
//! rationale per letter, and no Upheld/Overturned word). Each is split as far as its
//! structure allows; what cannot be split is kept whole by the caller.

use super::items::{self, Items, RawItem};
use super::text::{join_lines, lines, Line};
use super::{header, notice, reviewer, summary, Reading};
use crate::record::{Decision, Layout};
use regex::Regex;

/// The sections of a letter, each from its heading to the next heading found.
struct Sections<'t> {
    text: &'t str,
    /// (heading index, start of heading, end of heading), in text order.
    found: Vec<(usize, usize, usize)>,
}

impl<'t> Sections<'t> {
    fn find(text: &'t str, headings: &[&Regex]) -> Sections<'t> {
        let mut found: Vec<(usize, usize, usize)> = headings
            .iter()
            .enumerate()
            .filter_map(|(k, r)| r.find(text).map(|m| (k, m.start(), m.end())))
            .collect();
        found.sort_by_key(|f| f.1);
        Sections { text, found }
    }

    /// The text under heading `k`, up to the next heading; "" when it is absent.
    fn body(&self, k: usize) -> &'t str {
        let Some(i) = self.found.iter().position(|f| f.0 == k) else {
            return "";
        };
        let end = self.found.get(i + 1).map_or(self.text.len(), |f| f.1);
        &self.text[self.found[i].2..end]
    }

    /// The heading `k` as written, if present.
    fn heading(&self, k: usize) -> Option<&'t str> {
        self.found
            .iter()
            .find(|f| f.0 == k)
            .map(|f| &self.text[f.1..f.2])
    }

    /// The text before the first heading: letterhead and header.
    fn top(&self) -> &'t str {
        &self.text[..self.found.first().map_or(0, |f| f.1)]
    }
}

fn joined(s: &str) -> String {
    join_lines(lines(s).iter().map(|l| l.text))
}

/// Letterhead, `UR Denial Date:`, `HOW THE IMR FINAL DETERMINATION WAS MADE`, `DOCUMENTS
/// REVIEWED`, `CLINICAL CASE SUMMARY`, `IMR DECISION(S) AND RATIONALE(S)`. The items are
/// read as the 2014 item blocks where the letter writes them so, else as numbered decisions
/// ("1. <item> is not medically necessary ..."), each followed by its rationale.
pub fn decisions(text: &str) -> Reading {
    const HOW: usize = 0;
    const CLINICAL: usize = 2;
    const DECISIONS: usize = 3;
    let s = Sections::find(
        text,
        &[
            regex!(r"(?i)HOW\s+THE\s+IMR\s+FINAL\s+DETERMINATION\s+WAS\s+MADE"),
            // DOCUMENTS REVIEWED (1): read for nothing, but it ends the section before it.
            regex!(r"(?im)^\s*DOCUMENTS\s+REVIEWED\b"),
            regex!(r"(?i)CLINICAL\s+CASE\s+SUMMARY"),
            regex!(
                r"(?i)\bIMR\s+DECISION\s*(?:\(\s*S\s*\)|S)?\s+AND\s+RATIONALE\s*(?:\(\s*S\s*\)|S)?"
            ),
        ],
    );
    let mut header = header::parse_header(s.top());
    if header.decision_date.is_none() {
        header.decision_date = notice::dated(s.top());
    }
    if header.case_number.is_none() {
        header.case_number = header::find_case_number(text);
    }
    let (licensure, specialty) = reviewer::parse_reviewer(s.body(HOW));
    let summary = regex!(r"(?i)^the expert reviewer developed the following clinical case summary based on a review of the case file, including all medical records:\s*")
        .replace(&joined(s.body(CLINICAL)), "")
        .into_owned();
    let section = s.body(DECISIONS);
    let section = regex!(r"(?i)set\s+forth\s+below\s*:")
        .find(section)
        .map_or(section, |m| &section[m.end()..]);
    let ls = lines(section);
    let items = if s.heading(DECISIONS).is_none() {
        Err("no \"IMR DECISION(S) AND RATIONALE(S)\" section".to_string())
    } else {
        match items::parse_items(&ls) {
            Ok(items) => Ok(items),
            Err(blocks) => numbered(&ls).ok_or_else(|| {
                format!("{blocks}; and no numbered \"... is (not) medically necessary\" decisions")
            }),
        }
    };
    Reading {
        layout: Layout::Decisions2013,
        header,
        licensure,
        specialty,
        summary,
        items,
    }
}

/// Numbered decisions, each heading its rationale: "1. Retrospective request for Norco
/// 10/325mg #60 is not medically necessary and appropriate." then prose, then "2. ...".
/// Headings are numbered 1, 2, 3 ... in order, and state a decision; None when there is none.
fn numbered(ls: &[Line<'_>]) -> Option<Items> {
    let decision_re = regex!(
        r"(?is)^\(?\d{1,2}\s*[).]\s*(?:MAXIMUS\s*Federal\s*Services\s*,?\s*Inc\.?\s*,?\s*has\s*determined\s*(?:that\s*)?)?(?:the\s*)?(?:(?:retrospective\s+|prospective\s+)?request(?:ed)?\s*(?:for\s*)?)?(?P<item>.+?)\s*(?:is|are|was|were)\s*(?P<not>not)?\s*medically\s*necessary(?:\s*and\s*appropriate)?\s*\.?"
    );
    let mut heads: Vec<(usize, String, Decision, usize)> = Vec::new();
    let mut i = 0;
    while i < ls.len() {
        let want = heads.len() + 1;
        let numbered_here = regex!(r"^\(?(\d{1,2})\s*[).]")
            .captures(ls[i].text)
            .and_then(|c| c[1].parse::<usize>().ok())
            == Some(want);
        if numbered_here {
            // The heading's sentence may wrap over a few lines, never into the next number.
            let upto = (i + 1..(i + 4).min(ls.len()))
                .find(|&j| regex!(r"^\(?\d{1,2}\s*[).]").is_match(ls[j].text))
                .unwrap_or((i + 4).min(ls.len()));
            let head = join_lines(ls[i..upto].iter().map(|l| l.text));
            if let Some(c) = decision_re.captures(&head) {
                let decision = if c.name("not").is_some() {
                    Decision::Upheld
                } else {
                    Decision::Overturned
                };
                let item = c["item"].trim().to_string();
                let consumed = c.get(0).map_or(0, |m| m.end());
                heads.push((i, item, decision, consumed));
            }
        }
        i += 1;
    }
    if heads.is_empty() {
        return None;
    }
    let items = heads
        .iter()
        .enumerate()
        .map(|(k, (at, item, decision, consumed))| {
            let to = heads.get(k + 1).map_or(ls.len(), |h| h.0);
            let block = join_lines(ls[*at..to].iter().map(|l| l.text));
            // The heading sentence ends within the block: the rationale is what follows.
            let rationale = block.get(*consumed..).unwrap_or("").trim().to_string();
            RawItem {
                item: capitalize(item),
                decision: *decision,
                original_request: None,
                claims_administrator_guideline: String::new(),
                maximus_guideline: String::new(),
                rationale,
            }
        })
        .collect();
    Some(Items { items, cut: None })
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `MEDICAL PROFESSIONAL REVIEW`: `ISSUE AT DISPUTE:`, `CASE SUMMARY:`, `DOCUMENTS REVIEWED FOR
/// DETERMINATION:`, `MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER AND
/// WHY:`, `RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:`,
/// `MEDICAL REVIEWER QUALIFICATIONS:`. One item: the issue. Its decision is the rationale's
/// own conclusion (the last "is (not) medically necessary" in it), else what the rationale
/// heading says.
pub fn professional_review(text: &str) -> Reading {
    const ISSUE: usize = 0;
    const SUMMARY: usize = 1;
    const GUIDELINES: usize = 3;
    const RATIONALE: usize = 4;
    const QUALIFICATIONS: usize = 5;
    let s = Sections::find(
        text,
        &[
            regex!(r"(?im)^\s*ISSUES?\s+(?:AT|IN)\s+DISPUTE\s*:"),
            regex!(r"(?im)^\s*CASE\s+SUMMARY\s*:"),
            // DOCUMENTS REVIEWED (2): read for nothing, but it ends the section before it.
            regex!(r"(?im)^\s*DOCUMENTS\s+REVIEWED\s+FOR\s+DETERMINATION\s*:"),
            regex!(
                r"(?im)^\s*MEDICAL\s+TREATMENT\s+GUIDELINE\s*(?:\(\s*S\s*\)|S)?\s+RELIED\s+UPON\b[^:]*:"
            ),
            regex!(
                r"(?im)^\s*RATIONALE\s+FOR\s+WHY\s+THE\s+REQUESTED\s+TREATMENT\s*/\s*SERVICE\b[^:]*:"
            ),
            regex!(r"(?im)^\s*MEDICAL\s+REVIEWER\s+QUALIFICATIONS\s*:"),
        ],
    );
    let mut header = header::parse_header(s.top());
    if header.decision_date.is_none() {
        header.decision_date = notice::dated(s.top());
    }
    if header.case_number.is_none() {
        header.case_number = header::find_case_number(text);
    }
    let (licensure, specialty) = reviewer::parse_reviewer(s.body(QUALIFICATIONS));
    let summary = joined(s.body(SUMMARY));
    if header.date_of_injury.is_none() {
        header.date_of_injury = summary::date_of_injury(&summary);
    }
    let issue_text = joined(s.body(ISSUE));
    let issue = issue_item(&issue_text);
    let rationale = joined(s.body(RATIONALE));
    let decision = conclusion(&rationale).or_else(|| s.heading(RATIONALE).and_then(conclusion));
    // Several numbered issues under one rationale: no item's own decision can be read.
    let several = regex!(r"(?:^|\s)2\s*[.)]\s").is_match(&issue_text);
    let items = match (issue.is_empty(), decision) {
        (true, _) => Err("no \"ISSUE AT DISPUTE:\" text".to_string()),
        _ if several => Err("several issues at dispute under one rationale".to_string()),
        (false, None) => Err("neither the rationale nor its heading says whether the treatment is medically necessary".to_string()),
        (false, Some(decision)) => Ok(Items {
            items: vec![RawItem {
                item: issue,
                decision,
                original_request: None,
                claims_administrator_guideline: String::new(),
                maximus_guideline: joined(s.body(GUIDELINES)),
                rationale,
            }],
            cut: None,
        }),
    };
    Reading {
        layout: Layout::ProfessionalReview2013,
        header,
        licensure,
        specialty,
        summary,
        items,
    }
}

/// The disputed item as the issue states it, without the question around it: "Whether the
/// requested lumbar MRI is medically necessary?" → "Lumbar MRI".
fn issue_item(issue: &str) -> String {
    let s = regex!(r"^\(?\d{1,2}\s*[).]\s*").replace(issue.trim(), "");
    let s = regex!(r"(?i)^(?:whether|is|are|was|were)\s+(?:the\s+)?(?:(?:requested|request\s+for|proposed)\s+)?")
        .replace(&s, "");
    let s = regex!(r"(?i)\s*(?:is|are|was|were)?\s*(?:not\s+)?medically\s+necessary(?:\s+and\s+appropriate)?\s*[.?]?\s*$")
        .replace(&s, "");
    capitalize(s.trim().trim_end_matches(['.', '?', ':']).trim())
}

/// The decision a text concludes with: its last "is (not) medically necessary".
fn conclusion(text: &str) -> Option<Decision> {
    regex!(r"(?i)\b(?:is|are|was|were|IS/WAS)\s*(not)?\s*medically\s*necessary")
        .captures_iter(text)
        .last()
        .map(|c| {
            if c.get(1).is_some() {
                Decision::Upheld
            } else {
                Decision::Overturned
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_as_an_item() {
        assert_eq!(
            issue_item("1. Whether the requested MRI of the lumbar spine is medically necessary?"),
            "MRI of the lumbar spine"
        );
        assert_eq!(issue_item("Norco 10/325mg #60"), "Norco 10/325mg #60");
    }

    #[test]
    fn several_issues_are_not_split_by_guess() {
        let text = "MEDICAL PROFESSIONAL REVIEW\nISSUE AT DISPUTE:\n1. MRI of the lumbar spine\n2. Norco 10/325mg #60\nRATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:\nNeither is medically necessary.\n";
        let r = professional_review(text);
        assert_eq!(
            r.items.unwrap_err(),
            "several issues at dispute under one rationale"
        );
    }

    #[test]
    fn conclusions() {
        assert_eq!(
            conclusion("It may be necessary. Therefore the MRI is not medically necessary."),
            Some(Decision::Upheld)
        );
        assert_eq!(
            conclusion(
                "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:"
            ),
            Some(Decision::Upheld)
        );
        assert_eq!(
            conclusion("The MRI is medically necessary"),
            Some(Decision::Overturned)
        );
        assert_eq!(conclusion("No words about it."), None);
    }

    #[test]
    fn numbered_decisions_head_their_rationales() {
        let text = "1. Retrospective request for Norco 10/325mg #60 is not medically\nnecessary and appropriate. The opioid did not help.\n2) The request for physical therapy x 6 is medically necessary and appropriate.\nPT helps.\n";
        let got = numbered(&lines(text)).unwrap().items;
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].item, "Norco 10/325mg #60");
        assert_eq!(got[0].decision, Decision::Upheld);
        assert_eq!(got[0].rationale, "The opioid did not help.");
        assert_eq!(got[1].item, "Physical therapy x 6");
        assert_eq!(got[1].decision, Decision::Overturned);
        assert_eq!(got[1].rationale, "PT helps.");
    }
}
