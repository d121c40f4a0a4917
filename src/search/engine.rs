//! The search engine: an open index, and one ranked, filtered, faceted search per request.
//!
//! Ranking: every word (and every recognised concept, as its concept token) must match in
//! the item's own words (`text`: item, drug names, guideline lines, rationale) or its
//! letter's summary, scored by BM25 in the better of the two (summary weighted lower); a
//! match in the item name or the drug names adds their boosted BM25, and items whose text
//! has the words close together get a proximity bonus. When no item has every word, the search
//! falls back to any word, and says so.

use super::facets::{self, FacetGroup, MapCache, Tally};
use super::filters::{self, FacetSource, Filters};
use super::query::{understand, Understood};
use super::snippet::{Snipper, Snippet};
use crate::error::{Error, Result};
use crate::index::schema::{self, Fields};
use crate::index::ImrIndex;
use crate::letter::{Decision, Item};
use crate::lexicon::Lexicon;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, PhraseQuery, Query,
    QueryParser, TermQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, IndexReader, Order, ReloadPolicy, TantivyDocument, Term};

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Relevance,
    /// Newest decision first.
    Date,
}

#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    /// Search every word as text: no drug, decision or concept recognition.
    pub literal: bool,
    pub filters: Filters,
    pub limit: usize,
    pub offset: usize,
    /// None: relevance when there is text to rank by, else newest first.
    pub sort: Option<Sort>,
    pub facets: bool,
    pub snippets: bool,
    pub snippet_chars: usize,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            literal: false,
            filters: Filters::default(),
            limit: 10,
            offset: 0,
            sort: None,
            facets: true,
            snippets: true,
            snippet_chars: 240,
        }
    }
}

/// One matching item.
#[derive(Debug, Clone)]
pub struct Hit {
    /// "<letter_id>#<item_index>".
    pub id: String,
    pub score: f32,
    pub item: Item,
    pub snippet: Option<Snippet>,
    /// The sentence a precedent list quotes.
    pub key_sentence: Snippet,
}

#[derive(Debug, Clone)]
pub struct SearchResults {
    pub query: String,
    /// How the query was understood ("medication=... decision=... text=...").
    pub interpreted: String,
    pub understood: Understood,
    /// All matching items (not just this page).
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Vec<FacetGroup>,
    pub sort: Sort,
    /// No item matched every word: the results match any of them.
    pub relaxed: bool,
    /// What the search loosened, to tell the user.
    pub note: Option<String>,
}

/// The scoring part of a query (None when only filters remain) and the terms to highlight.
type TextQuery = (Option<Box<dyn Query>>, Vec<String>);

/// A request understood and turned into queries.
pub struct Prepared {
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

pub struct Engine {
    ix: ImrIndex,
    reader: IndexReader,
    analyzer: TextAnalyzer,
    /// Where every query word must match, with the fields' boosts: the item's own words
    /// (`text`) and its letter's summary.
    match_fields: Vec<(Field, f32)>,
    /// Fields whose matches add to the score: the item name and the drug names.
    bonus_fields: Vec<(Field, f32)>,
    facet_cache: Mutex<HashMap<String, Vec<Facet>>>,
    /// Per-segment facet ordinal tables for [`Tally`].
    facet_maps: MapCache,
}

impl Engine {
    pub fn open(dir: &Path) -> Result<Engine> {
        let ix = ImrIndex::open(dir)?;
        let reader = ix
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| Error::tantivy(format!("{}: cannot open a reader", dir.display()), e))?;
        let analyzer = schema::analyzer(&ix.index, ix.fields.text)?;
        let boosts = schema::boosts(&ix.index.schema());
        let f = ix.fields;
        let (match_fields, bonus_fields) = boosts
            .into_iter()
            .partition(|(field, _)| *field == f.text || *field == f.summary);
        Ok(Engine {
            ix,
            reader,
            analyzer,
            match_fields,
            bonus_fields,
            facet_cache: Mutex::new(HashMap::new()),
            facet_maps: MapCache::default(),
        })
    }

    pub fn fields(&self) -> &Fields {
        &self.ix.fields
    }

