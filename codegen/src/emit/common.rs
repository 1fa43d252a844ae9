//! Token helpers shared by the emitters: identifiers, docs and type paths.

use std::cell::Cell;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, quote};

use crate::ir::RustType;

/// An identifier from a name the IR already made safe (`r#type` included).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Tokens that `quote!` moves into its output rather than copies.
///
/// Interpolating a `TokenStream` (`#tokens`) copies every token of it, one allocation per
/// identifier and literal, and the original is then dropped; emitters that nest paid
/// that at every level. A `Splice` hands its tokens over instead, so it can be
/// interpolated once only: a second time adds nothing.
pub struct Splice(Cell<Option<TokenStream>>);

impl Splice {
    /// Wraps `tokens` to be moved into the next `quote!` that interpolates them.
    pub fn new(tokens: TokenStream) -> Self {
        Splice(Cell::new(Some(tokens)))
    }
}

impl ToTokens for Splice {
    fn to_tokens(&self, out: &mut TokenStream) {
        if let Some(tokens) = self.0.take() {
            out.extend(tokens);
        }
    }
}

/// One `#[doc]` attribute per line, so prettyplease prints `///` comments rather than
/// one `/** */` block.
pub fn doc(text: &str) -> TokenStream {
    let lines: Vec<String> = text
        .trim_end()
        .lines()
        .map(|line| format!(" {}", line.trim_end()))
        .collect();
    quote! { #( #[doc = #lines] )* }
}

/// `doc`, then a blank doc line and `more`.
pub fn doc_with(text: &str, more: &str) -> TokenStream {
    doc(&format!("{}\n\n{}", text.trim_end(), more))
}

/// `#[deprecated]` when `deprecated`.
pub fn deprecated(deprecated: bool) -> TokenStream {
    if deprecated {
        quote! { #[deprecated] }
    } else {
        TokenStream::new()
    }
}

/// The Rust type of a value, with absolute paths so that model names cannot shadow them.
pub fn rust_type(ty: &RustType) -> TokenStream {
    match ty {
        RustType::String => quote! { ::std::string::String },
        RustType::Bool => quote! { bool },
        RustType::I32 => quote! { i32 },
        RustType::I64 => quote! { i64 },
        RustType::F64 => quote! { f64 },
        RustType::Money => quote! { crate::runtime::Decimal },
        RustType::Date => quote! { crate::runtime::NaiveDate },
        RustType::DateTime => quote! { crate::runtime::NaiveDateTime },
        RustType::Time => quote! { crate::runtime::LocalTime },
        RustType::EpochSeconds => quote! { crate::runtime::EpochSeconds },
        RustType::EpochMillis => quote! { crate::runtime::EpochMillis },
        RustType::Id => quote! { crate::runtime::Id },
        RustType::Json => quote! { ::serde_json::Value },
        RustType::List(inner) => {
            let inner = Splice::new(rust_type(inner));
            quote! { ::std::vec::Vec<#inner> }
        }
        RustType::Map(inner) => {
            let inner = Splice::new(rust_type(inner));
            quote! { ::std::collections::BTreeMap<::std::string::String, #inner> }
        }
        RustType::Model(name, _) => {
            let name = ident(name);
            quote! { crate::generated::models::#name }
        }
    }
}

/// The type a builder method accepts for a value: `impl Into<…>` where that saves the
/// caller a conversion (strings and ids), the type itself otherwise.
pub fn argument_type(ty: &RustType) -> TokenStream {
    match ty {
        RustType::String => quote! { impl ::std::convert::Into<::std::string::String> },
        RustType::Id => quote! { impl ::std::convert::Into<crate::runtime::Id> },
        other => rust_type(other),
    }
}

/// Whether `argument_type` takes `impl Into`, so the value needs `.into()`.
pub fn argument_converts(ty: &RustType) -> bool {
    matches!(ty, RustType::String | RustType::Id)
}
