//! A fix that needs a dependency feature is safe only where the crate turns it on:
//! `blocking-in-async` rewrites `std::thread::sleep(d)` to `tokio::time::sleep(d).await`,
//! which compiles only with tokio's `time` feature.

use paved_lints::diagnostic::Applicability;
use paved_lints::{LintOptions, lint};
use std::fs;
use std::path::Path;

const MAIN: &str = "use axum::{Router, routing::get};\n\nasync fn nap() -> &'static str {\n    \
                    std::thread::sleep(std::time::Duration::from_millis(5));\n    \"ok\"\n}\n\n\
                    #[tokio::main]\nasync fn main() {\n    let _app: Router = Router::new().route(\"/nap\", get(nap));\n}\n";

fn manifest(tokio: &str) -> String {
    format!(
        "[package]\nname = \"napper\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
         [dependencies]\naxum = \"0.8\"\ntokio = {tokio}\n"
    )
}

/// The applicability of the sleep fix in a crate whose tokio entry is `tokio`.
fn sleep_fix(root: &Path, cache: &Path, tokio: &str) -> Applicability {
    fs::write(root.join("Cargo.toml"), manifest(tokio)).unwrap();
    let report = lint(&LintOptions {
        paths: vec![root.to_path_buf()],
        cache: Some(cache.to_path_buf()),
        ..LintOptions::default()
    })
    .unwrap();
    let finding = report
        .active()
        .find(|d| d.rule == "blocking-in-async")
        .expect("blocking-in-async fires on std::thread::sleep in a handler");
    finding
        .fix
        .as_ref()
        .expect("the sleep has a fix")
        .applicability
}

#[test]
fn the_sleep_fix_is_safe_only_with_tokio_time() {
    let dir = tempfile::tempdir().unwrap();
    let (root, cache) = (dir.path().join("napper"), dir.path().join("cache"));
    fs::create_dir_all(root.join("src")).unwrap();
    fs::write(root.join("src/main.rs"), MAIN).unwrap();
    // The same file each time, through one cache: the manifest alone decides.
    let cases = [
        (
            r#"{ version = "1", features = ["macros", "rt"] }"#,
            Applicability::Unsafe,
        ),
        (
            r#"{ version = "1", features = ["macros", "time"] }"#,
            Applicability::Safe,
        ),
        (
            r#"{ version = "1", features = ["full"] }"#,
            Applicability::Safe,
        ),
        (r#""1""#, Applicability::Unsafe),
        (
            r#"{ version = "1", features = ["time"], optional = true }"#,
            Applicability::Safe,
        ),
        (
            r#"{ package = "other", version = "1", features = ["time"] }"#,
            Applicability::Unsafe,
        ),
    ];
    for (tokio, expected) in cases {
        assert_eq!(sleep_fix(&root, &cache, tokio), expected, "tokio = {tokio}");
    }
}
