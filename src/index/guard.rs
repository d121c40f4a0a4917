//! Damaged indexes: the cheap checks made when an index is opened, and the boundary that turns
//! what tantivy does with damaged files — panics, corruption errors — into one
//! [`Error::Damaged`] line that names the index and the rebuild.
//!
//! tantivy trusts its files: a segment file truncated to a few bytes, a flipped byte in a
//! `.store` block or an edited `max_doc` make it panic (slice bounds, assertions) rather than
//! return an error, and a panic cannot be prevented from outside. So every index operation
//! runs inside [`guard`]: `catch_unwind` at the boundary, and a panic hook that, while any
//! guard is active, keeps the panic's message off stderr (it becomes the error's detail). A
//! panic is told from damage by where it happened (see `Caught::is_bug`): one outside
//! tantivy and outside the code that reads index data is a bug, and is reported as one.

use crate::error::{Error, Result};
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once};
use tantivy::directory::error::OpenReadError;
use tantivy::TantivyError;

/// Guards running now, in any thread: while there are some, the hook stays quiet.
static ACTIVE: AtomicUsize = AtomicUsize::new(0);
static HOOK: Once = Once::new();
/// The index most recently opened by this process, for a panic caught where the index
/// is not known (the command-level guard).
static OPENED: Mutex<Option<PathBuf>> = Mutex::new(None);

thread_local! {
    /// Where the last panic on this thread happened (`file:line`), as the hook saw it.
    static LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Guards active on this thread (they nest).
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

fn install_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if ACTIVE.load(Ordering::SeqCst) > 0 {
                let at = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()));
                LOCATION.with(|cell| *cell.borrow_mut() = at);
            } else {
                previous(info);
            }
        }));
    });
}

/// Counts a guard as active for as long as it lives, even when unwinding.
struct Active;

impl Active {
    fn enter() -> Active {
        install_hook();
        ACTIVE.fetch_add(1, Ordering::SeqCst);
        DEPTH.with(|d| d.set(d.get() + 1));
        Active
    }
}

impl Drop for Active {
    fn drop(&mut self) {
        ACTIVE.fetch_sub(1, Ordering::SeqCst);
        DEPTH.with(|d| d.set(d.get() - 1));
    }
}

/// A panic caught at the boundary: its message and where it happened.
struct Caught {
    message: String,
    location: Option<String>,
}

impl Caught {
    /// Whether the panic is a bug to report rather than a damaged index to rebuild, by where
    /// it happened. imr's own files show as relative paths (`src/...`), the dependencies' and
    /// the standard library's as absolute ones.
    /// - in a dependency (tantivy and the crates it reads with): damaged files, the reason
    ///   for this guard;
    /// - in imr's code that reads index data (`src/search/`, `src/index/`): damage too,
    ///   since it trusts what tantivy hands it (a term ordinal out of range after a flipped
    ///   bit); the detail keeps the location, in case a rebuild does not help;
    /// - anywhere else (the rest of imr, the standard library, as with a capacity overflow
    ///   from an absurd argument): a bug.
    fn is_bug(&self) -> bool {
        let Some(at) = self.location.as_deref() else {
            return false;
        };
        // Crates from a registry or a git checkout: in an index operation, tantivy's family
        // (tantivy-*, ownedbytes, zstd...).
        let in_dependency = ["/registry/src/", "/git/checkouts/"]
            .iter()
            .any(|d| at.contains(d));
        let reads_index = at.starts_with("src/search/") || at.starts_with("src/index/");
        !in_dependency && !reads_index
    }

    fn into_damage(self, dir: &Path) -> Error {
        let at = match self.location.as_deref() {
            Some(at) if at.starts_with("src/") => format!(" at {at}"),
            _ => String::new(),
        };
        Error::damaged(
            dir,
            format!("the index reader stopped: {}{at}", one_line(&self.message)),
        )
    }

    /// Says what a bug-panic said (the hook kept it quiet) and carries on unwinding, so it
    /// exits 101 as any other panic. Only the outermost guard of the thread says it: guards
    /// nest (a command around an open), and each would judge the same panic the same way.
    fn resume(self, payload: Box<dyn Any + Send>) -> ! {
        // The guard that caught it has already ended: none left means it was the outermost.
        if DEPTH.with(|d| d.get()) == 0 {
            eprintln!(
                "imr: internal error at {}: {}",
                self.location.as_deref().unwrap_or("an unknown place"),
                self.message
            );
        }
        std::panic::resume_unwind(payload)
    }
}

fn catch<T>(f: impl FnOnce() -> T) -> std::result::Result<T, (Caught, Box<dyn Any + Send>)> {
    let _active = Active::enter();
    LOCATION.with(|cell| *cell.borrow_mut() = None);
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".into());
        // Kept, not taken: an outer guard re-judges the same panic when this one resumes it.
        let location = LOCATION.with(|cell| cell.borrow().clone());
        (Caught { message, location }, payload)
    })
}

/// Runs an operation on the index at `dir`: a tantivy panic or a corruption error becomes
/// [`Error::Damaged`] (one line, naming `dir` and the rebuild); other errors pass unchanged.
/// The search engine wraps its open, search and document loads in this.
pub fn guard<T>(dir: &Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    match catch(f) {
        Ok(result) => result.map_err(|e| damage(dir, e)),
        Err((caught, payload)) if caught.is_bug() => caught.resume(payload),
        Err((caught, _)) => Err(caught.into_damage(dir)),
    }
}

