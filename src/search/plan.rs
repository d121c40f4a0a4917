//! Planning a search: the criteria understood (query words → filters, concepts, free text)
//! and turned into one tantivy query, loosened step by step when it matches nothing.
//!
//! Ranking: every word (and every recognised concept, as its concept token) must match in
//! the item's own words (`text`: item, drug names, guideline lines, rationale) or its
//! letter's summary, scored by BM25 in the better of the two (summary weighted lower); a
//! match in the item name or the drug names adds their boosted BM25, and items whose text
//! has the words close together get a proximity bonus. When no item has every word, the
//! search falls back to any word; when what was recognised matches nothing, it searches the
//! words as plain text; either way it says so.

use super::engine::Engine;
use super::fields_max::FieldsMax;
use super::filters;
use super::query::{understand, Understood};
use super::request::{Criteria, Filters};
use crate::error::{Error, Result};
use crate::lexicon::Lexicon;
use crate::record::Decision;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, PhraseQuery, Query,
    QueryParser, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

/// Criteria understood and turned into a query, ready to run.
pub(crate) struct Plan {
    pub interpreted: String,
    pub understood: Understood,
    /// The decision filter in force, from the query or the flags.
    pub decision: Option<Decision>,
    /// All matching items.
    pub query: Box<dyn Query>,
    /// Analyzed terms to highlight.
    pub highlight: Vec<String>,
    pub relaxed: bool,
    pub has_text: bool,
    /// Said to the user when the search had to loosen what it was asked.
    pub note: Option<String>,
}

/// The scoring part of a query (None when only filters remain) and the terms to highlight.
type TextQuery = (Option<Box<dyn Query>>, Vec<String>);

/// How many distinct query words are searched: a pasted page of text is not a query, and
/// every word is a scorer (the cost grows faster than the words).
pub const MAX_WORDS: usize = 64;

