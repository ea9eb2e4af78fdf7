//! Bare axum reading a note from SQLite the minimal way: one connection behind
//! a mutex, queried in the handler.
//! Usage: paved-bench-hello-sqlite PORT DATABASE (listens on loopback).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::Serialize;
use std::sync::{Arc, Mutex};

#[derive(Serialize)]
struct Note {
    id: i64,
    text: String,
}

type Db = Arc<Mutex<Connection>>;

async fn note(State(db): State<Db>, Path(id): Path<i64>) -> Result<Json<Note>, StatusCode> {
    let conn = db.lock().map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    conn.prepare_cached("SELECT id, text FROM notes WHERE id = ?1")
        .and_then(|mut statement| {
            statement
                .query_row([id], |row| {
                    Ok(Note {
                        id: row.get(0)?,
                        text: row.get(1)?,
                    })
                })
                .optional()
        })
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?
        .map(Json)
        .ok_or(StatusCode::NOT_FOUND)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let port: u16 = args.next().and_then(|p| p.parse().ok()).unwrap_or(8091);
    let path = args.next().ok_or("usage: paved-bench-hello-sqlite PORT DATABASE")?;
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let app = Router::new()
        .route("/ping", get(|| async { "OK" }))
        .route("/v1/notes/{id}", get(note))
        .with_state(Arc::new(Mutex::new(conn)));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
