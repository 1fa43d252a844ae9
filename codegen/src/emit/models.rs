//! Emits `src/generated/models.rs`: one struct per object model, one enum per string
//! enum, each with serde that reads and writes the wire names.

use proc_macro2::TokenStream;
use quote::quote;

use super::Piece;
use super::common::{Splice, deprecated, doc, ident, rust_type};
use crate::ir::{FieldIr, Ir, ModelIr, ModelKindIr, RustType, VariantIr};

/// The file's path inside the client crate.
pub const PATH: &str = "src/generated/models.rs";

/// The file's pieces: its inner attributes, then one piece per model.
pub fn pieces(ir: &Ir) -> Vec<Piece<'_>> {
    let head = Piece::new(1, || {
        quote! {
            #![doc = " The request and response types of the API."]
            #![allow(deprecated)]
        }
    });
    let models = ir.models.iter().map(|m| {
        // A field or a variant costs about one unit (see `Piece::weight`).
        let weight = match &m.kind {
            ModelKindIr::Object(fields) => 1 + fields.len(),
            ModelKindIr::Enum { variants, .. } => 2 + variants.len(),
        };
        Piece::new(weight, move || model(m))
    });
    std::iter::once(head).chain(models).collect()
}

fn model(model: &ModelIr) -> TokenStream {
    match &model.kind {
        ModelKindIr::Object(fields) => object(model, fields),
        ModelKindIr::Enum { variants, unknown } => enumeration(model, variants, unknown),
    }
}

fn object(model: &ModelIr, fields: &[FieldIr]) -> TokenStream {
    let name = ident(&model.name);
    let docs = Splice::new(doc(&model.doc));
    let deprecated = deprecated(model.deprecated);
    let fields = fields.iter().map(|f| Splice::new(field(f)));
    // A struct only read from answers may gain fields when the server adds them; being
    // `#[non_exhaustive]`, adding them to the description is not a breaking change for
    // code outside the crate. Structs that requests carry must stay constructible.
    let non_exhaustive = if model.sent {
        TokenStream::new()
    } else {
        quote! { #[non_exhaustive] }
    };
    quote! {
        #docs
        #deprecated
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #non_exhaustive
        pub struct #name {
            #(#fields)*
        }
    }
}

fn field(field: &FieldIr) -> TokenStream {
    let name = ident(&field.field);
    let wire = &field.wire_name;
    let docs = doc(&field.doc);
    let deprecated = deprecated(field.deprecated);
    let inner = rust_type(&field.ty);
    let money = matches!(field.ty, RustType::Money);
    let collection = matches!(field.ty, RustType::List(_) | RustType::Map(_));
    // Amounts inside lists and maps travel as JSON numbers too, like a single amount;
    // `Decimal`'s own serde would write them as strings.
    let nested_money = collection && holds_money(&field.ty);
    // An absent list is an empty list, not `None`: callers iterate without unwrapping.
    let (ty, serde) = if field.optional && collection {
        let skip = if matches!(field.ty, RustType::List(_)) {
            "::std::vec::Vec::is_empty"
        } else {
            "::std::collections::BTreeMap::is_empty"
        };
        let with = if nested_money {
            quote! {
                serialize_with = "crate::runtime::money_serde_nested::serialize",
                deserialize_with = "crate::runtime::money_serde_nested::deserialize_or_default",
            }
        } else {
            quote! { deserialize_with = "crate::runtime::null_as_default", }
        };
        (
            inner,
            quote! { #[serde(rename = #wire, default, #with skip_serializing_if = #skip)] },
        )
    } else if nested_money {
        (
            inner,
            quote! { #[serde(rename = #wire, with = "crate::runtime::money_serde_nested")] },
        )
    } else if field.optional && money {
        (
            quote! { ::std::option::Option<#inner> },
            quote! { #[serde(rename = #wire, default, with = "crate::runtime::money_serde_opt", skip_serializing_if = "::std::option::Option::is_none")] },
        )
    } else if field.optional {
        (
            quote! { ::std::option::Option<#inner> },
            quote! { #[serde(rename = #wire, default, skip_serializing_if = "::std::option::Option::is_none")] },
        )
    } else if money {
        (
            inner,
            quote! { #[serde(rename = #wire, with = "crate::runtime::money_serde")] },
        )
    } else {
        (inner, quote! { #[serde(rename = #wire)] })
    };
    let ty = Splice::new(ty);
    quote! {
        #docs
        #deprecated
        #serde
        pub #name: #ty,
    }
}

/// Whether `ty` is money, or a list or map whose values are, at any depth. A model is
/// not: its own fields say how they travel.
fn holds_money(ty: &RustType) -> bool {
    match ty {
        RustType::Money => true,
        RustType::List(inner) | RustType::Map(inner) => holds_money(inner),
        _ => false,
    }
}

fn enumeration(model: &ModelIr, variants: &[VariantIr], unknown: &str) -> TokenStream {
    let name = ident(&model.name);
    let docs = doc(&model.doc);
    let deprecated_attr = deprecated(model.deprecated);
    let unknown = ident(unknown);
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.variant)).collect();
    let wires: Vec<&str> = variants.iter().map(|v| v.wire_value.as_str()).collect();
    let variant_defs = variants.iter().zip(&idents).map(|(v, id)| {
        let text = v
            .doc
            .clone()
            .unwrap_or_else(|| format!("`{}`", v.wire_value));
        let docs = doc(&text);
        let deprecated = deprecated(v.deprecated);
        Splice::new(quote! { #docs #deprecated #id, })
    });
    let unknown_doc = doc(
        "A value this version of the client does not know. The server may add values at any \
         time; the value is kept as sent so that nothing is lost and it serialises back unchanged.",
    );
    quote! {
        #docs
        #deprecated_attr
        // Values the description adds later must not break a caller's `match`, which has
        // to handle the catch-all anyway.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_defs)*
            #unknown_doc
            #unknown(::std::string::String),
        }

        impl #name {
            /// Every value the description lists, in its order.
            pub const KNOWN: &'static [#name] = &[#(#name::#idents),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#name::#idents => #wires,)*
                    #name::#unknown(value) => value.as_str(),
                }
            }

            /// Reads a wire value; values the description does not list are kept in the
            /// catch-all variant.
            pub fn from_wire(value: &str) -> Self {
                match value {
                    #(#wires => #name::#idents,)*
                    other => #name::#unknown(::std::string::ToString::to_string(other)),
                }
            }

            /// Whether the value is one the description does not list.
            pub fn is_unknown(&self) -> bool {
                matches!(self, #name::#unknown(_))
            }
        }

        // Display, FromStr, serde and ToParam all go through `as_str` and `from_wire`;
        // the runtime writes them once for every enum.
        crate::runtime::wire_enum!(#name);
    }
}
