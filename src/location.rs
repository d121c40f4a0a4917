//! Where the index lives: `--index DIR`, else `$IMR_INDEX`, else one index per user in the
//! platform's data directory (`~/.local/share/imr/index` on Linux), wherever `imr` is run from.

use std::path::{Path, PathBuf};

/// The variable that overrides the default index location.
pub const ENV: &str = "IMR_INDEX";

/// Where the index location came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `--index DIR` on the command line.
    Flag,
    /// `$IMR_INDEX`.
    Env,
    /// The per-user data directory: the default.
    DataDir,
    /// `./imr-index`, because the platform gave no data directory (no home directory).
    CurrentDir,
}

/// An index directory and why it is that one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub dir: PathBuf,
    pub origin: Origin,
}

/// `imr/` in the platform's per-user data directory (`$XDG_DATA_HOME/imr` or
/// `~/.local/share/imr` on Linux, `~/Library/Application Support/imr` on macOS,
/// `%APPDATA%\imr\data` on Windows), or None where there is no home directory.
pub fn data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "imr").map(|p| p.data_dir().to_path_buf())
}

/// Resolves the index location without touching the file system.
pub fn resolve(flag: Option<&Path>) -> Location {
    resolve_with(
        flag,
        std::env::var_os(ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from),
        data_dir(),
    )
}

/// The rule itself, apart from the environment (so it is unit-tested).
fn resolve_with(flag: Option<&Path>, env: Option<PathBuf>, data: Option<PathBuf>) -> Location {
    if let Some(dir) = flag {
        return Location {
            dir: dir.to_path_buf(),
            origin: Origin::Flag,
        };
    }
    if let Some(dir) = env {
        return Location {
            dir,
            origin: Origin::Env,
        };
    }
    match data {
        Some(data) => Location {
            dir: data.join("index"),
            origin: Origin::DataDir,
        },
        None => Location {
            dir: PathBuf::from("imr-index"),
            origin: Origin::CurrentDir,
        },
    }
}

/// The index directory to use, with the one-line warning when there is no data directory:
/// what `imr index` and the query commands call.
pub fn index_dir(flag: Option<&Path>) -> PathBuf {
    let loc = resolve(flag);
    if let Some(w) = loc.warning() {
        eprintln!("{w}");
    }
    loc.dir
}

impl Location {
    /// The warning for the fallback: an index in the current folder is not what the user
    /// expects from an installed tool, so it is said every time.
    pub fn warning(&self) -> Option<String> {
        (self.origin == Origin::CurrentDir).then(|| {
            format!(
                "imr: warning: no per-user data directory (no home directory): using ./{}",
                self.dir.display()
            )
        })
    }

    /// The line the query commands print on stderr when the answer comes from an index set
    /// by `$IMR_INDEX`: a variable set once in a shell profile is easily forgotten, and then
    /// an answer from another index than the user's own is a surprise. `--index` is not
    /// echoed: it is on the command line the user just typed (and echoing it would put a
    /// line on stderr of every scripted call). Nothing in the default case.
    pub fn note(&self) -> Option<String> {
        (self.origin == Origin::Env).then(|| {
            format!(
                "imr: using the index at {} (from ${ENV})",
                self.dir.display()
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins_then_the_variable_then_the_data_dir() {
        let data = Some(PathBuf::from("/home/u/.local/share/imr"));
        let env = Some(PathBuf::from("/env/ix"));
        let flag = Path::new("/flag/ix");
        assert_eq!(
            resolve_with(Some(flag), env.clone(), data.clone()),
            Location {
                dir: flag.to_path_buf(),
                origin: Origin::Flag
            }
        );
        assert_eq!(
            resolve_with(None, env.clone(), data.clone()),
            Location {
                dir: PathBuf::from("/env/ix"),
                origin: Origin::Env
            }
        );
        assert_eq!(
            resolve_with(None, None, data),
            Location {
                dir: PathBuf::from("/home/u/.local/share/imr/index"),
                origin: Origin::DataDir
            }
        );
    }

    #[test]
    fn no_data_dir_falls_back_to_the_current_folder_with_a_warning() {
        let loc = resolve_with(None, None, None);
        assert_eq!(loc.dir, PathBuf::from("imr-index"));
        assert_eq!(
            loc.warning().as_deref(),
            Some("imr: warning: no per-user data directory (no home directory): using ./imr-index")
        );
        assert_eq!(loc.note(), None);
    }

    #[test]
    fn only_the_variable_is_announced() {
        let env = resolve_with(None, Some(PathBuf::from("/env/ix")), None);
        assert_eq!(
            env.note().as_deref(),
            Some("imr: using the index at /env/ix (from $IMR_INDEX)")
        );
        assert_eq!(env.warning(), None);
        let flag = resolve_with(Some(Path::new("/f")), None, None);
        assert_eq!(flag.note(), None);
        let default = resolve_with(None, None, Some(PathBuf::from("/d")));
        assert_eq!((default.note(), default.warning()), (None, None));
    }
}
