//! Libraries that the tests of another crate of the run import (`use gotrue_entity::..`
//! in the workspace's end-to-end `tests/`): they are exercised there, which
//! `missing-tests` accepts as the library's tests.

use crate::model::Crate;
use std::collections::HashSet;

/// Sets `Crate::tested_elsewhere` for every crate whose library name another crate's
/// test code imports.
pub fn mark(crates: &mut [Crate]) {
    let imported: Vec<HashSet<&str>> = crates
        .iter()
        .map(|c| {
            c.files
                .iter()
                .flat_map(|f| f.router.test_use_roots.iter().map(String::as_str))
                .collect()
        })
        .collect();
    let tested: Vec<bool> = crates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let lib = c.name().replace('-', "_");
            imported
                .iter()
                .enumerate()
                .any(|(j, roots)| j != i && roots.contains(lib.as_str()))
        })
        .collect();
    for (c, tested) in crates.iter_mut().zip(tested) {
        c.tested_elsewhere = tested;
    }
}
