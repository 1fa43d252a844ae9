//! The emitters: one module per generated file, each turning the IR into tokens.

pub mod api;
pub mod common;
pub mod models;
pub mod version;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Ir;

/// The path of the generated module's root inside the client crate.
pub const MOD_PATH: &str = "src/generated/mod.rs";

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
