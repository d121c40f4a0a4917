//! `imr similar`: the decided items most like an item or a UR denial, and the odds among the
//! closest.

use super::common;
use crate::cli::FilterArgs;
use crate::output::similar::write_similar;
use crate::output::Format;
use crate::search::{SimilarRequest, SimilarTo};
use anyhow::Result;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("subject").required(true).args(["id", "text"])))]
pub struct SimilarArgs {
    /// An item id ("CM16-0213037#2"; a letter id names a one-item letter).
    #[arg(value_name = "ID")]
    pub id: Option<String>,
    /// Instead of an item: a file holding the text of a UR denial or of a request ("-" reads
    /// standard input).
    #[arg(long, value_name = "FILE", conflicts_with = "id")]
    pub text: Option<PathBuf>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Index directory [default: $IMR_INDEX, else imr/index in the per-user data directory:
    /// ~/.local/share/imr/index on Linux].
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// How many items to show.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Skip this many items (for paging).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Output format [default: table on a terminal, json when piped].
    #[arg(long, short, value_enum)]
    pub format: Option<Format>,
}

/// [`crate::search::MAX_TEXT`], as the reader counts it.
const MAX_TEXT: u64 = crate::search::MAX_TEXT as u64;

pub fn run(args: &SimilarArgs) -> Result<i32> {
    let format = common::format(args.format);
    let to = match (&args.id, &args.text) {
        (_, Some(path)) => SimilarTo::Text {
            text: read_text(path)?,
            name: if path == Path::new("-") {
                "standard input".to_string()
            } else {
                path.display().to_string()
            },
        },
        (Some(id), None) => SimilarTo::Item(id.clone()),
        // clap's group requires one; said again rather than trusted to panic.
        (None, None) => anyhow::bail!("give an item id or --text FILE"),
    };
    let req = SimilarRequest {
        filters: common::filters(&args.filters)?,
        limit: args.limit,
        offset: args.offset,
        // As `imr search`: only JSON prints the key and rule sentences.
        reasoning: matches!(format, Format::Json | Format::Jsonl),
        ..SimilarRequest::new(to)
    };
    let engine = common::open_engine(args.index.as_deref())?;
    let similar = engine.similar(&req)?;
    let stdout = std::io::stdout();
    let color = crate::output::color(stdout.is_terminal());
    let mut out = std::io::BufWriter::new(stdout.lock());
    write_similar(&mut out, &similar, format, color)?;
    out.flush()?;
    Ok(0)
}

/// The text of FILE ("-": standard input), as UTF-8 (invalid bytes replaced: a pasted
/// letter in another encoding still reads), or a one-line error naming the file.
fn read_text(path: &Path) -> Result<String> {
    let mut bytes = Vec::new();
    let name = path.display();
    let read = if path == Path::new("-") {
        std::io::stdin().take(MAX_TEXT + 1).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(MAX_TEXT + 1).read_to_end(&mut bytes))
    };
    read.map_err(|e| anyhow::anyhow!("{name}: cannot read the text: {e}"))?;
    if bytes.len() as u64 > MAX_TEXT {
        anyhow::bail!(
            "{name}: more than {} MB of text: give the UR denial or the request alone",
            MAX_TEXT >> 20
        );
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
