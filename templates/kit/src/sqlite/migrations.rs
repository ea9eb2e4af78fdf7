//! Schema migrations, applied in order when the database opens. `PRAGMA
//! user_version` records how many have run: services append new ones and
//! never edit a released one.

use rusqlite::Connection;

pub fn run(conn: &mut Connection, migrations: &[&str]) -> rusqlite::Result<()> {
    let applied: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    for (version, sql) in (1_i64..)
        .zip(migrations)
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
