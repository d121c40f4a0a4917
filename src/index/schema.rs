//! The tantivy schema, built from `index-schema/schema.toml` (the schema as data), and the
//! field handles the indexer and the searcher use.
//!
//! `Fields::resolve` looks every field the code uses up by name and type, so the data file
//! and the code cannot drift apart silently: a mismatch is an error at open time and a test
//! failure before that.

use crate::error::{Error, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};
use tantivy::schema::{
    DateOptions, FacetOptions, Field, FieldType, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, STRING,
};
use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, StopWordFilter, TextAnalyzer, TokenizerManager,
};
use tantivy::Index;

use super::facets::FACETS;
use super::tokenizer::{CachedStemmer, ConceptFilter, Concepts, ImrTokenizer, Memo};

/// The schema file, compiled in.
pub const SCHEMA_TOML: &str = include_str!("../../index-schema/schema.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaFile {
    pub version: u32,
    pub tokenizers: BTreeMap<String, TokenizerSpec>,
    pub field: Vec<FieldSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenizerSpec {
    pub kind: String,
    #[serde(default)]
    pub stop_words: Vec<String>,
    /// Index a concept token wherever a synonym group's phrasing occurs (see
    /// `tokenizer::ConceptFilter`).
    #[serde(default)]
    pub concepts: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    Text,
    String,
    Facet,
    U64,
    Date,
    Stored,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: FieldKind,
    pub tokenizer: Option<String>,
    #[serde(default)]
    pub stored: bool,
    #[serde(default)]
    pub fast: bool,
    #[serde(default)]
    pub indexed: bool,
    pub boost: Option<f32>,
    /// Text fields: keep token positions (phrases, proximity). Default true.
    pub positions: Option<bool>,
}

/// The parsed schema file.
pub fn schema_file() -> &'static SchemaFile {
    static FILE: std::sync::OnceLock<SchemaFile> = std::sync::OnceLock::new();
    FILE.get_or_init(|| {
        toml::from_str(SCHEMA_TOML).expect("index-schema/schema.toml is valid (tested)")
    })
}

/// The schema version this build reads and writes.
pub fn version() -> u32 {
    schema_file().version
}

/// Builds the tantivy schema from the schema file.
pub fn build_schema() -> Schema {
    let mut b = Schema::builder();
    for f in &schema_file().field {
        match f.kind {
            FieldKind::Text => {
                let tokenizer = f.tokenizer.as_deref().unwrap_or("default");
                let mut opts = TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(tokenizer)
                        .set_index_option(if f.positions.unwrap_or(true) {
                            IndexRecordOption::WithFreqsAndPositions
                        } else {
                            IndexRecordOption::WithFreqs
                        }),
                );
                if f.stored {
                    opts = opts.set_stored();
                }
                b.add_text_field(&f.name, opts);
            }
            FieldKind::String => {
                let mut opts = STRING;
                if f.stored {
                    opts = opts.set_stored();
                }
                if f.fast {
                    opts = opts.set_fast("raw");
                }
                b.add_text_field(&f.name, opts);
            }
            FieldKind::Stored => {
                b.add_text_field(&f.name, TextOptions::default().set_stored());
            }
            FieldKind::Facet => {
                unreachable!("schema test: facet fields come from FACETS, not the schema file")
            }
            FieldKind::U64 => {
                let mut opts = NumericOptions::default();
                if f.stored {
                    opts = opts.set_stored();
                }
                if f.fast {
                    opts = opts.set_fast();
                }
                if f.indexed {
                    opts = opts.set_indexed();
                }
                b.add_u64_field(&f.name, opts);
            }
            FieldKind::Date => {
                let mut opts = DateOptions::default();
                if f.stored {
                    opts = opts.set_stored();
                }
                if f.fast {
                    opts = opts.set_fast();
                }
                if f.indexed {
                    opts = opts.set_indexed();
                }
                b.add_date_field(&f.name, opts);
            }
        }
    }
    // The facet fields: one per entry of the facet list (src/index/facets.rs), which alone
    // names them.
    for facet in &FACETS {
        b.add_facet_field(facet.name, FacetOptions::default());
    }
    b.build()
}

