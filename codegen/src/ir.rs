//! The intermediate representation: the description lowered to what Rust code needs.
//! Every name is decided here (through `naming`), every type resolved, and every list is
//! in a stable order, so the emitters only print.

use heck::ToSnakeCase;
use std::collections::BTreeSet;

use spec::{
    DefaultValue, Model, ModelKind, OffsetKind, OperationAuth, ParamLocation, Response, ScalarType,
    Spec, TypeRef, VersionAuth,
};

use crate::naming::{self, Scope};

/// The whole client.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ir {
    /// Crate-level facts.
    pub api: ApiIr,
    /// Environments, in the description's (sorted) order.
    pub environments: Vec<EnvironmentIr>,
    /// Versions with their resources and operations.
    pub versions: Vec<VersionIr>,
    /// Models, by name.
    pub models: Vec<ModelIr>,
}

/// Crate-level facts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ApiIr {
    /// Human name of the API.
    pub name: String,
    /// The crate's library name (`headout_client`), used in doc examples.
    pub lib_name: String,
    /// Crate docs.
    pub doc: String,
    /// The request header that carries the key.
    pub auth_header: String,
    /// The key's doc.
    pub auth_doc: String,
}

/// One environment.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct EnvironmentIr {
    /// The name in the description.
    pub wire_name: String,
    /// The enum variant.
    pub variant: String,
    /// Origin.
    pub base_url: String,
    /// Key prefix.
    pub key_prefix: String,
    /// Whether `Environment::default()` is this one.
    pub is_default: bool,
    /// Doc.
    pub doc: String,
}

/// One version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct VersionIr {
    /// The name in the description (`v1`).
    pub wire_name: String,
    /// Module and accessor method name (`v1`).
    pub module: String,
    /// The version's namespace type (`V1`).
    pub type_name: String,
    /// Path prefix.
    pub prefix: String,
    /// Legacy path prefixes.
    pub legacy_prefixes: Vec<String>,
    /// Whether the whole version needs the key (then it exists only on keyed clients).
    pub keyed: bool,
    /// Doc.
    pub doc: String,
    /// Resources by name.
    pub resources: Vec<ResourceIr>,
}

/// One resource group of a version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ResourceIr {
    /// The name in the description.
    pub wire_name: String,
    /// Accessor method name.
    pub accessor: String,
    /// The namespace type.
    pub type_name: String,
    /// Operations by name.
    pub operations: Vec<OperationIr>,
}

/// One operation: the Rust names beside the wire names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OperationIr {
    /// `version.resource.operation`, as in the description; used in errors.
    pub wire_id: String,
    /// The method on the resource.
    pub method_name: String,
    /// The request builder type.
    pub builder_name: String,
    /// The HTTP method, upper case.
    pub http_method: String,
    /// The path below the version prefix, as written in the description.
    pub wire_path: String,
    /// The path below the version prefix, split at placeholders.
    pub path: Vec<PathPart>,
    /// What the call does with the key.
    pub key_use: KeyUse,
    /// Doc.
    pub doc: String,
    /// Deprecated.
    pub deprecated: bool,
    /// Parameters: path in path order, then the others by wire name.
    pub params: Vec<ParamIr>,
    /// The body, if any: its Rust type and the builder field that holds it.
    pub body: Option<RustType>,
    /// What `send` returns.
    pub response: ResponseIr,
}

/// Whether and how an operation sends the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyUse {
    /// Needs it: the method exists only on keyed clients.
    Required,
    /// Sends it when the client has one.
    Optional,
    /// Never sends it.
    None,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum PathPart {
    /// Literal text.
    Literal(String),
    /// The builder field of a path parameter.
    Param(String),
}

/// One parameter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ParamIr {
    /// The name on the wire.
    pub wire_name: String,
    /// The builder field and argument/setter name.
    pub field: String,
    /// Path, query or header.
    pub location: Location,
    /// The Rust type.
    pub ty: RustType,
    /// Whether it is an argument of the call (else a chained setter).
    pub required: bool,
    /// The server's default, for the docs.
    pub default: Option<String>,
    /// Doc.
    pub doc: String,
    /// Deprecated.
    pub deprecated: bool,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    /// Path.
    Path,
    /// Query string.
    Query,
    /// Header.
    Header,
}

/// What `send` returns.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ResponseIr {
    /// A JSON body of this type.
    Json(RustType),
    /// A page of items, with the page contract.
    Paginated {
        /// The item type.
        item: RustType,
        /// The page contract.
        page: PageIr,
    },
    /// HTML or text.
    Text,
    /// Nothing.
    Empty,
}