impl Engine {
    /// Analyzed tokens of a phrase, with their positions.
    pub(crate) fn tokens(&self, text: &str) -> Vec<(usize, String)> {
        let mut analyzer = self.analyzer.clone();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.position, t.text.clone()));
        }
        out
    }

    /// A phrase (one or more tokens) matched in any of `fields`, scored by its best field.
    /// Fields without positions get the phrase's words as terms.
    fn phrase_anywhere(
        &self,
        tokens: &[(usize, String)],
        slop: u32,
        fields: &[(Field, f32)],
    ) -> Option<Box<dyn Query>> {
        if tokens.is_empty() || fields.is_empty() {
            return None;
        }
        let base = tokens[0].0;
        let mut per_field: Vec<Box<dyn Query>> = fields
            .iter()
            .map(|&(field, boost)| {
                let term = |t: &str| -> Box<dyn Query> {
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, t),
                        IndexRecordOption::WithFreqs,
                    ))
                };
                let q: Box<dyn Query> = if tokens.len() == 1 {
                    term(&tokens[0].1)
                } else if field == self.ix.fields.drug {
                    // No positions: drug names are short; their words will do.
                    Box::new(BooleanQuery::new(
                        tokens
                            .iter()
                            .map(|(_, t)| (Occur::Should, term(t)))
                            .collect(),
                    ))
                } else {
                    Box::new(PhraseQuery::new_with_offset_and_slop(
                        tokens
                            .iter()
                            .map(|(p, t)| (p - base, Term::from_field_text(field, t)))
                            .collect(),
                        slop,
                    ))
                };
                Box::new(BoostQuery::new(q, boost)) as Box<dyn Query>
            })
            .collect();
        Some(if per_field.len() == 1 {
            per_field.pop()?
        } else if per_field.len() == 2 {
            // Two fields (text and summary): tantivy's disjunction scores ahead on every
            // seek; this seeks lazily, with the same scores (a sum of two is exact either way).
            Box::new(FieldsMax::new(per_field, 0.1))
        } else {
            Box::new(DisjunctionMaxQuery::with_tie_breaker(per_field, 0.1))
        })
    }

    /// A concept (a synonym group): its concept token, indexed wherever any of its
    /// phrasings occurs, in `fields`.
    fn concept_anywhere(&self, canonical: &str, fields: &[(Field, f32)]) -> Option<Box<dyn Query>> {
        let token = crate::index::tokenizer::concept_token(canonical);
        self.phrase_anywhere(&[(0, token)], 0, fields)
    }

    /// The scoring part of a query, and the analyzed terms to highlight.
    ///
    /// Every word (or concept) must match in the item's own words or its letter's summary
    /// (`occur` Must), scored by BM25 in the better of the two; a match in the item name or
    /// the drug names adds their boosted BM25 (Should), and so does having the words close
    /// together in the item's text.
    fn text_query(&self, u: &Understood, relaxed: bool) -> Result<TextQuery> {
        let mut highlight: Vec<String> = Vec::new();
        if let Some(syntax) = &u.syntax {
            let fields: Vec<Field> = self.match_fields.iter().map(|f| f.0).collect();
            let mut parser = QueryParser::new(
                self.ix.index.schema(),
                fields,
                crate::index::schema::query_tokenizers(),
            );
            for &(f, b) in self.match_fields.iter().chain(&self.bonus_fields) {
                parser.set_field_boost(f, b);
            }
            parser.set_conjunction_by_default();
            let q = parser
                .parse_query(syntax)
                .map_err(|source| Error::QuerySyntax { source })?;
            q.query_terms(&mut |term, _| {
                if let Some(s) = term.value().as_str() {
                    highlight.push(s.to_string());
                }
            });
            return Ok((Some(q), highlight));
        }
        let occur = if relaxed { Occur::Should } else { Occur::Must };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut word_tokens: Vec<(usize, String)> = Vec::new();
        for w in &u.text {
            let toks = self.tokens(w);
            if let Some(q) = self.phrase_anywhere(&toks, 0, &self.match_fields) {
                clauses.push((occur, q));
                if let Some(b) = self.phrase_anywhere(&toks, 0, &self.bonus_fields) {
                    clauses.push((Occur::Should, b));
                }
            }
            let offset = word_tokens.last().map_or(0, |(p, _)| p + 1);
            word_tokens.extend(toks.iter().map(|(p, t)| (offset + p, t.clone())));
            highlight.extend(toks.into_iter().map(|t| t.1));
        }
        for group in &u.concepts {
            for phrase in group {
                highlight.extend(self.tokens(phrase).into_iter().map(|t| t.1));
            }
            let Some(canonical) = group.first() else {
                continue;
            };
            if let Some(q) = self.concept_anywhere(canonical, &self.match_fields) {
                clauses.push((occur, q));
            }
            if let Some(b) = self.concept_anywhere(canonical, &self.bonus_fields) {
                clauses.push((Occur::Should, b));
            }
        }
        if clauses.is_empty() {
            return Ok((None, highlight));
        }
        // Words near each other in the item's text rank higher.
        if word_tokens.len() >= 2 {
            let near = [(self.ix.fields.text, 1.0)];
            if let Some(q) = self.phrase_anywhere(&word_tokens, 4, &near) {
                clauses.push((Occur::Should, Box::new(BoostQuery::new(q, 2.0))));
            }
        }
        highlight.sort();
        highlight.dedup();
        // With required words, the optional clauses (bonus fields, proximity) are one lazy
        // sum: tantivy's union of them scored 4,096 items ahead on every seek, running the
        // proximity phrase over items the required words had already ruled out.
        if occur == Occur::Must && clauses.iter().filter(|c| c.0 == Occur::Should).count() >= 2 {
            let (must, should): (Vec<_>, Vec<_>) =
                clauses.into_iter().partition(|c| c.0 == Occur::Must);
            clauses = must;
            let should = should.into_iter().map(|c| c.1).collect();
            clauses.push((Occur::Should, Box::new(FieldsMax::sum(should))));
        }
        Ok((Some(Box::new(BooleanQuery::new(clauses))), highlight))
    }

    /// Understands the criteria and builds the query, loosening it when it matches nothing.
    pub(crate) fn plan(&self, c: &Criteria) -> Result<Plan> {
        let (words, cut) = bounded(&c.query);
        let (words, spelled) = if c.literal {
            (words, Vec::new())
        } else {
            self.spell(&words)
        };
        let understood = understand(&words, c.literal);
        let filters = merged(&c.filters, &understood)?;
        let filter_queries = filters::queries(&self.ix.fields, &filters, self)?;
        let searcher = self.reader.searcher();

        // The words must match (Must) or only rank (Should) among the filters' items.
        let build = |text: Option<Box<dyn Query>>, words: Occur| -> Box<dyn Query> {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            if let Some(t) = text {
                clauses.push((words, t));
            }
            clauses.extend(filter_queries.iter().map(|q| (Occur::Must, q.box_clone())));
            match clauses.len() {
                0 => Box::new(AllQuery),
                1 if words == Occur::Must => clauses.remove(0).1,
                _ => Box::new(BooleanQuery::new(clauses)),
            }
        };

        // The ladder, loosest last; each step said to the user. What was recognised (drug,
        // decision, guideline...) is what the user meant most: the free words give way first.
        // 1. every filter and every word;
        let (mut text, mut highlight) = self.text_query(&understood, false)?;
        let mut query = build(text.as_ref().map(|q| q.box_clone()), Occur::Must);
        let mut found = self.any_match(&searcher, &*query)?;
        let mut step: Option<&str> = None;
        let free =
            understood.syntax.is_none() && understood.text.len() + understood.concepts.len() >= 1;
        // 2. every filter and any of the words;
        if !found && free && understood.text.len() + understood.concepts.len() >= 2 {
            (text, highlight) = self.text_query(&understood, true)?;
            query = build(text.as_ref().map(|q| q.box_clone()), Occur::Must);
            found = self.any_match(&searcher, &*query)?;
            step = found
                .then_some("no item matches every word; showing items that match some of them");
        }
        // 3. every filter, ranked by the words (which need not match);
        if !found && free && !filter_queries.is_empty() {
            (text, highlight) = self.text_query(&understood, true)?;
            query = build(text.as_ref().map(|q| q.box_clone()), Occur::Should);
            found = self.any_match(&searcher, &*query)?;
            step = found.then_some(
                "no item matches the words with these filters; showing the filters' items, ranked by the words",
            );
        }
        let relaxed = step.is_some();
        let recognised = !understood.medications.is_empty()
            || !understood.classes.is_empty()
            || understood.decision.is_some()
            || !understood.sources.is_empty()
            || !understood.pages.is_empty()
            || !understood.treatments.is_empty()
            || !understood.regions.is_empty()
            || !understood.categories.is_empty()
            || !understood.concepts.is_empty();
        // 4. the words as plain text, nothing recognised.
        if !found && !c.literal && recognised {
            // What the words were taken for matches nothing ("compounded topical cream": the
            // creams are filed under their active drugs): search the words as plain text.
            let literal = Criteria {
                literal: true,
                ..c.clone()
            };
            let mut p = self.plan(&literal)?;
            p.note = Some(format!(
                "nothing matches {}; searched the words as plain text instead",
                describe(&understood, &c.filters)
            ));
            return Ok(p);
        }
        let spelled = (!spelled.is_empty()).then(|| format!("read {}", spelled.join(", ")));
        let notes: Vec<String> = [
            cut.then(|| format!("the query was cut to its first {MAX_WORDS} distinct words")),
            spelled,
            step.map(str::to_string),
        ]
        .into_iter()
        .flatten()
        .collect();
        let note = (!notes.is_empty()).then(|| notes.join("; "));
        // Highlight the drug names the user typed too ("Norco" in the rationale).
        let lex = Lexicon::get();
        for m in &understood.medications {
            if let Some(d) = lex.drug(m) {
                for n in std::iter::once(&d.generic).chain(&d.names) {
                    highlight.extend(self.tokens(n).into_iter().map(|t| t.1));
                }
            }
        }
        highlight.sort();
        highlight.dedup();
        Ok(Plan {
            interpreted: describe(&understood, &c.filters),
            has_text: text.is_some(),
            understood,
            decision: filters.get_decision(),
            query,
            highlight,
            relaxed,
            note,
        })
    }
}

