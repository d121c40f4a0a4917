//! Synthetic IMR letters at any scale, with the ground truth of every item: the corpus for
//! benchmarks and for checking the parser on millions of letters (`imr-synth`).
//!
//! Text is recombined from sentence pools learned at run time from real letters
//! (`templates`), with fresh case numbers (`CM99-`), drugs from the lexicon, strengths,
//! quantities, dates, ages and specialties (`vocab.toml`), in three letter layouts (2014-15,
//! 2016 and the 2013 Notice), with
//! wrapped item names, partial approvals, page breaks and extraction damage (`layout`,
//! `sentence`). Letter `i` depends only on the seed and `i`, so folders are generated in
//! parallel and written as they are made: memory stays flat at any number of letters.

mod citations;
mod items;
mod layout;
mod letter;
mod notice;
mod rng;
mod sentence;
mod templates;
mod vocab;

pub use layout::Era;
pub use letter::{Generator, SynthLetter};
pub use templates::Templates;
pub use vocab::Vocab;

use crate::error::{Error, Result};
use crate::record::{Category, Decision, Sex};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// One item as the generator wrote it: what the parser must read back. One JSON line per
/// item in `truth.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthItem {
    pub letter_id: String,
    pub era: Era,
    pub item_index: u32,
    pub item: String,
    pub decision: Decision,
    pub category: Category,
    /// The drug's generic where the item names one (medications, and injections of a drug).
    pub generic: Option<String>,
    /// The strength as written ("10/325mg"), for medications written with one.
    pub strength: Option<String>,
    pub quantity: Option<u32>,
    /// The item is the IMR-eligible part of a partial approval.
    pub partial: bool,
    pub mtus_pages: Vec<u32>,
    /// ISO dates; no decision date in the seed era, whose letters have no header.
    pub decision_date: Option<String>,
    pub date_of_injury: Option<String>,
    /// From the header (2016) or the prose (2013 Notice); none in the seed era.
    pub ur_denial_date: Option<String>,
    pub application_received: Option<String>,
    pub patient_age: Option<u32>,
    pub patient_sex: Option<Sex>,
    /// The reviewer's specialties as written, each in the lexicon's canonical spelling.
    pub specialty: Vec<String>,
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct SynthOptions {
    pub letters: u64,
    pub seed: u64,
    pub out: PathBuf,
    /// Folders of real letters (text) to learn sentences from.
    pub templates: Vec<PathBuf>,
    /// Letters per subfolder.
    pub per_folder: u64,
}

/// Written last into the output folder as `synth.json`: a corpus without it is incomplete.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub generator_version: u32,
    pub letters: u64,
    pub seed: u64,
    pub per_folder: u64,
    pub templates: Vec<String>,
    pub template_letters: usize,
    pub items: u64,
    pub overturned: u64,
    pub seed_era_letters: u64,
    /// Letters in the 2013 Notice layout.
    #[serde(default)]
    pub notice_letters: u64,
    /// Bytes of letter text written.
    pub bytes: u64,
    pub written_by: String,
}

pub const MANIFEST: &str = "synth.json";

/// Bumped whenever the same seed and templates would give a different corpus: a corpus
/// written by another version is not reused (the benchmark regenerates it).
pub const GENERATOR_VERSION: u32 = 2;
pub const TRUTH: &str = "truth.jsonl";
pub const LETTERS: &str = "letters";

#[derive(Debug)]
pub struct SynthReport {
    pub manifest: Manifest,
    pub elapsed: Duration,
}

/// The relative path of letter `index`: `letters/0012/CM99-0012345.txt` (named so whatever
/// its layout and case number).
pub fn letter_path(index: u64, per_folder: u64) -> PathBuf {
    Path::new(LETTERS)
        .join(format!("{:04}", index / per_folder.max(1)))
        .join(format!("{}.txt", Generator::letter_id(index)))
}

