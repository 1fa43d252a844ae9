//! The example checker: each kind of mismatch on small made-up descriptions, and the
//! documented Headout examples against `spec/headout.yaml`.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use spec::examples::{
    self, Mismatch, MismatchKind, PAGINATION_WRAPPER_FILE, ProblemKind, Report, Shape, check_dir,
    check_dirs, check_example, check_value, resolve,
};
use spec::{ScalarType, Spec, TypeRef};

/// A made-up shop that uses every part of the checker; `exceptions` is the YAML list of
/// `examples.exceptions`.
fn shop_with(exceptions: &str) -> Spec {
    let text = format!(
        r#"
api: {{ name: Shop, crate: shop-client, doc: A made-up shop. }}
environments:
  live: {{ base_url: "https://api.shop.example", key_prefix: live_, default: true, doc: The shop. }}
auth: {{ header: X-Key, doc: The key. }}
versions:
  v1: {{ prefix: /api/v1, auth: required, error: ApiError, doc: The only version. }}
pagination:
  pages:
    offset_param: offset
    limit_param: limit
    offset_kind: index
    items_field: data
    next_url_field: next
    prev_url_field: prev
    total_field: count
    next_offset_field: nextOffset
    doc: Index pagination.
models:
  Pet:
    doc: A pet.
    fields:
      id: {{ type: id, required: true, doc: Its id. }}
      name: {{ type: string, required: true, doc: Its name. }}
      species: {{ type: Species, required: true, doc: Its kind. }}
      bornOn: {{ type: date, nullable: true, doc: Its birthday. }}
      tags: {{ type: list<string>, doc: Labels. }}
      extra: {{ type: map<int32>, doc: Counters. }}
      owner: {{ type: Owner, doc: Who owns it. }}
      soldAt: {{ type: local_datetime, doc: When it was sold. }}
  Owner:
    doc: A person.
    fields:
      name: {{ type: string, required: true, doc: The name. }}
      homepage: {{ type: url, doc: A web page. }}
  Species:
    doc: Kinds.
    values: [DOG, CAT]
  NewPet:
    doc: What to send.
    fields:
      name: {{ type: string, required: true, doc: The name. }}
  ApiError:
    doc: An error body.
    fields:
      code: {{ type: string, required: true, doc: The code. }}
operations:
  v1:
    pets:
      list:
        method: GET
        path: /pets
        doc: Lists pets.
        response: {{ kind: paginated, model: Pet, pagination: pages }}
      get:
        method: GET
        path: /pets/{{petId}}
        doc: Fetches a pet.
        params:
          petId: {{ in: path, type: id, doc: The id. }}
        response: {{ kind: json, model: Pet }}
      create:
        method: POST
        path: /pets
        doc: Adds a pet.
        body: NewPet
        response: {{ kind: json, model: Pet }}
      page:
        method: GET
        path: /pets/page
        doc: A web page of pets.
        response: {{ kind: html }}
events:
  v1:
    pet-sold: {{ model: Pet, doc: Sent when a pet is sold. }}
examples:
  exceptions: {exceptions}
"#
    );
    spec::load_str("shop.yaml", &text)
        .unwrap_or_else(|problems| panic!("{problems}"))
        .spec
}

fn shop() -> Spec {
    shop_with("[]")
}

fn pet() -> Value {
    json!({
        "id": 7,
        "name": "Rex",
        "species": "DOG",
        "bornOn": null,
        "tags": ["good", "boy"],
        "extra": { "walks": 3 },
        "owner": { "name": "Ann", "homepage": "https://ann.example/" },
        "soldAt": "2017-04-12T19:30:00"
    })
}

fn pet_type() -> TypeRef {
    TypeRef::Model("Pet".into())
}

fn mismatch(path: &str, kind: MismatchKind) -> Mismatch {
    Mismatch {
        path: path.into(),
        kind,
    }
}

