//! imr against what a user would pick instead, measured in one run on one generated corpus:
//! raw tantivy (one document per letter, default tokenizer, no parsing) and SQLite FTS5
//! (rusqlite, bundled). Index build time, MB/s, peak RSS and size on disk; query latency
//! percentiles over a fixed mixed query set; end-to-end time of one CLI search.
//!
//! `cargo bench --bench compare` (100,000 letters), `-- --letters 1000000` for more; see
//! benches/README.md. Each build and each query run happens in a child process (this
//! benchmark re-executed with `--child`) so that peak RSS is each engine's own.

mod fts5;
mod imr;
mod measure;
mod queries;
mod raw;

use anyhow::{bail, Context};
use clap::Parser;
use measure::{disk_bytes, in_child, peak_rss_mb, AnonSampler, Percentiles};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// What one query returned, enough to check the engines answered alike.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Outcome {
    pub total: u64,
    pub hits: usize,
    pub facet_values: usize,
    pub snippet_chars: usize,
    pub interpreted: String,
}

#[derive(Parser, Debug)]
#[command(
    name = "compare",
    about = "imr vs raw tantivy vs SQLite FTS5 on a generated corpus"
)]
struct Args {
    /// Letters in the generated corpus.
    #[arg(long, default_value_t = 100_000)]
    letters: u64,
    /// Corpus seed.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Where the corpus lives (generated there if it is not already): default
    /// <target>/bench-corpus/<letters>-<seed>.
    #[arg(long)]
    corpus: Option<PathBuf>,
    /// Where the indexes are built: default <target>/bench-work.
    #[arg(long)]
    work: Option<PathBuf>,
    /// Template letters for the generator (repeatable); default ../shared/letters/txt when
    /// present, and corpora/seeds.
    #[arg(long = "templates")]
    templates: Vec<PathBuf>,
    /// Indexing threads, the same for every engine.
    #[arg(long, default_value_t = default_threads())]
    threads: usize,
    /// Writer memory budget in MB, the same for every engine (SQLite: page cache).
    #[arg(long, default_value_t = 256)]
    budget_mb: usize,
    /// Engines to run, comma-separated: imr, tantivy, fts5.
    #[arg(long, default_value = "imr,tantivy,fts5", value_delimiter = ',')]
    engines: Vec<String>,
    /// Seconds each engine's query measurement may take (at least 3 rounds of the set).
    #[arg(long, default_value_t = 60.0)]
    query_seconds: f64,
    /// Most rounds of the query set per engine.
    #[arg(long, default_value_t = 40)]
    rounds: usize,
    /// Runs of the end-to-end CLI search (the median is reported).
    #[arg(long, default_value_t = 21)]
    cli_runs: usize,
    /// Threads one query may use to search segments in parallel, the same for imr and raw
    /// tantivy (FTS5 has one); passed to both as IMR_SEARCH_THREADS.
    #[arg(long, default_value_t = 1)]
    search_threads: usize,
    /// Keep the indexes after measuring (they are removed by default: at a million letters
    /// they take tens of GB).
    #[arg(long)]
    keep: bool,
    /// Internal: run one measurement in this process.
    #[arg(long, hide = true, num_args = 2, value_names = ["OP", "JSON"])]
    child: Option<Vec<String>>,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    bench: bool,
}

fn default_threads() -> usize {
    // imr's own default (BuildOptions): the cores, at most 8.
    std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8)
}

