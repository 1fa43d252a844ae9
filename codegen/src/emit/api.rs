//! Emits `src/generated/api.rs`: the API's static description for the runtime, the
//! `Environment` enum and the client constructors.

use proc_macro2::TokenStream;
use quote::quote;

use super::Piece;
use super::common::{doc, doc_with, ident};
use crate::ir::Ir;

/// The file's path inside the client crate.
pub const PATH: &str = "src/generated/api.rs";

/// The file's only piece: it is small, about thirty model fields' worth of work (see
/// `Piece::weight`).
pub fn pieces(ir: &Ir) -> Vec<Piece<'_>> {
    vec![Piece::new(30, move || emit(ir))]
}

/// The file's tokens.
fn emit(ir: &Ir) -> TokenStream {
    let api_name = &ir.api.name;
    let auth_header = &ir.api.auth_header;
    let lib = &ir.api.lib_name;
    let env_specs = ir.environments.iter().map(|e| {
        let (name, base_url, key_prefix) = (&e.wire_name, &e.base_url, &e.key_prefix);
        quote! { crate::runtime::EnvironmentSpec { name: #name, base_url: #base_url, key_prefix: #key_prefix } }
    });
    let version_specs = ir.versions.iter().map(|v| {
        let (name, prefix, legacy) = (&v.wire_name, &v.prefix, &v.legacy_prefixes);
        quote! { crate::runtime::VersionSpec { name: #name, prefix: #prefix, legacy_prefixes: &[#(#legacy),*] } }
    });
    let variants: Vec<_> = ir.environments.iter().map(|e| ident(&e.variant)).collect();
    let indexes: Vec<usize> = (0..ir.environments.len()).collect();
    let variant_defs = ir.environments.iter().zip(&variants).map(|(e, v)| {
        let docs = doc_with(
            &e.doc,
            &format!(
                "Base URL `{}`; keys start with `{}`.",
                e.base_url, e.key_prefix
            ),
        );
        let default = if e.is_default {
            quote! { #[default] }
        } else {
            TokenStream::new()
        };
        quote! { #docs #default #v, }
    });
    let default_env = ir
        .environments
        .iter()
        .find(|e| e.is_default)
        .unwrap_or(&ir.environments[0]);
    let default_variant = ident(&default_env.variant);
    let example = format!(
        "```no_run\n\
         use {lib}::{{Client, Environment}};\n\n\
         # fn main() -> Result<(), {lib}::Error> {{\n\
         let key = std::env::var(\"API_KEY\").unwrap_or_default();\n\
         let client = Client::builder(Environment::{variant}).key(key).build()?;\n\
         # let _ = client;\n\
         # Ok(())\n\
         # }}\n\
         ```",
        variant = default_env.variant,
    );
    let builder_doc = doc_with(
        "Starts a client for one of the API's environments. Add a key with `.key(…)` to reach \
         the operations that need one; `.build()` checks that the key fits the environment.",
        &example,
    );
    let environment_doc = doc(&format!("The deployments of the {api_name}."));
    let auth_doc = doc(&ir.api.auth_doc);
    quote! {
        #![doc = " The API's environments and the client constructors."]

        /// The static description of the API that the runtime works from.
        pub(crate) static API: crate::runtime::ApiSpec = crate::runtime::ApiSpec {
            name: #api_name,
            crate_name: env!("CARGO_PKG_NAME"),
            crate_version: env!("CARGO_PKG_VERSION"),
            auth_header: #auth_header,
            environments: &[#(#env_specs),*],
            versions: &[#(#version_specs),*],
        };

        #environment_doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub enum Environment {
            #(#variant_defs)*
        }

        impl Environment {
            /// Every environment.
            pub const ALL: &'static [Environment] = &[#(Environment::#variants),*];

            /// The environment's name in the API description.
            pub fn name(self) -> &'static str {
                self.spec().name
            }

            /// The origin requests go to.
            pub fn base_url(self) -> &'static str {
                self.spec().base_url
            }

            /// The prefix of the keys this environment accepts.
            pub fn key_prefix(self) -> &'static str {
                self.spec().key_prefix
            }

            fn spec(self) -> &'static crate::runtime::EnvironmentSpec {
                match self {
                    #(Environment::#variants => &API.environments[#indexes],)*
                }
            }
        }

        /// The name of the request header that carries the key.
        #auth_doc
        pub const AUTH_HEADER: &str = #auth_header;

        impl crate::runtime::Client<crate::runtime::NoKey> {
            #builder_doc
            pub fn builder(environment: Environment) -> crate::runtime::ClientBuilder<crate::runtime::NoKey> {
                crate::runtime::ClientBuilder::new(&API, environment.spec())
            }

            /// Starts a client for another origin: another host of an environment, or a
            /// local server in tests. Plain `http` is accepted only for loopback hosts.
            pub fn builder_with_base_url(base_url: impl ::std::convert::Into<::std::string::String>) -> crate::runtime::ClientBuilder<crate::runtime::NoKey> {
                crate::runtime::ClientBuilder::with_base_url(&API, base_url)
            }

            /// A client for the default environment without a key.
            pub fn new() -> ::std::result::Result<Self, crate::runtime::Error> {
                Self::builder(Environment::#default_variant).build()
            }
        }
    }
}
