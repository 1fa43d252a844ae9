//! Paging over a stateful fake listing of 95 widgets.

use std::sync::Arc;

use futures_util::{StreamExt, TryStreamExt};
use headout_client::runtime::{KeyUse, Method, Request};
use headout_client::{Error, Id, Offset, Page};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::fixture::{
    API, BOUNDED, CURSORED, Recorded, Reply, Server, TEST_KEY, WIDGETS, client, fast_retry,
};

const TOTAL: u64 = 95;

#[derive(Debug, Deserialize, PartialEq)]
struct Widget {
    id: Id,
    name: String,
}

/// The data set and the listing rules of the fake.
struct Catalogue {
    widgets: Vec<Value>,
}

impl Catalogue {
    fn new() -> Arc<Self> {
        let widgets = (0..TOTAL)
            .map(|i| json!({"id": i, "name": format!("widget {i}")}))
            .collect();
        Arc::new(Catalogue { widgets })
    }

    /// The items from `offset`, at most `limit` of them, and the next offset.
    fn slice(&self, offset: u64, limit: u64) -> (Vec<Value>, Option<u64>) {
        let start = offset.min(TOTAL) as usize;
        let end = (offset + limit).min(TOTAL) as usize;
        let next = (end < TOTAL as usize).then_some(end as u64);
        (self.widgets[start..end].to_vec(), next)
    }

    fn answer(&self, request: &Recorded) -> Reply {
        let number = |name: &str, default: u64| {
            request
                .param(name)
                .map_or(default, |v| v.parse().expect("numeric param"))
        };
        let route = request.path.trim_start_matches("/api/open/v2");
        match route {
            "/widgets" | "/widgets-str" | "/capped" | "/loop" | "/overshoot" | "/absolute"
            | "/holes" | "/backwards" => {
                let offset = number("offset", 0);
                let mut limit = number("limit", 20);
                if route == "/capped" {
                    limit = limit.min(20);
                }
                let (mut items, mut next) = self.slice(offset, limit);
                if route == "/loop" {
                    next = Some(20);
                }
                // Goes back from 40 to 20: not the offset just sent, but one passed.
                if route == "/backwards" && offset >= 40 {
                    next = Some(20);
                }
                if route == "/overshoot" {
                    next = Some(offset + limit);
                }
                // A listing with a hole: from item 40 on, pages come back empty while
                // still naming a next offset.
                if route == "/holes" && offset >= 40 {
                    items.clear();
                }
                let next_offset = match (route, next) {
                    (_, None) => Value::Null,
                    ("/widgets-str", Some(n)) => json!(n.to_string()),
                    (_, Some(n)) => json!(n),
                };
                // v1 of Headout sends absolute links, v2 relative ones.
                let host = if route == "/absolute" {
                    "https://mirror.widgets.invalid"
                } else {
                    ""
                };
                let next_url = next.map_or(Value::Null, |n| {
                    json!(format!(
                        "{host}/api/open/v2{route}?offset={n}&limit={limit}"
                    ))
                });
                let prev_url = if offset == 0 {
                    Value::Null
                } else {
                    json!(format!(
                        "?offset={}&limit={limit}",
                        offset.saturating_sub(limit)
                    ))
                };
                Reply::json(
                    200,
                    json!({
                        "widgets": items,
                        "count": TOTAL,
                        "nextFrom": next_offset,
                        "nextLink": next_url,
                        "prevLink": prev_url,
                    }),
                )
            }
            "/bounded" => {
                let offset = number("start", 0);
                let limit = number("size", 20);
                let (items, next) = self.slice(offset, limit);
                Reply::json(200, json!({"items": items, "next": next}))
            }
            "/cursor" => {
                // Cursors are opaque: `pos-<n>-x`.
                let offset = request.param("cursor").map_or(0, |c| {
                    c.trim_start_matches("pos-")
                        .trim_end_matches("-x")
                        .parse()
                        .unwrap()
                });
                let limit = number("count", 20);
                let (items, next) = self.slice(offset, limit);
                Reply::json(
                    200,
                    json!({"data": items, "nextCursor": next.map(|n| format!("pos-{n}-x"))}),
                )
            }
            "/cursor-cycle" => {
                // One widget per page and a cycle of 40 cursors, `c-0` … `c-39` → `c-0`:
                // longer than any window of recent cursors a client might keep.
                let at: u64 = request
                    .param("cursor")
                    .map_or(0, |c| c.trim_start_matches("c-").parse().unwrap());
                let (items, _) = self.slice(at, 1);
                Reply::json(
                    200,
                    json!({"data": items, "nextCursor": format!("c-{}", (at + 1) % 40)}),
                )
            }
            "/empty" => Reply::json(200, json!({"widgets": [], "count": 0, "nextFrom": null})),
            _ => Reply::raw(404, "no such listing"),
        }
    }
}