#[derive(Debug, Serialize, Deserialize)]
struct BuildArgs {
    engine: String,
    letters: PathBuf,
    index: PathBuf,
    threads: usize,
    budget: usize,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct BuildOut {
    seconds: f64,
    docs: u64,
    /// VmHWM: includes the pages of mapped index files.
    peak_rss_mb: f64,
    /// Sampled peak of anonymous memory (heap): what the build itself holds.
    #[serde(default)]
    peak_anon_mb: f64,
}

#[derive(Debug, Serialize, Deserialize)]
struct QueryArgs {
    engine: String,
    index: PathBuf,
    seconds: f64,
    rounds: usize,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct QueryOut {
    open_ms: f64,
    /// Per query: latencies in ms, and what it returned.
    samples: Vec<Vec<f64>>,
    outcomes: Vec<Outcome>,
    rounds: usize,
    peak_rss_mb: f64,
    /// imr only: per query, median ms of count / +top 10 / +facets / +snippets.
    phases: Vec<[f64; 4]>,
    /// imr only: building the facet arrays at open (ms, MB), as `imr serve` does.
    #[serde(default)]
    warm: Option<(f64, f64)>,
}

#[derive(Debug, Serialize, Deserialize)]
struct CliArgs {
    engine: String,
    index: PathBuf,
    query: usize,
}

#[derive(Debug, Serialize, Deserialize)]
struct SynthArgs {
    letters: u64,
    seed: u64,
    out: PathBuf,
    templates: Vec<PathBuf>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct SynthOut {
    seconds: f64,
    peak_rss_mb: f64,
}

/// Everything measured for one engine.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct EngineResult {
    engine: String,
    build: BuildOut,
    index_bytes: u64,
    query: QueryOut,
    latency: Percentiles,
    cli_ms: Vec<f64>,
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("compare: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<()> {
    let args = Args::parse();
    if let Some(child) = &args.child {
        return child_main(&child[0], &child[1]);
    }
    // Read by imr's Engine::open and by raw tantivy's opening below, in every child process
    // (the imr CLI included), so both search with the same number of threads.
    std::env::set_var("IMR_SEARCH_THREADS", args.search_threads.max(1).to_string());
    let target = target_dir()?;
    let corpus = args.corpus.clone().unwrap_or_else(|| {
        target
            .join("bench-corpus")
            .join(format!("{}-{}", args.letters, args.seed))
    });
    let work = args
        .work
        .clone()
        .unwrap_or_else(|| target.join("bench-work"));
    let templates = if args.templates.is_empty() {
        ["../shared/letters/txt", "corpora/seeds"]
            .iter()
            .map(PathBuf::from)
            .filter(|p| p.is_dir())
            .collect()
    } else {
        args.templates.clone()
    };
    for e in &args.engines {
        if !matches!(e.as_str(), "imr" | "tantivy" | "fts5") {
            bail!("--engines: unknown engine {e:?} (imr, tantivy, fts5)");
        }
    }

    // The corpus, generated once and reused while its manifest matches.
    let synth = match imr_search::synth::read_manifest(&corpus) {
        Some(m)
            if m.letters == args.letters
                && m.seed == args.seed
                && m.generator_version == imr_search::synth::GENERATOR_VERSION =>
        {
            eprintln!("compare: reusing the corpus in {}", corpus.display());
            None
        }
        _ => {
            if corpus.exists() {
                std::fs::remove_dir_all(&corpus)
                    .with_context(|| format!("cannot clear {}", corpus.display()))?;
            }
            eprintln!(
                "compare: generating {} letters into {}",
                args.letters,
                corpus.display()
            );
            let out: SynthOut = in_child(
                "synth",
                &SynthArgs {
                    letters: args.letters,
                    seed: args.seed,
                    out: corpus.clone(),
                    templates: templates.clone(),
                },
            )?;
            Some(out)
        }
    };
    let manifest =
        imr_search::synth::read_manifest(&corpus).context("the corpus has no manifest")?;
    let letters = corpus.join(imr_search::synth::LETTERS);

    let mut results = Vec::new();
    for engine in &args.engines {
        let index = work.join(engine);
        if index.exists() {
            std::fs::remove_dir_all(&index)?;
        }
        std::fs::create_dir_all(&work)?;
        eprintln!("compare: {engine}: building");
        let wall = Instant::now();
        let build: BuildOut = in_child(
            "build",
            &BuildArgs {
                engine: engine.clone(),
                letters: letters.clone(),
                index: index.clone(),
                threads: args.threads,
                budget: args.budget_mb << 20,
            },
        )?;
        eprintln!(
            "compare: {engine}: built in {:.1} s ({:.1} s with process start), {} docs, peak RSS {:.0} MB (heap {:.0} MB)",
            build.seconds,
            wall.elapsed().as_secs_f64(),
            build.docs,
            build.peak_rss_mb,
            build.peak_anon_mb
        );
        let index_bytes = disk_bytes(&index);
        eprintln!("compare: {engine}: querying");
        let query: QueryOut = in_child(
            "query",
            &QueryArgs {
                engine: engine.clone(),
                index: index.clone(),
                seconds: args.query_seconds,
                rounds: args.rounds,
            },
        )?;
        let all: Vec<f64> = query.samples.iter().flatten().copied().collect();
        let latency = Percentiles::of(&all);
        eprintln!(
            "compare: {engine}: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms over {} searches",
            latency.p50, latency.p95, latency.p99, latency.samples
        );
        let cli_ms = cli_times(engine, &index, args.cli_runs)?;
        results.push(EngineResult {
            engine: engine.clone(),
            build,
            index_bytes,
            query,
            latency,
            cli_ms,
        });
        if !args.keep {
            std::fs::remove_dir_all(&index)?;
        }
    }
    let report = report(&args, &manifest, synth.as_ref(), &results);
    println!("{report}");
    let out_dir = target.join("bench-results");
    std::fs::create_dir_all(&out_dir)?;
    let stem = format!("compare-{}-{}", args.letters, args.seed);
    std::fs::write(out_dir.join(format!("{stem}.md")), &report)?;
    std::fs::write(
        out_dir.join(format!("{stem}.json")),
        serde_json::to_string_pretty(&serde_json::json!({
            "letters": manifest.letters,
            "items": manifest.items,
            "bytes": manifest.bytes,
            "threads": args.threads,
            "budget_mb": args.budget_mb,
            "synth": synth,
            "engines": results,
        }))?,
    )?;
    eprintln!(
        "compare: written to {}",
        out_dir.join(format!("{stem}.md")).display()
    );
    Ok(())
}

/// <target>: the benchmark runs as <target>/release/deps/compare-<hash>.
fn target_dir() -> anyhow::Result<PathBuf> {
    if let Some(t) = std::env::var_os("CARGO_TARGET_DIR") {
        return Ok(PathBuf::from(t));
    }
    let exe = std::env::current_exe()?;
    exe.ancestors()
        .nth(3)
        .map(Path::to_path_buf)
        .context("cannot locate the target directory")
}

/// Median-of-N end-to-end time of one search from a shell: process start, open the index,
/// query, print. imr: the real `imr search --format json`; the peers: this benchmark in a
/// mode that opens, queries and prints JSON (their minimal CLI).
fn cli_times(engine: &str, index: &Path, runs: usize) -> anyhow::Result<Vec<f64>> {
    let spec = &queries::set()[queries::CLI_QUERY];
    let mut cmd = if engine == "imr" {
        let mut c = Command::new(env!("CARGO_BIN_EXE_imr"));
        c.args(["search", "--index"])
            .arg(index)
            .args(["--format", "json", spec.query]);
        c
    } else {
        let mut c = Command::new(std::env::current_exe()?);
        let json = serde_json::to_string(&CliArgs {
            engine: engine.to_string(),
            index: index.to_path_buf(),
            query: queries::CLI_QUERY,
        })?;
        c.args(["--child", "cli", &json]);
        c
    };
    let mut times = Vec::with_capacity(runs);
    // One run first to warm the page cache, as a user's second search would be.
    for i in 0..=runs {
        let t = Instant::now();
        let out = cmd.output()?;
        let ms = t.elapsed().as_secs_f64() * 1e3;
        if !out.status.success() || out.stdout.is_empty() {
            bail!(
                "{engine} CLI search failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        if i > 0 {
            times.push(ms);
        }
    }
    Ok(times)
}

fn child_main(op: &str, json: &str) -> anyhow::Result<()> {
    match op {
        "synth" => {
            let a: SynthArgs = serde_json::from_str(json)?;
            let t = Instant::now();
            imr_search::synth::generate(
                &imr_search::synth::SynthOptions {
                    letters: a.letters,
                    seed: a.seed,
                    out: a.out,
                    templates: a.templates,
                    per_folder: 1000,
                },
                |_| {},
            )?;
            print_json(&SynthOut {
                seconds: t.elapsed().as_secs_f64(),
                peak_rss_mb: peak_rss_mb(),
            })
        }
        "build" => {
            let a: BuildArgs = serde_json::from_str(json)?;
            // The parsing threads of imr and FTS5 (rayon) match the writer threads.
            rayon::ThreadPoolBuilder::new()
                .num_threads(a.threads)
                .build_global()?;
            let anon = AnonSampler::start();
            let t = Instant::now();
            let docs = match a.engine.as_str() {
                "imr" => imr::build(&a.letters, &a.index, a.threads, a.budget)?,
                "tantivy" => raw::build(&a.letters, &a.index, a.threads, a.budget)?,
                "fts5" => fts5::build(&a.letters, &a.index, a.threads, a.budget)?,
                e => bail!("unknown engine {e}"),
            };
            print_json(&BuildOut {
                seconds: t.elapsed().as_secs_f64(),
                docs,
                peak_rss_mb: peak_rss_mb(),
                peak_anon_mb: anon.peak_mb(),
            })
        }
        "query" => {
            let a: QueryArgs = serde_json::from_str(json)?;
            print_json(&measure_queries(&a)?)
        }
        "cli" => {
            let a: CliArgs = serde_json::from_str(json)?;
            let spec = &queries::set()[a.query];
            let outcome = searcher(&a.engine, &a.index)?(spec)?;
            print_json(&outcome)
        }
        _ => bail!("unknown child op {op}"),
    }
}

fn print_json<T: Serialize>(v: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string(v)?);
    Ok(())
}

type SearchFn = Box<dyn Fn(&queries::Spec) -> anyhow::Result<Outcome>>;

fn searcher(engine: &str, index: &Path) -> anyhow::Result<SearchFn> {
    Ok(match engine {
        "imr" => {
            let e = imr::Imr::open(index)?;
            Box::new(move |s| e.run(s))
        }
        "tantivy" => {
            let e = raw::Raw::open(index)?;
            Box::new(move |s| e.run(s))
        }
        "fts5" => {
            let e = fts5::Fts5::open(index)?;
            Box::new(move |s| e.run(s))
        }
        e => bail!("unknown engine {e}"),
    })
}

/// Opens the index, runs the set twice to warm up, then rounds of the whole set (each query
/// timed alone) until the time budget or the round limit.
fn measure_queries(a: &QueryArgs) -> anyhow::Result<QueryOut> {
    let set = queries::set();
    let t = Instant::now();
    let search = searcher(&a.engine, &a.index)?;
    let open_ms = t.elapsed().as_secs_f64() * 1e3;
    let mut outcomes = Vec::new();
    for _ in 0..2 {
        outcomes = set.iter().map(&search).collect::<anyhow::Result<_>>()?;
    }
    let mut samples = vec![Vec::new(); set.len()];
    let start = Instant::now();
    let mut rounds = 0;
    while rounds < a.rounds.max(3) && (rounds < 3 || start.elapsed().as_secs_f64() < a.seconds) {
        for (i, spec) in set.iter().enumerate() {
            let t = Instant::now();
            let out = search(spec)?;
            samples[i].push(t.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box(out);
        }
        rounds += 1;
    }
    let peak = peak_rss_mb();
    let mut warm = None;
    let phases = if a.engine == "imr" {
        let imr = imr::Imr::open(&a.index)?;
        warm = Some((imr.warm_ms, imr.warm_bytes as f64 / 1e6));
        // Five timed runs per variant where a query is quick, one where it is slow (at a
        // million letters the set would otherwise take many minutes).
        set.iter()
            .zip(&samples)
            .map(|(s, ms)| imr.phases(s, if median(ms) < 50.0 { 5 } else { 1 }))
            .collect::<anyhow::Result<_>>()?
    } else {
        Vec::new()
    };
    Ok(QueryOut {
        open_ms,
        samples,
        outcomes,
        rounds,
        peak_rss_mb: peak,
        phases,
        warm,
    })
}

fn median(v: &[f64]) -> f64 {
    Percentiles::of(v).p50
}

fn report(
    args: &Args,
    m: &imr_search::synth::Manifest,
    synth: Option<&SynthOut>,
    results: &[EngineResult],
) -> String {
    use std::fmt::Write;
    let mb = m.bytes as f64 / 1e6;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "## imr vs raw tantivy vs SQLite FTS5\n\nCorpus: {} letters, {} items ({:.2} per letter), {:.1} MB of letter text, seed {}{}.\nSame for every engine: {} indexing threads, {} MB writer budget, {} search thread(s) per query (imr and raw tantivy). Peak RSS is the build process's VmHWM, which counts the pages of index files tantivy maps; peak heap is its sampled RssAnon. Query latency: in-process, warm, {} queries (6 free text, 8 facet-word, 4 phrase, 4 filter-only browse), top 10 with total count, facet counts and snippets.\n",
        m.letters,
        m.items,
        m.items as f64 / m.letters as f64,
        mb,
        m.seed,
        synth.map_or(String::new(), |g| format!(
            "; generated in {:.1} s ({:.1} MB/s, peak RSS {:.0} MB)",
            g.seconds,
            mb / g.seconds.max(1e-9),
            g.peak_rss_mb
        )),
        args.threads,
        args.budget_mb,
        args.search_threads.max(1),
        queries::set().len(),
    );
    let names: Vec<&str> = results
        .iter()
        .map(|r| match r.engine.as_str() {
            "imr" => "imr",
            "tantivy" => "raw tantivy",
            _ => "SQLite FTS5",
        })
        .collect();
    let imr = results.iter().find(|r| r.engine == "imr");
    let peers: Vec<&EngineResult> = results.iter().filter(|r| r.engine != "imr").collect();
    let _ = write!(s, "| |");
    for n in &names {
        let _ = write!(s, " {n} |");
    }
    for p in &peers {
        let _ = write!(
            s,
            " imr vs {} |",
            if p.engine == "tantivy" {
                "tantivy"
            } else {
                "FTS5"
            }
        );
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "|---|{}", "---|".repeat(names.len() + peers.len()));
    /// How a peer column reads: "N× faster" (peer ÷ imr, for times) or "N×" (imr ÷ peer).
    #[derive(Clone, Copy)]
    enum Ratio {
        Faster,
        Times,
    }
    struct Metric {
        label: &'static str,
        value: fn(&EngineResult, f64) -> f64,
        decimals: usize,
        ratio: Ratio,
    }
    let metric = |label, value, decimals, ratio| Metric {
        label,
        value,
        decimals,
        ratio,
    };
    let metrics = [
        metric(
            "index build (s)",
            |r: &EngineResult, _: f64| r.build.seconds,
            1,
            Ratio::Faster,
        ),
        metric(
            "build throughput (MB/s of letter text)",
            |r, mb| mb / r.build.seconds.max(1e-9),
            1,
            Ratio::Times,
        ),
        metric(
            "build peak RSS (MB)",
            |r, _| r.build.peak_rss_mb,
            0,
            Ratio::Times,
        ),
        metric(
            "index size (MB)",
            |r, _| r.index_bytes as f64 / 1e6,
            0,
            Ratio::Times,
        ),
        metric(
            "index size / raw text",
            |r, mb| r.index_bytes as f64 / 1e6 / mb,
            2,
            Ratio::Times,
        ),
        metric("query p50 (ms)", |r, _| r.latency.p50, 2, Ratio::Faster),
        metric("query p95 (ms)", |r, _| r.latency.p95, 2, Ratio::Faster),
        metric("query p99 (ms)", |r, _| r.latency.p99, 2, Ratio::Faster),
        metric(
            "CLI search end to end, median (ms)",
            |r, _| median(&r.cli_ms),
            1,
            Ratio::Faster,
        ),
    ];
    for m in &metrics {
        let _ = write!(s, "| {} |", m.label);
        for r in results {
            let _ = write!(s, " {:.*} |", m.decimals, (m.value)(r, mb));
        }
        for p in &peers {
            let cell = match imr {
                Some(i) => {
                    let (a, b) = ((m.value)(i, mb), (m.value)(p, mb));
                    match m.ratio {
                        Ratio::Faster => format!("{:.1}× faster", b / a.max(1e-12)),
                        Ratio::Times => format!("{:.2}×", a / b.max(1e-12)),
                    }
                }
                None => "—".into(),
            };
            let _ = write!(s, " {cell} |");
        }
        let _ = writeln!(s);
    }
    if let Some(i) = imr.filter(|i| !i.query.phases.is_empty()) {
        let n = i.query.phases.len() as f64;
        let mean = |k: usize| i.query.phases.iter().map(|p| p[k]).sum::<f64>() / n;
        let (count, top, facets, full) = (mean(0), mean(1), mean(2), mean(3));
        let _ = writeln!(
            s,
            "\nimr, where a query's time goes (mean over the set of each query's median, ms): matching and counting {count:.2}; top 10 ranked and loaded +{:.2}; facet counts +{:.2}; snippets +{:.2}; total {full:.2}.",
            top - count,
            facets - top,
            full - facets,
        );
    }
    if let Some((ms, mb)) = imr.and_then(|i| i.query.warm) {
        let _ = writeln!(
            s,
            "\nimr's in-process engine counts facets from arrays it builds at open, as `imr serve` does: {ms:.0} ms and {mb:.1} MB here (`imr search` as a process counts from the columns instead)."
        );
    }
    // Per-query detail: totals (the engines should agree where they answer the same
    // question) and median latency.
    let _ = writeln!(s, "\nPer query: total matches and median latency (ms).\n");
    let _ = write!(s, "| query | kind |");
    for n in &names {
        let _ = write!(s, " {n} total | {n} p50 |");
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "|---|---|{}", "---|---|".repeat(names.len()));
    for (i, spec) in queries::set().iter().enumerate() {
        let _ = write!(s, "| `{}` | {} |", spec.label(), spec.kind.label());
        for r in results {
            let total = r.query.outcomes.get(i).map_or(0, |o| o.total);
            let p50 = r.query.samples.get(i).map_or(0.0, |v| median(v));
            let _ = write!(s, " {total} | {p50:.2} |");
        }
        let _ = writeln!(s);
    }
    s
}