fn type_mismatch(path: &str, expected: &str, found: &str) -> Mismatch {
    mismatch(
        path,
        MismatchKind::TypeMismatch {
            expected: expected.into(),
            found: found.into(),
        },
    )
}

#[test]
fn a_correct_value_passes() {
    let spec = shop();
    assert_eq!(check_value(&spec, &pet_type(), &pet()), []);
    let minimal = json!({ "id": "p-1", "name": "Tom", "species": "CAT" });
    assert_eq!(
        check_value(&spec, &pet_type(), &minimal),
        [],
        "optional fields may be left out"
    );
}

#[test]
fn an_unknown_field_is_reported_at_its_path() {
    let spec = shop();
    let mut value = pet();
    value["owner"]["image"] = json!("x");
    value["weird key"] = json!(1);
    assert_eq!(
        check_value(&spec, &pet_type(), &value),
        [
            mismatch(
                "$.owner.image",
                MismatchKind::UnknownField {
                    model: "Owner".into(),
                    field: "image".into()
                }
            ),
            mismatch(
                "$[\"weird key\"]",
                MismatchKind::UnknownField {
                    model: "Pet".into(),
                    field: "weird key".into()
                }
            ),
        ]
    );
}

#[test]
fn a_type_mismatch_names_expected_and_found() {
    let spec = shop();
    let mut value = pet();
    value["soldAt"] = json!("2017-04-12");
    value["tags"][1] = json!(2);
    value["extra"]["walks"] = json!(1.5);
    value["owner"] = json!("Ann");
    let found = check_value(&spec, &pet_type(), &value);
    assert_eq!(
        found,
        [
            type_mismatch("$.extra.walks", "int32", "number 1.5"),
            type_mismatch("$.owner", "Owner (an object)", "string \"Ann\""),
            type_mismatch("$.soldAt", "local_datetime", "string \"2017-04-12\""),
            type_mismatch("$.tags[1]", "string", "integer 2"),
        ]
    );
    assert_eq!(
        found[2].to_string(),
        "$.soldAt: type mismatch: expected local_datetime (a string YYYY-MM-DDThh:mm:ss without offset), \
         found string \"2017-04-12\""
    );
    value = pet();
    value["tags"] = json!("good");
    value["extra"] = json!([]);
    assert_eq!(
        check_value(&spec, &pet_type(), &value),
        [
            type_mismatch("$.extra", "map<int32>", "an array of 0 items"),
            type_mismatch("$.tags", "list<string>", "string \"good\""),
        ]
    );
}

#[test]
fn an_enum_value_must_be_listed() {
    let spec = shop();
    let mut value = pet();
    value["species"] = json!("FISH");
    assert_eq!(
        check_value(&spec, &pet_type(), &value),
        [mismatch(
            "$.species",
            MismatchKind::EnumValue {
                model: "Species".into(),
                value: "FISH".into(),
                allowed: vec!["DOG".into(), "CAT".into()]
            }
        )]
    );
    value["species"] = json!(false);
    assert_eq!(
        check_value(&spec, &pet_type(), &value),
        [type_mismatch(
            "$.species",
            "Species (a string enum)",
            "bool false"
        )]
    );
}

#[test]
fn null_is_accepted_only_where_the_field_is_nullable() {
    let spec = shop();
    let mut value = pet();
    value["name"] = Value::Null;
    value["tags"] = Value::Null;
    assert_eq!(
        check_value(&spec, &pet_type(), &value),
        [
            mismatch(
                "$.name",
                MismatchKind::NotNullable {
                    model: "Pet".into(),
                    field: "name".into()
                }
            ),
            mismatch(
                "$.tags",
                MismatchKind::NotNullable {
                    model: "Pet".into(),
                    field: "tags".into()
                }
            ),
        ]
    );
}

