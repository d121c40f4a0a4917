//! The search engine: an open index, and the three things it answers — a ranked, filtered,
//! faceted search ([`Engine::search`]), a facet browsed as a tree ([`Engine::browse`]), and
//! items or letters by id ([`Engine::items`]). Planning the query lives in `plan`; this
//! module runs plans and loads what they found.

use super::browse::{self, Node};
use super::dense::{DenseCache, Warmed};
use super::filters::{resolve_path, FacetSource};
use super::order::{DateOrder, DateSpan};
use super::plan::Plan;
use super::query::Understood;
use super::request::{BrowseRequest, SearchRequest, Sort};
use super::snippet::{Snipper, Snippet};
use super::tally::{self, FacetGroup, MapCache, Tally};
use crate::error::{Error, Result};
use crate::index::facets::{FacetId, FACETS};
use crate::index::schema;
use crate::index::ImrIndex;
use crate::record::Item;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{Query, TermQuery};
use tantivy::schema::{Facet, Field, IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, IndexReader, ReloadPolicy, TantivyDocument, Term};

/// One matching item.
#[derive(Debug, Clone)]
pub struct Hit {
    /// "<letter_id>#<item_index>".
    pub id: String,
    pub score: f32,
    pub item: Item,
    pub snippet: Option<Snippet>,
    /// The sentence a precedent list quotes: the reasoning applied to this patient. Empty
    /// when the request asked for no reasoning ([`SearchRequest::reasoning`]).
    pub key_sentence: Snippet,
    /// The guideline rule that reasoning applies, where the rationale states one (and the
    /// request asked for reasoning).
    pub rule_sentence: Option<Snippet>,
}

#[derive(Debug, Clone)]
pub struct SearchResults {
    pub query: String,
    /// How the query was understood ("medication=... decision=... text=...").
    pub interpreted: String,
    pub understood: Understood,
    /// All matching items (not just this page).
    pub total: usize,
    pub offset: usize,
    pub hits: Vec<Hit>,
    pub facets: Vec<FacetGroup>,
    /// The first and last decision dates over every hit, when the request asked for them.
    pub dates: Option<DateSpan>,
    pub sort: Sort,
    /// No item matched every word: the results match any of them.
    pub relaxed: bool,
    /// What the search loosened, to tell the user.
    pub note: Option<String>,
}

/// A facet browsed as a tree.
#[derive(Debug, Clone)]
pub struct Browse {
    pub facet: FacetId,
    pub root: Facet,
    pub query: String,
    pub interpreted: String,
    /// The decision filter in force (overturned shares mean nothing under one).
    pub decision: Option<crate::record::Decision>,
    /// Items matching the criteria.
    pub total: usize,
    pub nodes: Vec<Node>,
}

/// Search threads by default: `IMR_SEARCH_THREADS` if set, else the machine's cores, at
/// most 8 (an index of a million letters has about a dozen segments).
pub fn default_threads() -> usize {
    std::env::var("IMR_SEARCH_THREADS")
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|&n| n >= 1)
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map_or(1, std::num::NonZeroUsize::get)
                .min(8)
        })
}

pub struct Engine {
    pub(super) ix: ImrIndex,
    pub(super) reader: IndexReader,
    pub(super) analyzer: TextAnalyzer,
    /// Where every query word must match, with the fields' boosts: the item's own words
    /// (`text`) and its letter's summary.
    pub(super) match_fields: Vec<(Field, f32)>,
    /// Fields whose matches add to the score: the item name and the drug names.
    pub(super) bonus_fields: Vec<(Field, f32)>,
    /// Every path of a facet in the index, read once.
    facet_values: Mutex<HashMap<FacetId, Vec<Facet>>>,
    /// Per-segment facet node tables for [`Tally`].
    facet_maps: MapCache,
    /// Per-segment facet arrays, once [`Engine::warm`] has built them.
    dense: DenseCache,
}

impl Engine {
    /// Opens the index at `dir` for searching. Damage found now or by any later call is
    /// [`Error::Damaged`], one line naming the index and the rebuild, never a panic.
    ///
    /// A query searches the index's segments on [`default_threads`] threads.
    pub fn open(dir: &Path) -> Result<Engine> {
        Engine::open_with_threads(dir, default_threads())
    }

    /// As [`Engine::open`], searching segments on `threads` threads (1: in the calling
    /// thread). Each segment is one task, so more threads than segments gain nothing.
    pub fn open_with_threads(dir: &Path, threads: usize) -> Result<Engine> {
        crate::index::guard(dir, || Engine::open_unguarded(dir, threads))
    }

