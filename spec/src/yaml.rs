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

/// The document size, in bytes, from which [`parse`] builds the source map on a second
/// thread: below it, starting the thread costs about as much as it saves.
const CONCURRENT_FROM: usize = 16 * 1024;

/// Parses a whole document and builds its [`SourceMap`]. `<<` merge keys are applied so
/// maintainers can share blocks with anchors. The source map locates the problems that
/// `serde_yaml` reports without a path, and finds every duplicate key rather than the
/// first one only.
///
/// The two parses read the same text and share nothing, so for a large document they run
/// at the same time, one on a scoped thread; the results are the same either way.
pub fn parse(text: &str) -> (SourceMap, Result<Node, Vec<SyntaxError>>) {
    let (map, node) = if text.len() >= CONCURRENT_FROM && parallel() {
        std::thread::scope(|scope| {
            // A thread that cannot be started is no reason to fail: build it here.
            let helper = std::thread::Builder::new()
                .name("spec-source-map".into())
                .spawn_scoped(scope, || SourceMap::build(text));
            let node = parse_node(text);
            let map = match helper {
                Ok(helper) => helper
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                Err(_) => SourceMap::build(text),
            };
            (map, node)
        })
    } else {
        (SourceMap::build(text), parse_node(text))
    };
    let node = node.map_err(|error| explain_parse_error(text, &map, &error));
    (map, node)
}

/// The document as `serde_yaml` reads it, merge keys applied.
fn parse_node(text: &str) -> Result<Node, serde_yaml::Error> {
    let mut node: Node = serde_yaml::from_str(text)?;
    node.apply_merge()?;
    Ok(node)
}