#[test]
fn a_missing_required_field_is_reported_where_it_belongs() {
    let spec = shop();
    let mut value = pet();
    value.as_object_mut().unwrap().remove("species");
    value["owner"].as_object_mut().unwrap().remove("name");
    value.as_object_mut().unwrap().remove("tags");
    assert_eq!(
        check_value(&spec, &pet_type(), &value),
        [
            mismatch(
                "$.owner.name",
                MismatchKind::MissingField {
                    model: "Owner".into(),
                    field: "name".into()
                }
            ),
            mismatch(
                "$.species",
                MismatchKind::MissingField {
                    model: "Pet".into(),
                    field: "species".into()
                }
            ),
        ]
    );
}

#[test]
fn scalars_follow_their_rules() {
    let spec = shop();
    let cases: &[(ScalarType, &[Value], &[Value])] = &[
        (
            ScalarType::String,
            &[json!(""), json!("x")],
            &[json!(1), json!(null)],
        ),
        (ScalarType::Bool, &[json!(true)], &[json!("true"), json!(0)]),
        (
            ScalarType::Int32,
            &[json!(-5), json!(2_147_483_647)],
            &[json!(2_147_483_648_i64), json!(1.0), json!("1")],
        ),
        (
            ScalarType::Int64,
            &[json!(i64::MIN), json!(i64::MAX)],
            &[json!(u64::MAX), json!(2.5)],
        ),
        (
            ScalarType::Float64,
            &[json!(1), json!(2.5)],
            &[json!("2.5")],
        ),
        (
            ScalarType::Money,
            &[json!(12), json!(12.5), json!("12.50"), json!("-3")],
            &[json!("12,50"), json!("$1"), json!("1."), json!(true)],
        ),
        (
            ScalarType::Date,
            &[json!("2024-02-29")],
            &[
                json!("2023-02-29"),
                json!("2024-02-29T00:00:00"),
                json!(20240229),
            ],
        ),
        (
            ScalarType::Time,
            &[json!("09:30")],
            &[json!("9:30"), json!("24:00")],
        ),
        (
            ScalarType::LocalDateTime,
            &[json!("2017-04-12T19:30:00")],
            &[
                json!("2017-04-12"),
                json!("2017-04-12T19:30:00Z"),
                json!("2017-04-12T19:30"),
            ],
        ),
        (
            ScalarType::TimestampS,
            &[json!(1_712_953_295), json!(0)],
            &[
                json!(1_756_977_070_403_i64),
                json!("1712953295"),
                json!(1.5),
            ],
        ),
        (
            ScalarType::TimestampMs,
            &[json!(1_756_977_070_403_i64), json!(100_000_000_000_i64)],
            &[
                json!(1_712_953_295),
                json!(10_000_000_000_000_i64),
                json!("1756977070403"),
            ],
        ),
        (
            ScalarType::Url,
            &[json!("https://www.headout.com/x")],
            &[json!("/api/public/v2/cities/"), json!("www.headout.com")],
        ),
        (
            ScalarType::Id,
            &[json!("2844"), json!(512)],
            &[json!(5.5), json!(null), json!([1])],
        ),
        (
            ScalarType::Json,
            &[json!(null), json!({"a": [1]}), json!("x")],
            &[],
        ),
    ];
    for (scalar, good, bad) in cases {
        let ty = TypeRef::Scalar(*scalar);
        for value in *good {
            assert_eq!(
                check_value(&spec, &ty, value),
                [],
                "{} should accept {value}",
                scalar.name()
            );
        }
        for value in *bad {
            let found = check_value(&spec, &ty, value);
            assert_eq!(found.len(), 1, "{} should reject {value}", scalar.name());
            assert!(
                matches!(&found[0].kind, MismatchKind::TypeMismatch { expected, .. } if expected == scalar.name()),
                "{found:?}"
            );
            assert_eq!(found[0].path, "$");
        }
    }
}