async fn fake() -> Server {
    let catalogue = Catalogue::new();
    Server::start(move |request, _| catalogue.answer(request)).await
}

fn list(route: &str) -> Request {
    let mut request = Request::new(
        "listWidgets",
        Method::GET,
        "v2",
        route.to_owned(),
        KeyUse::Required,
    );
    request.query("city", "PAR");
    request
}

fn ids(widgets: &[Widget]) -> Vec<i64> {
    widgets.iter().map(|w| w.id.as_i64().unwrap()).collect()
}

#[tokio::test]
async fn items_stream_yields_every_item() {
    let server = fake().await;
    let widgets: Vec<Widget> = client(&server)
        .items(list("/widgets"), &WIDGETS, Some(20), None)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&widgets), (0..95).collect::<Vec<_>>());
    assert_eq!(
        widgets[94],
        Widget {
            id: Id::from(94),
            name: "widget 94".into()
        }
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 5);
    let offsets: Vec<Option<String>> = requests.iter().map(|r| r.param("offset")).collect();
    assert_eq!(
        offsets,
        [
            None,
            Some("20".into()),
            Some("40".into()),
            Some("60".into()),
            Some("80".into())
        ]
    );
    for request in &requests {
        // Every page keeps the other parameters, the limit and the key.
        assert_eq!(request.param("city").as_deref(), Some("PAR"));
        assert_eq!(request.param("limit").as_deref(), Some("20"));
        assert_eq!(request.header("x-test-key"), Some(TEST_KEY));
        assert_eq!(
            request.query.matches("offset=").count(),
            usize::from(request.param("offset").is_some())
        );
    }
}

#[tokio::test]
async fn pages_stream_yields_five_pages_with_resolved_urls() {
    let server = fake().await;
    let pages: Vec<Page<Widget>> = client(&server)
        .pages(list("/widgets"), &WIDGETS, Some(20), None)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 5);
    assert_eq!(
        pages.iter().map(|p| p.items.len()).collect::<Vec<_>>(),
        [20, 20, 20, 20, 15]
    );
    assert!(pages.iter().all(|p| p.total == Some(95)));
    assert_eq!(pages[0].next_offset, Some(Offset::Index(20)));
    assert_eq!(pages[4].next_offset, None);
    assert!(pages[4].is_last() && !pages[0].is_last());

    let base = server.url();
    assert_eq!(
        pages[0].next_url.as_ref().map(|u| u.as_str().to_owned()),
        Some(format!("{base}/api/open/v2/widgets?offset=20&limit=20"))
    );
    assert_eq!(pages[0].prev_url, None);
    // A query-only reference resolves against the page's own URL.
    assert_eq!(
        pages[1].prev_url.as_ref().map(|u| u.as_str().to_owned()),
        Some(format!("{base}/api/open/v2/widgets?offset=0&limit=20"))
    );
    assert_eq!(pages[4].next_url, None);
}

#[tokio::test]
async fn next_offset_as_string_is_followed() {
    let server = fake().await;
    let pages: Vec<Page<Widget>> = client(&server)
        .pages(list("/widgets-str"), &WIDGETS, Some(30), None)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 4);
    assert_eq!(pages[0].next_offset, Some(Offset::Index(30)));
    assert_eq!(pages.iter().map(|p| p.items.len()).sum::<usize>(), 95);
}

#[tokio::test]
async fn repeated_offset_is_a_pagination_error() {
    let server = fake().await;
    let results: Vec<Result<Page<Widget>, Error>> = client(&server)
        .pages(list("/loop"), &WIDGETS, Some(20), None)
        .collect()
        .await;
    // Page at 0 (next 20), page at 20 (next 20 again), then the error, then the end.
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok() && results[1].is_ok());
    match &results[2] {
        Err(Error::Pagination { operation, message }) => {
            assert_eq!(*operation, "listWidgets");
            assert!(message.contains("`20`"), "{message}");
        }
        other => panic!("expected Error::Pagination, got {other:?}"),
    }
    assert_eq!(server.calls(), 2);
}

#[tokio::test]
async fn an_index_offset_going_back_is_a_pagination_error() {
    let server = fake().await;
    let results: Vec<Result<Page<Widget>, Error>> = client(&server)
        .pages(list("/backwards"), &WIDGETS, Some(20), None)
        .collect()
        .await;
    // Pages at 0, 20 and 40 (whose next offset is 20 again), then the error.
    assert_eq!(results.len(), 4);
    match &results[3] {
        Err(Error::Pagination { message, .. }) => {
            assert!(message.contains("`20` after `40`"), "{message}");
        }
        other => panic!("expected Error::Pagination, got {other:?}"),
    }
    assert_eq!(server.calls(), 3);
}

