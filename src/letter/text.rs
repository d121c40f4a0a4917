//! Raw bytes → clean lines: lenient decoding, form feeds, trailing blanks, redaction gaps.

use std::borrow::Cow;

/// How a file's bytes were turned into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoding {
    Utf8,
    /// Not valid UTF-8: decoded as Windows-1252, which old extractors write.
    Windows1252,
}

/// Decodes a letter's bytes. Valid UTF-8 passes through; anything else is read as
/// Windows-1252 (every byte maps to a character), so a few stray bytes never lose a letter.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, Decoding) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (
            Cow::Borrowed(s.strip_prefix('\u{feff}').unwrap_or(s)),
            Decoding::Utf8,
        ),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text, Decoding::Windows1252)
        }
    }
}

/// Why bytes are not letter text at all, before any parsing is tried.
pub fn reject_reason(bytes: &[u8]) -> Option<&'static str> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Some("empty file");
    }
    if bytes.starts_with(b"%PDF") {
        return Some("a PDF file, not letter text");
    }
    // Text never holds NUL; a handful of other control bytes can survive extraction, a
    // binary file has them everywhere.
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let controls = sample
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)))
        .count();
    if sample.contains(&0) || controls * 20 > sample.len() {
        return Some("binary file, not letter text");
    }
    None
}

/// One line of the letter with page furniture removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    /// Trimmed text; never empty.
    pub text: &'a str,
}

/// Splits text into trimmed, non-empty lines. Blank lines and form feeds carry no meaning in
/// these letters (the seed era puts a blank line between every line; page breaks fall
/// anywhere), so they are dropped here once instead of being skipped everywhere.
pub fn lines(text: &str) -> Vec<Line<'_>> {
    text.split(['\n', '\r', '\x0c'])
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}'))
        .filter(|l| !l.is_empty())
        .map(|text| Line { text })
        .collect()
}

/// Joins wrapped lines into one paragraph: single spaces, hyphenated line breaks closed up
/// ("long-" + "term" → "long-term" keeps the hyphen, as the letters' own words do).
pub fn join_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for l in lines {
        let l = l.trim();
        if l.is_empty() {
            continue;
        }
        if !out.is_empty() && !out.ends_with('-') && !out.ends_with('/') {
            out.push(' ');
        }
        out.push_str(l);
    }
    squeeze_spaces(&out)
}

/// Collapses runs of whitespace (redaction gaps, layout padding) to one space.
pub fn squeeze_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // ASCII without vertical tabs: `split_ascii_whitespace` splits exactly where
    // `char::is_whitespace` would, a word at a time instead of a char at a time.
    if s.is_ascii() && !s.contains('\x0b') {
        for word in s.split_ascii_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
        return out;
    }
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() || c == '\u{a0}' {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_decodes_as_windows_1252() {
        let (text, how) = decode(b"Norco \x96 10/325mg \x93quoted\x94");
        assert_eq!(how, Decoding::Windows1252);
        assert_eq!(text, "Norco \u{2013} 10/325mg \u{201c}quoted\u{201d}");
    }

    #[test]
    fn rejects_empty_and_binary() {
        assert_eq!(reject_reason(b"  \n\n"), Some("empty file"));
        assert_eq!(
            reject_reason(b"abc\0def"),
            Some("binary file, not letter text")
        );
        assert_eq!(
            reject_reason(b"%PDF-1.4 ..."),
            Some("a PDF file, not letter text")
        );
        assert_eq!(reject_reason(b"Case Number: CM16-0000001\n"), None);
    }

    #[test]
    fn joins_wrapped_lines() {
        assert_eq!(
            join_lines(["long-", "term use", "  of  opioids "]),
            "long-term use of opioids"
        );
        assert_eq!(
            squeeze_spaces(" both  benefits and \t benefits "),
            "both benefits and benefits"
        );
        // Both paths: plain ASCII, and non-breaking spaces, vertical tabs, accents.
        assert_eq!(squeeze_spaces("\n a \r\n b\x0c"), "a b");
        assert_eq!(
            squeeze_spaces("r\u{e9}sum\u{e9}\u{a0}\u{a0}x\x0by \u{2003} z "),
            "r\u{e9}sum\u{e9} x y z"
        );
    }
}
