//! Emits one `src/generated/<version>.rs` per version: the version's namespace, one
//! namespace per resource, and one request builder per operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::Piece;
use super::common::{
    Splice, argument_converts, argument_type, deprecated, doc, doc_with, ident, rust_type,
};
use crate::ir::{
    Ir, KeyUse, Location, OperationIr, PageIr, ParamIr, PathPart, ResourceIr, ResponseIr, RustType,
    VersionIr,
};

/// The file's path inside the client crate.
pub fn path(version: &VersionIr) -> String {
    format!(
        "src/generated/{}.rs",
        version.module.trim_start_matches("r#")
    )
}

/// The file's pieces: the version's namespace (with the file's inner attributes), then
/// one piece per resource.
pub fn pieces<'a>(ir: &'a Ir, version: &'a VersionIr) -> Vec<Piece<'a>> {
    // In units of about a model field (see `Piece::weight`): a resource accessor, with
    // its doc example, costs about five; an operation (method, builder, request and
    // send functions) about twenty-five, and three more per parameter.
    let head = Piece::new(5 + 5 * version.resources.len(), move || head(ir, version));
    let resources = version.resources.iter().map(|r| {
        let weight = r
            .operations
            .iter()
            .map(|o| 25 + 3 * o.params.len())
            .sum::<usize>();
        Piece::new(2 + weight, move || resource(version, r))
    });
    std::iter::once(head).chain(resources).collect()
}

/// The file's inner attributes and the version's namespace.
fn head(ir: &Ir, version: &VersionIr) -> TokenStream {
    let module_doc = format!(
        " Operations of version `{}` (`{}`).",
        version.wire_name, version.prefix
    );
    // A version without operations (described before any of its calls) has nothing to
    // reach: a namespace without methods would only be noise, and its `client` field
    // dead code. The file keeps its module doc, and the runtime still knows the
    // version's prefixes from `API`.
    if version.resources.is_empty() {
        return quote! {
            #![doc = #module_doc]
            #![doc = ""]
            #![doc = " The description lists no operation of this version yet."]
        };
    }
    let ty = ident(&version.type_name);
    let accessor = ident(&version.module);
    let docs = doc(&version.doc);
    // A version whose every operation needs the key asks it of the client on its
    // accessor; the runtime's `HasKey` turns a call on a keyless client into a compile
    // error that says to add a key.
    let key_bound = if version.keyed {
        quote! { where A: crate::runtime::HasKey }
    } else {
        TokenStream::new()
    };
    let any_keyed = version
        .resources
        .iter()
        .flat_map(|r| &r.operations)
        .any(|o| o.key_use == KeyUse::Required);
    let accessor_doc = if version.keyed {
        doc_with(
            &version.doc,
            "Every operation of this version needs the key, so this method can only be called on a client built with `.key(…)`.",
        )
    } else if any_keyed {
        doc_with(
            &version.doc,
            "Operations that need the key can only be called on a client built with `.key(…)`.",
        )
    } else {
        doc_with(&version.doc, "No operation of this version needs the key.")
    };
    let resource_accessors = version.resources.iter().map(|r| {
        let accessor = ident(&r.accessor);
        let rty = ident(&r.type_name);
        let docs = resource_doc(ir, version, r);
        quote! {
            #docs
            pub fn #accessor(&self) -> #rty<'a, A> {
                #rty { client: self.client }
            }
        }
    });
    quote! {
        #![doc = #module_doc]
        #![allow(deprecated)]

        impl<A: crate::runtime::AuthState> crate::runtime::Client<A> {
            #accessor_doc
            pub fn #accessor(&self) -> #ty<'_, A> #key_bound {
                #ty { client: self }
            }
        }

        #docs
        #[derive(Debug, Clone, Copy)]
        pub struct #ty<'a, A: crate::runtime::AuthState> {
            client: &'a crate::runtime::Client<A>,
        }

        impl<'a, A: crate::runtime::AuthState> #ty<'a, A> {
            #(#resource_accessors)*
        }
    }
}