    pub fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    pub fn num_items(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Analyzed tokens of a phrase, with their positions.
    fn tokens(&self, text: &str) -> Vec<(usize, String)> {
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
        let per_field: Vec<Box<dyn Query>> = fields
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
            per_field.into_iter().next().expect("one")
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
                .map_err(|e| Error::Other(format!("query syntax: {e}")))?;
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
        Ok((Some(Box::new(BooleanQuery::new(clauses))), highlight))
    }

    /// Understands a request and builds its queries, without collecting results.
    pub fn prepare(&self, req: &SearchRequest) -> Result<Prepared> {
        let understood = understand(&req.query, req.literal);
        let mut filters = req.filters.clone();
        filters.merge_understood(&understood);
        let filter_queries = filters::resolve(&self.ix.fields, &filters, self)?;
        let searcher = self.reader.searcher();

        let build =
            |text: Option<Box<dyn Query>>, extra: Option<Box<dyn Query>>| -> Box<dyn Query> {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                if let Some(t) = text {
                    clauses.push((Occur::Must, t));
                }
                clauses.extend(filter_queries.iter().map(|q| (Occur::Must, q.box_clone())));
                if let Some(e) = extra {
                    clauses.push((Occur::Must, e));
                }
                if clauses.is_empty() {
                    Box::new(AllQuery)
                } else if clauses.len() == 1 {
                    clauses.pop().expect("one").1
                } else {
                    Box::new(BooleanQuery::new(clauses))
                }
            };

        let (mut text, mut highlight) = self.text_query(&understood, false)?;
        let mut query = build(text.as_ref().map(|q| q.box_clone()), None);
        let mut found = self.any_match(&searcher, &*query)?;
        let mut relaxed = false;
        if !found
            && understood.syntax.is_none()
            && understood.text.len() + understood.concepts.len() >= 2
        {
            (text, highlight) = self.text_query(&understood, true)?;
            query = build(text.as_ref().map(|q| q.box_clone()), None);
            found = self.any_match(&searcher, &*query)?;
            relaxed = found;
        }
        let recognised = !understood.medications.is_empty()
            || !understood.classes.is_empty()
            || understood.decision.is_some()
            || !understood.sources.is_empty()
            || !understood.pages.is_empty()
            || !understood.concepts.is_empty();
        if !found && !req.literal && recognised {
            // What the words were taken for matches nothing ("compounded topical cream": the
            // creams are filed under their active drugs): search the words as plain text.
            let literal = SearchRequest {
                literal: true,
                ..req.clone()
            };
            let mut p = self.prepare(&literal)?;
            p.note = Some(format!(
                "nothing matches {}; searched the words as plain text instead",
                describe(&understood, &req.filters)
            ));
            return Ok(p);
        }
        let note = relaxed.then(|| {
            "no item matches every word; showing items that match some of them".to_string()
        });
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
        Ok(Prepared {
            interpreted: describe(&understood, &req.filters),
            has_text: text.is_some(),
            understood,
            decision: filters.decision,
            query,
            highlight,
            relaxed,
            note,
        })
    }

    /// Whether any item matches: stops at the first.
    fn any_match(&self, searcher: &tantivy::Searcher, query: &dyn Query) -> Result<bool> {
        let weight = query
            .weight(tantivy::query::EnableScoring::disabled_from_searcher(
                searcher,
            ))
            .map_err(|e| Error::tantivy("search", e))?;
        for seg in searcher.segment_readers() {
            let mut scorer = weight
                .scorer(seg, 1.0)
                .map_err(|e| Error::tantivy("search", e))?;
            let alive = seg.alive_bitset();
            let mut doc = scorer.doc();
            while doc != tantivy::TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    return Ok(true);
                }
                doc = scorer.advance();
            }
        }
        Ok(false)
    }

    /// How many items match `query`.
    pub fn count(&self, query: &dyn Query) -> Result<usize> {
        self.reader
            .searcher()
            .search(query, &Count)
            .map_err(|e| Error::tantivy("search", e))
    }

    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let Prepared {
            interpreted,
            understood,
            query,
            highlight,
            relaxed,
            has_text,
            note,
            ..
        } = self.prepare(req)?;
        let searcher = self.reader.searcher();
        let sort = req.sort.unwrap_or(if has_text {
            Sort::Relevance
        } else {
            Sort::Date
        });
        // One pass: the page of hits, the total and the facet counts together.
        let top = TopDocs::with_limit(req.limit.max(1)).and_offset(req.offset);
        let tally = req.facets.then(|| Tally::new(self.facet_maps.clone()));
        let (addresses, total, tally): (Vec<(f32, DocAddress)>, usize, _) = match sort {
            Sort::Relevance => searcher.search(&*query, &(top.order_by_score(), Count, tally)),
            Sort::Date => searcher
                .search(
                    &*query,
                    &(
                        top.order_by_fast_field::<tantivy::DateTime>("decision_date", Order::Desc),
                        Count,
                        tally,
                    ),
                )
                .map(|(v, n, t)| (v.into_iter().map(|(_, a)| (0.0, a)).collect(), n, t)),
        }
        .map_err(|e| Error::tantivy("search", e))?;
        let addresses = if req.limit == 0 {
            Vec::new()
        } else {
            addresses
        };
        let facets = tally.map(facets::groups).unwrap_or_default();

        let snipper = Snipper::new(
            self.analyzer.clone(),
            self.ix.fields.text,
            highlight,
            req.snippet_chars,
        );
        let mut hits = Vec::with_capacity(addresses.len());
        for (score, addr) in addresses {
            let item = self.load_item(&searcher, addr)?;
            let snippet = req.snippets.then(|| {
                snipper
                    .matched(&item.rationale, "rationale")
                    .or_else(|| snipper.matched(&item.summary, "summary"))
                    .unwrap_or_else(|| snipper.opening(&item.rationale, "rationale"))
            });
            let key_sentence = snipper.key_sentence(&item.rationale);
            hits.push(Hit {
                id: crate::index::document::item_id(&item.letter_id, item.item_index),
                score,
                item,
                snippet,
                key_sentence,
            });
        }
        Ok(SearchResults {
            query: req.query.clone(),
            interpreted,
            understood,
            total,
            hits,
            facets,
            sort,
            relaxed,
            note,
        })
    }

    fn load_item(&self, searcher: &tantivy::Searcher, addr: DocAddress) -> Result<Item> {
        let doc: TantivyDocument = searcher
            .doc(addr)
            .map_err(|e| Error::tantivy("reading a stored item", e))?;
        let json = doc
            .get_first(self.ix.fields.record)
            .and_then(|v| v.as_str())
            .ok_or_else(|| Error::Other("stored item has no record: rebuild the index".into()))?;
        serde_json::from_str(json).map_err(|e| {
            Error::Other(format!(
                "stored item is unreadable ({e}): rebuild the index"
            ))
        })
    }

    /// Items by id: "CM16-0213037#2" (one item) or "CM16-0213037" (the whole letter, in
    /// order). The letter's summary is filled in on every item.
    pub fn items_by_id(&self, id: &str) -> Result<Vec<Item>> {
        let searcher = self.reader.searcher();
        let f = &self.ix.fields;
        let term = if id.contains('#') {
            Term::from_field_text(f.id, id)
        } else {
            Term::from_field_text(f.letter_id, id)
        };
        let q = TermQuery::new(term, IndexRecordOption::Basic);
        let addrs = searcher
            .search(&q, &TopDocs::with_limit(1000).order_by_score())
            .map_err(|e| Error::tantivy("lookup", e))?;
        let mut items = addrs
            .into_iter()
            .map(|(_, a)| self.load_item(&searcher, a))
            .collect::<Result<Vec<_>>>()?;
        items.sort_by_key(|i| i.item_index);
        if let Some(first) = items.first() {
            let summary = if first.item_index == 1 {
                first.summary.clone()
            } else {
                self.items_by_id(&crate::index::document::item_id(&first.letter_id, 1))?
                    .into_iter()
                    .next()
                    .map(|i| i.summary)
                    .unwrap_or_default()
            };
            for i in &mut items {
                i.summary = summary.clone();
            }
        }
        Ok(items)
    }
}

