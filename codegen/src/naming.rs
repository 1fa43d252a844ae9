//! Every Rust name the generator emits comes from here: casing with `heck`, keyword
//! escaping, leading digits, and collisions inside one scope, including with the names
//! the generated code and the runtime use themselves (see [`Scope`] for the rules).

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Keywords of every edition, strict and reserved. `r#` escapes all of them except the
/// few that cannot be raw identifiers.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that `r#` cannot escape; they get a trailing underscore instead.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Makes `name` a usable identifier: a leading digit gets a prefix, keywords are
/// escaped, and an empty name becomes `prefix`.
fn identifier(name: String, prefix: &str) -> Ident {
    let name = if name.is_empty() {
        prefix.to_string()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{prefix}{name}")
    } else {
        name
    };
    if NOT_RAW.contains(&name.as_str()) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if KEYWORDS.contains(&name.as_str()) {
        Ident::new_raw(&name, Span::call_site())
    } else {
        Ident::new(&name, Span::call_site())
    }
}

/// Keeps only characters that may appear in an identifier, so wire names such as
/// `fetch-variants` or `e-mail address` case cleanly.
fn clean(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// `snake_case` for fields, methods, parameters and modules.
pub fn snake(name: &str) -> Ident {
    identifier(clean(name).to_snake_case(), "n")
}

/// `PascalCase` for types and enum variants.
pub fn pascal(name: &str) -> Ident {
    identifier(clean(name).to_upper_camel_case(), "V")
}

/// `PascalCase` joined from several parts, e.g. resource and operation.
pub fn pascal_join(parts: &[&str]) -> Ident {
    let joined: String = parts
        .iter()
        .map(|p| clean(p).to_upper_camel_case())
        .collect();
    identifier(joined, "V")
}

/// `SCREAMING_SNAKE_CASE` for constants and statics.
pub fn screaming(parts: &[&str]) -> Ident {
    let joined = parts
        .iter()
        .map(|p| clean(p).to_snake_case().to_uppercase())
        .collect::<Vec<_>>()
        .join("_");
    identifier(joined, "C")
}

/// Modules beside the version modules: `crate::generated::{api, models}`, and the client
/// crate's root modules `runtime` and `generated`, which `pub use generated::*` would
/// otherwise hide a version module behind.
pub const RESERVED_MODULES: &[&str] = &["api", "generated", "models", "runtime"];

/// Every method a client already has: the runtime's inherent methods on
/// `crate::runtime::Client` (private ones too, since two inherent methods of one name
/// are an error whatever their visibility), the constructors `emit::api` adds, and the
/// methods of the traits `Client` implements, which a version accessor of the same name
/// would hide from the runtime's own calls. `codegen/tests/generate.rs` reads the runtime
/// and fails when a method is missing here.
pub const CLIENT_METHODS: &[&str] = &[
    "api",
    "attempt",
    "base_url",
    "builder",
    "builder_with_base_url",
    "clone",
    "clone_from",
    "decode_error",
    "decode_json",
    "decode_json_tracked",
    "decode_page",
    "decode_page_tracked",
    "environment",
    "execute",
    "finish_page",
    "fmt",
    "has_key",
    "headers_for",
    "items",
    "max_pages",
    "new",
    "pages",
    "scrub",
    "send_empty",
    "send_json",
    "send_page",
    "send_text",
    "url_for",
];

/// The methods of the traits that every generated namespace and request builder
/// derives (`Clone`, `Debug`). An inherent method of the same name would win over them
/// in method calls, so that `builder.clone()` would call a setter.
pub const DERIVED_METHODS: &[&str] = &["clone", "clone_from", "fmt"];

/// Types every version file declares besides its resources and builders: the generic
/// parameter `A` of the key state (the version's own type is reserved per version).
pub const RESERVED_VERSION_TYPES: &[&str] = &["A"];

/// What a request builder already has besides the [`DERIVED_METHODS`], so that no
/// parameter's field or setter may take it: the fields `client` and `body`, and the
/// methods `send` and `request`. A paginated builder also has `limit`, `offset`, `pages`
/// and `items`, which are both fields and methods.
pub const RESERVED_BUILDER_NAMES: &[&str] = &["body", "client", "request", "send"];

/// See [`RESERVED_BUILDER_NAMES`]: what a paginated builder adds.
pub const RESERVED_PAGINATED_BUILDER_NAMES: &[&str] = &["items", "limit", "offset", "pages"];

/// The catch-all variant of every generated enum, `Unknown(String)`.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// Hands out names within one scope.
///
/// # Collisions
///
/// A name the generated code itself uses in a scope is *reserved* there; a name from the
/// description that cases to a reserved one gets a suffix that says what it is, given
/// with [`Scope::claim_or`], so that the generated name never moves and the
/// description's name stays recognisable:
///
/// | scope | reserved | suffix | example |
/// |---|---|---|---|
/// | version modules and `Client` accessors | [`RESERVED_MODULES`], [`CLIENT_METHODS`] | `_version` | version `new` → `client.new_version()`, module `new_version` |
/// | types of a version file | the version's type, [`RESERVED_VERSION_TYPES`] | `Version` / `Resource` / `Request` | version `a` → `AVersion`, resource `a` → `AResource` |
/// | resource accessors | [`DERIVED_METHODS`] | `_resource` | resource `clone` → `client.v1().clone_resource()` |
/// | operation methods | [`DERIVED_METHODS`] | `_operation` | operation `clone` → `.clone_operation(…)` |
/// | request builder fields and setters | [`RESERVED_BUILDER_NAMES`], [`DERIVED_METHODS`] (and [`RESERVED_PAGINATED_BUILDER_NAMES`]) | `_param` | query parameter `send` → `.send_param(…)` |
/// | enum variants | [`UNKNOWN_VARIANT`] | `Value` | wire value `UNKNOWN` → `UnknownValue`, beside the catch-all `Unknown(String)` |
///
/// The loader rejects two names of one scope that case to the same identifier. Where
/// two still meet (a resource `books-list` beside the builder of `books` / `list`, or a
/// suffixed name that the description also uses), the later one gets a number:
/// `BooksList2`.
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
    reserved: BTreeSet<String>,
}

