//! Reading a tree of letters (issue 12 part 5): UTF-16 and UTF-8 with BOM decoded, an
//! unreadable folder or file one line each while the walk goes on, symbolic links followed
//! loop-safely, a text file over the size cap refused by name.

use crate::util::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const SEED: &str = "004_8d13912140871e79.txt";

/// `imr parse --format jsonl` items without their `source` (which names the file).
fn items_of(path: &Path) -> (Vec<serde_json::Value>, Run) {
    let r = run(&["parse", "--format", "jsonl", path.to_str().unwrap()]);
    let mut items = jsonl(&r.stdout);
    for i in &mut items {
        i.as_object_mut().unwrap().remove("source");
    }
    (items, r)
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let units = (if bom { "\u{feff}" } else { "" })
        .encode_utf16()
        .chain(text.encode_utf16());
    for unit in units {
        out.extend(if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

/// A seed letter (2014-15, in the repo) and, where ../shared is here, a 2016 letter.
fn real_letters() -> Vec<PathBuf> {
    let mut out = vec![seeds().join(SEED)];
    if let Some(dir) = shared_letters("txt") {
        out.push(dir.join("CM16-0213037.txt"));
    }
    out
}

#[test]
fn utf16_with_and_without_bom_and_utf8_with_bom_parse_like_utf8() {
    for original in real_letters() {
        let text = fs::read_to_string(&original).unwrap();
        let (expected, r) = items_of(&original);
        assert_eq!(r.status, 0, "{}", r.stderr);
        assert!(!expected.is_empty());
        let tmp = tempfile::tempdir().unwrap();
        let encodings: [(&str, Vec<u8>); 5] = [
            ("utf16le-bom", utf16(&text, false, true)),
            ("utf16le", utf16(&text, false, false)),
            ("utf16be-bom", utf16(&text, true, true)),
            ("utf16be", utf16(&text, true, false)),
            (
                "utf8-bom",
                [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            ),
        ];
        for (name, bytes) in encodings {
            // The same file name: a letter without a case number is known by its stem.
            let path = tmp.path().join(name).join(original.file_name().unwrap());
            fs::create_dir(path.parent().unwrap()).unwrap();
            fs::write(&path, bytes).unwrap();
            let (items, r) = items_of(&path);
            assert_eq!(
                (r.status, r.stderr.as_str()),
                (0, ""),
                "{name} of {}",
                original.display()
            );
            assert_eq!(items, expected, "{name} of {}", original.display());
        }
    }
}

/// A command that runs `imr` as a user chmod can stop: this user, or `nobody` (through
/// setpriv) when running as root; None, after saying so, when neither is possible.
fn unprivileged_imr() -> Option<Command> {
    if !is_root() {
        return Some(imr());
    }
    let mut cmd = Command::new("setpriv");
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(env!("CARGO_BIN_EXE_imr"));
    let probe = cmd.output();
    if !probe.as_ref().is_ok_and(|o| o.status.code() == Some(2)) {
        eprintln!(
            "SKIPPED: running as root, where chmod denies nothing, and setpriv cannot run imr \
             as nobody ({probe:?}): an unreadable folder cannot be tested"
        );
        return None;
    }
    let home = Path::new(env!("CARGO_TARGET_TMPDIR")).join("home");
    cmd.env_remove("IMR_INDEX")
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("HOME", home);
    Some(cmd)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

/// Seeds as `<case>.txt` with a header so each has its own case number.
fn letter_with_case(case: &str) -> String {
    let seed = fs::read_to_string(seeds().join(SEED)).unwrap();
    format!("Case Number: {case}\n{seed}")
}

#[test]
fn an_unreadable_folder_and_file_are_one_line_each_and_the_walk_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("letters");
    let locked = root.join("b-locked");
    fs::create_dir_all(&locked).unwrap();
    fs::create_dir_all(root.join("c-open")).unwrap();
    fs::write(root.join("a.txt"), letter_with_case("CM99-0000001")).unwrap();
    fs::write(locked.join("hidden.txt"), letter_with_case("CM99-0000002")).unwrap();
    fs::write(root.join("c-open/c.txt"), letter_with_case("CM99-0000003")).unwrap();
    fs::write(root.join("d-locked.txt"), letter_with_case("CM99-0000004")).unwrap();
    let Some(mut cmd) = unprivileged_imr() else {
        return;
    };
    // Others may enter the test's folders (for `nobody`), write only where the index goes.
    for dir in [tmp.path(), &root, &root.join("c-open")] {
        set_mode(dir, 0o755);
    }
    let ix_home = tmp.path().join("ix-home");
    fs::create_dir(&ix_home).unwrap();
    set_mode(&ix_home, 0o777);
    set_mode(&locked, 0o000);
    set_mode(&root.join("d-locked.txt"), 0o000);
    let r = run_cmd(
        cmd.args(["index", "--index"])
            .arg(ix_home.join("ix"))
            .arg(&root),
    );
    set_mode(&locked, 0o755);
    let skipped: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("skipped: "))
        .collect();
    assert_eq!(
        skipped,
        vec![
            format!(
                "skipped: {}: cannot read folder: Permission denied (os error 13)",
                locked.display()
            ),
            format!(
                "skipped: {}: Permission denied (os error 13)",
                root.join("d-locked.txt").display()
            ),
        ],
        "{}",
        r.stderr
    );
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "3 files: 2 read (2 letters: 2 2016-header), 1 skipped (1 unreadable); 1 folder \
             could not be read"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn symbolic_links_are_followed_once_and_loops_are_not() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let elsewhere = tmp.path().join("elsewhere");
    let root = tmp.path().join("letters");
    fs::create_dir_all(elsewhere.join("more")).unwrap();
    fs::create_dir_all(root.join("sub")).unwrap();
    fs::write(root.join("a.txt"), letter_with_case("CM99-0000001")).unwrap();
    fs::write(elsewhere.join("b.txt"), letter_with_case("CM99-0000002")).unwrap();
    fs::write(
        elsewhere.join("more/c.txt"),
        letter_with_case("CM99-0000003"),
    )
    .unwrap();
    symlink(elsewhere.join("b.txt"), root.join("link-to-b.txt")).unwrap();
    symlink(elsewhere.join("more"), root.join("link-to-more")).unwrap();
    // The same file twice (read once), a loop, and a link to nothing.
    symlink(root.join("a.txt"), root.join("sub/again.txt")).unwrap();
    symlink(&root, root.join("sub/loop")).unwrap();
    symlink(tmp.path().join("gone.txt"), root.join("z-gone.txt")).unwrap();

    let r = run(&[
        "index",
        "--index",
        tmp.path().join("ix").to_str().unwrap(),
        root.to_str().unwrap(),
    ]);
    let d = root.display();
    let lines: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("note: ") || l.starts_with("skipped: "))
        .collect();
    assert_eq!(
        lines,
        vec![
            format!("note: {d}/sub/again.txt: the same file as {d}/a.txt, read once"),
            format!("note: {d}/sub/loop: a symbolic link back to {d}, not followed (a loop)"),
            format!(
                "skipped: {d}/z-gone.txt: a symbolic link to nothing readable (No such file or \
                 directory (os error 2))"
            ),
        ],
        "{}",
        r.stderr
    );
    assert_eq!(r.status, 1, "the dangling link is a skipped file");
    assert!(
        r.stderr
            .contains("4 files: 3 read (3 letters: 3 2016-header), 1 skipped (1 unreadable)"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_text_file_over_the_cap_is_refused_by_name_without_reading_it() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big.txt");
    // Sparse: the size without the disk space.
    let f = fs::File::create(&big).unwrap();
    let size = imr_search::files::MAX_TEXT_FILE_BYTES + 1;
    f.set_len(size).unwrap();
    drop(f);
    fs::write(tmp.path().join("a.txt"), letter_with_case("CM99-0000001")).unwrap();
    let r = run(&["parse", "--format", "jsonl", tmp.path().to_str().unwrap()]);
    assert_eq!(r.status, 1);
    assert_eq!(
        r.stderr,
        format!(
            "{}: {size} bytes is over the {}-byte limit for one text file (a letter is 5-30 KB)\n",
            big.display(),
            imr_search::files::MAX_TEXT_FILE_BYTES
        )
    );
    assert_eq!(jsonl(&r.stdout).len(), 2, "a.txt's two items still parsed");
}
