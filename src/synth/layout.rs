//! Paragraphs → the lines `pdftotext` would print: wrapped at the page width, long words
//! hyphenated across lines, page breaks (form feeds) wherever a page fills up, and the
//! era's spacing (the seed letters put a blank line after every line).

use super::rng::Rng;
use super::sentence::sensitive;

/// A space a line may not break at: `para` prints it as a plain space.
pub const NO_BREAK: char = '\u{1}';

/// Which of the two letter formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Era {
    /// 2014-15: no header, a blank line between lines, `Page(s):` citations.
    Seed,
    /// 2016 on: header block, `Section(s):` citations.
    Modern,
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

    /// Wraps a paragraph. Words that start within the byte range `hyphenate` may be
    /// hyphenated across a line end (`medi-` / `cally`); words with a hyphen of their own
    /// break after it (`long-` / `term`), which the parser joins back exactly.
    pub fn para(&mut self, rng: &mut Rng, text: &str, hyphenate: std::ops::Range<usize>) {
        let first = self.lines.len();
        let mut line = String::with_capacity(self.width + 8);
        let mut at = 0usize;
        for word in text.split(' ') {
            let start = at;
            at += word.len() + 1;
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
            // A hyphen of the word's own, inside it, that leaves the first part on this line.
            let own = word
                .char_indices()
                .filter(|&(i, c)| c == '-' && i > 0 && i + 1 < word.len() && i < room)
                .map(|(i, _)| i)
                .last();
            if let Some(i) = own {
                line.push(' ');
                line.push_str(&word[..=i]);
                self.lines.push(std::mem::take(&mut line));
                line.push_str(&word[i + 1..]);
                continue;
            }
            let letters = word.len() >= 8 && word.bytes().all(|b| b.is_ascii_alphabetic());
            if letters && hyphenate.contains(&start) && room >= 4 && rng.chance(0.15) {
                let cut = 3 + rng.below((room - 3).min(word.len() - 5).max(1));
                // Never a half that reads as another word the parser looks for ("man-" of
                // "man-agement" would be the patient's sex).
                if cut + 3 <= word.len()
                    && cut < room
                    && !sensitive(&word[..cut])
                    && !sensitive(&word[cut..])
                {
                    line.push(' ');
                    line.push_str(&word[..cut]);
                    line.push('-');
                    self.lines.push(std::mem::take(&mut line));
                    line.push_str(&word[cut..]);
                    continue;
                }
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
                Era::Modern => {
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
        if era == Era::Modern {
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
        l.para(&mut Rng::new(1), text, 0..0);
        let out = l.finish(&mut Rng::new(2), Era::Seed);
        let joined = join_lines(lines(&out).iter().map(|l| l.text));
        assert_eq!(joined, text);
        assert!(lines(&out).iter().all(|l| l.text.len() <= 30));
    }

    #[test]
    fn hyphenation_only_where_allowed() {
        let text = "documentation documentation documentation documentation documentation";
        for seed in 0..50 {
            let mut l = Layout::new(20);
            l.para(&mut Rng::new(seed), text, 0..0);
            assert!(l.lines.iter().all(|x| !x.ends_with('-')), "{:?}", l.lines);
        }
    }
}
