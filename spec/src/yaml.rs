//! The one place that touches YAML libraries: parsing text into nodes, decoding nodes
//! into the serde shapes of `raw`, and a source map from YAML paths to line and column.
//!
//! `serde_yaml` 0.9 is deprecated upstream but works; keeping every use of it here means
//! swapping it for another YAML library touches this file only. The source map comes
//! from `saphyr-parser`'s event stream, because `serde_yaml` values carry no positions
//! and do not say whether a scalar was quoted.

use std::collections::HashMap;

use serde::de::DeserializeOwned;

use crate::diag::{Position, Segment, YamlPath};

/// A parsed YAML node.
pub type Node = serde_yaml::Value;

/// A parsed YAML mapping.
pub type Mapping = serde_yaml::Mapping;

/// A document that could not be read into nodes: broken YAML syntax, a key written
/// twice in one mapping, or a value no YAML node can hold.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    /// Where the problem is, when the parser can say.
    pub position: Option<Position>,
    /// The node the problem is about, when the source map can tell.
    pub path: YamlPath,
    /// What is wrong.
    pub message: String,
    /// What to write instead.
    pub help: String,
}

/// Parses a whole document. `<<` merge keys are applied so maintainers can share
/// blocks with anchors. `map` is the document's source map; it locates the problems
/// that `serde_yaml` reports without a path, and finds every duplicate key rather than
/// the first one only.
pub fn parse(text: &str, map: &SourceMap) -> Result<Node, Vec<SyntaxError>> {
    let mut node: Node =
        serde_yaml::from_str(text).map_err(|error| explain_parse_error(text, map, &error))?;
    node.apply_merge()
        .map_err(|error| explain_parse_error(text, map, &error))?;
    Ok(node)
}

/// Turns a `serde_yaml` parse error into located problems with advice.
fn explain_parse_error(text: &str, map: &SourceMap, error: &serde_yaml::Error) -> Vec<SyntaxError> {
    let position = error.location().map(|l| Position {
        line: l.line(),
        column: l.column(),
    });
    let full = error.to_string();
    if full.contains("duplicate entry") && !map.duplicates.is_empty() {
        return map
            .duplicates
            .iter()
            .map(|duplicate| SyntaxError {
                position: Some(duplicate.position),
                path: duplicate.path.clone(),
                message: format!(
                    "the key `{}` is written twice in this mapping; the first is at line {}, column {}",
                    duplicate.key, duplicate.first.line, duplicate.first.column
                ),
                help: "a mapping holds each key once: remove one of them, merge them, or rename one".to_string(),
            })
            .collect();
    }
    // Errors about one value (a number too large, a tag that does not fit) start with
    // the value's path; the source map finds the same node from its position.
    let position = match position {
        None if full.contains("more than one document") => {
            map.second_document.or_else(|| first_dedent(text))
        }
        position => position,
    };
    let path = position.and_then(|p| map.path_at(p)).unwrap_or_default();
    let mut message = strip_location(&full);
    let prefix = format!("{path}: ");
    if !path.0.is_empty()
        && let Some(rest) = message.strip_prefix(&prefix)
    {
        message = rest.to_string();
    }
    let (message, help) = if message.contains(" as u128") || message.contains(" as i128") {
        let number = message.split('`').nth(1).unwrap_or_default().to_string();
        (
            format!("the number `{number}` is too large: YAML numbers here must fit in 64 bits"),
            format!("write a smaller number, or quote it (\"{number}\") if it is text"),
        )
    } else {
        let help = syntax_help(text, position, &message);
        (format!("YAML syntax error: {message}"), help)
    };
    vec![SyntaxError {
        position,
        path,
        message,
        help,
    }]
}

/// Whether the `:` at `position` ends the first key of its line (`  key: …`), rather than
/// sitting inside a value (`doc: Note: …`).
fn key_starts_line(text: &str, position: Option<Position>) -> bool {
    let Some(position) = position else {
        return false;
    };
    let Some(line) = text.lines().nth(position.line.wrapping_sub(1)) else {
        return false;
    };
    let before: String = line
        .chars()
        .take(position.column.saturating_sub(1))
        .collect();
    let before = before.trim_start().trim_start_matches("- ");
    !before.is_empty() && !before.contains(": ")
}