#[test]
fn seconds_where_milliseconds_are_expected_are_explained() {
    let spec = shop();
    let found = check_value(
        &spec,
        &TypeRef::Scalar(ScalarType::TimestampMs),
        &json!(1_712_953_295),
    );
    assert_eq!(
        found[0].to_string(),
        "$: type mismatch: expected timestamp_ms (epoch milliseconds: an integer of 12 or 13 digits, from 10^11), \
         found integer 1712953295"
    );
}

#[test]
fn a_paginated_response_is_checked_as_its_wrapper() {
    let spec = shop();
    let good = json!({
        "data": [pet()],
        "next": "https://api.shop.example/api/v1/pets?offset=1&limit=1",
        "prev": "/api/v1/pets?offset=0&limit=1",
        "count": 2,
        "nextOffset": 1
    });
    assert_eq!(
        check_example(&spec, "v1.pets.list.response.json", &good),
        Ok(vec![])
    );
    let ends = json!({ "data": [], "next": null, "prev": null, "count": 0, "nextOffset": null });
    assert_eq!(
        check_example(&spec, "v1.pets.list.response.json", &ends),
        Ok(vec![])
    );
    let cursor = json!({ "data": [], "nextOffset": "abc" });
    assert_eq!(
        check_example(&spec, "v1.pets.list.response.json", &cursor),
        Ok(vec![]),
        "other fields may be absent"
    );

    let bad = json!({
        "items": [],
        "next": "next-url",
        "count": "2",
        "nextOffset": true
    });
    let owner = "the pagination wrapper of style `pages`";
    assert_eq!(
        check_example(&spec, "v1.pets.list.response.json", &bad),
        Ok(vec![
            mismatch(
                "$.data",
                MismatchKind::MissingField {
                    model: owner.into(),
                    field: "data".into()
                }
            ),
            type_mismatch(
                "$.next",
                "an absolute URL, a /relative path or null",
                "string \"next-url\""
            ),
            type_mismatch("$.count", "a non-negative integer", "string \"2\""),
            type_mismatch("$.nextOffset", "an integer, a string or null", "bool true"),
            mismatch(
                "$.items",
                MismatchKind::UnknownField {
                    model: owner.into(),
                    field: "items".into()
                }
            ),
        ])
    );

    let mut wrong_item = good.clone();
    wrong_item["data"][0]["species"] = json!("FISH");
    wrong_item["count"] = Value::Null;
    let found = check_example(&spec, "v1.pets.list.response.json", &wrong_item).unwrap();
    let paths: Vec<&str> = found.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(paths, ["$.data[0].species", "$.count"]);
    assert!(matches!(found[1].kind, MismatchKind::NotNullable { .. }));
}

#[test]
fn the_generic_wrapper_is_checked_against_every_style_with_items_of_any_type() {
    let spec = shop();
    let target = resolve(&spec, PAGINATION_WRAPPER_FILE).unwrap();
    assert!(matches!(&target.shape, Shape::AnyPage(styles) if styles.len() == 1));
    let wrapper = json!({ "data": [1, "two"], "next": "https://next-url", "prev": null, "count": 100, "nextOffset": 20 });
    assert_eq!(
        check_example(&spec, PAGINATION_WRAPPER_FILE, &wrapper),
        Ok(vec![])
    );
    let headout_shaped = json!({ "items": [], "nextUrl": null });
    let found = check_example(&spec, PAGINATION_WRAPPER_FILE, &headout_shaped).unwrap();
    let paths: Vec<&str> = found.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(paths, ["$.data", "$.items", "$.nextUrl"]);
}

