//! `imr similar`: neighbours that share the treatment and the drug, odds that say what the
//! listed neighbours say, a UR denial read for its item, and one-line errors.

use crate::search::{all_index, seeds_index};
use crate::util::*;
use imr_search::record::Item;
use imr_search::search::{Engine, SimilarRequest, SimilarTo};
use serde_json::Value;
use std::path::Path;

fn similar_json(index: &Path, args: &[&str]) -> Value {
    let mut cmd = imr();
    cmd.args(["similar", "--format", "json", "--index"])
        .arg(index)
        .args(args);
    let r = run_cmd(&mut cmd);
    assert_eq!(r.status, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).expect("similar --format json prints one JSON object")
}

/// Whether `n` shares `of`'s treatment and, where `of` has one, its primary drug (among any
/// of `n`'s drugs). Written out here rather than taken from the engine, which it judges.
fn shares(of: &Item, n: &Item) -> bool {
    let drug = of.medication.as_ref().map(|m| m.generic.as_str());
    n.treatment.treatment == of.treatment.treatment
        && drug.is_none_or(|d| {
            n.medication
                .iter()
                .chain(&n.medications)
                .any(|m| m.generic == d)
        })
}

/// Whether hit `h` of the answer `v` shares what was compared's treatment and, where it has
/// one, its first drug (among any of the hit's drugs), read from the JSON alone.
fn alike(v: &Value, h: &Value) -> bool {
    let to = &v["similar_to"];
    let drug = &to["medications"][0];
    h["treatment"] == to["treatment"]
        && (drug.is_null()
            || h["medications"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["generic"] == *drug))
}

/// The half of the real letters an item belongs to, fixed before any weight was tuned: the
/// parity of the last digit (hex digit for the seeds' ids) of its letter id. Even: tuning;
/// odd: held aside.
fn held_aside(letter_id: &str) -> bool {
    letter_id
        .chars()
        .rev()
        .find_map(|c| c.to_digit(16))
        .is_some_and(|d| d % 2 == 1)
}

#[derive(Default)]
struct Tally {
    items: usize,
    /// Neighbours in the top 10 that share, and top-10 slots.
    shared: usize,
    slots: usize,
    /// Neighbours within the first k that share, k = how many sharing items the index holds
    /// outside the item's letter (at most 10): what a perfect ranking would reach.
    shared_in_reach: usize,
    reach: usize,
    /// The treatment alone.
    same_treatment: usize,
}

impl Tally {
    fn line(&self, name: &str) -> String {
        let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
        format!(
            "{name}: {} items; of the neighbours a perfect ranking could fill, {:.1}% share the treatment and drug ({}/{}); of all top-10 slots {:.1}% ({}/{}), the treatment alone {:.1}%",
            self.items,
            pct(self.shared_in_reach, self.reach),
            self.shared_in_reach,
            self.reach,
            pct(self.shared, self.slots),
            self.shared,
            self.slots,
            pct(self.same_treatment, self.slots),
        )
    }
}

