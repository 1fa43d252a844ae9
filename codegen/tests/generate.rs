//! Properties of the generator's output on the real description and two made-up ones:
//! it is valid Rust, deterministic, stable under reformatting, and carries the header;
//! and what the generator assumes of the runtime still holds.

mod common;

use common::workspace;

/// Generates a description given relative to the workspace.
fn generate(spec: &str) -> Vec<codegen::GeneratedFile> {
    common::generate(&workspace().join(spec))
}

const SPECS: &[&str] = &[
    "spec/headout.yaml",
    "spec/tests/fixtures/minimal.yaml",
    // The made-up API whose generated client `generated-client/tests/other_api` tests.
    "generated-client/tests/other_api/library.yaml",
];

#[test]
fn output_is_deterministic() {
    for spec in SPECS {
        assert_eq!(
            generate(spec),
            generate(spec),
            "{spec} generated different bytes twice"
        );
    }
}

#[test]
fn output_is_stable_under_prettyplease() {
    for spec in SPECS {
        for file in generate(spec) {
            let body = file
                .contents
                .strip_prefix(codegen::HEADER)
                .expect("every file starts with the header");
            let reparsed = syn::parse_file(body).unwrap_or_else(|e| panic!("{}: {e}", file.path));
            assert_eq!(
                prettyplease::unparse(&reparsed),
                body,
                "{} changes when formatted again",
                file.path
            );
        }
    }
}

#[test]
fn one_file_per_version_plus_models_api_and_mod() {
    let paths: Vec<String> = generate("spec/headout.yaml")
        .into_iter()
        .map(|f| f.path)
        .collect();
    assert_eq!(
        paths,
        [
            "src/generated/api.rs",
            "src/generated/mod.rs",
            "src/generated/models.rs",
            "src/generated/v1.rs",
            "src/generated/v2.rs",
        ]
    );
}

/// The generator and the runtime know the description format, not the API: no Headout
/// host, header, key prefix or path may be written in them.
#[test]
fn no_headout_facts_outside_the_description() {
    let forbidden = [
        "headout.com",
        "Headout-Auth",
        "\"pk_",
        "\"tk_",
        "/api/public",
        "nextOffset",
        "cityCode",
    ];
    let roots = [
        workspace().join("codegen/src"),
        workspace().join("generated-client/src/runtime"),
    ];
    let mut found = Vec::new();
    for root in roots {
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for word in forbidden {
                        if text.contains(word) {
                            found.push(format!("{}: {word}", path.display()));
                        }
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "API facts outside spec/headout.yaml:\n{}",
        found.join("\n")
    );
}

/// A version accessor must not take the name of a method `Client` already has: two
/// inherent methods of one name do not compile, and one that hides a trait method
/// breaks the runtime's own calls. `naming::CLIENT_METHODS` lists those names by hand,
/// so that the generator does not read the runtime; this test reads it (and the
/// constructors the generator adds) and fails when the runtime gains a method that the
/// list lacks.
#[test]
fn client_methods_are_reserved_for_version_accessors() {
    let runtime = workspace().join("generated-client/src/runtime");
    let mut sources: Vec<(String, String)> = std::fs::read_dir(&runtime)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path.display().to_string(), text)
        })
        .collect();
    for file in generate("spec/headout.yaml") {
        if file.path == codegen::emit::api::PATH {
            sources.push((file.path, file.contents));
        }
    }
    let mut seen = Vec::new();
    let mut missing = Vec::new();
    for (path, text) in &sources {
        let parsed = syn::parse_file(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut methods = Vec::new();
        client_methods(&parsed.items, &mut methods);
        for method in methods {
            if !codegen::naming::CLIENT_METHODS.contains(&method.as_str()) {
                missing.push(format!("{path}: `{method}`"));
            }
            seen.push(method);
        }
    }
    // A test that found no method would pass whatever the list says.
    for known in ["new", "send_json", "pages", "clone"] {
        assert!(
            seen.iter().any(|m| m == known),
            "`Client::{known}` not found: does this test still read the right files?"
        );
    }
    assert!(
        missing.is_empty(),
        "methods of `Client` that codegen::naming::CLIENT_METHODS lacks, so that a version \
         of that name would collide with them; add them there:\n{}",
        missing.join("\n")
    );
}

/// The names of the methods in every `impl … Client<…>` block of `items`, inherent or of
/// a trait, inline modules included.
fn client_methods(items: &[syn::Item], found: &mut Vec<String>) {
    for item in items {
        match item {
            syn::Item::Impl(block) => {
                let syn::Type::Path(self_ty) = &*block.self_ty else {
                    continue;
                };
                if self_ty
                    .path
                    .segments
                    .last()
                    .is_none_or(|s| s.ident != "Client")
                {
                    continue;
                }
                for member in &block.items {
                    if let syn::ImplItem::Fn(method) = member {
                        found.push(method.sig.ident.to_string());
                    }
                }
            }
            syn::Item::Mod(module) => {
                if let Some((_, inner)) = &module.content {
                    client_methods(inner, found);
                }
            }
            _ => {}
        }
    }
}
