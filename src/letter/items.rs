//! The "IMR ISSUES, DECISIONS AND RATIONALES" section → one block per disputed item.
//!
//! Every block is `<item>: Upheld|Overturned`, `Claims Administrator guideline:`, `MAXIMUS
//! guideline:`, `Decision rationale:`. The three labels are reliable anchors; the item name is
//! not: it wraps, it can start on the last line of the previous rationale, and a partial
//! approval wraps it in two sentences of preamble. So the anchors are found first and the
//! text between one rationale and the next anchor is split into "rest of the previous
//! rationale" and "this item's name".

use super::text::{join_lines, Line};
use crate::record::Decision;
use regex::Regex;
use std::sync::OnceLock;

/// One item block with its fields as text, before citations and lexicon are applied.
#[derive(Debug, Clone, PartialEq)]
pub struct RawItem {
    pub item: String,
    pub decision: Decision,
    pub original_request: Option<String>,
    pub claims_administrator_guideline: String,
    pub maximus_guideline: String,
    pub rationale: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anchor {
    ClaimsAdministrator,
    Maximus,
    Rationale,
}

const CA_LABEL: &str = "claims administrator guideline";
const MAXIMUS_LABEL: &str = "maximus guideline";
const RATIONALE_LABEL: &str = "decision rationale";

/// A wrapped item name is never longer than this many lines.
const MAX_HEAD_LINES: usize = 6;

fn anchor(line: &str) -> Option<(Anchor, &str)> {
    let lower_prefix = |label: &str| -> Option<&str> {
        let head = line.get(..label.len())?;
        if !head.eq_ignore_ascii_case(label) {
            return None;
        }
        line[label.len()..].trim_start().strip_prefix(':')
    };
    if let Some(rest) = lower_prefix(CA_LABEL) {
        Some((Anchor::ClaimsAdministrator, rest))
    } else if let Some(rest) = lower_prefix(MAXIMUS_LABEL) {
        Some((Anchor::Maximus, rest))
    } else {
        lower_prefix(RATIONALE_LABEL).map(|rest| (Anchor::Rationale, rest))
    }
}

fn decision_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?is)^(?P<name>.*?)[\s:]*\b(?P<d>upheld|overturned)\s*\.?$")
            .expect("static decision regex")
    })
}

/// A line that ends a sentence, so that the next line starts something new. Not ':': item
/// names wrap after one ("Lidoderm patch ..., DOS:" / "11/11/2016: Upheld").
fn ends_sentence(line: &str) -> bool {
    // "... (see the MTUS, page 80.)" ends a sentence too.
    let l = line.trim_end_matches(['"', '\u{201d}', '\'', ' ', ')']);
    l.ends_with(['.', '?', '!'])
}

/// The sentence that opens a partial approval: "X was the original request." or "X was
/// modified to Y by the Claims Administrator, ...".
fn opens_partial(line: &str) -> bool {
    let l = line.to_ascii_lowercase();
    l.contains("was the original request")
        || l.contains("was modified to")
        || l.contains("were modified to")
}

fn is_lone_decision(line: &str) -> bool {
    let l = line.trim_end_matches('.').trim();
    l.eq_ignore_ascii_case("upheld") || l.eq_ignore_ascii_case("overturned")
}

/// Text that reads as the end of a rationale: where the name shares a line with it.
fn rationale_tail_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r#"(?i)\b(?:necessary|recommended|indicated|supported|warranted|appropriate|certified|guidelines?|eligible)["\u{201d}]?\s*\.\)?["\u{201d}]?\s+"#,
        )
        .expect("static tail regex")
    })
}

/// Where, in a joined head, the previous rationale ends: after the last sentence that reads
/// as a rationale's conclusion ("... not medically necessary.") and is not itself part of a
/// partial approval's preamble ("... leaving the original request IMR eligible.").
fn rationale_end(head: &str) -> Option<usize> {
    rationale_tail_regex()
        .find_iter(head)
        .filter(|m| m.end() < head.len())
        .filter(|m| {
            let sentence_start = head[..m.start()].rfind(". ").map_or(0, |i| i + 2);
            !is_partial_marker(&head[sentence_start..m.start()])
        })
        .last()
        .map(|m| m.end())
}

fn partial_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)(?:remaining\s+IMR\s+eligible\s+portion\s+of\s+the\s+original\s+request|\bthe\s+original\s+request)\s*,\s*")
            .expect("static partial regex")
    })
}