/// The resource accessor's docs, with a compile-checked example of its first operation
/// that needs no body.
fn resource_doc(ir: &Ir, version: &VersionIr, resource: &ResourceIr) -> TokenStream {
    let text = format!(
        "The `{}` operations of `{}`.",
        resource.wire_name, version.wire_name
    );
    let Some(op) = resource
        .operations
        .iter()
        .find(|o| o.body.is_none() && !o.deprecated)
    else {
        return doc(&text);
    };
    let lib = &ir.api.lib_name;
    let env = ir
        .environments
        .iter()
        .find(|e| e.is_default)
        .unwrap_or(&ir.environments[0]);
    let needs_key = version.keyed || op.key_use != KeyUse::None;
    let key = if needs_key {
        ".key(std::env::var(\"API_KEY\").unwrap_or_default())"
    } else {
        ""
    };
    let args: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| example_value(lib, &p.ty))
        .collect();
    // The example is code: keyword names keep their `r#` (`client.r#async()`).
    let call = format!(
        "client.{}().{}().{}({})",
        version.module,
        resource.accessor,
        op.method_name,
        args.join(", ")
    );
    let use_result = match &op.response {
        ResponseIr::Paginated { .. } => format!(
            "use futures_util::StreamExt;\n\n\
             let page = {call}.send().await?;\n\
             println!(\"{{}} items on the first page\", page.items.len());\n\n\
             let mut items = std::pin::pin!({call}.items());\n\
             while let Some(item) = items.next().await {{\n    let _item = item?;\n}}"
        ),
        _ => format!("let response = {call}.send().await?;\nlet _ = response;"),
    };
    let example = format!(
        "```no_run\n\
         # async fn example() -> Result<(), {lib}::Error> {{\n\
         use {lib}::{{Client, Environment}};\n\n\
         let client = Client::builder(Environment::{env}){key}.build()?;\n\
         {use_result}\n\
         # Ok(())\n\
         # }}\n\
         ```",
        env = env.variant,
    );
    doc_with(&text, &example)
}

/// A literal of `ty` for doc examples.
fn example_value(lib: &str, ty: &RustType) -> String {
    match ty {
        RustType::String => "\"example\"".into(),
        RustType::Id => "\"12345\"".into(),
        RustType::Bool => "true".into(),
        RustType::I32 | RustType::I64 => "1".into(),
        RustType::F64 => "1.0".into(),
        RustType::Money => format!("{lib}::Decimal::new(1999, 2)"),
        RustType::Date => format!("{lib}::NaiveDate::from_ymd_opt(2030, 1, 31).unwrap()"),
        RustType::DateTime => format!(
            "{lib}::NaiveDate::from_ymd_opt(2030, 1, 31).unwrap().and_hms_opt(9, 30, 0).unwrap()"
        ),
        RustType::Time => {
            format!("{lib}::LocalTime(chrono::NaiveTime::from_hms_opt(9, 30, 0).unwrap())")
        }
        RustType::EpochSeconds => format!("{lib}::EpochSeconds(0)"),
        RustType::EpochMillis => format!("{lib}::EpochMillis(0)"),
        RustType::Json => "serde_json::Value::Null".into(),
        RustType::List(_) => "Vec::new()".into(),
        RustType::Map(_) => "Default::default()".into(),
        RustType::Model(name, true) => format!("{lib}::models::{name}::KNOWN[0].clone()"),
        RustType::Model(name, false) => format!("todo!(\"a {name}\")"),
    }
}

