//! Raw bytes → clean lines: lenient decoding, form feeds, trailing blanks, redaction gaps.

use std::borrow::Cow;

/// How a file's bytes were turned into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// UTF-16 little-endian (Windows "Unicode"), with a byte-order mark or recognised by its
    /// NUL bytes.
    Utf16Le,
    /// UTF-16 big-endian, likewise.
    Utf16Be,
    /// Not valid UTF-8: decoded as Windows-1252, which old extractors write.
    Windows1252,
}

impl Decoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Decoding::Utf8 => "UTF-8",
            Decoding::Utf16Le => "UTF-16LE",
            Decoding::Utf16Be => "UTF-16BE",
            Decoding::Windows1252 => "Windows-1252",
        }
    }
}

/// UTF-16 by its byte-order mark, else by its NUL pattern: these letters are English, so
/// UTF-16 text is nearly all ASCII, whose high byte is NUL — every odd byte (little-endian)
/// or every even byte (big-endian) NUL, the other half almost never. Returns the encoding
/// and how many BOM bytes to skip. A binary file has NULs on both sides, or few.
fn utf16(bytes: &[u8]) -> Option<(Decoding, usize)> {
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Some((Decoding::Utf16Le, 2));
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Some((Decoding::Utf16Be, 2));
    }
    let sample = &bytes[..bytes.len().min(64 * 1024) & !1];
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    // Most characters ASCII on one side, at most a stray NUL (U+0100, U+xx00) on the other.
    let one_sided = |nul: usize, other: usize| nul * 10 >= pairs * 7 && other * 20 <= nul;
    if one_sided(odd, even) {
        Some((Decoding::Utf16Le, 0))
    } else if one_sided(even, odd) {
        Some((Decoding::Utf16Be, 0))
    } else {
        None
    }
}

/// Decodes a letter's bytes: UTF-16 (BOM or NUL pattern) as UTF-16, valid UTF-8 as it is
/// (less a BOM); anything else is read as Windows-1252 (every byte maps to a character), so
/// a few stray bytes never lose a letter.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, Decoding) {
    if let Some((how, bom)) = utf16(bytes) {
        let encoding = if how == Decoding::Utf16Le {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        // Unpaired surrogates become U+FFFD: one bad character, not a lost letter.
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return (Cow::Owned(text.into_owned()), how);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), Decoding::Utf8),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text, Decoding::Windows1252)
        }
    }
}

/// Why bytes are not letter text at all, before any parsing is tried.
pub fn reject_reason(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF") {
        return Some(NOT_TEXT_PDF);
    }
    if let Some((how, bom)) = utf16(bytes) {
        // Judge the characters, not the bytes: UTF-16 is half NULs by design.
        let sample = &bytes[bom..bytes.len().min(bom + 64 * 1024)];
        let (text, _) = if how == Decoding::Utf16Le {
            encoding_rs::UTF_16LE.decode_without_bom_handling(sample)
        } else {
            encoding_rs::UTF_16BE.decode_without_bom_handling(sample)
        };
        return text_reject_reason(&text);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Some(EMPTY);
    }
    // Text never holds NUL; a handful of other control bytes can survive extraction, a
    // binary file has them everywhere.
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let controls = sample
        .iter()
        .filter(|&&b| b == 0 || is_stray_control(b))
        .count();
    if sample.contains(&0) || controls * 20 > sample.len() {
        return Some(NOT_TEXT);
    }
    None
}

/// The same judgement on decoded characters.
fn text_reject_reason(text: &str) -> Option<&'static str> {
    if text.chars().all(char::is_whitespace) {
        return Some(EMPTY);
    }
    if text.contains('\0') {
        return Some(NOT_TEXT);
    }
    let chars = text.chars().count();
    let controls = text
        .chars()
        .filter(|&c| c.is_ascii() && is_stray_control(c as u8))
        .count();
    (controls * 20 > chars).then_some(NOT_TEXT)
}

fn is_stray_control(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)
}

/// The reasons [`reject_reason`] gives, for callers that count skipped files by reason.
pub const EMPTY: &str = "empty file";
pub const NOT_TEXT: &str = "binary file, not letter text";
pub const NOT_TEXT_PDF: &str = "a PDF file, not letter text";

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

    fn encode16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        for unit in (if bom { "\u{feff}" } else { "" })
            .encode_utf16()
            .chain(text.encode_utf16())
        {
            out.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        out
    }

    #[test]
    fn utf16_and_utf8_bom_decode_to_the_same_text() {
        let text =
            "Case Number: CM16-0000001\r\nNorco 10/325mg #60 \u{2013} \u{201c}Upheld\u{201d}\r\n";
        for (big_endian, bom, how) in [
            (false, true, Decoding::Utf16Le),
            (false, false, Decoding::Utf16Le),
            (true, true, Decoding::Utf16Be),
            (true, false, Decoding::Utf16Be),
        ] {
            let bytes = encode16(text, big_endian, bom);
            assert_eq!(reject_reason(&bytes), None, "{how:?} bom {bom}");
            assert_eq!(decode(&bytes), (Cow::Borrowed(text), how), "bom {bom}");
        }
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        assert_eq!(reject_reason(&with_bom), None);
        assert_eq!(decode(&with_bom), (Cow::Borrowed(text), Decoding::Utf8));
        // Whitespace in any encoding is an empty file; NULs inside UTF-16 text are binary.
        assert_eq!(reject_reason(&encode16(" \r\n ", false, true)), Some(EMPTY));
        assert_eq!(reject_reason(b"\xEF\xBB\xBF \n"), Some(EMPTY));
        assert_eq!(
            reject_reason(&encode16("Case\0Number\0\0\0: CM16", false, true)),
            Some(NOT_TEXT)
        );
    }

    #[test]
    fn binary_with_nuls_on_both_sides_is_not_utf16() {
        let bytes: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert_eq!(utf16(&bytes), None);
        assert_eq!(reject_reason(&bytes), Some(NOT_TEXT));
        // Mostly NUL on both sides (a sparse binary): not UTF-16 either.
        let mut sparse = vec![0u8; 4096];
        sparse[100] = 1;
        sparse[201] = 2;
        assert_eq!(utf16(&sparse), None);
        assert_eq!(reject_reason(&sparse), Some(NOT_TEXT));
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
