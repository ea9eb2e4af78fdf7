//! The application: its state and its router.

use crate::config::Notes;
use crate::notes::NoteStore;
use crate::routes;
use axum::Router;
use axum::extract::FromRef;
use axum::routing::get;
use paved_kit::config::Http;
use paved_kit::health::Health;
use paved_kit::metrics::PrometheusHandle;
use paved_kit::middleware;
use paved_kit::routes::{metrics, not_found, ping};

/// Everything handlers need, passed explicitly (no globals). Handlers take
/// the part they use (`State<NoteStore>`): cloning one part per request is
/// cheaper than cloning the whole.
#[derive(Clone)]
pub struct AppState {
    pub notes: NoteStore,
    /// Page sizes of `GET /v1/notes`.
    pub pages: Notes,
    pub health: Health,
    pub metrics: PrometheusHandle,
}

impl FromRef<AppState> for NoteStore {
    fn from_ref(state: &AppState) -> Self {
        state.notes.clone()
    }
}

impl FromRef<AppState> for Notes {
    fn from_ref(state: &AppState) -> Self {
        state.pages.clone()
    }
}

impl FromRef<AppState> for Health {
    fn from_ref(state: &AppState) -> Self {
        state.health.clone()
    }
}

impl FromRef<AppState> for PrometheusHandle {
    fn from_ref(state: &AppState) -> Self {
        state.metrics.clone()
    }
}

/// The service: every route, a 404 fallback in the envelope, the house
/// middleware around all of them.
pub fn router(state: AppState, http: &Http) -> Router {
    let app = Router::new()
        .route("/ping", get(ping))
        .route("/metrics", get(metrics))
        .route(
            "/v1/notes",
            get(routes::notes::list).post(routes::notes::create),
        )
        .route("/v1/notes/{id}", get(routes::notes::get))
        .fallback(not_found);
    middleware::apply(app, http).with_state(state)
}
