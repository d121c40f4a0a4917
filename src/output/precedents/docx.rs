//! A precedent list as a Word document (.docx): a title with the query and the date, the
//! tally, then a numbered list, each entry its citation line in bold and the rule and the
//! reasoning as block quotes, plain (no query words in bold), ready to paste into a brief.
//!
//! Written as OOXML parts in a zip (the `zip` crate, deflate only) rather than through a
//! docx library: the document needs six small parts, and the libraries bring an image
//! codec stack or an old zip with them. The parts follow ECMA-376 (WordprocessingML):
//! styles for the title, the quotes and the list, and a real numbered list (numbering.xml),
//! so Word renumbers the entries when one is cut.

use super::group::Entry;
use super::{citation_with_reviewer, PrecedentList};
use std::io::{self, Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// Writes the document for `entries` of `list` (none: the title and the tally alone).
pub fn write(out: &mut dyn Write, list: &PrecedentList, entries: &[Entry]) -> io::Result<()> {
    let today = today();
    let title = super::title(list);
    let parts: [(&str, String); 7] = [
        ("[Content_Types].xml", content_types()),
        ("_rels/.rels", package_rels()),
        ("docProps/core.xml", core(&title, &today)),
        ("word/_rels/document.xml.rels", document_rels()),
        ("word/document.xml", document(list, entries, &title, &today)),
        ("word/styles.xml", styles()),
        ("word/numbering.xml", numbering(list.results.offset + 1)),
    ];
    // A zip is written with seeks (sizes go back into the headers), so it is built in
    // memory, then written out whole.
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let mut options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    if let Some(t) = zip_time(&today) {
        options = options.last_modified_time(t);
    }
    for (name, body) in parts {
        zip.start_file(name, options).map_err(io::Error::other)?;
        zip.write_all(body.as_bytes())?;
    }
    let bytes = zip.finish().map_err(io::Error::other)?.into_inner();
    out.write_all(&bytes)
}

/// Today as `YYYY-MM-DD` (UTC), or the day of `$SOURCE_DATE_EPOCH` where it is set, the
/// reproducible-builds convention, so a document can be made byte for byte again.
fn today() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    crate::index::document::days_to_iso(secs.div_euclid(86_400))
}

fn zip_time(iso: &str) -> Option<zip::DateTime> {
    let mut p = iso.split('-').map(|s| s.parse::<u16>().ok());
    let (y, m, d) = (p.next()??, p.next()??, p.next()??);
    zip::DateTime::from_date_and_time(y, m as u8, d as u8, 0, 0, 0).ok()
}

/// Text as XML character data: markup escaped, and the characters XML 1.0 forbids (form
/// feeds and other controls that PDF text carries) dropped, since Word refuses a document
/// that holds one.
pub fn xml_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// One run of text, bold or italic as asked.
fn run(text: &str, bold: bool, italic: bool) -> String {
    let props = match (bold, italic) {
        (false, false) => String::new(),
        (b, i) => format!(
            "<w:rPr>{}{}</w:rPr>",
            if b { "<w:b/>" } else { "" },
            if i { "<w:i/>" } else { "" }
        ),
    };
    format!(
        "<w:r>{props}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
        xml_text(text)
    )
}

/// A paragraph of the given style (None: Normal) holding `runs`.
fn paragraph(style: Option<&str>, extra: &str, runs: &str) -> String {
    let style = style.map_or(String::new(), |s| format!("<w:pStyle w:val=\"{s}\"/>"));
    format!("<w:p><w:pPr>{style}{extra}</w:pPr>{runs}</w:p>")
}

