//! `imr serve` end to end: the real binary on a free loopback port over the seed letters
//! (plus one letter whose item name is markup), checked over HTTP, and in headless Chromium
//! where it is installed.

use crate::util::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const README_QUERY: &str = "Norco upheld urine drug screen";
/// An item name a hostile letter could carry: it must reach every page as text.
const MARKUP: &str = "<script>alert(1)</script><img src=x onerror=alert(2)> consultation";

/// The seed letters and a copy of seed 003 whose first item is named [`MARKUP`].
fn write_letters(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for f in letter_files(&seeds()) {
        std::fs::copy(&f, dir.join(f.file_name().unwrap())).unwrap();
    }
    let text = std::fs::read_to_string(seeds().join("003_e7842380b86787dc.txt")).unwrap();
    let hostile = text.replacen(
        "Consultation pain management for low back: Upheld",
        &format!("{MARKUP}: Upheld"),
        1,
    );
    assert_ne!(
        hostile, text,
        "seed 003 changed: the markup letter needs a new anchor"
    );
    std::fs::write(dir.join("zz_markup.txt"), hostile).unwrap();
}

fn build_index(letters: &Path, ix: &Path) {
    let r = run_cmd(
        imr()
            .args(["index", "--quiet"])
            .arg(letters)
            .arg("--index")
            .arg(ix),
    );
    assert_eq!(r.status, 0, "{}", r.stderr);
}

/// One index for every test that only reads: built once per test run.
fn shared_index() -> &'static Path {
    static IX: OnceLock<PathBuf> = OnceLock::new();
    IX.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("serve-tests");
        let _ = std::fs::remove_dir_all(&root);
        write_letters(&root.join("letters"));
        build_index(&root.join("letters"), &root.join("ix"));
        root.join("ix")
    })
}

/// A running `imr serve`, stopped when dropped (also when a test fails).
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(ix: &Path) -> Server {
    serve_with(imr(), ix)
}