#[test]
fn file_names_resolve_to_what_they_show() {
    let spec = shop();
    let shape = |name: &str| {
        resolve(&spec, name)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .shape
    };
    assert_eq!(
        shape("v1.pets.create.request.json"),
        Shape::Type(TypeRef::Model("NewPet".into()))
    );
    assert_eq!(
        shape("v1.pets.create.request.minimal.json"),
        Shape::Type(TypeRef::Model("NewPet".into()))
    );
    assert_eq!(shape("v1.pets.get.response.json"), Shape::Type(pet_type()));
    assert!(
        matches!(shape("v1.pets.list.response.json"), Shape::Page(plan) if plan.item == pet_type())
    );
    assert_eq!(
        shape("v1.error.not-found.json"),
        Shape::Type(TypeRef::Model("ApiError".into()))
    );
    assert_eq!(
        shape("v1.webhooks.pet-sold.request.json"),
        Shape::Type(pet_type()),
        "an event"
    );
    assert_eq!(
        shape("v1.pets.page.response.json"),
        Shape::NotJson("an HTML page".into())
    );

    let found = check_example(&spec, "v1.pets.page.response.json", &json!({})).unwrap();
    assert_eq!(
        found,
        [type_mismatch(
            "$",
            "an HTML page, not JSON",
            "an object with 0 keys"
        )]
    );
}

#[test]
fn a_file_name_that_maps_to_nothing_says_why() {
    let spec = shop();
    let reason = |name: &str| resolve(&spec, name).expect_err(name);
    assert!(reason("v1.pets.delete.response.json").contains("no operation `v1.pets.delete`"));
    assert!(reason("v1.pets.delete.request.json").contains("no event `delete`"));
    assert!(reason("v1.pets.get.request.json").contains("has no request `body`"));
    assert!(reason("v2.pets.get.response.json").contains("no version `v2`"));
    assert!(reason("v2.error.bad.json").contains("no version `v2`"));
    assert!(reason("v1.pets.get.reply.json").contains("neither `request` nor `response`"));
    assert!(reason("pets.json").contains("cannot tell"));
    assert!(reason("notes.txt").contains("`.json`"));
    assert!(check_example(&spec, "v1.pets.delete.response.json", &json!({})).is_err());
}

/// A fresh folder under the test's temporary directory holding `files`.
fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("examples-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    dir
}

