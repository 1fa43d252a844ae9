//! Paginated listings: one page at a time, or streams of pages and items.
//!
//! A [`PageSpec`] says which query parameters carry the offset and limit and which
//! fields of the answer hold the items, the total, the next offset and the
//! neighbouring URLs. Streams follow the next offset (keeping every other query
//! parameter), fetch one page at a time only when polled, and end on the last page.
//!
//! Limits: a limit given by the caller is sent (lowered to `max_limit` when the
//! spec has one); without one, the spec's `default_limit` is sent when it has one,
//! and otherwise no limit at all, leaving the page size to the server. Servers that
//! return fewer items than asked are fine: the stream follows their next offset.

use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;

use futures_core::Stream;
use futures_util::StreamExt;
use futures_util::stream;
use reqwest::Url;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor,
};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use super::client::{Answer, AuthState, Client};
use super::error::Error;
use super::request::{Request, ToParam};
use super::spec::{OffsetKind, PageSpec};

/// Where a page starts: an item index or an opaque cursor.
///
/// Save [`Page::next_offset`] to resume a listing later; it serializes as a JSON
/// integer (index) or string (cursor).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Offset {
    /// A zero-based item index.
    Index(u64),
    /// An opaque cursor handed out by the server.
    Cursor(String),
}

impl fmt::Display for Offset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Offset::Index(index) => write!(f, "{index}"),
            Offset::Cursor(cursor) => f.write_str(cursor),
        }
    }
}

impl ToParam for Offset {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

impl From<u64> for Offset {
    fn from(value: u64) -> Self {
        Offset::Index(value)
    }
}

impl From<String> for Offset {
    fn from(value: String) -> Self {
        Offset::Cursor(value)
    }
}

impl From<&str> for Offset {
    fn from(value: &str) -> Self {
        Offset::Cursor(value.to_owned())
    }
}

impl Serialize for Offset {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Offset::Index(index) => serializer.serialize_u64(*index),
            Offset::Cursor(cursor) => serializer.serialize_str(cursor),
        }
    }
}

impl<'de> Deserialize<'de> for Offset {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OffsetVisitor;

        impl Visitor<'_> for OffsetVisitor {
            type Value = Offset;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an offset (a non-negative integer or a string)")
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Offset, E> {
                Ok(Offset::Index(v))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Offset, E> {
                u64::try_from(v)
                    .map(Offset::Index)
                    .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Offset, E> {
                Ok(Offset::Cursor(v.to_owned()))
            }
        }

        deserializer.deserialize_any(OffsetVisitor)
    }
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The number of items in the whole listing, when the API says.
    pub total: Option<u64>,
    /// Where the next page starts; `None` on the last page.
    pub next_offset: Option<Offset>,
    /// The URL of the next page, resolved to an absolute URL, when the API sends one.
    pub next_url: Option<Url>,
    /// The URL of the previous page, resolved to an absolute URL, when the API sends
    /// one.
    pub prev_url: Option<Url>,
}

