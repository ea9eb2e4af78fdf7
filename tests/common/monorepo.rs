//! Monorepos for the tests of `paved report` and `paved talk --from`.

use assert_cmd::Command;
use std::path::Path;

/// Code that drifts from several idioms at once: a print, an address in code, an
/// environment read outside the config module.
pub const DRIFTING_MAIN: &str = r#"#[tokio::main]
async fn main() {
    println!("starting");
    let token = std::env::var("TOKEN").unwrap_or_default();
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();
    let _ = (token, listener);
}
"#;

pub fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// `paved new NAME --dest services/NAME` with every default.
pub fn paved_new(root: &Path, name: &str, owner: &str) {
    Command::cargo_bin("paved")
        .unwrap()
        .current_dir(root)
        .args([
            "new",
            name,
            "--dest",
            &format!("services/{name}"),
            "-y",
            "--vcs",
            "none",
        ])
        .args(["--owner", owner])
        .assert()
        .success();
}

/// A small crate that the linter takes for a service (a binary depending on axum), with a
/// `[template]` of `version` in its paved.toml and `main` as its `src/main.rs`.
pub fn service_crate(root: &Path, name: &str, version: &str, main: &str) {
    let dir = root.join("services").join(name);
    write(
        &dir.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\naxum = \"0.8\"\ntokio = {{ version = \"1\", features = [\"full\"] }}\n"
        ),
    );
    write(
        &dir.join("paved.toml"),
        &format!("[template]\nname = \"service\"\nversion = \"{version}\"\n"),
    );
    write(&dir.join("src/main.rs"), main);
}

/// A library crate: not scored, its findings are counted apart.
pub fn library_crate(root: &Path, name: &str) {
    let dir = root.join("libs").join(name);
    write(
        &dir.join("Cargo.toml"),
        &format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n"),
    );
    write(
        &dir.join("src/lib.rs"),
        "pub fn connect() -> std::io::Result<std::net::TcpStream> {\n    std::net::TcpStream::connect(\"10.0.0.7:9000\")\n}\n",
    );
}

/// The monorepo of the report tests: three services from `paved new` (one drifting, one
/// on an older template), one hand-made drifting service, a library, and a CODEOWNERS
/// that gives one service to another team.
pub fn fleet(root: &Path) {
    for (name, owner) in [
        ("billing", "@billing"),
        ("notes", "@notes"),
        ("search", "@search"),
    ] {
        paved_new(root, name, owner);
    }
    let notes = root.join("services/notes/src/main.rs");
    let mut main = std::fs::read_to_string(&notes).unwrap();
    main.push_str(
        "\nfn report_count() {\n    println!(\"notes\");\n    tracing::info!(\"counted\");\n}\n",
    );
    write(&notes, &main);
    let search = root.join("services/search/paved.toml");
    write(
        &search,
        &with_template_version(&std::fs::read_to_string(&search).unwrap(), "0.0.1"),
    );
    service_crate(root, "legacy", "0.0.1", DRIFTING_MAIN);
    library_crate(root, "shared");
    write(
        &root.join(".github/CODEOWNERS"),
        "/services/legacy/ @legacy-team @platform\n",
    );
    write(
        &root.join("Cargo.toml"),
        "[workspace]\nmembers = [\"services/*\", \"libs/*\"]\nresolver = \"3\"\n",
    );
}

/// `paved.toml` text with the `version` of its `[template]` table replaced.
pub fn with_template_version(toml: &str, version: &str) -> String {
    let table = toml.find("[template]").expect("a [template] table");
    let key = table + toml[table..].find("version = \"").expect("a version") + 11;
    let end = key + toml[key..].find('"').unwrap();
    format!("{}{version}{}", &toml[..key], &toml[end..])
}