impl Engine {
    /// The query with each word that is a near miss of a lexicon word (and matches nothing,
    /// or is long and one letter off) replaced by that word, and what was replaced ("acupunture as
    /// acupuncture"). Query syntax is left as written.
    fn spell(&self, q: &str) -> (String, Vec<String>) {
        if super::query::is_syntax(q) {
            return (q.to_string(), Vec::new());
        }
        let searcher = self.reader.searcher();
        let absent = |word: &str| {
            let toks = self.tokens(word);
            !toks.is_empty()
                && toks.iter().all(|(_, t)| {
                    self.match_fields.iter().all(|(f, _)| {
                        searcher
                            .doc_freq(&Term::from_field_text(*f, t))
                            .is_ok_and(|n| n == 0)
                    })
                })
        };
        let mut said = Vec::new();
        let words: Vec<String> = q
            .split_whitespace()
            .map(|w| {
                let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
                // A long word one letter from a lexicon word is that word even where the
                // stemmer finds it in the index ("cyclobenzaprin"); otherwise only a word that
                // matches nothing is read as another.
                let near = super::spelling::correct(bare)
                    .filter(|(_, d)| (*d == 1 && bare.len() >= 8) || absent(bare));
                match near.map(|(w, _)| w) {
                    Some(fixed) => {
                        said.push(format!("{bare} as {fixed}"));
                        fixed.to_string()
                    }
                    None => w.to_string(),
                }
            })
            .collect();
        if said.is_empty() {
            (q.to_string(), said)
        } else {
            (words.join(" "), said)
        }
    }
}

