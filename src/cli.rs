//! Command-line arguments (clap derive): the `///` comments are the help text.

use crate::index::facets::{self, FacetId};
use crate::record::Decision;
use crate::search::request::{check_class, check_drug, parse_from, parse_to};
use crate::search::Sort;
use clap::builder::PossibleValue;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Search California workers' compensation Independent Medical Review (IMR) decisions.
///
/// Each determination letter is split into its disputed items (one per treatment decided),
/// with the decision, the guidelines cited, the drug and the reviewer, so you can find
/// precedent, count outcomes by guideline or drug, and build citable precedent lists.
#[derive(Debug, Parser)]
#[command(
    name = "imr",
    version = version_line(),
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse letters into one record per disputed item, without indexing.
    ///
    /// PATH is a letter (.txt, or .pdf as DWC posts them) or a folder, walked recursively. Files that are not IMR letters
    /// are reported on stderr, one line each, and the rest are still printed.
    /// Exit status: 0 all parsed, 1 some files failed, 2 usage error.
    ///
    /// Example: imr parse corpora/seeds --format jsonl | jq -r '.item'
    #[command(verbatim_doc_comment)]
    Parse(ParseArgs),
    /// Build or update the index from letters.
    ///
    /// Letters are split into disputed items and added to the index at --index (else
    /// $IMR_INDEX, else ~/.local/share/imr/index on Linux), creating it if needed; the demo
    /// index of a first search is replaced, not added to. Indexing a letter again replaces
    /// its items, so re-running the same command is safe; new letters are added; a letter
    /// found in two files is indexed once, from the later, with a warning naming both.
    /// Folders are walked recursively; symbolic links are followed (a link back into a folder
    /// being walked is noted and not followed; a file reached twice is read once). Text may
    /// be UTF-8 (BOM or not), UTF-16 (BOM or not) or Windows-1252; a text file over 64 MiB
    /// is refused. A file or folder that cannot be read or parsed is skipped, one line each,
    /// and the rest is still indexed. The last line adds up: files = read + skipped (by
    /// reason); letters = the sum over layouts. Commits happen in batches, so an interrupted
    /// run keeps what it committed and re-running finishes the job.
    /// Exit status: 0 all indexed, 1 some files or folders skipped, 2 fatal error.
    ///
    /// Example: imr index ~/imr-letters --index ~/imr-index
    #[command(verbatim_doc_comment)]
    Index(IndexArgs),
    /// Search the disputed items: ranked, filtered, with facet counts and the passage that
    /// matched.
    ///
    /// Words the query recognises become filters: drug names, brand or generic ("Norco" =
    /// hydrocodone/acetaminophen), drug classes ("opioids"), decisions ("upheld", "denied",
    /// "overturned"), guideline sources ("MTUS", "ODG"), MTUS pages ("page 80"), treatments
    /// ("MRI", "chiropractor", "ESI"), body regions ("lumbar", "knee") and DWC categories
    /// ("surgery", "DME") — treatments and regions only where no drug is named. A near miss of
    /// a known word is read as that word ("acupunture"), and said. Known concepts
    /// match all their phrasings ("urine drug screen" = UDS = urine drug testing = urine
    /// toxicology). Every other word must appear in the item, its rationale, its guideline lines
    /// or the letter's summary. The first line of output says how the query was understood.
    /// When nothing matches, the search loosens the words first, the filters last, and says
    /// how on stderr and in the JSON `note`.
    /// Use --literal to turn recognition off, or tantivy's query syntax: "exact phrase",
    /// AND / OR / -word, field:value (fields: text = the item's own words, summary, item, drug).
    ///
    /// With no index yet and none asked for, a demo index of the five letters built into imr
    /// is made first (in ~/.local/share/imr on Linux); `imr index PATH` replaces it.
    ///
    /// Examples:
    ///   imr search "Norco upheld urine drug screen"
    ///   imr search "lumbar MRI" --decision overturned --from 2016-01-01 --format csv > mri.csv
    ///   imr search "physical therapy" --region "lumbar spine" --decision overturned
    ///   imr search --subcategory "Topical Compounds" --where decided=2017
    ///   imr search --guideline "MTUS/Chronic Pain/Opioids" --mtus-page 80
    #[command(verbatim_doc_comment)]
    Search(SearchArgs),
    /// Write a citable precedent list: the tally of every matching item (decisions, dates,
    /// guidelines, reviewer specialties), then numbered entries, each a citation line with the
    /// reviewer's specialty, the guideline rule applied and the reasoning, as Markdown
    /// (default), Word, CSV or JSON.
    ///
    /// Takes the same query and filters as `imr search`.
    ///
    /// Examples:
    ///   imr precedents "Norco upheld urine drug screen" --limit 20 > precedents.md
    ///   imr precedents "lumbar MRI" --sort newest --group --out mri-precedents.docx
    ///   imr precedents acupuncture --summary --format csv > tally.csv
    #[command(verbatim_doc_comment)]
    Precedents(PrecedentsArgs),
    /// Count items by a facet, as a tree, over the whole index or a query's hits, with the
    /// share overturned.
    ///
    /// FIELD: decision, medication (class → drug), guideline (source → document → section →
    /// pages), specialty, category, decided (year → month). `imr facets --help` lists them all.
    ///
    /// Examples:
    ///   imr facets guideline
    ///   imr facets guideline --path "MTUS/Chronic Pain Medical Treatment Guidelines" --depth 2
    ///   imr facets medication "urine drug screen"
    #[command(verbatim_doc_comment)]
    Facets(FacetsArgs),
    /// Decisions like this one: the decided items most like an item, or like the text of a UR
    /// denial you are about to take to IMR, with how many of the closest 20 and 50 were
    /// overturned, and how many of every item of the same treatment (and drug): the base
    /// rate to read those odds against.
    ///
    /// Likeness: the same treatment and drug weigh most, then the drug's class, the body
    /// region, DWC's subcategory and the guideline section cited, then the reasoning's most
    /// distinctive words. An item's own letter is left out of its neighbours. A text is read
    /// for the item it disputes ("the request for MRI of the lumbar spine ..."), and the first
    /// lines say what was read. The filters of `imr search` narrow the neighbours (--from,
    /// --guideline, --treatment to choose among several items a text names); --decision
    /// narrows the list, while the odds still count every decision. `imr serve` offers the
    /// same at /similar (paste a denial) and from every item of a letter page.
    ///
    /// Examples:
    ///   imr similar CM16-0213037#2
    ///   imr similar --text ur-denial.txt --from 2016
    ///   imr similar --text - --format md < ur-denial.txt > like-mine.md
    #[command(verbatim_doc_comment)]
    Similar(crate::commands::similar::SimilarArgs),
    /// Print one item ("CM16-0213037#2") or a whole letter ("CM16-0213037") in full.
    Show(ShowArgs),
    /// Print a shell completion script for imr.
    ///
    /// Install it where the shell looks (then open a new shell):
    ///   bash:   imr completions bash > ~/.local/share/bash-completion/completions/imr
    ///   zsh:    imr completions zsh > ~/.zfunc/_imr   (and in ~/.zshrc, before compinit:
    ///           fpath+=~/.zfunc)
    ///   fish:   imr completions fish > ~/.config/fish/completions/imr.fish
    ///   PowerShell: imr completions powershell >> $PROFILE
    ///   elvish: imr completions elvish >> ~/.config/elvish/rc.elv
    #[command(verbatim_doc_comment)]
    Completions(CompletionsArgs),
    /// Print imr's manual page (roff): every command and flag, as in --help.
    ///
    /// Example: imr man > ~/.local/share/man/man1/imr.1 && man imr
    #[command(verbatim_doc_comment)]
    Man,
    /// Serve a search page and the JSON API on this machine (http://127.0.0.1:7878/).
    ///
    /// The page does what the commands above do, with clicks: search, facets, charts, letters,
    /// precedent lists. Read-only; answers only this machine unless --bind says otherwise.
    ///
    /// Example: imr serve --open
    #[command(verbatim_doc_comment)]
    Serve(crate::commands::serve::ServeArgs),
}

