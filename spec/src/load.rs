//! Loading: text → YAML nodes → serde shapes → checked, resolved [`Spec`].
//!
//! Each entry of each section (one environment, one model, one operation) is decoded
//! on its own so that one broken entry does not hide the problems of the others, and
//! every problem found is reported, sorted by position.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde::de::DeserializeOwned;

use crate::diag::{Diagnostic, Diagnostics, Position, Segment, Severity, YamlPath};
use crate::model::*;
use crate::raw::*;
use crate::types;
use crate::yaml::{self, Node, Scalar, SourceMap};

/// A valid description and the warnings it produced.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The description.
    pub spec: Spec,
    /// Problems that do not stop generation (e.g. unused models).
    pub warnings: Diagnostics,
}

/// Reads and checks a description file.
pub fn load(path: impl AsRef<Path>) -> Result<Loaded, Diagnostics> {
    let path = path.as_ref();
    match std::fs::read_to_string(path) {
        Ok(text) => load_str(path, &text),
        Err(error) => Err(Diagnostics(vec![Diagnostic {
            severity: Severity::Error,
            file: path.to_path_buf(),
            position: None,
            path: YamlPath::root(),
            message: format!("cannot read the description: {error}"),
            help: Some("pass the path of an API description, e.g. spec/headout.yaml".into()),
        }])),
    }
}

/// Checks a description given as text; `file` names it in messages.
pub fn load_str(file: impl Into<PathBuf>, text: &str) -> Result<Loaded, Diagnostics> {
    let mut cx = Cx {
        file: file.into(),
        map: SourceMap::default(),
        diagnostics: Vec::new(),
        failed: BTreeSet::new(),
    };
    let spec = check(&mut cx, text);
    let mut diagnostics = Diagnostics(cx.diagnostics);
    diagnostics.sort();
    match spec {
        Some(spec) if !diagnostics.has_errors() => Ok(Loaded {
            spec,
            warnings: diagnostics,
        }),
        _ => Err(diagnostics),
    }
}

/// The start of a file, where problems about the whole file point.
const START: Position = Position { line: 1, column: 1 };

/// The loading context: where problems go and how they are located.
struct Cx {
    file: PathBuf,
    map: SourceMap,
    diagnostics: Vec<Diagnostic>,
    /// Entries that did not decode. Their problem is already reported, so references to
    /// them are not reported again as undefined.
    failed: BTreeSet<YamlPath>,
}

impl Cx {
    fn report(
        &mut self,
        severity: Severity,
        path: &YamlPath,
        message: String,
        help: Option<String>,
    ) {
        self.diagnostics.push(Diagnostic {
            severity,
            file: self.file.clone(),
            // A problem with nothing better to point at is about the whole file.
            position: self.map.position(path).or(Some(START)),
            path: path.clone(),
            message,
            help,
        });
    }

    fn error(&mut self, path: &YamlPath, message: impl Into<String>, help: impl Into<String>) {
        let help = help.into();
        let help = (!help.is_empty()).then_some(help);
        self.report(Severity::Error, path, message.into(), help);
    }

    /// Whether the entry at `path`, or the section holding it, was present but did not
    /// decode (or is a required section that is missing).
    fn failed(&self, path: &YamlPath) -> bool {
        let mut path = path.clone();
        loop {
            if self.failed.contains(&path) {
                return true;
            }
            if path.0.is_empty() {
                return false;
            }
            path = path.parent();
        }
    }

    fn warn(&mut self, path: &YamlPath, message: impl Into<String>, help: impl Into<String>) {
        let help = help.into();
        let help = (!help.is_empty()).then_some(help);
        self.report(Severity::Warning, path, message.into(), help);
    }

    /// Decodes one entry, reporting a shape error at its exact location.
    fn decode<T: DeserializeOwned>(&mut self, path: &YamlPath, node: Node) -> Option<T> {
        match yaml::decode(&node) {
            Ok(value) => Some(value),
            Err(error) => {
                let at = path.join(&error.path);
                let (message, mut help) = explain_shape_error(&error.message);
                // In a flow mapping, an unquoted `,` ends the value: the rest of the text
                // becomes a key of its own, with no value.
                if message.starts_with("unknown key")
                    && let Some(Segment::Key(key)) = error.path.0.last()
                    && key.contains(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                    && yaml::get(&node, &error.path)
                        .is_some_and(|n| matches!(yaml::scalar(n), Scalar::Null))
                {
                    help = format!(
                        "this looks like the end of a value cut off at a `,`: inside `{{ … }}` a comma ends the value, so quote the whole value, e.g. `doc: \"…, {key}\"`"
                    );
                }
                self.error(&at, message, help);
                self.failed.insert(path.clone());
                None
            }
        }
    }

    /// Decodes a whole section. A section written as nothing (`models:` with no entries)
    /// is an empty section.
    fn decode_section<T: DeserializeOwned + Default>(
        &mut self,
        path: &YamlPath,
        node: Node,
    ) -> Option<T> {
        if matches!(yaml::scalar(&node), Scalar::Null) {
            return Some(T::default());
        }
        self.decode(path, node)
    }
}

/// Rewrites serde's messages in the description's own words, with what to write instead.
fn explain_shape_error(message: &str) -> (String, String) {
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let unknown = rest.split('`').next().unwrap_or_default();
        let expected = &quoted[1.min(quoted.len())..];
        let help = match nearest(unknown, expected.iter().copied()) {
            Some(near) => format!(
                "did you mean `{near}`? Keys allowed here: {}",
                expected.join(", ")
            ),
            None if expected.is_empty() => "remove it: this mapping takes no keys".to_string(),
            None => format!("keys allowed here: {}", expected.join(", ")),
        };
        return (format!("unknown key `{unknown}`"), help);
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let unknown = rest.split('`').next().unwrap_or_default();
        let expected = &quoted[1.min(quoted.len())..];
        let help = match nearest(unknown, expected.iter().copied()) {
            Some(near) => format!(
                "did you mean `{near}`? Allowed values: {}",
                expected.join(", ")
            ),
            None => format!("allowed values: {}", expected.join(", ")),
        };
        return (format!("unknown value `{unknown}`"), help);
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let missing = rest.split('`').next().unwrap_or_default();
        return (
            format!("missing key `{missing}`"),
            format!("add `{missing}: …` to this mapping"),
        );
    }
    let wrong = message
        .strip_prefix("invalid type: ")
        .map(|rest| ("wrong type", rest));
    let wrong = wrong.or_else(|| {
        message
            .strip_prefix("invalid value: ")
            .map(|rest| ("wrong value", rest))
    });
    if let Some((what, rest)) = wrong
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        let found = match found {
            "unit value" => "nothing".to_string(),
            "sequence" => "a list".to_string(),
            "map" => "a mapping".to_string(),
            "floating point" => "a number".to_string(),
            other => other
                .replace("floating point", "the number")
                .replace("integer", "the number")
                .replace("boolean", "the boolean")
                .replace("string", "the text"),
        };
        let (expected, help) = match expected {
            "a boolean" => (
                "`true` or `false`".to_string(),
                "write `true` or `false`".to_string(),
            ),
            "a string" => {
                let help = if found.starts_with("a list") || found.starts_with("a mapping") {
                    "write text; quote it if it starts with `[` or `{`, or contains `: `"
                } else {
                    "write text, quoted so YAML reads it as text"
                };
                ("text".to_string(), help.to_string())
            }
            "u32" | "u64" | "u16" | "u8" | "usize" => (
                "a whole number, 0 or more".to_string(),
                "write a whole number such as 25".to_string(),
            ),
            "a sequence" => (
                "a list".to_string(),
                "write a list: `[a, b]`, or one `- item` per line".to_string(),
            ),
            "a map" => (
                "a mapping".to_string(),
                "write `key: value` entries, indented under this key".to_string(),
            ),
            other if other.starts_with("struct ") => (
                "a mapping".to_string(),
                "write `key: value` entries, indented under this key".to_string(),
            ),
            other if other.starts_with("one of ") || other.starts_with('`') => {
                let words: Vec<&str> = other.split('`').skip(1).step_by(2).collect();
                (
                    other.to_string(),
                    format!("write one of: {}", words.join(", ")),
                )
            }
            other => (
                other.to_string(),
                "write a value of the expected type".to_string(),
            ),
        };
        return (format!("{what}: found {found}, expected {expected}"), help);
    }
    (message.to_string(), String::new())
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub(crate) fn nearest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::osa_distance(&word_lower, &c.to_lowercase()), c))
        .filter(|(distance, c)| *distance <= (c.len().max(word.len()) / 4).max(1))
        .min()
        .map(|(_, c)| c)
}

