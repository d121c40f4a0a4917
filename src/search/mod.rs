//! Search: query understanding, filters, ranking, facet counts, snippets.
//!
//! `Engine::open(dir)` once; then, per request, `engine.search(&SearchRequest)`,
//! `engine.browse(&BrowseRequest)`, `engine.items(id)` or `engine.similar(&SimilarRequest)`.
//! A request is built from [`Criteria`] (the words and the checked [`Filters`]) before any
//! index is opened. The CLI and the web server are thin layers over these four calls.

pub mod browse;
mod dense;
mod engine;
mod fields_max;
mod filters;
pub mod order;
mod plan;
pub mod query;
pub mod reading;
pub mod request;
pub mod similar;
pub mod snippet;
mod spelling;
pub mod tally;

pub use browse::Node;
pub use dense::Warmed;
pub use engine::{default_threads, Browse, Engine, Hit, SearchResults};
pub use filters::resolve_path;
pub use order::DateSpan;
pub use request::{BrowseRequest, Criteria, Filters, SearchRequest, Sort};
pub use similar::{BaseRate, Odds, Similar, SimilarRequest, SimilarTo, MAX_TEXT};
pub use snippet::Snippet;
pub use tally::{FacetGroup, FacetValue};