/// `imr --version`: the crate version and the index schema version this build reads and
/// writes, so a user told to rebuild an index can see why ("imr 0.1.0 (index schema v6)").
/// The schema version is read from index-schema/schema.toml, compiled in, once.
fn version_line() -> &'static str {
    static LINE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    LINE.get_or_init(|| {
        format!(
            "{} (index schema v{})",
            env!("CARGO_PKG_VERSION"),
            crate::index::schema::version()
        )
    })
}

// The record and search types stay free of clap: their flag spellings are given here.

impl ValueEnum for Decision {
    fn value_variants<'a>() -> &'a [Self] {
        &[Decision::Upheld, Decision::Overturned]
    }
    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.as_str()).help(match self {
            Decision::Upheld => "The utilization-review denial stands: not medically necessary.",
            Decision::Overturned => "The denial is reversed: medically necessary.",
            // Not offered (value_variants): whole-letter documents are found with
            // `--where decision=unknown`.
            Decision::Unknown => "A whole-letter document: its decisions were not read.",
        }))
    }
}

impl ValueEnum for Sort {
    fn value_variants<'a>() -> &'a [Self] {
        &[Sort::Relevance, Sort::Date, Sort::Oldest]
    }
    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            Sort::Relevance => PossibleValue::new("relevance"),
            // "date" was the only date order before there were two; it still works.
            Sort::Date => PossibleValue::new("newest")
                .alias("date")
                .help("Newest decision first (also: date); ties by case number, then item."),
            Sort::Oldest => PossibleValue::new("oldest")
                .help("Oldest decision first; ties by case number, then item."),
        })
    }
}

