//! `imr index`: build or update an index, then say what happened.

use crate::cli::IndexArgs;
use crate::demo;
use crate::index::builder::{self, BuildOptions, BuildReport, ProgressMode};
use crate::record::Layout;
use anyhow::Result;
use std::io::IsTerminal;

pub fn run(args: &IndexArgs) -> Result<i32> {
    if args.batch == 0 || args.memory_mb < 16 {
        anyhow::bail!("--batch must be at least 1 and --memory-mb at least 16");
    }
    let dir = crate::index::default_dir(args.index.as_deref());
    // The demo index is replaced, not added to: five sample letters mixed into the user's
    // own would turn up in their searches and counts. Replacing is a rebuild (built beside,
    // swapped in when done), so a failed run keeps the demo.
    let replace_demo = !args.rebuild && demo::is_demo(&dir);
    if replace_demo && !args.quiet {
        eprintln!(
            "imr: {} holds the demo index: replacing it with the letters given",
            dir.display()
        );
    }
    let opts = BuildOptions {
        rebuild: args.rebuild || replace_demo,
        progress: if args.quiet {
            ProgressMode::Quiet
        } else if std::io::stderr().is_terminal() {
            ProgressMode::Bar
        } else {
            ProgressMode::Lines
        },
        batch_letters: args.batch,
        memory_budget: args.memory_mb << 20,
        ..BuildOptions::default()
    };
    let report = builder::build(&dir, &args.paths, &opts)?;
    if !args.quiet {
        for n in &report.notes {
            eprintln!("note: {n}");
        }
    }
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    for s in &report.skipped {
        eprintln!("skipped: {s}");
    }
    if !args.quiet {
        eprintln!(
            "indexed {} letters ({} items) from {} files in {:.2} s ({:.1} MB/s){}{}; {} now holds {} items",
            report.letters,
            report.items,
            report.files,
            report.elapsed.as_secs_f64(),
            report.mb_per_sec(),
            if report.replaced > 0 {
                format!(", {} replaced", report.replaced)
            } else {
                String::new()
            },
            if report.skipped.is_empty() {
                String::new()
            } else {
                format!(", {} skipped", report.skipped.len())
            },
            dir.display(),
            report.total_items
        );
        eprintln!("{}", reconciliation(&report));
    }
    Ok(if report.skipped.is_empty() { 0 } else { 1 })
}

/// The line a user can check: files met = files read + files skipped, letters = the sum
/// over layouts (a file may hold several letters; whole-letter documents counted apart),
/// and how many letters replaced an earlier copy (so the index grew by fewer). E.g.
/// "77 files: 76 read (80 letters: 75 2016-header, 4 2014-no-header, 1 whole-letter
/// unrecognised; 2 replaced earlier copies: 1 read earlier in this run, 1 indexed before),
/// 1 skipped (1 not a letter)".
pub fn reconciliation(r: &BuildReport) -> String {
    let count = |map: &std::collections::HashMap<Layout, usize>| -> Vec<(Layout, usize)> {
        Layout::ALL
            .into_iter()
            .filter_map(|l| map.get(&l).filter(|&&n| n > 0).map(|&n| (l, n)))
            .collect()
    };
    let mut parts: Vec<String> = count(&r.split)
        .into_iter()
        .map(|(l, n)| format!("{n} {}", l.as_str()))
        .collect();
    let whole = count(&r.whole);
    match whole.as_slice() {
        [] => {}
        [(l, n)] => parts.push(format!("{n} whole-letter {}", l.as_str())),
        several => parts.push(format!(
            "{} whole-letter ({})",
            several.iter().map(|(_, n)| n).sum::<usize>(),
            several
                .iter()
                .map(|(l, n)| format!("{n} {}", l.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut letters = plural(r.letters, "letter", "letters");
    if !parts.is_empty() {
        letters.push_str(": ");
        letters.push_str(&parts.join(", "));
    }
    let replaced = r.replaced + r.duplicates;
    if replaced > 0 {
        let mut how = Vec::new();
        if r.duplicates > 0 {
            how.push(format!("{} read earlier in this run", r.duplicates));
        }
        if r.replaced > 0 {
            how.push(format!("{} indexed before", r.replaced));
        }
        letters.push_str(&format!(
            "; {replaced} replaced {}: {}",
            if replaced == 1 {
                "an earlier copy"
            } else {
                "earlier copies"
            },
            how.join(", ")
        ));
    }
    let by_kind: Vec<String> = r
        .skipped_by_kind()
        .into_iter()
        .filter(|&(k, _)| k != crate::files::SkipKind::UnreadableFolder)
        .map(|(k, n)| format!("{n} {}", k.as_str()))
        .collect();
    let mut line = format!(
        "{}: {} read ({letters}), {} skipped",
        plural(r.files, "file", "files"),
        r.files_read(),
        r.files_skipped()
    );
    if !by_kind.is_empty() {
        line.push_str(&format!(" ({})", by_kind.join(", ")));
    }
    let folders = r.skipped.len() - r.files_skipped();
    if folders > 0 {
        line.push_str(&format!(
            "; {folders} {} could not be read",
            if folders == 1 { "folder" } else { "folders" }
        ));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::{Skip, SkipKind};

    fn skip(kind: SkipKind) -> Skip {
        Skip {
            kind,
            path: "x".into(),
            message: "x: why".into(),
        }
    }

    #[test]
    fn the_line_adds_up() {
        let mut r = BuildReport {
            files: 77,
            letters: 80,
            replaced: 1,
            duplicates: 1,
            skipped: vec![skip(SkipKind::NotALetter)],
            ..Default::default()
        };
        r.split.insert(Layout::Header2016, 75);
        r.split.insert(Layout::NoHeader2014, 4);
        r.whole.insert(Layout::Unrecognised, 1);
        assert_eq!(
            reconciliation(&r),
            "77 files: 76 read (80 letters: 75 2016-header, 4 2014-no-header, 1 whole-letter \
             unrecognised; 2 replaced earlier copies: 1 read earlier in this run, 1 indexed \
             before), 1 skipped (1 not a letter)"
        );
        r.whole.insert(Layout::Notice2013, 2);
        r.split.insert(Layout::Header2016, 73);
        r.skipped.push(skip(SkipKind::UnreadableFolder));
        r.skipped.push(skip(SkipKind::Empty));
        r.files = 78;
        r.replaced = 0;
        r.duplicates = 0;
        assert_eq!(
            reconciliation(&r),
            "78 files: 76 read (80 letters: 73 2016-header, 4 2014-no-header, 3 whole-letter \
             (2 2013-notice, 1 unrecognised)), 2 skipped (1 not a letter, 1 empty); 1 folder \
             could not be read"
        );
    }

    #[test]
    fn nothing_read() {
        let r = BuildReport {
            files: 2,
            skipped: vec![skip(SkipKind::Empty), skip(SkipKind::Empty)],
            ..Default::default()
        };
        assert_eq!(
            reconciliation(&r),
            "2 files: 0 read (0 letters), 2 skipped (2 empty)"
        );
    }
}