/// The bar: for items of the real letters, the top 10 similar share the treatment
/// (and the drug, where there is one) in at least 90%. Most treatments and drugs occur only
/// a few times in 77 letters (Norco 7 items, most drugs once), so no ranking can fill ten
/// slots with them; the share is taken over the slots a perfect ranking could fill, and the
/// share of all slots is reported beside it.
#[test]
fn top_ten_share_the_treatment_and_drug() {
    let Some(index) = all_index() else { return };
    let txt = shared_letters("txt").expect("all_index found it");
    let mut cmd = imr();
    cmd.args(["parse", "--format", "jsonl"])
        .arg(seeds())
        .arg(txt);
    let r = run_cmd(&mut cmd);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let items: Vec<Item> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("an Item"))
        .collect();
    let engine = Engine::open(index).unwrap();
    let (mut tune, mut held) = (Tally::default(), Tally::default());
    for of in items.iter().filter(|i| i.treatment.treatment.is_some()) {
        let id = format!("{}#{}", of.letter_id, of.item_index);
        let s = engine
            .similar(&SimilarRequest::new(SimilarTo::Item(id.clone())))
            .unwrap();
        let hits: Vec<&Item> = s.results.hits.iter().map(|h| &h.item).collect();
        assert!(
            hits.iter().all(|h| h.letter_id != of.letter_id),
            "{id}: its own letter"
        );
        let reach = items
            .iter()
            .filter(|n| n.letter_id != of.letter_id && shares(of, n))
            .count()
            .min(10);
        let t = if held_aside(&of.letter_id) {
            &mut held
        } else {
            &mut tune
        };
        t.items += 1;
        t.slots += hits.len();
        t.shared += hits.iter().filter(|n| shares(of, n)).count();
        t.same_treatment += hits
            .iter()
            .filter(|n| n.treatment.treatment == of.treatment.treatment)
            .count();
        t.reach += reach;
        t.shared_in_reach += hits.iter().take(reach).filter(|n| shares(of, n)).count();
    }
    let all = Tally {
        items: tune.items + held.items,
        shared: tune.shared + held.shared,
        slots: tune.slots + held.slots,
        shared_in_reach: tune.shared_in_reach + held.shared_in_reach,
        reach: tune.reach + held.reach,
        same_treatment: tune.same_treatment + held.same_treatment,
    };
    for line in [
        tune.line("tuning half (even letter ids)"),
        held.line("held-aside half (odd letter ids)"),
        all.line("all"),
    ] {
        eprintln!("imr similar: {line}");
    }
    assert!(all.items > 150, "{} items", all.items);
    let share = all.shared_in_reach as f64 / all.reach as f64;
    assert!(share >= 0.9, "{}", all.line("all"));
}

