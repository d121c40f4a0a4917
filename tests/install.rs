//! `imr` as installed (issue 17): run from folders that are not the repository, with a home
//! and a data directory of its own; one index per user there, the demo letters compiled in,
//! `--index` and `$IMR_INDEX` overriding; completions, the man page, `--version`.

use crate::search::ids;
use crate::util::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const README_QUERY: &str = "Norco upheld urine drug screen";
const README_FIRST: &str = "000_015c11873bc6d2ff#1";

/// A user's machine: a home, an XDG data directory, and folders to run `imr` from.
struct Machine {
    root: tempfile::TempDir,
}

impl Machine {
    fn new() -> Machine {
        let m = Machine {
            root: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir(m.root.path().join("home")).unwrap();
        m
    }

    fn data(&self) -> PathBuf {
        self.root.path().join("home/.local/share")
    }

    /// Where the default index must be.
    fn index(&self) -> PathBuf {
        self.data().join("imr/index")
    }

    /// An empty folder to run `imr` from.
    fn folder(&self, name: &str) -> PathBuf {
        let dir = self.root.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// `imr` run from `cwd`, with this machine's home and data directory, no $IMR_INDEX.
    fn imr(&self, cwd: &Path) -> Command {
        let mut cmd = imr();
        cmd.current_dir(cwd)
            .env("HOME", self.root.path().join("home"))
            .env("XDG_DATA_HOME", self.data());
        cmd
    }

    fn search(&self, cwd: &Path, args: &[&str]) -> (Run, Value) {
        let r = run_cmd(
            self.imr(cwd)
                .args(["search", "--format", "json"])
                .args(args),
        );
        assert_eq!(r.status, 0, "{}", r.stderr);
        let v = serde_json::from_str(&r.stdout).expect("JSON on stdout, nothing else");
        (r, v)
    }

    /// A folder holding copies of the named seed letters.
    fn letters(&self, names: &[&str]) -> PathBuf {
        let dir = self.folder("letters");
        for name in names {
            std::fs::copy(seeds().join(name), dir.join(name)).unwrap();
        }
        dir
    }
}

fn is_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).unwrap().next().is_none()
}

/// The letters the hits of a broad query come from.
fn letters_answering(v: &Value) -> Vec<String> {
    let mut letters: Vec<String> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["letter_id"].as_str().unwrap().to_string())
        .collect();
    letters.sort();
    letters.dedup();
    letters
}

