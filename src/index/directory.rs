//! The tantivy `Directory` imr opens indexes through: tantivy's `MmapDirectory`, but with
//! files written at the user's umask (0644, not 0600) and readers that need no write access.
//!
//! Two things in `MmapDirectory` stand in the way of a shared index:
//! - `atomic_write` (meta.json, .managed.json) goes through a `tempfile`, which is created
//!   0600 whatever the umask; colleagues then cannot open the index at all. We write the temp
//!   file ourselves with `OpenOptions`' default mode (0666 less the umask) and rename it.
//! - opening a reader takes tantivy's meta lock (`.tantivy-meta.lock`) to keep a writer's
//!   garbage collection from deleting segment files mid-open, and `MmapDirectory` opens that
//!   file for writing: on a read-only mount or another user's index, search fails with
//!   "Failed to acquire Lockfile: PermissionDenied". Where that file cannot be opened for
//!   writing we open it read-only and take a *shared* `flock` on it instead, which still keeps
//!   out a writer's GC (it takes the lock exclusively) and needs only read access; if it does
//!   not exist no writer has ever garbage-collected there, and there is nothing to lock.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tantivy::directory::error::{
    DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError,
};
use tantivy::directory::{
    DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr, META_LOCK,
};
use tantivy::Directory;

/// `MmapDirectory` with umask-honouring atomic writes and a read-only-friendly meta lock.
#[derive(Clone, Debug)]
pub struct ImrDirectory {
    inner: MmapDirectory,
    root: PathBuf,
}

impl ImrDirectory {
    pub fn open(root: &Path) -> Result<ImrDirectory, OpenDirectoryError> {
        Ok(ImrDirectory {
            inner: MmapDirectory::open(root)?,
            root: root.to_path_buf(),
        })
    }
}

/// Distinguishes the temp files of concurrent atomic writes within one process.
static TEMP_SEQ: AtomicU64 = AtomicU64::new(0);

/// Writes `content` to `path` all or nothing: a temp file in the same directory (a rename
/// across filesystems is not atomic), synced, then renamed over the target.
fn atomic_write(path: &Path, content: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let temp = path.with_file_name(format!(
        ".{name}.{}-{}.tmp",
        std::process::id(),
        TEMP_SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    let written = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(content)?;
        file.sync_data()?;
        std::fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// A lock file that could only be opened for reading, locked shared until dropped.
struct SharedLock {
    _file: File,
}

fn is_read_only(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
    )
}

impl Directory for ImrDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        atomic_write(&self.root.join(path), data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            // Only the meta lock is a reader's; the writer lock must stay exclusive.
            Err(LockError::IoError(e))
                if is_read_only(&e) && lock.filepath == META_LOCK.filepath =>
            {
                match File::open(self.root.join(&lock.filepath)) {
                    Ok(file) => {
                        file.lock_shared()
                            .map_err(|e| LockError::IoError(Arc::new(e)))?;
                        Ok(DirectoryLock::from(Box::new(SharedLock { _file: file })))
                    }
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {
                        Ok(DirectoryLock::from(Box::new(())))
                    }
                    Err(e) => Err(LockError::IoError(Arc::new(e))),
                }
            }
            other => other,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn atomic_write_honours_the_umask_not_0600() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = ImrDirectory::open(tmp.path()).unwrap();
        dir.atomic_write(Path::new("meta.json"), b"{}").unwrap();
        let mode = std::fs::metadata(tmp.path().join("meta.json"))
            .unwrap()
            .permissions()
            .mode();
        // 0644 under the usual umask 022, 0664 under 002: readable by others either way, and
        // not tempfile's 0600.
        assert_eq!(mode & 0o044, 0o044, "mode {mode:o}");
        assert_eq!(std::fs::read(tmp.path().join("meta.json")).unwrap(), b"{}");
        // No temp file is left behind.
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
