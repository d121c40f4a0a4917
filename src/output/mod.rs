//! Writers for results: a table for the terminal, JSON / JSONL for programs, CSV for Excel,
//! Markdown for briefs. Every writer neutralises what its medium would misread. The JSON
//! shapes are typed structs in `contract`.

pub mod browse;
pub mod contract;
pub mod precedents;
pub mod results;
pub mod show;
pub mod similar;

use clap::ValueEnum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned, readable text (the default on a terminal).
    Table,
    /// One JSON object (the default when piped).
    Json,
    /// One JSON object per hit.
    Jsonl,
    /// Comma-separated, safe to open in Excel.
    Csv,
    /// Markdown, safe to paste.
    Md,
}

/// Whether to use ANSI bold: stdout is a terminal that can show it (TERM is not "dumb") and
/// NO_COLOR is unset.
pub fn color(stdout_is_terminal: bool) -> bool {
    stdout_is_terminal
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
}

/// A CSV cell Excel will not run as a formula: a leading `=`, `+`, `-`, `@`, tab or CR gets
/// a `'` in front (OWASP's advice for CSV injection).
pub fn csv_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Markdown-safe inline text: characters Markdown would act on are escaped, HTML is inert,
/// line breaks become spaces (a table cell or a list item stays one line).
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '>' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_formula_cells_are_neutralised() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-2"), "'-2");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("Norco 10/325mg #60"), "Norco 10/325mg #60");
    }

    #[test]
    fn markdown_is_inert() {
        assert_eq!(md_escape("a|b *c* <script>"), "a\\|b \\*c\\* &lt;script\\>");
        assert_eq!(md_escape("#60\nx"), "\\#60 x");
    }
}