fn serve_with(mut imr: Command, ix: &Path) -> Server {
    let mut child = imr
        .args(["serve", "--port", "0", "--index"])
        .arg(ix)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("imr serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .trim_end_matches('/')
        .to_string();
    Server { child, base }
}

struct Answer {
    status: u16,
    content_type: String,
    csp: String,
    body: String,
}

/// An agent that returns error statuses as answers.
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn answer(mut res: ureq::http::Response<ureq::Body>) -> Answer {
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let (content_type, csp) = (header("content-type"), header("content-security-policy"));
    Answer {
        status: res.status().as_u16(),
        content_type,
        csp,
        body: res.body_mut().read_to_string().unwrap(),
    }
}

fn get(base: &str, path: &str) -> Answer {
    answer(agent().get(format!("{base}{path}")).call().unwrap())
}

fn post(base: &str, path: &str, content_type: &str, body: &str) -> Answer {
    answer(
        agent()
            .post(format!("{base}{path}"))
            .header("content-type", content_type)
            .send(body)
            .unwrap(),
    )
}

fn cli_json(ix: &Path, args: &[&str]) -> String {
    let r = run_cmd(
        imr()
            .args(args)
            .args(["--format", "json", "--index"])
            .arg(ix),
    );
    assert_eq!(r.status, 0, "{}", r.stderr);
    r.stdout
}

#[test]
fn api_search_is_byte_for_byte_the_cli_json() {
    let ix = shared_index();
    let s = serve(ix);
    let cases: [(&str, Vec<&str>); 3] = [
        (
            "/api/search?q=Norco+upheld+urine+drug+screen",
            vec!["search", README_QUERY],
        ),
        (
            "/api/search?q=norco&class=opioid&sort=date&limit=3&offset=1",
            vec![
                "search", "norco", "--class", "opioid", "--sort", "date", "--limit", "3",
                "--offset", "1",
            ],
        ),
        (
            // Filters in another order than the CLI applies its flags: the same request.
            "/api/search?where=guideline%3DMTUS&treatment=medication&decision=upheld",
            vec![
                "search",
                "--decision",
                "upheld",
                "--treatment",
                "medication",
                "--where",
                "guideline=MTUS",
            ],
        ),
    ];
    for (path, args) in cases {
        let a = get(&s.base, path);
        assert_eq!(a.status, 200, "{path}: {}", a.body);
        assert_eq!(a.content_type, "application/json");
        assert_eq!(a.body, cli_json(ix, &args), "{path}");
    }
    let a = get(&s.base, "/api/precedents?q=Norco+upheld+urine+drug+screen");
    assert_eq!(a.body, cli_json(ix, &["precedents", README_QUERY]));
    let a = get(&s.base, "/api/facets?field=guideline&q=Norco");
    assert_eq!(a.body, cli_json(ix, &["facets", "guideline", "Norco"]));
    let a = get(&s.base, "/api/show/000_015c11873bc6d2ff%231");
    assert_eq!(a.body, cli_json(ix, &["show", "000_015c11873bc6d2ff#1"]));
    let a = get(
        &s.base,
        "/api/similar?id=000_015c11873bc6d2ff%231&limit=5&from=2014",
    );
    assert_eq!(
        a.body,
        cli_json(
            ix,
            &[
                "similar",
                "000_015c11873bc6d2ff#1",
                "--limit",
                "5",
                "--from",
                "2014"
            ]
        )
    );
    let a = get(&s.base, "/api/similar?id=CM16-9999999%231");
    assert_eq!(a.status, 404, "{}", a.body);
    assert_eq!(get(&s.base, "/api/similar").status, 400);
}

#[test]
fn the_search_page_lists_the_norco_item_first_with_facet_counts() {
    let s = serve(shared_index());
    let a = get(&s.base, "/?q=Norco+upheld+urine+drug+screen");
    assert_eq!(a.status, 200);
    assert_eq!(a.content_type, "text/html; charset=utf-8");
    assert_eq!(a.csp, imr_search::serve::CSP);
    assert!(!a.body.contains("<script"), "the page has no script");
    let first = a.body.find("<li class=\"hit\">").expect("a hit");
    assert!(
        a.body[first..].starts_with(
            "<li class=\"hit\"><span class=\"badge upheld\">Upheld</span> \
             <a class=\"item\" href=\"/item/000_015c11873bc6d2ff%231#item-1\">Norco 10/325mg #60</a>"
        ),
        "{}",
        &a.body[first..first + 300]
    );
    assert!(a.body.contains("<strong>1 item</strong>"));
    // The snippet's matches in bold, the chips, and the decision facet with its count.
    assert!(a.body.contains("<b>urine</b> <b>drug</b>"));
    assert!(a.body.contains(">drug: hydrocodone/acetaminophen <span"));
    assert!(a.body.contains(
        "<a href=\"/?q=Norco+upheld+urine+drug+screen&amp;decision=upheld\">upheld</a></span> \
         <span class=\"n\">1</span>"
    ));
    assert!(a.body.contains("Overturned share by decision date"));
}

#[test]
fn facet_links_narrow_and_chips_widen() {
    let s = serve(shared_index());
    let all = get(&s.base, "/?q=Norco");
    let total = |body: &str| -> usize {
        let at = body.find("<strong>").unwrap() + "<strong>".len();
        body[at..].split(' ').next().unwrap().parse().unwrap()
    };
    let n = total(&all.body);
    assert!(n >= 3, "{n}");
    // The decision facet's "upheld" link narrows to upheld items; its chip widens back.
    let href = "/?q=Norco&amp;decision=upheld";
    assert!(all.body.contains(&format!("<a href=\"{href}\">upheld</a>")));
    let upheld = get(&s.base, &href.replace("&amp;", "&"));
    let m = total(&upheld.body);
    assert!(m <= n && m > 0);
    assert!(upheld
        .body
        .contains("<a class=\"chip\" href=\"/?q=Norco\" title=\"remove\">decision: upheld <span"));
    // The query's own drug chip drops the word: back to every item.
    let chip = "<a class=\"chip\" href=\"/\" title=\"remove\">drug: hydrocodone/acetaminophen";
    assert!(all.body.contains(chip), "{}", all.body);
    let everything = get(&s.base, "/");
    assert!(total(&everything.body) > n);
}

#[test]
fn item_page_shows_the_letter_with_the_item_highlighted() {
    let s = serve(shared_index());
    let a = get(&s.base, "/item/000_015c11873bc6d2ff%232");
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a
        .body
        .contains("<section id=\"item-2\" class=\"item current\"><h2>Item 2: Valium 2mg #30"));
    assert!(a
        .body
        .contains("<section id=\"item-1\" class=\"item\"><h2>Item 1: Norco 10/325mg #60"));
    assert!(a
        .body
        .contains("<dt>Reviewer specialty</dt><dd>Emergency Medicine</dd>"));
    assert!(a.body.contains("Clinical case summary"));
    let missing = get(&s.base, "/item/000_015c11873bc6d2ff%239");
    assert_eq!(missing.status, 404);
    let letter = get(&s.base, "/letter/000_015c11873bc6d2ff");
    assert_eq!(letter.status, 200);
    assert!(!letter.body.contains("class=\"item current\""));
}

