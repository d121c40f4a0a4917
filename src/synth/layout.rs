//! Paragraphs → the lines `pdftotext` would print: wrapped at the page width, long words
//! hyphenated across lines, page breaks (form feeds) wherever a page fills up, and the
//! era's spacing (the seed letters put a blank line after every line).

use super::rng::Rng;

/// A space a line may not break at: `para` prints it as a plain space.
pub const NO_BREAK: char = '\u{1}';

/// Which of the letter formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Era {
    /// 2014-15: no header, a blank line between lines, `Page(s):` citations.
    Seed,
    /// 2016 on: header block, `Section(s):` citations.
    Modern,
    /// 2013: "Notice of Independent Medical Review Determination", numbered decisions.
    Notice,
}

/// Lines of one letter being laid out.
pub struct Layout {
    width: usize,
    lines: Vec<String>,
}

impl Layout {
    pub fn new(width: usize) -> Layout {
        Layout {
            width,
            lines: Vec::with_capacity(128),
        }
    }

    pub fn width(&self) -> usize {
        self.width
    }

    /// A line as it is.
    pub fn line(&mut self, s: impl Into<String>) {
        self.lines.push(s.into());
    }

    pub fn blank(&mut self) {
        self.lines.push(String::new());
    }

    /// Wraps a paragraph at the page width. A word with a hyphen of its own between two
    /// letters may break after it (`long-` / `term`), as the letters' own text does; the
    /// parser joins such a break back without a space, so the text reads the same.
    pub fn para(&mut self, text: &str) {
        let first = self.lines.len();
        let mut line = String::with_capacity(self.width + 8);
        for word in text.split(' ') {
            if line.is_empty() {
                line.push_str(word);
                continue;
            }
            if line.len() + 1 + word.len() <= self.width {
                line.push(' ');
                line.push_str(word);
                continue;
            }
            let room = self.width.saturating_sub(line.len() + 1);
            let b = word.as_bytes();
            let own = (1..b.len().saturating_sub(1)).rev().find(|&i| {
                b[i] == b'-'
                    && i < room
                    && b[i - 1].is_ascii_alphabetic()
                    && b[i + 1].is_ascii_alphabetic()
            });
            if let Some(i) = own {
                line.push(' ');
                line.push_str(&word[..=i]);
                self.lines.push(std::mem::take(&mut line));
                line.push_str(&word[i + 1..]);
                continue;
            }
            self.lines.push(std::mem::take(&mut line));
            line.push_str(word);
        }
        if !line.is_empty() {
            self.lines.push(line);
        }
        for l in &mut self.lines[first..] {
            if l.contains(NO_BREAK) {
                *l = l.replace(NO_BREAK, " ");
            }
        }
    }

    /// The letter's text: page breaks every `page_lines` lines or so, then the era's spacing.
    pub fn finish(self, rng: &mut Rng, era: Era) -> String {
        let page = 46 + rng.below(10);
        let mut out =
            String::with_capacity(self.lines.iter().map(|l| l.len() + 3).sum::<usize>() + 64);
        for (i, line) in self.lines.iter().enumerate() {
            if i > 0 && i % page == 0 {
                // pdftotext ends a page with a blank line; the next page starts with a form feed.
                out.push('\n');
                out.push('\x0c');
            }
            match era {
                Era::Modern | Era::Notice => {
                    out.push_str(line);
                    out.push('\n');
                }
                Era::Seed => {
                    if i == 0 {
                        out.push(' ');
                    }
                    out.push_str(line);
                    out.push_str(" \n\n");
                }
            }
        }
        if era != Era::Seed {
            out.push_str("\n\x0c");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letter::text::{join_lines, lines};

    #[test]
    fn wrapped_text_joins_back() {
        let text = "The injured worker has a long-term history of low back pain with radiating symptoms into the bilateral lower extremities and was prescribed Norco 10/325mg #60 for breakthrough pain.";
        let mut l = Layout::new(30);
        l.para(text);
        let out = l.finish(&mut Rng::new(2), Era::Seed);
        let joined = join_lines(lines(&out).iter().map(|l| l.text));
        assert_eq!(joined, text);
        assert!(lines(&out).iter().all(|l| l.text.len() <= 30));
    }

    #[test]
    fn breaks_only_at_hyphens_between_letters() {
        let mut l = Layout::new(10);
        l.para("a follow-up at L4-5 L5-S1 level");
        assert_eq!(l.lines, ["a follow-", "up at L4-5", "L5-S1", "level"]);
    }
}
