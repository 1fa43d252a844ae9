//! Properties of the generator's output on the real description and two made-up ones:
//! it is valid Rust, deterministic, stable under reformatting, and carries the header.

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn generate(spec: &str) -> Vec<codegen::GeneratedFile> {
    let loaded = spec::load(workspace().join(spec)).unwrap_or_else(|problems| panic!("{problems}"));
    codegen::generate(&loaded.spec).expect("the generator emits valid Rust")
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
