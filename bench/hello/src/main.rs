//! Bare axum: `/ping` answers `OK`, `/v1/notes/{id}` a fixed note as JSON.
//! Usage: paved-bench-hello PORT (listens on loopback).

use axum::extract::Path;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

#[derive(Serialize)]
struct Note {
    id: i64,
    text: &'static str,
}

async fn note(Path(id): Path<i64>) -> Json<Note> {
    Json(Note { id, text: "hello" })
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|port| port.parse().ok())
        .unwrap_or(8090);
    let app = Router::new()
        .route("/ping", get(|| async { "OK" }))
        .route("/v1/notes/{id}", get(note));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    axum::serve(listener, app).await
}