/// Whether this machine runs more than one thread at a time, asked once: the answer can
/// cost a few system calls (cgroup limits), and does not change while the process runs.
fn parallel() -> bool {
    static PARALLEL: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *PARALLEL.get_or_init(|| std::thread::available_parallelism().is_ok_and(|n| n.get() > 1))
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
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Where the node's key starts (for mapping entries) or the node itself starts.
    position: Position,
    /// Where the node itself starts.
    value_position: Position,
    /// The text of an unquoted scalar, as written, as a range of [`SourceMap::plain`];
    /// `None` for anything else.
    plain: Option<(usize, usize)>,
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

/// One path of the document: its entry, once the node at that path has been read, and
/// the paths one segment below it.
///
/// The map is a tree rather than a table from whole paths, because building a path per
/// node (a copy of every segment above it) and hashing it cost more than parsing the
/// document. A path that occurs twice (a key written twice) is one tree node whose
/// entry is the last occurrence's, as a table would have it.
#[derive(Debug, Default)]
struct PathNode {
    /// The tree node one segment up (the root's is itself).
    parent: usize,
    entry: Option<Entry>,
    keys: HashMap<String, usize>,
    items: Vec<usize>,
    /// The mapping (by its number in document order) in which this path's key was last
    /// written, and where the first key of that mapping with this name is: how a key
    /// written twice in one mapping is recognised.
    seen: Option<(usize, Position)>,
}

/// Positions of every node of a document, by path.
#[derive(Debug, Default)]
pub struct SourceMap {
    /// The tree of paths; the root path, when the document has one, is the first.
    nodes: Vec<PathNode>,
    /// The text of every unquoted scalar, one after another, so that recording one
    /// allocates nothing.
    plain: String,
    /// Mappings started so far, to number them.
    mappings: usize,
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
                    let node = map.value(&mut stack, here, false, None);
                    stack.push(Frame::Seq { node, next: 0 });
                }
                Event::MappingStart(..) => {
                    let node = map.value(&mut stack, here, false, None);
                    map.mappings += 1;
                    stack.push(Frame::Map {
                        node,
                        number: map.mappings,
                        key: None,
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    stack.pop();
                }
                // Only the first document is indexed; `parse` rejects any other, and
                // the start of the second one locates that error.
                Event::DocumentStart(_)
                    if map.nodes.first().is_some_and(|root| root.entry.is_some()) =>
                {
                    map.second_document = Some(here);
                    break;
                }
                _ => {}
            }
        }
        map
    }

    /// Records a node that starts at `here` in the innermost container, and returns
    /// its path's tree node. In a mapping, a scalar in key position becomes the pending
    /// key.
    fn value(
        &mut self,
        stack: &mut [Frame],
        here: Position,
        plain: bool,
        text: Option<&str>,
    ) -> usize {
        let (node, key_position) = match stack.last_mut() {
            None => {
                if self.nodes.is_empty() {
                    self.nodes.push(PathNode::default());
                }
                (0, here)
            }
            Some(Frame::Seq { node, next }) => {
                let child = self.index_child(*node, *next);
                *next += 1;
                (child, here)
            }
            Some(Frame::Map { node, number, key }) => match key.take() {
                None => {
                    // A key. Keys that are collections have no path of their own;
                    // their contents are indexed under a placeholder.
                    let name = text.unwrap_or("?");
                    let child = self.key_child(*node, name);
                    if text.is_some() {
                        match self.nodes[child].seen {
                            Some((mapping, first)) if mapping == *number => {
                                let path = self.path_of(*node).key(name);
                                self.duplicates.push(Duplicate {
                                    path,
                                    key: name.to_string(),
                                    position: here,
                                    first,
                                });
                            }
                            _ => self.nodes[child].seen = Some((*number, here)),
                        }
                    }
                    *key = Some((child, here));
                    return child;
                }
                Some((child, key_position)) => (child, key_position),
            },
        };
        let plain = match text {
            Some(text) if plain => {
                let start = self.plain.len();
                self.plain.push_str(text);
                Some((start, self.plain.len()))
            }
            _ => None,
        };
        self.nodes[node].entry = Some(Entry {
            position: key_position,
            value_position: here,
            plain,
        });
        node
    }

    /// The tree node of `parent`'s path followed by the key `name`, made if new.
    fn key_child(&mut self, parent: usize, name: &str) -> usize {
        if let Some(&child) = self.nodes[parent].keys.get(name) {
            return child;
        }
        let child = self.nodes.len();
        self.nodes.push(PathNode {
            parent,
            ..PathNode::default()
        });
        self.nodes[parent].keys.insert(name.to_string(), child);
        child
    }

    /// The tree node of `parent`'s path followed by the index `index`, made if new.
    /// Items are read in order, so `index` is at most the number already known.
    fn index_child(&mut self, parent: usize, index: usize) -> usize {
        if let Some(&child) = self.nodes[parent].items.get(index) {
            return child;
        }
        let child = self.nodes.len();
        self.nodes.push(PathNode {
            parent,
            ..PathNode::default()
        });
        self.nodes[parent].items.push(child);
        child
    }

    /// The tree nodes along `path`, from the root, as far as the map knows it.
    fn walk<'a>(&'a self, path: &'a YamlPath) -> impl Iterator<Item = &'a PathNode> + 'a {
        let mut node = self.nodes.first();
        let mut segments = path.0.iter();
        std::iter::from_fn(move || {
            let here = node?;
            node = segments.next().and_then(|segment| {
                let child = match segment {
                    Segment::Key(key) => here.keys.get(key.as_str()),
                    Segment::Index(index) => here.items.get(*index),
                };
                child.map(|&child| &self.nodes[child])
            });
            Some(here)
        })
    }

    /// The position of `path`, or of its nearest located ancestor.
    pub fn position(&self, path: &YamlPath) -> Option<Position> {
        self.walk(path)
            .filter_map(|node| node.entry)
            .last()
            .map(|entry| entry.position)
    }

    /// The text of the unquoted scalar at `path`, as written (`false`, `10`, `~`).
    pub fn plain_text(&self, path: &YamlPath) -> Option<&str> {
        let mut nodes = 0;
        let last = self.walk(path).inspect(|_| nodes += 1).last()?;
        if nodes != path.0.len() + 1 {
            return None;
        }
        let (start, end) = last.entry?.plain?;
        Some(&self.plain[start..end])
    }

    /// The deepest node that starts exactly at `position`.
    fn path_at(&self, position: Position) -> Option<YamlPath> {
        self.nodes
            .iter()
            .enumerate()
            .filter(|(_, node)| node.entry.is_some_and(|e| e.value_position == position))
            .map(|(index, _)| self.path_of(index))
            .max_by(|a, b| a.0.len().cmp(&b.0.len()).then_with(|| a.cmp(b)))
    }

    /// The path of a tree node, found by walking up from it. Only problems need it, so
    /// the tree does not store segments twice: each level searches its parent's keys.
    fn path_of(&self, node: usize) -> YamlPath {
        let mut segments = Vec::new();
        let mut child = node;
        while child != 0 {
            let parent = &self.nodes[self.nodes[child].parent];
            let segment = match parent.items.iter().position(|&c| c == child) {
                Some(index) => Segment::Index(index),
                None => Segment::Key(
                    parent
                        .keys
                        .iter()
                        .find_map(|(name, &c)| (c == child).then(|| name.clone()))
                        .unwrap_or_default(),
                ),
            };
            segments.push(segment);
            child = self.nodes[child].parent;
        }
        segments.reverse();
        YamlPath(segments)
    }
}

/// An open container while walking the event stream, with its path's tree node.
enum Frame {
    Seq {
        node: usize,
        next: usize,
    },
    /// A mapping, its number in document order, and its pending key with where it is.
    Map {
        node: usize,
        number: usize,
        key: Option<(usize, Position)>,
    },
}