impl Scope {
    /// A scope in which `reserved` names are already used by the generated code.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: BTreeSet::new(),
            reserved: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// `ident`, or `ident2`, `ident3`… if it is taken or reserved.
    pub fn claim(&mut self, ident: Ident) -> Ident {
        let plain = unraw(&ident);
        if !self.reserved.contains(&plain) && self.taken.insert(plain) {
            return ident;
        }
        self.numbered(&unraw(&ident))
    }

    /// Like [`Scope::claim`], but a reserved name first gets `suffix`: `send` with
    /// `_param` becomes `send_param`.
    pub fn claim_or(&mut self, ident: Ident, suffix: &str) -> Ident {
        let plain = unraw(&ident);
        if !self.reserved.contains(&plain) {
            return self.claim(ident);
        }
        // The suffixed name is claimed in turn, so that one the description also uses
        // gets a number rather than a duplicate.
        self.claim(identifier(format!("{plain}{suffix}"), ""))
    }

    /// `plain2`, `plain3`…: the first that is neither taken nor reserved.
    fn numbered(&mut self, plain: &str) -> Ident {
        let mut n = 2;
        loop {
            let candidate = format!("{plain}{n}");
            if !self.reserved.contains(&candidate) && self.taken.insert(candidate.clone()) {
                return Ident::new(&candidate, Span::call_site());
            }
            n += 1;
        }
    }
}

/// The name without the `r#` of a raw identifier, as the scope compares names.
fn unraw(ident: &Ident) -> String {
    let text = ident.to_string();
    match text.strip_prefix("r#") {
        Some(raw) => raw.to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_and_escapes() {
        assert_eq!(snake("startDateTime").to_string(), "start_date_time");
        assert_eq!(snake("fetch-variants").to_string(), "fetch_variants");
        assert_eq!(snake("type").to_string(), "r#type");
        assert_eq!(snake("self").to_string(), "self_");
        assert_eq!(pascal("ZH_HANS").to_string(), "ZhHans");
        assert_eq!(pascal("self").to_string(), "Self_");
        assert_eq!(pascal("3D").to_string(), "V3d");
        assert_eq!(pascal("").to_string(), "V");
        assert_eq!(
            pascal_join(&["products", "list-by-city"]).to_string(),
            "ProductsListByCity"
        );
        assert_eq!(
            screaming(&["products", "list"]).to_string(),
            "PRODUCTS_LIST"
        );
    }

    #[test]
    fn scope_suffixes_collisions() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim(snake("type")).to_string(), "r#type");
        assert_eq!(scope.claim(snake("type")).to_string(), "type2");
    }

    #[test]
    fn reserved_names_get_a_suffix_that_says_what_they_are() {
        let mut variants = Scope::with_reserved(&[UNKNOWN_VARIANT]);
        assert_eq!(
            variants.claim_or(pascal("UNKNOWN"), "Value").to_string(),
            "UnknownValue"
        );
        assert_eq!(
            variants
                .claim_or(pascal("unknown_value"), "Value")
                .to_string(),
            "UnknownValue2"
        );
        assert_eq!(
            variants.claim_or(pascal("type"), "Value").to_string(),
            "Type"
        );

        let mut versions = Scope::with_reserved(CLIENT_METHODS);
        assert_eq!(
            versions.claim_or(snake("new"), "_version").to_string(),
            "new_version"
        );
        assert_eq!(
            versions.claim_or(snake("async"), "_version").to_string(),
            "r#async"
        );

        let mut params = Scope::with_reserved(RESERVED_BUILDER_NAMES);
        assert_eq!(
            params.claim_or(snake("send"), "_param").to_string(),
            "send_param"
        );
        // `claim` never hands out a reserved name either, but numbers it.
        assert_eq!(params.claim(snake("request")).to_string(), "request2");
    }
}