fn is_partial_marker(line: &str) -> bool {
    let l = line.to_ascii_lowercase();
    l.contains("original request") || l.contains("authorized by the") || l.contains("imr eligible")
}

/// Splits the lines between two anchors into the previous rationale's tail and the item
/// head. Returns (tail, head) as joined text.
fn split_head(free: &[Line<'_>]) -> (String, String) {
    if free.is_empty() {
        return (String::new(), String::new());
    }
    let d = free.len() - 1;
    let mut s = d;
    if is_lone_decision(free[d].text) && d > 0 {
        s = d - 1;
    }
    while s > 0 && !ends_sentence(free[s - 1].text) && d - s < MAX_HEAD_LINES {
        s -= 1;
    }
    // A partial approval's preamble is sentences, each of which may end a line: walk back
    // to the sentence that opens it ("... was the original request", "... was modified to").
    let head_has_partial = free[s..=d].iter().any(|l| is_partial_marker(l.text));
    if head_has_partial && !free[s..=d].iter().any(|l| opens_partial(l.text)) {
        let mut p = s;
        while p > 0 && d - p < MAX_HEAD_LINES + 4 && !opens_partial(free[p].text) {
            p -= 1;
        }
        if opens_partial(free[p].text) {
            s = p;
            // The request's name may begin on earlier lines ("Acute inpatient ... for left /
            // foot fracture was the original request").
            while s > 0 && !ends_sentence(free[s - 1].text) && d - s < MAX_HEAD_LINES + 6 {
                s -= 1;
            }
        }
    }
    let tail = join_lines(free[..s].iter().map(|l| l.text));
    let head = join_lines(free[s..=d].iter().map(|l| l.text));
    // The name starting on the rationale's last line: "...not medically necessary. MRI of".
    match rationale_end(&head) {
        Some(at) => (
            join_lines([tail.as_str(), &head[..at]]),
            head[at..].to_string(),
        ),
        None => (tail, head),
    }
}

/// The items of a section, and the cut after the last of them when the text was cut short.
#[derive(Debug, Clone, PartialEq)]
pub struct Items {
    /// Every complete item, in order; never empty.
    pub items: Vec<RawItem>,
    /// Why the text after the last complete item is taken for a cut ("truncated in item 3:
    /// no \"Decision rationale:\" line"); None when the section ends with a complete item.
    pub cut: Option<String>,
}

/// Parses the disputed-items section (lines after "set forth below:"). A section cut short
/// keeps every complete item before the cut (`Items::cut` says where); an error is a section
/// whose items cannot be split at all, or whose first item is already cut.
pub fn parse_items(lines: &[Line<'_>]) -> Result<Items, String> {
    let anchors: Vec<(usize, Anchor, &str)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| anchor(l.text).map(|(a, rest)| (i, a, rest)))
        .collect();
    if anchors.is_empty() {
        return Err(
            "no disputed items found (no \"MAXIMUS guideline:\" or \"Decision rationale:\" lines)"
                .into(),
        );
    }

    struct Block {
        head_end: usize,
        ca: Option<usize>,
        maximus: Option<usize>,
        rationale: Option<usize>,
    }
    let mut blocks: Vec<Block> = Vec::new();
    for &(i, a, _) in &anchors {
        let start_new = match blocks.last() {
            None => true,
            Some(b) => b.rationale.is_some(),
        };
        if start_new {
            if a == Anchor::Rationale {
                return Err(format!(
                    "item {}: \"Decision rationale:\" without a \"MAXIMUS guideline:\" line before it",
                    blocks.len() + 1
                ));
            }
            blocks.push(Block {
                head_end: i,
                ca: None,
                maximus: None,
                rationale: None,
            });
        }
        let n = blocks.len();
        let b = blocks.last_mut().expect("pushed above");
        let slot = match a {
            Anchor::ClaimsAdministrator if b.maximus.is_none() => &mut b.ca,
            Anchor::Maximus => &mut b.maximus,
            Anchor::Rationale if b.maximus.is_some() => &mut b.rationale,
            Anchor::Rationale => {
                return Err(format!(
                    "item {n}: \"Decision rationale:\" without a \"MAXIMUS guideline:\" line before it"
                ))
            }
            Anchor::ClaimsAdministrator => {
                return Err(format!(
                    "item {n}: \"Claims Administrator guideline:\" after its \"MAXIMUS guideline:\" line"
                ))
            }
        };
        if slot.is_some() {
            return Err(format!("item {n}: two \"{}\" lines", label_of(a)));
        }
        *slot = Some(i);
    }

    let field = |from: usize, to: usize| -> String {
        let (_, rest) = anchor(lines[from].text).unwrap_or((Anchor::Rationale, lines[from].text));
        join_lines(std::iter::once(rest).chain(lines[from + 1..to].iter().map(|l| l.text)))
    };

    let mut items: Vec<RawItem> = Vec::with_capacity(blocks.len());
    let mut free_start = 0;
    let mut prev_rationale: Option<usize> = None;
    let mut cut = None;
    for (k, b) in blocks.iter().enumerate() {
        let n = k + 1;
        let (tail, head) = split_head(&lines[free_start..b.head_end]);
        // The previous rationale runs to this item's head, known only now.
        if let (Some(r), Some(prev)) = (prev_rationale, items.last_mut()) {
            prev.rationale = join_lines([field(r, r + 1).as_str(), tail.as_str()]);
        }
        // Only the last block can lack its lines: every earlier one was closed by its
        // "Decision rationale:". The text stops inside this item: a cut.
        let (Some(maximus), Some(rationale)) = (b.maximus, b.rationale) else {
            let missing = if b.maximus.is_none() {
                "MAXIMUS guideline:"
            } else {
                "Decision rationale:"
            };
            cut = Some(format!("truncated in item {n}: no \"{missing}\" line"));
            prev_rationale = None;
            break;
        };
        let caps = decision_regex().captures(&head).ok_or_else(|| {
            let start = head.char_indices().rev().nth(59).map_or(0, |(i, _)| i);
            format!(
                "item {n}: no \"Upheld\" or \"Overturned\" decision before its guideline lines (found \"{}\")",
                &head[start..]
            )
        })?;
        let decision = if caps["d"].eq_ignore_ascii_case("upheld") {
            Decision::Upheld
        } else {
            Decision::Overturned
        };
        let name = caps["name"].trim().trim_end_matches(':').trim();
        let (item, original_request) = reduce_partial(name);
        let item = capitalize_first(item);
        if item.is_empty() {
            return Err(format!("item {n}: the item name is empty"));
        }
        items.push(RawItem {
            item,
            decision,
            original_request,
            claims_administrator_guideline: b.ca.map(|c| field(c, maximus)).unwrap_or_default(),
            maximus_guideline: field(maximus, rationale),
            rationale: String::new(),
        });
        prev_rationale = Some(rationale);
        free_start = rationale + 1;
    }
    // The last rationale runs to the end of the section, or to where the text was cut: a
    // decision line with no guideline lines after it, or a label left unfinished on the last
    // line. A rationale that simply ends without a period is complete (letters do end so).
    let n = items.len();
    if let (Some(r), Some(last)) = (prev_rationale, items.last_mut()) {
        let rest = &lines[r + 1..];
        let decision_at = (0..rest.len()).find(|&j| {
            is_decision_line(rest[j].text)
                || (j > 0 && is_lone_decision(rest[j].text) && rest[j - 1].text.ends_with(':'))
        });
        let end = if let Some(j) = decision_at {
            cut = Some(format!(
                "truncated in item {}: a decision with no guideline or rationale lines after it",
                n + 1
            ));
            let (tail, _) = split_head(&rest[..=j]);
            last.rationale = join_lines([field(r, r + 1).as_str(), tail.as_str()]);
            None
        } else if rest.last().is_some_and(|l| is_partial_label(l.text)) {
            cut = Some(format!(
                "truncated after item {n}: the text ends inside a label (\"{}\")",
                rest[rest.len() - 1].text
            ));
            Some(lines.len() - 1)
        } else {
            Some(lines.len())
        };
        if let Some(end) = end {
            last.rationale = field(r, end);
        }
    }
    if items.is_empty() {
        return Err(cut.unwrap_or_else(|| "no complete item".to_string()));
    }
    Ok(Items { items, cut })
}

/// "<item>: Upheld" on a line after the last rationale: the next item began and was cut.
fn is_decision_line(line: &str) -> bool {
    line.contains(':') && decision_regex().is_match(line)
}

/// The last line is the beginning of a label ("MAXIMUS guide", "Claims Administrator"):
/// the text was cut in the middle of the next item's lines.
fn is_partial_label(line: &str) -> bool {
    let l = line.trim_end_matches(':').trim();
    l.len() >= 7
        && [CA_LABEL, MAXIMUS_LABEL, RATIONALE_LABEL]
            .iter()
            .any(|label| label.len() >= l.len() && label[..l.len()].eq_ignore_ascii_case(l))
}

/// "purchase of a bedside commode" (cut from mid-sentence) → "Purchase of a bedside commode".
fn capitalize_first(s: String) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_lowercase() => c.to_uppercase().chain(chars).collect(),
        _ => s,
    }
}

