//! What the query subcommands share: validated filters, the output format, and opening the
//! index (building the bundled demo index on first use).

use crate::cli::{FilterArgs, QueryArgs};
use crate::index::builder::{self, BuildOptions, ProgressMode};
use crate::index::facets::FACETS;
use crate::output::Format;
use crate::search::{Criteria, Engine, Filters};
use anyhow::Result;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// The filter flags as checked filters, in the order "interpreted:" lists them. Every value
/// was already checked by clap against the lexicon; this only assembles them.
pub fn filters(a: &FilterArgs) -> crate::Result<Filters> {
    let mut f = Filters::default();
    if let Some(d) = a.decision {
        f.decision(d);
    }
    for m in &a.medications {
        f.medication(m)?;
    }
    for c in &a.classes {
        f.class(c)?;
    }
    for c in &a.categories {
        f.category(c);
    }
    for c in &a.subcategories {
        f.subcategory(c);
    }
    for t in &a.treatments {
        f.treatment(t);
    }
    for r in &a.regions {
        f.region(r);
    }
    for g in &a.guidelines {
        f.guideline(g);
    }
    for p in &a.mtus_pages {
        f.mtus_page(*p);
    }
    for s in &a.specialties {
        f.specialty(s);
    }
    for (facet, path) in &a.wheres {
        f.facet(FACETS[*facet].name, path)?;
    }
    f.dates(a.from.clone(), a.to.clone())?;
    Ok(f)
}

/// The query and its filters, checked, before any index is opened.
pub fn criteria(q: &QueryArgs) -> crate::Result<Criteria> {
    Ok(Criteria {
        query: q.query.join(" "),
        literal: q.literal,
        filters: filters(&q.filters)?,
    })
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
