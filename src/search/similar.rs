//! Decisions like this one: the decided items most like an indexed item or the text of a UR
//! denial, and how often the closest of them were overturned ("what are my odds at IMR?").
//!
//! Likeness is a sum the reader can follow: each fact the neighbour shares with the item
//! adds a fixed weight (the treatment, the drug, its class, a body region, DWC's
//! subcategory, a guideline section; src/lexicon/similar.toml), and the reasoning's most
//! distinctive words add at most `words`, scaled so the best-matching item gets all of it.
//! The facts outweigh the words, so items of the same treatment and drug come first, ordered
//! by how much their reasoning resembles this one's.
//!
//! An item is never its own neighbour, nor are the other items of its letter: they share the
//! reviewer, the patient and usually the reasoning, so they would crowd out independent
//! decisions and count one decision maker's view several times in the odds.

use super::engine::{hit, Engine, SearchResults};
use super::filters;
use super::reading::{self, Profile};
use super::request::{Filters, Sort};
use super::snippet::Snipper;
use crate::error::{Error, Result};
use crate::index::facets::{by_name, guideline_facets};
use crate::lexicon::{similar_words, SimilarWeights};
use crate::record::{Decision, Item};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{DocAddress, Searcher, Term};

/// The most text a UR denial or a request to compare may hold: a denial is a few pages, more
/// is not one (`imr similar --text` and `imr serve`'s form and API refuse it).
pub const MAX_TEXT: usize = 1 << 20;

/// The windows the odds are counted over: the closest 20 and 50 decided items.
pub const ODDS_WINDOWS: [usize; 2] = [20, 50];

/// What to find neighbours of.
#[derive(Debug, Clone, PartialEq)]
pub enum SimilarTo {
    /// An indexed item, by id ("CM16-0213037#2"); a letter id names its only item.
    Item(String),
    /// The text of a UR denial or a request; `name` says where it came from.
    Text { text: String, name: String },
}

/// A request for the items most like one.
#[derive(Debug, Clone)]
pub struct SimilarRequest {
    pub to: SimilarTo,
    /// Restrict the neighbours (dates, guideline, ...). A decision filter restricts the list
    /// only: the odds count every decision, or they would say nothing.
    pub filters: Filters,
    pub limit: usize,
    pub offset: usize,
    pub snippet_chars: usize,
    /// Choose each neighbour's key and rule sentences: only for outputs that print them
    /// (as [`super::SearchRequest::reasoning`]).
    pub reasoning: bool,
}

impl SimilarRequest {
    pub fn new(to: SimilarTo) -> SimilarRequest {
        SimilarRequest {
            to,
            filters: Filters::default(),
            limit: 10,
            offset: 0,
            snippet_chars: 240,
            reasoning: true,
        }
    }
}

/// The decisions among the closest `window` items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Odds {
    pub window: usize,
    /// Items counted: fewer than `window` when fewer are there to compare.
    pub compared: usize,
    pub overturned: usize,
    /// How many of them share the treatment (and the drug, where there is one); None when
    /// no treatment was recognised.
    pub alike: Option<usize>,
}

impl Odds {
    pub fn upheld(&self) -> usize {
        self.compared - self.overturned
    }

    /// The overturned share, None when nothing was compared.
    pub fn share(&self) -> Option<f64> {
        (self.compared > 0).then(|| self.overturned as f64 / self.compared as f64)
    }
}

/// The decisions over every item alike (the same treatment, and the same drug where there is
/// one), under the same filters as the neighbours: the base rate the closest items' odds are
/// read against ("all 1,204 lumbar MRIs: 8% overturned").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BaseRate {
    pub items: usize,
    pub overturned: usize,
}

impl BaseRate {
    pub fn upheld(&self) -> usize {
        self.items - self.overturned
    }

    /// The overturned share, None when no item is alike.
    pub fn share(&self) -> Option<f64> {
        (self.items > 0).then(|| self.overturned as f64 / self.items as f64)
    }
}

/// The neighbours of an item or a text.
#[derive(Debug, Clone)]
pub struct Similar {
    /// The indexed item asked about.
    pub of: Option<Item>,
    /// What was compared: the item's facts, or what the text was read as.
    pub profile: Profile,
    /// For a text: the words its item was read from, and the other items it names.
    pub read_from: Option<String>,
    pub others: Vec<String>,
    /// The reasoning's words compared, most distinctive first (as written).
    pub words: Vec<String>,
    /// Over the closest items, whatever the decision filter.
    pub odds: Vec<Odds>,
    /// Over every item alike; None when no treatment was recognised.
    pub base: Option<BaseRate>,
    /// The page of neighbours, as search results (for the same writers); `total` counts
    /// every item that shares anything with it (the ranking runs on past the alike items,
    /// to those sharing a region, a guideline or words).
    pub results: SearchResults,
}

