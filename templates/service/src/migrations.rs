//! Schema migrations, applied in order when the database opens (`PRAGMA
//! user_version` counts them). Append new ones; never edit a released one.

pub const MIGRATIONS: &[&str] = &[
    // 1: notes
    "CREATE TABLE notes (
        id   INTEGER PRIMARY KEY AUTOINCREMENT,
        text TEXT NOT NULL
    );",
];
