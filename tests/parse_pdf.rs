//! PDFs as DWC posts them (encrypted against copying): the same items as the pdftotext text,
//! and a clear per-file error for damaged ones.

use crate::util::*;
use serde_json::Value;
use std::collections::BTreeMap;

fn by_letter(dir: &std::path::Path) -> BTreeMap<String, Vec<Value>> {
    let r = run(&["parse", "--format", "jsonl", dir.to_str().unwrap()]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let mut m: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for it in jsonl(&r.stdout) {
        m.entry(it["letter_id"].as_str().unwrap().to_string())
            .or_default()
            .push(it);
    }
    m
}

fn squeeze(v: &Value) -> String {
    v.as_str()
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_pdf_gives_the_items_of_its_text() {
    let (Some(pdf), Some(txt)) = (shared_letters("pdf"), shared_letters("txt")) else {
        return;
    };
    let from_pdf = by_letter(&pdf);
    let from_txt = by_letter(&txt);
    assert_eq!(from_pdf.len(), 72);
    assert_eq!(
        from_pdf.keys().collect::<Vec<_>>(),
        from_txt.keys().collect::<Vec<_>>()
    );
    for (id, items) in &from_txt {
        let p = &from_pdf[id];
        assert_eq!(p.len(), items.len(), "{id}: item count");
        for (a, b) in items.iter().zip(p) {
            assert_eq!(squeeze(&a["item"]), squeeze(&b["item"]), "{id}: item");
            for f in [
                "decision",
                "mtus_pages",
                "decision_date",
                "date_assigned",
                "date_of_injury",
                "ur_denial_date",
                "application_received",
                "case_number",
                "medication",
                "category",
            ] {
                assert_eq!(a[f], b[f], "{id} item {}: {f}", a["item_index"]);
            }
        }
    }
}

#[test]
fn damaged_pdfs_get_one_line_each_and_never_hang() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path();
    let mut expect_items = 0;
    if let Some(pdf) = shared_letters("pdf") {
        let real = std::fs::read(pdf.join("CM16-0213037.pdf")).unwrap();
        std::fs::write(p.join("truncated.pdf"), &real[..real.len() / 2]).unwrap();
        std::fs::write(p.join("good.pdf"), &real).unwrap();
        expect_items = 2;
    }
    let mut noise = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..5000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        noise.push((x >> 16) as u8);
    }
    std::fs::write(p.join("random.pdf"), &noise).unwrap();
    std::fs::write(
        p.join("renamed.pdf"),
        "Case Number: CM16-0000001\nnot really a pdf\n",
    )
    .unwrap();
    std::fs::write(p.join("empty.pdf"), "").unwrap();
    let r = run(&["parse", "--format", "jsonl", p.to_str().unwrap()]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().collect();
    let named = |f: &str| {
        lines
            .iter()
            .any(|l| l.starts_with(&format!("{}: PDF: ", p.join(f).display())))
    };
    assert!(named("random.pdf"), "{}", r.stderr);
    assert!(named("renamed.pdf"), "{}", r.stderr);
    assert!(named("empty.pdf"), "{}", r.stderr);
    if expect_items > 0 {
        assert!(named("truncated.pdf"), "{}", r.stderr);
    }
    assert_eq!(
        lines.len(),
        if expect_items > 0 { 4 } else { 3 },
        "{}",
        r.stderr
    );
    assert_eq!(jsonl(&r.stdout).len(), expect_items);
}
