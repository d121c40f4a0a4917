//! Fault injection (issue 13): a PDF that crashes the reader, writers racing or killed
//! mid-rebuild, damaged and read-only indexes, and a corruption fuzzer over every file of a
//! small index. Each test asserts what a user sees: the stderr line and the exit status.

use crate::util::*;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

fn index(dir: &Path, extra: &[&str], paths: &[&Path]) -> Run {
    let mut cmd = imr();
    cmd.arg("index").arg("--index").arg(dir).args(extra);
    for p in paths {
        cmd.arg(p);
    }
    run_cmd(&mut cmd)
}

/// A fresh index of the five seed letters at `<tmp>/ix`.
fn seeds_index(tmp: &Path) -> PathBuf {
    let dir = tmp.join("ix");
    let r = index(&dir, &["--quiet"], &[&seeds()]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    dir
}

fn search(dir: &Path, query: &str) -> Run {
    run_cmd(
        imr()
            .args(["search", "--format", "json", "--index"])
            .arg(dir)
            .arg(query),
    )
}

fn show(dir: &Path, id: &str) -> Run {
    run_cmd(
        imr()
            .args(["show", "--format", "json", "--index"])
            .arg(dir)
            .arg(id),
    )
}

fn facets(dir: &Path) -> Run {
    run_cmd(
        imr()
            .args(["facets", "decision", "--format", "json", "--index"])
            .arg(dir),
    )
}

/// What every damaged-index error ends with: the command that repairs it.
fn rebuild_hint(dir: &Path) -> String {
    format!(
        "; rebuild it with `imr index --rebuild --index {} PATH...`",
        dir.display()
    )
}

/// Asserts the run failed with exactly one stderr line saying `dir` is damaged, and returns
/// the detail in the parentheses.
fn assert_damaged(r: &Run, dir: &Path) -> String {
    assert_eq!(r.status, 2, "stderr: {}", r.stderr);
    let line = r.stderr.strip_suffix('\n').unwrap_or(&r.stderr);
    assert!(!line.contains('\n'), "one line only: {}", r.stderr);
    let head = format!("imr: {}: index is damaged (", dir.display());
    let tail = format!("){}", rebuild_hint(dir));
    assert!(
        line.starts_with(&head) && line.ends_with(&tail),
        "{}",
        r.stderr
    );
    line[head.len()..line.len() - tail.len()].to_string()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// The index's segment files with the given extension.
fn segment_files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

#[test]
fn nested_pdf_costs_its_own_letter_only() {
    // Issue 13 item 1: a 100 KB PDF nested 50,000 arrays deep overflowed the reader's stack,
    // which aborts the process (exit 134) and lost every letter of the run.
    let tmp = tempfile::tempdir().unwrap();
    let letters = tmp.path().join("letters");
    copy_dir(&seeds(), &letters);
    let bad = letters.join("nested.pdf");
    std::fs::write(&bad, nested_pdf(50_000)).unwrap();
    let dir = tmp.path().join("ix");
    let r = index(&dir, &[], &[&letters]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    let skipped: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("skipped: "))
        .collect();
    assert_eq!(
        skipped,
        [format!(
            "skipped: {}: PDF: damaged or unreadable PDF: the PDF reader crashed (it aborted: \
             nesting too deep for its stack, or out of memory)",
            bad.display()
        )]
    );
    assert!(
        r.stderr
            .contains("indexed 5 letters (15 items) from 6 files"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("overflow"), "{}", r.stderr);
}

/// Starts `imr index --rebuild` one letter per commit and returns it once it has committed
/// its first letter, i.e. while it holds the lock and is mid-run.
fn rebuild_in_progress(dir: &Path) -> Child {
    let mut child = imr()
        .args(["index", "--rebuild", "--batch", "1", "--index"])
        .arg(dir)
        .arg(seeds())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(
        first.starts_with("imr index: committed 1/5 files"),
        "{first}"
    );
    // Keep draining its stderr so that it never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    child
}

fn signal(child: &Child, sig: &str) {
    let status = std::process::Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn a_running_rebuild_locks_out_index_and_rebuild() {
    // Issue 13 item 2: a plain `imr index` during a rebuild reported success and its letters
    // vanished at the swap (or it failed with tantivy's FileDoesNotExist); two rebuilds both
    // succeeded.
    let tmp = tempfile::tempdir().unwrap();
    let dir = seeds_index(tmp.path());
    let rebuild = rebuild_in_progress(&dir);
    // Stopped, it cannot finish between our two commands: the lock is held throughout.
    signal(&rebuild, "-STOP");
    let locked = format!(
        "imr: {}: index is locked by another imr process (an `imr index` is running); try again when it finishes\n",
        dir.display()
    );
    let r = index(&dir, &["--quiet"], &[&seeds()]);
    let r2 = index(&dir, &["--rebuild", "--quiet"], &[&seeds()]);
    signal(&rebuild, "-CONT");
    let mut rebuild = rebuild;
    let done = rebuild.wait().unwrap();
    assert_eq!((r.status, r.stderr.as_str()), (2, locked.as_str()));
    assert_eq!((r2.status, r2.stderr.as_str()), (2, locked.as_str()));
    assert!(done.success());
    let r = search(&dir, "Valium");
    assert_eq!(r.status, 0, "{}", r.stderr);
    // Nothing of the rebuild is left beside the index but its lock file.
    let mut beside: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, [".ix.lock", "ix"]);
}

#[test]
fn a_killed_rebuild_is_cleaned_up_by_the_next_run() {
    // Issue 13 item 2: a killed rebuild left its `.ix.rebuild-<pid>/` (47 MB) forever.
    let tmp = tempfile::tempdir().unwrap();
    let dir = seeds_index(tmp.path());
    let mut rebuild = rebuild_in_progress(&dir);
    let pid = rebuild.id();
    rebuild.kill().unwrap();
    rebuild.wait().unwrap();
    let leftover = tmp
        .path()
        .canonicalize()
        .unwrap()
        .join(format!(".ix.rebuild-{pid}"));
    assert!(leftover.is_dir());
    let r = index(&dir, &["--quiet"], &[&seeds()]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        format!(
            "imr index: removed {}, left by a rebuild that did not finish (process {pid})\n",
            leftover.display()
        )
    );
    assert!(!leftover.exists());
}

#[test]
fn a_rebuild_killed_mid_swap_is_finished_by_the_next_run() {
    // Between the swap's two renames the index folder does not exist: the old index is in
    // `.ix.old-<pid>` and the complete new one in `.ix.rebuild-<pid>`.
    let tmp = tempfile::tempdir().unwrap();
    let dir = seeds_index(tmp.path());
    let beside = tmp.path().canonicalize().unwrap();
    let (old, fresh) = (
        beside.join(".ix.old-999999"),
        beside.join(".ix.rebuild-999999"),
    );
    copy_dir(&dir, &fresh);
    std::fs::rename(&dir, &old).unwrap();
    let r = index(&dir, &["--quiet"], &[&seeds()]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        format!(
            "imr index: finished the swap of a rebuild interrupted by the end of process \
             999999: {} is the rebuilt index\n\
             imr index: removed {}, the old index left by a rebuild (process 999999)\n",
            beside.join("ix").display(),
            old.display()
        )
    );
    assert!(!old.exists() && !fresh.exists());
    assert_eq!(search(&dir, "Valium").status, 0);
}

#[test]
fn cut_segment_file_is_one_line_naming_the_rebuild_which_repairs_it() {
    // Issue 13 item 3: a segment file cut to a few bytes panicked in tantivy
    // (`assertion failed: start <= orig_range.end`, exit 101), in `search` and in `index`.
    let tmp = tempfile::tempdir().unwrap();
    let dir = seeds_index(tmp.path());
    let term = segment_files(&dir, "term").remove(0);
    std::fs::write(&term, b"12345").unwrap();
    let name = term.file_name().unwrap().to_string_lossy().into_owned();
    let detail = format!("{name} is cut short (5 bytes)");
    assert_eq!(assert_damaged(&search(&dir, "Valium"), &dir), detail);
    assert_eq!(
        assert_damaged(&show(&dir, "000_015c11873bc6d2ff"), &dir),
        detail
    );
    assert_eq!(assert_damaged(&facets(&dir), &dir), detail);
    assert_eq!(
        assert_damaged(&index(&dir, &["--quiet"], &[&seeds()]), &dir),
        detail
    );
    let r = index(&dir, &["--rebuild", "--quiet"], &[&seeds()]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let r = search(&dir, "Valium");
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Valium 2mg #30"), "{}", r.stdout);
}

#[test]
fn lost_meta_files_are_damage_and_rebuild_accepts_the_folder() {
    // Issue 13 item 3: a lost imr-index.json gave "No such file or directory", and
    // `--rebuild` then refused to run ("not an imr index").
    for (lost, detail) in [
        ("imr-index.json", "imr-index.json is missing"),
        ("meta.json", "tantivy's meta.json is missing"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = seeds_index(tmp.path());
        std::fs::remove_file(dir.join(lost)).unwrap();
        assert_eq!(assert_damaged(&search(&dir, "Valium"), &dir), detail);
        assert_eq!(
            assert_damaged(&index(&dir, &["--quiet"], &[&seeds()]), &dir),
            detail
        );
        let r = index(&dir, &["--rebuild", "--quiet"], &[&seeds()]);
        assert_eq!((r.status, r.stderr.as_str()), (0, ""), "{lost}");
        assert_eq!(search(&dir, "Valium").status, 0);
    }
}

#[test]
fn rebuild_still_refuses_a_folder_that_is_not_an_index() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("papers");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("thesis.txt"), "mine").unwrap();
    let r = index(&dir, &["--rebuild", "--quiet"], &[&seeds()]);
    assert_eq!(r.status, 2);
    assert_eq!(
        r.stderr,
        format!(
            "imr: {}: exists and is not an imr index; --rebuild only replaces an imr index\n",
            dir.display()
        )
    );
    assert!(dir.join("thesis.txt").exists());
}

#[test]
fn edited_max_doc_and_flipped_store_bytes_never_panic() {
    // Issue 13 item 3: a flipped byte in a `.store` file or an edited `max_doc` panicked.
    let tmp = tempfile::tempdir().unwrap();
    let dir = seeds_index(tmp.path());
    let good = show(&dir, "000_015c11873bc6d2ff");
    assert_eq!(good.status, 0);

    let edited = tmp.path().join("max_doc");
    copy_dir(&dir, &edited);
    let meta = std::fs::read_to_string(edited.join("meta.json")).unwrap();
    let bumped = raise_max_doc(&meta);
    assert_ne!(meta, bumped);
    std::fs::write(edited.join("meta.json"), bumped).unwrap();
    for r in [
        search(&edited, "Valium"),
        show(&edited, "000_015c11873bc6d2ff"),
    ] {
        assert_damaged(&r, &edited);
    }

    // Every byte position of the store's first kilobyte, flipped one at a time.
    let store = segment_files(&dir, "store").remove(0);
    let bytes = std::fs::read(&store).unwrap();
    let flipped = tmp.path().join("flipped");
    copy_dir(&dir, &flipped);
    let target = flipped.join(store.file_name().unwrap());
    for at in (0..bytes.len().min(1024)).step_by(97) {
        let mut bad = bytes.clone();
        bad[at] ^= 0xff;
        std::fs::write(&target, &bad).unwrap();
        // Exit 0 with the same letter, or with its text altered where the flip fell in a
        // stretch zstd copies literally (tantivy keeps no checksum it checks on reads), or
        // the damage line: never a panic.
        let r = show(&flipped, "000_015c11873bc6d2ff");
        if r.status == 0 {
            let items: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
            assert_eq!(items.as_array().map(Vec::len), Some(2), "byte {at}");
        } else {
            assert_damaged(&r, &flipped);
        }
    }
}

/// meta.json with every segment's `max_doc` raised by 1000.
fn raise_max_doc(meta: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(meta).unwrap();
    for seg in v["segments"].as_array_mut().unwrap() {
        let n = seg["max_doc"].as_u64().unwrap();
        seg["max_doc"] = (n + 1000).into();
    }
    serde_json::to_string(&v).unwrap()
}

/// `id -u` is 0: chmod does not stop root, so read-only must be tested as another user.
fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// Names, sizes and modification times of a directory's entries.
fn listing(dir: &Path) -> Vec<(String, u64, std::time::SystemTime)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                m.len(),
                m.modified().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn read_only_index_is_searched_and_files_are_readable_by_others() {
    // Issue 13 item 4: a read-only index failed with "Failed to acquire Lockfile:
    // PermissionDenied", and index files were written 0600.
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = seeds_index(tmp.path());
    for (name, _, _) in listing(&dir) {
        let mode = std::fs::metadata(dir.join(&name))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o044, 0o044, "{name} is {mode:o}");
    }
    let expected = search(&dir, "Valium");
    assert_eq!(expected.status, 0, "{}", expected.stderr);

    // A copy nobody may write: files 0444, folder 0555, inside a folder others may enter.
    // Once with tantivy's meta lock file (a reader then takes a shared lock on it, read-only)
    // and once without (an index no writer ever collected: nothing to lock).
    set_mode(tmp.path(), 0o755);
    for with_lock_file in [true, false] {
        let ro = tmp.path().join(format!("ro-{with_lock_file}"));
        copy_dir(&dir, &ro);
        if !with_lock_file {
            std::fs::remove_file(ro.join(".tantivy-meta.lock")).unwrap();
        }
        for (name, _, _) in listing(&ro) {
            set_mode(&ro.join(name), 0o444);
        }
        set_mode(&ro, 0o555);
        let before = listing(&ro);
        let mut cmd = if is_root() {
            // Root writes through any mode bits, so search as `nobody` (setpriv, util-linux).
            let mut cmd = std::process::Command::new("setpriv");
            cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
                .arg(env!("CARGO_BIN_EXE_imr"));
            let probe = cmd.output();
            if !probe.as_ref().is_ok_and(|o| o.status.code() == Some(2)) {
                eprintln!(
                    "SKIPPED: cannot run imr as nobody with setpriv ({probe:?}); as root, a \
                     read-only index cannot be tested"
                );
                set_mode(&ro, 0o755);
                return;
            }
            cmd
        } else {
            imr()
        };
        let r = run_cmd(
            cmd.env_remove("IMR_INDEX")
                .args(["search", "--format", "json", "--index"])
                .arg(&ro)
                .arg("Valium"),
        );
        set_mode(&ro, 0o755);
        assert_eq!(
            (r.status, r.stderr.as_str()),
            (0, ""),
            "lock file: {with_lock_file}"
        );
        assert_eq!(r.stdout, expected.stdout);
        assert_eq!(listing(&ro), before, "the search wrote nothing");
    }
}

/// A deterministic generator for the fuzzer (xorshift64*), no dependency needed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as usize % n.max(1)
    }
}