fn label_of(a: Anchor) -> &'static str {
    match a {
        Anchor::ClaimsAdministrator => "Claims Administrator guideline:",
        Anchor::Maximus => "MAXIMUS guideline:",
        Anchor::Rationale => "Decision rationale:",
    }
}

/// "X was the original request. Y was authorized ... The remaining IMR eligible portion of
/// the original request, Z is" → (Z, Some(preamble)).
fn reduce_partial(name: &str) -> (String, Option<String>) {
    let Some(m) = partial_regex().find_iter(name).last() else {
        return (name.to_string(), None);
    };
    let item = name[m.end()..].trim();
    let item = item
        .strip_suffix(" is")
        .or_else(|| item.strip_suffix(" are"))
        .unwrap_or(item)
        .trim()
        .to_string();
    let preamble = name[..m.start()].trim();
    // The preamble ends with "The" of "The remaining ..." or "The original request": drop it.
    let preamble = preamble
        .strip_suffix("The")
        .or_else(|| preamble.strip_suffix("the"))
        .unwrap_or(preamble)
        .trim()
        .to_string();
    (item, (!preamble.is_empty()).then_some(preamble))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letter::text::lines;

    const BLOCK: &str = "Claims Administrator guideline: Decision based on MTUS.\nMAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): Opioids.\n";

    fn parse(section: &str) -> Vec<RawItem> {
        let got = parse_items(&lines(section)).unwrap();
        assert_eq!(got.cut, None);
        got.items
    }

    /// Found by the corpus generator: the name begins on the rationale's last line, after a
    /// sentence that wrapped.
    #[test]
    fn name_on_the_last_line_of_a_wrapped_rationale() {
        let items = parse(&format!(
            "Norco 10/325mg #60: Upheld\n{BLOCK}Decision rationale: There is no documentation of functional improvement with the\ncurrent regimen and no recent urine drug screen. Therefore, the request is not\nmedically necessary. MRI of the lumbar\nspine: Upheld\n{BLOCK}Decision rationale: No red flags. The request is not medically necessary.\n"
        ));
        assert_eq!(items[1].item, "MRI of the lumbar spine");
        assert!(
            items[0]
                .rationale
                .ends_with("urine drug screen. Therefore, the request is not medically necessary."),
            "{}",
            items[0].rationale
        );
    }

    #[test]
    fn modified_request_preamble() {
        let items = parse(&format!(
            "Norco 10/325mg #60: Upheld\n{BLOCK}Decision rationale: The request is not medically necessary.\nChiropractic treatment eight visits was modified to Chiropractic treatment six visits by the\nClaims Administrator, leaving the original request IMR eligible.\nThe original request, Chiropractic treatment eight visits is: Upheld\n{BLOCK}Decision rationale: The request is not medically necessary.\n"
        ));
        assert_eq!(items[1].item, "Chiropractic treatment eight visits");
        assert_eq!(
            items[1].original_request.as_deref(),
            Some("Chiropractic treatment eight visits was modified to Chiropractic treatment six visits by the Claims Administrator, leaving the original request IMR eligible.")
        );
        assert_eq!(
            items[0].rationale,
            "The request is not medically necessary."
        );
    }

    #[test]
    fn rationale_ending_in_a_parenthesis() {
        let items = parse(&format!(
            "Norco 10/325mg #60: Upheld\n{BLOCK}Decision rationale: The request is not medically necessary (see the MTUS,\npage 80.)\nMRI of the lumbar spine: Upheld\n{BLOCK}Decision rationale: The request is not medically necessary.\n"
        ));
        assert_eq!(items[1].item, "MRI of the lumbar spine");
        assert_eq!(
            items[0].rationale,
            "The request is not medically necessary (see the MTUS, page 80.)"
        );
    }
}