fn document(list: &PrecedentList, entries: &[Entry], title: &str, today: &str) -> String {
    let r = &list.results;
    let s = &list.summary;
    let mut body = String::new();
    body.push_str(&paragraph(Some("Title"), "", &run(title, false, false)));
    let subtitle = format!(
        "IMR decisions, {} · {}",
        if r.interpreted.is_empty() {
            "every item"
        } else {
            &r.interpreted
        },
        crate::output::results::brief_date(Some(today))
    );
    body.push_str(&paragraph(
        Some("Subtitle"),
        "",
        &run(&subtitle, false, false),
    ));
    let mut tally = run(&s.headline(), true, false);
    if s.decisions > 0 {
        for b in s.breakdowns() {
            tally.push_str(&run(&format!("; {b}"), false, false));
        }
    }
    tally.push_str(&run(".", false, false));
    body.push_str(&paragraph(None, "", &tally));
    body.push_str(&paragraph(None, "", &run(&s.counted, false, true)));
    for e in entries {
        let lead = e.lead();
        // keepNext: a citation is never left at the foot of a page without its quotes.
        body.push_str(&paragraph(
            Some("ListNumber"),
            "<w:keepNext/><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr>",
            &run(&citation_with_reviewer(e), true, false),
        ));
        if let Some(rule) = &lead.rule_sentence {
            let text = format!("Rule: \u{201c}{}\u{201d}", rule.text);
            body.push_str(&paragraph(
                Some("Quote"),
                "<w:keepNext/>",
                &run(&text, false, false),
            ));
        }
        let text = format!("\u{201c}{}\u{201d}", lead.key_sentence.text);
        body.push_str(&paragraph(Some("Quote"), "", &run(&text, false, false)));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"{W}\" xmlns:r=\"{REL}\"><w:body>{body}\
         <w:sectPr><w:pgSz w:w=\"12240\" w:h=\"15840\"/><w:pgMar w:top=\"1440\" w:right=\"1440\" \
         w:bottom=\"1440\" w:left=\"1440\" w:header=\"720\" w:footer=\"720\" w:gutter=\"0\"/>\
         </w:sectPr></w:body></w:document>"
    )
}

fn content_types() -> String {
    let main = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/word/document.xml\" ContentType=\"{main}.document.main+xml\"/>\
         <Override PartName=\"/word/styles.xml\" ContentType=\"{main}.styles+xml\"/>\
         <Override PartName=\"/word/numbering.xml\" ContentType=\"{main}.numbering+xml\"/>\
         <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
         </Types>"
    )
}

fn package_rels() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Relationships xmlns=\"{PKG_REL}\">\
         <Relationship Id=\"rId1\" Type=\"{REL}/officeDocument\" Target=\"word/document.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"{PKG_REL}/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
         </Relationships>"
    )
}

fn document_rels() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Relationships xmlns=\"{PKG_REL}\">\
         <Relationship Id=\"rId1\" Type=\"{REL}/styles\" Target=\"styles.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"{REL}/numbering\" Target=\"numbering.xml\"/>\
         </Relationships>"
    )
}

fn core(title: &str, today: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:creator>imr {}</dc:creator>\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">{today}T00:00:00Z</dcterms:created>\
         </cp:coreProperties>",
        xml_text(title),
        env!("CARGO_PKG_VERSION")
    )
}

/// Times New Roman 12 pt, as court rules mostly ask; block quotes indented half an inch on
/// both sides, single-spaced.
fn styles() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:styles xmlns:w=\"{W}\">\
         <w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Times New Roman\" \
         w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\"/><w:sz w:val=\"24\"/></w:rPr>\
         </w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"160\"/></w:pPr></w:pPrDefault>\
         </w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/>\
         <w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"80\"/></w:pPr>\
         <w:rPr><w:b/><w:sz w:val=\"32\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Subtitle\"><w:name w:val=\"Subtitle\"/>\
         <w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:rPr><w:sz w:val=\"22\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"ListNumber\"><w:name w:val=\"List Number\"/>\
         <w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:before=\"240\" w:after=\"120\"/></w:pPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Quote\"><w:name w:val=\"Quote\"/>\
         <w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"120\"/>\
         <w:ind w:left=\"720\" w:right=\"720\"/><w:jc w:val=\"both\"/></w:pPr></w:style>\
         </w:styles>"
    )
}

/// One decimal list, numbered from `first`.
fn numbering(first: usize) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:numbering xmlns:w=\"{W}\"><w:abstractNum w:abstractNumId=\"0\">\
         <w:multiLevelType w:val=\"singleLevel\"/><w:lvl w:ilvl=\"0\"><w:start w:val=\"{first}\"/>\
         <w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.\"/><w:lvlJc w:val=\"left\"/>\
         <w:pPr><w:ind w:left=\"360\" w:hanging=\"360\"/></w:pPr></w:lvl></w:abstractNum>\
         <w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_inert_and_legal_xml() {
        assert_eq!(
            xml_text("a<b>&\"c\"\x0c\x01d\ne"),
            "a&lt;b&gt;&amp;&quot;c&quot;d e"
        );
        assert_eq!(
            zip_time("2016-12-09"),
            zip::DateTime::from_date_and_time(2016, 12, 9, 0, 0, 0).ok()
        );
    }
}