/// A UR denial as a user pastes it.
const DENIAL: &str = "The request for Norco 10/325mg #60 is non-certified: no documentation of \
functional improvement, and no urine drug screen on record.";

#[test]
fn decisions_like_this_one_from_an_item_or_a_pasted_denial() {
    let ix = shared_index();
    let s = serve(ix);
    // Every item of the letter page links to its neighbours.
    let item = get(&s.base, "/item/000_015c11873bc6d2ff%231");
    assert!(item
        .body
        .contains("<a href=\"/similar?id=000_015c11873bc6d2ff%231\">Decisions like this one</a>"));
    let a = get(&s.base, "/similar?id=000_015c11873bc6d2ff%231");
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.content_type.starts_with("text/html"));
    assert!(
        a.body.contains("similar to 000_015c11873bc6d2ff#1: Norco"),
        "{}",
        a.body
    );
    assert!(a.body.contains("<strong>closest 20: only "), "{}", a.body);
    assert!(a.body.contains("<ol class=\"hits\""), "{}", a.body);
    assert!(a
        .body
        .contains("<form class=\"compare\" method=\"post\" action=\"/similar\">"));
    // The form alone, then the form posted.
    let form = get(&s.base, "/similar");
    assert_eq!(form.status, 200);
    assert!(form.body.contains("<textarea id=\"text\" name=\"text\""));
    let body: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("text", DENIAL)
        .finish();
    let a = post(
        &s.base,
        "/similar",
        "application/x-www-form-urlencoded",
        &body,
    );
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(
        a.body.contains("read: &quot;Norco 10/325mg #60&quot;"),
        "{}",
        a.body
    );
    assert!(
        a.body.contains("Norco 10/325mg #60 is non-certified"),
        "the text is kept in the form"
    );
    // The API: the text as the body, the CLI's JSON but for the name of where the text came
    // from.
    let a = post(&s.base, "/api/similar?limit=5", "text/plain", DENIAL);
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.content_type, "application/json");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("denial.txt");
    std::fs::write(&file, DENIAL).unwrap();
    let cli = cli_json(
        ix,
        &["similar", "--text", file.to_str().unwrap(), "--limit", "5"],
    );
    let strip = |s: &str| {
        let mut v: serde_json::Value = serde_json::from_str(s).unwrap();
        v.as_object_mut().unwrap().remove("query");
        v
    };
    assert_eq!(strip(&a.body), strip(&cli));
    // Nothing to compare: a 400 with the reason, as JSON from the API, as a page from the form.
    let a = post(&s.base, "/api/similar", "text/plain", "  ");
    assert_eq!(a.status, 400, "{}", a.body);
    assert!(a.body.contains("the text is empty"), "{}", a.body);
    let a = post(
        &s.base,
        "/similar",
        "application/x-www-form-urlencoded",
        "text=",
    );
    assert_eq!(a.status, 400);
    assert!(a.content_type.starts_with("text/html"));
    let big = "x".repeat(2 << 20);
    let a = post(&s.base, "/api/similar", "text/plain", &big);
    assert!(a.status == 400 || a.status == 413, "{}", a.status);
}