impl<T> Page<T> {
    /// Whether this is the last page: no next offset, or nothing on this page.
    pub fn is_last(&self) -> bool {
        self.next_offset.is_none() || self.items.is_empty()
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Sets the offset and limit parameters of `request` for one page, replacing any
/// already there and keeping every other parameter.
fn apply_paging(
    request: &mut Request,
    page: &PageSpec,
    limit: Option<u32>,
    offset: Option<&Offset>,
) {
    let limit = limit
        .map(|asked| page.max_limit.map_or(asked, |max| asked.min(max)))
        .or(page.default_limit);
    if let Some(limit) = limit {
        request.set_query(page.limit_param, limit.to_string());
    }
    if let Some(offset) = offset {
        request.set_query(page.offset_param, offset.to_param());
    }
}

impl<A: AuthState> Client<A> {
    /// Fetches one page of a listing, starting at `offset` (the first page when
    /// `None`) with up to `limit` items (see the module documentation for what is
    /// sent when `None`).
    pub async fn send_page<T: DeserializeOwned>(
        &self,
        mut request: Request,
        page: &'static PageSpec,
        limit: Option<u32>,
        offset: Option<Offset>,
    ) -> Result<Page<T>, Error> {
        apply_paging(&mut request, page, limit, offset.as_ref());
        let answer = self.execute(&request, "application/json").await?;
        self.decode_page(request.operation, page, &answer)
    }

    /// Streams the pages of a listing from `start` (the beginning when `None`).
    ///
    /// The stream is lazy: a page is requested only when the stream is polled,
    /// one at a time. It ends after the page whose next offset is `null`, before an
    /// empty page other than the first, and for index offsets once the next offset
    /// reaches the total. An error ends the stream after being yielded; a next
    /// offset that was already visited yields [`Error::Pagination`] rather than
    /// looping forever, and so does a listing that would go on past the client's
    /// [`max_pages`](super::ClientBuilder::max_pages).
    pub fn pages<T: DeserializeOwned + Send + 'static>(
        &self,
        request: Request,
        page: &'static PageSpec,
        limit: Option<u32>,
        start: Option<Offset>,
    ) -> impl Stream<Item = Result<Page<T>, Error>> + Send + Unpin + 'static {
        let state = PagesState {
            client: self.clone(),
            request,
            page,
            limit,
            next: Next::Fetch(start),
            guard: LoopGuard::default(),
            first: true,
            fetched: 0,
        };
        // Boxed so that the stream is `Unpin`: callers can poll it with `.next()`
        // without pinning it first. One allocation per listing, not per page.
        Box::pin(stream::unfold(state, |mut state| async move {
            let offset = match std::mem::replace(&mut state.next, Next::Done) {
                Next::Done => return None,
                Next::Fetch(offset) => offset,
            };
            if let Some(max) = state.client.max_pages()
                && state.fetched >= max
            {
                let error = Error::Pagination {
                    operation: state.request.operation,
                    message: format!(
                        "stopped after {max} pages, the client's `max_pages`, although the \
                         listing goes on; resume from the offset `{}`",
                        offset.map(|o| o.to_string()).unwrap_or_default()
                    ),
                };
                return Some((Err(error), state));
            }
            let visited = match (&offset, state.page.offset_kind) {
                (Some(offset), _) => state.guard.visit(offset),
                (None, OffsetKind::Index) => state.guard.visit(&Offset::Index(0)),
                // The start of a cursor listing has no cursor; no cursor the server
                // hands out can be confused with it.
                (None, OffsetKind::Cursor) => Ok(()),
            };
            if let Err(message) = visited {
                let error = Error::Pagination {
                    operation: state.request.operation,
                    message,
                };
                return Some((Err(error), state));
            }
            let result = state
                .client
                .send_page::<T>(state.request.clone(), state.page, state.limit, offset)
                .await;
            match result {
                Err(error) => Some((Err(error), state)),
                Ok(page) if page.items.is_empty() && !state.first => None,
                Ok(page) => {
                    state.first = false;
                    state.fetched += 1;
                    state.next = match next_offset(&page) {
                        Some(offset) => Next::Fetch(Some(offset)),
                        None => Next::Done,
                    };
                    Some((Ok(page), state))
                }
            }
        }))
    }