/// The page contract of one operation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PageIr {
    /// Offset query parameter.
    pub offset_param: String,
    /// Limit query parameter.
    pub limit_param: String,
    /// Whether offsets are cursors.
    pub cursor: bool,
    /// Server default limit.
    pub default_limit: Option<u32>,
    /// Server maximum limit.
    pub max_limit: Option<u32>,
    /// Items field.
    pub items_field: String,
    /// Next URL field.
    pub next_url_field: Option<String>,
    /// Previous URL field.
    pub prev_url_field: Option<String>,
    /// Total field.
    pub total_field: Option<String>,
    /// Next offset field.
    pub next_offset_field: String,
}

/// A Rust type in generated code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum RustType {
    /// `String`
    String,
    /// `bool`
    Bool,
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `f64`
    F64,
    /// A decimal money amount.
    Money,
    /// A calendar date.
    Date,
    /// A local date-time.
    DateTime,
    /// A time of day.
    Time,
    /// Epoch seconds.
    EpochSeconds,
    /// Epoch milliseconds.
    EpochMillis,
    /// A string or number id.
    Id,
    /// Any JSON.
    Json,
    /// `Vec<T>`
    List(Box<RustType>),
    /// `BTreeMap<String, T>`
    Map(Box<RustType>),
    /// A generated model, by Rust name; `true` for enums.
    Model(String, bool),
}

/// One model.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ModelIr {
    /// Rust type name.
    pub name: String,
    /// Doc.
    pub doc: String,
    /// Deprecated.
    pub deprecated: bool,
    /// Whether callers build values of it: it is part of a request body or parameter.
    /// Other structs are only read from answers, so they are `#[non_exhaustive]` and the
    /// server may add fields without breaking code that uses them.
    pub sent: bool,
    /// Fields or variants.
    pub kind: ModelKindIr,
}

/// Fields or variants.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ModelKindIr {
    /// A struct.
    Object(Vec<FieldIr>),
    /// An enum with a catch-all variant for values the description does not list.
    Enum {
        /// Known values.
        variants: Vec<VariantIr>,
        /// The catch-all variant's name.
        unknown: String,
    },
}

/// One struct field.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FieldIr {
    /// JSON key.
    pub wire_name: String,
    /// Rust field name.
    pub field: String,
    /// The value type (without the `Option`).
    pub ty: RustType,
    /// Whether the Rust field is an `Option`.
    pub optional: bool,
    /// Doc.
    pub doc: String,
    /// Deprecated.
    pub deprecated: bool,
}

/// One enum variant.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct VariantIr {
    /// Wire value.
    pub wire_value: String,
    /// Rust variant name.
    pub variant: String,
    /// Doc.
    pub doc: Option<String>,
    /// Deprecated.
    pub deprecated: bool,
}

/// The names of the models that requests carry: those of request bodies and parameters,
/// and every model their fields reach.
fn sent_models(spec: &Spec) -> BTreeSet<&str> {
    fn model_of(ty: &TypeRef) -> Option<&str> {
        match ty {
            TypeRef::Scalar(_) => None,
            TypeRef::List(inner) | TypeRef::Map(inner) => model_of(inner),
            TypeRef::Model(name) => Some(name),
        }
    }
    let mut pending: Vec<&str> = spec
        .operations
        .iter()
        .flat_map(|op| op.body.iter().chain(op.params.iter().map(|p| &p.ty)))
        .filter_map(model_of)
        .collect();
    let mut sent = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if !sent.insert(name) {
            continue;
        }
        if let Some(Model {
            kind: ModelKind::Object { fields },
            ..
        }) = spec.models.get(name)
        {
            pending.extend(fields.iter().filter_map(|f| model_of(&f.ty)));
        }
    }
    sent
}