/// The first line indented less than the document's first key: where a document whose
/// keys do not line up ends.
fn first_dedent(text: &str) -> Option<Position> {
    let content = |line: &&str| !line.trim().is_empty() && !line.trim_start().starts_with('#');
    let indent = |line: &str| line.len() - line.trim_start().len();
    let mut lines = text.lines().enumerate().filter(|(_, line)| content(line));
    let (_, first) = lines.next()?;
    let first_indent = indent(first);
    lines
        .find(|(_, line)| indent(line) < first_indent)
        .map(|(i, line)| Position {
            line: i + 1,
            column: indent(line) + 1,
        })
}

/// Advice for the common YAML mistakes, recognised from `libyaml`'s messages.
fn syntax_help(text: &str, position: Option<Position>, message: &str) -> String {
    let at = position.and_then(|p| {
        text.lines()
            .nth(p.line.wrapping_sub(1))
            .and_then(|line| line.chars().nth(p.column.wrapping_sub(1)))
    });
    let generic = "fix the YAML syntax first; no other check runs before the file parses";
    let specific = if at == Some('\t') || message.contains("tab character") {
        "indent with spaces: YAML does not allow tabs in indentation"
    } else if message.contains("mapping values are not allowed") && key_starts_line(text, position)
    {
        "this key is indented under a plain value rather than under a key: line it up with the keys of its mapping, or add the missing key (e.g. `fields:`) above it"
    } else if message.contains("mapping values are not allowed") {
        "a plain value cannot contain `: `; quote the whole value, e.g. `doc: \"Note: …\"`"
    } else if message.contains("expected ',' or ']'") {
        "close the `[` list with `]` on the same entry, or quote the value if the `[` is text"
    } else if message.contains("expected ',' or '}'") {
        "close the `{` mapping with `}` on the same entry, or quote the value if the `{` is text"
    } else if message.contains("quoted scalar") {
        "close the quoted string with the same quote that opens it"
    } else if message.contains("did not find expected key")
        || message.contains("did not find expected '-'")
    {
        "check the indentation: the keys of one mapping (and the `-` of one list) start in the same column"
    } else if message.contains("unknown anchor") {
        "define the anchor (`&name`) before an alias (`*name`) uses it"
    } else if message.contains("more than one document")
        && !text.lines().any(|line| line.starts_with("---"))
    {
        "the top-level keys must all start in the same column; this line is indented less than the first key, so the document ended before it"
    } else if message.contains("more than one document") {
        "keep one document: remove the `---` separator and everything after it, or merge the documents"
    } else if message.contains("recursion limit") {
        "nest less deeply, and make sure no anchor (`&name`) contains an alias to itself (`*name`)"
    } else if message.contains("repetition limit") {
        "aliases (`*name`) expand to too many nodes; write the shared parts out, or share fewer of them"
    } else if message.contains("merging") {
        "`<<:` takes a mapping (e.g. `<<: *defaults`) or a list of them"
    } else {
        return generic.to_string();
    };
    format!("{specific}; {generic}")
}

/// A node that did not fit its expected shape.
#[derive(Debug, Clone)]
pub struct ShapeError {
    /// The path of the offending node, relative to the decoded node.
    pub path: YamlPath,
    /// What serde said was wrong.
    pub message: String,
}

/// Decodes a node into one of the serde shapes, keeping the path of the first problem.
pub fn decode<T: DeserializeOwned>(node: &Node) -> Result<T, ShapeError> {
    serde_path_to_error::deserialize(node).map_err(|error| {
        let path = convert_path(error.path());
        let mut message = strip_location(&error.into_inner().to_string());
        // A value of the wrong type where a keyword (`GET`, `paginated`) belongs: serde
        // names the enum's internal type, not its words; asking again with a word that
        // is surely not one of them makes serde list them.
        if message.contains("Value::Tagged enum") {
            let expected = variants::<T>(node, &path)
                .unwrap_or_else(|| "one of the allowed words".to_string());
            message = message.replace("a Value::Tagged enum", &expected);
        }
        ShapeError { path, message }
    })
}

/// The path serde reported, as a [`YamlPath`].
fn convert_path(from: &serde_path_to_error::Path) -> YamlPath {
    let mut path = YamlPath::root();
    for segment in from.iter() {
        match segment {
            serde_path_to_error::Segment::Map { key } => path = path.key(key.clone()),
            serde_path_to_error::Segment::Seq { index } => path = path.index(*index),
            serde_path_to_error::Segment::Enum { variant } => path = path.key(variant.clone()),
            serde_path_to_error::Segment::Unknown => {}
        }
    }
    path
}

