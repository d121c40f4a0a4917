//! One module per subcommand; each returns the process exit status.

pub mod index;
pub mod parse;