/// Lowers a validated description.
pub fn lower(spec: &Spec) -> Ir {
    let api = ApiIr {
        name: spec.api.name.clone(),
        lib_name: spec.api.crate_name.replace('-', "_"),
        doc: spec.api.doc.clone(),
        auth_header: spec.auth.header.clone(),
        auth_doc: spec.auth.doc.clone(),
    };
    let mut env_scope = Scope::default();
    let environments = spec
        .environments
        .iter()
        .map(|e| EnvironmentIr {
            wire_name: e.name.clone(),
            variant: env_scope.claim(naming::pascal(&e.name)).to_string(),
            base_url: e.base_url.clone(),
            key_prefix: e.key_prefix.clone(),
            is_default: e.is_default,
            doc: e.doc.clone(),
        })
        .collect();
    let enums: std::collections::BTreeSet<&str> = spec
        .models
        .values()
        .filter(|m| matches!(m.kind, ModelKind::Enum { .. }))
        .map(|m| m.name.as_str())
        .collect();
    let rust_type = |ty: &TypeRef| lower_type(ty, &enums);

    // A version's name is both its module beside `api` and `models` and its accessor
    // method on `Client`, so it must avoid the names of both.
    let reserved_modules: Vec<&str> = naming::RESERVED_MODULES
        .iter()
        .chain(naming::CLIENT_METHODS)
        .copied()
        .collect();
    let mut module_scope = Scope::with_reserved(&reserved_modules);
    let versions = spec
        .versions
        .iter()
        .map(|version| {
            let module = module_scope
                .claim_or(naming::snake(&version.name), "_version")
                .to_string();
            let type_name = Scope::with_reserved(naming::RESERVED_VERSION_TYPES)
                .claim_or(naming::pascal(&version.name), "Version")
                .to_string();
            let mut resource_scope = Scope::with_reserved(naming::DERIVED_METHODS);
            let mut type_reserved = naming::RESERVED_VERSION_TYPES.to_vec();
            type_reserved.push(&type_name);
            let mut type_scope = Scope::with_reserved(&type_reserved);
            let mut resources: Vec<ResourceIr> = Vec::new();
            // The operations of one resource come one after the other, so one method
            // scope serves the current resource.
            let mut method_scope = Scope::default();
            for op in spec.operations.iter().filter(|o| o.version == version.name) {
                if resources.last().is_none_or(|r| r.wire_name != op.resource) {
                    method_scope = Scope::with_reserved(naming::DERIVED_METHODS);
                    resources.push(ResourceIr {
                        wire_name: op.resource.clone(),
                        accessor: resource_scope
                            .claim_or(naming::snake(&op.resource), "_resource")
                            .to_string(),
                        type_name: type_scope
                            .claim_or(naming::pascal(&op.resource), "Resource")
                            .to_string(),
                        operations: Vec::new(),
                    });
                }
                let resource = resources.last_mut().expect("pushed above");
                let method_name = method_scope
                    .claim_or(naming::snake(&op.name), "_operation")
                    .to_string();
                let builder_name = type_scope
                    .claim_or(naming::pascal_join(&[&op.resource, &op.name]), "Request")
                    .to_string();
                resource.operations.push(lower_operation(
                    op,
                    version.auth,
                    method_name,
                    builder_name,
                    &rust_type,
                ));
            }
            VersionIr {
                wire_name: version.name.clone(),
                type_name,
                module,
                prefix: version.prefix.clone(),
                legacy_prefixes: version.legacy_prefixes.clone(),
                keyed: version.auth == VersionAuth::Required,
                doc: version.doc.clone(),
                resources,
            }
        })
        .collect();

    let sent = sent_models(spec);
    let models = spec
        .models
        .values()
        .map(|model| ModelIr {
            name: naming::pascal(&model.name).to_string(),
            doc: model.doc.clone(),
            deprecated: model.deprecated,
            sent: sent.contains(model.name.as_str()),
            kind: match &model.kind {
                ModelKind::Object { fields } => {
                    let mut scope = Scope::default();
                    ModelKindIr::Object(
                        fields
                            .iter()
                            .map(|f| FieldIr {
                                wire_name: f.wire_name.clone(),
                                field: scope.claim(naming::snake(&f.wire_name)).to_string(),
                                ty: rust_type(&f.ty),
                                optional: !f.required || f.nullable,
                                doc: f.doc.clone(),
                                deprecated: f.deprecated,
                            })
                            .collect(),
                    )
                }
                ModelKind::Enum { values } => {
                    let mut scope = Scope::with_reserved(&[naming::UNKNOWN_VARIANT]);
                    let variants: Vec<VariantIr> = values
                        .iter()
                        .map(|v| VariantIr {
                            wire_value: v.value.clone(),
                            variant: scope
                                .claim_or(naming::pascal(&v.value), "Value")
                                .to_string(),
                            doc: v.doc.clone(),
                            deprecated: v.deprecated,
                        })
                        .collect();
                    ModelKindIr::Enum {
                        variants,
                        unknown: naming::UNKNOWN_VARIANT.to_string(),
                    }
                }
            },
        })
        .collect();

    Ir {
        api,
        environments,
        versions,
        models,
    }
}

