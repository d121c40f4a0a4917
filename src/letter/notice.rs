//! The 2013 "Notice of Independent Medical Review Determination" layout (FORMAT.md, "Other
//! layouts"): `Dated:`, the decisions as a numbered list printed twice ("1) MAXIMUS Federal
//! Services, Inc. has determined the request for <item> is (not) medically necessary and
//! appropriate."), `INDEPENDENT MEDICAL REVIEW DECISION AND RATIONALE` with the dates in
//! prose, `Medical Qualifications of the Expert Reviewer:`, `Case Summary:`.
//!
//! How each item's own rationale is headed is not known. The text after the case summary is
//! split per item where a numbered heading that repeats the item's words recurs for every
//! item in order ("1) Regarding the request for a 28 day functional restoration program:");
//! otherwise it is the shared rationale of every item (see `rationales`).

use super::items::{Items, RawItem};
use super::text::{join_lines, lines, Line};
use super::{dates, header, reviewer, Reading};
use crate::record::{Decision, Layout, LetterHeader};

/// Reads a letter `layout::detect` found in the Notice layout.
pub fn read(text: &str) -> Reading {
    let heading =
        regex!(r"(?i)INDEPENDENT\s+MEDICAL\s+REVIEW\s+DECISION\s+AND\s+RATIONALE").find(text);
    let qualifications =
        regex!(r"(?i)Medical\s+Qualifications\s+of\s+the\s+Expert\s+Reviewer\s*:").find(text);
    let summary_at = regex!(r"(?i)\bCase\s+Summary\s*:").find(text);
    let cover = heading.map_or(text, |h| &text[..h.start()]);
    let prose = heading.map_or(text, |h| &text[h.end()..]);
    let header = LetterHeader {
        case_number: header::find_case_number(text),
        decision_date: dated(text),
        date_assigned: after(
            prose,
            regex!(r"(?i)Notice\s+of\s+Assignment[^.]{0,120}?\bon\s+"),
        ),
        ur_denial_date: after(
            prose,
            regex!(r"(?i)Utilization\s+Review\s+(?:Denial|determination|decision)\s+dated\s+"),
        ),
        application_received: after(prose, regex!(r"(?i)\bfiled\s+on\s+")),
        date_of_injury: after(cover, regex!(r"(?i)Date\s+of\s+Injury\s*:\s*")),
        priority: None,
    };

    let (licensure, specialty) = match (qualifications, summary_at) {
        (Some(q), Some(s)) if s.start() > q.end() => {
            reviewer::parse_reviewer(&text[q.end()..s.start()])
        }
        (Some(q), _) => reviewer::parse_reviewer(&text[q.end()..]),
        _ => (Vec::new(), Vec::new()),
    };

    let list_end = summary_at
        .or(qualifications)
        .map_or(text.len(), |m| m.start());
    let decided = decisions(&text[..list_end]);
    let rest = summary_at.map_or("", |s| &text[s.end()..]);
    let listed = decided.as_deref().unwrap_or_default();
    let (summary, rationales) = rationales(&lines(rest), listed);
    let items = match decided {
        Err(e) => Err(e),
        Ok(decided) => Ok(Items {
            items: decided
                .into_iter()
                .zip(rationales)
                .map(|((item, decision), section)| RawItem {
                    item,
                    decision,
                    original_request: None,
                    claims_administrator_guideline: section.claims,
                    maximus_guideline: section.maximus,
                    rationale: section.rationale,
                })
                .collect(),
            cut: None,
        }),
    };
    Reading {
        layout: Layout::Notice2013,
        header,
        licensure,
        specialty,
        summary,
        items,
    }
}

/// The ISO date after `Dated:` ("Dated: 9/26/2013").
pub fn dated(text: &str) -> Option<String> {
    after(text, regex!(r"(?i)\bDated\s*:\s*"))
}

/// The ISO date written right after the first match of `lead`.
fn after(text: &str, lead: &regex::Regex) -> Option<String> {
    let m = lead.find(text)?;
    let rest = &text[m.end()..];
    let caps = dates::date_regex().captures(rest)?;
    (caps.get(0)?.start() == 0)
        .then(|| dates::from_captures(&caps))
        .flatten()
}

