//! The smaller vocabularies: guideline document names and their aliases (read by the
//! citation parser), the words a query may use for a decision or a guideline source (read by
//! query understanding), how `imr similar` reads a UR denial and weighs likeness, and the
//! letter layouts' headings (read by the letter parser). Parsed once, on first use; a test
//! parses them on every `cargo test`.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A guideline document: its canonical name and every way letters write it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub name: String,
    pub aliases: Vec<String>,
}

/// `guidelines.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuidelineDocs {
    /// Section names that themselves contain commas (not split at them).
    pub multi_comma_sections: Vec<String>,
    pub mtus: Vec<Document>,
    pub odg: Vec<Document>,
}

/// `query_words.toml`: canonical value → the words that mean it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryWords {
    pub decision: BTreeMap<String, Vec<String>>,
    pub guideline: BTreeMap<String, Vec<String>>,
    /// A typed path of the `dwc` facet → the words that name it.
    pub category: BTreeMap<String, Vec<String>>,
}

/// `similar.toml`: how `imr similar` reads a UR denial and weighs what neighbours share.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimilarWords {
    pub request: RequestCues,
    pub weights: SimilarWeights,
    pub words: WordChoice,
}

/// Where a UR denial names the item it disputes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestCues {
    /// Phrases after which the item is named ("the request for").
    pub cues: Vec<String>,
    /// Where the item's name ends (" is ", " due to ").
    pub ends: Vec<String>,
    /// Phrases that follow the item's name ("was denied").
    pub after: Vec<String>,
    /// Where an item named before such a phrase begins (" and the ").
    pub begins: Vec<String>,
    pub max_chars: usize,
}

/// What each shared fact adds to a neighbour's score.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimilarWeights {
    pub treatment: f32,
    pub drug: f32,
    pub class: f32,
    pub ingredient: f32,
    pub region: f32,
    pub subcategory: f32,
    pub guideline: f32,
    /// The most the reasoning's words add (the best-matching item's share).
    pub words: f32,
}

/// Which of the reasoning's words are compared.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordChoice {
    pub max_terms: usize,
    pub max_doc_share: f32,
    pub min_docs: u64,
    /// Words about the patient or the paperwork, never compared.
    pub ignore: Vec<String>,
}

/// `layouts.toml`: what makes a text an IMR determination, and each layout's headings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layouts {
    pub imr: ImrWords,
    pub letterhead: Vec<String>,
    pub layout: Vec<LayoutHeadings>,
}

/// A text is an IMR determination when it has a phrase of each list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImrWords {
    pub review: Vec<String>,
    pub decided: Vec<String>,
}

/// One layout's headings (see layouts.toml for what each list means).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutHeadings {
    pub name: String,
    pub anchors: Vec<String>,
    #[serde(default)]
    pub header: Vec<String>,
    pub starts: Vec<String>,
    pub complete: Vec<String>,
}

const GUIDELINES_TOML: &str = include_str!("guidelines.toml");
const QUERY_WORDS_TOML: &str = include_str!("query_words.toml");
const SIMILAR_TOML: &str = include_str!("similar.toml");
const LAYOUTS_TOML: &str = include_str!("layouts.toml");

/// The guideline documents, parsed once (the bundled file is checked by a test).
pub fn guidelines() -> &'static GuidelineDocs {
    static G: OnceLock<GuidelineDocs> = OnceLock::new();
    G.get_or_init(|| {
        toml::from_str(GUIDELINES_TOML)
            .unwrap_or_else(|e| panic!("bundled src/lexicon/guidelines.toml is malformed: {e}"))
    })
}

/// The query words, parsed once (the bundled file is checked by a test).
pub fn query_words() -> &'static QueryWords {
    static W: OnceLock<QueryWords> = OnceLock::new();
    W.get_or_init(|| {
        toml::from_str(QUERY_WORDS_TOML)
            .unwrap_or_else(|e| panic!("bundled src/lexicon/query_words.toml is malformed: {e}"))
    })
}

/// `imr similar`'s reading cues and weights, parsed once (the bundled file is checked by a
/// test).
pub fn similar_words() -> &'static SimilarWords {
    static S: OnceLock<SimilarWords> = OnceLock::new();
    S.get_or_init(|| {
        toml::from_str(SIMILAR_TOML)
            .unwrap_or_else(|e| panic!("bundled src/lexicon/similar.toml is malformed: {e}"))
    })
}

/// The layouts' headings, parsed once (the bundled file is checked by a test).
pub fn layouts() -> &'static Layouts {
    static L: OnceLock<Layouts> = OnceLock::new();
    L.get_or_init(|| {
        toml::from_str(LAYOUTS_TOML)
            .unwrap_or_else(|e| panic!("bundled src/lexicon/layouts.toml is malformed: {e}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_word_files_parse() {
        toml::from_str::<GuidelineDocs>(GUIDELINES_TOML).unwrap();
        let l: Layouts = toml::from_str(LAYOUTS_TOML).unwrap();
        // Every layout but "unrecognised" is described, once, by its record name.
        let names: Vec<&str> = l.layout.iter().map(|l| l.name.as_str()).collect();
        let known: Vec<&str> = crate::record::Layout::ALL
            .iter()
            .map(|l| l.as_str())
            .filter(|n| *n != "unrecognised")
            .collect();
        assert_eq!(names, known);
        assert!(l
            .layout
            .iter()
            .all(|l| !l.anchors.is_empty() && !l.starts.is_empty() && !l.complete.is_empty()));
        let w: QueryWords = toml::from_str(QUERY_WORDS_TOML).unwrap();
        assert_eq!(
            w.decision.keys().collect::<Vec<_>>(),
            ["overturned", "upheld"]
        );
        let s: SimilarWords = toml::from_str(SIMILAR_TOML).unwrap();
        assert!(s.request.cues.iter().all(|c| *c == c.to_lowercase()));
        let r = &s.request;
        assert!([&r.ends, &r.after, &r.begins]
            .iter()
            .all(|l| l.iter().all(|c| *c == c.to_lowercase())));
        assert!(s.words.max_doc_share > 0.0 && s.words.max_doc_share <= 1.0);
        // The facts must outweigh the words (the ranking's promise).
        assert!(s.weights.treatment > s.weights.words && s.weights.drug > s.weights.words);
    }
}
