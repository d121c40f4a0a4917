//! End-to-end tests: one target, one module per area (ripgrep's layout).

mod util;

mod cli;
mod golden;
mod index;
mod install;
mod layouts;
mod parse_bad_input;
mod parse_pdf;
mod parse_real_letters;
mod parse_seeds;
mod precedents;
mod relevance;
mod robustness;
mod search;
mod serve;
mod similar;
mod synth;
mod walk;
mod warm;
