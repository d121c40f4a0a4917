//! The demo letters compiled into the binary (corpora/seeds, 28 KB), and the first-run demo
//! index built from them, so an installed `imr` answers its README query with no source tree.

use crate::error::{Error, Result};
use crate::index::builder::{self, BuildOptions, BuildReport, ProgressMode};
use std::path::{Path, PathBuf};

macro_rules! seeds {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../corpora/seeds/", $name)))),*]
    };
}

/// The demo letters: (file name, text). A unit test checks this is all of corpora/seeds.
pub const LETTERS: &[(&str, &str)] = seeds![
    "000_015c11873bc6d2ff.txt",
    "001_b67151935dfeaf0e.txt",
    "002_a618e6da92a8e84b.txt",
    "003_e7842380b86787dc.txt",
    "004_8d13912140871e79.txt",
];

/// The file in an index directory that says it holds only the demo letters. A file of its
/// own, not a field of `imr-index.json`: it is written after the build, and it goes with the
/// index when `imr index` replaces it.
pub const MARKER: &str = "imr-demo";

/// Whether the index at `dir` is the demo index.
pub fn is_demo(dir: &Path) -> bool {
    dir.join(MARKER).is_file()
}

/// Where the demo letters are written for indexing: beside the index, so the items'
/// `source` names a file the user can open.
pub fn letters_dir(index_dir: &Path) -> PathBuf {
    index_dir.with_file_name("demo-letters")
}

/// Builds the demo index at `dir` from the compiled-in letters. The letters are written to
/// [`letters_dir`] and indexed by the same `builder::build` as `imr index` (one indexing path,
/// not a second one for texts in memory); the index is built beside `dir`, marked, and moved
/// into place in one rename, so an interrupted first run leaves no half index behind.
pub fn build(dir: &Path) -> Result<BuildReport> {
    let letters = letters_dir(dir);
    std::fs::create_dir_all(&letters).map_err(|e| Error::io_path(e, &letters))?;
    for (name, text) in LETTERS {
        // Written whole and renamed: a second first run at the same moment never reads a
        // letter half written.
        let path = letters.join(name);
        let part = letters.join(format!(".{name}.{}", std::process::id()));
        std::fs::write(&part, text).map_err(|e| Error::io_path(e, &part))?;
        std::fs::rename(&part, &path).map_err(|e| Error::io_path(e, &path))?;
    }
    let fresh = dir.with_file_name(format!(".index.demo-{}", std::process::id()));
    if fresh.exists() {
        std::fs::remove_dir_all(&fresh).map_err(|e| Error::io_path(e, &fresh))?;
    }
    let opts = BuildOptions {
        progress: ProgressMode::Quiet,
        ..BuildOptions::default()
    };
    // The build's write lock sits beside the folder it builds (`index::lock`); the folder is
    // renamed away, so its lock file goes too, whatever the outcome.
    let lock_file = crate::index::lock::Siblings::of(&fresh).map(|s| s.lock_file());
    let built = builder::build(&fresh, &[letters], &opts).and_then(|report| {
        let marker = fresh.join(MARKER);
        std::fs::write(
            &marker,
            "The five demo letters built into imr; `imr index PATH...` replaces them.\n",
        )
        .map_err(|e| Error::io_path(e, &marker))?;
        Ok(report)
    });
    if let Ok(lock_file) = lock_file {
        let _ = std::fs::remove_file(lock_file);
    }
    let report = match built {
        Ok(report) => report,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&fresh);
            return Err(e);
        }
    };
    // rename(2) replaces a missing or empty directory; anything else at `dir` (another
    // process's demo that won the race, a user's files) is kept and ours is dropped.
    if let Err(e) = std::fs::rename(&fresh, dir) {
        let _ = std::fs::remove_dir_all(&fresh);
        if !dir.join("meta.json").exists() {
            return Err(Error::io_path(e, dir));
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_letters_are_the_seed_corpus() {
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/seeds");
        let mut on_disk: Vec<(String, String)> = std::fs::read_dir(&seeds)
            .unwrap()
            .map(|e| {
                let path = e.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read_to_string(&path).unwrap())
            })
            .collect();
        on_disk.sort();
        let embedded: Vec<(String, String)> = LETTERS
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        assert_eq!(
            embedded, on_disk,
            "demo::LETTERS must list every seed letter"
        );
    }
}
