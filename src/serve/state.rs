//! The open engine, reopened when `imr index` commits: a commit rewrites the index's
//! `meta.json`, so its modification time and length are checked on each request (one
//! `stat`) and a changed index is opened anew. The engine itself is unchanged: its reader
//! reloads only by hand, and reopening also renews its cached facet values and arrays.

use crate::search::Engine;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

type Stamp = Option<(SystemTime, u64)>;

/// The engine, shared, with its facet arrays being built on a thread of their own: a server
/// answers many queries, so each counts its facets from memory once they are built
/// (`Engine::warm`); requests before then count from the columns, with the same results.
fn warmed(engine: Engine) -> Arc<Engine> {
    let engine = Arc::new(engine);
    let e = engine.clone();
    let spawned = std::thread::Builder::new()
        .name("imr-warm".into())
        .spawn(move || {
            if let Err(err) = e.warm() {
                eprintln!("imr: facet counts stay on the columns: {err}");
            }
        });
    if let Err(err) = spawned {
        eprintln!("imr: facet counts stay on the columns: {err}");
    }
    engine
}

/// What every request shares: the index's folder and its open engine.
pub struct Shared {
    dir: PathBuf,
    current: RwLock<(Arc<Engine>, Stamp)>,
}

fn stamp(dir: &Path) -> Stamp {
    let m = std::fs::metadata(dir.join("meta.json")).ok()?;
    Some((m.modified().ok()?, m.len()))
}

impl Shared {
    pub fn new(engine: Engine, dir: PathBuf) -> Shared {
        let s = stamp(&dir);
        Shared {
            dir,
            current: RwLock::new((warmed(engine), s)),
        }
    }

    /// The engine over the index as last committed. A reopen that fails (an index being
    /// rebuilt) keeps the engine open before it, says why on stderr, and is tried again at
    /// the next commit.
    pub fn engine(&self) -> Arc<Engine> {
        let now = stamp(&self.dir);
        {
            let cur = self.current.read().unwrap_or_else(|p| p.into_inner());
            if cur.1 == now {
                return cur.0.clone();
            }
        }
        let mut cur = self.current.write().unwrap_or_else(|p| p.into_inner());
        if cur.1 != now {
            cur.1 = now;
            match Engine::open(&self.dir) {
                Ok(e) => cur.0 = warmed(e),
                Err(e) => eprintln!("imr: serving the index as it was: {e}"),
            }
        }
        cur.0.clone()
    }
}
