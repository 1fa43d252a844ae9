//! Every Rust name the generator emits comes from here: casing with `heck`, keyword
//! escaping, leading digits, and collisions inside one scope.

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

/// Hands out names within one scope, suffixing a number when a name is already taken
/// (two wire names that case to the same Rust name, or a name the scope reserves).
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope in which `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// `ident`, or `ident2`, `ident3`… if it is taken.
    pub fn claim(&mut self, ident: Ident) -> Ident {
        let base = ident.to_string();
        let plain = base.trim_start_matches("r#").to_string();
        if self.taken.insert(plain.clone()) {
            return ident;
        }
        let mut n = 2;
        loop {
            let candidate = format!("{plain}{n}");
            if self.taken.insert(candidate.clone()) {
                return Ident::new(&candidate, Span::call_site());
            }
            n += 1;
        }
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
        let mut scope = Scope::with_reserved(&["Unknown"]);
        assert_eq!(scope.claim(pascal("UNKNOWN")).to_string(), "Unknown2");
        assert_eq!(scope.claim(snake("type")).to_string(), "r#type");
        assert_eq!(scope.claim(snake("type")).to_string(), "type2");
    }
}
