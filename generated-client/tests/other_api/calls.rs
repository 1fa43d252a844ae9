//! Single calls of the generated Lending Library client: the auth header and the key
//! rules, environments, paths under the version prefixes, bodies, and models.

use serde_json::json;

use crate::generated::models::{Book, Genre, Loan, LoanState, NewLoan, Problem};
use crate::generated::{AUTH_HEADER, Environment};
use crate::runtime::{Client, Decimal, Error, Id, NaiveDate, NoKey, WithKey};
use crate::server::{Reply, Server};

/// A key of the `reading-room` environment.
const READING_ROOM_KEY: &str = "rr_0123456789abcdef";
/// A key of the `main-branch` environment.
const MAIN_BRANCH_KEY: &str = "mb_fedcba9876543210";

fn book(isbn: &str, title: &str) -> serde_json::Value {
    json!({ "isbn": isbn, "title": title, "genre": "fiction" })
}

/// A keyed client of the `reading-room` environment whose requests go to `server`; the
/// environment is kept, so the key is still checked against it.
fn keyed(server: &Server) -> Client<WithKey> {
    Client::builder(Environment::ReadingRoom)
        .base_url(server.url())
        .key(READING_ROOM_KEY)
        .build()
        .expect("a reading-room key fits the reading-room environment")
}

fn keyless(server: &Server) -> Client<NoKey> {
    Client::builder_with_base_url(server.url())
        .build()
        .expect("a loopback URL is accepted")
}

fn config_message(result: Result<Client<WithKey>, Error>) -> String {
    match result {
        Err(Error::Config { message }) => message,
        Err(other) => panic!("expected a configuration error, got {other:?}"),
        Ok(_) => panic!("expected the client to be refused"),
    }
}

#[test]
fn environments_and_header_come_from_the_description() {
    assert_eq!(
        Environment::ALL,
        [Environment::MainBranch, Environment::ReadingRoom]
    );
    assert_eq!(Environment::default(), Environment::MainBranch);
    assert_eq!(Environment::MainBranch.name(), "main-branch");
    assert_eq!(
        Environment::MainBranch.base_url(),
        "https://api.library.example"
    );
    assert_eq!(Environment::MainBranch.key_prefix(), "mb_");
    assert_eq!(Environment::ReadingRoom.name(), "reading-room");
    assert_eq!(
        Environment::ReadingRoom.base_url(),
        "https://reading-room.library.example"
    );
    assert_eq!(Environment::ReadingRoom.key_prefix(), "rr_");
    assert_eq!(AUTH_HEADER, "X-Library-Key");
}

#[test]
fn a_key_of_the_other_environment_is_refused_at_construction() {
    let message = config_message(
        Client::builder(Environment::MainBranch)
            .key(READING_ROOM_KEY)
            .build(),
    );
    for part in ["`rr_`", "`reading-room`", "`main-branch`", "`mb_`"] {
        assert!(message.contains(part), "{part} missing from: {message}");
    }
    assert!(
        !message.contains(READING_ROOM_KEY),
        "the key leaked: {message}"
    );

    let message = config_message(
        Client::builder(Environment::ReadingRoom)
            .key(MAIN_BRANCH_KEY)
            .build(),
    );
    assert!(message.contains("`main-branch`"), "{message}");

    // Keys that fit, and keys of no known environment (left for the server to judge).
    Client::builder(Environment::MainBranch)
        .key(MAIN_BRANCH_KEY)
        .build()
        .expect("a main-branch key fits the main branch");
    Client::builder(Environment::ReadingRoom)
        .key("staff-badge-42")
        .build()
        .expect("a key without a known prefix is left to the server");
}

#[test]
fn no_version_has_a_legacy_prefix() {
    let message = config_message(
        Client::builder(Environment::MainBranch)
            .key(MAIN_BRANCH_KEY)
            .legacy_prefix("v3", true)
            .build(),
    );
    assert!(message.contains("no legacy prefix"), "{message}");
}

#[tokio::test]
async fn a_keyed_call_sends_the_key_in_the_library_header_with_its_body() {
    let server = Server::start(|_| {
        Reply::json(json!({
            "id": "L-1",
            "isbn": 9780141036144_i64,
            "dueOn": "2030-01-31",
            "state": "OPEN",
        }))
    })
    .await;
    let client = keyed(&server);

    let body = NewLoan {
        isbn: Id::from("978-0-14-103614-4"),
        days: Some(14),
    };
    let loan: Loan = client
        .v3()
        .loans()
        .create("M 7/b", body)
        .request_token("once-only")
        .send()
        .await
        .expect("the loan is made");

    let request = server.single_request();
    assert_eq!(request.method, "POST");
    // The path parameter is one escaped segment under the version prefix.
    assert_eq!(request.path, "/lending/3.0/members/M%207%2Fb/loans");
    assert_eq!(request.header("X-Library-Key"), Some(READING_ROOM_KEY));
    assert_eq!(request.header("Request-Token"), Some("once-only"));
    assert_eq!(
        request.json(),
        json!({ "isbn": "978-0-14-103614-4", "days": 14 })
    );
    assert_eq!(loan.id, "L-1");
    assert_eq!(loan.isbn, Id::from(9780141036144_i64));
    assert_eq!(loan.due_on, NaiveDate::from_ymd_opt(2030, 1, 31).unwrap());
    assert_eq!(loan.state, LoanState::Open);
}

