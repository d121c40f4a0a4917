//! `imr precedents`: the tally against the engine's facet counts, every format, `--out` by
//! extension, the date orders, grouping near-identical items, and the Word document read
//! back from its XML.

use crate::search::{all_index, search_json, seeds_index};
use crate::util::*;
use serde_json::Value;
use std::io::Read;
use std::path::Path;

fn precedents(index: &Path, args: &[&str]) -> Run {
    let mut cmd = imr();
    cmd.arg("precedents").arg("--index").arg(index).args(args);
    run_cmd(&mut cmd)
}

fn precedents_json(index: &Path, args: &[&str]) -> Value {
    let r = precedents(index, &[&["--format", "json"], args].concat());
    assert_eq!(r.status, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).expect("one JSON object")
}

/// (value, count, overturned) of a JSON list of facet values.
fn counts(v: &Value) -> Vec<(String, u64, u64)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["value"].as_str().unwrap().to_string(),
                f["count"].as_u64().unwrap(),
                f["overturned"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The summary of `imr precedents QUERY` holds the search's own counts over every hit.
fn tally_matches_search(index: &Path, query: &[&str]) {
    let p = precedents_json(index, &[query, &["--limit", "3"]].concat());
    let s = &p["summary"];
    let v = search_json(index, &[query, &["--limit", "1000"]].concat());
    let total = v["total"].as_u64().unwrap();
    assert!(
        total > 3,
        "{query:?}: the tally must cover more than the page"
    );
    assert_eq!(p["precedents"].as_array().unwrap().len(), 3);
    assert_eq!(s["decisions"].as_u64().unwrap(), total);
    let decision = counts(&v["facets"]["decision"]);
    let of = |d: &str| decision.iter().find(|x| x.0 == d).map_or(0, |x| x.1);
    assert_eq!(s["upheld"].as_u64().unwrap(), of("upheld"));
    assert_eq!(s["overturned"].as_u64().unwrap(), of("overturned"));
    assert_eq!(of("upheld") + of("overturned"), total);
    let guideline: Vec<_> = counts(&v["facets"]["guideline"])
        .into_iter()
        .map(|(g, n, o)| (g.replacen('/', " ", 1), n, o))
        .collect();
    assert_eq!(counts(&s["by_guideline"]), guideline);
    assert_eq!(
        counts(&s["by_specialty"]),
        counts(&v["facets"]["specialty"])
    );
    // The date span is that of every hit.
    let mut dates: Vec<&str> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["decision_date"].as_str())
        .collect();
    dates.sort();
    assert_eq!(s["first_decided"].as_str(), dates.first().copied());
    assert_eq!(s["last_decided"].as_str(), dates.last().copied());
    assert_eq!(s["undated"].as_u64().unwrap(), total - dates.len() as u64);
    let text = s["text"].as_str().unwrap();
    assert!(text.starts_with(&format!("{total} decisions (")), "{text}");
}

#[test]
fn the_tally_is_the_engines_count_of_every_match() {
    tally_matches_search(seeds_index(), &["opioids"]);
    if let Some(ix) = all_index() {
        tally_matches_search(ix, &["physical therapy"]);
        tally_matches_search(ix, &["MRI"]);
        tally_matches_search(ix, &["--decision", "upheld", "--class", "opioid"]);
        let p = precedents_json(ix, &["acupuncture", "--limit", "2"]);
        let text = p["summary"]["text"].as_str().unwrap();
        let s = &p["summary"];
        let n = s["decisions"].as_u64().unwrap();
        let up = s["upheld"].as_u64().unwrap();
        assert!(
            text.contains(&format!(
                ": {up} upheld ({:.1}%)",
                100.0 * up as f64 / n as f64
            )),
            "{text}"
        );
        assert!(text.contains("; by guideline: MTUS Acupuncture Medical Treatment Guidelines "));
        assert!(text.contains("; by reviewer specialty: "));
        assert!(s["counted"]
            .as_str()
            .unwrap()
            .contains("not only the 2 listed"));
    }
}

