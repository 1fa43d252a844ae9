//! The API description language: load a YAML description, check it, and hand the
//! generator a resolved [`Spec`].
//!
//! ```no_run
//! let loaded = spec::load("spec/headout.yaml").unwrap_or_else(|problems| {
//!     eprintln!("{problems}");
//!     std::process::exit(1);
//! });
//! println!("{} operations", loaded.spec.operations.len());
//! ```

pub mod diag;
pub mod examples;
mod load;
pub mod model;
mod raw;
pub mod types;
mod yaml;

pub use diag::{Diagnostic, Diagnostics, Position, Severity, YamlPath};
pub use load::{Loaded, load, load_str};
pub use model::*;
