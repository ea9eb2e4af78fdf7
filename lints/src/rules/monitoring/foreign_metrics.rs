use crate::context::CrateCx;
use crate::rule::Rule;

const FOREIGN: &[&str] = &["prometheus", "statsd", "cadence", "dipstick"];

crate::declare_rule! {
    /// ## What it does
    /// Flags a dependency on a metrics stack other than the house one: `prometheus` used
    /// directly, `statsd`, `cadence`, `dipstick`. Dev-dependencies do not count. The house
    /// metrics API is the `metrics` facade (`counter!`, `gauge!`, `histogram!`); a paved
    /// service exports it on `/metrics` through the kit's recorder
    /// (`paved_kit::metrics::install`). Any recorder of the facade is the same stack, so
    /// `metrics-exporter-prometheus` is not flagged either. Nor is `prometheus` in a crate
    /// that names only its bucket helpers (`exponential_buckets`, `linear_buckets`) to size
    /// the facade's histograms: arithmetic, not a second stack. Nor beside
    /// `opentelemetry-prometheus`, which exports OpenTelemetry's instruments through a
    /// `prometheus` registry: the crate then has one stack, and its `/metrics`.
    ///
    /// A crate with no Rust code of its own (a generated manifest that lists crates for
    /// users' code) is not checked: nothing here uses its dependencies.
    ///
    /// ## Why
    /// One metrics facade means one way to register, name and export metrics, and one
    /// `/metrics` endpoint that every dashboard knows how to read. A second stack either
    /// pushes somewhere nobody looks or exposes metrics the shared dashboards miss.
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
    /// prometheus = "0.14"
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
    /// metrics = "0.24"
    /// ```
    pub struct ForeignMetrics {
        name: "foreign-metrics",
        group: Monitoring,
        level: Deny,
        scope: Crate,
        summary: "a metrics stack other than the `metrics` facade",
        roles: [Service, Worker, Library, Client],
    }
}

impl Rule for ForeignMetrics {
    fn check_crate(&self, cx: &mut CrateCx) {
        let krate = cx.krate;
        if !krate.has_code() {
            return;
        }
        // OpenTelemetry's Prometheus exporter registers the SDK's instruments in a
        // `prometheus` registry: one stack, exported on `/metrics`.
        let otel_exporter = krate
            .manifest
            .runtime_deps_on(&["opentelemetry-prometheus"])
            .next()
            .is_some();
        for dep in krate.manifest.runtime_deps_on(FOREIGN) {
            if dep.package == "prometheus"
                && dep.key == dep.package
                && (otel_exporter || only_bucket_helpers(krate))
            {
                continue;
            }
            cx.report_dependency(dep, format!("`{}` is a second metrics stack", dep.package))
                .help("record with the `metrics` macros (the house API); in a paved service the kit exports them on `/metrics`");
        }
    }
}

/// `prometheus`'s functions that compute histogram buckets, which a crate recording through
/// the `metrics` facade may borrow: arithmetic, not a registry.
pub(crate) const BUCKET_HELPERS: &[&str] = &["exponential_buckets", "linear_buckets"];

/// The crate names `prometheus` only for its bucket helpers (`pub use
/// prometheus::{exponential_buckets, linear_buckets};`), in `use` items and paths.
fn only_bucket_helpers(krate: &crate::model::Crate) -> bool {
    let mut helper = false;
    for f in &krate.files {
        let (path_helper, path_api) = f.prometheus_paths;
        if path_api {
            return false;
        }
        helper |= path_helper;
        for u in f
            .router
            .uses
            .iter()
            .filter(|u| u.target.first().is_some_and(|t| t == "prometheus"))
        {
            match &u.name {
                Some(n) if BUCKET_HELPERS.contains(&n.as_str()) => helper = true,
                _ => return false,
            }
        }
    }
    helper
}
