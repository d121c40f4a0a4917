//! What the query subcommands share: validated filters, the output format, and opening the
//! index (building the bundled demo index on first use).

use crate::cli::{FilterArgs, QueryArgs};
use crate::index::builder::{self, BuildOptions, ProgressMode};
use crate::output::Format;
use crate::search::{filters::parse_user_date, Engine, Filters, SearchRequest};
use anyhow::{bail, Context, Result};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Checks the filter flags and turns them into `Filters` before any work starts.
pub fn filters(a: &FilterArgs) -> Result<Filters> {
    let date = |flag: &str, v: &Option<String>, end: bool| -> Result<Option<String>> {
        v.as_deref()
            .map(|s| {
                parse_user_date(s, end).with_context(|| {
                    format!("--{flag} {s:?} is not a date: use YYYY-MM-DD, YYYY-MM or YYYY")
                })
            })
            .transpose()
    };
    let f = Filters {
        decision: a.decision,
        medications: a.medications.clone(),
        classes: a.classes.clone(),
        categories: a.categories.clone(),
        guidelines: a.guidelines.clone(),
        mtus_pages: a.mtus_pages.clone(),
        specialties: a.specialties.clone(),
        from: date("from", &a.from, false)?,
        to: date("to", &a.to, true)?,
    };
    if let (Some(from), Some(to)) = (&f.from, &f.to) {
        if from > to {
            bail!("--from {from} is after --to {to}");
        }
    }
    Ok(f)
}

/// The format asked for, else a table on a terminal and JSON down a pipe.
pub fn format(asked: Option<Format>) -> Format {
    asked.unwrap_or(if std::io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Json
    })
}

/// The bundled demo corpus: ./corpora when run from the repository, else the one the binary
/// was built from.
fn bundled_corpus() -> Option<PathBuf> {
    [
        PathBuf::from("corpora"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora"),
    ]
    .into_iter()
    .find(|p| p.join("seeds").is_dir())
}

/// Opens the index for querying. With no index at the default location and none asked for,
/// the bundled corpus is indexed there first, saying so on stderr.
pub fn open_engine(flag: Option<&Path>) -> Result<Engine> {
    let dir = crate::index::default_dir(flag);
    let explicit = flag.is_some() || std::env::var_os("IMR_INDEX").is_some_and(|v| !v.is_empty());
    if !dir.join("meta.json").exists() && !explicit {
        if let Some(corpus) = bundled_corpus() {
            eprintln!(
                "imr: no index at {}: building it from the bundled corpus ({}) first",
                dir.display(),
                corpus.display()
            );
            let report = builder::build(
                &dir,
                &[corpus],
                &BuildOptions {
                    progress: ProgressMode::Quiet,
                    ..BuildOptions::default()
                },
            )?;
            eprintln!(
                "imr: indexed {} letters ({} items); `imr index PATH...` adds your own letters",
                report.letters, report.items
            );
        }
    }
    Ok(Engine::open(&dir)?)
}

/// Checks the query arguments, opens the index and builds the request (limit, sort and
/// the rest at their defaults for the caller to set).
pub fn request(q: &QueryArgs) -> Result<(Engine, SearchRequest)> {
    let filters = filters(&q.filters)?;
    let engine = open_engine(q.index.as_deref())?;
    Ok((
        engine,
        SearchRequest {
            query: q.query.join(" "),
            literal: q.literal,
            filters,
            ..SearchRequest::default()
        },
    ))
}