/// The odds are what the listed neighbours say: counted over the same ranking, the first 20
/// and 50 of it; and with fewer items than the window, the count says so.
#[test]
fn the_odds_are_the_listed_neighbours() {
    let mut checked = 0;
    for (index, id) in [
        (Some(seeds_index()), "000_015c11873bc6d2ff#1"),
        (all_index(), "CM16-0213037#1"),
    ] {
        let Some(index) = index else { continue };
        let v = similar_json(index, &[id, "--limit", "50"]);
        let hits = v["hits"].as_array().unwrap();
        assert!(!hits.is_empty());
        for o in v["odds"].as_array().unwrap() {
            let window = o["window"].as_u64().unwrap() as usize;
            let closest = &hits[..window.min(hits.len())];
            let overturned = closest
                .iter()
                .filter(|h| h["decision"] == "overturned")
                .count();
            assert_eq!(
                o["compared"].as_u64().unwrap() as usize,
                closest.len(),
                "{o}"
            );
            assert_eq!(
                o["overturned"].as_u64().unwrap() as usize,
                overturned,
                "{o}"
            );
            assert_eq!(
                o["upheld"].as_u64().unwrap() as usize,
                closest.len() - overturned
            );
            let alike = closest.iter().filter(|h| alike(&v, h)).count();
            assert_eq!(o["alike"].as_u64().unwrap() as usize, alike, "{o}");
        }
        // Never the item's own letter.
        let letter = id.split('#').next().unwrap();
        assert!(hits.iter().all(|h| h["letter_id"] != letter));
        checked += 1;
    }
    assert!(checked >= 1);
    // The seeds hold 15 items: fewer than 20 to compare, said in the table.
    let r = run(&[
        "similar",
        "000_015c11873bc6d2ff#1",
        "--format",
        "table",
        "--index",
        seeds_index().to_str().unwrap(),
    ]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let first: Vec<&str> = r.stdout.lines().take(3).collect();
    assert!(
        first[0].starts_with("similar to 000_015c11873bc6d2ff#1: Norco"),
        "{first:?}"
    );
    assert!(first[1].starts_with("closest 20: only 1"), "{first:?}");
    // After the odds, the base rate: "all N items of the same treatment and drug: ...".
    assert!(
        r.stdout
            .lines()
            .any(|l| l.starts_with("all ") && l.contains("of the same treatment and drug: ")),
        "{}",
        r.stdout
    );
}

/// The base rate counts every item alike outside the item's letter: with a page long enough
/// to hold every neighbour, the alike ones among them, and their decisions.
#[test]
fn the_base_rate_counts_every_item_alike() {
    let mut checked = 0;
    for (index, id) in [
        (Some(seeds_index()), "000_015c11873bc6d2ff#1"),
        (all_index(), "CM16-0213037#1"),
        (all_index(), "CM16-0249536#4"),
    ] {
        let Some(index) = index else { continue };
        let v = similar_json(index, &[id, "--limit", "1000"]);
        let hits = v["hits"].as_array().unwrap();
        assert_eq!(hits.len() as u64, v["total"].as_u64().unwrap(), "{id}");
        let alike: Vec<&Value> = hits.iter().filter(|h| alike(&v, h)).collect();
        let b = &v["base_rate"];
        assert_eq!(
            b["items"].as_u64().unwrap() as usize,
            alike.len(),
            "{id}: {b}"
        );
        let overturned = alike
            .iter()
            .filter(|h| h["decision"] == "overturned")
            .count();
        assert_eq!(
            b["overturned"].as_u64().unwrap() as usize,
            overturned,
            "{id}"
        );
        assert_eq!(
            b["upheld"].as_u64().unwrap() as usize,
            alike.len() - overturned
        );
        checked += 1;
    }
    assert!(checked >= 1);
}

/// A decision filter narrows the list, not the odds.
#[test]
fn a_decision_filter_narrows_the_list_not_the_odds() {
    let Some(index) = all_index() else { return };
    let all = similar_json(index, &["CM16-0213037#1"]);
    let over = similar_json(index, &["CM16-0213037#1", "--decision", "overturned"]);
    assert_eq!(all["odds"], over["odds"]);
    let hits = over["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["decision"] == "overturned"));
    assert!(over["interpreted"]
        .as_str()
        .unwrap()
        .contains("decision=overturned"));
}

const UR_DENIAL: &str = "UTILIZATION REVIEW DETERMINATION

The patient is a 47 year old female injured on 03/12/2015 with chronic low back pain
radiating to the left leg. Current medications: Flexeril 10mg, ibuprofen. She has
completed 12 sessions of physical therapy.

Requested: Norco 10/325mg #90

Determination: Non-certified. The CA MTUS recommends ongoing review of pain relief,
functional status, appropriate medication use and side effects. There is no documentation
of objective functional improvement, no urine drug screen and no pain agreement. Therefore
the request for Norco 10/325mg #90 is not medically necessary.
";

#[test]
fn a_ur_denial_is_read_for_its_item() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ur-denial.txt");
    std::fs::write(&file, UR_DENIAL).unwrap();
    let v = similar_json(seeds_index(), &["--text", file.to_str().unwrap()]);
    let to = &v["similar_to"];
    assert_eq!(to["item"], "Norco 10/325mg #90");
    assert_eq!(to["treatment"], "medication");
    assert_eq!(to["medications"][0], "hydrocodone/acetaminophen");
    assert!(to["id"].is_null() && to["decision"].is_null());
    let hits = v["hits"].as_array().unwrap();
    assert!(hits.len() >= 3);
    // The seeds' Norco items come first.
    for h in &hits[..3] {
        assert_eq!(
            h["medication"]["generic"], "hydrocodone/acetaminophen",
            "{h}"
        );
    }
    assert!(v["interpreted"]
        .as_str()
        .unwrap()
        .starts_with("treatment=medication medication=hydrocodone/acetaminophen"));

    // The same from standard input, said in the table's first line.
    let mut cmd = imr();
    cmd.args(["similar", "--text", "-", "--format", "table", "--index"])
        .arg(seeds_index())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(UR_DENIAL.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.starts_with("read: \"Norco 10/325mg #90\" as the item disputed\nclosest 20: "),
        "{table}"
    );
    assert!(table.contains("\ninterpreted: treatment=medication"));
}

#[test]
fn bad_input_is_one_line() {
    let ix = seeds_index().to_str().unwrap().to_string();
    let one_line = |args: &[&str], says: &str| {
        let mut all = vec!["similar", "--index", &ix];
        all.extend(args);
        let r = run(&all);
        assert_eq!(r.status, 2, "{args:?}: {}", r.stderr);
        assert_eq!(r.stderr.trim().lines().count(), 1, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty());
    };
    one_line(&["CM16-9999999#1"], "no item or letter \"CM16-9999999#1\"");
    one_line(&["000_015c11873bc6d2ff"], "is a letter of");
    one_line(
        &["--text", "/nonexistent/ur.txt"],
        "/nonexistent/ur.txt: cannot read",
    );
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, " \n\n ").unwrap();
    one_line(
        &["--text", empty.to_str().unwrap()],
        "empty.txt: the text is empty",
    );
    let nothing = dir.path().join("nothing.txt");
    std::fs::write(&nothing, "zzqx qqzz").unwrap();
    one_line(&["--text", nothing.to_str().unwrap()], "nothing to compare");
    // Neither an item nor a text, or both: clap's usage error.
    let r = run(&["similar", "--index", &ix]);
    assert_eq!(r.status, 2);
    assert!(r.stderr.contains("--text"), "{}", r.stderr);
    let r = run(&["similar", "x#1", "--text", "-", "--index", &ix]);
    assert_eq!(r.status, 2);
}