/// A word of the reasoning compared, with its weight (1 for the most distinctive).
struct Word {
    term: String,
    surface: String,
    weight: f32,
}

impl Engine {
    /// The decided items most like an item or a text, and the odds among the closest.
    pub fn similar(&self, req: &SimilarRequest) -> Result<Similar> {
        crate::index::guard(&self.ix.dir, || self.similar_unguarded(req))
    }

    fn similar_unguarded(&self, req: &SimilarRequest) -> Result<Similar> {
        let searcher = self.reader.searcher();
        let (of, profile, read_from, others, query_label) = match &req.to {
            SimilarTo::Item(id) => {
                let item = self.one_item(id)?;
                let p = Profile::of_item(&item);
                (Some(item), p, None, Vec::new(), id.trim().to_string())
            }
            SimilarTo::Text { text, name } => {
                if text.trim().is_empty() {
                    return Err(Error::EmptyText { name: name.clone() });
                }
                // A treatment or drug named by a filter picks among the items a text names.
                let prefer: Vec<&str> = req
                    .filters
                    .groups
                    .iter()
                    .filter(|g| g.name == "medication" || g.name == "treatment")
                    .flat_map(|g| g.values.iter().map(|v| v.label.as_str()))
                    .collect();
                let r = reading::read_preferring(text, &prefer);
                (None, r.profile, r.from, r.others, name.clone())
            }
        };
        let weights = similar_words().weights;
        let words = self.words(&searcher, &profile.words)?;

        // The neighbours: every filter but the decision, never the item's own letter.
        let decision = req.filters.get_decision();
        let mut restrict: Vec<(Occur, Box<dyn Query>)> =
            filters::queries(&self.ix.fields, &without_decision(&req.filters), self)?
                .into_iter()
                .map(|q| (Occur::Must, q))
                .collect();
        if let Some(item) = &of {
            let letter = Term::from_field_text(self.ix.fields.letter_id, &item.letter_id);
            restrict.push((
                Occur::MustNot,
                Box::new(TermQuery::new(letter, IndexRecordOption::Basic)),
            ));
        }
        let restricted = |q: Box<dyn Query>, extra: Option<Box<dyn Query>>| -> Box<dyn Query> {
            let mut clauses = vec![(Occur::Must, q)];
            clauses.extend(restrict.iter().map(|(o, q)| (*o, q.box_clone())));
            clauses.extend(extra.map(|q| (Occur::Must, q)));
            Box::new(BooleanQuery::new(clauses))
        };

        let mut likeness = self.fact_clauses(&profile, &weights);
        if let Some(wq) = words_query(self, &words) {
            // Scaled so the best-matching neighbour's words add `weights.words`.
            let best = searcher
                .search(
                    &*restricted(wq.box_clone(), None),
                    &TopDocs::with_limit(1).order_by_score(),
                )
                .map_err(|e| Error::tantivy("similar", e))?
                .first()
                .map_or(0.0, |(s, _)| *s);
            if best > 0.0 {
                likeness.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(wq, weights.words / best)),
                ));
            }
        }
        if likeness.is_empty() {
            return Err(Error::NothingToCompare { name: query_label });
        }
        let likeness: Box<dyn Query> = Box::new(BooleanQuery::new(likeness));

        let items = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        let page_end = req
            .offset
            .saturating_add(req.limit)
            .min(super::SearchRequest::MAX_LIMIT);
        let deepest = ODDS_WINDOWS[ODDS_WINDOWS.len() - 1]
            .max(page_end)
            .min(items)
            .max(1);
        let (pool, compared) = searcher
            .search(
                &*restricted(likeness.box_clone(), None),
                &(TopDocs::with_limit(deepest).order_by_score(), Count),
            )
            .map_err(|e| Error::tantivy("similar", e))?;
        let pool = self.load(&searcher, pool)?;
        let odds = ODDS_WINDOWS
            .iter()
            .map(|&window| {
                let closest = &pool[..window.min(pool.len())];
                Odds {
                    window,
                    compared: closest.len(),
                    overturned: closest
                        .iter()
                        .filter(|(_, i)| i.decision == Decision::Overturned)
                        .count(),
                    alike: profile.treatment.as_ref().map(|_| {
                        closest
                            .iter()
                            .filter(|(_, i)| profile.alike(i) == Some(true))
                            .count()
                    }),
                }
            })
            .collect();

        // The base rate: every item alike, whatever its likeness otherwise.
        let base = match self.alike_query(&profile) {
            Some(alike) => {
                let overturned = self.decision_query(Decision::Overturned)?;
                let count = |extra: Option<Box<dyn Query>>| {
                    searcher
                        .search(&*restricted(alike.box_clone(), extra), &Count)
                        .map_err(|e| Error::tantivy("similar", e))
                };
                Some(BaseRate {
                    items: count(None)?,
                    overturned: count(overturned)?,
                })
            }
            None => None,
        };

        // The page: from the same ranking, or under the decision filter a ranking of its own.
        let (page, total) = match decision {
            None => {
                let page: Vec<(f32, Item)> = pool
                    .into_iter()
                    .skip(req.offset)
                    .take(page_end.saturating_sub(req.offset))
                    .collect();
                (page, compared)
            }
            Some(d) => {
                let only = self.decision_query(d)?;
                let (top, n) = searcher
                    .search(
                        &*restricted(likeness.box_clone(), only),
                        &(
                            TopDocs::with_limit(page_end.clamp(1, items.max(1))).order_by_score(),
                            Count,
                        ),
                    )
                    .map_err(|e| Error::tantivy("similar", e))?;
                let page = self
                    .load(&searcher, top)?
                    .into_iter()
                    .skip(req.offset)
                    .collect();
                (page, n)
            }
        };
        let snipper = Snipper::new(
            self.analyzer.clone(),
            self.ix.fields.text,
            words.iter().map(|w| w.term.clone()).collect(),
            req.snippet_chars,
        );
        let hits = page
            .into_iter()
            .map(|(score, item)| hit(item, score, &snipper, true, req.reasoning))
            .collect();

        let shown: Vec<String> = words.iter().map(|w| w.surface.clone()).collect();
        let mut interpreted = profile.describe();
        if !shown.is_empty() {
            interpreted.push(format!(
                "words={:?}",
                shown.iter().take(8).cloned().collect::<Vec<_>>().join(" ")
            ));
        }
        interpreted.extend(req.filters.describe());
        Ok(Similar {
            of,
            read_from,
            others,
            words: shown,
            odds,
            base,
            results: SearchResults {
                query: query_label,
                interpreted: interpreted.join(" "),
                understood: Default::default(),
                total,
                offset: req.offset,
                hits,
                facets: Vec::new(),
                dates: None,
                sort: Sort::Relevance,
                relaxed: false,
                note: decision.map(|d| {
                    format!(
                        "the odds count the closest items of either decision; the list shows {} items only",
                        d.as_str()
                    )
                }),
            },
            profile,
        })
    }

    /// The item an id names: an item id, or a letter id of a one-item letter.
    fn one_item(&self, id: &str) -> Result<Item> {
        let mut items = self.items(id)?;
        if items.len() > 1 {
            return Err(Error::LetterNotItem {
                id: id.trim().to_string(),
                items: items.len(),
            });
        }
        items
            .pop()
            .ok_or_else(|| Error::NoSuchItem { id: id.to_string() })
    }

    fn load(&self, searcher: &Searcher, top: Vec<(f32, DocAddress)>) -> Result<Vec<(f32, Item)>> {
        top.into_iter()
            .map(|(s, a)| Ok((s, self.load_item(searcher, a)?)))
            .collect()
    }

    /// The items of decision `d`, as `--decision` filters them.
    fn decision_query(&self, d: Decision) -> Result<Option<Box<dyn Query>>> {
        let mut f = Filters::default();
        f.decision(d);
        Ok(filters::queries(&self.ix.fields, &f, self)?.pop())
    }

    /// The items alike, as [`Profile::alike`] says: the treatment, and the primary drug among
    /// an item's drugs where there is one. None without a treatment.
    fn alike_query(&self, p: &Profile) -> Option<Box<dyn Query>> {
        let f = &self.ix.fields;
        let term = |facet: &str, path: Facet| {
            let t = Term::from_facet(f.facets[by_name(facet)], &path);
            (
                Occur::Must,
                Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Box<dyn Query>,
            )
        };
        let treatment = p.treatment.as_deref()?;
        let mut clauses = vec![term(
            "treatment",
            Facet::from_path(["treatment", treatment]),
        )];
        if let Some(m) = p.medications.first() {
            clauses.push(term(
                "medication",
                Facet::from_path(["medication", m.class.as_str(), m.generic.as_str()]),
            ));
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// One constant-score clause per fact of the profile: sharing any of its values adds the
    /// fact's weight once.
    fn fact_clauses(&self, p: &Profile, w: &SimilarWeights) -> Vec<(Occur, Box<dyn Query>)> {
        let f = &self.ix.fields;
        let term = |facet: &str, path: Facet| Term::from_facet(f.facets[by_name(facet)], &path);
        let path = |steps: &[&str]| Facet::from_path(steps.iter().copied());
        let mut facts: Vec<(Vec<Term>, f32)> = Vec::new();
        if let Some(t) = &p.treatment {
            facts.push((
                vec![term("treatment", path(&["treatment", t]))],
                w.treatment,
            ));
        }
        if let Some((first, rest)) = p.medications.split_first() {
            let drug = |m: &crate::record::Medication| {
                term("medication", path(&["medication", &m.class, &m.generic]))
            };
            facts.push((vec![drug(first)], w.drug));
            facts.push((
                vec![term("medication", path(&["medication", &first.class]))],
                w.class,
            ));
            facts.push((rest.iter().map(drug).collect(), w.ingredient));
        }
        facts.push((
            p.regions
                .iter()
                .map(|r| term("region", path(&["region", r])))
                .collect(),
            w.region,
        ));
        if let (Some(c), Some(s)) = (&p.dwc_category, &p.dwc_subcategory) {
            facts.push((vec![term("dwc", path(&["dwc", c, s]))], w.subcategory));
        }
        // A section cited (a document where no section is named), not its pages.
        let mut sections: Vec<Term> = p
            .guidelines
            .iter()
            .flat_map(guideline_facets)
            .filter(|g| g.to_path().len() <= 4)
            .map(|g| term("guideline", g))
            .collect();
        sections.dedup();
        facts.push((sections, w.guideline));
        facts
            .into_iter()
            .filter(|(terms, weight)| !terms.is_empty() && *weight > 0.0)
            .map(|(terms, weight)| {
                let any = BooleanQuery::new(
                    terms
                        .into_iter()
                        .map(|t| {
                            (
                                Occur::Should,
                                Box::new(TermQuery::new(t, IndexRecordOption::Basic))
                                    as Box<dyn Query>,
                            )
                        })
                        .collect(),
                );
                (
                    Occur::Should,
                    Box::new(ConstScoreQuery::new(Box::new(any), weight)) as Box<dyn Query>,
                )
            })
            .collect()
    }

    /// The most distinctive words of `text` (term frequency times BM25's inverse document
    /// frequency in the items' own words), leaving out numbers, words of one or two letters,
    /// words about the patient or the paperwork, and words too rare or too common to say
    /// anything about likeness.
    fn words(&self, searcher: &Searcher, text: &str) -> Result<Vec<Word>> {
        let cfg = &similar_words().words;
        let n = searcher.num_docs() as f32;
        // The ignored words as the analyzer writes them ("certified" → its stem).
        let ignore: HashSet<String> = cfg
            .ignore
            .iter()
            .flat_map(|w| self.tokens(w))
            .map(|(_, t)| t)
            .collect();
        let mut counts: HashMap<String, (usize, String)> = HashMap::new();
        let mut analyzer = self.analyzer.clone();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let t = stream.token();
            if t.text.chars().count() < 3
                || t.text.chars().any(|c| c.is_ascii_digit())
                || ignore.contains(&t.text)
            {
                continue;
            }
            let surface = text.get(t.offset_from..t.offset_to).unwrap_or(&t.text);
            let e = counts
                .entry(t.text.clone())
                .or_insert_with(|| (0, surface.to_lowercase()));
            e.0 += 1;
        }
        let mut scored: Vec<(f32, Word)> = Vec::new();
        for (term, (tf, surface)) in counts {
            let df = searcher
                .doc_freq(&Term::from_field_text(self.ix.fields.text, &term))
                .map_err(|e| Error::tantivy("similar", e))? as f32;
            if df < cfg.min_docs.max(1) as f32 || df > cfg.max_doc_share * n {
                continue;
            }
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            scored.push((
                tf as f32 * idf,
                Word {
                    term,
                    surface,
                    weight: 0.0,
                },
            ));
        }
        // Ties in the order of the words, so the same text always compares the same words.
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.term.cmp(&b.1.term)));
        scored.truncate(cfg.max_terms);
        let best = scored.first().map_or(1.0, |s| s.0);
        Ok(scored
            .into_iter()
            .map(|(s, mut w)| {
                w.weight = s / best;
                w
            })
            .collect())
    }
}

/// The words as one query: each word's BM25 in the items' own words, weighted.
fn words_query(engine: &Engine, words: &[Word]) -> Option<Box<dyn Query>> {
    if words.is_empty() {
        return None;
    }
    let field = engine.ix.fields.text;
    Some(Box::new(BooleanQuery::new(
        words
            .iter()
            .map(|w| {
                let q = TermQuery::new(
                    Term::from_field_text(field, &w.term),
                    IndexRecordOption::WithFreqs,
                );
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(q), w.weight)) as Box<dyn Query>,
                )
            })
            .collect(),
    )))
}

/// The filters without their decision.
fn without_decision(f: &Filters) -> Filters {
    let mut f = f.clone();
    f.groups.retain(|g| g.name != "decision");
    f
}