#[test]
fn a_folder_report_lists_checked_skipped_problems_and_exceptions() {
    let spec = shop_with(
        r#"
    - { file: v1.pets.get.response.json, path: $.colour, reason: The live API sends it; we ignore it. }
    - { file: docs/v1.pets.create.request.json, path: $.name, reason: Written before the field existed. }
    - { file: v1.pets.get.response.json, path: $.gone, reason: Fixed long ago. }"#,
    );
    let dir = folder(
        "docs",
        &[
            (
                "v1.pets.get.response.json",
                r#"{"id": 1, "name": "Rex", "species": "DOG", "colour": "brown"}"#,
            ),
            ("v1.pets.create.request.json", r#"{}"#),
            (
                "v1.pets.list.response.json",
                r#"{"data": [{"id": 1, "name": "Rex", "species": "FISH"}]}"#,
            ),
            ("v1.pets.delete.response.json", r#"{}"#),
            ("v1.error.broken.json", r#"{"code": "#),
            ("v1.pets.list.response.truncated.txt", "{\"data\": ["),
        ],
    );
    let report = check_dir(&spec, &dir);
    let checked: Vec<&str> = report.checked.iter().map(|c| c.file.as_str()).collect();
    assert_eq!(
        checked,
        [
            "docs/v1.error.broken.json",
            "docs/v1.pets.create.request.json",
            "docs/v1.pets.delete.response.json",
            "docs/v1.pets.get.response.json",
            "docs/v1.pets.list.response.json",
        ]
    );
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(
        report.skipped[0].file,
        "docs/v1.pets.list.response.truncated.txt"
    );
    let applied: Vec<(&str, &str)> = report
        .exceptions_applied
        .iter()
        .map(|a| (a.file.as_str(), a.mismatch.path.as_str()))
        .collect();
    assert_eq!(
        applied,
        [
            ("docs/v1.pets.create.request.json", "$.name"),
            ("docs/v1.pets.get.response.json", "$.colour")
        ]
    );

    let kinds: Vec<(&str, &str, &str)> = report
        .problems
        .iter()
        .map(|p| (p.file.as_str(), p.path.as_str(), p.kind.name()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("docs/v1.error.broken.json", "$", "invalid JSON"),
            ("docs/v1.pets.delete.response.json", "$", "unmapped file"),
            (
                "docs/v1.pets.list.response.json",
                "$.data[0].species",
                "enum value not listed"
            ),
            ("v1.pets.get.response.json", "$.gone", "stale exception"),
        ]
    );
    assert!(
        matches!(&report.problems[3].kind, ProblemKind::StaleException { reason } if reason == "Fixed long ago.")
    );
    assert!(!report.is_ok());

    let text = report.to_string();
    assert!(
        text.starts_with("checked 5 files, skipped 1, 2 exceptions applied, 4 problems ("),
        "{text}"
    );
    assert!(
        text.contains("\ndocs/v1.pets.list.response.json: $.data[0].species: enum value `FISH` is not listed in Species"),
        "{text}"
    );
    assert!(
        text.contains("\ndocs/v1.pets.delete.response.json: $: unmapped file: "),
        "{text}"
    );
    assert_eq!(
        report,
        check_dir(&spec, &dir),
        "the report is deterministic"
    );
}

#[test]
fn exceptions_are_judged_over_all_folders_of_one_call() {
    let spec = shop_with(
        "\n    - { file: v1.pets.get.response.json, path: $.colour, reason: The live API sends it. }",
    );
    let a = folder(
        "a",
        &[(
            "v1.pets.get.response.json",
            r#"{"id": 1, "name": "Rex", "species": "DOG"}"#,
        )],
    );
    let b = folder(
        "b",
        &[(
            "v1.pets.get.response.json",
            r#"{"id": 1, "name": "Rex", "species": "DOG", "colour": 1}"#,
        )],
    );
    assert_eq!(
        check_dir(&spec, &a).problem_counts().get("stale exception"),
        Some(&1)
    );
    let both = check_dirs(&spec, &[&a, &b]);
    assert!(both.is_ok(), "{both}");
    assert_eq!(both.exceptions_applied.len(), 1);
    assert_eq!(
        both.exceptions_applied[0].file,
        "b/v1.pets.get.response.json"
    );
}

#[test]
fn a_missing_folder_is_a_problem() {
    let report = check_dir(
        &shop(),
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-such-folder"),
    );
    assert_eq!(report.problems.len(), 1);
    assert_eq!(report.problems[0].kind.name(), "unreadable");
}

/// The folder of the documented Headout examples: `shared/` sits beside the repository.
fn headout_examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/headout/examples")
}

fn json_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .filter(|entry| {
            entry.path().is_file() && entry.file_name().to_string_lossy().ends_with(".json")
        })
        .count()
}

#[test]
fn headout_examples_match_the_description() {
    let description = Path::new(env!("CARGO_MANIFEST_DIR")).join("headout.yaml");
    let spec = match spec::load(&description) {
        Ok(loaded) => loaded.spec,
        Err(problems) => panic!(
            "{} does not load, so no example can be checked:\n{problems}",
            description.display()
        ),
    };
    let dirs = [
        headout_examples().join("github-docs"),
        headout_examples().join("partner-docs"),
    ];
    let report: Report = examples::check_dirs(&spec, &dirs);
    println!("{report}");

    let expected: usize = dirs.iter().map(|dir| json_files(dir)).sum();
    assert_eq!(
        report.checked.len(),
        expected,
        "every .json example must be checked"
    );
    assert!(
        report.is_ok(),
        "{} problems between the documented examples and {}.\n\
         Each line is `folder/file: JSON path: what is wrong`. Fix the description, or, where the example \
         is wrong and the description right, add an entry to `examples.exceptions` with `file`, `path` and `reason`.\n\n\
         {}\n{}",
        report.problems.len(),
        description.display(),
        report.summary(),
        report
            .problems
            .iter()
            .map(|p| format!("  {p}\n"))
            .collect::<String>()
    );
}