#[derive(Debug, Clone, Copy)]
enum Damage {
    Truncate,
    Flip,
    Delete,
}

/// What `imr index --quiet` shows when it indexed everything.
fn quiet_success() -> Run {
    Run {
        status: 0,
        stdout: String::new(),
        stderr: String::new(),
    }
}

/// What one command did against a damaged copy.
enum Outcome {
    /// Exit 0 and the same output as on the intact index.
    Same,
    /// Exit 2 and one stderr line naming `imr index --rebuild`.
    Refused,
    /// Other output (or `show`'s "no item"): damage tantivy read without noticing (no
    /// checksum is verified on reads).
    Different,
}

fn judge(r: &Run, baseline: &Run, case: &str) -> Result<Outcome, String> {
    if r.status == 101 || r.status == 134 || r.status < 0 || r.stderr.contains("panicked") {
        return Err(format!("{case}: crashed ({}): {}", r.status, r.stderr));
    }
    if r.status == 0 {
        return Ok(if r.stdout == baseline.stdout {
            Outcome::Same
        } else {
            Outcome::Different
        });
    }
    let one_line = r.stderr.lines().count() == 1;
    if r.status == 2 && one_line && r.stderr.contains("imr index --rebuild") {
        Ok(Outcome::Refused)
    } else if r.status == 2 && one_line && r.stderr.starts_with("imr: no item or letter") {
        // A flipped bit in a posting list: `show` does not find the letter, a wrong answer
        // of the same kind as a changed result.
        Ok(Outcome::Different)
    } else {
        Err(format!("{case}: exit {}: {}", r.status, r.stderr))
    }
}

