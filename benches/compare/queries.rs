//! The fixed query set, and what each query means to each engine.
//!
//! A query is what a user types into `imr search` (plus, for browsing, the filter flags).
//! imr reads it with its own query understanding. FTS5 gets the same meaning written in its
//! terms, derived from imr's understanding (`imr_search::search::query::understand`): every
//! recognised drug, class and decision becomes a column filter, every concept an OR of its
//! phrasings, every other word a term that must match; so both engines answer the same
//! question and their totals can be compared. Raw tantivy has no fields to filter on: it gets
//! the words as typed, every word required.

use imr_search::lexicon::Lexicon;
use imr_search::search::query::understand;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Plain words.
    Text,
    /// Words imr turns into filters: "Norco upheld urine drug screen".
    FacetWords,
    /// A quoted phrase.
    Phrase,
    /// Filters only, newest first.
    Browse,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Text => "free text",
            Kind::FacetWords => "facet words",
            Kind::Phrase => "phrase",
            Kind::Browse => "filter-only browse",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Spec {
    pub kind: Kind,
    /// What the user types (empty for browsing).
    pub query: &'static str,
    /// Browsing filters, as `imr search` flags take them.
    pub decision: Option<&'static str>,
    pub category: Option<&'static str>,
    pub medication: Option<&'static str>,
    /// Raw tantivy's stand-in for a browse (it cannot filter): the filter values as words.
    pub raw_words: Option<&'static str>,
}

const fn q(kind: Kind, query: &'static str) -> Spec {
    Spec {
        kind,
        query,
        decision: None,
        category: None,
        medication: None,
        raw_words: None,
    }
}

const fn browse(
    decision: Option<&'static str>,
    category: Option<&'static str>,
    medication: Option<&'static str>,
    raw_words: &'static str,
) -> Spec {
    Spec {
        kind: Kind::Browse,
        query: "",
        decision,
        category,
        medication,
        raw_words: Some(raw_words),
    }
}

/// The mixed set: 6 free text, 8 facet-word, 4 phrase, 4 browse.
pub fn set() -> Vec<Spec> {
    vec![
        q(Kind::Text, "lumbar MRI radiculopathy"),
        q(Kind::Text, "acupuncture neck pain"),
        q(Kind::Text, "TENS unit trial"),
        q(Kind::Text, "home health aide"),
        q(Kind::Text, "epidural steroid injection radicular pain"),
        q(Kind::Text, "knee MRI"),
        q(Kind::FacetWords, "Norco upheld urine drug screen"),
        q(Kind::FacetWords, "cyclobenzaprine overturned"),
        q(Kind::FacetWords, "physical therapy overturned"),
        q(Kind::FacetWords, "Lidoderm upheld"),
        q(Kind::FacetWords, "tramadol upheld functional improvement"),
        q(Kind::FacetWords, "gabapentin neuropathic pain overturned"),
        q(Kind::FacetWords, "functional improvement opioids"),
        q(Kind::FacetWords, "muscle relaxants upheld"),
        q(Kind::Phrase, "\"urine drug screen\""),
        q(Kind::Phrase, "\"epidural steroid injection\""),
        q(Kind::Phrase, "\"functional restoration program\""),
        q(Kind::Phrase, "\"not medically necessary\""),
        browse(Some("overturned"), Some("imaging"), None, "overturned MRI"),
        browse(None, Some("surgery"), None, "surgery"),
        browse(Some("overturned"), None, None, "overturned"),
        browse(None, None, Some("Norco"), "Norco"),
    ]
}

/// The query the end-to-end CLI timing runs: the issue's own example.
pub const CLI_QUERY: usize = 6;

/// A query in FTS5's terms: a MATCH expression (None: browse) and column filters on the
/// `meta` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fts {
    pub matches: Option<String>,
    /// SQL conditions on `m` (the meta table), already quoted.
    pub conditions: Vec<String>,
}

fn quote_fts(phrase: &str) -> String {
    format!("\"{}\"", phrase.replace('"', "\"\""))
}

fn quote_sql(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

impl Spec {
    pub fn label(&self) -> String {
        if self.kind != Kind::Browse {
            return self.query.to_string();
        }
        let mut parts = Vec::new();
        if let Some(d) = self.decision {
            parts.push(format!("--decision {d}"));
        }
        if let Some(c) = self.category {
            parts.push(format!("--category {c}"));
        }
        if let Some(m) = self.medication {
            parts.push(format!("--medication {m}"));
        }
        parts.join(" ")
    }

    /// The words raw tantivy searches.
    pub fn raw(&self) -> &str {
        self.raw_words.unwrap_or(self.query)
    }

    pub fn fts(&self) -> Fts {
        let lex = Lexicon::get();
        let mut conditions = Vec::new();
        if let Some(d) = self.decision {
            conditions.push(format!("m.decision = {}", quote_sql(d)));
        }
        if let Some(c) = self.category {
            conditions.push(format!("m.category = {}", quote_sql(c)));
        }
        if let Some(m) = self.medication {
            let generic = lex.drug(m).map_or(m.to_lowercase(), |d| d.generic.clone());
            conditions.push(format!("m.generic = {}", quote_sql(&generic)));
        }
        if self.query.is_empty() {
            return Fts {
                matches: None,
                conditions,
            };
        }
        let u = understand(self.query, false);
        if let Some(syntax) = u.syntax {
            return Fts {
                matches: Some(syntax),
                conditions,
            };
        }
        if let Some(d) = u.decision {
            conditions.push(format!("m.decision = {}", quote_sql(d.as_str())));
        }
        let list = |v: &[String]| {
            v.iter()
                .map(|s| quote_sql(s))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !u.medications.is_empty() {
            conditions.push(format!("m.generic IN ({})", list(&u.medications)));
        }
        if !u.classes.is_empty() {
            conditions.push(format!("m.class IN ({})", list(&u.classes)));
        }
        let mut terms: Vec<String> = u
            .concepts
            .iter()
            .map(|group| {
                let alts: Vec<String> = group.iter().map(|p| quote_fts(p)).collect();
                format!("({})", alts.join(" OR "))
            })
            .collect();
        terms.extend(u.text.iter().map(|w| quote_fts(w)));
        Fts {
            matches: (!terms.is_empty()).then(|| terms.join(" AND ")),
            conditions,
        }
    }
}