#[tokio::test]
async fn an_optional_call_works_without_a_key_and_sends_one_when_there_is() {
    let server =
        Server::start(|_| Reply::json(json!({ "entries": [], "continueAfter": null }))).await;

    keyless(&server)
        .v3()
        .books()
        .search("dune")
        .send()
        .await
        .expect("searching needs no key");
    keyed(&server)
        .v3()
        .books()
        .search("dune")
        .send()
        .await
        .expect("searching takes a key");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].path, "/lending/3.0/books");
    assert_eq!(requests[0].header("X-Library-Key"), None);
    assert_eq!(requests[1].header("X-Library-Key"), Some(READING_ROOM_KEY));
}

#[tokio::test]
async fn an_open_call_never_sends_the_key() {
    let server = Server::start(|_| Reply::json(book("9780441013593", "Dune"))).await;

    let book = keyed(&server)
        .v3()
        .books()
        .get(9780441013593_i64)
        .send()
        .await
        .expect("the book is found");

    let request = server.single_request();
    assert_eq!(request.path, "/lending/3.0/books/9780441013593");
    assert_eq!(request.header("X-Library-Key"), None);
    assert_eq!(book.title, "Dune");
}

#[tokio::test]
async fn a_keyed_only_version_has_its_own_prefix() {
    let server = Server::start(|_| {
        Reply::json(json!({
            "entries": [{ "number": "M-7", "name": "Ada" }],
            "continueAfter": null,
            "matches": 1,
        }))
    })
    .await;

    let page = keyed(&server)
        .staff()
        .members()
        .list()
        .send()
        .await
        .expect("staff may list members");

    let request = server.single_request();
    assert_eq!(request.path, "/staff/members");
    assert_eq!(request.header("X-Library-Key"), Some(READING_ROOM_KEY));
    assert_eq!(page.items[0].name, "Ada");
}

#[tokio::test]
async fn empty_and_text_answers() {
    let server = Server::start(|request| match request.path.as_str() {
        "/lending/3.0/ping" => Reply::text("open"),
        _ => Reply::no_content(),
    })
    .await;
    let client = keyed(&server);

    client
        .v3()
        .loans()
        .r#return("M-7", "L-1")
        .send()
        .await
        .expect("the book is back");
    let status = client
        .v3()
        .status()
        .ping()
        .send()
        .await
        .expect("a text answer");

    let requests = server.requests();
    assert_eq!(requests[0].method, "POST");
    assert_eq!(
        requests[0].path,
        "/lending/3.0/members/M-7/loans/L-1/return"
    );
    assert_eq!(requests[1].header("X-Library-Key"), None);
    assert_eq!(status, "open");
}

#[tokio::test]
async fn an_error_answer_keeps_its_status_and_body() {
    let server = Server::start(|_| {
        Reply::status(
            404,
            json!({ "type": "no-such-book", "detail": "Not in the catalogue." }),
        )
    })
    .await;

    let error = keyless(&server)
        .v3()
        .books()
        .get("0000000000")
        .send()
        .await
        .expect_err("the book does not exist");

    let Error::Api {
        operation,
        status,
        body,
        ..
    } = &error
    else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(*operation, "v3.books.get");
    assert_eq!(status.as_u16(), 404);
    // The version's error model reads the body.
    let problem: Problem = serde_json::from_str(body).expect("a Problem body");
    assert_eq!(problem.r#type, "no-such-book");
}

#[test]
fn unknown_enum_values_are_kept() {
    let book: Book = serde_json::from_value(json!({
        "isbn": "9780141036144",
        "title": "Nineteen Eighty-Four",
        "genre": "graphic-novel",
    }))
    .expect("an unknown genre does not fail the book");
    assert_eq!(book.genre, Genre::Unknown("graphic-novel".to_string()));
    assert!(book.genre.is_unknown());
    assert_eq!(book.genre.as_str(), "graphic-novel");
    assert_eq!(
        serde_json::to_value(&book).unwrap()["genre"],
        json!("graphic-novel")
    );

    let genre: Genre = serde_json::from_value(json!("non-fiction")).unwrap();
    assert_eq!(genre, Genre::NonFiction);
    assert_eq!(
        Genre::KNOWN,
        [Genre::Fiction, Genre::NonFiction, Genre::Poetry]
    );
}

#[test]
fn optional_fields_may_be_absent_or_null() {
    let book: Book = serde_json::from_value(json!({
        "isbn": 9780141036144_i64,
        "title": "Nineteen Eighty-Four",
        "genre": "fiction",
        "publishedOn": null,
    }))
    .unwrap();
    assert_eq!(book.published_on, None);
    assert_eq!(book.late_fee, None);
    assert!(book.tags.is_empty());

    let book: Book = serde_json::from_value(json!({
        "isbn": "x",
        "title": "t",
        "genre": "poetry",
        "publishedOn": "1949-06-08",
        "lateFee": 0.10,
        "tags": ["dystopia"],
    }))
    .unwrap();
    assert_eq!(
        book.published_on,
        Some(NaiveDate::from_ymd_opt(1949, 6, 8).unwrap())
    );
    assert_eq!(book.late_fee, Some(Decimal::new(10, 2)));
    assert_eq!(book.tags, ["dystopia"]);
}
