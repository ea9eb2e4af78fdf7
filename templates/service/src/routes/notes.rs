//! `/v1/notes`: the example resource. Shows the idioms: `ApiJson` in,
//! `ApiResult` out, arguments validated into `MISSING_ARG_*`/`INVALID_ARG_*`.

use crate::config::Notes as Pages;
use crate::notes::{NewNote, Note, NoteStore};
use axum::extract::{Path, Query, State};
use paved_kit::{ApiError, ApiJson, ApiResult, Envelope};
use serde::{Deserialize, Serialize};

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

/// `GET /v1/notes` query: `?limit=N&after=ID`, both optional. Strings here
/// so that a bad value is our `INVALID_ARG_*`, not a query rejection.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    limit: Option<String>,
    after: Option<String>,
}

/// One page of notes; pass `next_after` as `after` for the next one (`null`
/// on the last page).
#[derive(Debug, Serialize)]
pub struct Page {
    notes: Vec<Note>,
    next_after: Option<i64>,
}

/// `GET /v1/notes`: a page of notes, oldest first; `limit` defaults to
/// `notes.page_size` and may not exceed `notes.max_page_size`.
pub async fn list(
    State(notes): State<NoteStore>,
    State(pages): State<Pages>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Page> {
    let limit = match query.limit {
        None => pages.page_size,
        Some(limit) => limit
            .parse::<usize>()
            .ok()
            .filter(|limit| (1..=pages.max_page_size).contains(limit))
            .ok_or_else(|| ApiError::invalid_arg("limit"))?,
    };
    let after = match query.after {
        None => 0,
        Some(after) => after
            .parse::<i64>()
            .ok()
            .filter(|after| *after >= 0)
            .ok_or_else(|| ApiError::invalid_arg("after"))?,
    };
    let notes = notes.list(after, limit).await?;
    let next_after = (notes.len() == limit)
        .then(|| notes.last().map(|note| note.id))
        .flatten();
    Ok(Envelope::ok(Page { notes, next_after }))
}