/// `--medication`: a drug the lexicon knows, brand or generic.
fn drug_arg(s: &str) -> Result<String, crate::Error> {
    check_drug(s).map(|_| s.to_string())
}

/// `--class`: a drug class the lexicon knows, as it spells it.
fn class_arg(s: &str) -> Result<String, crate::Error> {
    check_class(s)
}

/// `--from`: the first day of a date (the flag's name is in clap's own message).
fn from_arg(s: &str) -> Result<String, String> {
    parse_from(s).map_err(|_| DATE_FORMS.to_string())
}

/// `--to`: the last day of a date.
fn to_arg(s: &str) -> Result<String, String> {
    parse_to(s).map_err(|_| DATE_FORMS.to_string())
}

const DATE_FORMS: &str = "not a date: use YYYY-MM-DD, YYYY-MM or YYYY";

/// `imr facets FIELD`: a facet by name or alias.
fn facet_arg(s: &str) -> Result<FacetId, crate::Error> {
    facets::find(s).ok_or_else(|| crate::Error::UnknownFacet {
        name: s.to_string(),
        known: facets::names(),
    })
}

/// `--where FIELD=PATH`.
fn where_arg(s: &str) -> Result<(FacetId, String), crate::Error> {
    let (field, path) = s.split_once('=').unwrap_or((s, ""));
    let id = facet_arg(field)?;
    if path.trim().is_empty() {
        return Err(crate::Error::NoSuchValue {
            what: facets::FACETS[id].name,
            facet: facets::FACETS[id].name,
            typed: path.to_string(),
        });
    }
    Ok((id, path.trim().to_string()))
}

/// Filters shared by search, precedents and facets.
#[derive(Debug, Clone, clap::Args)]
pub struct FilterArgs {
    /// Only items with this decision.
    #[arg(long, value_enum)]
    pub decision: Option<Decision>,
    /// Only items for this drug, brand or generic (repeat for any of several).
    #[arg(long = "medication", value_name = "DRUG", value_parser = drug_arg)]
    pub medications: Vec<String>,
    /// Only items for drugs of this class ("opioid", "muscle relaxant"; repeatable).
    #[arg(long = "class", value_name = "CLASS", value_parser = class_arg)]
    pub classes: Vec<String>,
    /// Only items of this category (repeatable): DWC's Request Category, whole or its
    /// beginning ("Diagnostic Testing", "DMEPOS", "Rehabilitation/Acupuncture"), or one of
    /// the nine broad ones: medication, imaging, injection, therapy, dme, consultation,
    /// surgery, lab, other.
    #[arg(long = "category", value_name = "CATEGORY")]
    pub categories: Vec<String>,
    /// Only items of this DWC SubCategory, under any category ("Acupuncture", "Imaging",
    /// "Muscle Relaxant", "Topical Compounds"; repeatable).
    #[arg(long = "subcategory", value_name = "NAME")]
    pub subcategories: Vec<String>,
    /// Only items of this treatment, by name or synonym ("MRI", "physical therapy",
    /// "chiropractor", "ESI"; repeatable; see `imr facets treatment`).
    #[arg(long = "treatment", value_name = "NAME")]
    pub treatments: Vec<String>,
    /// Only items for this body region, either side ("lumbar spine", "L-spine", "knee";
    /// repeatable; see `imr facets region`).
    #[arg(long = "region", value_name = "NAME")]
    pub regions: Vec<String>,
    /// Only items citing this guideline: SOURCE[/DOCUMENT[/SECTION[/PAGE]]], each step whole
    /// or its beginning, any case: "MTUS", "ODG/Pain", "MTUS/Chronic Pain/Opioids".
    #[arg(long = "guideline", value_name = "PATH")]
    pub guidelines: Vec<String>,
    /// Only items citing this MTUS page (a cited range 76-80 contains 80; repeatable).
    #[arg(long = "mtus-page", value_name = "N")]
    pub mtus_pages: Vec<u32>,
    /// Only items decided by a reviewer of this specialty (repeatable).
    #[arg(long = "specialty", value_name = "NAME")]
    pub specialties: Vec<String>,
    /// Decided on or after this date (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE", value_parser = from_arg)]
    pub from: Option<String>,
    /// Decided on or before this date (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE", value_parser = to_arg)]
    pub to: Option<String>,
    /// Only items with this value of any facet (see `imr facets`): FIELD=PATH, the path as
    /// for --guideline ("decided=2016/12", "specialty=Pain"; repeatable).
    #[arg(long = "where", value_name = "FIELD=PATH", value_parser = where_arg)]
    pub wheres: Vec<(FacetId, String)>,
}