    /// Streams the items of a listing from `start`, page after page, with the same
    /// laziness and ending rules as [`pages`](Self::pages).
    pub fn items<T: DeserializeOwned + Send + 'static>(
        &self,
        request: Request,
        page: &'static PageSpec,
        limit: Option<u32>,
        start: Option<Offset>,
    ) -> impl Stream<Item = Result<T, Error>> + Send + Unpin + 'static {
        self.pages(request, page, limit, start)
            .flat_map(|result| match result {
                Ok(page) => stream::iter(page.items.into_iter().map(Ok).collect::<Vec<_>>()),
                Err(error) => stream::iter(vec![Err(error)]),
            })
    }

    /// Decodes the answer of a paginated call: the items array under
    /// `items_field`, and the optional metadata fields around it.
    ///
    /// The body is decoded in one pass straight into the items; only when that fails
    /// is it decoded again, slowly, to say exactly where and why.
    fn decode_page<T: DeserializeOwned>(
        &self,
        operation: &'static str,
        spec: &PageSpec,
        answer: &Answer,
    ) -> Result<Page<T>, Error> {
        let mut deserializer = serde_json::Deserializer::from_slice(&answer.body);
        let fast = PageSeed::<T> {
            spec,
            marker: PhantomData,
        }
        .deserialize(&mut deserializer)
        .and_then(|raw| deserializer.end().map(|()| raw));
        match fast {
            Ok(RawPage {
                items: Some(items),
                total,
                next_offset,
                next_url,
                prev_url,
            }) => self.finish_page(
                operation,
                spec,
                answer,
                items.unwrap_or_default(),
                [
                    total.as_ref(),
                    next_offset.as_ref(),
                    next_url.as_ref(),
                    prev_url.as_ref(),
                ],
            ),
            _ => self.decode_page_tracked(operation, spec, answer),
        }
    }

    /// The slow decoding of a page, through a JSON value and with path tracking, for
    /// precise errors.
    fn decode_page_tracked<T: DeserializeOwned>(
        &self,
        operation: &'static str,
        spec: &PageSpec,
        answer: &Answer,
    ) -> Result<Page<T>, Error> {
        let fail = |path: &str, message: String| {
            self.decode_error(operation, answer, path.to_owned(), message)
        };
        // The body is first read as a plain JSON value, since the items field is only
        // known at run time; tracking the path even here makes a body cut off mid-item
        // report where it ended (`products[3].city`) rather than nothing.
        let mut deserializer = serde_json::Deserializer::from_slice(&answer.body);
        let root: Value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            let path = e.path().to_string();
            fail(
                if path == "." { "" } else { &path },
                e.into_inner().to_string(),
            )
        })?;
        deserializer
            .end()
            .map_err(|e| fail("", format!("unexpected data after the JSON value: {e}")))?;
        let Value::Object(mut root) = root else {
            return Err(fail(
                "",
                format!(
                    "expected a JSON object holding the page under `{}`",
                    spec.items_field
                ),
            ));
        };
        let items = match root.remove(spec.items_field) {
            Some(Value::Null) => Vec::new(),
            Some(items) => serde_path_to_error::deserialize(items).map_err(|e| {
                let inner = e.path().to_string();
                let path = match inner.as_str() {
                    "." => spec.items_field.to_owned(),
                    p if p.starts_with('[') => format!("{}{p}", spec.items_field),
                    p => format!("{}.{p}", spec.items_field),
                };
                fail(&path, e.into_inner().to_string())
            })?,
            None => {
                return Err(fail(
                    spec.items_field,
                    format!(
                        "missing field `{}` holding the items of the page",
                        spec.items_field
                    ),
                ));
            }
        };
        let field = |name: Option<&str>| name.and_then(|name| root.get(name));
        self.finish_page(
            operation,
            spec,
            answer,
            items,
            [
                field(spec.total_field),
                field(Some(spec.next_offset_field)),
                field(spec.next_url_field),
                field(spec.prev_url_field),
            ],
        )
    }

    /// Reads the metadata of a page whose items are decoded: `[total, next offset,
    /// next URL, previous URL]`, each as found in the body (absent or `null` alike).
    fn finish_page<T>(
        &self,
        operation: &'static str,
        spec: &PageSpec,
        answer: &Answer,
        items: Vec<T>,
        [total, next_offset, next_url, prev_url]: [Option<&Value>; 4],
    ) -> Result<Page<T>, Error> {
        let fail = |path: &str, message: String| {
            self.decode_error(operation, answer, path.to_owned(), message)
        };
        let total = match (spec.total_field, total) {
            (None, _) | (_, None | Some(Value::Null)) => None,
            (Some(field), Some(value)) => Some(read_count(value).ok_or_else(|| {
                fail(
                    field,
                    format!("expected a non-negative integer, found {value}"),
                )
            })?),
        };
        let next_offset = match next_offset {
            None | Some(Value::Null) => None,
            Some(value) => read_offset(value, spec.offset_kind).ok_or_else(|| {
                fail(
                    spec.next_offset_field,
                    format!("expected an offset (an integer or a string), found {value}"),
                )
            })?,
        };
        // Neighbouring URLs are informational (streams follow the offset), so a
        // malformed one is dropped rather than failing a page whose items are fine.
        let link = |value: Option<&Value>| match value {
            Some(Value::String(text)) if !text.is_empty() => answer.url.join(text).ok(),
            _ => None,
        };
        Ok(Page {
            items,
            total,
            next_offset,
            next_url: link(next_url),
            prev_url: link(prev_url),
        })
    }
}