impl FacetSource for Engine {
    /// Every facet path indexed in `field`, read once from the term dictionaries.
    fn facets(&self, field: &str) -> Result<Vec<Facet>> {
        let mut cache = self.facet_cache.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(v) = cache.get(field) {
            return Ok(v.clone());
        }
        let f = self
            .ix
            .index
            .schema()
            .get_field(field)
            .map_err(|_| Error::Other(format!("no field {field}")))?;
        let mut out = Vec::new();
        for seg in self.reader.searcher().segment_readers() {
            let inv = seg
                .inverted_index(f)
                .map_err(|e| Error::tantivy("facet terms", e))?;
            let mut stream = inv
                .terms()
                .stream()
                .map_err(|e| Error::Other(format!("facet terms: {e}")))?;
            while stream.advance() {
                if let Ok(facet) = Facet::from_encoded(stream.key().to_vec()) {
                    out.push(facet);
                }
            }
        }
        out.sort();
        out.dedup();
        cache.insert(field.to_string(), out.clone());
        Ok(out)
    }
}

/// "medication=... decision=... text=..." plus the flags' filters.
fn describe(u: &Understood, flags: &Filters) -> String {
    let mut parts = vec![u.describe()];
    if let Some(d) = flags.decision {
        if u.decision != Some(d) {
            parts.push(format!("decision={}", d.as_str()));
        }
    }
    for m in &flags.medications {
        parts.push(format!(
            "medication={}",
            Lexicon::get()
                .drug(m)
                .map_or(m.as_str(), |d| d.generic.as_str())
        ));
    }
    for c in &flags.classes {
        parts.push(format!("class={c}"));
    }
    for c in &flags.categories {
        parts.push(format!("category={}", c.as_str()));
    }
    for g in &flags.guidelines {
        parts.push(format!("guideline={g}"));
    }
    for p in &flags.mtus_pages {
        parts.push(format!("mtus-page={p}"));
    }
    for s in &flags.specialties {
        parts.push(format!("specialty={s}"));
    }
    if let Some(f) = &flags.from {
        parts.push(format!("from={f}"));
    }
    if let Some(t) = &flags.to {
        parts.push(format!("to={t}"));
    }
    parts.retain(|p| !p.is_empty());
    parts.join(" ")
}
