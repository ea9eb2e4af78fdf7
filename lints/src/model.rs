//! The project model: what discovery and phase 1 learn, and what crate rules read in phase 2.
//! It holds facts, never syntax trees, so memory stays proportional to what rules need.

use crate::config::Config;
use crate::diagnostic::Position;
use std::path::PathBuf;
use std::sync::Arc;

/// Where a dependency is declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DepKind {
    Normal,
    Dev,
    Build,
}

/// One dependency entry of a crate's own `Cargo.toml`.
#[derive(Clone, Debug)]
pub struct Dependency {
    /// The key as written (`web` in `web = { package = "actix-web" }`).
    pub key: String,
    /// The real package name, after `package = ".."` and workspace inheritance.
    pub package: String,
    pub kind: DepKind,
    /// `cfg(..)` of a `[target.'cfg(..)'.dependencies]` table.
    pub target: Option<String>,
    /// Span of the key in `Cargo.toml`.
    pub start: Position,
    pub end: Position,
}

impl Dependency {
    /// Whether the service runs on it (dev- and build-dependencies do not count).
    pub fn is_runtime(&self) -> bool {
        self.kind == DepKind::Normal
    }
}

/// A text file that crate rules read (a manifest or an environment file), with its text.
#[derive(Clone, Debug)]
pub struct TextFile {
    pub path: PathBuf,
    pub text: String,
}

/// A crate's `Cargo.toml`, as far as rules care.
#[derive(Clone, Debug)]
pub struct Manifest {
    pub file: TextFile,
    pub package_name: String,
    /// Line of the `[package]` header, where findings about something missing point.
    pub package_line: u32,
    pub deps: Vec<Dependency>,
    /// `[[bin]]` tables declared.
    pub declares_bin: bool,
}

impl Manifest {
    /// Runtime dependencies on any of `packages`.
    pub fn runtime_deps_on<'a>(&'a self, packages: &'a [&str]) -> impl Iterator<Item = &'a Dependency> + 'a {
        self.deps
            .iter()
            .filter(move |d| d.is_runtime() && packages.contains(&d.package.as_str()))
    }
}

/// What phase 1 keeps of one `.rs` file for the crate rules.
#[derive(Clone, Debug, Default)]
pub struct FileFacts {
    pub path: PathBuf,
    /// The whole file is test code (`tests/`, `benches/`, `examples/`, `build.rs`).
    pub is_test: bool,
    /// The file parsed; facts of a file that did not are empty.
    pub parsed: bool,
    /// Places where `log`'s macros are used (so a `log` dependency is a foreign logger).
    pub log_macro_uses: Vec<Position>,
    /// The file defines at least one test function.
    pub has_test_fn: bool,
}

/// A crate: its manifest, layout, configuration and the facts of its files.
#[derive(Debug)]
pub struct Crate {
    pub root: PathBuf,
    pub manifest: Manifest,
    /// A binary target: `src/main.rs`, `src/bin/*` or `[[bin]]`.
    pub has_bin: bool,
    /// A binary that depends on the house web framework.
    pub is_service: bool,
    pub config: Arc<Config>,
    pub files: Vec<FileFacts>,
    /// `config/*.toml` next to `Cargo.toml`.
    pub env_files: Vec<TextFile>,
    /// File names under `deploy/` next to `Cargo.toml`.
    pub deploy_files: Vec<String>,
    /// A `tests/` folder with at least one `.rs` file.
    pub has_tests_dir: bool,
}

impl Crate {
    pub fn name(&self) -> &str {
        &self.manifest.package_name
    }
}
