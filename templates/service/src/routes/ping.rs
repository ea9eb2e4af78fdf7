//! `GET /ping`: for load balancers, as in nsqd. Plain `OK` with 200, or
//! `NOK - <reason>` with 500. Deliberately not in the envelope.

use crate::envelope::Enveloped;
use crate::health::Health;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub async fn ping(State(health): State<Health>) -> Response {
    match health.status() {
        Ok(()) => "OK".into_response(),
        Err(reason) => {
            let mut response =
                (StatusCode::INTERNAL_SERVER_ERROR, format!("NOK - {reason}")).into_response();
            // The plain-text answer is the contract; keep it out of the envelope.
            response.extensions_mut().insert(Enveloped);
            response
        }
    }
}