/// A page as read in one pass: the items (the outer `None` when the items field is
/// missing, the inner one when it is `null`) and the raw metadata values.
struct RawPage<T> {
    items: Option<Option<Vec<T>>>,
    total: Option<Value>,
    next_offset: Option<Value>,
    next_url: Option<Value>,
    prev_url: Option<Value>,
}

/// Reads a page body into a [`RawPage`], skipping every field the [`PageSpec`] does
/// not name without building it.
struct PageSeed<'s, T> {
    spec: &'s PageSpec,
    marker: PhantomData<T>,
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for PageSeed<'_, T> {
    type Value = RawPage<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<RawPage<T>, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for PageSeed<'_, T> {
    type Value = RawPage<T>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "a JSON object holding the page under `{}`",
            self.spec.items_field
        )
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<RawPage<T>, M::Error> {
        let mut page = RawPage {
            items: None,
            total: None,
            next_offset: None,
            next_url: None,
            prev_url: None,
        };
        while let Some(field) = map.next_key_seed(FieldSeed(self.spec))? {
            match field {
                PageField::Items => page.items = Some(map.next_value()?),
                PageField::Total => page.total = Some(map.next_value()?),
                PageField::NextOffset => page.next_offset = Some(map.next_value()?),
                PageField::NextUrl => page.next_url = Some(map.next_value()?),
                PageField::PrevUrl => page.prev_url = Some(map.next_value()?),
                PageField::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(page)
    }
}

/// Which field of a page a key names.
enum PageField {
    Items,
    Total,
    NextOffset,
    NextUrl,
    PrevUrl,
    Other,
}

/// Reads a key of a page body as a [`PageField`], without allocating it.
struct FieldSeed<'s>(&'s PageSpec);

impl<'de> DeserializeSeed<'de> for FieldSeed<'_> {
    type Value = PageField;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<PageField, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for FieldSeed<'_> {
    type Value = PageField;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<PageField, E> {
        let spec = self.0;
        Ok(if key == spec.items_field {
            PageField::Items
        } else if spec.total_field == Some(key) {
            PageField::Total
        } else if key == spec.next_offset_field {
            PageField::NextOffset
        } else if spec.next_url_field == Some(key) {
            PageField::NextUrl
        } else if spec.prev_url_field == Some(key) {
            PageField::PrevUrl
        } else {
            PageField::Other
        })
    }
}

/// How many of the latest cursors [`LoopGuard`] remembers, to catch a short cycle at
/// its first repeat.
const RECENT_CURSORS: usize = 16;

