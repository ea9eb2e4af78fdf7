//! Schema migrations, applied in order at startup. `PRAGMA user_version`
//! records how many have run. Append new ones; never edit a released one.

use rusqlite::Connection;

const MIGRATIONS: &[&str] = &[
    // 1: notes
    "CREATE TABLE notes (
        id   INTEGER PRIMARY KEY AUTOINCREMENT,
        text TEXT NOT NULL
    );",
];

pub fn run(conn: &mut Connection) -> rusqlite::Result<()> {
    let applied: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    for (version, sql) in (1_i64..)
        .zip(MIGRATIONS)
        .skip_while(|(version, _)| *version <= applied)
    {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
        tracing::info!(migration = version, "database migrated");
    }
    Ok(())
}