fn lower_type(ty: &TypeRef, enums: &std::collections::BTreeSet<&str>) -> RustType {
    match ty {
        TypeRef::Scalar(scalar) => match scalar {
            ScalarType::String | ScalarType::Url => RustType::String,
            ScalarType::Bool => RustType::Bool,
            ScalarType::Int32 => RustType::I32,
            ScalarType::Int64 => RustType::I64,
            ScalarType::Float64 => RustType::F64,
            ScalarType::Money => RustType::Money,
            ScalarType::Date => RustType::Date,
            ScalarType::LocalDateTime => RustType::DateTime,
            ScalarType::Time => RustType::Time,
            ScalarType::TimestampMs => RustType::EpochMillis,
            ScalarType::TimestampS => RustType::EpochSeconds,
            ScalarType::Id => RustType::Id,
            ScalarType::Json => RustType::Json,
        },
        TypeRef::List(inner) => RustType::List(Box::new(lower_type(inner, enums))),
        TypeRef::Map(inner) => RustType::Map(Box::new(lower_type(inner, enums))),
        TypeRef::Model(name) => RustType::Model(
            naming::pascal(name).to_string(),
            enums.contains(name.as_str()),
        ),
    }
}

fn lower_operation(
    op: &spec::Operation,
    version_auth: VersionAuth,
    method_name: String,
    builder_name: String,
    rust_type: &dyn Fn(&TypeRef) -> RustType,
) -> OperationIr {
    // A parameter is a builder field and, when optional, a setter method of the same
    // name: it must take neither a field nor a method the builder already has.
    let mut reserved = naming::RESERVED_BUILDER_NAMES.to_vec();
    reserved.extend(naming::DERIVED_METHODS);
    if matches!(op.response, Response::Paginated(_)) {
        reserved.extend(naming::RESERVED_PAGINATED_BUILDER_NAMES);
    }
    let mut scope = Scope::with_reserved(&reserved);
    let params: Vec<ParamIr> = op
        .params
        .iter()
        .map(|p| ParamIr {
            wire_name: p.wire_name.clone(),
            field: scope
                .claim_or(naming::snake(&p.wire_name), "_param")
                .to_string(),
            location: match p.location {
                ParamLocation::Path => Location::Path,
                ParamLocation::Query => Location::Query,
                ParamLocation::Header => Location::Header,
            },
            ty: rust_type(&p.ty),
            required: p.required,
            default: p.default.as_ref().map(|d| match d {
                DefaultValue::Bool(b) => b.to_string(),
                DefaultValue::Int(i) => i.to_string(),
                DefaultValue::Float(f) => f.to_string(),
                DefaultValue::String(s) => format!("`{s}`"),
            }),
            doc: p.doc.clone(),
            deprecated: p.deprecated,
        })
        .collect();
    let mut path = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}').unwrap_or(rest.len() - open);
        if open > 0 {
            path.push(PathPart::Literal(rest[..open].to_string()));
        }
        let name = &rest[open + 1..close];
        let field = params
            .iter()
            .find(|p| p.location == Location::Path && p.wire_name == name)
            .map(|p| p.field.clone())
            .unwrap_or_else(|| name.to_snake_case());
        path.push(PathPart::Param(field));
        rest = rest.get(close + 1..).unwrap_or_default();
    }
    if !rest.is_empty() {
        path.push(PathPart::Literal(rest.to_string()));
    }
    let key_use = match (version_auth, op.auth) {
        (VersionAuth::Required, _) | (_, OperationAuth::Required) => KeyUse::Required,
        (_, OperationAuth::Optional) => KeyUse::Optional,
        (_, OperationAuth::None) => KeyUse::None,
    };
    let response = match &op.response {
        Response::Json(ty) => ResponseIr::Json(rust_type(ty)),
        Response::Paginated(plan) => ResponseIr::Paginated {
            item: rust_type(&plan.item),
            page: PageIr {
                offset_param: plan.style.offset_param.clone(),
                limit_param: plan.style.limit_param.clone(),
                cursor: plan.style.offset_kind == OffsetKind::Cursor,
                default_limit: plan.style.default_limit,
                max_limit: plan.style.max_limit,
                items_field: plan.style.items_field.clone(),
                next_url_field: plan.style.next_url_field.clone(),
                prev_url_field: plan.style.prev_url_field.clone(),
                total_field: plan.style.total_field.clone(),
                next_offset_field: plan.style.next_offset_field.clone(),
            },
        },
        Response::Html | Response::Text => ResponseIr::Text,
        Response::Empty => ResponseIr::Empty,
    };
    OperationIr {
        wire_id: format!("{}.{}.{}", op.version, op.resource, op.name),
        method_name,
        builder_name,
        http_method: op.method.as_str().to_string(),
        wire_path: op.path.clone(),
        path,
        key_use,
        doc: op.doc.clone(),
        deprecated: op.deprecated,
        params,
        body: op.body.as_ref().map(rust_type),
        response,
    }
}
