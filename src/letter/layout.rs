//! Which of DWC's templates a letter is in, from the headings only that template has
//! (src/lexicon/layouts.toml), and whether a text is an IMR determination at all.

use crate::lexicon::layouts;
use crate::record::Layout;
use regex::Regex;
use std::sync::OnceLock;

/// A heading or phrase as a pattern: case-insensitive, any whitespace between words (headings
/// break across lines), optional space after '/' and '(' and before ')'.
pub fn phrase_regex(phrase: &str) -> Regex {
    let words: Vec<String> = phrase
        .split_whitespace()
        .map(|w| {
            regex::escape(w)
                .replace('/', r"/\s*")
                .replace(r"\(", r"\(\s*")
                .replace(r"\)", r"\s*\)")
        })
        .collect();
    // A phrase that starts or ends with a letter matches whole words only: "IMR" is not
    // the inside of another word.
    let lead = if phrase.starts_with(|c: char| c.is_alphanumeric()) {
        r"\b"
    } else {
        ""
    };
    let tail = if phrase.ends_with(|c: char| c.is_alphanumeric()) {
        r"\b"
    } else {
        ""
    };
    Regex::new(&format!("(?i){lead}{}{tail}", words.join(r"\s+")))
        .unwrap_or_else(|e| panic!("layouts.toml phrase {phrase:?} is not a pattern: {e}"))
}

/// One layout's compiled headings.
pub struct Headings {
    pub layout: Layout,
    pub anchors: Vec<Regex>,
    pub header: Vec<Regex>,
    pub starts: Vec<Regex>,
    pub complete: Vec<Regex>,
}

/// Everything layouts.toml says, compiled once.
pub struct Compiled {
    pub review: Vec<Regex>,
    pub decided: Vec<Regex>,
    pub letterhead: Vec<Regex>,
    pub layouts: Vec<Headings>,
}

fn compile(phrases: &[String]) -> Vec<Regex> {
    phrases.iter().map(|p| phrase_regex(p)).collect()
}

/// The compiled layouts (panics only if the bundled file is malformed, which a unit test
/// rules out).
pub fn compiled() -> &'static Compiled {
    static C: OnceLock<Compiled> = OnceLock::new();
    C.get_or_init(|| {
        let l = layouts();
        Compiled {
            review: compile(&l.imr.review),
            decided: compile(&l.imr.decided),
            letterhead: compile(&l.letterhead),
            layouts: l
                .layout
                .iter()
                .map(|h| Headings {
                    layout: Layout::ALL
                        .into_iter()
                        .find(|x| x.as_str() == h.name)
                        .unwrap_or_else(|| panic!("layouts.toml: no layout named {}", h.name)),
                    anchors: compile(&h.anchors),
                    header: compile(&h.header),
                    starts: compile(&h.starts),
                    complete: compile(&h.complete),
                })
                .collect(),
        }
    })
}

/// The layout a letter's text is in: the first layout (in layouts.toml's order) one of whose
/// anchors the text holds, with its header labels (if it has any) before that anchor. None
/// when no layout's anchor is there.
pub fn detect(text: &str) -> Option<Layout> {
    compiled().layouts.iter().find_map(|h| {
        let anchor = h
            .anchors
            .iter()
            .filter_map(|a| a.find(text))
            .min_by_key(|m| m.start())?;
        let before = &text[..anchor.start()];
        h.header
            .iter()
            .all(|l| l.is_match(before))
            .then_some(h.layout)
    })
}

/// Whether a text is recognisably an IMR determination: it names the review (MAXIMUS,
/// Independent Medical Review, IMR) and says something was determined.
pub fn is_imr(text: &str) -> bool {
    let c = compiled();
    c.review.iter().any(|r| r.is_match(text)) && c.decided.iter().any(|r| r.is_match(text))
}

/// Whether `text` holds every `complete` heading of its layout, in order: a letter that has
/// written its first decision.
pub fn is_complete(layout: Layout, text: &str) -> bool {
    let Some(h) = compiled().layouts.iter().find(|h| h.layout == layout) else {
        return false;
    };
    let mut at = 0;
    for r in &h.complete {
        match r.find(&text[at..]) {
            Some(m) => at += m.end(),
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_break_across_lines_and_keep_their_words_whole() {
        let r = phrase_regex("IMR DECISION(S) AND RATIONALE(S)");
        assert!(r.is_match("IMR DECISION( S) AND\nRATIONALE(S)"));
        assert!(!r.is_match("IMR ISSUES, DECISIONS AND RATIONALES"));
        let r = phrase_regex("RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE");
        assert!(r.is_match("RATIONALE FOR WHY THE\nREQUESTED TREATMENT/ SERVICE IS/WAS"));
        assert!(!phrase_regex("IMR").is_match("PRIMROSE"));
    }

    #[test]
    fn each_layout_by_its_anchor() {
        let sections =
            "HOW THE IMR FINAL DETERMINATION WAS MADE\nx\nIMR ISSUES, DECISIONS AND\nRATIONALES\n";
        assert_eq!(detect(sections), Some(Layout::NoHeader2014));
        assert_eq!(
            detect(&format!("Case Number:\nCM16-0000001\n{sections}")),
            Some(Layout::Header2016)
        );
        assert_eq!(
            detect("MAXIMUS FEDERAL SERVICES, INC.\nNotice of Independent Medical\nReview Determination\nDated: 9/26/2013"),
            Some(Layout::Notice2013)
        );
        assert_eq!(
            detect("UR Denial Date: 8/30/2013\nCLINICAL CASE SUMMARY\nIMR DECISION(S) AND RATIONALE(S)\n"),
            Some(Layout::Decisions2013)
        );
        assert_eq!(
            detect("MEDICAL PROFESSIONAL\nREVIEW\nISSUE AT DISPUTE:\nMRI"),
            Some(Layout::ProfessionalReview2013)
        );
        assert_eq!(detect("MAXIMUS Federal Services determined"), None);
    }

    #[test]
    fn imr_wording() {
        assert!(is_imr(
            "MAXIMUS Federal Services has determined the request"
        ));
        assert!(is_imr(
            "An Independent Medical Review found it not medically necessary"
        ));
        assert!(!is_imr("Meeting notes\nNothing to see here."));
        assert!(!is_imr("Independent Medical Review: a brochure"));
    }
}
