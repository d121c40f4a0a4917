//! The smaller vocabularies: guideline document names and their aliases (read by the
//! citation parser), the words a query may use for a decision or a guideline source (read
//! by query understanding), and the letter layouts' headings (read by the letter parser). Parsed once, on first use; a test parses them on every `cargo
//! test`.

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
    }
}