    fn open_unguarded(dir: &Path, threads: usize) -> Result<Engine> {
        let mut ix = ImrIndex::open(dir)?;
        // Before the reader is made: its searchers keep the index (and executor) they
        // were made from.
        if threads > 1 {
            ix.index.set_multithread_executor(threads).map_err(|e| {
                Error::tantivy(format!("{}: cannot start search threads", dir.display()), e)
            })?;
        }
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
            facet_values: Mutex::new(HashMap::new()),
            facet_maps: MapCache::default(),
            dense: DenseCache::default(),
        })
    }

    /// Builds in-memory facet arrays for every segment (one pass over every facet column),
    /// after which a search counts its facets from them: for an engine that answers many
    /// queries (`imr serve`), not a one-shot search. Searches before or during warming
    /// count from the columns, with the same results.
    pub fn warm(&self) -> Result<Warmed> {
        crate::index::guard(&self.ix.dir, || {
            self.dense
                .warm(
                    self.reader.searcher().segment_readers(),
                    self.facet_maps.clone(),
                )
                .map_err(|e| Error::tantivy("facet arrays", e))
        })
    }

    pub fn num_items(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether any item matches: stops at the first.
    pub(super) fn any_match(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
    ) -> Result<bool> {
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

    /// One ranked, filtered page of items, the total, and the facet counts over every hit.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        crate::index::guard(&self.ix.dir, || self.search_unguarded(req))
    }

    fn search_unguarded(&self, req: &SearchRequest) -> Result<SearchResults> {
        let Plan {
            interpreted,
            understood,
            query,
            highlight,
            relaxed,
            has_text,
            note,
            ..
        } = self.plan(&req.criteria)?;
        let searcher = self.reader.searcher();
        let sort = req.sort.unwrap_or(if has_text {
            Sort::Relevance
        } else {
            Sort::Date
        });
        // Never more than the index holds, whatever was asked: no allocation for an absurd
        // limit, and a page past the end is simply empty.
        let items = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        let limit = req.limit.min(SearchRequest::MAX_LIMIT).min(items);
        let offset = req.offset.min(items);
        // One pass: the page of hits, the total and the facet counts together.
        let top = TopDocs::with_limit(limit.max(1)).and_offset(offset);
        let tally = req
            .facets
            .then(|| Tally::for_search(self.facet_maps.clone(), Some(self.dense.clone())));
        let (addresses, total, tally, dates): (Vec<(f32, DocAddress)>, usize, _, _) = match sort {
            Sort::Relevance => {
                // The date order with nothing to keep only notes the span of the dates.
                let span = req.dates.then_some(DateOrder {
                    newest_first: true,
                    keep: 0,
                });
                searcher
                    .search(&*query, &(top.order_by_score(), Count, tally, span))
                    .map(|(v, n, t, s)| (v, n, t, s.map(|(_, s)| s)))
            }
            Sort::Date | Sort::Oldest => {
                let order = DateOrder {
                    newest_first: sort == Sort::Date,
                    keep: offset.saturating_add(limit),
                };
                searcher
                    .search(&*query, &(Count, tally, order))
                    .map(|(n, t, (page, span))| {
                        let page = page.into_iter().skip(offset).map(|a| (0.0, a)).collect();
                        (page, n, t, req.dates.then_some(span))
                    })
            }
        }
        .map_err(|e| Error::tantivy("search", e))?;
        let addresses = if limit == 0 { Vec::new() } else { addresses };
        let facets = tally.map(tally::groups).unwrap_or_default();

        let snipper = Snipper::new(
            self.analyzer.clone(),
            self.ix.fields.text,
            highlight,
            req.snippet_chars,
        );
        let mut hits = Vec::with_capacity(addresses.len());
        for (score, addr) in addresses {
            let item = self.load_item(&searcher, addr)?;
            hits.push(hit(item, score, &snipper, req.snippets, req.reasoning));
        }
        Ok(SearchResults {
            query: req.criteria.query.clone(),
            interpreted,
            understood,
            total,
            offset: req.offset,
            hits,
            facets,
            dates,
            sort,
            relaxed,
            note,
        })
    }

    /// A facet as a tree over the items matching the request's criteria.
    pub fn browse(&self, req: &BrowseRequest) -> Result<Browse> {
        crate::index::guard(&self.ix.dir, || self.browse_unguarded(req))
    }

    fn browse_unguarded(&self, req: &BrowseRequest) -> Result<Browse> {
        let facet = &FACETS[req.facet];
        let root = match &req.path {
            None => Facet::from_path([facet.name]),
            Some(p) => {
                let found = resolve_path(&self.facets(req.facet)?, facet.name, p);
                match found.as_slice() {
                    [one] => one.clone(),
                    [] => {
                        return Err(Error::NoSuchValue {
                            what: facet.name,
                            facet: facet.name,
                            typed: p.clone(),
                        })
                    }
                    many => {
                        return Err(Error::Ambiguous {
                            facet: facet.name,
                            typed: p.clone(),
                            matches: many.iter().map(|f| f.to_string()).collect(),
                        })
                    }
                }
            }
        };
        let depth = req.depth.unwrap_or(facet.browse_depth).max(1);
        let plan = self.plan(&req.criteria)?;
        let deepest = tally::depth_of(root.encoded_str().as_bytes()) + depth;
        let collector = Tally::new(vec![(req.facet, deepest)], self.facet_maps.clone());
        let (total, mut fruit) = self
            .reader
            .searcher()
            .search(&*plan.query, &(Count, collector))
            .map_err(|e| Error::tantivy("facet counts", e))?;
        let nodes = browse::tree(
            facet,
            fruit.pop().unwrap_or_default(),
            &root,
            depth,
            req.limit,
        );
        Ok(Browse {
            facet: req.facet,
            root,
            query: req.criteria.query.clone(),
            interpreted: plan.interpreted,
            decision: plan.decision,
            total,
            nodes,
        })
    }

    pub(super) fn load_item(&self, searcher: &tantivy::Searcher, addr: DocAddress) -> Result<Item> {
        let damaged = |reason: String| Error::damaged(&self.ix.dir, reason);
        let doc: TantivyDocument =
            searcher.doc(addr).map_err(|e| {
                match crate::index::guard::damage(&self.ix.dir, Error::tantivy("", e)) {
                    d @ Error::Damaged { .. } => d,
                    other => damaged(format!("a stored item cannot be read: {other}")),
                }
            })?;
        let json = doc
            .get_first(self.ix.fields.record)
            .and_then(|v| v.as_str())
            .ok_or_else(|| damaged("a stored item has no record".into()))?;
        serde_json::from_str(json).map_err(|e| damaged(format!("a stored item is unreadable: {e}")))
    }

    /// Items by id: "CM16-0213037#2" (one item) or "CM16-0213037" (the whole letter, in
    /// order). The letter's summary is filled in on every item. An unknown id is
    /// [`Error::NoSuchItem`].
    pub fn items(&self, id: &str) -> Result<Vec<Item>> {
        let id = id.trim();
        let items = crate::index::guard(&self.ix.dir, || self.items_by_id(id))?;
        if items.is_empty() {
            return Err(Error::NoSuchItem { id: id.to_string() });
        }
        Ok(items)
    }

    fn items_by_id(&self, id: &str) -> Result<Vec<Item>> {
        let mut items = self.stored_items(id)?;
        if let Some(first) = items.first() {
            let summary = if first.item_index == 1 {
                first.summary.clone()
            } else {
                // The summary is stored with the letter's first item only.
                let one = crate::index::document::item_id(&first.letter_id, 1);
                self.stored_items(&one)?
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

    /// The stored items an id names, in order, each checked to be the one it names: a
    /// damaged store can hold another item, or another letter's, under the id's term (found
    /// by the corruption fuzzer: an item #1 that read back as #3 sent the summary lookup
    /// round in circles until the stack overflowed).
    fn stored_items(&self, id: &str) -> Result<Vec<Item>> {
        let searcher = self.reader.searcher();
        let f = &self.ix.fields;
        let (letter, index) = crate::index::document::split_item_id(id);
        let term = if index.is_some() {
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
        for i in &items {
            let named = i.letter_id == letter
                && index.is_none_or(|n| n.parse::<u32>().ok() == Some(i.item_index));
            if !named {
                return Err(Error::damaged(
                    &self.ix.dir,
                    format!(
                        "the item stored under {id} reads back as {}",
                        crate::index::document::item_id(&i.letter_id, i.item_index)
                    ),
                ));
            }
        }
        items.sort_by_key(|i| i.item_index);
        Ok(items)
    }
}

/// A hit for a loaded item: the passage that matched (when asked), and the key and rule
/// sentences of its rationale. `imr search` and `imr similar` make their hits here.
/// A hit of a loaded item: its snippet when `snippets`, its key and rule sentences when
/// `reasoning` (else an empty key sentence: they cost a chooser run per hit).
pub(super) fn hit(
    item: Item,
    score: f32,
    snipper: &Snipper,
    snippets: bool,
    reasoning: bool,
) -> Hit {
    let snippet = snippets.then(|| {
        snipper
            .matched(&item.rationale, "rationale")
            .or_else(|| snipper.matched(&item.summary, "summary"))
            .unwrap_or_else(|| snipper.opening(&item.rationale, "rationale"))
    });
    let (key_sentence, rule_sentence) = if reasoning {
        snipper.reasoning(
            &item.rationale,
            item.decision == crate::record::Decision::Overturned,
        )
    } else {
        (Snippet::empty("rationale"), None)
    };
    Hit {
        id: crate::index::document::item_id(&item.letter_id, item.item_index),
        score,
        item,
        snippet,
        key_sentence,
        rule_sentence,
    }
}

impl FacetSource for Engine {
    /// Every path of a facet in the index, read once from the term dictionaries.
    fn facets(&self, facet: FacetId) -> Result<Vec<Facet>> {
        let mut cache = self.facet_values.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(v) = cache.get(&facet) {
            return Ok(v.clone());
        }
        let field = self.ix.fields.facets[facet];
        let mut out = Vec::new();
        for seg in self.reader.searcher().segment_readers() {
            let inv = seg
                .inverted_index(field)
                .map_err(|e| Error::tantivy("facet terms", e))?;
            let mut stream = inv
                .terms()
                .stream()
                .map_err(|e| Error::tantivy("facet terms", e.into()))?;
            while stream.advance() {
                if let Ok(f) = Facet::from_encoded(stream.key().to_vec()) {
                    out.push(f);
                }
            }
        }
        out.sort();
        out.dedup();
        cache.insert(facet, out.clone());
        Ok(out)
    }
}