/// The words allowed for the keyword at `path`, as serde lists them (`one of `a`, `b``).
fn variants<T: DeserializeOwned>(node: &Node, path: &YamlPath) -> Option<String> {
    const PROBE: &str = "\u{1}";
    let mut probe = node.clone();
    *get_mut(&mut probe, path)? = Node::String(PROBE.to_string());
    let error = serde_path_to_error::deserialize::<_, T>(&probe).err()?;
    if convert_path(error.path()) != *path {
        return None;
    }
    let message = error.into_inner().to_string();
    let rest = message.strip_prefix(&format!("unknown variant `{PROBE}`, expected "))?;
    Some(strip_location(rest))
}

/// The node at `path` inside `node`.
pub fn get<'a>(node: &'a Node, path: &YamlPath) -> Option<&'a Node> {
    let mut node = node;
    for segment in &path.0 {
        node = match segment {
            Segment::Key(key) => node.get(key.as_str())?,
            Segment::Index(index) => node.get(*index)?,
        };
    }
    Some(node)
}

/// The node at `path` inside `node`, to change.
fn get_mut<'a>(node: &'a mut Node, path: &YamlPath) -> Option<&'a mut Node> {
    let mut node = node;
    for segment in &path.0 {
        node = match segment {
            Segment::Key(key) => node.get_mut(key.as_str())?,
            Segment::Index(index) => node.get_mut(*index)?,
        };
    }
    Some(node)
}

/// `serde_yaml` appends " at line L column C" to some messages; positions are reported
/// separately, so the text drops that one. The parser's context ("while parsing a flow
/// sequence at line 2 column 9") says where the broken construct starts, so it stays.
fn strip_location(message: &str) -> String {
    let Some(at) = message.find(" at line ") else {
        return message.to_string();
    };
    let head = &message[..at];
    let tail = &message[at + " at line ".len()..];
    // Skip "L column C" and keep whatever follows it.
    let after = tail
        .find(',')
        .map(|comma| &tail[comma..])
        .unwrap_or_default();
    format!("{head}{after}")
}

/// The kind of a scalar node, as YAML resolved it.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar<'a> {
    /// `~`, `null` or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A whole number.
    Int(i128),
    /// A number with a fraction or exponent.
    Float(f64),
    /// Text.
    Str(&'a str),
    /// A sequence or mapping.
    Collection,
}

