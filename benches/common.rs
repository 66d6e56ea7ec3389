//! Shared by the benchmarks: build the release binary once, find paths.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Builds `gongwen` in release mode and returns the binary's path.
pub fn release_binary() -> PathBuf {
    let status = Command::new("cargo")
        .args(["build", "--release", "--bin", "gongwen"])
        .current_dir(root())
        .status();
    assert!(
        status.map(|s| s.success()).unwrap_or(false),
        "cargo build --release failed"
    );
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    target.join("release/gongwen")
}
