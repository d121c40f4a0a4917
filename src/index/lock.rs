//! The write lock of an index, held by every `imr index` (plain or `--rebuild`) for its whole
//! run, and the clean-up of what killed rebuilds leave behind.
//!
//! tantivy's own writer lock lives inside the index directory, which a rebuild replaces by
//! renaming: it cannot guard the swap, and a plain `imr index` that takes it while a rebuild
//! runs in a sibling directory sees its letters vanish at the swap. So imr takes its own lock
//! on a file *beside* the index, `.<name>.lock`, with an OS advisory lock (`flock`): the OS
//! releases it when the process dies, however it dies, so a stale lock cannot outlive a
//! `kill -9`. The file itself stays (deleting a lock file races with a process that has just
//! opened it and would then lock a file nobody else can see).

use crate::error::{Error, Result};
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

/// The index directory's canonical location: the folder it sits in and its name, so that
/// `ix`, `./ix` and `/abs/ix` share one lock and one set of sibling folders.
#[derive(Debug, Clone)]
pub struct Siblings {
    pub parent: PathBuf,
    pub name: String,
}

impl Siblings {
    /// Resolves `dir`'s parent (creating it if needed), not `dir` itself: the index may not
    /// exist yet, and a rebuild replaces it.
    pub fn of(dir: &Path) -> Result<Siblings> {
        let absolute = std::path::absolute(dir).map_err(|e| Error::io_path(e, dir))?;
        let (Some(parent), Some(name)) = (absolute.parent(), absolute.file_name()) else {
            return Err(Error::NotAnIndex {
                path: dir.to_path_buf(),
                reason: "cannot hold an index (it has no name); choose a folder inside it".into(),
            });
        };
        std::fs::create_dir_all(parent).map_err(|e| Error::io_path(e, parent))?;
        Ok(Siblings {
            parent: parent
                .canonicalize()
                .map_err(|e| Error::io_path(e, parent))?,
            name: name.to_string_lossy().into_owned(),
        })
    }

    pub fn index(&self) -> PathBuf {
        self.parent.join(&self.name)
    }

    pub(crate) fn lock_file(&self) -> PathBuf {
        self.parent.join(format!(".{}.lock", self.name))
    }

    /// Where a rebuild by process `pid` builds the fresh index.
    pub fn rebuild(&self, pid: u32) -> PathBuf {
        self.parent.join(format!(".{}.rebuild-{pid}", self.name))
    }

    /// Where a rebuild by process `pid` moves the old index during the swap.
    pub fn old(&self, pid: u32) -> PathBuf {
        self.parent.join(format!(".{}.old-{pid}", self.name))
    }
}

/// The index's write lock, released when dropped (or when the process dies).
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
    pub siblings: Siblings,
}

impl WriteLock {
    /// Takes the lock without waiting: another `imr index` on this index is an
    /// [`Error::Locked`].
    pub fn acquire(dir: &Path) -> Result<WriteLock> {
        let siblings = Siblings::of(dir)?;
        let path = siblings.lock_file();
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io_path(e, &path))?;
        match file.try_lock() {
            Ok(()) => Ok(WriteLock {
                _file: file,
                siblings,
            }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::Locked {
                path: dir.to_path_buf(),
            }),
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io_path(e, &path)),
        }
    }

    /// Removes or completes what rebuilds of this index left when they were killed. Holding
    /// the lock, no other imr is writing this index, so every such folder is a dead
    /// process's. Each thing done is said on stderr.
    pub fn clean_leftovers(&self) -> Result<()> {
        let s = &self.siblings;
        let Ok(entries) = std::fs::read_dir(&s.parent) else {
            return Ok(());
        };
        let rebuild_prefix = format!(".{}.rebuild-", s.name);
        let old_prefix = format!(".{}.old-", s.name);
        let mut left: Vec<(u32, bool)> = Vec::new(); // (pid, is the old index)
        for entry in entries.filter_map(|e| e.ok()) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let parsed = name
                .strip_prefix(&rebuild_prefix)
                .map(|pid| (pid, false))
                .or_else(|| name.strip_prefix(&old_prefix).map(|pid| (pid, true)));
            if let Some((pid, old)) = parsed {
                if let Ok(pid) = pid.parse::<u32>() {
                    left.push((pid, old));
                }
            }
        }
        left.sort();
        left.dedup_by_key(|(pid, _)| *pid);
        let index = s.index();
        for (pid, _) in left {
            let (fresh, old) = (s.rebuild(pid), s.old(pid));
            if old.exists() && !index.exists() {
                if fresh.is_dir() {
                    // Killed between the two renames of the swap: the fresh index was
                    // complete (the swap only starts then), so finish the swap.
                    rename(&fresh, &index)?;
                    eprintln!(
                        "imr index: finished the swap of a rebuild interrupted by the end of process {pid}: {} is the rebuilt index",
                        index.display()
                    );
                } else {
                    rename(&old, &index)?;
                    eprintln!(
                        "imr index: restored {} from {}, left by process {pid}",
                        index.display(),
                        old.display()
                    );
                    continue;
                }
            }
            if old.exists() {
                remove(&old)?;
                eprintln!(
                    "imr index: removed {}, the old index left by a rebuild (process {pid})",
                    old.display()
                );
            }
            if fresh.exists() {
                remove(&fresh)?;
                eprintln!(
                    "imr index: removed {}, left by a rebuild that did not finish (process {pid})",
                    fresh.display()
                );
            }
        }
        Ok(())
    }
}

fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).map_err(|e| Error::io_path(e, from))
}

fn remove(dir: &Path) -> Result<()> {
    std::fs::remove_dir_all(dir).map_err(|e| Error::io_path(e, dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_on_the_same_index_is_refused_whatever_its_spelling() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("ix");
        let held = WriteLock::acquire(&dir).unwrap();
        let again = tmp.path().join("sub/../ix");
        std::fs::create_dir(tmp.path().join("sub")).unwrap();
        let err = WriteLock::acquire(&again).unwrap_err();
        assert!(matches!(err, Error::Locked { .. }), "{err:?}");
        drop(held);
        WriteLock::acquire(&again).unwrap();
    }
}