#[tokio::test]
async fn a_long_cycle_of_cursors_is_caught() {
    let server = fake().await;
    let results: Vec<Result<Page<Widget>, Error>> = client(&server)
        .pages(list("/cursor-cycle"), &CURSORED, Some(1), None)
        .collect()
        .await;
    let (last, pages) = results.split_last().expect("at least one result");
    assert!(pages.iter().all(Result::is_ok));
    match last {
        Err(Error::Pagination { message, .. }) => {
            assert!(message.contains("again"), "{message}");
        }
        other => panic!("expected Error::Pagination, got {other:?}"),
    }
    // The cycle is 40 pages long; it is seen going round at least once, and caught
    // within about twice its length more, whatever the window of recent cursors.
    assert!(
        (40..=40 + 2 * 64).contains(&server.calls()),
        "{} calls",
        server.calls()
    );
}

#[tokio::test]
async fn server_capping_the_limit_still_completes() {
    let server = fake().await;
    let widgets: Vec<Widget> = client(&server)
        .items(list("/capped"), &WIDGETS, Some(50), None)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&widgets), (0..95).collect::<Vec<_>>());
    assert_eq!(server.calls(), 5);
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.param("limit").as_deref() == Some("50"))
    );
}

#[tokio::test]
async fn offset_reaching_the_total_ends_the_stream() {
    let server = fake().await;
    let pages: Vec<Page<Widget>> = client(&server)
        .pages(list("/overshoot"), &WIDGETS, Some(20), None)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 5);
    assert_eq!(pages[4].next_offset, Some(Offset::Index(100)));
    assert_eq!(server.calls(), 5);
}

#[tokio::test]
async fn listing_resumes_from_a_saved_offset() {
    let server = fake().await;
    let client = client(&server);
    let first: Page<Widget> = client
        .send_page(list("/widgets"), &WIDGETS, Some(20), None)
        .await
        .unwrap();
    assert_eq!(ids(&first.items), (0..20).collect::<Vec<_>>());
    // The saved offset survives a trip through JSON, as a caller would store it.
    let saved = serde_json::to_string(&first.next_offset).unwrap();
    assert_eq!(saved, "20");
    let restored: Option<Offset> = serde_json::from_str(&saved).unwrap();
    let rest: Vec<Widget> = client
        .items(list("/widgets"), &WIDGETS, Some(20), restored)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&rest), (20..95).collect::<Vec<_>>());
    let resumed = client
        .items::<Widget>(
            list("/widgets"),
            &WIDGETS,
            Some(25),
            Some(Offset::Index(60)),
        )
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    assert_eq!(ids(&resumed), (60..95).collect::<Vec<_>>());
    let requests = server.requests();
    assert_eq!(
        requests[requests.len() - 2].param("offset").as_deref(),
        Some("60")
    );
}

#[tokio::test]
async fn streams_are_lazy() {
    let server = fake().await;
    let client = client(&server);
    let mut pages = Box::pin(client.pages::<Widget>(list("/widgets"), &WIDGETS, Some(20), None));
    assert_eq!(server.calls(), 0);
    pages.next().await.unwrap().unwrap();
    assert_eq!(server.calls(), 1);
    let mut items = Box::pin(client.items::<Widget>(list("/widgets"), &WIDGETS, Some(20), None));
    for _ in 0..21 {
        items.next().await.unwrap().unwrap();
    }
    assert_eq!(server.calls(), 3);
}

#[tokio::test]
async fn default_and_maximum_limits() {
    let server = fake().await;
    let client = client(&server);
    // No limit given: the spec's default is sent.
    let widgets: Vec<Widget> = client
        .items(list("/bounded"), &BOUNDED, None, None)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(widgets.len(), 95);
    assert_eq!(server.calls(), 10);
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.param("size").as_deref() == Some("10"))
    );
    // A limit above the maximum is lowered to it.
    let page: Page<Widget> = client
        .send_page(
            list("/bounded"),
            &BOUNDED,
            Some(500),
            Some(Offset::Index(90)),
        )
        .await
        .unwrap();
    assert_eq!(page.items.len(), 5);
    assert_eq!(page.total, None);
    let last = server.requests().pop().unwrap();
    assert_eq!(last.param("size").as_deref(), Some("20"));
    assert_eq!(last.param("start").as_deref(), Some("90"));
    // Without a default, no limit is sent at all.
    client
        .send_page::<Widget>(list("/widgets"), &WIDGETS, None, None)
        .await
        .unwrap();
    let last = server.requests().pop().unwrap();
    assert_eq!(last.param("limit"), None);
    assert_eq!(last.param("offset"), None);
}