#[test]
fn markdown_csv_json_and_jsonl() {
    let ix = seeds_index();
    let md = precedents(ix, &["opioids", "--limit", "2"]);
    assert_eq!(md.status, 0, "{}", md.stderr);
    let lines: Vec<&str> = md.stdout.lines().collect();
    assert_eq!(lines[0], "## Precedents: opioids");
    assert!(
        lines[2].starts_with("**7 decisions (dates not stated): 7 upheld (100.0%), 0 overturned (0.0%)**; by guideline: MTUS Chronic Pain Medical Treatment Guidelines 7; by reviewer specialty: "),
        "{}",
        md.stdout
    );
    assert!(lines[4].starts_with("_Counts cover all 7 items matching class=opioid"));
    assert!(md.stdout.contains("\n1. IMR letter "));
    assert!(md.stdout.contains("\n2. IMR letter "));
    assert!(!md.stdout.contains("\n3. "), "two entries");
    assert!(md.stdout.contains(" Reviewer: "), "the specialty is cited");

    let csv = precedents(ix, &["opioids", "--limit", "2", "--format", "csv"]);
    assert_eq!(csv.status, 0, "{}", csv.stderr);
    let mut rdr = csv::Reader::from_reader(csv.stdout.as_bytes());
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(&headers[10..], ["citation", "item_ids", "source"]);
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 2, "one table of entries, no summary rows");
    assert!(rows[0][10].ends_with(&format!(" Reviewer: {}.", &rows[0][9])));
    assert!(rows[0][12].ends_with(".txt"));

    let sum = precedents(ix, &["opioids", "--summary", "--format", "csv"]);
    assert_eq!(sum.status, 0, "{}", sum.stderr);
    let mut rdr = csv::Reader::from_reader(sum.stdout.as_bytes());
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        ["group", "value", "count", "overturned", "overturned_share"]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(&rows[0][0], "all");
    assert_eq!(&rows[0][2], "7");
    assert!(rows
        .iter()
        .any(|r| &r[0] == "decision" && &r[1] == "upheld" && &r[2] == "7"));
    assert!(rows
        .iter()
        .any(|r| &r[0] == "decided" && &r[1] == "not stated"));
    assert!(rows.iter().any(|r| &r[0] == "guideline"));

    let v = precedents_json(ix, &["opioids", "--limit", "2"]);
    assert_eq!(v["summary"]["decisions"], 7);
    assert_eq!(v["grouped"], false);
    assert_eq!(v["sort"], "date", "a class alone: no words to rank by");
    let first = &v["precedents"][0];
    assert_eq!(first["items"][0]["id"], first["id"]);
    assert!(first["source"].as_str().unwrap().ends_with(".txt"));

    let jsonl = precedents(ix, &["opioids", "--limit", "2", "--format", "jsonl"]);
    let rows = jsonl_lines(&jsonl.stdout);
    assert_eq!(rows.len(), 2, "one entry a line, no summary line");
    assert_eq!(rows[1]["no"], 2);
}

fn jsonl_lines(s: &str) -> Vec<Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The parts of a .docx, by name.
fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, String> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut out = std::collections::BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        out.insert(f.name().unwrap().to_string(), s);
    }
    out
}