/// Generates the corpus into `opts.out` (created; must not hold a corpus already).
/// `progress` is called with the number of letters written so far.
pub fn generate(opts: &SynthOptions, progress: impl Fn(u64)) -> Result<SynthReport> {
    let start = Instant::now();
    let out = &opts.out;
    if out.join(MANIFEST).exists() || out.join(LETTERS).exists() {
        return Err(Error::Other(format!(
            "{}: already holds a corpus; choose another --out or remove it",
            out.display()
        )));
    }
    std::fs::create_dir_all(out).map_err(|e| Error::io_path(e, out))?;
    let templates = Templates::learn(&opts.templates)?;
    let template_letters = templates.letters;
    let generator = Generator::new(Vocab::bundled()?, templates, opts.seed);

    let truth_path = out.join(TRUTH);
    let truth_file =
        std::fs::File::create(&truth_path).map_err(|e| Error::io_path(e, &truth_path))?;
    let mut truth = std::io::BufWriter::with_capacity(1 << 20, truth_file);
    let per_folder = opts.per_folder.max(1);
    let folders = opts.letters.div_ceil(per_folder);
    // A few folders per thread at a time: enough to keep every core busy, few enough that
    // the ground truth waiting to be written in order stays small.
    let window = (rayon::current_num_threads() as u64 * 2).max(1);
    let mut manifest = Manifest {
        generator_version: GENERATOR_VERSION,
        letters: opts.letters,
        seed: opts.seed,
        per_folder,
        templates: opts
            .templates
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        template_letters,
        items: 0,
        overturned: 0,
        seed_era_letters: 0,
        notice_letters: 0,
        bytes: 0,
        written_by: format!("imr-synth {}", env!("CARGO_PKG_VERSION")),
    };
    let mut done = 0u64;
    let mut first = 0u64;
    while first < folders {
        let last = (first + window).min(folders);
        let results: Vec<Result<Folder>> = (first..last)
            .into_par_iter()
            .map(|f| {
                let from = f * per_folder;
                let to = (from + per_folder).min(opts.letters);
                write_folder(&generator, out, from..to, per_folder)
            })
            .collect();
        for r in results {
            let folder = r?;
            truth
                .write_all(folder.truth.as_bytes())
                .map_err(|e| Error::io_path(e, &truth_path))?;
            manifest.items += folder.items;
            manifest.overturned += folder.overturned;
            manifest.seed_era_letters += folder.seed_era;
            manifest.notice_letters += folder.notice;
            manifest.bytes += folder.bytes;
            done += folder.letters;
        }
        progress(done);
        first = last;
    }
    truth.flush().map_err(|e| Error::io_path(e, &truth_path))?;
    let manifest_path = out.join(MANIFEST);
    let json = serde_json::to_string_pretty(&manifest).expect("manifest serializes");
    std::fs::write(&manifest_path, json).map_err(|e| Error::io_path(e, &manifest_path))?;
    Ok(SynthReport {
        manifest,
        elapsed: start.elapsed(),
    })
}

/// One folder's letters, written; its ground truth as JSON lines, in letter order.
struct Folder {
    letters: u64,
    items: u64,
    overturned: u64,
    seed_era: u64,
    notice: u64,
    bytes: u64,
    truth: String,
}

fn write_folder(
    generator: &Generator,
    out: &Path,
    range: std::ops::Range<u64>,
    per_folder: u64,
) -> Result<Folder> {
    let mut folder = Folder {
        letters: 0,
        items: 0,
        overturned: 0,
        seed_era: 0,
        notice: 0,
        bytes: 0,
        truth: String::with_capacity((range.end - range.start) as usize * 900),
    };
    let Some(first) = range.clone().next() else {
        return Ok(folder);
    };
    let dir = out.join(letter_path(first, per_folder));
    let dir = dir.parent().expect("letter path has a folder");
    std::fs::create_dir_all(dir).map_err(|e| Error::io_path(e, dir))?;
    for i in range {
        let letter = generator.letter(i);
        let path = out.join(letter_path(i, per_folder));
        std::fs::write(&path, letter.text.as_bytes()).map_err(|e| Error::io_path(e, &path))?;
        folder.letters += 1;
        folder.bytes += letter.text.len() as u64;
        folder.seed_era += u64::from(letter.era == Era::Seed);
        folder.notice += u64::from(letter.era == Era::Notice);
        for item in &letter.items {
            folder.items += 1;
            folder.overturned += u64::from(item.decision == Decision::Overturned);
            folder
                .truth
                .push_str(&serde_json::to_string(item).expect("truth serializes"));
            folder.truth.push('\n');
        }
    }
    Ok(folder)
}

/// Reads a finished corpus's manifest (None if the corpus is incomplete or absent).
pub fn read_manifest(dir: &Path) -> Option<Manifest> {
    let text = std::fs::read_to_string(dir.join(MANIFEST)).ok()?;
    serde_json::from_str(&text).ok()
}