/// Words that YAML 1.1 tools read as booleans. `serde_yaml` reads them as text, but a
/// description is also read by other tools and people; an unquoted `NO` (Norway) must be
/// quoted so that it means the same everywhere.
const YAML11_BOOLEANS: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
    "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
];

/// Reads a node that must be a string, reporting values YAML turned into something else.
fn wire_string(cx: &mut Cx, path: &YamlPath, node: &Node, what: &str) -> Option<String> {
    // The value as written, for the messages: `False` rather than the boolean `false`.
    let written = cx.map.plain_text(path).map(str::to_string);
    let unquoted = |became: &str| {
        let text = written.clone().unwrap_or_default();
        (
            format!("{what} `{text}` is unquoted, so YAML reads it as {became}, not as text"),
            format!("quote it: \"{text}\""),
        )
    };
    match yaml::scalar(node) {
        Scalar::Str(text) => {
            if written.is_some() && YAML11_BOOLEANS.contains(&text) {
                cx.error(
                    path,
                    format!("{what} `{text}` is unquoted; YAML 1.1 tools read it as a boolean"),
                    format!("quote it: \"{text}\""),
                );
            }
            Some(text.to_string())
        }
        Scalar::Bool(_) | Scalar::Int(_) | Scalar::Float(_) | Scalar::Null
            if written.as_deref().is_some_and(|w| !w.is_empty()) =>
        {
            let became = match yaml::scalar(node) {
                Scalar::Bool(_) => "a boolean",
                Scalar::Null => "null (nothing)",
                _ => "a number",
            };
            let (message, help) = unquoted(became);
            cx.error(path, message, help);
            None
        }
        Scalar::Bool(b) => {
            cx.error(
                path,
                format!("{what} became the boolean `{b}`"),
                "quote it as it appears on the wire",
            );
            None
        }
        Scalar::Int(_) | Scalar::Float(_) => {
            cx.error(
                path,
                format!("{what} became a number"),
                "quote it as it appears on the wire",
            );
            None
        }
        Scalar::Null => {
            cx.error(
                path,
                format!("{what} is empty"),
                "write the value, quoted if in doubt",
            );
            None
        }
        Scalar::Collection => {
            cx.error(
                path,
                format!("{what} must be text, not a list or mapping"),
                "write the value as text, quoted if it starts with `[` or `{`",
            );
            None
        }
    }
}

/// Checks that names which differ as written do not collide once cased for Rust.
/// Names that break their own naming rule are left out: that rule's error says enough.
fn check_collisions<'a>(
    cx: &mut Cx,
    what: &str,
    names: impl IntoIterator<Item = (&'a str, YamlPath)>,
    case: fn(&str) -> String,
) {
    let wire = matches!(what, "field" | "parameter" | "enum value");
    let mut names: Vec<(&str, YamlPath, String)> = names
        .into_iter()
        .filter(|(name, _)| match what {
            "model" => types::is_model_name(name),
            _ if wire => true,
            _ => is_plain_name(name),
        })
        .map(|(name, path)| (name, path, case(name)))
        .collect();
    // Most descriptions have no collision, and finding the file order below costs a
    // source map lookup per name: look for one first.
    let mut cased: Vec<&str> = names.iter().map(|(_, _, cased)| cased.as_str()).collect();
    cased.sort_unstable();
    if cased.windows(2).all(|pair| pair[0] != pair[1]) {
        return;
    }
    // In file order, so that the error is on the second name a reader meets. Each
    // position is looked up once, not once per comparison (the sort is stable).
    names.sort_by_cached_key(|(_, path, _)| {
        let position = cx.map.position(path);
        (position.is_none(), position)
    });
    let mut seen: BTreeMap<String, (String, YamlPath)> = BTreeMap::new();
    for (name, path, cased) in names {
        if let Some((first, _)) = seen.get(&cased) {
            let help = if wire {
                format!(
                    "both are sent on the wire as written, so a client cannot hold both: if `{name}` is a mistake for `{first}`, remove it"
                )
            } else {
                format!("rename one of them; `{first}` is already taken")
            };
            cx.error(
                &path,
                format!("{what} `{name}` collides with `{first}`: both become `{cased}` in Rust"),
                help,
            );
        } else {
            seen.insert(cased, (name.to_string(), path));
        }
    }
}

fn snake(name: &str) -> String {
    name.to_snake_case()
}

fn pascal(name: &str) -> String {
    name.to_upper_camel_case()
}

/// Whether `name` can name an operation, resource, version, environment or style:
/// lower-case ASCII words joined by `-` or `_`.
fn is_plain_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

fn check_plain_name(cx: &mut Cx, path: &YamlPath, what: &str, name: &str) -> bool {
    if is_plain_name(name) {
        return true;
    }
    cx.error(
        path,
        format!("{what} name `{name}` is not a plain lower-case name"),
        format!(
            "use lower-case letters, digits, `-` and `_`, starting with a letter, e.g. `{}`",
            name.to_snake_case()
        ),
    );
    false
}

fn check_doc(cx: &mut Cx, path: &YamlPath, doc: &str) {
    if doc.trim().is_empty() {
        cx.error(
            &path.key("doc"),
            "the doc is empty",
            "say in a sentence what this is; it becomes rustdoc",
        );
    }
}

/// The whole check. Returns the spec when every part could be built; errors may still
/// have been reported, which the caller checks.
fn check(cx: &mut Cx, text: &str) -> Option<Spec> {
    let root = YamlPath::root();
    let (map, node) = yaml::parse(text);
    cx.map = map;
    let node = match node {
        Ok(node) => node,
        Err(errors) => {
            for error in errors {
                cx.diagnostics.push(Diagnostic {
                    severity: Severity::Error,
                    file: cx.file.clone(),
                    position: error.position.or(Some(START)),
                    path: error.path,
                    message: error.message,
                    help: Some(error.help),
                });
            }
            return None;
        }
    };
    let Node::Mapping(mapping) = node else {
        let message = if matches!(yaml::scalar(&node), Scalar::Null) {
            "the description is empty"
        } else {
            "the description must be a mapping with `api`, `environments`, `auth`, `versions` and `operations`"
        };
        cx.error(&root, message, "start from the example in spec/README.md");
        return None;
    };
    let raw = decode_document(cx, mapping);

    let api = raw.api.and_then(|node| check_api(cx, node));
    let environments = raw.environments.and_then(|raw| check_environments(cx, raw));
    let auth = raw.auth.and_then(|node| check_auth(cx, node));
    let pagination = check_pagination(cx, raw.pagination.unwrap_or_default());
    let raw_models = decode_models(cx, raw.models.unwrap_or_default());
    let mut types = TypeCx {
        models: raw_models
            .iter()
            .map(|(n, m)| (n.clone(), m.is_enum()))
            .collect(),
        used: BTreeSet::new(),
    };
    let versions = raw.versions.map(|raw| check_versions(cx, &mut types, raw));
    let versions = versions.unwrap_or_default();
    let operations = check_operations(
        cx,
        &mut types,
        &versions,
        &pagination,
        raw.operations.unwrap_or_default(),
        &raw_models,
    );
    let events = check_events(cx, &mut types, &versions, raw.events.unwrap_or_default());
    let example_exceptions = check_examples(cx, raw.examples);
    // Models reached from operations, versions and events are the roots of use; a model
    // used only by unused models is unused too.
    let roots = types.used.clone();
    let models = check_models(cx, &mut types, raw_models);
    // An unused model is worth a warning only once the description is otherwise sound:
    // an operation that failed to decode leaves its models looking unused.
    if cx.diagnostics.iter().all(|d| !d.is_error()) {
        report_unused_models(cx, &models, &roots);
    }

    Some(Spec {
        source: cx.file.clone(),
        api: api?,
        environments: environments?,
        auth: auth?,
        versions: versions.into_iter().map(|(_, v)| v).collect(),
        pagination,
        models,
        operations,
        events,
        example_exceptions,
    })
}