/// A stored item that reads back under another index than its id names (a flipped digit
/// in the lz4 literal `"item_index":1`, which the store has no checksum to catch) is refused
/// as damage; it once sent `imr show` looking for the letter's first item round in circles
/// until the stack overflowed (exit 134, found by the fuzzer below).
#[test]
fn an_item_stored_under_another_id_is_damage_not_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = seeds_index(tmp.path());
    let mut flipped = 0;
    for store in segment_files(&dir, "store") {
        let mut bytes = std::fs::read(&store).unwrap();
        let key = b"\"item_index\":1";
        let Some(at) = bytes.windows(key.len()).position(|w| w == key) else {
            continue;
        };
        bytes[at + key.len() - 1] = b'3';
        std::fs::write(&store, &bytes).unwrap();
        flipped += 1;
    }
    assert!(
        flipped > 0,
        "no store holds the literal to flip: lz4 or the record changed"
    );
    let mut refused = 0;
    for seed in std::fs::read_dir(seeds()).unwrap() {
        let name = seed.unwrap().path();
        let letter = name.file_stem().unwrap().to_string_lossy().into_owned();
        for r in [show(&dir, &letter), show(&dir, &format!("{letter}#1"))] {
            if r.status != 0 {
                let detail = assert_damaged(&r, &dir);
                refused += detail.contains("reads back as") as usize;
            }
        }
    }
    assert!(refused > 0, "no letter's first item was found damaged");
}

