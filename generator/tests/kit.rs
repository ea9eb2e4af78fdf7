//! Delivery of the house kit: once per repository, recorded in the root's `paved.toml`,
//! reused by the next service; inside the service when it is a workspace of its own.

use std::fs;
use std::path::Path;

use paved_generator::{CHECKSUMS_FILE, GenerateRequest, KitPlacement, Template, generate};

fn service() -> Template {
    Template::embedded(paved_generator::DEFAULT_KIND).expect("the built-in template loads")
}

fn new(dest: &Path, storage: &str) -> paved_generator::Generated {
    let request = GenerateRequest::new("notes-api", dest).answer("storage", storage);
    generate(&service(), &request).expect("generates")
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_service_of_its_own_holds_the_kit_as_a_workspace_member() {
    let root = tempfile::tempdir().unwrap();
    let dest = root.path().join("notes-api");
    let generated = new(&dest, "sqlite");
    assert_eq!(generated.kit, KitPlacement::InService);
    let manifest = read(&dest.join("Cargo.toml"));
    assert!(
        manifest.contains("[workspace]\nmembers = [\"kit\"]"),
        "{manifest}"
    );
    assert!(
        manifest.contains("paved-kit = { path = \"kit\""),
        "{manifest}"
    );
    assert!(read(&dest.join("kit/Cargo.toml")).contains("name = \"paved-kit\""));
    assert!(read(&dest.join("paved.toml")).contains("[kit]\npath = \"kit\""));
    let sums = read(&dest.join("kit").join(CHECKSUMS_FILE));
    assert!(sums.lines().any(|l| l.ends_with("  src/lib.rs")), "{sums}");
}

#[test]
fn a_workspace_gets_one_kit_that_the_next_service_reuses() {
    let root = tempfile::tempdir().unwrap();
    fs::write(
        root.path().join("Cargo.toml"),
        "[workspace]\nmembers = []\nresolver = \"3\"\n",
    )
    .unwrap();
    let first = new(&root.path().join("services/notes-api"), "sqlite");
    let kit_dir = fs::canonicalize(root.path()).unwrap().join("kit");
    assert_eq!(first.kit, KitPlacement::Written(kit_dir.clone()));
    let workspace = read(&root.path().join("Cargo.toml"));
    assert!(workspace.contains("\"services/notes-api\""), "{workspace}");
    assert!(workspace.contains("\"kit\""), "{workspace}");
    assert!(read(&root.path().join("paved.toml")).contains("[kit]\npath = \"kit\""));
    let manifest = read(&root.path().join("services/notes-api/Cargo.toml"));
    assert!(manifest.contains("path = \"../../kit\""), "{manifest}");
    assert!(!manifest.contains("[workspace]"), "{manifest}");
    assert!(!root.path().join("services/notes-api/kit").exists());

    // An edit to the kit survives the second service: it is reused, never rewritten.
    let lib = kit_dir.join("src/lib.rs");
    fs::write(&lib, format!("{}// local\n", read(&lib))).unwrap();
    let second = new(&root.path().join("billing"), "none");
    assert_eq!(second.kit, KitPlacement::Reused(kit_dir));
    assert!(read(&lib).ends_with("// local\n"));
    let manifest = read(&root.path().join("billing/Cargo.toml"));
    assert!(manifest.contains("path = \"../kit\""), "{manifest}");
    let workspace = read(&root.path().join("Cargo.toml"));
    assert_eq!(workspace.matches("\"kit\"").count(), 1, "{workspace}");
}

#[test]
fn the_recorded_kit_folder_is_used() {
    let root = tempfile::tempdir().unwrap();
    fs::write(
        root.path().join("Cargo.toml"),
        "[workspace]\nmembers = []\n",
    )
    .unwrap();
    fs::write(
        root.path().join("paved.toml"),
        "[kit]\npath = \"platform/kit\"\n",
    )
    .unwrap();
    new(&root.path().join("notes-api"), "none");
    assert!(root.path().join("platform/kit/src/lib.rs").is_file());
    let manifest = read(&root.path().join("notes-api/Cargo.toml"));
    assert!(
        manifest.contains("path = \"../platform/kit\""),
        "{manifest}"
    );
}

#[test]
fn a_foreign_kit_folder_is_refused_before_anything_is_written() {
    let root = tempfile::tempdir().unwrap();
    fs::write(
        root.path().join("Cargo.toml"),
        "[workspace]\nmembers = []\n",
    )
    .unwrap();
    fs::create_dir(root.path().join("kit")).unwrap();
    let request = GenerateRequest::new("notes-api", root.path().join("notes-api"));
    let error = generate(&service(), &request).unwrap_err().to_string();
    assert!(error.contains("not the house kit"), "{error}");
    assert!(!root.path().join("notes-api").exists());
}