/// Splits the top-level mapping into its sections, reporting unknown and missing keys,
/// and decodes each section on its own. A section that is missing or does not decode is
/// marked failed, so that references into it are not reported again.
fn decode_document(cx: &mut Cx, mapping: yaml::Mapping) -> RawDocument {
    let root = YamlPath::root();
    let names: Vec<&str> = SECTIONS.iter().map(|(name, _)| *name).collect();
    let mut sections: BTreeMap<&'static str, Node> = BTreeMap::new();
    // Sections that an unknown key was probably meant to be: their absence is that
    // key's error, not another one.
    let mut misspelt: BTreeSet<&str> = BTreeSet::new();
    for (key, node) in mapping {
        let known = key.as_str().and_then(|key| {
            SECTIONS
                .iter()
                .map(|(name, _)| *name)
                .find(|name| *name == key)
        });
        match known {
            Some(name) => {
                sections.insert(name, node);
            }
            None => {
                let key = match yaml::scalar(&key) {
                    Scalar::Str(text) => text.to_string(),
                    Scalar::Null => "~".to_string(),
                    Scalar::Bool(b) => b.to_string(),
                    Scalar::Int(i) => i.to_string(),
                    Scalar::Float(f) => f.to_string(),
                    Scalar::Collection => "?".to_string(),
                };
                let help = match nearest(&key, names.iter().copied()) {
                    Some(near) => {
                        misspelt.insert(near);
                        format!(
                            "did you mean `{near}`? Keys allowed here: {}",
                            names.join(", ")
                        )
                    }
                    None => format!("keys allowed here: {}", names.join(", ")),
                };
                cx.error(&root.key(&key), format!("unknown key `{key}`"), help);
            }
        }
    }
    for (name, required) in SECTIONS {
        if *required && !sections.contains_key(name) {
            if !misspelt.contains(name) {
                cx.error(
                    &root,
                    format!("missing key `{name}`"),
                    format!("add the `{name}:` section"),
                );
            }
            cx.failed.insert(root.key(*name));
        }
    }
    let mut raw = RawDocument::default();
    for (name, node) in sections {
        let path = root.key(name);
        match name {
            "api" => raw.api = Some(node),
            "auth" => raw.auth = Some(node),
            "examples" => raw.examples = Some(node),
            "environments" => raw.environments = cx.decode_section(&path, node),
            "versions" => raw.versions = cx.decode_section(&path, node),
            "pagination" => raw.pagination = cx.decode_section(&path, node),
            "models" => raw.models = cx.decode_section(&path, node),
            "operations" => raw.operations = cx.decode_section(&path, node),
            "events" => raw.events = cx.decode_section(&path, node),
            _ => {}
        }
    }
    raw
}

fn check_api(cx: &mut Cx, node: Node) -> Option<Api> {
    let path = YamlPath::root().key("api");
    let raw: RawApi = cx.decode(&path, node)?;
    let valid_crate = raw
        .crate_name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase())
        && raw
            .crate_name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !valid_crate {
        cx.error(
            &path.key("crate"),
            format!("`{}` is not a valid crate name", raw.crate_name),
            format!(
                "use lower-case letters, digits, `-` and `_`, starting with a letter, e.g. `{}`",
                raw.crate_name
                    .to_lowercase()
                    .replace(|c: char| !c.is_ascii_alphanumeric() && c != '_', "-")
            ),
        );
    }
    check_doc(cx, &path, &raw.doc);
    Some(Api {
        name: raw.name,
        crate_name: raw.crate_name,
        doc: raw.doc,
    })
}

fn check_environments(cx: &mut Cx, raw: BTreeMap<String, Node>) -> Option<Vec<Environment>> {
    let section = YamlPath::root().key("environments");
    let mut environments = Vec::new();
    for (name, node) in raw {
        let path = section.key(&name);
        check_plain_name(cx, &path, "environment", &name);
        let Some(env) = cx.decode::<RawEnvironment>(&path, node) else {
            continue;
        };
        let url_path = path.key("base_url");
        match env.base_url.strip_prefix("https://") {
            None => cx.error(
                &url_path,
                format!("base URL `{}` is not HTTPS", env.base_url),
                format!("write `https://{}`: keys must never travel in clear text", env.base_url.split("://").last().unwrap_or_default()),
            ),
            Some(rest) if rest.is_empty() || rest.starts_with('/') => {
                cx.error(&url_path, format!("base URL `{}` has no host", env.base_url), "write the origin, e.g. `https://api.example.com`")
            }
            Some(rest) if rest.contains(|c: char| c == '?' || c == '#' || c.is_whitespace()) => cx.error(
                &url_path,
                format!("base URL `{}` has a query, a fragment or a space", env.base_url),
                "write the origin only, e.g. `https://api.example.com`: version prefixes and paths are added to it",
            ),
            Some(_) if env.base_url.ends_with('/') => cx.error(
                &url_path,
                format!("base URL `{}` ends with `/`", env.base_url),
                format!("write `{}`: version prefixes start with `/`", env.base_url.trim_end_matches('/')),
            ),
            Some(_) => {}
        }
        if env.key_prefix.is_empty() {
            cx.error(
                &path.key("key_prefix"),
                "the key prefix is empty",
                "write the prefix that this environment's keys start with, e.g. `pk_`",
            );
        }
        check_doc(cx, &path, &env.doc);
        environments.push((
            path,
            Environment {
                name,
                base_url: env.base_url,
                key_prefix: env.key_prefix,
                is_default: env.default,
                doc: env.doc,
            },
        ));
    }
    for (i, (path, env)) in environments.iter().enumerate() {
        for (_, other) in &environments[..i] {
            if !env.key_prefix.is_empty()
                && !other.key_prefix.is_empty()
                && (env.key_prefix.starts_with(&other.key_prefix)
                    || other.key_prefix.starts_with(&env.key_prefix))
            {
                let message = if env.key_prefix == other.key_prefix {
                    format!(
                        "key prefix `{}` is also the key prefix of environment `{}`",
                        env.key_prefix, other.name
                    )
                } else {
                    format!(
                        "key prefix `{}` overlaps the key prefix `{}` of environment `{}`",
                        env.key_prefix, other.key_prefix, other.name
                    )
                };
                let at = path.key("key_prefix");
                cx.error(&at, message, "give each environment a prefix of its own, so a key tells which environment it is for");
            }
        }
    }
    let defaults: Vec<&(YamlPath, Environment)> =
        environments.iter().filter(|(_, e)| e.is_default).collect();
    if environments.is_empty() {
        if cx.failed.iter().any(|p| p.parent() == section) {
            return None;
        }
        cx.error(&section, "no environment is described", "add one, e.g. `production: { base_url: https://…, key_prefix: pk_, default: true, doc: … }`");
        return None;
    }
    // An environment that did not decode may be the default one.
    let some_failed = cx.failed.iter().any(|p| p.parent() == section);
    match defaults.as_slice() {
        [] if some_failed => {}
        [] => cx.error(
            &section,
            "no environment is the default",
            "add `default: true` to the environment a client should use when none is named",
        ),
        [_] => {}
        [_, rest @ ..] => {
            for (path, env) in rest {
                cx.error(
                    &path.key("default"),
                    format!("environment `{}` is a second default", env.name),
                    "keep `default: true` on one environment only",
                );
            }
        }
    }
    Some(environments.into_iter().map(|(_, e)| e).collect())
}

fn check_auth(cx: &mut Cx, node: Node) -> Option<Auth> {
    let path = YamlPath::root().key("auth");
    let raw: RawAuth = cx.decode(&path, node)?;
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if raw.header.is_empty() || !raw.header.chars().all(token) {
        cx.error(
            &path.key("header"),
            format!("`{}` is not a valid HTTP header name", raw.header),
            "use letters, digits and `-`, e.g. `X-Api-Key`",
        );
    }
    check_doc(cx, &path, &raw.doc);
    Some(Auth {
        header: raw.header,
        doc: raw.doc,
    })
}

