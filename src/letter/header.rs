//! The header table (2016 on): case number, five dates, priority.
//!
//! `pdftotext` prints the labels of a column first and the values after them; `-layout`
//! keeps each label beside its value. In both, the k-th date label and the k-th date value
//! read in text order belong together, so dates are paired by rank, never by adjacency.

use super::dates;
use crate::record::LetterHeader;
use regex::Regex;
use std::sync::OnceLock;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Label {
    CaseNumber,
    DateAssigned,
    DecisionDate,
    Priority,
    DateOfInjury,
    UrDenialDate,
    ApplicationReceived,
}

fn label_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)\b(?:(?P<case>case\s+number)|(?P<assigned>date\s+assigned)|(?P<decision>decision\s+date)|(?P<priority>priority)|(?P<injury>date\s+of\s+injury)|(?P<ur>ur\s+denial\s+date)|(?P<app>application(?:\s+received)?))\s*:|\b(?P<app2>application)\b|\breceived\s*:",
        )
        .expect("static header regex")
    })
}

fn case_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\b(?:CM\d{2}-\d{7}|IMR\s?\d{2}-\d{6,7})\b").expect("static case regex")
    })
}

/// A case number anywhere in `text` (also used on file names).
pub fn find_case_number(text: &str) -> Option<String> {
    case_regex().find(text).map(|m| m.as_str().to_string())
}