fn resource(version: &VersionIr, resource: &ResourceIr) -> TokenStream {
    let rty = ident(&resource.type_name);
    let docs = doc(&format!("The `{}` operations.", resource.wire_name));
    // Every operation goes into one impl block; those that need the key carry a
    // `where A: HasKey` bound, so that calling one on a keyless client fails to compile
    // with the runtime's message about the key. In a version whose accessor already
    // asks for the key, a second bound would only repeat the same error.
    let methods = resource
        .operations
        .iter()
        .map(|o| Splice::new(operation_method(o, !version.keyed)));
    let builders = resource.operations.iter().map(|o| Splice::new(builder(o)));
    quote! {
        #docs
        #[derive(Debug, Clone, Copy)]
        pub struct #rty<'a, A: crate::runtime::AuthState> {
            client: &'a crate::runtime::Client<A>,
        }

        impl<'a, A: crate::runtime::AuthState> #rty<'a, A> {
            #(#methods)*
        }

        #(#builders)*
    }
}

fn key_note(op: &OperationIr) -> &'static str {
    match op.key_use {
        KeyUse::Required => "Needs the key.",
        KeyUse::Optional => "Works without the key; a client that has one sends it.",
        KeyUse::None => "Never sends the key.",
    }
}

/// The resource method that starts a request; it asks `HasKey` of the client when the
/// operation needs the key and `bound_key` is set.
fn operation_method(op: &OperationIr, bound_key: bool) -> TokenStream {
    let method = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let mut text = format!(
        "{}\n\n`{} {}` — {}",
        op.doc.trim_end(),
        op.http_method,
        op.wire_path,
        key_note(op)
    );
    let required: Vec<&ParamIr> = op.params.iter().filter(|p| p.required).collect();
    if !required.is_empty() || op.body.is_some() {
        text.push_str("\n\nArguments:");
    }
    for p in &required {
        text.push_str(&format!(
            "\n- `{}` (`{}`): {}",
            p.field.trim_start_matches("r#"),
            p.wire_name,
            one_line(&p.doc)
        ));
    }
    if op.body.is_some() {
        text.push_str("\n- `body`: the request body.");
    }
    let docs = doc(&text);
    let deprecated = deprecated(op.deprecated);
    // Required parameters are arguments rather than setters so that a call cannot forget
    // one; an operation with many of them trips clippy's `too_many_arguments` (more than
    // seven inputs, `&self` included), which is the design here, not an oversight.
    let inputs = 1 + required.len() + usize::from(op.body.is_some());
    let allow_many = if inputs > 7 {
        quote! { #[allow(clippy::too_many_arguments)] }
    } else {
        TokenStream::new()
    };
    let arg_names: Vec<_> = required.iter().map(|p| ident(&p.field)).collect();
    let arg_types = required.iter().map(|p| Splice::new(argument_type(&p.ty)));
    let inits = op.params.iter().map(|p| {
        let field = ident(&p.field);
        if !p.required {
            quote! { #field: ::std::option::Option::None, }
        } else if argument_converts(&p.ty) {
            quote! { #field: #field.into(), }
        } else {
            quote! { #field, }
        }
    });
    let (body_arg, body_init) = match &op.body {
        Some(ty) => {
            let ty = rust_type(ty);
            (quote! { body: #ty }, quote! { body, })
        }
        None => (TokenStream::new(), TokenStream::new()),
    };
    let paging_init = match op.response {
        ResponseIr::Paginated { .. } => {
            quote! { limit: ::std::option::Option::None, offset: ::std::option::Option::None, }
        }
        _ => TokenStream::new(),
    };
    let key_bound = if bound_key && op.key_use == KeyUse::Required {
        quote! { where A: crate::runtime::HasKey }
    } else {
        TokenStream::new()
    };
    quote! {
        #docs
        #deprecated
        #allow_many
        pub fn #method(&self, #(#arg_names: #arg_types,)* #body_arg) -> #builder<'a, A> #key_bound {
            #builder {
                client: self.client,
                #(#inits)*
                #body_init
                #paging_init
            }
        }
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn builder(op: &OperationIr) -> TokenStream {
    let builder = ident(&op.builder_name);
    let docs = if op.params.iter().any(|p| !p.required)
        || matches!(op.response, ResponseIr::Paginated { .. })
    {
        doc(&format!(
            "A request for `{}`: chain the optional settings, then `.send().await`.",
            op.wire_id
        ))
    } else {
        doc(&format!(
            "A request for `{}`: `.send().await` sends it.",
            op.wire_id
        ))
    };
    let fields = op.params.iter().map(|p| {
        let field = ident(&p.field);
        let ty = Splice::new(rust_type(&p.ty));
        if p.required {
            quote! { #field: #ty, }
        } else {
            quote! { #field: ::std::option::Option<#ty>, }
        }
    });
    let body_field = match &op.body {
        Some(ty) => {
            let ty = rust_type(ty);
            quote! { body: #ty, }
        }
        None => TokenStream::new(),
    };
    let paginated = matches!(op.response, ResponseIr::Paginated { .. });
    let paging_fields = if paginated {
        quote! { limit: ::std::option::Option<u32>, offset: ::std::option::Option<crate::runtime::Offset>, }
    } else {
        TokenStream::new()
    };
    let setters = op
        .params
        .iter()
        .filter(|p| !p.required)
        .map(|p| Splice::new(setter(p)));
    let page_static = match &op.response {
        ResponseIr::Paginated { page, .. } => {
            let name = page_static_name(op);
            let spec = page_spec(page);
            let docs = doc(&format!("The page contract of `{}`.", op.wire_id));
            quote! { #docs static #name: crate::runtime::PageSpec = #spec; }
        }
        _ => TokenStream::new(),
    };
    let request = Splice::new(request_fn(op));
    let send = Splice::new(send_fns(op));
    let page_static = Splice::new(page_static);
    quote! {
        #docs
        #[must_use = "a request does nothing until `.send()` is awaited"]
        #[derive(Debug, Clone)]
        pub struct #builder<'a, A: crate::runtime::AuthState> {
            client: &'a crate::runtime::Client<A>,
            #(#fields)*
            #body_field
            #paging_fields
        }

        impl<'a, A: crate::runtime::AuthState> #builder<'a, A> {
            #(#setters)*
            #request
            #send
        }

        #page_static
    }
}

fn page_static_name(op: &OperationIr) -> proc_macro2::Ident {
    crate::naming::screaming(&[&op.builder_name, "page"])
}

fn setter(param: &ParamIr) -> TokenStream {
    let field = ident(&param.field);
    let mut text = one_line(&param.doc);
    text.push_str(&format!(
        "\n\nSent as the {} parameter `{}`",
        location_name(param.location),
        param.wire_name
    ));
    match &param.default {
        Some(default) => text.push_str(&format!(
            "; the server assumes {default} when it is left out."
        )),
        None => text.push('.'),
    }
    let docs = doc(&text);
    let deprecated = deprecated(param.deprecated);
    let ty = argument_type(&param.ty);
    let value = if argument_converts(&param.ty) {
        quote! { value.into() }
    } else {
        quote! { value }
    };
    quote! {
        #docs
        #deprecated
        pub fn #field(mut self, value: #ty) -> Self {
            self.#field = ::std::option::Option::Some(#value);
            self
        }
    }
}

fn location_name(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
    }
}

fn request_fn(op: &OperationIr) -> TokenStream {
    let wire_id = &op.wire_id;
    let version = wire_id.split('.').next().unwrap_or_default();
    let method = ident(&op.http_method);
    let has_params = op
        .path
        .iter()
        .any(|part| matches!(part, PathPart::Param(_)));
    let path = if has_params {
        // Plain concatenation rather than `format!`: prettyplease does not format the
        // inside of macro calls, and the result reads the same.
        let pieces = op.path.iter().map(|part| match part {
            PathPart::Literal(text) => quote! { #text },
            PathPart::Param(field) => {
                let field = ident(field);
                quote! { crate::runtime::path_segment(&self.#field).as_str() }
            }
        });
        quote! { [#(#pieces),*].concat() }
    } else {
        let wire_path = &op.wire_path;
        quote! { ::std::string::ToString::to_string(#wire_path) }
    };
    let key = match op.key_use {
        KeyUse::Required => quote! { crate::runtime::KeyUse::Required },
        KeyUse::Optional => quote! { crate::runtime::KeyUse::Optional },
        KeyUse::None => quote! { crate::runtime::KeyUse::None },
    };
    let params = op
        .params
        .iter()
        .filter(|p| p.location != Location::Path)
        .map(|p| {
            let field = ident(&p.field);
            let wire = &p.wire_name;
            match (p.location, p.required) {
                (Location::Header, true) => quote! { request.header(#wire, &self.#field); },
                (Location::Header, false) => quote! {
                    if let ::std::option::Option::Some(value) = &self.#field {
                        request.header(#wire, value);
                    }
                },
                (_, true) => quote! { request.query(#wire, &self.#field); },
                (_, false) => quote! { request.query_opt(#wire, self.#field.as_ref()); },
            }
        });
    let params: Vec<Splice> = params.map(Splice::new).collect();
    let new_request = quote! { crate::runtime::Request::new(#wire_id, crate::runtime::Method::#method, #version, #path, #key) };
    if params.is_empty() && op.body.is_none() {
        return quote! {
            fn request(&self) -> crate::runtime::Request {
                #new_request
            }
        };
    }
    let (ret, body, ok) = if op.body.is_some() {
        (
            quote! { ::std::result::Result<crate::runtime::Request, crate::runtime::Error> },
            quote! { request.json_body(&self.body)?; },
            quote! { ::std::result::Result::Ok(request) },
        )
    } else {
        (
            quote! { crate::runtime::Request },
            TokenStream::new(),
            quote! { request },
        )
    };
    quote! {
        fn request(&self) -> #ret {
            let mut request = #new_request;
            #(#params)*
            #body
            #ok
        }
    }
}

fn page_spec(page: &PageIr) -> TokenStream {
    let PageIr {
        offset_param,
        limit_param,
        cursor,
        default_limit,
        max_limit,
        items_field,
        next_url_field,
        prev_url_field,
        total_field,
        next_offset_field,
    } = page;
    let kind = if *cursor {
        quote! { Cursor }
    } else {
        quote! { Index }
    };
    let opt_u32 = |v: &Option<u32>| match v {
        Some(v) => quote! { ::std::option::Option::Some(#v) },
        None => quote! { ::std::option::Option::None },
    };
    let opt_str = |v: &Option<String>| match v {
        Some(v) => quote! { ::std::option::Option::Some(#v) },
        None => quote! { ::std::option::Option::None },
    };
    let (default_limit, max_limit) = (opt_u32(default_limit), opt_u32(max_limit));
    let (next_url_field, prev_url_field, total_field) = (
        opt_str(next_url_field),
        opt_str(prev_url_field),
        opt_str(total_field),
    );
    quote! {
        crate::runtime::PageSpec {
            offset_param: #offset_param,
            limit_param: #limit_param,
            offset_kind: crate::runtime::OffsetKind::#kind,
            default_limit: #default_limit,
            max_limit: #max_limit,
            items_field: #items_field,
            next_url_field: #next_url_field,
            prev_url_field: #prev_url_field,
            total_field: #total_field,
            next_offset_field: #next_offset_field,
        }
    }
}

fn send_fns(op: &OperationIr) -> TokenStream {
    let request = if op.body.is_some() {
        quote! { self.request()? }
    } else {
        quote! { self.request() }
    };
    match &op.response {
        ResponseIr::Json(ty) => {
            let ty = rust_type(ty);
            quote! {
                /// Sends the request and decodes the response.
                pub async fn send(self) -> ::std::result::Result<#ty, crate::runtime::Error> {
                    let request = #request;
                    self.client.send_json(request).await
                }
            }
        }
        ResponseIr::Text => quote! {
            /// Sends the request and returns the response body as text.
            pub async fn send(self) -> ::std::result::Result<::std::string::String, crate::runtime::Error> {
                let request = #request;
                self.client.send_text(request).await
            }
        },
        ResponseIr::Empty => quote! {
            /// Sends the request; the response has no body.
            pub async fn send(self) -> ::std::result::Result<(), crate::runtime::Error> {
                let request = #request;
                self.client.send_empty(request).await
            }
        },
        ResponseIr::Paginated { item, page } => {
            let item = rust_type(item);
            let page_static = page_static_name(op);
            let limit_doc = match (page.default_limit, page.max_limit) {
                (Some(d), Some(m)) => {
                    format!("The server sends {d} items when no limit is given, and at most {m}.")
                }
                (Some(d), None) => format!("The server sends {d} items when no limit is given."),
                (None, Some(m)) => format!("The server sends at most {m} items per page."),
                (None, None) => {
                    "The server chooses the page size when no limit is given.".to_string()
                }
            };
            let limit_doc = doc(&format!("The number of items per page.\n\n{limit_doc}"));
            // A cursor listing takes only cursors the server handed out; an index listing
            // takes an index, or a cursor when the server sends text offsets.
            let offset_doc = doc(if page.cursor {
                "Where the first page starts: a cursor saved from `Page::next_offset` to resume \
                 an earlier listing."
            } else {
                "Where the first page starts: an index, or a cursor saved from `Page::next_offset` \
                 to resume an earlier listing."
            });
            // A body that fails to serialise is reported before any request is made.
            let fallible = op.body.is_some();
            let stream_ret = |t: TokenStream| {
                if fallible {
                    quote! { ::std::result::Result<#t, crate::runtime::Error> }
                } else {
                    t
                }
            };
            let wrap = |t: TokenStream| {
                if fallible {
                    quote! { ::std::result::Result::Ok(#t) }
                } else {
                    t
                }
            };
            let stream_request = request.clone();
            // The streams are `Unpin` (the runtime boxes them), so callers can call
            // `.next().await` on them without pinning first.
            let pages_ty = stream_ret(quote! {
                impl ::futures_core::Stream<Item = ::std::result::Result<crate::runtime::Page<#item>, crate::runtime::Error>> + ::std::marker::Send + ::std::marker::Unpin + 'static
            });
            let items_ty = stream_ret(quote! {
                impl ::futures_core::Stream<Item = ::std::result::Result<#item, crate::runtime::Error>> + ::std::marker::Send + ::std::marker::Unpin + 'static
            });
            let pages_call =
                wrap(quote! { self.client.pages(request, &#page_static, self.limit, self.offset) });
            let items_call =
                wrap(quote! { self.client.items(request, &#page_static, self.limit, self.offset) });
            quote! {
                #limit_doc
                pub fn limit(mut self, limit: u32) -> Self {
                    self.limit = ::std::option::Option::Some(limit);
                    self
                }

                #offset_doc
                pub fn offset(mut self, offset: crate::runtime::Offset) -> Self {
                    self.offset = ::std::option::Option::Some(offset);
                    self
                }

                /// Fetches one page.
                pub async fn send(self) -> ::std::result::Result<crate::runtime::Page<#item>, crate::runtime::Error> {
                    let request = #request;
                    self.client.send_page(request, &#page_static, self.limit, self.offset).await
                }

                /// Every page, fetched lazily one at a time as the stream is polled.
                pub fn pages(self) -> #pages_ty {
                    let request = #stream_request;
                    #pages_call
                }

                /// Every item of every page, fetched lazily one page at a time.
                pub fn items(self) -> #items_ty {
                    let request = #stream_request;
                    #items_call
                }
            }
        }
    }
}