fn check_prefix(cx: &mut Cx, path: &YamlPath, prefix: &str) {
    if !prefix.starts_with('/')
        || (prefix.len() > 1 && prefix.ends_with('/'))
        || prefix.contains(char::is_whitespace)
    {
        cx.error(
            path,
            format!("path prefix `{prefix}` must start with `/` and not end with `/`"),
            format!("write `/{}`", prefix.trim_matches('/')),
        );
    }
}

fn check_pagination(cx: &mut Cx, raw: BTreeMap<String, Node>) -> BTreeMap<String, PaginationStyle> {
    let section = YamlPath::root().key("pagination");
    let mut styles = BTreeMap::new();
    for (name, node) in raw {
        let path = section.key(&name);
        check_plain_name(cx, &path, "pagination style", &name);
        let Some(raw) = cx.decode::<RawPagination>(&path, node) else {
            continue;
        };
        check_doc(cx, &path, &raw.doc);
        check_limits(cx, &path, raw.default_limit, raw.max_limit);
        if raw.offset_param == raw.limit_param {
            cx.error(
                &path.key("limit_param"),
                format!(
                    "the offset and the limit are both sent as `{}`",
                    raw.offset_param
                ),
                "give them different query parameter names",
            );
        }
        let mut fields: Vec<(&str, &str)> = vec![
            ("items_field", &raw.items_field),
            ("next_offset_field", &raw.next_offset_field),
        ];
        for (key, value) in [
            ("next_url_field", &raw.next_url_field),
            ("prev_url_field", &raw.prev_url_field),
            ("total_field", &raw.total_field),
        ] {
            if let Some(value) = value {
                fields.push((key, value));
            }
        }
        for (i, (key, value)) in fields.iter().enumerate() {
            if value.is_empty() {
                cx.error(
                    &path.key(*key),
                    format!("`{key}` is empty"),
                    "write the response field's name",
                );
            } else if let Some((other, _)) = fields[..i].iter().find(|(_, v)| v == value) {
                cx.error(
                    &path.key(*key),
                    format!("`{key}` and `{other}` both name the response field `{value}`"),
                    "each response field has one meaning",
                );
            }
        }
        styles.insert(
            name.clone(),
            PaginationStyle {
                name,
                offset_param: raw.offset_param,
                limit_param: raw.limit_param,
                offset_kind: raw.offset_kind,
                default_limit: raw.default_limit,
                max_limit: raw.max_limit,
                items_field: raw.items_field,
                next_url_field: raw.next_url_field,
                prev_url_field: raw.prev_url_field,
                total_field: raw.total_field,
                next_offset_field: raw.next_offset_field,
                doc: raw.doc,
            },
        );
    }
    styles
}

fn check_limits(cx: &mut Cx, path: &YamlPath, default_limit: Option<u32>, max_limit: Option<u32>) {
    for (key, value) in [("default_limit", default_limit), ("max_limit", max_limit)] {
        if value == Some(0) {
            cx.error(
                &path.key(key),
                format!("`{key}` is 0: no page could hold an item"),
                "write a positive number or leave it out",
            );
        }
    }
    if let (Some(default), Some(max)) = (default_limit, max_limit)
        && default > max
    {
        cx.error(
            &path.key("default_limit"),
            format!("the default limit {default} is above the maximum limit {max}"),
            "lower `default_limit` or raise `max_limit`",
        );
    }
}

/// A model as decoded, before its fields' types are resolved.
struct PendingModel {
    path: YamlPath,
    raw: RawModel,
}

impl PendingModel {
    fn is_enum(&self) -> bool {
        self.raw.values.is_some()
    }
}

fn decode_models(cx: &mut Cx, raw: BTreeMap<String, Node>) -> BTreeMap<String, PendingModel> {
    let section = YamlPath::root().key("models");
    let mut models = BTreeMap::new();
    check_collisions(
        cx,
        "model",
        raw.keys().map(|n| (n.as_str(), section.key(n))),
        pascal,
    );
    let names: BTreeSet<String> = raw.keys().cloned().collect();
    for (name, node) in raw {
        let path = section.key(&name);
        if !types::is_model_name(&name) {
            let pascal = name.to_upper_camel_case();
            let help = if names.contains(&pascal) {
                format!(
                    "model names start with a capital letter and use only letters and digits; `{pascal}` is already taken, so pick another name"
                )
            } else {
                format!(
                    "write `{pascal}`: model names start with a capital letter and use only letters and digits"
                )
            };
            cx.error(
                &path,
                format!("model name `{name}` is not PascalCase"),
                help,
            );
        }
        let Some(model) = cx.decode::<RawModel>(&path, node) else {
            continue;
        };
        match (&model.fields, &model.values) {
            (Some(_), Some(_)) => {
                cx.error(
                    &path,
                    format!("model `{name}` has both `fields` and `values`"),
                    "an object has `fields`, a string enum has `values`; keep one",
                );
                cx.failed.insert(path);
                continue;
            }
            (None, None) => {
                cx.error(
                    &path,
                    format!("model `{name}` has neither `fields` nor `values`"),
                    "add `fields:` for an object or `values:` for a string enum",
                );
                cx.failed.insert(path);
                continue;
            }
            _ => {}
        }
        models.insert(name, PendingModel { path, raw: model });
    }
    models
}

/// What type resolution needs: the model names (and which are enums) and the names used.
struct TypeCx {
    models: BTreeMap<String, bool>,
    used: BTreeSet<String>,
}