/// Parses the header block: the text before "HOW THE IMR FINAL DETERMINATION WAS MADE".
pub fn parse_header(block: &str) -> LetterHeader {
    let mut labels: Vec<(usize, usize, Label)> = Vec::new();
    for caps in label_regex().captures_iter(block) {
        let m = caps.get(0).expect("whole match");
        let label = if caps.name("case").is_some() {
            Label::CaseNumber
        } else if caps.name("assigned").is_some() {
            Label::DateAssigned
        } else if caps.name("decision").is_some() {
            Label::DecisionDate
        } else if caps.name("priority").is_some() {
            Label::Priority
        } else if caps.name("injury").is_some() {
            Label::DateOfInjury
        } else if caps.name("ur").is_some() {
            Label::UrDenialDate
        } else if caps.name("app").is_some() || caps.name("app2").is_some() {
            Label::ApplicationReceived
        } else {
            // A lone "Received:" finishes a wrapped "Application" label already counted.
            continue;
        };
        if label == Label::ApplicationReceived
            && labels.iter().any(|l| l.2 == Label::ApplicationReceived)
        {
            continue;
        }
        labels.push((m.start(), m.end(), label));
    }

    // Values are whatever is not a label.
    let mut masked = block.to_string();
    for caps in label_regex().captures_iter(block) {
        let m = caps.get(0).expect("whole match");
        masked.replace_range(m.range(), &" ".repeat(m.len()));
    }

    let mut header = LetterHeader {
        case_number: find_case_number(&masked)
            .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" ")),
        ..LetterHeader::default()
    };
    static PRIORITY: OnceLock<Regex> = OnceLock::new();
    let priority = PRIORITY.get_or_init(|| {
        Regex::new(r"(?i)\b(standard|expedited)\b").expect("static priority regex")
    });
    if labels.iter().any(|l| l.2 == Label::Priority) {
        header.priority = priority.find(&masked).map(|m| {
            let p = m.as_str().to_ascii_lowercase();
            if p == "standard" {
                "Standard"
            } else {
                "Expedited"
            }
            .to_string()
        });
    }

    let date_labels: Vec<Label> = labels
        .iter()
        .map(|l| l.2)
        .filter(|l| !matches!(l, Label::CaseNumber | Label::Priority))
        .collect();
    let date_values: Vec<Option<String>> = dates::date_regex()
        .captures_iter(&masked)
        .filter(|c| c.name("mon").is_none())
        .map(|c| dates::from_captures(&c))
        .collect();
    if date_labels.len() == date_values.len() {
        for (label, value) in date_labels.into_iter().zip(date_values) {
            let slot = match label {
                Label::DateAssigned => &mut header.date_assigned,
                Label::DecisionDate => &mut header.decision_date,
                Label::DateOfInjury => &mut header.date_of_injury,
                Label::UrDenialDate => &mut header.ur_denial_date,
                Label::ApplicationReceived => &mut header.application_received,
                Label::CaseNumber | Label::Priority => continue,
            };
            *slot = value;
        }
    } else {
        // Labels and values out of step (a date left blank): trust only a value on the
        // label's own line, right after it.
        for (_, end, label) in &labels {
            let line_end = block[*end..].find('\n').map_or(block.len(), |i| end + i);
            let Some(caps) = dates::date_regex().captures(&masked[*end..line_end]) else {
                continue;
            };
            if caps.get(0).is_some_and(|m| m.start() > 40) {
                continue;
            }
            let value = dates::from_captures(&caps);
            match label {
                Label::DateAssigned => header.date_assigned = value,
                Label::DecisionDate => header.decision_date = value,
                Label::DateOfInjury => header.date_of_injury = value,
                Label::UrDenialDate => header.ur_denial_date = value,
                Label::ApplicationReceived => header.application_received = value,
                Label::CaseNumber | Label::Priority => {}
            }
        }
    }
    header
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: &str = "Case Number:\nDate Assigned:\nDecision Date:\nPriority:\n\nCM16-0213037\n11/09/2016\n12/09/2016\nStandard\n\nDate of Injury:\nUR Denial Date:\nApplication\nReceived:\n\n10/13/2016\n11/03/2016\n11/04/2016\n\n";
    const LAYOUT: &str = "Case Number:          CM16-0213037\nDate Assigned:        11/09/2016                      Date of Injury:      10/13/2016\nDecision Date:        12/09/2016                      UR Denial Date:      11/03/2016\nPriority:             Standard                        Application          11/04/2016\n                                                      Received:\n";

    fn expected() -> LetterHeader {
        LetterHeader {
            case_number: Some("CM16-0213037".into()),
            date_assigned: Some("2016-11-09".into()),
            decision_date: Some("2016-12-09".into()),
            date_of_injury: Some("2016-10-13".into()),
            ur_denial_date: Some("2016-11-03".into()),
            application_received: Some("2016-11-04".into()),
            priority: Some("Standard".into()),
        }
    }

    #[test]
    fn plain_pdftotext_header() {
        assert_eq!(parse_header(PLAIN), expected());
    }

    #[test]
    fn layout_header() {
        assert_eq!(parse_header(LAYOUT), expected());
    }

    #[test]
    fn label_value_pairs_in_any_order() {
        let text = "Case Number: CM17-0009441\nDate of Injury: 10/18/2016\nDate Assigned: 01/19/2017\nUR Denial Date: 12/21/2016\nDecision Date: 02/16/2017\nApplication Received: 01/13/2017\nPriority: Expedited\n";
        let h = parse_header(text);
        assert_eq!(h.case_number.as_deref(), Some("CM17-0009441"));
        assert_eq!(h.date_of_injury.as_deref(), Some("2016-10-18"));
        assert_eq!(h.date_assigned.as_deref(), Some("2017-01-19"));
        assert_eq!(h.ur_denial_date.as_deref(), Some("2016-12-21"));
        assert_eq!(h.decision_date.as_deref(), Some("2017-02-16"));
        assert_eq!(h.application_received.as_deref(), Some("2017-01-13"));
        assert_eq!(h.priority.as_deref(), Some("Expedited"));
    }

    #[test]
    fn old_case_numbers() {
        assert_eq!(
            find_case_number("IMR 13-000004 x").as_deref(),
            Some("IMR 13-000004")
        );
        assert_eq!(
            find_case_number("CM16-0213037.txt").as_deref(),
            Some("CM16-0213037")
        );
    }
}