/// An analyzer as the schema file specifies it, adding concept tokens if given them.
fn build_analyzer(spec: &TokenizerSpec, concepts: Option<Arc<Concepts>>) -> TextAnalyzer {
    match spec.kind.as_str() {
        "imr_en" => {
            let words = TextAnalyzer::builder(ImrTokenizer::default())
                .filter(RemoveLongFilter::limit(40))
                .filter(LowerCaser)
                .filter(StopWordFilter::remove(spec.stop_words.iter().cloned()))
                .filter(CachedStemmer);
            match concepts {
                Some(c) => words.filter(ConceptFilter(c)).build(),
                None => words.build(),
            }
        }
        other => unreachable!("schema test rejects tokenizer kind {other}"),
    }
}

/// An analyzer as the schema file specifies it, without concept recognition.
fn base_analyzer(spec: &TokenizerSpec) -> TextAnalyzer {
    build_analyzer(spec, None)
}

/// The synonym groups as the `imr_en` analyzer reads them, shared by every index.
pub fn concepts() -> &'static Arc<Concepts> {
    static C: OnceLock<Arc<Concepts>> = OnceLock::new();
    C.get_or_init(|| {
        let spec = schema_file()
            .tokenizers
            .values()
            .find(|s| s.concepts)
            .or_else(|| schema_file().tokenizers.values().next());
        match spec {
            Some(spec) => Arc::new(Concepts::new(
                crate::lexicon::Lexicon::get().synonym_groups(),
                &mut base_analyzer(spec),
            )),
            None => Arc::new(Concepts::default()),
        }
    })
}

/// The fingerprint of the concept table indexes are built with (0: none).
pub fn concepts_fingerprint() -> u64 {
    if schema_file().tokenizers.values().any(|s| s.concepts) {
        concepts().fingerprint
    } else {
        0
    }
}

/// Registers the schema file's tokenizers on an index (tantivy does not persist them): the
/// indexing analyzers, which add concept tokens where the schema asks for them.
pub fn register_tokenizers(index: &Index) {
    for (name, spec) in &schema_file().tokenizers {
        let analyzer = TextAnalyzer::from(Memo::new(build_analyzer(
            spec,
            spec.concepts.then(|| concepts().clone()),
        )));
        index.tokenizers().register(name, analyzer);
    }
}

/// The analyzers for query text: as indexed but without concept tokens (a query names a
/// concept explicitly, as a term; a quoted phrase must stay a phrase of words).
/// Built once; clones share the analyzers.
pub fn query_tokenizers() -> TokenizerManager {
    static MANAGER: OnceLock<TokenizerManager> = OnceLock::new();
    MANAGER
        .get_or_init(|| {
            let manager = TokenizerManager::default();
            for (name, spec) in &schema_file().tokenizers {
                manager.register(name, base_analyzer(spec));
            }
            manager
        })
        .clone()
}

/// The analyzer of a text field, for tokenizing queries the way the field was indexed
/// (without concept tokens: see `query_tokenizers`).
pub fn analyzer(index: &Index, field: Field) -> Result<TextAnalyzer> {
    let schema = index.schema();
    let name = match schema.get_field_entry(field).field_type() {
        FieldType::Str(opts) => opts
            .get_indexing_options()
            .map(|i| i.tokenizer().to_string()),
        _ => None,
    }
    .ok_or_else(|| Error::Other("not an indexed text field".into()))?;
    query_tokenizers()
        .get(&name)
        .ok_or_else(|| Error::Other(format!("no tokenizer {name}")))
}

macro_rules! fields {
    ($($name:ident: $kind:ident),* $(,)?) => {
        /// Handles to every field the code writes or reads.
        #[derive(Debug, Clone, Copy)]
        pub struct Fields {
            $(pub $name: Field,)*
            /// One facet field per entry of [`FACETS`], in its order.
            pub facets: [Field; FACETS.len()],
        }

        impl Fields {
            /// Every field the code uses, with the type it expects.
            pub const USED: &'static [(&'static str, FieldKind)] =
                &[$((stringify!($name), FieldKind::$kind),)*];

            /// Looks every used field up in `schema`, checking its type.
            pub fn resolve(schema: &Schema) -> Result<Fields> {
                let mut facets = [Field::from_field_id(0); FACETS.len()];
                for (slot, facet) in facets.iter_mut().zip(&FACETS) {
                    *slot = lookup(schema, facet.name, FieldKind::Facet)?;
                }
                Ok(Fields {
                    $($name: lookup(schema, stringify!($name), FieldKind::$kind)?,)*
                    facets,
                })
            }
        }
    };
}