/// The query, its filters and the index: what search, precedents and facets share.
#[derive(Debug, Clone, clap::Args)]
pub struct QueryArgs {
    /// What to look for, in plain words (quote it or not).
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Index directory [default: $IMR_INDEX, else imr/index in the per-user data directory:
    /// ~/.local/share/imr/index on Linux].
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// Search every word as text: no drug, decision or concept recognition.
    #[arg(long)]
    pub literal: bool,
}

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    #[command(flatten)]
    pub q: QueryArgs,
    /// How many items to show.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Skip this many items (for paging).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Result order [default: relevance, or date when the query has no words to rank by].
    #[arg(long, value_enum)]
    pub sort: Option<Sort>,
    /// Output format [default: table on a terminal, json when piped].
    #[arg(long, short, value_enum)]
    pub format: Option<crate::output::Format>,
    /// Values shown per facet in the table.
    #[arg(long, default_value_t = 6, value_name = "N")]
    pub facet_limit: usize,
}

#[derive(Debug, clap::Args)]
pub struct PrecedentsArgs {
    #[command(flatten)]
    pub q: QueryArgs,
    /// How many entries.
    #[arg(long, short = 'n', default_value_t = 25)]
    pub limit: usize,
    /// Order: relevance, newest or oldest decision first (date ties by case number, then
    /// item) [default: relevance, or newest when the query has no words to rank by].
    #[arg(long, value_enum)]
    pub sort: Option<Sort>,
    /// md, docx (Word), csv, json or jsonl [default: from --out's extension, else md].
    #[arg(long, short, value_enum)]
    pub format: Option<crate::output::precedents::ListFormat>,
    /// Write the list to FILE instead of stdout, whole or not at all; its extension (.md
    /// .docx .csv .json .jsonl) sets the format.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// One entry for near-identical items of one letter (the same decision, and the same
    /// treatment or drugs under a guideline in common, or the same reasoning): the left and
    /// right EMG, the pre-op labs of a surgery.
    #[arg(long)]
    pub group: bool,
    /// Only the tally of the matching items (in CSV a table of counts, since a CSV opens in
    /// Excel as one table and the list's is the entries).
    #[arg(long)]
    pub summary: bool,
}

#[derive(Debug, clap::Args)]
pub struct FacetsArgs {
    /// decision, medication (or class, drug), guideline, specialty, category or decided.
    #[arg(value_name = "FIELD", value_parser = facet_arg)]
    pub field: FacetId,
    /// Count only the hits of QUERY and filters (as in `imr search`).
    #[command(flatten)]
    pub q: QueryArgs,
    /// Start below this path, e.g. "MTUS/Chronic Pain Medical Treatment Guidelines".
    #[arg(long, value_name = "PATH")]
    pub path: Option<String>,
    /// Levels to show [default: 2 for medication, guideline and decided; else 1].
    #[arg(long, value_name = "N")]
    pub depth: Option<usize>,
    /// Values shown per level.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub limit: usize,
    /// Output format: table, json or csv [default: table on a terminal, json when piped].
    #[arg(long, short, value_enum)]
    pub format: Option<crate::output::Format>,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// An item id ("CM16-0213037#2") or a letter id ("CM16-0213037").
    #[arg(value_name = "ID")]
    pub id: String,
    /// Index directory [default: $IMR_INDEX, else imr/index in the per-user data directory:
    /// ~/.local/share/imr/index on Linux].
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// table (readable), json or md.
    #[arg(long, short, value_enum)]
    pub format: Option<crate::output::Format>,
}

#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// Letter files or folders (walked recursively).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Index directory [default: $IMR_INDEX, else imr/index in the per-user data directory:
    /// ~/.local/share/imr/index on Linux].
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// Build a fresh index from PATH... and replace the existing one when done (needed after
    /// an upgrade that changes the index schema).
    #[arg(long)]
    pub rebuild: bool,
    /// No progress and no summary; errors only.
    #[arg(long, short)]
    pub quiet: bool,
    /// Commit every N letters: an interrupted run loses at most one batch.
    #[arg(long, value_name = "N", default_value_t = 5000, hide = true)]
    pub batch: usize,
    /// Writer memory budget in MB.
    #[arg(long, value_name = "MB", default_value_t = 256, hide = true)]
    pub memory_mb: usize,
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
pub struct ParseArgs {
    /// Letter files or folders.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format: `text` for reading, `jsonl` one item per line, `json` one array.
    #[arg(long, short, value_enum, default_value_t = ParseFormat::Text)]
    pub format: ParseFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ParseFormat {
    Text,
    Jsonl,
    Json,
}