#[test]
fn precedent_downloads_have_their_types_and_entries() {
    let s = serve(shared_index());
    let q = "?q=Norco+upheld+urine+drug+screen";
    let md = get(&s.base, &format!("/precedents.md{q}"));
    assert_eq!(md.content_type, "text/markdown; charset=utf-8");
    assert!(md
        .body
        .starts_with("## Precedents: Norco upheld urine drug screen\n"));
    assert!(
        md.body.contains("1. IMR letter 000\\_015c11873bc6d2ff"),
        "{}",
        md.body
    );
    let csv = get(&s.base, &format!("/precedents.csv{q}"));
    assert_eq!(csv.content_type, "text/csv; charset=utf-8");
    assert!(csv.body.starts_with("no,case_number,decision_date,item,"));
    assert!(csv
        .body
        .contains("\n1,000_015c11873bc6d2ff,,Norco 10/325mg #60,"));
    let json = get(&s.base, &format!("/precedents.json{q}"));
    assert_eq!(json.content_type, "application/json");
    let v: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(v["precedents"][0]["id"], "000_015c11873bc6d2ff#1");
    assert_eq!(v["grouped"], false);
    let grouped = get(&s.base, &format!("/api/precedents{q}&group=1"));
    let g: serde_json::Value = serde_json::from_str(&grouped.body).unwrap();
    assert_eq!(g["grouped"], true, "group=1 is --group");
    assert_eq!(g["summary"], v["summary"], "one tally, grouped or not");
    let page = get(&s.base, &format!("/precedents{q}"));
    assert!(page.body.contains("Norco 10/325mg #60: Upheld"));
    assert!(page
        .body
        .contains("<strong>1 decision (dates not stated): 1 upheld"));
    assert!(
        page.body.contains("/precedents.docx?q=Norco"),
        "{}",
        page.body
    );
    // The Word download: its type, and the entry in its document part.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut res = agent
        .get(format!("{}/precedents.docx{q}", s.base))
        .call()
        .unwrap();
    assert_eq!(
        res.headers().get("content-type").unwrap(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let bytes = res.body_mut().read_to_vec().unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut doc = String::new();
    std::io::Read::read_to_string(&mut z.by_name("word/document.xml").unwrap(), &mut doc).unwrap();
    assert!(doc.contains("Norco 10/325mg #60: Upheld."), "{doc}");
}

#[test]
fn letter_markup_renders_as_text() {
    let s = serve(shared_index());
    let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;";
    for path in [
        "/?q=consultation",
        "/item/zz_markup%231",
        "/precedents?q=consultation",
    ] {
        let a = get(&s.base, path);
        assert_eq!(a.status, 200, "{path}");
        assert!(a.body.contains(escaped), "{path}: {}", a.body);
        assert!(
            !a.body.contains("<script") && !a.body.contains("<img"),
            "{path}"
        );
    }
}

#[test]
fn bad_parameters_are_400_with_the_message() {
    let s = serve(shared_index());
    let a = get(&s.base, "/?medication=Frobozz");
    assert_eq!(a.status, 400);
    assert!(a
        .body
        .contains("unknown drug &quot;Frobozz&quot;: not in the drug lexicon"));
    let a = get(&s.base, "/api/search?from=yesterday");
    assert_eq!(a.status, 400);
    assert_eq!(
        a.body,
        "{\"error\":\"--from \\\"yesterday\\\" is not a date: use YYYY-MM-DD, YYYY-MM or YYYY\"}\n"
    );
    for path in [
        "/?nonsense=1",
        "/?sort=random",
        "/api/search?offset=99999999",
        "/api/facets",
    ] {
        assert_eq!(get(&s.base, path).status, 400, "{path}");
    }
    let long = format!("/?q={}", "a".repeat(600));
    assert_eq!(get(&s.base, &long).status, 400);
    // A limit past the page's most is clamped, not refused.
    let a = get(&s.base, "/api/search?limit=100000");
    assert_eq!(a.status, 200);
    assert_eq!(get(&s.base, "/no/such/page").status, 404);
    assert_eq!(get(&s.base, "/assets/../Cargo.toml").status, 404);
    let a = get(&s.base, "/assets/style.css");
    assert_eq!(a.content_type, "text/css; charset=utf-8");
    assert_eq!(a.csp, imr_search::serve::CSP);
}

#[test]
fn a_foreign_host_name_is_refused_on_loopback() {
    let s = serve(shared_index());
    let addr = s.base.trim_start_matches("http://");
    let mut tcp = TcpStream::connect(addr).unwrap();
    write!(
        tcp,
        "GET / HTTP/1.1\r\nHost: rebound.example\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    tcp.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
}

#[test]
fn letters_indexed_while_serving_are_found_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (letters, ix) = (dir.path().join("letters"), dir.path().join("ix"));
    std::fs::create_dir_all(&letters).unwrap();
    std::fs::copy(
        seeds().join("000_015c11873bc6d2ff.txt"),
        letters.join("000_015c11873bc6d2ff.txt"),
    )
    .unwrap();
    build_index(&letters, &ix);
    let s = serve(&ix);
    let count = || {
        let v: serde_json::Value =
            serde_json::from_str(&get(&s.base, "/api/search?q=Oxycontin").body).unwrap();
        v["total"].as_u64().unwrap()
    };
    assert_eq!(count(), 0);
    build_index(&seeds().join("002_a618e6da92a8e84b.txt"), &ix);
    assert_eq!(count(), 1);
}

/// Runs chromium with a deadline; None where it is absent.
fn chromium(args: &[&str]) -> Option<std::process::Output> {
    let bin = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|b| Path::new(b).exists())?;
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdout = child.stdout.take()?;
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stdout.read_to_end(&mut s);
        s
    });
    let deadline = Instant::now() + Duration::from_secs(90);
    let status = loop {
        if let Some(st) = child.try_wait().ok()? {
            break st;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish in 90 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    Some(std::process::Output {
        status,
        stdout: reader.join().ok()?,
        stderr: Vec::new(),
    })
}

#[test]
fn headless_chromium_renders_the_page() {
    let s = serve(shared_index());
    let url = format!("{}/?q=Norco+upheld+urine+drug+screen", s.base);
    let Some(dom) = chromium(&["--dump-dom", &url]) else {
        eprintln!("SKIPPED: no chromium at /usr/bin/chromium (apt-get install chromium)");
        return;
    };
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("Norco 10/325mg #60</a>"), "{dom}");
    assert!(dom.contains("<span class=\"n\">1</span>"));
    let markup = format!("{}/item/zz_markup%231", s.base);
    let dom = chromium(&["--dump-dom", &markup]).unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{dom}"
    );
    assert!(!dom.contains("<img"), "the markup became an element: {dom}");
    // A screenshot, kept under target/ (IMR_SCREENSHOT=docs/serve.png refreshes the README's).
    let shot = std::env::var_os("IMR_SCREENSHOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("serve.png"));
    let shot_arg = format!("--screenshot={}", shot.display());
    let page = format!("{}/?q=Norco", s.base);
    let out = chromium(&[
        &shot_arg,
        "--window-size=1280,1600",
        "--hide-scrollbars",
        &page,
    ])
    .unwrap();
    assert!(out.status.success());
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000);
}

