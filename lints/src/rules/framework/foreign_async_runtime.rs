use crate::context::CrateCx;
use crate::rule::Rule;
use crate::rules::framework::foreign_web_framework::{dependency_name, same_package};

/// What a crate built for WebAssembly depends on: a browser's or Cloudflare Workers' host.
const WASM_HOSTS: &[&str] = &["wasm-bindgen", "wasm-bindgen-futures", "worker"];

/// Async runtimes other than tokio.
const RUNTIMES: &[&str] = &["async-std", "smol", "glommio", "monoio"];

crate::declare_rule! {
    /// ## What it does
    /// Flags a runtime dependency on an async runtime other than tokio: `async-std`, `smol`,
    /// `glommio` or `monoio`, beside tokio or instead of it. Like every dependency rule it
    /// points at the key in the crate's own `Cargo.toml`, follows renamed, inherited and
    /// target-specific dependencies, and ignores `[dev-dependencies]` and
    /// `[build-dependencies]`.
    ///
    /// Command-line and desktop programs are not checked: they run on a laptop, not under
    /// the platform's shutdown and thread budget, and some (GUI toolkits) bring their own
    /// event loop.
    ///
    /// A crate with no Rust code of its own (a generated manifest that lists crates for
    /// users' code) is not checked: nothing here uses its dependencies. Nor a crate built
    /// for WebAssembly (it depends on `wasm-bindgen`, `wasm-bindgen-futures` or Cloudflare's
    /// `worker`): tokio's runtime does not run there, and the host's event loop drives
    /// its tasks (`async_std::task::spawn_local`).
    ///
    /// ## Why
    /// axum, tower, the database drivers and the house's graceful shutdown all run on tokio.
    /// A second runtime means a second thread pool, tasks that never see the shutdown
    /// signal, and `block_on` calls that deadlock under load, which is when someone is
    /// paged.
    ///
    /// ## Example
    /// ```toml
    /// [package]
    /// name = "notes"
    /// version = "0.1.0"
    /// edition = "2024"
    ///
    /// [dependencies]
    /// axum = "0.8"
    /// async-std = "1"
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [package]
    /// name = "notes"
    /// version = "0.1.0"
    /// edition = "2024"
    ///
    /// [dependencies]
    /// axum = "0.8"
    /// tokio = { version = "1", features = ["full"] }
    /// ```
    pub struct ForeignAsyncRuntime {
        name: "foreign-async-runtime",
        group: Framework,
        level: Deny,
        scope: Crate,
        summary: "a dependency on `async-std`, `smol`, `glommio` or `monoio` beside or instead of tokio",
        roles: [Service, Worker, Library, Client],
    }
}

impl Rule for ForeignAsyncRuntime {
    fn check_crate(&self, cx: &mut CrateCx) {
        let krate = cx.krate;
        if !krate.has_code() || krate.manifest.runtime_deps_on(WASM_HOSTS).next().is_some() {
            return;
        }
        let has_tokio = krate.manifest.runtime_deps_on(&["tokio"]).next().is_some();
        let relation = if has_tokio {
            "a second async runtime beside tokio"
        } else {
            "an async runtime instead of tokio"
        };
        for dep in krate.manifest.deps.iter().filter(|d| d.is_runtime()) {
            if !RUNTIMES.iter().any(|r| same_package(r, &dep.package)) {
                continue;
            }
            let target = dep
                .target
                .as_deref()
                .map(|t| format!(" on `{t}`"))
                .unwrap_or_default();
            cx.report_dependency(dep, format!("{} is {relation}{target}", dependency_name(dep)))
                .help("run everything on tokio (`tokio::spawn`, `tokio::time`, `tokio::fs`) and drop this dependency");
        }
    }
}
