//! `imr serve`: flags → the open index → the web server (src/serve/).

use super::common;
use crate::serve::{self, Options, Shared};
use anyhow::{Context, Result};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

/// The port `imr serve` listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 7878;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Index directory [default: $IMR_INDEX, else ./imr-index].
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// Address to listen on. The default answers only this machine; 0.0.0.0 answers the
    /// network (anyone who can reach the port can read the index).
    #[arg(long, value_name = "ADDR", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    /// Port to listen on (0: any free port; the address is printed).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_PORT)]
    pub port: u16,
    /// Open the page in the default browser.
    #[arg(long)]
    pub open: bool,
}

pub fn run(args: &ServeArgs) -> Result<i32> {
    let engine = common::open_engine(args.index.as_deref())?;
    let dir = crate::index::default_dir(args.index.as_deref());
    let opts = Options {
        index: dir.clone(),
        addr: SocketAddr::new(args.bind, args.port),
    };
    let open = args.open;
    serve::run(Shared::new(engine, dir.clone()), &opts, |addr| {
        serve::announce(addr, &dir);
        if open {
            open_browser(&format!("http://{addr}/"));
        }
    })
    .with_context(|| {
        format!(
            "cannot serve on {} (another program may use the port: try --port N, or 0 for any free one)",
            opts.addr
        )
    })?;
    Ok(0)
}

/// Starts the platform's URL opener; failing that, says so (the URL is printed anyway).
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("imr: cannot start {opener} to open {url}: {e}");
    }
}