/// Load: `IMR_LOAD_CLIENTS` clients (default 4) for `IMR_LOAD_SECS` seconds (default 10)
/// against `/api/search` over `IMR_LOAD_INDEX` (default: the seed index), loopback only;
/// prints queries/s and p50/p99 beside the same queries run in process. `IMR_LOAD_BIN`
/// serves with another `imr` (a release build) than the test's. Run it with
/// `cargo test --release --test integration serve_load -- --ignored --nocapture`.
#[test]
#[ignore]
fn serve_load() {
    use imr_search::search::{Criteria, Engine, SearchRequest};
    let env = |k: &str, d: u64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let (clients, secs) = (
        env("IMR_LOAD_CLIENTS", 4) as usize,
        env("IMR_LOAD_SECS", 10),
    );
    let ix = std::env::var_os("IMR_LOAD_INDEX")
        .map(PathBuf::from)
        .unwrap_or_else(|| shared_index().to_path_buf());
    let queries = [
        "Norco upheld urine drug screen",
        "lumbar MRI",
        "acupuncture",
        "opioids functional improvement",
        "physical therapy knee",
        "Flexeril",
        "epidural steroid injection overturned",
        "TENS unit",
    ];
    let encoded: Vec<String> = queries
        .iter()
        .map(|q| form_urlencoded::byte_serialize(q.as_bytes()).collect())
        .collect();
    let bin = std::env::var_os("IMR_LOAD_BIN").map(Command::new);
    let s = serve_with(bin.unwrap_or_else(imr), &ix);
    let deadline = Instant::now() + Duration::from_secs(secs);
    let workers: Vec<_> = (0..clients)
        .map(|c| {
            let (base, encoded) = (s.base.clone(), encoded.clone());
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
                let mut lat = Vec::new();
                let mut n = c;
                while Instant::now() < deadline {
                    let url = format!("{base}/api/search?q={}", encoded[n % encoded.len()]);
                    let t = Instant::now();
                    let mut res = agent.get(&url).call().unwrap();
                    let _ = res.body_mut().read_to_string().unwrap();
                    lat.push(t.elapsed());
                    n += 1;
                }
                lat
            })
        })
        .collect();
    let mut lat: Vec<Duration> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    lat.sort();
    let pct = |lat: &[Duration], p: f64| {
        lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)].as_secs_f64() * 1000.0
    };
    println!(
        "serve: {clients} clients, {secs} s: {} queries, {:.0} queries/s, p50 {:.1} ms, p99 {:.1} ms",
        lat.len(),
        lat.len() as f64 / secs as f64,
        pct(&lat, 0.5),
        pct(&lat, 0.99)
    );
    let engine = Engine::open(&ix).unwrap();
    let mut inproc = Vec::new();
    for round in 0..50 {
        for q in queries {
            let req = SearchRequest::new(Criteria {
                query: q.to_string(),
                ..Criteria::default()
            });
            let t = Instant::now();
            let r = engine.search(&req).unwrap();
            let _ =
                serde_json::to_string_pretty(&imr_search::output::contract::SearchJson::new(&r));
            if round > 0 {
                inproc.push(t.elapsed());
            }
        }
    }
    inproc.sort();
    println!(
        "in process, one thread: {} queries, p50 {:.1} ms, p99 {:.1} ms",
        inproc.len(),
        pct(&inproc, 0.5),
        pct(&inproc, 0.99)
    );
}
