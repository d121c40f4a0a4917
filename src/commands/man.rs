//! `imr man`: the manual page, in roff, generated from the clap definition: one page with
//! every command and its flags, so one file installs all of it (`man imr`).

use crate::cli::Cli;
use anyhow::Result;
use clap::CommandFactory;
use clap_mangen::Man;
use std::io::Write;

pub fn run() -> Result<i32> {
    let mut page = Vec::new();
    render(&mut page)?;
    let mut out = std::io::stdout().lock();
    out.write_all(&page)?;
    out.flush()?;
    Ok(0)
}

/// imr(1): clap_mangen's title, name, synopsis, description and options of `imr`, then a
/// section per command with its own synopsis, description and options. clap_mangen alone
/// would write one page per command and a top page that only lists them.
pub fn render(w: &mut dyn Write) -> std::io::Result<()> {
    let mut cmd = Cli::command();
    // Building sets each command's bin name ("imr search") for its synopsis.
    cmd.build();
    let top = Man::new(cmd.clone());
    top.render_title(w)?;
    top.render_name_section(w)?;
    top.render_synopsis_section(w)?;
    top.render_description_section(w)?;
    top.render_options_section(w)?;
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = sub.get_bin_name().unwrap_or_else(|| sub.get_name());
        writeln!(w, ".SH \"{}\"", name.to_uppercase())?;
        let man = Man::new(sub.clone());
        let mut part = Vec::new();
        man.render_synopsis_section(&mut part)?;
        man.render_description_section(&mut part)?;
        man.render_options_section(&mut part)?;
        w.write_all(&demote_sections(&part))?;
    }
    top.render_version_section(w)
}

/// A command's SYNOPSIS, DESCRIPTION and OPTIONS become subsections of its section.
fn demote_sections(roff: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(roff);
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match line.strip_prefix(".SH ") {
            Some(rest) => {
                out.push_str(".SS ");
                out.push_str(rest);
            }
            None => out.push_str(line),
        }
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_section_headings_are_demoted() {
        let roff = b".SH SYNOPSIS\n\\fBimr search\\fR\n.SH OPTIONS\n.TP\n.SHX\n";
        assert_eq!(
            String::from_utf8(demote_sections(roff)).unwrap(),
            ".SS SYNOPSIS\n\\fBimr search\\fR\n.SS OPTIONS\n.TP\n.SHX\n"
        );
    }
}
