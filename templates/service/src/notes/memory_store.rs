//! Notes in memory: gone when the process stops. Generate the service with
//! `--storage sqlite` for notes that survive restarts (and backups).

use super::{NewNote, Note};
use paved_kit::ApiError;
use std::sync::{Arc, RwLock};

#[derive(Clone, Default)]
pub struct NoteStore {
    notes: Arc<RwLock<Vec<Note>>>,
}

impl NoteStore {
    pub fn new() -> Self {
        Self::default()
    }

    // The methods are async and fallible like a real store's, so handlers do
    // not change when one replaces this.

    pub async fn create(&self, note: NewNote) -> Result<Note, ApiError> {
        let mut notes = self
            .notes
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let note = Note {
            id: i64::try_from(notes.len()).map_err(|_| ApiError::internal())? + 1,
            text: note.text,
        };
        notes.push(note.clone());
        Ok(note)
    }

    pub async fn get(&self, id: i64) -> Result<Option<Note>, ApiError> {
        let notes = self
            .notes
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Ids are positions plus one: notes are never deleted here.
        let index = usize::try_from(id).ok().and_then(|id| id.checked_sub(1));
        Ok(index.and_then(|index| notes.get(index)).cloned())
    }

    /// Up to `limit` notes with ids above `after`, oldest first.
    pub async fn list(&self, after: i64, limit: usize) -> Result<Vec<Note>, ApiError> {
        let notes = self
            .notes
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Ids are positions plus one.
        let start = usize::try_from(after.max(0)).unwrap_or(usize::MAX);
        Ok(notes.iter().skip(start).take(limit).cloned().collect())
    }
}
