//! The two guideline lines of an item block, in the letter's era, and the MTUS pages they
//! cite (the ground truth of `mtus_pages`).
//!
//! Seed era (2014-15): MTUS by topic with `Page(s):`, in the forms the seed letters use.
//! 2016 era: sections, no pages; learned from the template letters where they have a line
//! for the item's kind, else built from `vocab.toml`.

use super::items::GenItem;
use super::rng::Rng;
use super::templates::Templates;
use super::vocab::Vocab;

/// The `Claims Administrator guideline:` and `MAXIMUS guideline:` texts and the MTUS pages
/// the MAXIMUS line cites.
#[derive(Debug, Clone)]
pub struct Lines {
    pub claims: String,
    pub maximus: String,
    pub mtus_pages: Vec<u32>,
}

fn keys(item: &GenItem) -> Vec<&str> {
    let mut keys = Vec::new();
    if let Some(c) = &item.class {
        keys.push(c.as_str());
    }
    keys.push(item.category.as_str());
    keys.push("*");
    keys
}

fn odg(vocab: &Vocab, rng: &mut Rng) -> String {
    let [chapter, topic] = rng.pick(&vocab.odg.citations);
    format!("Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) {chapter}, {topic}.")
}

/// Expands "74-78, 88, 91" into its pages.
pub fn expand_pages(pages: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for piece in pages.split(',') {
        let mut ends = piece.split('-').map(|n| n.trim().parse::<u32>());
        match (ends.next(), ends.next()) {
            (Some(Ok(a)), Some(Ok(b))) => out.extend(a..=b),
            (Some(Ok(a)), None) => out.push(a),
            _ => {}
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// "Page 24" or "Pages 78-80".
fn page_word(pages: &str) -> &'static str {
    if pages.contains(['-', ',']) {
        "Pages"
    } else {
        "Page"
    }
}

pub fn seed_era(vocab: &Vocab, rng: &mut Rng, item: &GenItem) -> Lines {
    let keys = keys(item);
    let entry = vocab
        .seed_citation
        .iter()
        .find(|c| c.keys.iter().any(|k| keys.contains(&k.as_str())))
        .expect("vocab check: a \"*\" seed_citation exists");
    let doc = &entry.document;
    let topic = rng.pick(&entry.topics);
    let p = rng.pick(&entry.pages).clone();
    let (maximus, pages) = match rng.weighted(&[35.0, 15.0, 12.0, 10.0, 10.0, 10.0, 8.0]) {
        0 => (
            format!("Decision based on MTUS {doc} {topic} Page(s): {p}."),
            expand_pages(&p),
        ),
        1 => (
            format!(
                "Decision based on MTUS {doc} {topic}, {w} {p} Page(s): {w} {p}.",
                w = page_word(&p)
            ),
            expand_pages(&p),
        ),
        2 => (
            format!("Decision based on MTUS {doc} 8 C.C.R. 9792.20 - 9792.26; MTUS (Effective July 18, 2009) Page(s): Page {p} of 127."),
            expand_pages(&p),
        ),
        3 => {
            let topic2 = rng.pick(&entry.topics);
            let p2 = rng.pick(&entry.pages).clone();
            let mut pages = expand_pages(&p);
            pages.extend(expand_pages(&p2));
            pages.sort_unstable();
            pages.dedup();
            (
                format!(
                    "Decision based on MTUS {doc} {topic}, {} {p}, {topic2}, {} {p2} Page(s): Pages.",
                    page_word(&p),
                    page_word(&p2)
                ),
                pages,
            )
        }
        4 => (
            format!("Decision based on MTUS {doc} Page(s): {p}."),
            expand_pages(&p),
        ),
        5 => (
            format!(
                "The Expert Reviewer did not base their decision on the MTUS. {}",
                odg(vocab, rng)
            ),
            Vec::new(),
        ),
        _ => (
            format!(
                "Decision based on MTUS {doc} {topic} Page(s): {p}. {}",
                odg(vocab, rng)
            ),
            expand_pages(&p),
        ),
    };
    let claims = match rng.below(4) {
        0 => "The Claims Administrator did not cite any medical evidence for its decision.".into(),
        1 => format!("Decision based on MTUS {doc}."),
        2 => format!("Decision based on MTUS {doc} {topic}."),
        _ => format!(
            "Decision based on MTUS {doc} {topic} Page(s): {}.",
            rng.pick(&entry.pages)
        ),
    };
    Lines {
        claims,
        maximus,
        mtus_pages: pages,
    }
}

pub fn modern_era(vocab: &Vocab, templates: &Templates, rng: &mut Rng, item: &GenItem) -> Lines {
    let class = item.class.as_deref();
    let category = item.category.as_str();
    let learned = Templates::lines(&templates.maximus, category, class);
    let maximus = match learned {
        Some(lines) if rng.chance(0.7) => rng.pick(lines).clone(),
        _ => {
            let keys = keys(item);
            let entry = vocab
                .section_citation
                .iter()
                .find(|c| c.keys.iter().any(|k| keys.contains(&k.as_str())))
                .expect("vocab check: a \"*\" section_citation exists");
            let doc = rng.pick(&entry.documents);
            let section = rng.pick(&entry.sections);
            match rng.weighted(&[60.0, 25.0, 15.0]) {
                0 => format!("Decision based on MTUS {doc}, Section(s): {section}."),
                1 => format!(
                    "Decision based on MTUS {doc}, Section(s): {section}. {}",
                    odg(vocab, rng)
                ),
                _ => format!(
                    "The Expert Reviewer based their decision on recommendation(s) outside of the MTUS Guidelines. {}",
                    odg(vocab, rng)
                ),
            }
        }
    };
    let claims = match Templates::lines(&templates.claims, category, class) {
        Some(lines) if rng.chance(0.7) => rng.pick(lines).clone(),
        _ => "The Claims Administrator did not cite any medical evidence for its decision.".into(),
    };
    Lines {
        claims,
        maximus,
        mtus_pages: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_expand() {
        assert_eq!(expand_pages("74-78, 88, 91"), [74, 75, 76, 77, 78, 88, 91]);
        assert_eq!(expand_pages("24"), [24]);
    }

    /// Every seed-era line the generator writes cites, by the parser's reading, exactly the
    /// pages the generator meant.
    #[test]
    fn parser_reads_the_pages_meant() {
        let vocab = Vocab::bundled().unwrap();
        let maker = super::super::items::ItemMaker::new(&vocab);
        let mut rng = Rng::new(11);
        let day = super::super::sentence::Day::from_ymd(2014, 6, 1);
        for _ in 0..3_000 {
            let cat = maker.category(&mut rng);
            let item = maker.item(&vocab, &mut rng, cat, day);
            let lines = seed_era(&vocab, &mut rng, &item);
            let mut pages: Vec<u32> = crate::letter::citations::parse_citations(&lines.maximus)
                .into_iter()
                .filter(|c| c.source == crate::record::GuidelineSource::Mtus)
                .flat_map(|c| c.pages)
                .collect();
            pages.sort_unstable();
            pages.dedup();
            assert_eq!(pages, lines.mtus_pages, "{}", lines.maximus);
        }
    }
}
