//! Type expressions (`list<Product>`, `map<string>`, `local_datetime`) and the text
//! formats of the date and time scalars.

use crate::model::{ScalarType, TypeRef};

/// A type expression as written, before model names are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeExpr {
    /// A scalar name.
    Scalar(ScalarType),
    /// `list<T>`
    List(Box<TypeExpr>),
    /// `map<T>`
    Map(Box<TypeExpr>),
    /// A model name.
    Named(String),
}

/// Parses a type expression. The error says what was expected.
pub fn parse_type(text: &str) -> Result<TypeExpr, String> {
    let text = text.trim();
    for (wrapper, make) in [
        ("list", TypeExpr::List as fn(Box<TypeExpr>) -> TypeExpr),
        ("map", TypeExpr::Map),
    ] {
        if let Some(rest) = text.strip_prefix(wrapper).map(str::trim_start)
            && let Some(rest) = rest.strip_prefix('<')
        {
            let Some(inner) = rest.strip_suffix('>') else {
                return Err(format!("`{text}` opens `<` without a closing `>`"));
            };
            return Ok(make(Box::new(parse_type(inner)?)));
        }
    }
    if text.is_empty() {
        return Err("the type is empty".to_string());
    }
    if let Some(scalar) = ScalarType::from_name(text) {
        return Ok(TypeExpr::Scalar(scalar));
    }
    if is_model_name(text) {
        return Ok(TypeExpr::Named(text.to_string()));
    }
    Err(format!(
        "`{text}` is neither a scalar type nor a model name"
    ))
}

/// Whether `name` can name a model: PascalCase ASCII letters and digits.
pub fn is_model_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase()) && chars.all(|c| c.is_ascii_alphanumeric())
}

/// Every model name a type expression mentions.
pub fn named(expr: &TypeExpr, out: &mut Vec<String>) {
    match expr {
        TypeExpr::Scalar(_) => {}
        TypeExpr::List(inner) | TypeExpr::Map(inner) => named(inner, out),
        TypeExpr::Named(name) => out.push(name.clone()),
    }
}

/// Turns a parsed expression into a resolved type (names must already be checked).
pub fn resolve(expr: &TypeExpr) -> TypeRef {
    match expr {
        TypeExpr::Scalar(s) => TypeRef::Scalar(*s),
        TypeExpr::List(inner) => TypeRef::List(Box::new(resolve(inner))),
        TypeExpr::Map(inner) => TypeRef::Map(Box::new(resolve(inner))),
        TypeExpr::Named(name) => TypeRef::Model(name.clone()),
    }
}

fn digits(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Whether `text` is a calendar date written `yyyy-MM-dd`.
pub fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (digits(y), digits(m), digits(d)) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// Whether `text` is a time of day written `HH:mm`, optionally with `:ss`.
pub fn is_time(text: &str) -> bool {
    let parts: Vec<&str> = text.split(':').collect();
    let two = |s: &str, max: u32| s.len() == 2 && digits(s).is_some_and(|v| v <= max);
    match parts.as_slice() {
        [h, m] => two(h, 23) && two(m, 59),
        [h, m, s] => two(h, 23) && two(m, 59) && two(s, 59),
        _ => false,
    }
}

/// Whether `text` is a local date-time `YYYY-MM-DDThh:mm:ss` with no offset.
pub fn is_local_datetime(text: &str) -> bool {
    match text.split_once('T') {
        Some((date, time)) => is_date(date) && time.len() == 8 && is_time(time),
        None => false,
    }
}

/// Whether `text` looks like an absolute URL (`scheme://host…`).
pub fn is_absolute_url(text: &str) -> bool {
    match text.split_once("://") {
        Some((scheme, rest)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !rest.is_empty()
                && !rest.starts_with('/')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_types() {
        assert_eq!(
            parse_type("list<map<Product>>"),
            Ok(TypeExpr::List(Box::new(TypeExpr::Map(Box::new(
                TypeExpr::Named("Product".into())
            )))))
        );
        assert_eq!(
            parse_type(" money "),
            Ok(TypeExpr::Scalar(ScalarType::Money))
        );
        assert!(parse_type("list<string").unwrap_err().contains("closing"));
        assert!(parse_type("strin").unwrap_err().contains("neither"));
        assert!(parse_type("").is_err());
    }

    #[test]
    fn checks_date_and_time_formats() {
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2024-13-01"));
        assert!(!is_date("24-01-01"));
        assert!(is_time("09:30"));
        assert!(!is_time("24:00"));
        assert!(is_local_datetime("2017-04-12T19:30:00"));
        assert!(!is_local_datetime("2017-04-12T19:30:00Z"));
        assert!(!is_local_datetime("2017-04-12 19:30:00"));
        assert!(is_absolute_url("https://www.headout.com/x"));
        assert!(!is_absolute_url("/api/public/v2/cities/"));
    }
}
