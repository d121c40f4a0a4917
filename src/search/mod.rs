//! Search: query understanding, filters, ranking, facet counts, snippets.
//!
//! `Engine::open(dir)` once; then, per request, `engine.search(&SearchRequest)`,
//! `engine.browse(&BrowseRequest)` or `engine.items(id)`. A request is built from
//! [`Criteria`] (the words and the checked [`Filters`]) before any index is opened. The CLI
//! and the web server are thin layers over these three calls.

pub mod browse;
mod engine;
mod filters;
pub mod order;
mod plan;
pub mod query;
pub mod request;
pub mod snippet;
mod spelling;
pub mod tally;

pub use browse::Node;
pub use engine::{Browse, Engine, Hit, SearchResults};
pub use filters::resolve_path;
pub use order::DateSpan;
pub use request::{BrowseRequest, Criteria, Filters, SearchRequest, Sort};
pub use snippet::Snippet;
pub use tally::{FacetGroup, FacetValue};
