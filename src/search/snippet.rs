//! Snippets (the passage of a rationale that matched, with highlights) and the "key
//! sentence" a precedent list quotes.

use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Range;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;

/// A passage with the byte ranges of matched words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snippet {
    pub text: String,
    #[serde(skip)]
    pub highlights: Vec<Range<usize>>,
    /// Which field it was cut from: "rationale" or "summary".
    pub field: &'static str,
}

impl Snippet {
    /// No text: what a hit carries where nothing was asked for.
    pub fn empty(field: &'static str) -> Snippet {
        Snippet {
            text: String::new(),
            highlights: Vec::new(),
            field,
        }
    }

    /// The text with each highlight wrapped in `open`/`close`; `escape` is applied to every
    /// piece of text (not to the markers).
    pub fn render(&self, open: &str, close: &str, escape: impl Fn(&str) -> String) -> String {
        let mut out = String::new();
        let mut at = 0;
        for r in &self.highlights {
            if r.start < at || r.end > self.text.len() {
                continue;
            }
            out.push_str(&escape(&self.text[at..r.start]));
            out.push_str(open);
            out.push_str(&escape(&self.text[r.clone()]));
            out.push_str(close);
            at = r.end;
        }
        out.push_str(&escape(&self.text[at..]));
        out
    }

    /// HTML-safe, matches in `<b>`.
    pub fn html(&self) -> String {
        self.render("<b>", "</b>", html_escape)
    }
}

pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Cuts snippets for one query: the analyzed query terms, highlighted wherever the field's
/// analyzer produces them (so "screening" lights up for "screen").
pub struct Snipper {
    generator: Option<SnippetGenerator>,
    analyzer: TextAnalyzer,
    terms: BTreeMap<String, f32>,
    max_chars: usize,
}

impl Snipper {
    pub fn new(
        analyzer: TextAnalyzer,
        field: tantivy::schema::Field,
        terms: Vec<String>,
        max_chars: usize,
    ) -> Snipper {
        let terms: BTreeMap<String, f32> = terms.into_iter().map(|t| (t, 1.0)).collect();
        let generator = (!terms.is_empty())
            .then(|| SnippetGenerator::new(terms.clone(), analyzer.clone(), field, max_chars));
        Snipper {
            generator,
            analyzer,
            terms,
            max_chars,
        }
    }

    /// The best passage of `text`, or None when no query term occurs in it.
    pub fn matched(&self, text: &str, field: &'static str) -> Option<Snippet> {
        let s = self.generator.as_ref()?.snippet(text);
        if s.highlighted().is_empty() {
            return None;
        }
        let range = s.fragment_range();
        let mut snippet = trim_to_words(Snippet {
            text: s.fragment().to_string(),
            highlights: s.highlighted().to_vec(),
            field,
        });
        // Say where the passage was cut from a longer text.
        if range.start > 0 {
            let shift = '…'.len_utf8();
            snippet.text.insert(0, '…');
            for h in &mut snippet.highlights {
                *h = h.start + shift..h.end + shift;
            }
        }
        if range.end < text.trim_end().len() {
            snippet.text.push('…');
        }
        Some(snippet)
    }

    /// The opening of `text` when nothing matched: up to `max_chars`, cut at a word.
    pub fn opening(&self, text: &str, field: &'static str) -> Snippet {
        let mut end = text.len().min(self.max_chars);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        if end < text.len() {
            end = text[..end].rfind(' ').unwrap_or(end);
        }
        let mut t = text[..end].trim_end().to_string();
        if end < text.len() {
            t.push('…');
        }
        Snippet {
            text: t,
            highlights: Vec::new(),
            field,
        }
    }

    /// The key sentence a precedent list quotes — the reasoning applied to this patient, never
    /// a bare outcome (`crate::reasoning`) — and the guideline rule it applies, if the
    /// rationale states one; query terms highlighted in both.
    pub fn reasoning(&self, rationale: &str, overturned: bool) -> (Snippet, Option<Snippet>) {
        let lit = |text: String| Snippet {
            highlights: self.hits(&text),
            text,
            field: "rationale",
        };
        match crate::reasoning::choose(rationale, overturned) {
            Some(r) => (lit(r.key_sentence), r.rule_sentence.map(lit)),
            None => (self.key_sentence(rationale), None),
        }
    }

    /// The sentence of `rationale` with the most query terms; without any, the sentence that
    /// states the conclusion ("... is not medically necessary") together with the reason
    /// before it. What [`Snipper::reasoning`] falls back to when every sentence is an outcome.
    pub fn key_sentence(&self, rationale: &str) -> Snippet {
        let sentences = crate::reasoning::sentences(rationale);
        let mut best: Option<(usize, Range<usize>)> = None;
        if !self.terms.is_empty() {
            for r in &sentences {
                let hits = self.hits(&rationale[r.clone()]).len();
                if hits > 0 && best.as_ref().is_none_or(|(b, _)| hits > *b) {
                    best = Some((hits, r.clone()));
                }
            }
        }
        let range = match best {
            Some((_, r)) => r,
            None => {
                // The last sentence saying "necessary", with the one before it when it is
                // only the conclusion ("Therefore, the request is not medically necessary.").
                let i = sentences
                    .iter()
                    .rposition(|r| rationale[r.clone()].contains("necessary"))
                    .unwrap_or(sentences.len().saturating_sub(1));
                let r = sentences.get(i).cloned().unwrap_or(0..rationale.len());
                let short = rationale[r.clone()].split_whitespace().count() < 14;
                if short && i > 0 {
                    sentences[i - 1].start..r.end
                } else {
                    r
                }
            }
        };
        let text = rationale[range].trim().to_string();
        let highlights = self.hits(&text);
        Snippet {
            text,
            highlights,
            field: "rationale",
        }
    }

    fn hits(&self, text: &str) -> Vec<Range<usize>> {
        let mut analyzer = self.analyzer.clone();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            if self.terms.contains_key(&t.text) {
                out.push(t.offset_from..t.offset_to);
            }
        }
        out
    }
}

/// tantivy cuts fragments at token boundaries; make the ends read as text.
fn trim_to_words(mut s: Snippet) -> Snippet {
    let trimmed = s.text.trim_start();
    let shift = s.text.len() - trimmed.len();
    if shift > 0 {
        s.text = trimmed.to_string();
        s.highlights = s
            .highlights
            .iter()
            .filter(|r| r.start >= shift)
            .map(|r| r.start - shift..r.end - shift)
            .collect();
    }
    s.text.truncate(s.text.trim_end().len());
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_split() {
        let t = "Dr. Smith saw her. The request is not medically necessary. 2 weeks passed";
        let s: Vec<&str> = crate::reasoning::sentences(t)
            .into_iter()
            .map(|r| &t[r])
            .collect();
        assert_eq!(
            s,
            [
                "Dr. Smith saw her.",
                "The request is not medically necessary.",
                "2 weeks passed"
            ]
        );
    }

    #[test]
    fn render_escapes_text_not_markers() {
        let s = Snippet {
            text: "a <b> UDS & more".into(),
            highlights: std::iter::once(6..9).collect(),
            field: "rationale",
        };
        assert_eq!(s.html(), "a &lt;b&gt; <b>UDS</b> &amp; more");
        assert_eq!(
            s.render("**", "**", |t| t.to_string()),
            "a <b> **UDS** & more"
        );
    }
}