impl TypeCx {
    /// Resolves a type expression, reporting syntax errors and unknown names at `path`.
    fn resolve(&mut self, cx: &mut Cx, path: &YamlPath, text: &str) -> Option<TypeRef> {
        let expr = match types::parse_type(text) {
            Ok(expr) => expr,
            Err(message) => {
                let text = text.trim();
                // The innermost word, e.g. `strin` in `list<strin>`.
                let mut word = text;
                while let Some(inner) = word.split_once('<').map(|(_, inner)| inner) {
                    word = inner;
                }
                let word = word.trim_end_matches('>').trim();
                if self.models.contains_key(word) {
                    // A model whose name is not PascalCase: its definition is reported.
                    return None;
                }
                let help = if message.contains("without a closing") {
                    format!("close it: `{text}>`")
                } else if let Some((wrapper, _)) = text.split_once('<')
                    && !matches!(wrapper.trim(), "list" | "map")
                {
                    let inner = &text[wrapper.len() + 1..];
                    let inner = inner.strip_suffix('>').unwrap_or(inner);
                    let wanted = match wrapper.trim().to_lowercase().as_str() {
                        "map" | "dict" | "dictionary" | "hashmap" | "btreemap" | "object"
                        | "record" => "map",
                        _ => "list",
                    };
                    format!(
                        "write `{wanted}<{inner}>`: the only wrappers are `list<T>` and `map<T>`"
                    )
                } else {
                    self.suggest(word).unwrap_or_else(|| {
                        format!(
                            "write a scalar ({}), a model name, `list<T>` or `map<T>`",
                            ScalarType::ALL
                                .iter()
                                .map(|(_, n)| *n)
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    })
                };
                cx.error(path, message, help);
                return None;
            }
        };
        let mut names = Vec::new();
        types::named(&expr, &mut names);
        let mut ok = true;
        for name in names {
            if self.models.contains_key(&name) {
                self.used.insert(name);
            } else if cx.failed(&YamlPath::root().key("models").key(&name)) {
                ok = false;
            } else {
                ok = false;
                let help = match self.suggest(&name) {
                    Some(suggestion) => {
                        format!("{suggestion} Otherwise define `{name}` under `models:`")
                    }
                    None => format!("define `{name}` under `models:`"),
                };
                cx.error(
                    path,
                    format!("`{name}` is not a defined model or enum"),
                    help,
                );
            }
        }
        ok.then(|| types::resolve(&expr))
    }

    /// "did you mean …?" for a type name that is neither a scalar nor a defined model:
    /// the nearest scalar or model, or the scalar that other languages' names stand for.
    fn suggest(&self, word: &str) -> Option<String> {
        let scalars = ScalarType::ALL.iter().map(|(_, n)| *n);
        if let Some(near) = nearest(word, scalars.chain(self.models.keys().map(String::as_str))) {
            return Some(format!("did you mean `{near}`?"));
        }
        let meant = match word.to_lowercase().as_str() {
            "int" | "integer" | "i32" | "u32" | "short" => "`int32` or `int64`",
            "long" | "i64" | "u64" | "bigint" => "`int64`",
            "float" | "double" | "number" | "decimal" | "f32" | "f64" | "real" => {
                "`float64` (or `money` for amounts)"
            }
            "boolean" | "flag" => "`bool`",
            "str" | "text" | "char" | "varchar" => "`string`",
            "datetime" | "date-time" | "date_time" | "timestamp" | "instant" => {
                "`local_datetime`, `timestamp_ms` or `timestamp_s`"
            }
            "uri" | "link" | "href" => "`url`",
            "uuid" | "identifier" | "key" => "`id`",
            "object" | "any" | "value" | "dict" | "hash" => "`json`, a model, or `map<T>`",
            "array" | "list" | "vec" | "sequence" => "`list<T>`",
            "map" => "`map<T>`",
            _ => return None,
        };
        Some(format!("did you mean {meant}?"))
    }

    fn is_enum(&self, ty: &TypeRef) -> bool {
        matches!(ty, TypeRef::Model(name) if self.models.get(name) == Some(&true))
    }
}

fn check_models(
    cx: &mut Cx,
    types: &mut TypeCx,
    pending: BTreeMap<String, PendingModel>,
) -> BTreeMap<String, Model> {
    let mut models = BTreeMap::new();
    for (name, PendingModel { path, raw }) in pending {
        check_doc(cx, &path, &raw.doc);
        let kind = if let Some(values) = raw.values {
            ModelKind::Enum {
                values: check_enum_values(cx, &path.key("values"), values),
            }
        } else {
            let fields_path = path.key("fields");
            let raw_fields = raw.fields.unwrap_or_default();
            check_collisions(
                cx,
                "field",
                raw_fields.keys().map(|n| (n.as_str(), fields_path.key(n))),
                snake,
            );
            let mut fields = Vec::new();
            for (wire_name, node) in raw_fields {
                let field_path = fields_path.key(&wire_name);
                if wire_name.is_empty() {
                    cx.error(
                        &field_path,
                        "a field has an empty name",
                        "write the JSON key",
                    );
                }
                let Some(field) = cx.decode::<RawField>(&field_path, node) else {
                    continue;
                };
                check_doc(cx, &field_path, &field.doc);
                let Some(ty) = types.resolve(cx, &field_path.key("type"), &field.ty) else {
                    continue;
                };
                fields.push(Field {
                    wire_name,
                    ty,
                    required: field.required,
                    nullable: field.nullable,
                    deprecated: field.deprecated,
                    doc: field.doc,
                });
            }
            ModelKind::Object { fields }
        };
        models.insert(
            name.clone(),
            Model {
                name,
                doc: raw.doc,
                deprecated: raw.deprecated,
                kind,
            },
        );
    }
    models
}

fn check_enum_values(cx: &mut Cx, path: &YamlPath, nodes: Vec<Node>) -> Vec<EnumValue> {
    if nodes.is_empty() {
        cx.error(path, "the enum has no values", "list at least one value");
    }
    let mut values: Vec<(EnumValue, YamlPath)> = Vec::new();
    for (i, node) in nodes.into_iter().enumerate() {
        let item = path.index(i);
        let (value_node, value_path, doc, deprecated) = if yaml::is_mapping(&node) {
            let Some(raw) = cx.decode::<RawEnumValue>(&item, node) else {
                continue;
            };
            (raw.value, item.key("value"), raw.doc, raw.deprecated)
        } else {
            (node, item.clone(), None, false)
        };
        let Some(value) = wire_string(cx, &value_path, &value_node, "enum value") else {
            continue;
        };
        if value.is_empty() {
            cx.error(
                &value_path,
                "an enum value is empty",
                "write the value sent on the wire",
            );
            continue;
        }
        if let Some((first, _)) = values.iter().find(|(v, _)| v.value == value) {
            cx.error(
                &value_path,
                format!("enum value `{}` is listed twice", first.value),
                "remove the second one",
            );
            continue;
        }
        values.push((
            EnumValue {
                value,
                doc,
                deprecated,
            },
            value_path,
        ));
    }
    check_collisions(
        cx,
        "enum value",
        values.iter().map(|(v, p)| (v.value.as_str(), p.clone())),
        pascal,
    );
    values.into_iter().map(|(v, _)| v).collect()
}

fn check_versions(
    cx: &mut Cx,
    types: &mut TypeCx,
    raw: BTreeMap<String, Node>,
) -> Vec<(YamlPath, Version)> {
    let section = YamlPath::root().key("versions");
    let mut versions = Vec::new();
    check_collisions(
        cx,
        "version",
        raw.keys().map(|n| (n.as_str(), section.key(n))),
        snake,
    );
    for (name, node) in raw {
        let path = section.key(&name);
        check_plain_name(cx, &path, "version", &name);
        let Some(raw) = cx.decode::<RawVersion>(&path, node) else {
            continue;
        };
        check_doc(cx, &path, &raw.doc);
        check_prefix(cx, &path.key("prefix"), &raw.prefix);
        for (i, legacy) in raw.legacy_prefixes.iter().enumerate() {
            check_prefix(cx, &path.key("legacy_prefixes").index(i), legacy);
        }
        let error = raw
            .error
            .as_deref()
            .and_then(|e| types.resolve(cx, &path.key("error"), e));
        versions.push((
            path,
            Version {
                name,
                prefix: raw.prefix,
                legacy_prefixes: raw.legacy_prefixes,
                auth: raw.auth,
                error,
                doc: raw.doc,
            },
        ));
    }
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (path, version) in &versions {
        let prefixes = std::iter::once((path.key("prefix"), &version.prefix)).chain(
            version
                .legacy_prefixes
                .iter()
                .enumerate()
                .map(|(i, p)| (path.key("legacy_prefixes").index(i), p)),
        );
        for (at, prefix) in prefixes {
            match seen.get(prefix) {
                Some(owner) => cx.error(
                    &at,
                    format!("path prefix `{prefix}` is already used by version `{owner}`"),
                    "each prefix must lead to one version",
                ),
                None => {
                    seen.insert(prefix.clone(), version.name.clone());
                }
            }
        }
    }
    if versions.is_empty() && !cx.failed.iter().any(|p| p.parent() == section) {
        cx.error(
            &section,
            "no version is described",
            "add one, e.g. `v1: { prefix: /api/v1, auth: required, doc: … }`",
        );
    }
    versions
}

/// The `{placeholders}` of a path, in order, or a message saying why the path is malformed.
fn placeholders(path: &str) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err(format!("`}}` without a matching `{{` in `{path}`"));
        }
        let after = &rest[open + 1..];
        let Some(close) = after
            .find(['{', '}'])
            .filter(|&i| after[i..].starts_with('}'))
        else {
            return Err(format!("`{{` without a matching `}}` in `{path}`"));
        };
        let name = &after[..close];
        if name.is_empty() {
            return Err(format!("an empty `{{}}` placeholder in `{path}`"));
        }
        if name.contains(|c: char| c == '/' || c == '?' || c == '#' || c.is_whitespace()) {
            return Err(format!(
                "the placeholder `{{{name}}}` in `{path}` holds a `/`, `?`, `#` or a space"
            ));
        }
        if names.iter().any(|n| n == name) {
            return Err(format!(
                "the placeholder `{{{name}}}` appears twice in `{path}`"
            ));
        }
        names.push(name.to_string());
        rest = &after[close + 1..];
    }
    Ok(names)
}

/// A path with every placeholder written `{}`.
fn endpoint_shape(path: &str) -> String {
    let mut shape = String::with_capacity(path.len());
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                shape.push_str("{}");
            }
            '}' => inside = false,
            _ if !inside => shape.push(c),
            _ => {}
        }
    }
    shape
}