/// The numbered decisions, each once (the list is printed twice), in number order: the item
/// as requested and its decision ("is not medically necessary": the denial is upheld).
/// Extraction glues words ("notmedically", "isnot"), so words may meet without a space. An
/// error when there are none, or when a numbered entry states no decision in either printing
/// (its item would be lost).
pub fn decisions(text: &str) -> Result<Vec<(String, Decision)>, String> {
    let joined = join_lines(lines(text).iter().map(|l| l.text));
    let starts: Vec<(usize, Option<u32>)> = regex!(
        r"(?i)(?:\b(\d{1,2})\s*[).]\s*)?MAXIMUS\s*Federal\s*Services\s*,?\s*Inc\.?\s*,?\s*has\s*determined"
    )
    .captures_iter(&joined)
    .map(|c| {
        let m = c.get(0).expect("whole match");
        (m.start(), c.get(1).and_then(|n| n.as_str().parse().ok()))
    })
    .collect();
    let mut found: Vec<(Option<u32>, String, String, Decision)> = Vec::new();
    let mut unread: Vec<u32> = Vec::new();
    for (k, &(start, number)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(joined.len(), |&(s, _)| s);
        let entry = &joined[start..end];
        let Some(c) = regex!(
            r"(?is)has\s*determined\s*(?:that\s*)?(?:the\s*)?request(?:ed)?\s*(?:for\s*)?(?P<item>.+?)\s*(?:is|are)\s*(?P<not>not)?\s*medically\s*necessary"
        )
        .captures(entry) else {
            unread.extend(number);
            continue;
        };
        let item = tidy_item(&c["item"]);
        if item.is_empty() {
            continue;
        }
        let decision = if c.name("not").is_some() {
            Decision::Upheld
        } else {
            Decision::Overturned
        };
        // The same number twice is the second printing of the list; without numbers, the
        // same words are.
        let seen = number.map_or_else(|| key(&item), |n| n.to_string());
        if !found.iter().any(|f| f.0 == number && f.1 == seen) {
            found.push((number, seen, item, decision));
        }
    }
    if let Some(n) = unread
        .iter()
        .find(|&&n| !found.iter().any(|f| f.0 == Some(n)))
    {
        return Err(format!(
            "decision {n}) states no \"is (not) medically necessary\" in either printing"
        ));
    }
    if found.is_empty() {
        return Err("no numbered \"MAXIMUS Federal Services, Inc. has determined the request for ...\" decisions".to_string());
    }
    // In number order (the first printing may be cut by a page break); unnumbered ones last,
    // in text order.
    found.sort_by_key(|f| f.0.unwrap_or(u32::MAX));
    Ok(found
        .into_iter()
        .map(|(_, _, item, decision)| (item, decision))
        .collect())
}

/// "a 28 day functional restoration program" → "28 day functional restoration program".
fn tidy_item(raw: &str) -> String {
    let s = raw.trim().trim_end_matches([',', ';', ':']).trim();
    let s = regex!(r"(?i)^(?:a|an|the)\s+").replace(s, "");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Letters and digits only, lower-case: the words of an item however extraction spaced them.
fn key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// One item's part of the text after the case summary.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Section {
    pub claims: String,
    pub maximus: String,
    pub rationale: String,
}

/// Headings known to follow a case summary in the 2013 letters: where it ends when no item
/// heading is found.
fn after_summary(line: &str) -> bool {
    regex!(r"(?i)^(?:documents\s+reviewed|medical\s+treatment\s+guideline|rationale\s+for\s+the\s+decision)")
        .is_match(line)
}