fields! {
    id: String,
    letter_id: String,
    case_number: String,
    source: Stored,
    item_index: U64,
    item: Text,
    drug: Text,
    text: Text,
    summary: Text,
    mtus_pages: U64,
    decision_date: Date,
    date_of_injury: Date,
    patient_age: U64,
    record: Stored,
}

fn lookup(schema: &Schema, name: &str, kind: FieldKind) -> Result<Field> {
    let field = schema.get_field(name).map_err(|_| {
        Error::Other(format!(
            "index schema has no field `{name}`: rebuild the index with `imr index --rebuild`"
        ))
    })?;
    let entry = schema.get_field_entry(field);
    let ok = matches!(
        (kind, entry.field_type()),
        (
            FieldKind::Text | FieldKind::String | FieldKind::Stored,
            FieldType::Str(_)
        ) | (FieldKind::Facet, FieldType::Facet(_))
            | (FieldKind::U64, FieldType::U64(_))
            | (FieldKind::Date, FieldType::Date(_))
    );
    if ok {
        Ok(field)
    } else {
        Err(Error::Other(format!(
            "index field `{name}` has the wrong type: rebuild the index with `imr index --rebuild`"
        )))
    }
}

/// Text fields with their free-text boosts, from the schema file.
pub fn boosts(schema: &Schema) -> Vec<(Field, f32)> {
    schema_file()
        .field
        .iter()
        .filter(|f| f.kind == FieldKind::Text)
        .filter_map(|f| Some((schema.get_field(&f.name).ok()?, f.boost.unwrap_or(1.0))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_file_and_code_agree() {
        let file = schema_file();
        let schema = build_schema();
        Fields::resolve(&schema).expect("every field the code uses is in the schema file");
        for f in &file.field {
            let used = Fields::USED.iter().find(|(n, _)| *n == f.name);
            assert_eq!(
                used.map(|u| u.1),
                Some(f.kind),
                "schema field `{}` is declared as {:?} but the code uses it as {:?}",
                f.name,
                f.kind,
                used.map(|u| u.1)
            );
            if f.kind == FieldKind::Text {
                let t = f
                    .tokenizer
                    .as_deref()
                    .expect("text fields name a tokenizer");
                assert!(file.tokenizers.contains_key(t), "unknown tokenizer {t}");
                assert!(f.boost.is_some(), "text field {} has a boost", f.name);
            } else {
                assert!(f.tokenizer.is_none() && f.boost.is_none(), "{}", f.name);
            }
        }
        assert_eq!(
            file.field.len(),
            Fields::USED.len(),
            "no unused schema fields"
        );
        assert!(
            file.field.iter().all(|f| f.kind != FieldKind::Facet),
            "facet fields are declared in src/index/facets.rs (FACETS) only"
        );
        for spec in file.tokenizers.values() {
            assert_eq!(spec.kind, "imr_en");
            assert!(!spec.stop_words.iter().any(|w| w == "not" || w == "no"));
        }
    }

    #[test]
    fn schema_readme_documents_every_field() {
        let readme = include_str!("../../index-schema/README.md");
        let names = schema_file()
            .field
            .iter()
            .map(|f| f.name.as_str())
            .chain(FACETS.iter().map(|f| f.name));
        for name in names {
            assert!(
                readme.contains(&format!("`{name}`")),
                "index-schema/README.md misses `{name}`"
            );
        }
    }

    #[test]
    fn item_outranks_text_outranks_summary() {
        let boost = |n: &str| {
            schema_file()
                .field
                .iter()
                .find(|f| f.name == n)
                .and_then(|f| f.boost)
                .unwrap()
        };
        assert!(boost("item") > boost("text"));
        assert!(boost("text") > boost("summary"));
    }
}
