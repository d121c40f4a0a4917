//! PDF letters → text, in-process, bounded in time and memory.
//!
//! DWC posts each letter as a PDF that is encrypted against copying: AES-128 (R4) with an
//! owner password and an empty user password, so anyone may open it. We decrypt with the
//! empty password and refuse only PDFs that need a real one.
//!
//! The extractor is `oxidize-pdf`: on the 72 real letters in `shared/letters` it keeps every
//! structure the parser counts (header labels, item decisions, guideline and rationale lines)
//! and loses 12 body tokens in 62,000 against `pdftotext`, returns errors rather than
//! panicking on 2,000 mutated letters, and runs at ~330 letters/s on one thread. pdf-extract
//! was as faithful but panicked on 5% of the mutants; lopdf's own `extract_text` splits lines
//! apart. The commit that added this file summarizes the comparison.
//!
//! Bounds, because a PDF is a program-shaped input from outside:
//! - size: files above [`MAX_PDF_BYTES`] are refused before parsing;
//! - pages: documents above [`MAX_PAGES`] are refused before extraction;
//! - memory: the crate caps each decompressed stream (256 MiB, ratio 1000:1) and we cap the
//!   extracted text at [`MAX_TEXT_BYTES`];
//! - time: extraction runs on its own thread and the caller waits at most the timeout. A
//!   thread cannot be killed, so on timeout it is detached; it checks the same deadline
//!   between pages and gives up there, and it owns a copy of the bytes, so the caller is
//!   never blocked and never shares state with it.
//! - crashes: the `imr` binary runs that thread in worker processes ([`worker`]), so a PDF
//!   that overflows the reader's stack (which no `catch_unwind` can stop) or exhausts memory
//!   ends a worker, not the indexing run.
//!
//! The text is shaped like `pdftotext`'s default output, which is what the letter parser was
//! built on: one text line per line, runs of spaces collapsed, a blank line and a form feed
//! between pages, words hyphenated across a line end rejoined. The header comes out with each
//! label beside its value, two columns per line:
//!
//! ```text
//! Case Number: CM16-0213037
//! Date Assigned: 11/09/2016 Date of Injury: 10/13/2016
//! Decision Date: 12/09/2016 UR Denial Date: 11/03/2016
//! Priority: Standard Application
//! Received:
//! 11/03/2016
//! ```

pub mod worker;

use oxidize_pdf::parser::{ParseError, PdfDocument, PdfReader};
use oxidize_pdf::text::{ExtractionOptions, TextExtractor};
use std::fmt;
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// Largest PDF we open. A letter is 20–100 KB; 50 MB leaves room for scans and bundles.
pub const MAX_PDF_BYTES: u64 = 50 * 1024 * 1024;

/// Most pages we extract. Letters run 2–10 pages.
pub const MAX_PAGES: u32 = 1_000;

/// Most text we extract from one PDF; a letter holds 5–30 KB.
pub const MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;

/// How long [`extract_text`] waits for one PDF. A letter takes about 3 ms.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// Why a PDF gave no text. `Display` is a one-line reason for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PdfError {
    /// Opening it needs a user password (or an encryption we cannot undo).
    Encrypted(String),
    /// Pages but no text layer: a scan.
    ImageOnly,
    /// Not parseable as a PDF: truncated, corrupted, or not a PDF at all.
    Damaged(String),
    /// The file's size in bytes, over [`MAX_PDF_BYTES`].
    TooLarge(u64),
    /// The page count, over [`MAX_PAGES`].
    TooManyPages(u32),
    /// More text than [`MAX_TEXT_BYTES`]: not a letter.
    TooMuchText,
    /// Extraction did not finish within the timeout.
    Timeout,
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdfError::Encrypted(why) => write!(f, "encrypted PDF that needs a password: {why}"),
            PdfError::ImageOnly => {
                write!(
                    f,
                    "PDF has no text layer (a scanned image?); run OCR on it first"
                )
            }
            PdfError::Damaged(why) => write!(f, "damaged or unreadable PDF: {why}"),
            PdfError::TooLarge(size) => {
                write!(
                    f,
                    "PDF of {size} bytes is over the {MAX_PDF_BYTES}-byte limit"
                )
            }
            PdfError::TooManyPages(pages) => {
                write!(f, "PDF of {pages} pages is over the {MAX_PAGES}-page limit")
            }
            PdfError::TooMuchText => {
                write!(
                    f,
                    "PDF holds over {MAX_TEXT_BYTES} bytes of text; not a letter"
                )
            }
            PdfError::Timeout => write!(f, "PDF text extraction gave up after the time limit"),
        }
    }
}

impl std::error::Error for PdfError {}