#[test]
fn install_first_run_builds_the_demo_index_in_the_data_directory() {
    // Issue 17: the first run wrote ./imr-index into whatever folder the user was in, from
    // ./corpora or the source folder the binary was built in.
    let m = Machine::new();
    let cwd = m.folder("anywhere");
    let (r, v) = m.search(&cwd, &[README_QUERY]);
    assert_eq!(
        r.stderr,
        format!(
            "imr: no index at {}: building the demo index there from the 5 letters built into imr\n\
             imr: indexed 5 demo letters (15 items); `imr index PATH...` replaces them with your own letters\n",
            m.index().display()
        )
    );
    assert_eq!(ids(&v)[0], README_FIRST);
    assert!(m.index().join("meta.json").is_file());
    assert!(m.index().join("imr-demo").is_file(), "marked as the demo");
    // The items' source is a file the user can open.
    let source = m.data().join("imr/demo-letters/000_015c11873bc6d2ff.txt");
    assert_eq!(v["hits"][0]["source"], source.display().to_string());
    assert!(source.is_file());
    assert!(is_empty(&cwd), "nothing is written into the current folder");
    assert_eq!(
        std::fs::read_dir(m.data().join("imr"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.starts_with('.'))
            .collect::<Vec<_>>(),
        Vec::<String>::new(),
        "no build leftovers"
    );

    // The second run, from another folder, answers from the same index and says nothing.
    let (r, v) = m.search(&m.folder("elsewhere"), &[README_QUERY]);
    assert_eq!(r.stderr, "");
    assert_eq!(ids(&v)[0], README_FIRST);
}

#[test]
fn install_index_then_search_from_another_folder_uses_the_same_index() {
    // Issue 17: `imr search` in another folder than `imr index`'s built a demo index there
    // and silently answered from five demo letters.
    let m = Machine::new();
    let letters = m.letters(&["002_a618e6da92a8e84b.txt"]);
    let r = run_cmd(
        m.imr(&m.folder("one"))
            .args(["index", "--quiet"])
            .arg(&letters),
    );
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    assert!(m.index().join("meta.json").is_file());
    assert!(!m.index().join("imr-demo").exists());

    let other = m.folder("two");
    let (r, v) = m.search(&other, &["--limit", "100", "medically"]);
    assert_eq!(r.stderr, "", "no demo is built over the user's index");
    let answering = letters_answering(&v);
    assert_eq!(answering.len(), 1, "{answering:?}");
    assert_ne!(answering[0], "000_015c11873bc6d2ff");
    assert!(is_empty(&other) && is_empty(&m.folder("one")));
}

#[test]
fn install_the_first_imr_index_replaces_the_demo() {
    // The demo letters must not stay mixed into the user's own.
    let m = Machine::new();
    m.search(&m.folder("a"), &[README_QUERY]);
    assert!(m.index().join("imr-demo").is_file());

    let letters = m.letters(&["002_a618e6da92a8e84b.txt"]);
    let r = run_cmd(m.imr(&m.folder("b")).arg("index").arg(&letters));
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(
        r.stderr.starts_with(&format!(
            "imr: {} holds the demo index: replacing it with the letters given\n",
            m.index().display()
        )),
        "{}",
        r.stderr
    );
    // The summary, then the reconciliation line that ends every `imr index`.
    assert!(
        r.stderr.trim_end().ends_with(&format!(
            "{} now holds 2 items\n1 file: 1 read (1 letter: 1 2014-no-header), 0 skipped",
            m.index().display()
        )),
        "{}",
        r.stderr
    );
    assert!(!m.index().join("imr-demo").exists());

    let (r, v) = m.search(&m.folder("c"), &["--limit", "100", "medically"]);
    assert_eq!(r.stderr, "");
    assert_eq!(letters_answering(&v).len(), 1);
    assert!(!letters_answering(&v).contains(&"000_015c11873bc6d2ff".to_string()));

    // A second `imr index` adds to the user's index, as before.
    let more = m.letters(&["000_015c11873bc6d2ff.txt"]);
    let r = run_cmd(m.imr(&m.folder("b")).args(["index", "--quiet"]).arg(&more));
    assert_eq!((r.status, r.stderr.as_str()), (0, ""));
    let (_, v) = m.search(&m.folder("c"), &[README_QUERY]);
    assert_eq!(ids(&v)[0], README_FIRST);
}

#[test]
fn install_index_flag_and_variable_override_the_data_directory() {
    let m = Machine::new();
    let cwd = m.folder("cwd");
    let ix = m.root.path().join("my-index");
    let r = run_cmd(
        m.imr(&cwd)
            .args(["index", "--quiet", "--index"])
            .arg(&ix)
            .arg(seeds()),
    );
    assert_eq!((r.status, r.stderr.as_str()), (0, ""));

    // --index: the user typed it, so it is not echoed.
    let (r, v) = m.search(&cwd, &["--index", ix.to_str().unwrap(), README_QUERY]);
    assert_eq!(r.stderr, "");
    assert_eq!(ids(&v)[0], README_FIRST);

    // $IMR_INDEX: easily forgotten, so the answer says where it came from.
    let r = run_cmd(m.imr(&cwd).env("IMR_INDEX", &ix).args([
        "search",
        "--format",
        "json",
        README_QUERY,
    ]));
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        format!(
            "imr: using the index at {} (from $IMR_INDEX)\n",
            ix.display()
        )
    );
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(ids(&v)[0], README_FIRST);

    // --index wins over $IMR_INDEX.
    let r = run_cmd(
        m.imr(&cwd)
            .env("IMR_INDEX", m.root.path().join("nowhere"))
            .args(["search", "--format", "json", "--index"])
            .arg(&ix)
            .arg(README_QUERY),
    );
    assert_eq!((r.status, r.stderr.as_str()), (0, ""));

    // An index asked for that does not exist is an error, never a demo built there.
    let missing = m.root.path().join("missing");
    let r = run_cmd(m.imr(&cwd).env("IMR_INDEX", &missing).args(["search", "x"]));
    assert_eq!(r.status, 2);
    assert!(r.stderr.contains("no index here"), "{}", r.stderr);
    assert!(!missing.exists());

    // None of this touched the default location or the current folder.
    assert!(!m.data().exists());
    assert!(is_empty(&cwd));
}