/// The query, or past [`MAX_WORDS`] words its first [`MAX_WORDS`] distinct words (and
/// whether it was cut): a repeated word adds nothing, and a pasted document must not cost
/// seconds.
fn bounded(q: &str) -> (String, bool) {
    if q.split_whitespace().nth(MAX_WORDS).is_none() {
        return (q.to_string(), false);
    }
    let mut seen = std::collections::HashSet::new();
    let words: Vec<&str> = q
        .split_whitespace()
        .filter(|w| seen.insert(w.to_lowercase()))
        .take(MAX_WORDS)
        .collect();
    (words.join(" "), true)
}

/// The flags' filters plus what the query's words were recognised as.
fn merged(flags: &Filters, u: &Understood) -> Result<Filters> {
    let mut f = flags.clone();
    if let Some(d) = u.decision {
        f.decision(d);
    }
    for m in &u.medications {
        f.medication(m)?;
    }
    for c in &u.classes {
        f.class(c)?;
    }
    for s in &u.sources {
        f.guideline(s);
    }
    for p in &u.pages {
        f.mtus_page(*p);
    }
    for t in &u.treatments {
        f.treatment(t);
    }
    for r in &u.regions {
        f.region(r);
    }
    for c in &u.categories {
        f.category(c);
    }
    Ok(f)
}

/// "medication=... decision=... text=..." plus the flags' filters.
fn describe(u: &Understood, flags: &Filters) -> String {
    let mut parts = vec![u.describe()];
    let said = u.decision.map(|d| format!("decision={}", d.as_str()));
    parts.extend(
        flags
            .describe()
            .into_iter()
            .filter(|p| Some(p) != said.as_ref()),
    );
    parts.retain(|p| !p.is_empty());
    parts.join(" ")
}
