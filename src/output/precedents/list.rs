//! A precedent list: the search behind it (with the counts the tally needs), its entries
//! and its tally. The CLI and the web server build it the same way, so `/api/precedents`
//! answers what `imr precedents --format json` prints.

use super::group::{self, Entry};
use super::summary::Summary;
use crate::search::{Engine, SearchRequest, SearchResults};

#[derive(Debug, Clone)]
pub struct PrecedentList {
    pub results: SearchResults,
    /// Near-identical items of one letter stand as one entry.
    pub group: bool,
    /// How many entries to list.
    pub limit: usize,
    pub summary: Summary,
}

impl PrecedentList {
    /// The search a list of `limit` entries runs: the facet counts and the date span over
    /// every hit (the tally), no snippets (a list quotes the reasoning instead).
    pub fn request(base: SearchRequest) -> SearchRequest {
        SearchRequest {
            facets: true,
            dates: true,
            snippets: false,
            ..base
        }
    }

    /// Runs `req` (from [`PrecedentList::request`]) and makes its list of `req.limit`
    /// entries. With `group`, near-identical items are gathered from more hits than the list
    /// shows: the window of hits doubles until it holds an entry past the last one listed
    /// (and at least twice the limit), or holds every hit, or reaches the largest page. A
    /// near-identical item ranked past that window is not gathered; in a date order a
    /// letter's items stand together, so there it never happens.
    pub fn build(engine: &Engine, mut req: SearchRequest, group: bool) -> crate::Result<Self> {
        let limit = req.limit.min(SearchRequest::MAX_LIMIT);
        let mut results = engine.search(&req)?;
        if group && limit > 0 {
            let mut window = limit;
            loop {
                let enough =
                    window >= 2 * limit && group::entries(&results.hits, true).len() > limit;
                if enough
                    || results.hits.len() >= results.total
                    || window >= SearchRequest::MAX_LIMIT
                {
                    break;
                }
                window = (window * 2).min(SearchRequest::MAX_LIMIT);
                req.limit = window;
                results = engine.search(&req)?;
            }
        }
        Ok(PrecedentList::new(results, limit, group))
    }

    /// The list of the first `limit` entries of `results`.
    pub fn new(results: SearchResults, limit: usize, group: bool) -> PrecedentList {
        let listed = group::entries(&results.hits, group).len().min(limit);
        let summary = Summary::new(&results, listed);
        PrecedentList {
            results,
            group,
            limit,
            summary,
        }
    }

    /// The entries listed, in order.
    pub fn entries(&self) -> Vec<Entry<'_>> {
        let mut e = group::entries(&self.results.hits, self.group);
        e.truncate(self.limit);
        e
    }
}