/// The case summary, and the section of each item, from the lines after `Case Summary:`.
///
/// Per item where every item's numbered heading is found, in order, each repeating the first
/// words of its item; the shared text after the summary for every item otherwise (empty when
/// nothing follows the summary).
pub fn rationales(lines: &[Line<'_>], items: &[(String, Decision)]) -> (String, Vec<Section>) {
    let mut headings = Vec::with_capacity(items.len());
    let mut from = 0;
    for (k, (item, _)) in items.iter().enumerate() {
        let want: String = key(item).chars().take(24).collect();
        let at = (from..lines.len()).find(|&i| {
            let Some(c) = regex!(r"^\(?(\d{1,2})\s*[).]").captures(lines[i].text) else {
                return false;
            };
            let next = lines.get(i + 1).map_or("", |l| l.text);
            c[1].parse::<usize>().ok() == Some(k + 1)
                && key(&format!("{} {next}", lines[i].text)).contains(&want)
        });
        match at {
            Some(i) => {
                headings.push(i);
                from = i + 1;
            }
            None => break,
        }
    }
    let summary_end = |limit: usize| {
        (0..limit)
            .find(|&i| after_summary(lines[i].text))
            .unwrap_or(limit)
    };
    let text_of = |ls: &[Line<'_>]| join_lines(ls.iter().map(|l| l.text));
    if headings.len() == items.len() && !items.is_empty() {
        let end = summary_end(headings[0]);
        let summary = tidy_summary(&text_of(&lines[..end]));
        let sections = headings
            .iter()
            .enumerate()
            .map(|(k, &h)| {
                let to = headings.get(k + 1).copied().unwrap_or(lines.len());
                section(&text_of(&lines[h + 1..to]))
            })
            .collect();
        return (summary, sections);
    }
    let end = summary_end(lines.len());
    let summary = tidy_summary(&text_of(&lines[..end]));
    let shared = section(&text_of(&lines[end..]));
    (summary, vec![shared; items.len()])
}

/// The summary without its disclaimer ("Disclaimer: The following case summary was taken
/// directly from the utilization review denial/modification dated August 30, 2013."), whose
/// date is the denial's, not the injury's.
fn tidy_summary(s: &str) -> String {
    regex!(r"(?i)^disclaimer\s*:[^.]*?\bdated\s+[^.]*?\d{4}\s*\.\s*|^disclaimer\s*:[^.]*\.\s*")
        .replace(s, "")
        .into_owned()
}

/// An item's text: the guideline sentences and the rationale ("Rationale for the Decision:"
/// where the letter heads it so; all of it otherwise).
fn section(text: &str) -> Section {
    let sentence = |re: &regex::Regex| {
        re.find(text)
            .map(|m| m.as_str().trim().to_string())
            .unwrap_or_default()
    };
    let claims = sentence(regex!(
        r"(?i)\bThe\s+Claims\s+Administrator\s+(?:based|relied)[^.]*?decision\s+on\b.*?(?:\.\s|\.$|$)"
    ));
    let maximus = sentence(regex!(
        r"(?i)\bThe\s+(?:Expert|Physician|Professional)\s+Reviewer\s+(?:based|relied)[^.]*?decision\s+on\b.*?(?:\.\s|\.$|$)"
    ));
    let rationale = regex!(r"(?i)\bRationale\s+for\s+the\s+Decision\s*:\s*")
        .find(text)
        .map_or(text, |m| &text[m.end()..]);
    Section {
        claims,
        maximus,
        rationale: rationale.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glued_words_and_both_printings() {
        let list = "1) MAXIMUS Federal Services, Inc. has determined the request for a 28 day\nfunctional restoration program is notmedically necessary and appropriate.\n2) MAXIMUS Federal Services, Inc. has determined the request for Norco 10/325mg #60\nismedically necessary and appropriate.\n";
        let got = decisions(&format!("{list}A decision has been made:\n{list}")).unwrap();
        assert_eq!(
            got,
            [
                (
                    "28 day functional restoration program".to_string(),
                    Decision::Upheld
                ),
                ("Norco 10/325mg #60".to_string(), Decision::Overturned),
            ]
        );
    }

    #[test]
    fn an_entry_without_a_decision_is_an_error_not_a_lost_item() {
        let text = "1) MAXIMUS Federal Services, Inc. has determined the request for X-rays is not medically necessary.\n2) MAXIMUS Federal Services, Inc. has determined the request for an MRI\n";
        assert_eq!(
            decisions(text),
            Err("decision 2) states no \"is (not) medically necessary\" in either printing".into())
        );
        assert!(decisions("nothing here").is_err());
    }

    #[test]
    fn dates_written_after_their_words() {
        assert_eq!(dated("Dated: 9/26/2013").as_deref(), Some("2013-09-26"));
        assert_eq!(dated("Dated 9/26/2013"), None);
        assert_eq!(
            after(
                "was filed on 9/6/2013 disputing",
                regex!(r"(?i)\bfiled\s+on\s+")
            )
            .as_deref(),
            Some("2013-09-06")
        );
    }

    #[test]
    fn sections_per_item_where_headings_repeat_the_items() {
        let items = vec![
            (
                "28 day functional restoration program".to_string(),
                Decision::Upheld,
            ),
            ("Norco 10/325mg #60".to_string(), Decision::Overturned),
        ];
        let text = "Disclaimer: The following case summary was taken directly from the utilization review denial dated August 30, 2013.\nThe patient is a 44 year-old female.\nDocuments Reviewed for Determination:\nUR denial.\n1) Regarding the request for a 28 day functional\nrestoration program:\nThe Expert Reviewer based his/her decision on the MTUS.\nRationale for the Decision:\nNo program is indicated.\n2) Regarding the request for Norco 10/325mg #60:\nRationale for the Decision:\nThe opioid helps\n";
        let (summary, sections) = rationales(&lines(text), &items);
        assert_eq!(summary, "The patient is a 44 year-old female.");
        assert_eq!(sections[0].rationale, "No program is indicated.");
        assert_eq!(
            sections[0].maximus,
            "The Expert Reviewer based his/her decision on the MTUS."
        );
        assert_eq!(sections[1].rationale, "The opioid helps");
        // Without the headings, the text after the summary is every item's.
        let (_, shared) = rationales(&lines(&text[..text.find("1) ").unwrap()]), &items);
        assert_eq!(shared[0], shared[1]);
        assert_eq!(
            shared[0].rationale,
            "Documents Reviewed for Determination: UR denial."
        );
    }
}