/// The text of each paragraph of word/document.xml, with its style and whether it is bold
/// and numbered.
fn paragraphs(xml: &str) -> Vec<(String, String, bool, bool)> {
    xml.split("<w:p>")
        .skip(1)
        .map(|p| {
            let p = p.split("</w:p>").next().unwrap();
            let style = p
                .split("<w:pStyle w:val=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap_or("")
                .to_string();
            let text: String = p
                .split("<w:t xml:space=\"preserve\">")
                .skip(1)
                .map(|t| t.split("</w:t>").next().unwrap())
                .collect();
            let text = text
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&");
            (style, text, p.contains("<w:b/>"), p.contains("<w:numPr>"))
        })
        .collect()
}

#[test]
fn a_word_document_with_title_tally_and_numbered_quoted_entries() {
    let ix = all_index().unwrap_or(seeds_index());
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("list.docx");
    let mut cmd = imr();
    cmd.args(["precedents", "acupuncture", "--limit", "4", "--index"])
        .arg(ix)
        .arg("--out")
        .arg(&out)
        .env("SOURCE_DATE_EPOCH", "1481241600");
    let r = run_cmd(&mut cmd);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty(), "the list went to the file");
    let bytes = std::fs::read(&out).unwrap();
    let parts = unzip(&bytes);
    for part in [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/styles.xml",
        "word/numbering.xml",
        "word/_rels/document.xml.rels",
        "docProps/core.xml",
    ] {
        assert!(parts.contains_key(part), "{part}");
    }
    let doc = &parts["word/document.xml"];
    assert!(doc.starts_with("<?xml"));
    assert_eq!(
        doc.matches("<w:p>").count(),
        doc.matches("</w:p>").count(),
        "balanced paragraphs"
    );
    let ps = paragraphs(doc);
    assert_eq!(ps[0].0, "Title");
    assert_eq!(ps[0].1, "Precedents: acupuncture");
    assert!(ps[1].1.ends_with("Dec. 9, 2016"), "{:?}", ps[1]);
    assert!(ps[2].1.contains(" decision"), "the tally: {:?}", ps[2]);
    assert!(ps[2].2, "its headline in bold");

    // The entries as `--format json` lists them, in order: each a bold numbered citation,
    // then its quotes.
    let mut cmd = imr();
    cmd.args([
        "precedents",
        "acupuncture",
        "--limit",
        "4",
        "--format",
        "json",
        "--index",
    ])
    .arg(ix);
    let v: Value = serde_json::from_str(&run_cmd(&mut cmd).stdout).unwrap();
    let want = v["precedents"].as_array().unwrap();
    assert_eq!(want.len(), 4.min(v["total"].as_u64().unwrap() as usize));
    let cited: Vec<&(String, String, bool, bool)> = ps.iter().filter(|p| p.3).collect();
    assert_eq!(cited.len(), want.len());
    for (p, w) in cited.iter().zip(want) {
        assert_eq!(p.0, "ListNumber");
        assert!(p.2, "citation in bold");
        assert!(p.1.starts_with(w["citation"].as_str().unwrap()), "{p:?}");
    }
    for w in want {
        let quoted = format!("\u{201c}{}\u{201d}", w["key_sentence"].as_str().unwrap());
        assert!(
            ps.iter().any(|p| p.0 == "Quote" && p.1 == quoted),
            "the key sentence as a block quote: {quoted}"
        );
    }
    assert!(parts["word/numbering.xml"].contains("<w:numFmt w:val=\"decimal\"/>"));
    assert!(parts["word/styles.xml"].contains("w:styleId=\"Quote\""));
    assert!(parts["docProps/core.xml"].contains("<dc:title>Precedents: acupuncture</dc:title>"));

    // Piped, stdout may take it; same document.
    let mut cmd = imr();
    cmd.args([
        "precedents",
        "acupuncture",
        "--limit",
        "4",
        "--format",
        "docx",
        "--index",
    ])
    .arg(ix)
    .env("SOURCE_DATE_EPOCH", "1481241600");
    let piped = cmd.output().unwrap();
    assert_eq!(piped.status.code(), Some(0));
    assert_eq!(piped.stdout, bytes, "the same document, byte for byte");
}

