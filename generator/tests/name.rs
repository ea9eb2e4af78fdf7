//! Service name validation: every kind of bad name, and names that must pass.

use paved_generator::{Error, validate_name};

fn problem(name: &str) -> String {
    match validate_name(name) {
        Err(Error::InvalidName { problem, .. }) => problem,
        Err(other) => panic!("`{name}`: unexpected error {other}"),
        Ok(()) => panic!("`{name}` was accepted"),
    }
}

#[test]
fn bad_names_say_what_is_wrong() {
    let cases = [
        ("", "the name is empty"),
        ("my/app", "`my/app` contains a path separator"),
        ("my\\app", "`my\\app` contains a path separator"),
        ("..", "`..` is a relative path, not a name"),
        (".", "`.` is a relative path, not a name"),
        ("a..b", "`a..b` is a relative path, not a name"),
        ("my app", "`my app` contains ' ', which is not allowed"),
        ("Foo", "`Foo` has uppercase letters; use `foo` instead"),
        (
            "notes-API",
            "`notes-API` has uppercase letters; use `notes-api` instead",
        ),
        ("Async", "`Async` has uppercase letters"),
        ("my.app", "`my.app` contains `.`, which is not allowed"),
        ("café", "`café` contains `é`, which is not allowed"),
        ("1password", "`1password` starts with `1`, not a letter"),
        ("-app", "`-app` starts with `-`, not a letter"),
        ("_app", "`_app` starts with `_`, not a letter"),
        ("fn", "`fn` is a Rust keyword"),
        ("async", "`async` is a Rust keyword"),
        ("await", "`await` is a Rust keyword"),
        ("dyn", "`dyn` is a Rust keyword"),
        ("try", "`try` is a Rust keyword"),
        ("gen", "`gen` is a Rust keyword"),
        ("self", "`self` is a Rust keyword"),
        ("Self", "`Self` is a Rust keyword"),
        ("crate", "`crate` is a Rust keyword"),
        ("super", "`super` is a Rust keyword"),
        (
            "test",
            "`test` is reserved by Cargo (a standard library crate or a folder in `target/`)",
        ),
        (
            "core",
            "`core` is reserved by Cargo (a standard library crate or a folder in `target/`)",
        ),
        (
            "std",
            "`std` is reserved by Cargo (a standard library crate or a folder in `target/`)",
        ),
        (
            "alloc",
            "`alloc` is reserved by Cargo (a standard library crate or a folder in `target/`)",
        ),
        (
            "proc_macro",
            "`proc_macro` is reserved by Cargo (a standard library crate or a folder in `target/`)",
        ),
        (
            "proc-macro",
            "`proc-macro` is reserved by Cargo (a standard library crate or a folder in `target/`)",
        ),
        (
            "deps",
            "`deps` is reserved by Cargo (a standard library crate or a folder in `target/`)",
        ),
        (
            "examples",
            "`examples` is reserved by Cargo (a standard library crate or a folder in `target/`)",
        ),
        (
            "build",
            "`build` is reserved by Cargo (a standard library crate or a folder in `target/`)",
        ),
        (
            "incremental",
            "`incremental` is reserved by Cargo (a standard library crate or a folder in `target/`)",
        ),
        (
            "debug",
            "`debug` is reserved by Cargo (a standard library crate or a folder in `target/`)",
        ),
        (
            "release",
            "`release` is reserved by Cargo (a standard library crate or a folder in `target/`)",
        ),
        (
            "doc",
            "`doc` is reserved by Cargo (a standard library crate or a folder in `target/`)",
        ),
        ("con", "`con` is a reserved file name on Windows"),
        ("NUL", "`NUL` is a reserved file name on Windows"),
        ("com1", "`com1` is a reserved file name on Windows"),
        ("lpt9", "`lpt9` is a reserved file name on Windows"),
    ];
    for (name, expected) in cases {
        assert_eq!(problem(name), expected, "name {name:?}");
    }
}

#[test]
fn the_message_explains_a_valid_name() {
    let message = validate_name("my/app").unwrap_err().to_string();
    assert_eq!(
        message,
        "`my/app` contains a path separator; a service name is a valid crate name such as \
         `notes-api`: lowercase ASCII letters, digits, `-` and `_`, starting with a letter"
    );
}

#[test]
fn good_names_pass() {
    for name in [
        "notes-api",
        "notes_api",
        "a",
        "x1",
        "my-fn",
        "tests",
        "console",
        "async-worker",
        "service2-v3",
    ] {
        assert!(validate_name(name).is_ok(), "`{name}` should be accepted");
    }
}