/// Classifies a node without exposing the YAML library's own types.
pub fn scalar(node: &Node) -> Scalar<'_> {
    match node {
        Node::Null => Scalar::Null,
        Node::Bool(b) => Scalar::Bool(*b),
        Node::Number(n) => {
            if let Some(i) = n.as_i64() {
                Scalar::Int(i128::from(i))
            } else if let Some(u) = n.as_u64() {
                Scalar::Int(i128::from(u))
            } else {
                Scalar::Float(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Node::String(s) => Scalar::Str(s),
        Node::Sequence(_) | Node::Mapping(_) | Node::Tagged(_) => Scalar::Collection,
    }
}

/// Whether the node is a mapping.
pub fn is_mapping(node: &Node) -> bool {
    matches!(node, Node::Mapping(_))
}

/// What the source says about one node.
#[derive(Debug, Clone)]
struct Entry {
    /// Where the node's key starts (for mapping entries) or the node itself starts.
    position: Position,
    /// Where the node itself starts.
    value_position: Position,
    /// The text of an unquoted scalar, as written; `None` for anything else.
    plain: Option<String>,
}

/// A key written a second time in one mapping.
#[derive(Debug, Clone)]
struct Duplicate {
    /// The path of the key.
    path: YamlPath,
    /// The key as written.
    key: String,
    /// Where the second one is.
    position: Position,
    /// Where the first one is.
    first: Position,
}

/// Positions of every node of a document, by path.
#[derive(Debug, Default)]
pub struct SourceMap {
    entries: HashMap<YamlPath, Entry>,
    duplicates: Vec<Duplicate>,
    /// Where a second document starts, if there is one.
    second_document: Option<Position>,
}

impl SourceMap {
    /// Indexes a document. A document the event parser rejects gives an empty map;
    /// the syntax error itself is reported by [`parse`].
    pub fn build(text: &str) -> Self {
        let mut map = SourceMap::default();
        let mut stack: Vec<Frame> = Vec::new();
        for event in saphyr_parser::Parser::new_from_str(text) {
            let Ok((event, span)) = event else { break };
            let here = Position {
                line: span.start.line(),
                column: span.start.col() + 1,
            };
            use saphyr_parser::Event;
            match event {
                Event::Scalar(value, style, _, tag) => {
                    // A tagged scalar (`!!str 10`) says what it is; only untagged plain
                    // scalars are left to YAML's guessing.
                    let plain = matches!(style, saphyr_parser::ScalarStyle::Plain) && tag.is_none();
                    map.value(&mut stack, here, plain, Some(value.as_ref()));
                }
                Event::Alias(_) => {
                    map.value(&mut stack, here, false, None);
                }
                Event::SequenceStart(..) => {
                    let path = map.value(&mut stack, here, false, None);
                    stack.push(Frame::Seq { path, next: 0 });
                }
                Event::MappingStart(..) => {
                    let path = map.value(&mut stack, here, false, None);
                    stack.push(Frame::Map {
                        path,
                        key: None,
                        seen: HashMap::new(),
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    stack.pop();
                }
                // Only the first document is indexed; `parse` rejects any other, and
                // the start of the second one locates that error.
                Event::DocumentStart(_) if map.entries.contains_key(&YamlPath::root()) => {
                    map.second_document = Some(here);
                    break;
                }
                _ => {}
            }
        }
        map
    }

    /// Records a node that starts at `here` in the innermost container, and returns
    /// its path. In a mapping, a scalar in key position becomes the pending key.
    fn value(
        &mut self,
        stack: &mut [Frame],
        here: Position,
        plain: bool,
        text: Option<&str>,
    ) -> YamlPath {
        let plain = if plain {
            text.map(str::to_string)
        } else {
            None
        };
        match stack.last_mut() {
            None => {
                let path = YamlPath::root();
                self.entries.insert(
                    path.clone(),
                    Entry {
                        position: here,
                        value_position: here,
                        plain,
                    },
                );
                path
            }
            Some(Frame::Seq { path, next }) => {
                let path = path.index(*next);
                *next += 1;
                self.entries.insert(
                    path.clone(),
                    Entry {
                        position: here,
                        value_position: here,
                        plain,
                    },
                );
                path
            }
            Some(Frame::Map { path, key, seen }) => match key.take() {
                None => {
                    // A key. Keys that are collections have no path of their own;
                    // their contents are indexed under a placeholder.
                    let name = text.unwrap_or("?").to_string();
                    if text.is_some() {
                        match seen.get(&name) {
                            Some(first) => self.duplicates.push(Duplicate {
                                path: path.key(name.clone()),
                                key: name.clone(),
                                position: here,
                                first: *first,
                            }),
                            None => {
                                seen.insert(name.clone(), here);
                            }
                        }
                    }
                    *key = Some((name, here));
                    path.key("?")
                }
                Some((name, key_position)) => {
                    let path = path.key(name);
                    self.entries.insert(
                        path.clone(),
                        Entry {
                            position: key_position,
                            value_position: here,
                            plain,
                        },
                    );
                    path
                }
            },
        }
    }

    /// The position of `path`, or of its nearest located ancestor.
    pub fn position(&self, path: &YamlPath) -> Option<Position> {
        let mut path = path.clone();
        loop {
            if let Some(entry) = self.entries.get(&path) {
                return Some(entry.position);
            }
            if path.0.is_empty() {
                return None;
            }
            path = path.parent();
        }
    }

    /// The text of the unquoted scalar at `path`, as written (`false`, `10`, `~`).
    pub fn plain_text(&self, path: &YamlPath) -> Option<&str> {
        self.entries.get(path).and_then(|e| e.plain.as_deref())
    }

    /// The deepest node that starts exactly at `position`.
    fn path_at(&self, position: Position) -> Option<YamlPath> {
        self.entries
            .iter()
            .filter(|(_, entry)| entry.value_position == position)
            .map(|(path, _)| path)
            .max_by(|a, b| a.0.len().cmp(&b.0.len()).then_with(|| a.cmp(b)))
            .cloned()
    }
}

/// An open container while walking the event stream.
enum Frame {
    Seq {
        path: YamlPath,
        next: usize,
    },
    /// A mapping, its pending key, and the keys seen so far with where they are.
    Map {
        path: YamlPath,
        key: Option<(String, Position)>,
        seen: HashMap<String, Position>,
    },
}