/// Detects a listing that would loop, in memory that does not grow with the listing.
///
/// Index offsets must grow: a server that sends an index it has already passed would
/// make the stream repeat items, so that is refused at once. Cursors are opaque and
/// need not be ordered, so they are compared with the latest [`RECENT_CURSORS`] ones,
/// which catches short cycles at their first repeat, and with one cursor saved at
/// doubling intervals (Brent's cycle detection), which catches a cycle of any length
/// within about twice its length.
#[derive(Default)]
struct LoopGuard {
    /// The last index offset requested.
    last_index: Option<u64>,
    /// The latest cursors requested, oldest first.
    recent: VecDeque<String>,
    /// Brent's saved cursor, the steps since it was saved, and the step count at
    /// which the next one is saved.
    saved: Option<String>,
    steps: u64,
    power: u64,
}

impl LoopGuard {
    /// Records that `offset` is about to be requested, or says why it must not be.
    fn visit(&mut self, offset: &Offset) -> Result<(), String> {
        match offset {
            Offset::Index(index) => {
                match self.last_index {
                    Some(last) if *index == last => {
                        return Err(format!(
                            "the server sent the offset `{index}` again; following it would loop forever"
                        ));
                    }
                    Some(last) if *index < last => {
                        return Err(format!(
                            "the server sent the offset `{index}` after `{last}`; going back would repeat items and could loop forever"
                        ));
                    }
                    _ => {}
                }
                self.last_index = Some(*index);
            }
            Offset::Cursor(cursor) => {
                if self.recent.contains(cursor) || self.saved.as_ref() == Some(cursor) {
                    return Err(format!(
                        "the server sent the offset `{cursor}` again; following it would loop forever"
                    ));
                }
                if self.recent.len() == RECENT_CURSORS {
                    self.recent.pop_front();
                }
                self.recent.push_back(cursor.clone());
                self.steps += 1;
                if self.steps >= self.power {
                    self.saved = Some(cursor.clone());
                    self.power = (self.power * 2).max(1);
                    self.steps = 0;
                }
            }
        }
        Ok(())
    }
}

/// The state of a [`Client::pages`] stream between two pages.
struct PagesState<A: AuthState> {
    client: Client<A>,
    request: Request,
    page: &'static PageSpec,
    limit: Option<u32>,
    next: Next,
    /// Detects a server that would make the stream loop.
    guard: LoopGuard,
    first: bool,
    /// Pages yielded so far, checked against the client's `max_pages`.
    fetched: u32,
}

/// What a [`Client::pages`] stream does when polled next.
enum Next {
    /// Fetch the page at this offset (the first page when `None`).
    Fetch(Option<Offset>),
    /// Nothing more to fetch.
    Done,
}

/// The offset of the page after `page`, or `None` when `page` is the last one.
fn next_offset<T>(page: &Page<T>) -> Option<Offset> {
    let next = page.next_offset.clone()?;
    if page.items.is_empty() {
        return None;
    }
    match (&next, page.total) {
        (Offset::Index(index), Some(total)) if *index >= total => None,
        _ => Some(next),
    }
}

/// Reads a count sent as a JSON integer or a string holding one.
fn read_count(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Reads a next offset sent as a JSON integer or string. Index listings turn
/// numeric strings into indexes (and keep other strings as cursors, passed back
/// verbatim); cursor listings keep everything as text. An empty string means no
/// next page. The outer `None` means the value is not an offset at all.
fn read_offset(value: &Value, kind: OffsetKind) -> Option<Option<Offset>> {
    let offset = match (value, kind) {
        (Value::Number(n), OffsetKind::Index) => Offset::Index(n.as_u64()?),
        (Value::Number(n), OffsetKind::Cursor) => Offset::Cursor(n.to_string()),
        (Value::String(s), _) if s.is_empty() => return Some(None),
        (Value::String(s), OffsetKind::Index) => match s.trim().parse() {
            Ok(index) => Offset::Index(index),
            Err(_) => Offset::Cursor(s.clone()),
        },
        (Value::String(s), OffsetKind::Cursor) => Offset::Cursor(s.clone()),
        _ => return None,
    };
    Some(Some(offset))
}
