//! Helpers that the generator's test targets share: where the workspace is, and loading
//! and generating a description under test.

use std::path::{Path, PathBuf};

/// The workspace root, one level above this crate.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen lives inside the workspace")
        .to_path_buf()
}

/// Loads a description that must have neither errors nor warnings, and generates it.
pub fn generate(spec: &Path) -> Vec<codegen::GeneratedFile> {
    let loaded =
        spec::load(spec).unwrap_or_else(|problems| panic!("{}:\n{problems}", spec.display()));
    assert!(
        loaded.warnings.warnings().next().is_none(),
        "{}: a description under test should load without warnings:\n{}",
        spec.display(),
        loaded.warnings
    );
    codegen::generate(&loaded.spec).unwrap_or_else(|e| {
        panic!(
            "{}: the generator emitted invalid Rust: {e}",
            spec.display()
        )
    })
}
