//! Routes that tests reach through a client library of the same run: a service's tests
//! often call `client.sync_history()` of a typed client crate rather than a path, and
//! the path lives in that crate (`format!("{}/api/v0/history", base)`).
//!
//! A library counts when it is an HTTP client (it depends on an HTTP client crate) and
//! the service's tests can use it: it is a dev-dependency, or a dependency that test code
//! imports (`use api_client::..` in `tests/` or a test module). Its route-like string
//! literals (outside its own tests) then count as paths the tests mention. Service crates
//! never count (their literals are their own routes), and neither does a shared library
//! that makes no requests (its route constants say nothing about what tests request).

use crate::model::{Crate, DepKind};
use std::collections::HashMap;

/// Crates that make HTTP requests: a library depending on one of them is a client.
const HTTP_CLIENTS: &[&str] = &[
    "reqwest",
    "ureq",
    "hyper",
    "hyper-util",
    "isahc",
    "surf",
    "awc",
    "attohttpc",
    "gloo-net",
    "reqwasm",
];

/// Fills `Crate::client_paths` of every crate from the client libraries its tests use (for
/// a crate that is not a service, `add_workspace_test_paths` hands them on to the services
/// of its workspace: an end-to-end suite's typed client).
pub fn fill_client_paths(crates: &mut [Crate]) {
    let by_package: HashMap<&str, usize> = crates
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.is_service && c.manifest.runtime_deps_on(HTTP_CLIENTS).next().is_some())
        .map(|(i, c)| (c.name(), i))
        .collect();
    let mut found: Vec<(usize, Vec<String>)> = Vec::new();
    for (i, krate) in crates.iter().enumerate() {
        let test_roots: Vec<&str> = krate
            .files
            .iter()
            .flat_map(|f| f.router.test_use_roots.iter().map(String::as_str))
            .collect();
        let mut paths = Vec::new();
        for dep in &krate.manifest.deps {
            let used_in_tests = dep.kind == DepKind::Dev
                || (dep.kind == DepKind::Normal
                    && test_roots.contains(&dep.key.replace('-', "_").as_str()));
            let Some(&lib) = by_package.get(dep.package.as_str()) else {
                continue;
            };
            if used_in_tests && lib != i {
                paths.extend(
                    crates[lib]
                        .files
                        .iter()
                        .flat_map(|f| f.router.lib_paths.iter().cloned()),
                );
            }
        }
        if !paths.is_empty() {
            paths.sort();
            paths.dedup();
            found.push((i, paths));
        }
    }
    for (i, paths) in found {
        crates[i].client_paths = paths;
    }
}

/// Adds to every service the paths that test code of the other crates of its workspace
/// mentions: end-to-end tests often live in a crate of their own (or in a library's
/// `tests/`) and request the service's routes over HTTP, by literal or through a typed
/// client library of the workspace (that crate's `client_paths`).
pub fn add_workspace_test_paths(crates: &mut [Crate], workspace: &[Option<std::path::PathBuf>]) {
    let test_paths: Vec<Vec<String>> = crates
        .iter()
        .map(|c| {
            let through_client = c.client_paths.iter().filter(|_| !c.is_service);
            c.files
                .iter()
                .flat_map(|f| f.router.test_paths.iter())
                .chain(through_client)
                .cloned()
                .collect()
        })
        .collect();
    for (i, krate) in crates.iter_mut().enumerate() {
        if !krate.is_service || workspace[i].is_none() {
            continue;
        }
        let before = krate.client_paths.len();
        for (j, paths) in test_paths.iter().enumerate() {
            if j != i && workspace[j] == workspace[i] {
                krate.client_paths.extend(paths.iter().cloned());
            }
        }
        if krate.client_paths.len() > before {
            krate.client_paths.sort();
            krate.client_paths.dedup();
        }
    }
}
