//! Cursor pagination of the generated Lending Library client: opaque string cursors in
//! `after` and `continueAfter`, page sizes in `pageSize`, items under `entries` or, for
//! loans, `loans`.

use futures_util::TryStreamExt;
use serde_json::json;

use crate::generated::Environment;
use crate::generated::models::{Book, Genre, LoanState};
use crate::runtime::{Client, Error, Offset, Page, WithKey};
use crate::server::{Reply, Server};

/// Cursors with characters that need escaping in a query string, to show they travel
/// back exactly as the server sent them.
const SECOND: &str = "c2:fiction/dune & more=yes";
const THIRD: &str = "opaque+Zm9v==";

fn book(n: u32) -> serde_json::Value {
    json!({ "isbn": format!("isbn-{n}"), "title": format!("Book {n}"), "genre": "fiction" })
}

/// Three pages of books chained by string cursors; the last has a null cursor.
fn catalogue(after: Option<&str>) -> Reply {
    let (entries, next) = match after {
        None => (vec![book(1), book(2)], json!(SECOND)),
        Some(SECOND) => (vec![book(3), book(4)], json!(THIRD)),
        Some(THIRD) => (vec![book(5)], json!(null)),
        Some(other) => return Reply::status(400, json!({ "type": "bad-cursor", "detail": other })),
    };
    Reply::json(json!({ "entries": entries, "continueAfter": next, "matches": 5 }))
}

fn client(server: &Server) -> Client<WithKey> {
    Client::builder(Environment::MainBranch)
        .base_url(server.url())
        .key("mb_0123456789abcdef")
        .build()
        .expect("a main-branch key fits the main branch")
}

#[tokio::test]
async fn items_stream_follows_the_string_cursor_until_it_is_null() {
    let server = Server::start(|request| catalogue(request.param("after"))).await;

    let books: Vec<Book> = Client::builder_with_base_url(server.url())
        .build()
        .expect("a loopback URL is accepted")
        .v3()
        .books()
        .search("dune")
        .genre(Genre::Fiction)
        .items()
        .try_collect()
        .await
        .expect("every page is fetched");

    let titles: Vec<&str> = books.iter().map(|b| b.title.as_str()).collect();
    assert_eq!(titles, ["Book 1", "Book 2", "Book 3", "Book 4", "Book 5"]);
    let requests = server.requests();
    let cursors: Vec<Option<&str>> = requests.iter().map(|r| r.param("after")).collect();
    assert_eq!(cursors, [None, Some(SECOND), Some(THIRD)]);
    for request in &requests {
        assert_eq!(request.path, "/lending/3.0/books");
        // The style's default page size, and the call's own parameters on every page.
        assert_eq!(request.param("pageSize"), Some("25"));
        assert_eq!(request.param("q"), Some("dune"));
        assert_eq!(request.param("genre"), Some("fiction"));
        assert_eq!(request.param("offset"), None);
        assert_eq!(request.param("limit"), None);
    }
}

#[tokio::test]
async fn a_page_hands_out_its_cursor_to_resume_later() {
    let server = Server::start(|request| catalogue(request.param("after"))).await;
    let client = client(&server);

    let first: Page<Book> = client
        .v3()
        .books()
        .search("dune")
        .limit(2)
        .send()
        .await
        .expect("the first page");
    assert_eq!(first.items.len(), 2);
    assert_eq!(first.total, Some(5));
    assert_eq!(first.next_offset, Some(Offset::Cursor(SECOND.to_string())));
    assert!(!first.is_last());

    let pages: Vec<Page<Book>> = client
        .v3()
        .books()
        .search("dune")
        .limit(2)
        .offset(first.next_offset.clone().expect("a next cursor"))
        .pages()
        .try_collect()
        .await
        .expect("the remaining pages");
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].items[0].title, "Book 3");
    assert!(pages[1].is_last());
    assert_eq!(pages[1].next_offset, None);

    let requests = server.requests();
    assert_eq!(requests[0].param("pageSize"), Some("2"));
    assert_eq!(requests[1].param("after"), Some(SECOND));
}

#[tokio::test]
async fn loans_are_read_from_their_own_key_with_their_own_limits() {
    let server = Server::start(|_| {
        Reply::json(json!({
            "loans": [{ "id": "L-1", "isbn": "isbn-1", "dueOn": "2030-01-31", "state": "LOST" }],
            "continueAfter": null,
            "matches": 1,
        }))
    })
    .await;

    let page = client(&server)
        .v3()
        .loans()
        .list("M-7")
        .state(LoanState::Overdue)
        .limit(50)
        .send()
        .await
        .expect("the loans are listed");

    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].state.as_str(), "LOST");
    assert_eq!(page.total, Some(1));
    assert!(page.is_last());
    let request = server.single_request();
    assert_eq!(request.path, "/lending/3.0/members/M-7/loans");
    assert_eq!(request.param("state"), Some("OVERDUE"));
    // The operation lowers the style's maximum of 100 to 10.
    assert_eq!(request.param("pageSize"), Some("10"));
}

#[tokio::test]
async fn loans_under_the_style_key_are_a_decode_error() {
    let server =
        Server::start(|_| Reply::json(json!({ "entries": [], "continueAfter": null }))).await;

    let error = client(&server)
        .v3()
        .loans()
        .list("M-7")
        .send()
        .await
        .expect_err("the items are not under `loans`");

    let Error::Decode { path, .. } = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(path, "loans");
}
