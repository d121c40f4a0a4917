//! Letter text → `Letter` → `Vec<Item>`: sections, header, items, citations, normalisation.

pub mod model;

pub use model::*;

use crate::error::{Error, Result};

/// Parses the text of one determination letter. `source` names the file in errors.
pub fn parse_letter(text: &str, source: &str) -> Result<Letter> {
    let _ = text;
    Err(Error::parse(source, "parser under construction"))
}
