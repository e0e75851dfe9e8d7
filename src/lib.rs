//! rumorgraph: trace how a claim travels through the media.
//!
//! A researcher writes down who reported which claim and whom each report
//! attributed it to; rumorgraph answers where the claim started, how many
//! genuinely independent origins stand behind it, whether it is single-sourced
//! or circular, and draws the diagram.
//!
//! The flow is one-way: [`load`] reads case files into a [`model::Case`] with
//! interned ids; [`graph`] builds each claim's citation graphs; [`analysis`]
//! computes the figures; [`export`] writes them in every format (text, JSON,
//! the check lines, Graphviz, GEXF, GraphML, CSV tables, W3C PROV).

pub mod analysis;
pub mod app;
pub mod cli;
pub mod diag;
pub mod error;
pub mod export;
pub mod graph;
pub mod load;
pub mod model;
pub mod output;

pub use diag::{Diagnostic, Severity};
pub use error::{Error, Result};