/// Extracts a letter's text from PDF bytes, waiting at most [`TIMEOUT`].
pub fn extract_text(bytes: &[u8]) -> Result<String, PdfError> {
    extract_text_within(bytes, TIMEOUT)
}

/// [`extract_text`] with the caller's own time limit. Runs in a worker process where the
/// binary has enabled them ([`worker::enable`]), else on a thread of this process.
pub fn extract_text_within(bytes: &[u8], timeout: Duration) -> Result<String, PdfError> {
    check(bytes)?;
    match worker::enabled() {
        Some(exe) => worker::extract(exe, bytes, timeout),
        None => extract_in_process(bytes, timeout),
    }
}

/// The checks made before any parsing: size, emptiness, a PDF header.
fn check(bytes: &[u8]) -> Result<(), PdfError> {
    let size = bytes.len() as u64;
    if size > MAX_PDF_BYTES {
        return Err(PdfError::TooLarge(size));
    }
    if bytes.is_empty() {
        return Err(PdfError::Damaged("the file is empty".into()));
    }
    // The spec allows junk before the header; readers look in the first 1 KB.
    if !bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
    {
        return Err(PdfError::Damaged("not a PDF file (no %PDF- header)".into()));
    }
    Ok(())
}

/// Extraction on a thread of this process: bounded in time, and a panic becomes an error, but
/// a stack overflow still aborts the process (hence the workers, which call this).
fn extract_in_process(bytes: &[u8], timeout: Duration) -> Result<String, PdfError> {
    check(bytes)?;
    let deadline = Instant::now() + timeout;
    let owned = bytes.to_vec();
    let (send, receive) = mpsc::channel();
    // The crate recurses on nested objects (to depth 1000); give it more than the 2 MB default.
    let spawned = thread::Builder::new()
        .name("imr-pdf".into())
        .stack_size(16 * 1024 * 1024)
        .spawn(move || {
            // oxidize-pdf returned errors, not panics, on 2,000 mutated letters, but it is a
            // large parser fed untrusted bytes: a panic must become an error for this file,
            // not take down an indexing run. The panic hook still prints the message.
            let result = catch_unwind(AssertUnwindSafe(|| extract_pages(&owned, deadline)))
                .unwrap_or_else(|panic| Err(PdfError::Damaged(panic_message(&*panic))));
            // The receiver is gone after a timeout; nobody is left to tell.
            let _ = send.send(result);
        });
    if let Err(err) = spawned {
        return Err(PdfError::Damaged(format!(
            "could not start the extraction thread: {err}"
        )));
    }
    match receive.recv_timeout(timeout) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(PdfError::Timeout),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(PdfError::Damaged(
            "the extraction thread stopped without a result".into(),
        )),
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown cause".into());
    format!("the PDF reader crashed ({what})")
}

fn extract_pages(bytes: &[u8], deadline: Instant) -> Result<String, PdfError> {
    let mut reader = PdfReader::new(Cursor::new(bytes)).map_err(classify)?;
    if reader.is_encrypted() && !reader.try_empty_password().map_err(classify)? {
        return Err(PdfError::Encrypted(
            "it has a user password; open it in a PDF viewer and save an unlocked copy".into(),
        ));
    }
    let document = PdfDocument::new(reader);
    let pages = document.page_count().map_err(classify)?;
    if pages > MAX_PAGES {
        return Err(PdfError::TooManyPages(pages));
    }
    let mut extractor = TextExtractor::with_options(ExtractionOptions {
        max_extracted_bytes: Some(MAX_TEXT_BYTES),
        ..ExtractionOptions::default()
    });
    let mut text = String::new();
    for page in 0..pages {
        if Instant::now() > deadline {
            return Err(PdfError::Timeout);
        }
        let extracted = extractor
            .extract_from_page(&document, page)
            .map_err(classify)?;
        // The crate stops a page at the cap and says so; either way we refuse rather than
        // index a cut letter.
        if extracted.truncated {
            return Err(PdfError::TooMuchText);
        }
        push_page(&mut text, &extracted.text);
        if text.len() > MAX_TEXT_BYTES {
            return Err(PdfError::TooMuchText);
        }
    }
    if !text.chars().any(|c| c.is_alphanumeric()) {
        return Err(PdfError::ImageOnly);
    }
    Ok(text)
}

fn classify(err: ParseError) -> PdfError {
    match err {
        ParseError::EncryptionNotSupported | ParseError::WrongPassword | ParseError::PdfLocked => {
            PdfError::Encrypted(err.to_string())
        }
        other => PdfError::Damaged(other.to_string()),
    }
}