fn check_operations(
    cx: &mut Cx,
    types: &mut TypeCx,
    versions: &[(YamlPath, Version)],
    styles: &BTreeMap<String, PaginationStyle>,
    raw: RawOperations,
    models: &BTreeMap<String, PendingModel>,
) -> Vec<Operation> {
    let section = YamlPath::root().key("operations");
    let mut operations = Vec::new();
    let mut endpoints: Vec<(YamlPath, (Method, String), String)> = Vec::new();
    for (version_name, resources) in raw {
        let version_path = section.key(&version_name);
        let Some(version) = versions
            .iter()
            .map(|(_, v)| v)
            .find(|v| v.name == version_name)
        else {
            if cx.failed(&YamlPath::root().key("versions").key(&version_name)) {
                continue;
            }
            let help = match nearest(&version_name, versions.iter().map(|(_, v)| v.name.as_str())) {
                Some(near) => format!(
                    "did you mean `{near}`? Otherwise describe `{version_name}` under `versions:`"
                ),
                None => format!("describe `{version_name}` under `versions:`"),
            };
            cx.error(
                &version_path,
                format!(
                    "operations are listed under `{version_name}`, which is not a described version"
                ),
                help,
            );
            continue;
        };
        check_collisions(
            cx,
            "resource",
            resources.keys().map(|n| (n.as_str(), version_path.key(n))),
            snake,
        );
        for (resource, ops) in resources {
            let resource_path = version_path.key(&resource);
            check_plain_name(cx, &resource_path, "resource", &resource);
            check_collisions(
                cx,
                "operation",
                ops.keys().map(|n| (n.as_str(), resource_path.key(n))),
                snake,
            );
            for (name, node) in ops {
                let path = resource_path.key(&name);
                check_plain_name(cx, &path, "operation", &name);
                let Some(raw) = cx.decode::<RawOperation>(&path, node) else {
                    continue;
                };
                let Some(op) = check_operation(
                    cx,
                    types,
                    version,
                    styles,
                    models,
                    &path,
                    resource.clone(),
                    name,
                    raw,
                ) else {
                    continue;
                };
                // Placeholder names do not matter to the server: `/pets/{id}` and
                // `/pets/{petId}` are one endpoint.
                let shape = (
                    op.method,
                    format!("{}{}", version.prefix, endpoint_shape(&op.path)),
                );
                endpoints.push((
                    path.key("path"),
                    shape,
                    format!("{} {}{}", op.method.as_str(), version.prefix, op.path),
                ));
                operations.push(op);
            }
        }
    }
    // In file order, so that the error is on the second description a reader meets.
    endpoints.sort_by_cached_key(|(path, _, _)| {
        let position = cx.map.position(path);
        (position.is_none(), position)
    });
    let mut seen: BTreeMap<(Method, String), YamlPath> = BTreeMap::new();
    for (path, shape, written) in endpoints {
        match seen.get(&shape) {
            Some(first) => cx.error(
                &path,
                format!("`{written}` is already described by `{}`", first.parent()),
                "describe each endpoint once",
            ),
            None => {
                seen.insert(shape, path);
            }
        }
    }
    operations
}

#[allow(clippy::too_many_arguments)]
fn check_operation(
    cx: &mut Cx,
    types: &mut TypeCx,
    version: &Version,
    styles: &BTreeMap<String, PaginationStyle>,
    models: &BTreeMap<String, PendingModel>,
    path: &YamlPath,
    resource: String,
    name: String,
    raw: RawOperation,
) -> Option<Operation> {
    check_doc(cx, path, &raw.doc);
    let auth = match (version.auth, raw.auth) {
        (VersionAuth::Required, None | Some(OperationAuth::Required)) => OperationAuth::Required,
        (VersionAuth::Required, Some(other)) => {
            let written = if other == OperationAuth::None {
                "none"
            } else {
                "optional"
            };
            cx.error(
                &path.key("auth"),
                format!("`auth: {written}` in version `{}`, whose policy is `auth: required`: every operation of it needs the key", version.name),
                "remove `auth:` here (the operation inherits `required`), or change the version's policy to `per-operation`",
            );
            OperationAuth::Required
        }
        (VersionAuth::PerOperation, Some(auth)) => auth,
        (VersionAuth::PerOperation, None) => {
            cx.error(
                path,
                format!("missing `auth:`: version `{}` has the policy `per-operation`, so each operation says what it needs of the key", version.name),
                "add `auth: required`, `auth: optional` (works without, sent when present) or `auth: none`",
            );
            OperationAuth::Required
        }
    };

    let path_path = path.key("path");
    if !raw.path.starts_with('/') {
        cx.error(
            &path_path,
            format!("path `{}` must start with `/`", raw.path),
            format!("write `/{}`", raw.path),
        );
    }
    // A malformed path is reported once; its parameters are then not matched against it.
    let placeholders = match placeholders(&raw.path) {
        Ok(names) => Some(names),
        Err(message) => {
            cx.error(&path_path, message, "write each placeholder once, as `{name}` with a name of letters, digits, `-` or `_`");
            None
        }
    };

    let params_path = path.key("params");
    check_collisions(
        cx,
        "parameter",
        raw.params.keys().map(|n| (n.as_str(), params_path.key(n))),
        snake,
    );
    let mut params = Vec::new();
    // Parameters whose own entry is broken: already reported, so not matched to the path.
    let mut broken: BTreeSet<String> = BTreeSet::new();
    // Path parameters, by name, with where they are.
    let mut path_params: Vec<(String, YamlPath)> = Vec::new();
    for (wire_name, node) in raw.params {
        let param_path = params_path.key(&wire_name);
        let Some(param) = cx.decode::<RawParam>(&param_path, node) else {
            broken.insert(wire_name);
            continue;
        };
        check_doc(cx, &param_path, &param.doc);
        let Some(ty) = types.resolve(cx, &param_path.key("type"), &param.ty) else {
            broken.insert(wire_name);
            continue;
        };
        if param.location == ParamLocation::Path {
            path_params.push((wire_name.clone(), param_path.clone()));
            if param.default.is_some() {
                cx.error(
                    &param_path.key("default"),
                    "a path parameter cannot have a default",
                    "remove `default:`; every call gives the path parameters",
                );
            }
        }
        let is_scalar_like = match &ty {
            TypeRef::Scalar(ScalarType::Json) => false,
            TypeRef::Scalar(_) => true,
            TypeRef::Model(_) => types.is_enum(&ty),
            TypeRef::List(inner) => {
                param.location == ParamLocation::Query
                    && (matches!(**inner, TypeRef::Scalar(_)) || types.is_enum(inner))
            }
            TypeRef::Map(_) => false,
        };
        if !is_scalar_like {
            cx.error(
                &param_path.key("type"),
                format!(
                    "a {} parameter cannot be of type `{ty}`",
                    location_name(param.location)
                ),
                "use a scalar or an enum (a query parameter may also be a `list<…>` of them)",
            );
        }
        let required = param.required || param.location == ParamLocation::Path;
        if param.required && param.default.is_some() {
            cx.error(&param_path.key("default"), "a required parameter has a default", "remove `default:` or `required: true`: a default only means something when a call may leave the parameter out");
        }
        let default = match param.default {
            Some(node) => check_default(cx, &param_path.key("default"), &ty, &node, models),
            None => None,
        };
        params.push((
            placeholders.iter().flatten().position(|p| *p == wire_name),
            Param {
                wire_name,
                location: param.location,
                ty,
                required,
                default,
                deprecated: param.deprecated,
                doc: param.doc,
            },
        ));
    }
    if let Some(placeholders) = &placeholders {
        check_path_params(
            cx,
            &path_path,
            &raw.path,
            placeholders,
            &path_params,
            &params,
            &broken,
        );
    }
    params.sort_by(|(a_pos, a), (b_pos, b)| {
        (a_pos.is_none(), a_pos, a.location, &a.wire_name).cmp(&(
            b_pos.is_none(),
            b_pos,
            b.location,
            &b.wire_name,
        ))
    });
    let params: Vec<Param> = params.into_iter().map(|(_, p)| p).collect();

    let body = match raw.body.as_deref() {
        Some(body) => {
            if matches!(raw.method, Method::Get | Method::Delete) {
                cx.error(
                    &path.key("body"),
                    format!("a {} request carries no body", raw.method.as_str()),
                    "remove `body:` or change `method:`",
                );
            }
            types.resolve(cx, &path.key("body"), body)
        }
        None => None,
    };

    let response_path = path.key("response");
    let response = check_response(
        cx,
        types,
        styles,
        &response_path,
        raw.response,
        &params,
        &params_path,
    )?;
    let error = match raw.error.as_deref() {
        Some(error) => types.resolve(cx, &path.key("error"), error),
        None => version.error.clone(),
    };
    Some(Operation {
        version: version.name.clone(),
        resource,
        name,
        method: raw.method,
        path: raw.path,
        auth,
        doc: raw.doc,
        deprecated: raw.deprecated,
        params,
        body,
        response,
        error,
    })
}