/// Every format the search writes, with the odds first where the format has room for them.
#[test]
fn formats() {
    let ix = seeds_index().to_str().unwrap().to_string();
    let id = "000_015c11873bc6d2ff#1";
    let md = run(&["similar", id, "--format", "md", "--index", &ix]);
    assert_eq!(md.status, 0, "{}", md.stderr);
    assert!(
        md.stdout
            .starts_with("similar to 000\\_015c11873bc6d2ff\\#1"),
        "{}",
        md.stdout
    );
    assert!(md.stdout.contains("**closest 20: only "));
    let csv = run(&["similar", id, "--format", "csv", "--index", &ix]);
    assert_eq!(csv.status, 0);
    assert!(csv.stdout.starts_with("rank,id,"));
    assert!(csv.stderr.contains("imr: closest 20: "), "{}", csv.stderr);
    let jsonl = run(&["similar", id, "--format", "jsonl", "--index", &ix]);
    assert_eq!(jsonl.status, 0);
    assert_eq!(jsonl.stdout.lines().count(), 10);
    for line in jsonl.stdout.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        assert!(v["id"].is_string() && v["decision"].is_string(), "{line}");
    }
}

/// A text is read for the item it disputes: each real letter's clinical summary tells of the
/// UR decision ("Utilization Review non-certified the request for ..."), so reading it as a
/// UR denial must find one of the letter's own items (its treatment, and its drug where it
/// has one).
#[test]
fn the_letters_summaries_are_read_for_their_items() {
    let Some(txt) = shared_letters("txt") else {
        return;
    };
    let mut cmd = imr();
    cmd.args(["parse", "--format", "jsonl"]).arg(txt);
    let r = run_cmd(&mut cmd);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let items: Vec<Item> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("an Item"))
        .collect();
    let mut letters: Vec<&str> = items.iter().map(|i| i.letter_id.as_str()).collect();
    letters.dedup();
    let (mut read, mut right, mut missed) = ([0; 2], [0; 2], Vec::new());
    for letter in &letters {
        let own: Vec<&Item> = items.iter().filter(|i| i.letter_id == *letter).collect();
        let r = imr_search::search::reading::read(&own[0].summary);
        let half = usize::from(held_aside(letter));
        read[half] += 1;
        let p = &r.profile;
        let hit = own.iter().any(|i| {
            p.treatment == i.treatment.treatment
                && p.drug().is_none_or(|d| {
                    i.medication
                        .iter()
                        .chain(&i.medications)
                        .any(|m| m.generic == d)
                })
        });
        if hit {
            right[half] += 1;
        } else if half == 0 {
            // Only the tuning half's misses are shown: the other half is the check.
            missed.push(format!(
                "{letter}: read {:?} from {:?}",
                p.describe(),
                r.from
            ));
        }
    }
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    eprintln!(
        "imr similar --text on the letters' summaries: one of the letter's items read in {:.1}% (tuning half {}/{}, held-aside half {}/{})",
        pct(right[0] + right[1], read[0] + read[1]),
        right[0],
        read[0],
        right[1],
        read[1]
    );
    for m in &missed {
        eprintln!("  missed (tuning half) {m}");
    }
    assert!(letters.len() >= 70);
    assert!(
        pct(right[0] + right[1], read[0] + read[1]) >= 85.0,
        "{missed:#?}"
    );
}