#[tokio::test]
async fn cursor_listing_passes_cursors_back_verbatim() {
    let server = fake().await;
    let client = client(&server);
    let pages: Vec<Page<Widget>> = client
        .pages(list("/cursor"), &CURSORED, Some(40), None)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(
        pages[0].next_offset,
        Some(Offset::Cursor("pos-40-x".into()))
    );
    let cursors: Vec<Option<String>> = server
        .requests()
        .iter()
        .map(|r| r.param("cursor"))
        .collect();
    assert_eq!(
        cursors,
        [None, Some("pos-40-x".into()), Some("pos-80-x".into())]
    );
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.param("count").as_deref() == Some("40"))
    );
    let resumed: Vec<Widget> = client
        .items(
            list("/cursor"),
            &CURSORED,
            Some(40),
            Some(Offset::from("pos-80-x")),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&resumed), (80..95).collect::<Vec<_>>());
}

#[tokio::test]
async fn empty_listing_yields_one_empty_page() {
    let server = fake().await;
    let client = client(&server);
    let pages: Vec<Page<Widget>> = client
        .pages(list("/empty"), &WIDGETS, None, None)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    assert!(pages[0].items.is_empty() && pages[0].is_last());
    let items: Vec<Widget> = client
        .items(list("/empty"), &WIDGETS, None, None)
        .try_collect()
        .await
        .unwrap();
    assert!(items.is_empty());
}

#[tokio::test]
async fn an_error_ends_the_stream() {
    let server = fake().await;
    let results: Vec<Result<Widget, Error>> = client(&server)
        .items(list("/missing"), &WIDGETS, None, None)
        .collect()
        .await;
    assert_eq!(results.len(), 1);
    assert!(matches!(&results[0], Err(Error::Api { status, .. }) if status.as_u16() == 404));
}

#[tokio::test]
async fn absolute_links_are_kept_and_never_followed() {
    let server = fake().await;
    let pages: Vec<Page<Widget>> = client(&server)
        .pages(list("/absolute"), &WIDGETS, Some(40), None)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(
        pages[0].next_url.as_ref().map(|u| u.as_str()),
        Some("https://mirror.widgets.invalid/api/open/v2/absolute?offset=40&limit=40")
    );
    // A relative previous link still resolves against the page's own URL.
    let prev = pages[1].prev_url.as_ref().unwrap();
    assert_eq!(prev.host_str(), Some("127.0.0.1"));
    assert_eq!(prev.query(), Some("offset=0&limit=40"));
    // The stream follows the next offset on the configured origin, not the link to
    // another host, so the key goes nowhere else.
    assert_eq!(server.calls(), 3);
}

#[tokio::test]
async fn an_empty_page_ends_the_stream() {
    let server = fake().await;
    let pages: Vec<Page<Widget>> = client(&server)
        .pages(list("/holes"), &WIDGETS, Some(20), None)
        .try_collect()
        .await
        .unwrap();
    // Pages at 0 and 20 hold items; the page at 40 is empty despite its next offset.
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[1].next_offset, Some(Offset::Index(40)));
    assert_eq!(server.calls(), 3);
}

fn bounded_client(server: &Server, pages: u32) -> headout_client::Client<headout_client::WithKey> {
    headout_client::ClientBuilder::with_base_url(&API, server.url())
        .key(TEST_KEY)
        .retry(fast_retry())
        .max_pages(pages)
        .build()
        .unwrap()
}

#[tokio::test]
async fn max_pages_ends_a_longer_listing_with_an_error() {
    let server = fake().await;
    let client = bounded_client(&server, 2);
    assert_eq!(client.max_pages(), Some(2));
    let results: Vec<Result<Widget, Error>> = client
        .items(list("/widgets"), &WIDGETS, Some(20), None)
        .collect()
        .await;
    assert_eq!(results.len(), 41);
    assert!(results[..40].iter().all(Result::is_ok));
    match &results[40] {
        Err(Error::Pagination { operation, message }) => {
            assert_eq!(*operation, "listWidgets");
            assert!(
                message.contains("max_pages") && message.contains("`40`"),
                "{message}"
            );
        }
        other => panic!("expected Error::Pagination, got {other:?}"),
    }
    assert_eq!(server.calls(), 2);

    // A listing that ends within the bound ends normally, and the bound counts from
    // where a resumed stream starts.
    let everything: Vec<Widget> = bounded_client(&server, 5)
        .items(list("/widgets"), &WIDGETS, Some(20), None)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(everything.len(), 95);
    let rest: Vec<Widget> = client
        .items(
            list("/widgets"),
            &WIDGETS,
            Some(20),
            Some(Offset::Index(60)),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&rest), (60..95).collect::<Vec<_>>());
}

#[test]
fn max_pages_of_zero_is_refused() {
    let error = headout_client::ClientBuilder::with_base_url(&API, "https://x.invalid")
        .max_pages(0)
        .build()
        .unwrap_err();
    assert!(matches!(error, Error::Config { .. }), "{error:?}");
    assert!(error.to_string().contains("max_pages"), "{error}");
}
