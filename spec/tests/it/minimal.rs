//! The small example description loads, and loads into what it says.

use std::path::Path;

use spec::{DefaultValue, ModelKind, OperationAuth, ParamLocation, Response, ScalarType, TypeRef};

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn minimal_description_loads_into_a_resolved_spec() {
    let loaded =
        spec::load(fixture("minimal.yaml")).unwrap_or_else(|problems| panic!("{problems}"));
    assert!(loaded.warnings.0.is_empty(), "{}", loaded.warnings);
    let spec = loaded.spec;

    assert_eq!(spec.api.crate_name, "petstore-client");
    assert_eq!(spec.default_environment().name, "live");
    assert_eq!(spec.auth.header, "X-Pet-Key");
    let v1 = spec.version("v1").unwrap();
    assert_eq!(v1.legacy_prefixes, ["/v1"]);
    assert_eq!(v1.error, Some(TypeRef::Model("ApiError".into())));

    let list = spec.operation("v1", "pets", "list").unwrap();
    assert_eq!(list.auth, OperationAuth::Optional);
    assert_eq!(
        list.error,
        Some(TypeRef::Model("ApiError".into())),
        "inherits the version's error model"
    );
    let Response::Paginated(plan) = &list.response else {
        panic!("list pages")
    };
    assert_eq!(plan.style.items_field, "data");
    assert_eq!(plan.style.default_limit, Some(25));
    assert_eq!(plan.item, TypeRef::Model("Pet".into()));
    assert_eq!(
        list.params[0].default,
        Some(DefaultValue::String("DOG".into()))
    );

    let get = spec.operation("v1", "pets", "get").unwrap();
    assert_eq!(get.params[0].location, ParamLocation::Path);
    assert!(
        get.params[0].required,
        "path parameters are always required"
    );

    let ModelKind::Object { fields } = &spec.model("Pet").unwrap().kind else {
        panic!("Pet is an object")
    };
    let tags = fields.iter().find(|f| f.wire_name == "tags").unwrap();
    assert_eq!(
        tags.ty,
        TypeRef::List(Box::new(TypeRef::Scalar(ScalarType::String)))
    );
    let ModelKind::Enum { values } = &spec.model("Species").unwrap().kind else {
        panic!("Species is an enum")
    };
    let values: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(values, ["DOG", "CAT", "NO"]);
    assert_eq!(spec.events.len(), 1);
}

#[test]
fn loading_twice_gives_the_same_spec() {
    let a = spec::load(fixture("minimal.yaml")).unwrap().spec;
    let b = spec::load(fixture("minimal.yaml")).unwrap().spec;
    assert_eq!(a, b);
}
