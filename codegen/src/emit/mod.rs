//! The emitters: one module per generated file, each turning the IR into tokens.
//!
//! An emitter hands back its file as a list of [`Piece`]s, in order: each piece is one or
//! more whole top-level items (the first piece also carries the file's inner attributes),
//! so the driver can parse and format runs of pieces on their own, in parallel, and join
//! the texts.

pub mod api;
pub mod common;
pub mod models;
pub mod version;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Ir;

/// The path of the generated module's root inside the client crate.
pub const MOD_PATH: &str = "src/generated/mod.rs";

/// One or more whole top-level items of a file, emitted on demand.
///
/// The tokens are produced by a closure rather than held, because `proc_macro2` token
/// streams cannot move between threads: the thread that formats a piece emits it too.
pub struct Piece<'a> {
    /// A rough measure of the piece's cost to emit, parse and format, used to split a
    /// file into runs of similar cost. The unit is about what one field of a model costs
    /// (some ten microseconds on a current machine).
    pub weight: usize,
    emit: Box<dyn Fn() -> TokenStream + Sync + 'a>,
}

impl<'a> Piece<'a> {
    /// A piece of `weight` whose tokens `emit` produces.
    pub fn new(weight: usize, emit: impl Fn() -> TokenStream + Sync + 'a) -> Self {
        Piece {
            weight,
            emit: Box::new(emit),
        }
    }

    /// The piece's tokens.
    pub fn emit(&self) -> TokenStream {
        (self.emit)()
    }
}

/// Every generated file, as its path and its pieces; `generate` sorts them by path.
pub fn files(ir: &Ir) -> Vec<(String, Vec<Piece<'_>>)> {
    let mut files = vec![
        (MOD_PATH.to_string(), vec![Piece::new(3, || emit_mod(ir))]),
        (api::PATH.to_string(), api::pieces(ir)),
        (models::PATH.to_string(), models::pieces(ir)),
    ];
    for version in &ir.versions {
        files.push((version::path(version), version::pieces(ir, version)));
    }
    files
}

/// Emits `src/generated/mod.rs`, which declares the other generated files.
pub fn emit_mod(ir: &Ir) -> TokenStream {
    let versions = ir.versions.iter().map(|v| common::ident(&v.module));
    quote! {
        #![doc = " Code generated from the API description. The hand-written runtime is in `crate::runtime`."]

        mod api;
        pub mod models;
        #(pub mod #versions;)*

        pub use api::*;
    }
}