/// Checks that the path's `{placeholders}` and the declared path parameters match, both
/// ways. One placeholder and one parameter that differ is one mistake, reported once.
fn check_path_params(
    cx: &mut Cx,
    path_path: &YamlPath,
    path: &str,
    placeholders: &[String],
    path_params: &[(String, YamlPath)],
    params: &[(Option<usize>, Param)],
    broken: &BTreeSet<String>,
) {
    let undeclared: Vec<&String> = placeholders
        .iter()
        .filter(|p| !broken.contains(*p) && !path_params.iter().any(|(name, _)| name == *p))
        .collect();
    let unplaced: Vec<&(String, YamlPath)> = path_params
        .iter()
        .filter(|(name, _)| !placeholders.contains(name))
        .collect();
    if let ([placeholder], [(name, _)]) = (undeclared.as_slice(), unplaced.as_slice()) {
        cx.error(
            path_path,
            format!("the path `{path}` has the placeholder `{{{placeholder}}}`, but its path parameter is called `{name}`"),
            format!("use one name for both: write `{{{name}}}` in the path, or rename the parameter to `{placeholder}`"),
        );
        return;
    }
    for placeholder in undeclared {
        let elsewhere = params
            .iter()
            .find(|(_, p)| p.wire_name == *placeholder)
            .map(|(_, p)| p.location);
        match elsewhere {
            Some(location) => cx.error(
                path_path,
                format!("the path has `{{{placeholder}}}`, but the parameter `{placeholder}` is declared `in: {}`", location_name(location)),
                format!("write `in: path` on the parameter `{placeholder}`"),
            ),
            None => cx.error(
                path_path,
                format!("the path has `{{{placeholder}}}` but no path parameter `{placeholder}` is declared"),
                format!("declare it under `params:`: `{placeholder}: {{ in: path, type: string, doc: … }}`"),
            ),
        }
    }
    for (name, param_path) in unplaced {
        cx.error(
            param_path,
            format!("path parameter `{name}` has no `{{{name}}}` in the path `{path}`"),
            match nearest(name, placeholders.iter().map(String::as_str)) {
                Some(near) => format!(
                    "did you mean `{near}`? Otherwise add `{{{name}}}` to the path or change `in:`"
                ),
                None => {
                    format!("add `{{{name}}}` to the path, or change `in:` to `query` or `header`")
                }
            },
        );
    }
}

fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}

fn check_default(
    cx: &mut Cx,
    path: &YamlPath,
    ty: &TypeRef,
    node: &Node,
    models: &BTreeMap<String, PendingModel>,
) -> Option<DefaultValue> {
    let scalar = yaml::scalar(node);
    let mismatch = |cx: &mut Cx, expected: &str| {
        let found = match &scalar {
            Scalar::Null => "nothing".to_string(),
            Scalar::Bool(b) => format!("the boolean `{b}`"),
            Scalar::Int(i) => format!("the number `{i}`"),
            Scalar::Float(f) => format!("the number `{f}`"),
            Scalar::Str(s) => format!("the string \"{s}\""),
            Scalar::Collection => "a list or mapping".to_string(),
        };
        cx.error(
            path,
            format!("the default is {found}, but the parameter's type is `{ty}`"),
            format!("write {expected}"),
        );
        None
    };
    match ty {
        TypeRef::Scalar(scalar_ty) => match (scalar_ty, &scalar) {
            (ScalarType::Bool, Scalar::Bool(b)) => Some(DefaultValue::Bool(*b)),
            (ScalarType::Bool, _) => mismatch(cx, "`true` or `false`"),
            (ScalarType::Int32, Scalar::Int(i)) if i32::try_from(*i).is_ok() => {
                Some(DefaultValue::Int(*i as i64))
            }
            (ScalarType::Int32, _) => mismatch(cx, "a whole number that fits in 32 bits"),
            (
                ScalarType::Int64 | ScalarType::TimestampMs | ScalarType::TimestampS,
                Scalar::Int(i),
            ) if i64::try_from(*i).is_ok() => Some(DefaultValue::Int(*i as i64)),
            (ScalarType::Int64 | ScalarType::TimestampMs | ScalarType::TimestampS, _) => {
                mismatch(cx, "a whole number")
            }
            (ScalarType::Float64 | ScalarType::Money, Scalar::Int(i)) => {
                Some(DefaultValue::Float(*i as f64))
            }
            (ScalarType::Float64 | ScalarType::Money, Scalar::Float(f)) => {
                Some(DefaultValue::Float(*f))
            }
            (ScalarType::Float64 | ScalarType::Money, _) => mismatch(cx, "a number"),
            (ScalarType::Id, Scalar::Int(i)) => Some(DefaultValue::String(i.to_string())),
            (ScalarType::Date, Scalar::Str(s)) if types::is_date(s) => {
                Some(DefaultValue::String(s.to_string()))
            }
            (ScalarType::Date, _) => mismatch(cx, "a date in quotes, e.g. \"2024-01-31\""),
            (ScalarType::Time, Scalar::Str(s)) if types::is_time(s) => {
                Some(DefaultValue::String(s.to_string()))
            }
            (ScalarType::Time, _) => mismatch(cx, "a time in quotes, e.g. \"09:30\""),
            (ScalarType::LocalDateTime, Scalar::Str(s)) if types::is_local_datetime(s) => {
                Some(DefaultValue::String(s.to_string()))
            }
            (ScalarType::LocalDateTime, _) => mismatch(
                cx,
                "a local date-time in quotes, e.g. \"2024-01-31T09:30:00\"",
            ),
            (ScalarType::Url, Scalar::Str(s)) if types::is_absolute_url(s) => {
                Some(DefaultValue::String(s.to_string()))
            }
            (ScalarType::Url, _) => mismatch(cx, "an absolute URL"),
            (ScalarType::String | ScalarType::Id, Scalar::Str(_)) => {
                wire_string(cx, path, node, "the default").map(DefaultValue::String)
            }
            (ScalarType::String | ScalarType::Id, _) => mismatch(
                cx,
                "a string, quoted if YAML could read it as something else",
            ),
            (ScalarType::Json, _) => {
                mismatch(cx, "nothing: a `json` parameter cannot have a default")
            }
        },
        TypeRef::Model(name) => {
            let values: Vec<String> = match models.get(name).and_then(|m| m.raw.values.as_ref()) {
                Some(values) => values
                    .iter()
                    .filter_map(|v| match yaml::scalar(v) {
                        Scalar::Str(s) => Some(s.to_string()),
                        _ => match v {
                            Node::Mapping(m) => {
                                m.get("value").and_then(|v| v.as_str()).map(str::to_string)
                            }
                            _ => None,
                        },
                    })
                    .collect(),
                None => {
                    return mismatch(cx, "nothing: only scalar and enum parameters have defaults");
                }
            };
            let all_strings = models
                .get(name)
                .and_then(|m| m.raw.values.as_ref())
                .is_some_and(|v| v.len() == values.len());
            let text = match scalar {
                Scalar::Str(_) => wire_string(cx, path, node, "the default")?,
                _ => return mismatch(cx, &format!("one of the values of `{name}` in quotes")),
            };
            if values.contains(&text) || !all_strings {
                // With an enum value that is itself broken, the enum's error says enough.
                Some(DefaultValue::String(text))
            } else {
                let help = match nearest(&text, values.iter().map(String::as_str)) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("write one of: {}", values.join(", ")),
                };
                cx.error(
                    path,
                    format!("the default `{text}` is not a value of the enum `{name}`"),
                    help,
                );
                None
            }
        }
        TypeRef::List(_) | TypeRef::Map(_) => {
            mismatch(cx, "nothing: list and map parameters cannot have defaults")
        }
    }
}

