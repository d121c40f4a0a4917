//! Search: query understanding, filters, ranking, facet counts, snippets.
//!
//! `Engine::open(dir)` once, then `engine.search(&SearchRequest)` per query. The CLI's
//! `search`, `precedents`, `facets` and `show` are thin layers over this.

pub mod browse;
pub mod engine;
pub mod facets;
pub mod filters;
pub mod query;
pub mod snippet;

pub use engine::{Engine, Hit, Prepared, SearchRequest, SearchResults, Sort};
pub use facets::{FacetGroup, FacetValue};
pub use filters::Filters;
pub use snippet::Snippet;