#[test]
fn out_picks_the_format_from_the_extension_and_writes_whole_files() {
    let ix = seeds_index();
    let tmp = tempfile::tempdir().unwrap();
    let write = |name: &str, extra: &[&str]| {
        let path = tmp.path().join(name);
        let mut cmd = imr();
        cmd.args(["precedents", "opioids", "--limit", "2", "--index"])
            .arg(ix)
            .arg("--out")
            .arg(&path)
            .args(extra);
        (run_cmd(&mut cmd), path)
    };
    let (r, p) = write("a.md", &[]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(std::fs::read_to_string(p)
        .unwrap()
        .starts_with("## Precedents: opioids\n"));
    let (_, p) = write("a.csv", &[]);
    assert!(std::fs::read_to_string(p)
        .unwrap()
        .starts_with("no,case_number,"));
    let (_, p) = write("a.json", &[]);
    let v: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
    assert_eq!(v["summary"]["decisions"], 7);
    let (_, p) = write("a.jsonl", &[]);
    assert_eq!(jsonl_lines(&std::fs::read_to_string(p).unwrap()).len(), 2);
    let (_, p) = write("A.DOCX", &[]);
    assert!(std::fs::read(p).unwrap().starts_with(b"PK\x03\x04"));
    // An explicit format wins over an unknown extension, and conflicts with a known one.
    let (r, p) = write("list.txt", &["--format", "md"]);
    assert_eq!(r.status, 0);
    assert!(std::fs::read_to_string(p).unwrap().starts_with("## "));
    let (r, p) = write("b.docx", &["--format", "csv"]);
    assert_eq!(r.status, 2);
    assert!(
        r.stderr.contains("--format csv conflicts with --out ") && r.stderr.contains("b.docx"),
        "{}",
        r.stderr
    );
    assert!(!p.exists());
    let (r, _) = write("list.txt", &[]);
    assert_eq!(r.status, 2);
    assert!(
        r.stderr.contains("list.txt: cannot tell the format"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    // A file that cannot be written: the error names it, and nothing is left behind.
    std::fs::create_dir(tmp.path().join("dir.md")).unwrap();
    let (r, _) = write("dir.md", &[]);
    assert_eq!(r.status, 2);
    assert!(r.stderr.contains("dir.md: "), "{}", r.stderr);
    let (r, _) = write("missing/x.md", &[]);
    assert_eq!(r.status, 2);
    assert!(r.stderr.contains("missing/x.md: "), "{}", r.stderr);
    let left: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

#[test]
fn newest_and_oldest_first_with_ties_by_case_then_item() {
    let Some(ix) = all_index() else { return };
    let key = |e: &Value| {
        (
            e["decision_date"].as_str().unwrap_or("").to_string(),
            e["letter_id"].as_str().unwrap().to_string(),
            e["items"][0]["item_index"].as_u64().unwrap(),
        )
    };
    let list = |sort: &str| -> Vec<(String, String, u64)> {
        let v = precedents_json(ix, &["--sort", sort, "--limit", "1000"]);
        assert_eq!(v["sort"], if sort == "oldest" { "oldest" } else { "date" });
        v["precedents"]
            .as_array()
            .unwrap()
            .iter()
            .map(key)
            .collect()
    };
    // Every item; the undated ones (the seeds) last in either order.
    let undated_last = |l: &[(String, String, u64)]| {
        let first_undated = l.iter().position(|e| e.0.is_empty()).unwrap_or(l.len());
        assert!(l[first_undated..].iter().all(|e| e.0.is_empty()), "{l:?}");
        first_undated
    };
    let newest = list("newest");
    assert!(newest.len() > 150);
    assert_eq!(list("date"), newest, "date is newest first, as before");
    let dated = undated_last(&newest);
    for w in newest.windows(2) {
        let ((d0, l0, i0), (d1, l1, i1)) = (&w[0], &w[1]);
        let tie = d0 == d1 && (l0, i0) < (l1, i1);
        assert!(tie || d0 > d1 || d1.is_empty(), "{w:?}");
    }
    let oldest = list("oldest");
    assert_eq!(oldest.len(), newest.len());
    assert_eq!(undated_last(&oldest), dated);
    for w in oldest[..dated].windows(2) {
        let ((d0, l0, i0), (d1, l1, i1)) = (&w[0], &w[1]);
        assert!(d0 < d1 || (d0 == d1 && (l0, i0) < (l1, i1)), "{w:?}");
    }
    // A page of the order is that stretch of the whole order.
    let v = search_json(ix, &["--sort", "oldest", "--limit", "5", "--offset", "7"]);
    let page: Vec<String> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    let whole: Vec<String> = oldest[7..12]
        .iter()
        .map(|(_, l, i)| format!("{l}#{i}"))
        .collect();
    assert_eq!(page, whole);
}

/// The entries of a grouped list, each as its ids.
fn grouped(ix: &Path, args: &[&str]) -> Vec<Vec<String>> {
    let v = precedents_json(ix, &[args, &["--group", "--limit", "1000"]].concat());
    assert_eq!(v["grouped"], true);
    v["precedents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            e["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

fn entry_of<'a>(entries: &'a [Vec<String>], id: &str) -> &'a [String] {
    entries
        .iter()
        .find(|e| e.iter().any(|i| i == id))
        .unwrap_or_else(|| panic!("{id} is listed: {entries:?}"))
}

#[test]
fn near_identical_items_of_one_letter_group_on_real_letters() {
    let Some(ix) = all_index() else { return };
    let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    // EMG/NCV of the lower and of the upper extremities: one treatment, one guideline.
    let emg = grouped(ix, &["--treatment", "EMG"]);
    let mut e = entry_of(&emg, "CM16-0230651#1").to_vec();
    e.sort();
    assert_eq!(e, ids(&["CM16-0230651#1", "CM16-0230651#2"]));
    let mut e = entry_of(&emg, "CM16-0248698#7").to_vec();
    e.sort();
    assert_eq!(e, ids(&["CM16-0248698#7", "CM16-0248698#8"]));
    // An upheld EMG and an overturned NCS of one letter stay apart.
    assert_eq!(entry_of(&emg, "CM16-0247287#1"), ids(&["CM16-0247287#1"]));
    // Right and left L5-S1 ESI: one treatment, a guideline in common (one cites ODG too).
    let esi = grouped(ix, &["--treatment", "epidural steroid injection"]);
    let mut e = entry_of(&esi, "CM16-0247274#3").to_vec();
    e.sort();
    assert_eq!(e, ids(&["CM16-0247274#3", "CM16-0247274#4"]));
    // MRIs of the neck, the low back and the hand: different guidelines, three entries.
    let mri = grouped(ix, &["--treatment", "MRI"]);
    for id in ["CM16-0234464#1", "CM16-0234464#2", "CM16-0234464#3"] {
        assert_eq!(entry_of(&mri, id), ids(&[id]));
    }
    // The surgery's medical clearance, EKG, chest X-ray, therapy and equipment: one
    // reasoning ("As the requested surgical intervention is not medically necessary ...").
    let pre = grouped(ix, &["--literal", "requested surgical intervention"]);
    let mut e = entry_of(&pre, "CM16-0238035#3").to_vec();
    e.sort();
    assert_eq!(
        e,
        ids(&[
            "CM16-0238035#2",
            "CM16-0238035#3",
            "CM16-0238035#4",
            "CM16-0238035#5",
            "CM16-0238035#6",
            "CM16-0238035#7",
            "CM16-0238035#8"
        ])
    );
    // The same sentence in another letter is another entry.
    assert_eq!(entry_of(&pre, "CM16-0247274#2"), ids(&["CM16-0247274#2"]));
    // A grouped entry cites its items together, and Markdown numbers entries, not items.
    let r = precedents(
        ix,
        &[
            "--literal",
            "requested surgical intervention",
            "--group",
            "--limit",
            "100",
        ],
    );
    assert!(
        r.stdout.contains("IMR Case No. CM16-0238035 (")
            && r.stdout
                .contains("), items 2-8: Medical Clearance; Labs to include: EKG; "),
        "{}",
        r.stdout
    );
    // Without --group every item is its own entry.
    let flat = precedents_json(
        ix,
        &[
            "--literal",
            "requested surgical intervention",
            "--limit",
            "100",
        ],
    );
    let n_flat = flat["precedents"].as_array().unwrap().len();
    let n_items: usize = pre.iter().map(Vec::len).sum();
    assert_eq!(n_items, n_flat, "grouping neither drops nor adds items");
    assert!(pre.len() < n_flat);
    // Over every real item: an entry never spans two letters or two decisions.
    let all = grouped(ix, &[]);
    let flat = precedents_json(ix, &["--limit", "1000"]);
    let decision = |id: &str| {
        flat["precedents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .map(|e| e["decision"].as_str().unwrap().to_string())
            .unwrap()
    };
    let letter = |id: &str| id.split('#').next().unwrap().to_string();
    for e in all.iter().filter(|e| e.len() > 1) {
        assert!(e.iter().all(|i| letter(i) == letter(&e[0])), "{e:?}");
        assert!(e.iter().all(|i| decision(i) == decision(&e[0])), "{e:?}");
    }
    assert!(all.iter().filter(|e| e.len() > 1).count() >= 8, "{all:?}");
}

#[test]
fn a_word_document_is_not_printed_on_a_terminal() {
    // `script` (util-linux) runs imr on a pseudo-terminal.
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED: no `script` to give imr a terminal");
        return;
    }
    let line = format!(
        "'{}' precedents --index '{}' opioids --format docx",
        env!("CARGO_BIN_EXE_imr"),
        seeds_index().display()
    );
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec", &line, "/dev/null"])
        .env_remove("IMR_INDEX");
    let out = cmd.output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("imr: a .docx is binary") && text.contains("--out FILE.docx"),
        "{text}"
    );
    assert!(!text.contains("PK"), "no zip on the terminal");
}