fn check_response(
    cx: &mut Cx,
    types: &mut TypeCx,
    styles: &BTreeMap<String, PaginationStyle>,
    path: &YamlPath,
    node: Node,
    params: &[Param],
    params_path: &YamlPath,
) -> Option<Response> {
    let raw: RawResponse = cx.decode(path, node)?;
    let paginated_only = [
        ("pagination", raw.pagination.is_some()),
        ("items_field", raw.items_field.is_some()),
        ("default_limit", raw.default_limit.is_some()),
        ("max_limit", raw.max_limit.is_some()),
    ];
    if raw.kind != ResponseKind::Paginated {
        for (key, present) in paginated_only {
            if present {
                cx.error(
                    &path.key(key),
                    format!("`{key}` is only for paginated responses, and this one is not"),
                    format!("remove `{key}:` or write `kind: paginated`"),
                );
            }
        }
    }
    let model = match raw.model.as_deref() {
        Some(model) => types.resolve(cx, &path.key("model"), model),
        None => None,
    };
    let kind_name = match raw.kind {
        ResponseKind::Json => "json",
        ResponseKind::Paginated => "paginated",
        ResponseKind::Html => "html",
        ResponseKind::Text => "text",
        ResponseKind::Empty => "empty",
    };
    match raw.kind {
        ResponseKind::Json => {
            if raw.model.is_none() {
                cx.error(
                    path,
                    "a JSON response needs `model:`",
                    "add `model: SomeModel` (or `list<SomeModel>`) for the response body",
                );
            }
            model.map(Response::Json)
        }
        ResponseKind::Html | ResponseKind::Text | ResponseKind::Empty => {
            if raw.model.is_some() {
                cx.error(
                    &path.key("model"),
                    format!("a `{kind_name}` response has no JSON model"),
                    "remove `model:` or write `kind: json`",
                );
            }
            Some(match raw.kind {
                ResponseKind::Html => Response::Html,
                ResponseKind::Text => Response::Text,
                _ => Response::Empty,
            })
        }
        ResponseKind::Paginated => {
            if raw.model.is_none() {
                cx.error(
                    path,
                    "a paginated response needs `model:`, the type of one item",
                    "add `model: SomeModel`",
                );
            }
            if let Some(TypeRef::List(item)) = &model {
                cx.error(
                    &path.key("model"),
                    format!("the model of a paginated response is the type of one item, not `list<{item}>`"),
                    format!("write `model: {item}`: the pagination style says where the list is"),
                );
                return None;
            }
            let Some(style_name) = raw.pagination.as_deref() else {
                let help = match styles.keys().next() {
                    Some(first) => format!("add `pagination: {first}` (styles are described under `pagination:`)"),
                    None => "describe a style under `pagination:` and name it here with `pagination: <style>`".to_string(),
                };
                cx.error(
                    path,
                    "a paginated response needs `pagination:`, the name of its pagination style",
                    help,
                );
                return None;
            };
            let Some(style) = styles.get(style_name) else {
                if cx.failed(&YamlPath::root().key("pagination").key(style_name)) {
                    return None;
                }
                let help = match nearest(style_name, styles.keys().map(String::as_str)) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("describe `{style_name}` under `pagination:`"),
                };
                cx.error(
                    &path.key("pagination"),
                    format!("`{style_name}` is not a described pagination style"),
                    help,
                );
                return None;
            };
            let mut style = style.clone();
            if let Some(items_field) = raw.items_field {
                if items_field.is_empty() {
                    cx.error(
                        &path.key("items_field"),
                        "`items_field` is empty",
                        "write the response field that holds the items",
                    );
                }
                style.items_field = items_field;
            }
            if raw.default_limit.is_some() {
                style.default_limit = raw.default_limit;
            }
            if raw.max_limit.is_some() {
                style.max_limit = raw.max_limit;
            }
            // The style's own limits are checked with the style; here only what the
            // operation overrides, against the limits that then apply.
            if raw.default_limit.is_some() || raw.max_limit.is_some() {
                check_limits(cx, path, raw.default_limit, raw.max_limit);
                if let (Some(default), Some(max)) = (style.default_limit, style.max_limit)
                    && default > max
                    && default > 0
                    && (raw.default_limit.is_none() || raw.max_limit.is_none())
                {
                    let (key, help) = if raw.default_limit.is_some() {
                        (
                            "default_limit",
                            format!(
                                "lower `default_limit` to at most {max}, the maximum of the style `{}`",
                                style.name
                            ),
                        )
                    } else {
                        (
                            "max_limit",
                            format!(
                                "raise `max_limit` to at least {default}, the default of the style `{}`",
                                style.name
                            ),
                        )
                    };
                    cx.error(
                        &path.key(key),
                        format!("the default limit {default} is above the maximum limit {max}"),
                        help,
                    );
                }
            }
            for param in params {
                if param.location == ParamLocation::Query
                    && (param.wire_name == style.offset_param
                        || param.wire_name == style.limit_param)
                {
                    cx.error(
                        &params_path.key(&param.wire_name),
                        format!("the query parameter `{}` is also a parameter of the pagination style `{}`", param.wire_name, style.name),
                        "remove it from `params:`: the pagination style sends it",
                    );
                }
            }
            Some(Response::Paginated(PaginationPlan {
                style,
                item: model?,
            }))
        }
    }
}

fn check_events(
    cx: &mut Cx,
    types: &mut TypeCx,
    versions: &[(YamlPath, Version)],
    raw: RawEvents,
) -> Vec<Event> {
    let section = YamlPath::root().key("events");
    let mut events = Vec::new();
    for (version, entries) in raw {
        let version_path = section.key(&version);
        if !versions.iter().any(|(_, v)| v.name == version) {
            if cx.failed(&YamlPath::root().key("versions").key(&version)) {
                continue;
            }
            cx.error(
                &version_path,
                format!("events are listed under `{version}`, which is not a described version"),
                format!("describe `{version}` under `versions:`"),
            );
            continue;
        }
        check_collisions(
            cx,
            "event",
            entries.keys().map(|n| (n.as_str(), version_path.key(n))),
            snake,
        );
        for (name, node) in entries {
            let path = version_path.key(&name);
            check_plain_name(cx, &path, "event", &name);
            let Some(raw) = cx.decode::<RawEvent>(&path, node) else {
                continue;
            };
            check_doc(cx, &path, &raw.doc);
            let Some(model) = types.resolve(cx, &path.key("model"), &raw.model) else {
                continue;
            };
            events.push(Event {
                version: version.clone(),
                name,
                model,
                doc: raw.doc,
            });
        }
    }
    events
}

fn check_examples(cx: &mut Cx, node: Option<Node>) -> Vec<ExampleException> {
    let Some(node) = node else { return Vec::new() };
    let path = YamlPath::root().key("examples");
    let Some(raw) = cx.decode::<RawExamples>(&path, node) else {
        return Vec::new();
    };
    let mut exceptions = Vec::new();
    for (i, exception) in raw.exceptions.into_iter().enumerate() {
        if exception.reason.trim().is_empty() {
            cx.error(
                &path.key("exceptions").index(i).key("reason"),
                "an accepted exception has no reason",
                "say why the description is right and the example is not",
            );
        }
        exceptions.push(ExampleException {
            file: exception.file,
            path: exception.path,
            reason: exception.reason,
        });
    }
    exceptions
}

fn report_unused_models(cx: &mut Cx, models: &BTreeMap<String, Model>, roots: &BTreeSet<String>) {
    let mut reached: BTreeSet<String> = BTreeSet::new();
    let mut stack: Vec<String> = roots.iter().cloned().collect();
    while let Some(name) = stack.pop() {
        if !reached.insert(name.clone()) {
            continue;
        }
        if let Some(Model {
            kind: ModelKind::Object { fields },
            ..
        }) = models.get(&name)
        {
            for field in fields {
                collect_models(&field.ty, &mut stack);
            }
        }
    }
    for name in models.keys() {
        if !reached.contains(name) {
            let path = YamlPath::root().key("models").key(name);
            cx.warn(
                &path,
                format!("model `{name}` is not used by any operation, version or event"),
                "remove it, or reference it where it belongs",
            );
        }
    }
}

fn collect_models(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Scalar(_) => {}
        TypeRef::List(inner) | TypeRef::Map(inner) => collect_models(inner, out),
        TypeRef::Model(name) => out.push(name.clone()),
    }
}
