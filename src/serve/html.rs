//! HTML building blocks: escaping, the page frame, links and badges. Every piece of letter
//! text reaches a page through [`esc`]; the only pre-rendered HTML is a snippet, which the
//! search module escapes itself (matches in `<b>`).

use crate::record::Decision;
use std::fmt::Write;

/// Text made inert in HTML, in element content and in double- or single-quoted attributes.
pub fn esc(s: &str) -> String {
    crate::search::snippet::html_escape(s)
}

/// A path segment: every byte but the unreserved ones percent-encoded, so an id such as
/// `CM16-0213037#2` survives as `/item/CM16-0213037%232`.
pub fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The page frame: head (the one stylesheet, no script), the search form's header, `body`.
pub fn page(title: &str, query: &str, hidden: &[(String, String)], body: &str) -> String {
    let mut h = String::with_capacity(body.len() + 2048);
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><link rel=\"stylesheet\" href=\"/assets/style.css\"></head><body>\n\
         <header class=\"top\"><a class=\"brand\" href=\"/\">imr</a>\
         <form class=\"search\" method=\"get\" action=\"/\">\
         <input type=\"search\" name=\"q\" value=\"{}\" maxlength=\"{}\" \
         placeholder=\"Norco upheld urine drug screen\" aria-label=\"Search IMR decisions\">",
        esc(title),
        esc(query),
        super::params::MAX_QUERY
    );
    for (k, v) in hidden {
        let _ = write!(
            h,
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
            esc(k),
            esc(v)
        );
    }
    let _ = write!(
        h,
        "<button type=\"submit\">Search</button></form></header>\n{body}\n\
         <footer>imr serve: read-only, over the local index. \
         <a href=\"/similar\">Compare a UR denial</a> · \
         <a href=\"/api/search\">JSON API</a></footer></body></html>\n"
    );
    h
}

/// "Upheld" / "Overturned" as a coloured badge.
pub fn badge(d: Decision) -> String {
    let word = match d {
        Decision::Upheld => "Upheld",
        Decision::Overturned => "Overturned",
        Decision::Unknown => "Whole letter",
    };
    format!("<span class=\"badge {}\">{word}</span>", d.as_str())
}

/// A horizontal bar of `count` out of `max`, its overturned part shaded: an inline SVG
/// (attributes, no inline style, so the content security policy needs no exception).
pub fn bar(count: u64, overturned: u64, max: u64) -> String {
    const W: f64 = 64.0;
    let max = max.max(1) as f64;
    let total = W * count as f64 / max;
    let over = W * overturned as f64 / max;
    format!(
        "<svg class=\"bar\" width=\"64\" height=\"8\" viewBox=\"0 0 64 8\" aria-hidden=\"true\">\
         <rect class=\"all\" x=\"0\" y=\"0\" width=\"{total:.1}\" height=\"8\"/>\
         <rect class=\"over\" x=\"0\" y=\"0\" width=\"{over:.1}\" height=\"8\"/></svg>"
    )
}

/// "37% overturned" (nothing for an empty count).
pub fn share(count: u64, overturned: u64) -> String {
    if count == 0 {
        return String::new();
    }
    format!(
        "{:.0}% overturned",
        100.0 * overturned as f64 / count as f64
    )
}

/// Text as paragraphs: blank lines separate them, single line breaks are kept as spaces.
pub fn paragraphs(text: &str) -> String {
    let mut out = String::new();
    for p in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        let joined: Vec<&str> = p.lines().map(str::trim).collect();
        let _ = write!(out, "<p>{}</p>", esc(&joined.join(" ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_inert() {
        assert_eq!(
            esc("<img src=x onerror=\"alert(1)\">&'"),
            "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;"
        );
        assert_eq!(
            paragraphs("a <b>\nc\n\n<script>"),
            "<p>a &lt;b&gt; c</p><p>&lt;script&gt;</p>"
        );
    }

    #[test]
    fn ids_become_path_segments() {
        assert_eq!(segment("CM16-0213037#2"), "CM16-0213037%232");
        assert_eq!(segment("../x y"), "..%2Fx%20y");
    }
}