/// Every subcommand's name, from the clap definition (not a list kept by hand).
fn subcommands() -> Vec<String> {
    use clap::CommandFactory;
    imr_search::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect()
}

#[test]
fn install_completions_generate_for_every_shell_and_bash_parses_them() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let r = run(&["completions", shell]);
        assert_eq!((r.status, r.stderr.as_str()), (0, ""), "{shell}");
        for sub in subcommands() {
            assert!(r.stdout.contains(&sub), "{shell} completes {sub}");
        }
        // fish spells a flag `-l decision`, the others `--decision`.
        assert!(r.stdout.contains("decision"), "{shell} completes flags");
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("imr.bash");
    std::fs::write(&file, run(&["completions", "bash"]).stdout).unwrap();
    let out = Command::new("bash").arg("-n").arg(&file).output().unwrap();
    assert!(
        out.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = run(&["completions", "tcsh"]);
    assert_eq!(r.status, 2, "an unknown shell is a usage error");
}

#[test]
fn install_the_man_page_names_every_command_and_renders() {
    let r = run(&["man"]);
    assert_eq!((r.status, r.stderr.as_str()), (0, ""));
    // clap_mangen opens with a definition of the apostrophe string (.ie/.el), then the title.
    let title = r
        .stdout
        .lines()
        .find(|l| !l.starts_with(".ie") && !l.starts_with(".el"));
    assert_eq!(
        title,
        Some(
            format!(
                ".TH imr 1  \"imr {} (index schema v{})\" ",
                env!("CARGO_PKG_VERSION"),
                imr_search::index::schema::version()
            )
            .as_str()
        )
    );
    for sub in subcommands().iter().filter(|s| *s != "help") {
        let heading = format!(".SH \"IMR {}\"\n", sub.to_uppercase());
        assert!(r.stdout.contains(&heading), "no section {heading:?}");
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("imr.1");
    std::fs::write(&page, &r.stdout).unwrap();
    // groff (Debian's groff-base) is what `man` renders with: -k reads UTF-8 (the help's
    // arrows) as man does, -ww turns on every warning so a malformed page shows up on
    // stderr, -P-cbou writes plain text (no bold or underline) and -rHY=0 no hyphenated
    // words, to read back.
    let Ok(out) = Command::new("groff")
        .args(["-k", "-man", "-Tutf8", "-ww", "-P-cbou", "-rHY=0"])
        .arg(&page)
        .output()
    else {
        eprintln!("SKIPPED: groff not installed (Debian: groff-base); the page was not rendered");
        return;
    };
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "groff warnings");
    // Justified text: words are separated by one space or more.
    let text = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for expected in [
        "IMR SEARCH SYNOPSIS imr search",
        "--decision <DECISION> Only items with this decision",
        "imr completions bash > ~/.local/share/bash-completion/completions/imr",
        "imr man > ~/.local/share/man/man1/imr.1",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text}");
    }
}

#[test]
fn install_version_names_the_index_schema_version() {
    let expected = format!(
        "imr {} (index schema v{})\n",
        env!("CARGO_PKG_VERSION"),
        imr_search::index::schema::version()
    );
    for flag in ["--version", "-V"] {
        let r = run(&[flag]);
        assert_eq!(
            (r.status, r.stdout.as_str()),
            (0, expected.as_str()),
            "{flag}"
        );
    }
}
