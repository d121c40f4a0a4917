//! imr-search: parse, index and search California workers' compensation Independent Medical
//! Review (IMR) determination letters.
//!
//! Pipeline: `letter` (text → `Letter` → `Vec<Item>`) → `index` (tantivy) → `search`.
//! The parser never sees tantivy; the indexer never sees raw letter text.

#[macro_use]
mod macros;

pub mod cli;
pub mod commands;
pub mod demo;
pub mod error;
pub mod files;
pub mod index;
pub mod letter;
pub mod lexicon;
pub mod location;
pub mod output;
pub mod pdf;
pub mod reasoning;
pub mod record;
pub mod search;
pub mod serve;
pub mod synth;

pub use error::{Error, Result};