#[test]
fn corruption_fuzzer() {
    // Issue 13 "done when": truncate, flip a byte in, or delete each file of a small index,
    // many seeds, in bounded time: never a panic or an abort; every refusal one line naming
    // the rebuild; and the rebuild restores the index (checked on a sample of cases).
    let budget = Duration::from_secs(
        std::env::var("IMR_FUZZ_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(40),
    );
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let dir = seeds_index(tmp.path());
    let letter = "000_015c11873bc6d2ff";
    let base_search = search(&dir, "Valium");
    let base_show = show(&dir, letter);
    let base_facets = facets(&dir);
    let base_index = quiet_success();
    assert_eq!(
        (base_search.status, base_show.status, base_facets.status),
        (0, 0, 0)
    );
    let files: Vec<String> = listing(&dir).into_iter().map(|(name, _, _)| name).collect();
    let mut rng = Rng(0x1337_5EED);
    let (mut cases, mut runs, mut rebuilds) = (0, 0, 0);
    let (mut same, mut refused, mut different) = (0, 0, 0);
    let mut silent_by_damage = std::collections::BTreeMap::<String, usize>::new();
    let mut failures = Vec::new();
    let case_dir = tmp.path().join("case");
    'rounds: for round in 0.. {
        for name in &files {
            for damage in [Damage::Truncate, Damage::Flip, Damage::Delete] {
                if matches!(damage, Damage::Delete) && round > 0 {
                    continue;
                }
                if started.elapsed() > budget {
                    break 'rounds;
                }
                let _ = std::fs::remove_dir_all(&case_dir);
                copy_dir(&dir, &case_dir);
                let target = case_dir.join(name);
                let mut bytes = std::fs::read(&target).unwrap();
                let what = match damage {
                    Damage::Truncate => {
                        let len = rng.below(bytes.len());
                        bytes.truncate(len);
                        std::fs::write(&target, &bytes).unwrap();
                        format!("{name} cut to {len} bytes")
                    }
                    Damage::Flip if bytes.is_empty() => continue,
                    Damage::Flip => {
                        let at = rng.below(bytes.len());
                        bytes[at] ^= 1 << rng.below(8);
                        std::fs::write(&target, &bytes).unwrap();
                        format!("{name} with byte {at} flipped")
                    }
                    Damage::Delete => {
                        std::fs::remove_file(&target).unwrap();
                        format!("{name} deleted")
                    }
                };
                cases += 1;
                let mut checks = vec![
                    (search(&case_dir, "Valium"), &base_search),
                    (show(&case_dir, letter), &base_show),
                ];
                if cases % 4 == 2 {
                    checks.push((facets(&case_dir), &base_facets));
                }
                if cases % 5 == 3 {
                    // Indexing into the damaged copy: any success passes (its output is the
                    // run's counts, not a result), a refusal must be the one line.
                    let r = index(&case_dir, &["--quiet"], &[&seeds()]);
                    let r = if r.status == 0 { quiet_success() } else { r };
                    checks.push((r, &base_index));
                }
                for (r, base) in checks {
                    runs += 1;
                    match judge(&r, base, &what) {
                        Ok(Outcome::Same) => same += 1,
                        Ok(Outcome::Refused) => refused += 1,
                        Ok(Outcome::Different) => {
                            different += 1;
                            *silent_by_damage.entry(format!("{damage:?}")).or_default() += 1;
                        }
                        Err(failure) => failures.push(failure),
                    }
                }
                if cases % 10 == 1 {
                    rebuilds += 1;
                    let r = index(&case_dir, &["--rebuild", "--quiet"], &[&seeds()]);
                    let after = search(&case_dir, "Valium");
                    if r.status != 0 || after.stdout != base_search.stdout {
                        failures.push(format!("{what}: rebuild did not restore: {}", r.stderr));
                    }
                }
            }
        }
    }
    eprintln!(
        "corruption fuzzer: {cases} cases over {} files, {runs} runs, {rebuilds} rebuilds in \
         {:.1} s: {same} unchanged, {refused} refused with the rebuild line, {different} \
         answered differently without noticing ({silent_by_damage:?}), {} failures",
        files.len(),
        started.elapsed().as_secs_f64(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Cut or missing files are always noticed; only flipped bytes can go unseen.
    assert!(
        silent_by_damage.keys().all(|k| k == "Flip"),
        "{silent_by_damage:?}"
    );
    assert!(cases >= files.len() * 3, "only {cases} cases ran");
}
