//! One module per subcommand; each returns the process exit status.

pub mod common;
pub mod completions;
pub mod facets;
pub mod index;
pub mod man;
pub mod parse;
pub mod precedents;
pub mod search;
pub mod serve;
pub mod show;
pub mod similar;