/// Appends one page in `pdftotext`'s shape: lines trimmed, inner runs of blanks (spaces,
/// tabs, no-break spaces) collapsed to one space, then a blank line and a form feed.
fn push_page(out: &mut String, page: &str) {
    for line in page.lines() {
        let mut words = line
            .split(|c: char| c.is_whitespace())
            .filter(|w| !w.is_empty());
        if let Some(first) = words.next() {
            out.push_str(first);
            for word in words {
                out.push(' ');
                out.push_str(word);
            }
        }
        out.push('\n');
    }
    out.push_str("\n\x0c");
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    const LETTERS: &str = "/work/shared/letters";

    /// The real letters' PDFs, or `None` (with a note) where the shared folder is absent.
    fn letter_pdfs() -> Option<Vec<PathBuf>> {
        let dir = Path::new(LETTERS).join("pdf");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            eprintln!("skipped: {} is absent", dir.display());
            return None;
        };
        let mut pdfs: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
            .collect();
        pdfs.sort();
        Some(pdfs)
    }

    fn count(text: &str, needle: &str) -> usize {
        text.matches(needle).count()
    }

    /// A one-page PDF written by the crate itself, `user`/`owner` passwords set when given.
    fn generated_pdf(lines: &[&str], passwords: Option<(&str, &str)>) -> Vec<u8> {
        use oxidize_pdf::document::{DocumentEncryption, EncryptionStrength};
        use oxidize_pdf::encryption::Permissions;
        use oxidize_pdf::text::Font;
        use oxidize_pdf::{Document, Page};
        let mut doc = Document::new();
        let mut page = Page::new(612.0, 792.0);
        for (i, line) in lines.iter().enumerate() {
            page.text()
                .set_font(Font::Helvetica, 11.0)
                .at(72.0, 720.0 - 14.0 * i as f64)
                .write(line)
                .expect("write a line");
        }
        doc.add_page(page);
        if let Some((user, owner)) = passwords {
            doc.set_encryption(DocumentEncryption::new(
                user,
                owner,
                Permissions::new(),
                EncryptionStrength::Aes128,
            ));
        }
        doc.to_bytes().expect("write the PDF")
    }

    const TWO_LINES: [&str; 2] = ["Case Number: CM16-0000001", "Decision rationale: none."];

    #[test]
    fn owner_password_only_is_decrypted() {
        let bytes = generated_pdf(&TWO_LINES, Some(("", "owner")));
        assert_eq!(
            extract_text(&bytes).as_deref(),
            Ok("Case Number: CM16-0000001\nDecision rationale: none.\n\n\x0c")
        );
    }

    #[test]
    fn user_password_is_refused_as_encrypted() {
        let bytes = generated_pdf(&TWO_LINES, Some(("secret", "owner")));
        let err = extract_text(&bytes).unwrap_err();
        assert!(matches!(err, PdfError::Encrypted(_)), "{err:?}");
        assert!(err
            .to_string()
            .starts_with("encrypted PDF that needs a password"));
    }

    #[test]
    fn pages_without_text_are_image_only() {
        let bytes = generated_pdf(&[], None);
        assert_eq!(extract_text(&bytes), Err(PdfError::ImageOnly));
    }

    #[test]
    fn empty_file_is_damaged() {
        assert_eq!(
            extract_text(b""),
            Err(PdfError::Damaged("the file is empty".into()))
        );
    }

    #[test]
    fn text_renamed_pdf_is_not_a_pdf() {
        let text = b"Case Number: CM16-0213037\nIMR ISSUES, DECISIONS AND RATIONALES\n";
        let err = extract_text(text).unwrap_err();
        assert_eq!(
            err.to_string(),
            "damaged or unreadable PDF: not a PDF file (no %PDF- header)"
        );
    }

    #[test]
    fn random_bytes_are_damaged() {
        // xorshift: deterministic bytes without a dependency.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut bytes: Vec<u8> = (0..65_536)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        assert!(matches!(extract_text(&bytes), Err(PdfError::Damaged(_))));
        // The same noise behind a valid header gets past the first check and into the parser.
        bytes.splice(0..0, b"%PDF-1.6\n".iter().copied());
        assert!(matches!(extract_text(&bytes), Err(PdfError::Damaged(_))));
    }

    #[test]
    fn header_only_is_damaged() {
        assert!(matches!(
            extract_text(b"%PDF-1.7\n"),
            Err(PdfError::Damaged(_))
        ));
    }

    #[test]
    fn too_large_is_refused_before_parsing() {
        let bytes = vec![b' '; MAX_PDF_BYTES as usize + 1];
        let err = extract_text(&bytes).unwrap_err();
        assert_eq!(err, PdfError::TooLarge(MAX_PDF_BYTES + 1));
        assert_eq!(
            err.to_string(),
            "PDF of 52428801 bytes is over the 52428800-byte limit"
        );
    }

    #[test]
    fn truncated_letter_is_damaged() {
        let Some(pdfs) = letter_pdfs() else { return };
        let Some(first) = pdfs.first() else {
            eprintln!("skipped: no PDFs in {LETTERS}/pdf");
            return;
        };
        let bytes = std::fs::read(first).expect("read a letter PDF");
        for cut in [bytes.len() / 2, bytes.len() * 9 / 10, 100] {
            let result = extract_text(&bytes[..cut]);
            assert!(
                matches!(result, Err(PdfError::Damaged(_))),
                "{} cut at {cut}: {result:?}",
                first.display()
            );
        }
    }

    #[test]
    fn zero_timeout_gives_up_without_blocking() {
        let Some(pdfs) = letter_pdfs() else { return };
        let Some(first) = pdfs.first() else { return };
        let bytes = std::fs::read(first).expect("read a letter PDF");
        let started = Instant::now();
        assert_eq!(
            extract_text_within(&bytes, Duration::ZERO),
            Err(PdfError::Timeout)
        );
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn pages_are_shaped_like_pdftotext() {
        let mut out = String::new();
        push_page(
            &mut out,
            " Case Number:  CM16-0213037   \nDate\u{a0}Assigned:\t11/09/2016\n \n",
        );
        push_page(&mut out, "Decision rationale: x");
        assert_eq!(
            out,
            "Case Number: CM16-0213037\nDate Assigned: 11/09/2016\n\n\n\x0c\
             Decision rationale: x\n\n\x0c"
        );
    }

    #[test]
    fn every_letter_pdf_matches_its_pdftotext_text() {
        let Some(pdfs) = letter_pdfs() else { return };
        assert!(!pdfs.is_empty(), "no PDFs in {LETTERS}/pdf");
        for pdf in &pdfs {
            let stem = pdf.file_stem().expect("file stem").to_string_lossy();
            let txt = Path::new(LETTERS).join("txt").join(format!("{stem}.txt"));
            let Ok(reference) = std::fs::read_to_string(&txt) else {
                eprintln!("skipped {stem}: {} is absent", txt.display());
                continue;
            };
            let bytes = std::fs::read(pdf).expect("read a letter PDF");
            let text = extract_text(&bytes).unwrap_or_else(|e| panic!("{stem}: {e}"));
            for needle in ["Decision rationale:", "MAXIMUS guideline:"] {
                assert_eq!(
                    count(&text, needle),
                    count(&reference, needle),
                    "{stem}: {needle}"
                );
            }
            let case = crate::letter::header::find_case_number(&text);
            assert_eq!(
                case,
                crate::letter::header::find_case_number(&reference),
                "{stem}"
            );
            assert_eq!(case.as_deref(), Some(&*stem));
        }
    }

    /// What the pipeline needs from a letter is the same whether it came from the PDF or
    /// from `pdftotext`: header, reviewer, and each item's name, decision and guideline.
    #[test]
    fn parser_reads_the_same_letter_from_pdf_and_pdftotext() {
        use crate::letter::parse_letter;
        let Some(pdfs) = letter_pdfs() else { return };
        let mut differences = Vec::new();
        let mut compared = 0;
        for pdf in &pdfs {
            let stem = pdf.file_stem().expect("file stem").to_string_lossy();
            let txt = Path::new(LETTERS).join("txt").join(format!("{stem}.txt"));
            let Ok(reference) = std::fs::read_to_string(&txt) else {
                continue;
            };
            let bytes = std::fs::read(pdf).expect("read a letter PDF");
            let text = extract_text(&bytes).unwrap_or_else(|e| panic!("{stem}: {e}"));
            let from_pdf = parse_letter(&text, &format!("{stem}.pdf"))
                .unwrap_or_else(|e| panic!("{stem}: {e}"));
            let from_txt = parse_letter(&reference, &format!("{stem}.txt"))
                .unwrap_or_else(|e| panic!("{stem}: {e}"));
            let items = |l: &crate::record::Letter| -> Vec<String> {
                l.items
                    .iter()
                    .map(|i| format!("{} => {:?} | {}", i.item, i.decision, i.maximus_guideline))
                    .collect()
            };
            compared += 1;
            if from_pdf.header != from_txt.header
                || from_pdf.licensure != from_txt.licensure
                || from_pdf.specialty != from_txt.specialty
                || items(&from_pdf) != items(&from_txt)
            {
                differences.push(format!(
                    "{stem}:\n  pdf {:?} {:?}\n  txt {:?} {:?}",
                    from_pdf.header,
                    items(&from_pdf),
                    from_txt.header,
                    items(&from_txt)
                ));
            }
        }
        assert!(differences.is_empty(), "{}", differences.join("\n"));
        assert_eq!(compared, pdfs.len(), "letters without a pdftotext text");
    }
}
