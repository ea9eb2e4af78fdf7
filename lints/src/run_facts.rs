//! Facts about a crate that only the other crates of the run can tell.

use crate::model::Crate;
use crate::role::Role;
use std::collections::HashSet;

/// Fills the run-wide facts of every crate.
pub fn fill(crates: &mut [Crate]) {
    mark_tested_elsewhere(crates);
    mark_log_bridged(crates);
    mark_embedded(crates);
    mark_own_settings_file(crates);
    mark_text_error_rewrite(crates);
}

/// `krate` has `dep`, a crate of the run, among the dependencies it is built with.
fn depends_on(krate: &Crate, dep: &Crate) -> bool {
    krate
        .manifest
        .runtime_deps_on(&[dep.name()])
        .next()
        .is_some()
}

/// Crates with a middleware that rewrites plain-text error answers into JSON, of their own
/// or from a crate of the run they depend on (`always_json_errors` in a shared
/// `frontend-core` that each API's router layers): their clients never see axum's plain
/// text.
fn mark_text_error_rewrite(crates: &mut [Crate]) {
    let own: Vec<bool> = crates
        .iter()
        .map(|c| c.files.iter().any(|f| f.rewrites_text_errors.rewrites()))
        .collect();
    let marks: Vec<bool> = crates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            own[i]
                || crates
                    .iter()
                    .enumerate()
                    .any(|(j, dep)| own[j] && depends_on(c, dep))
        })
        .collect();
    for (c, rewrites) in crates.iter_mut().zip(marks) {
        c.rewrites_text_errors = rewrites;
    }
}

/// Services whose code, or a crate of the run they depend on (a `settings` crate), names a
/// settings file after the package (`"kellnr.toml"`) or the product it is part of
/// (`"Revolt.toml"` for `revolt-autumn`): the settings file of the program's own layout,
/// which `config-key-drift` accepts.
fn mark_own_settings_file(crates: &mut [Crate]) {
    let normal = |name: &str| name.replace('_', "-").to_ascii_lowercase();
    let names: Vec<Vec<String>> = crates
        .iter()
        .map(|c| {
            let stems = c.files.iter().flat_map(|f| &f.settings_file_names);
            stems
                .filter_map(|n| n.rsplit_once('.').map(|(stem, _)| normal(stem)))
                .collect()
        })
        .collect();
    let marks: Vec<bool> = crates
        .iter()
        .map(|c| {
            let own = normal(c.name());
            // `Revolt.toml` for `revolt-autumn`: named for the product the package is part of.
            let product = own.split_once('-').map(|(first, _)| first.to_string());
            crates.iter().enumerate().any(|(j, dep)| {
                (dep.root == c.root || depends_on(c, dep))
                    && names[j]
                        .iter()
                        .any(|n| *n == own || product.as_ref() == Some(n))
            })
        })
        .collect();
    for (c, named) in crates.iter_mut().zip(marks) {
        c.names_own_settings_file = named;
    }
}

/// Libraries that the tests of another crate of the run import (`use gotrue_entity::..` in
/// the workspace's end-to-end `tests/`): they are exercised there, which `missing-tests`
/// accepts as the library's tests. So do the imports of a test kit's own code, and a
/// service binary around a tested library.
fn mark_tested_elsewhere(crates: &mut [Crate]) {
    let imported: Vec<HashSet<&str>> = crates
        .iter()
        .map(|c| {
            // Test files by location (`tests/`): a test kit's own code uses libraries
            // without testing them.
            // A test kit's own code (`client-api-test`, used only as a dev-dependency) is
            // test code too: what it imports, the tests that use it exercise.
            let kit = c.role.role == Role::TestSupport;
            let kit_roots = c
                .files
                .iter()
                .filter(|_| kit)
                .flat_map(|f| f.router.uses.iter().filter_map(|u| u.target.first()))
                .map(String::as_str);
            // `test_use_roots` are recorded in test code only: test files, and the
            // `#[cfg(test)]` modules of any file (`tensorzero-core`'s tests use its types
            // crate).
            c.files
                .iter()
                .flat_map(|f| f.router.test_use_roots.iter().map(String::as_str))
                .chain(kit_roots)
                .collect()
        })
        .collect();
    // A backend behind a feature of a crate that has tests (`tokenserver-db`'s `mysql`
    // feature turns on `tokenserver-mysql`) is run by that crate's suite, per feature.
    let has_tests: Vec<bool> = crates.iter().map(Crate::has_tests).collect();
    let tested: Vec<bool> = crates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let lib = c.name().replace('-', "_");
            let plugged_into_tested = crates.iter().enumerate().any(|(j, user)| {
                j != i
                    && has_tests[j]
                    && user
                        .manifest
                        .deps
                        .iter()
                        .any(|d| d.feature_gated && d.is_runtime() && d.package == c.name())
            });
            plugged_into_tested
                || (thin_service_main(c)
                    && crates
                        .iter()
                        .enumerate()
                        .any(|(j, lib)| has_tests[j] && depends_on(c, lib)))
                || imported
                    .iter()
                    .enumerate()
                    .any(|(j, roots)| j != i && roots.contains(lib.as_str()))
        })
        .collect();
    for (c, tested) in crates.iter_mut().zip(tested) {
        c.tested_elsewhere = tested;
    }
}

/// A service binary whose server lives in a library of the run (`tuwunel` -> `tuwunel_router`):
/// its code is the command line around that library, and the library's tests are its tests.
/// So is a service binary that builds no route and serves nothing paved can see (bencher's
/// `api` binary starts the dropshot server that its `api_*` libraries describe).
fn thin_service_main(c: &Crate) -> bool {
    use crate::rules::framework::foreign_web_framework::FRAMEWORKS;
    c.role.role == Role::Service
        && (c.manifest.runtime_deps_on(FRAMEWORKS).next().is_none()
            || !c.files.iter().any(|f| f.router.serves_or_routes()))
}

/// A crate of the run depends on `tracing-log` (whose `LogTracer` turns `log` records into
/// `tracing` events), or sets up `tracing-subscriber` with its default features, among
/// which `tracing-log` makes `.init()` install that `LogTracer`: the `log` macros of every
/// crate reach the one tracing subscriber, so `foreign-logger` does not call them a second
/// logging stack.
fn mark_log_bridged(crates: &mut [Crate]) {
    let bridged = crates.iter().any(|c| {
        let subscriber_bridges = c
            .manifest
            .runtime_deps_on(&["tracing-subscriber"])
            .any(|d| d.default_features || d.features.iter().any(|f| f == "tracing-log"));
        let sets_up_subscriber = || {
            c.files
                .iter()
                .any(|f| !f.is_test && f.log_formats.iter().any(|l| !l.for_tests))
        };
        c.manifest
            .runtime_deps_on(&["tracing-log"])
            .next()
            .is_some()
            || (subscriber_bridges && sets_up_subscriber())
    });
    for c in crates.iter_mut() {
        c.log_bridged = bridged;
    }
}

/// Libraries that no service of the run uses while the run has services: embedded by other
/// programs (a Python extension, an SDK), not part of this tree's services. Without a
/// service in the run nothing tells, and no library is called embedded.
fn mark_embedded(crates: &mut [Crate]) {
    let has_service = crates.iter().any(|c| c.role.role == Role::Service);
    for c in crates.iter_mut() {
        c.embedded = is_embedded(c, has_service);
    }
}

/// See `mark_embedded`; `has_service`: the run has a service.
pub fn is_embedded(c: &Crate, has_service: bool) -> bool {
    has_service && matches!(c.role.role, Role::Library | Role::Client) && !c.used_by_service
}