/// [`guard`] for a whole command, whose errors are `anyhow`'s and whose index is whichever
/// one it opened: the boundary `main` puts around dispatch until each command guards its own
/// index operations.
pub fn guard_command<T>(f: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<T> {
    let opened = || OPENED.lock().ok().and_then(|o| o.clone());
    match catch(f) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => {
            let Some(dir) = opened() else { return Err(e) };
            match e
                .chain()
                .find_map(|c| c.downcast_ref::<Error>())
                .and_then(|ie| damage_of(&dir, ie))
            {
                Some(damaged) => Err(damaged.into()),
                None => Err(e),
            }
        }
        Err((caught, payload)) => match opened() {
            Some(dir) if !caught.is_bug() => Err(caught.into_damage(&dir).into()),
            _ => caught.resume(payload),
        },
    }
}

/// Notes the index a command opened, for [`guard_command`].
pub(crate) fn note_opened(dir: &Path) {
    if let Ok(mut opened) = OPENED.lock() {
        *opened = Some(dir.to_path_buf());
    }
}

/// The error itself, or [`Error::Damaged`] where it says the index's files are bad.
pub fn damage(dir: &Path, e: Error) -> Error {
    damage_of(dir, &e).unwrap_or(e)
}

fn damage_of(dir: &Path, e: &Error) -> Option<Error> {
    match e {
        Error::Tantivy { source, .. } => tantivy_damage(source).map(|d| Error::damaged(dir, d)),
        _ => None,
    }
}

/// What a tantivy error says about the files, if it says they are damaged. Permission and
/// lock errors, bad arguments and our own schema mistakes are not damage.
pub(crate) fn tantivy_damage(e: &TantivyError) -> Option<String> {
    let is_access = |io: &std::io::Error| {
        matches!(
            io.kind(),
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
        )
    };
    match e {
        TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(path)) => {
            Some(format!("{} is missing", path.display()))
        }
        TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath })
            if !is_access(io_error) =>
        {
            Some(format!(
                "{}: {}",
                filepath.display(),
                one_line(&io_error.to_string())
            ))
        }
        TantivyError::IoError(io) if !is_access(io) => Some(one_line(&io.to_string())),
        // Its `Debug` (which `Display` wraps) reads "Data corruption (in file `"x"`): why.".
        TantivyError::DataCorruption(c) => {
            let shown = format!("{c:?}");
            let shown = shown
                .strip_prefix("Data corruption (in file `\"")
                .map_or_else(|| shown.clone(), |rest| rest.replacen("\"`)", "", 1));
            Some(one_line(&shown))
        }
        TantivyError::OpenReadError(OpenReadError::IncompatibleIndex(_))
        | TantivyError::IncompatibleIndex(_)
        | TantivyError::SchemaError(_)
        | TantivyError::InternalError(_)
        | TantivyError::DeserializeError(_)
        | TantivyError::ErrorInThread(_)
        | TantivyError::Poisoned => Some(one_line(&e.to_string())),
        _ => None,
    }
}

/// A message on one line and of a readable length: tantivy's corruption errors are multi-line
/// `Debug` dumps up to a kilobyte long.
pub(crate) fn one_line(s: &str) -> String {
    const MAX: usize = 160;
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &flat[..cut]),
        None => flat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_a_dependency_is_damage_on_one_line() {
        let dir = Path::new("ix");
        // A panic located in tantivy: `Facet::from` unwraps the parse of a facet path.
        let result: Result<tantivy::schema::Facet> = guard(dir, || {
            Ok(tantivy::schema::Facet::from(std::hint::black_box(
                "no-slash",
            )))
        });
        let e = result.unwrap_err();
        assert!(matches!(e, Error::Damaged { .. }), "{e:?}");
        let shown = e.to_string();
        assert!(
            shown.starts_with("ix: index is damaged (the index reader stopped: "),
            "{shown}"
        );
        assert!(shown.ends_with("rebuild it with `imr index --rebuild --index ix PATH...`"));
        assert!(!shown.contains('\n'));
    }

    #[test]
    fn corruption_errors_become_damage_and_lock_errors_do_not() {
        let dir = Path::new("ix");
        let missing = Error::tantivy(
            "open",
            TantivyError::OpenReadError(OpenReadError::FileDoesNotExist("abc.idx".into())),
        );
        assert_eq!(
            damage(dir, missing).to_string(),
            "ix: index is damaged (abc.idx is missing); rebuild it with `imr index --rebuild --index ix PATH...`"
        );
        let busy = Error::tantivy(
            "writer",
            TantivyError::LockFailure(tantivy::directory::error::LockError::LockBusy, None),
        );
        assert!(matches!(damage(dir, busy), Error::Tantivy { .. }));
    }

    #[test]
    fn one_line_flattens_and_shortens() {
        assert_eq!(one_line("a\n  b\tc"), "a b c");
        let long = "x ".repeat(200);
        assert_eq!(one_line(&long).chars().count(), 161);
    }
}
