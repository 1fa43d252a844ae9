//! The one place that touches YAML libraries: parsing text into nodes, decoding nodes
//! into the serde shapes of `raw`, and a source map from YAML paths to line and column.
//!
//! `serde_yaml` 0.9 is deprecated upstream but works; keeping every use of it here means
//! swapping it for another YAML library touches this file only. The source map comes
//! from `saphyr-parser`'s event stream, because `serde_yaml` values carry no positions
//! and do not say whether a scalar was quoted.

use std::collections::HashMap;

use serde::de::DeserializeOwned;

use crate::diag::{Position, YamlPath};

/// A parsed YAML node.
pub type Node = serde_yaml::Value;

/// A YAML syntax error.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    /// Where the parser stopped.
    pub position: Option<Position>,
    /// The parser's explanation.
    pub message: String,
}

/// Parses a whole document. `<<` merge keys are applied so maintainers can share
/// blocks with anchors.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    let mut node: Node = serde_yaml::from_str(text).map_err(|error| SyntaxError {
        position: error.location().map(|l| Position { line: l.line(), column: l.column() }),
        message: strip_location(&error.to_string()),
    })?;
    node.apply_merge().map_err(|error| SyntaxError {
        position: error.location().map(|l| Position { line: l.line(), column: l.column() }),
        message: strip_location(&error.to_string()),
    })?;
    Ok(node)
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
pub fn decode<T: DeserializeOwned>(node: Node) -> Result<T, ShapeError> {
    serde_path_to_error::deserialize(node).map_err(|error| {
        let mut path = YamlPath::root();
        for segment in error.path().iter() {
            match segment {
                serde_path_to_error::Segment::Map { key } => path = path.key(key.clone()),
                serde_path_to_error::Segment::Seq { index } => path = path.index(*index),
                serde_path_to_error::Segment::Enum { variant } => path = path.key(variant.clone()),
                serde_path_to_error::Segment::Unknown => {}
            }
        }
        ShapeError { path, message: strip_location(&error.into_inner().to_string()) }
    })
}

/// `serde_yaml` appends " at line L column C" to some messages; positions are reported
/// separately, so the text keeps only the explanation.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
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
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Where the node's key starts (for mapping entries) or the node itself starts.
    position: Position,
    /// Whether the node is an unquoted scalar.
    plain: bool,
}

/// Positions of every node of a document, by path.
#[derive(Debug, Default)]
pub struct SourceMap {
    entries: HashMap<YamlPath, Entry>,
}

impl SourceMap {
    /// Indexes a document. A document the event parser rejects gives an empty map;
    /// the syntax error itself is reported by [`parse`].
    pub fn build(text: &str) -> Self {
        let mut map = SourceMap::default();
        let mut stack: Vec<Frame> = Vec::new();
        for event in saphyr_parser::Parser::new_from_str(text) {
            let Ok((event, span)) = event else { break };
            let here = Position { line: span.start.line(), column: span.start.col() + 1 };
            use saphyr_parser::Event;
            match event {
                Event::Scalar(value, style, _, _) => {
                    let plain = matches!(style, saphyr_parser::ScalarStyle::Plain);
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
                    stack.push(Frame::Map { path, key: None });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    stack.pop();
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
        match stack.last_mut() {
            None => YamlPath::root(),
            Some(Frame::Seq { path, next }) => {
                let path = path.index(*next);
                *next += 1;
                self.entries.insert(path.clone(), Entry { position: here, plain });
                path
            }
            Some(Frame::Map { path, key }) => match key.take() {
                None => {
                    // A key. Keys that are collections have no path of their own;
                    // their contents are indexed under a placeholder.
                    let name = text.unwrap_or("?").to_string();
                    *key = Some((name, here));
                    path.key("?")
                }
                Some((name, key_position)) => {
                    let path = path.key(name);
                    self.entries.insert(path.clone(), Entry { position: key_position, plain });
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

    /// Whether the node at `path` was written as an unquoted scalar.
    pub fn is_plain(&self, path: &YamlPath) -> bool {
        self.entries.get(path).is_some_and(|e| e.plain)
    }
}

/// An open container while walking the event stream.
enum Frame {
    Seq { path: YamlPath, next: usize },
    Map { path: YamlPath, key: Option<(String, Position)> },
}
