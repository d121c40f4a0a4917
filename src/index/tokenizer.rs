//! The `imr_en` tokenizer: words and drug strengths.
//!
//! "Norco 10/325mg #60" → `Norco`, `10/325`, `mg`, `60`. Digits joined by '/', '.' or ','
//! stay one token so a strength matches exactly ("7.5", "10/325"); a unit is split from its
//! number so "10/325mg" and "10/325 mg" index alike; letters then digits stay together
//! ("L5", "S1": spinal levels mean something). Lower-casing, stop words and stemming are
//! filters after it (see `schema.rs`).

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

#[derive(Clone, Default)]
pub struct ImrTokenizer {
    token: Token,
}

pub struct ImrTokenStream<'a> {
    text: &'a str,
    pos: usize,
    token: &'a mut Token,
}

impl Tokenizer for ImrTokenizer {
    type TokenStream<'a> = ImrTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ImrTokenStream<'a> {
        self.token.reset();
        ImrTokenStream {
            text,
            pos: 0,
            token: &mut self.token,
        }
    }
}

impl ImrTokenStream<'_> {
    fn char_at(&self, at: usize) -> Option<char> {
        self.text[at..].chars().next()
    }

    /// End of a number starting at `at`: digits, with '/', '.' or ',' between digits.
    fn number_end(&self, mut at: usize) -> usize {
        let bytes = self.text.as_bytes();
        loop {
            while at < bytes.len() && bytes[at].is_ascii_digit() {
                at += 1;
            }
            let joins = at + 1 < bytes.len()
                && matches!(bytes[at], b'/' | b'.' | b',')
                && bytes[at + 1].is_ascii_digit();
            if !joins {
                return at;
            }
            at += 1;
        }
    }

    fn word_end(&self, at: usize) -> usize {
        self.text[at..]
            .char_indices()
            .find(|(_, c)| !c.is_alphanumeric())
            .map_or(self.text.len(), |(i, _)| at + i)
    }
}

impl TokenStream for ImrTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        while let Some(c) = self.char_at(self.pos) {
            if !c.is_alphanumeric() {
                self.pos += c.len_utf8();
                continue;
            }
            let start = self.pos;
            let end = if c.is_ascii_digit() {
                self.number_end(start)
            } else {
                self.word_end(start)
            };
            self.pos = end;
            self.token.position = self.token.position.wrapping_add(1);
            self.token.offset_from = start;
            self.token.offset_to = end;
            self.token.text.push_str(&self.text[start..end]);
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        let mut t = ImrTokenizer::default();
        let mut s = t.token_stream(text);
        let mut out = Vec::new();
        while s.advance() {
            out.push(s.token().text.clone());
        }
        out
    }

    #[test]
    fn strengths_and_quantities() {
        assert_eq!(
            tokens("Norco 10/325mg #60"),
            ["Norco", "10/325", "mg", "60"]
        );
        assert_eq!(
            tokens("Norco 10/325 mg # 60"),
            ["Norco", "10/325", "mg", "60"]
        );
        assert_eq!(
            tokens("Cyclobenzaprine 7.5mg"),
            ["Cyclobenzaprine", "7.5", "mg"]
        );
        assert_eq!(tokens("Capsaicin 0.025%."), ["Capsaicin", "0.025"]);
        assert_eq!(tokens("L4-5, L5-S1."), ["L4", "5", "L5", "S1"]);
        assert_eq!(
            tokens("not medically necessary."),
            ["not", "medically", "necessary"]
        );
        assert_eq!(
            tokens("positive.Prior résumé"),
            ["positive", "Prior", "résumé"]
        );
    }

    #[test]
    fn offsets_point_into_the_text() {
        let mut t = ImrTokenizer::default();
        let mut s = t.token_stream("a 10/325mg");
        assert!(s.advance());
        assert!(s.advance());
        assert_eq!((s.token().offset_from, s.token().offset_to), (2, 8));
        assert_eq!(s.token().position, 1);
    }
}
