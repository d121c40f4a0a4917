//! What the query subcommands share: validated filters, the output format, and opening the
//! index (building the demo index on first use).

use crate::cli::{FilterArgs, QueryArgs};
use crate::demo;
use crate::index::facets::FACETS;
use crate::location::{self, Origin};
use crate::output::Format;
use crate::search::{Criteria, Engine, Filters};
use anyhow::Result;
use std::io::IsTerminal;
use std::path::Path;

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

/// Opens the index for querying. With no index at the default location (the per-user data
/// directory) and none asked for, the demo index is built there first from the letters
/// compiled in, saying so on stderr. An index set by `$IMR_INDEX` is named on stderr.
pub fn open_engine(flag: Option<&Path>) -> Result<Engine> {
    let loc = location::resolve(flag);
    for line in [loc.warning(), loc.note()].into_iter().flatten() {
        eprintln!("{line}");
    }
    if loc.origin == Origin::DataDir && no_index_at_all(&loc.dir) {
        eprintln!(
            "imr: no index at {}: building the demo index there from the {} letters built into imr",
            loc.dir.display(),
            demo::LETTERS.len()
        );
        let report = demo::build(&loc.dir)?;
        eprintln!(
            "imr: indexed {} demo letters ({} items); `imr index PATH...` replaces them with your own letters",
            report.letters, report.items
        );
    }
    Ok(Engine::open(&loc.dir)?)
}

/// Nothing there, or an empty folder: anything else (a damaged index, someone's files) is
/// left for `Engine::open` to name, never built over.
fn no_index_at_all(dir: &Path) -> bool {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_none(),
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    }
}
