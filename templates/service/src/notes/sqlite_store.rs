//! Notes in SQLite. Queries run on the database threads (see `paved_kit::sqlite::Db`),
//! never on the threads that serve requests: writes on the writer's, reads on
//! the readers'; only a lookup by key runs where the request does (`Db::lookup`).

use super::{NewNote, Note};
use paved_kit::ApiError;
use paved_kit::sqlite::Db;
use rusqlite::{OptionalExtension, params};

#[derive(Clone)]
pub struct NoteStore {
    db: Db,
}

impl NoteStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    pub async fn create(&self, note: NewNote) -> Result<Note, ApiError> {
        self.db
            .run(move |conn| {
                conn.execute("INSERT INTO notes (text) VALUES (?1)", params![note.text()])?;
                Ok(Note {
                    id: conn.last_insert_rowid(),
                    text: note.text,
                })
            })
            .await
    }

    pub async fn get(&self, id: i64) -> Result<Option<Note>, ApiError> {
        self.db
            .lookup(move |conn| {
                conn.prepare_cached("SELECT id, text FROM notes WHERE id = ?1")?
                    .query_row(params![id], |row| {
                        Ok(Note {
                            id: row.get(0)?,
                            text: row.get(1)?,
                        })
                    })
                    .optional()
            })
            .await
    }

    /// Up to `limit` notes with ids above `after`, oldest first.
    pub async fn list(&self, after: i64, limit: usize) -> Result<Vec<Note>, ApiError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.db
            .read(move |conn| {
                conn.prepare_cached(
                    "SELECT id, text FROM notes WHERE id > ?1 ORDER BY id LIMIT ?2",
                )?
                .query_map(params![after, limit], |row| {
                    Ok(Note {
                        id: row.get(0)?,
                        text: row.get(1)?,
                    })
                })?
                .collect()
            })
            .await
    }
}
