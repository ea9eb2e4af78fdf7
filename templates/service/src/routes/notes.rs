//! `/v1/notes`: the example resource. Shows the idioms: `ApiJson` in,
//! `ApiResult` out, arguments validated into `MISSING_ARG_*`/`INVALID_ARG_*`.

use crate::envelope::{ApiError, ApiResult, Envelope};
use crate::extract::ApiJson;
use crate::notes::{NewNote, Note, NoteStore};
use axum::extract::{Path, State};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct CreateNote {
    /// Optional here so that its absence is our 400, not a serde 422.
    text: Option<String>,
}

/// `POST /v1/notes` with `{"text": "..."}`: 201 with the note.
pub async fn create(
    State(notes): State<NoteStore>,
    ApiJson(body): ApiJson<CreateNote>,
) -> ApiResult<Note> {
    let text = body.text.ok_or_else(|| ApiError::missing_arg("text"))?;
    let note = NewNote::new(text).ok_or_else(|| ApiError::invalid_arg("text"))?;
    let note = notes.create(note).await?;
    Ok(Envelope::created(note))
}

/// `GET /v1/notes/{id}`.
pub async fn get(State(notes): State<NoteStore>, Path(id): Path<String>) -> ApiResult<Note> {
    let id = id.parse().map_err(|_| ApiError::invalid_arg("id"))?;
    match notes.get(id).await? {
        Some(note) => Ok(Envelope::ok(note)),
        None => Err(ApiError::not_found()),
    }
}

/// `GET /v1/notes`: all notes, oldest first.
pub async fn list(State(notes): State<NoteStore>) -> ApiResult<Vec<Note>> {
    Ok(Envelope::ok(notes.list().await?))
}
