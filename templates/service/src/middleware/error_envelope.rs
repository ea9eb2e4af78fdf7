//! Puts error answers that never went through a handler into the envelope:
//! axum's empty 404/405, tower-http's empty 408 and plain-text 413, path and
//! query rejections. Headers such as `allow` and `x-request-id` are kept.

use crate::envelope::{ApiError, Enveloped};
use axum::BoxError;
use axum::body::{Body, Bytes, HttpBody};
use axum::http::{Response, header};
use axum::response::IntoResponse;

pub fn into_envelope<B>(response: Response<B>) -> Response<Body>
where
    B: HttpBody<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    let status = response.status();
    let is_error = status.is_client_error() || status.is_server_error();
    if !is_error || response.extensions().get::<Enveloped>().is_some() {
        return response.map(Body::new);
    }
    let (mut parts, _original_body) = response.into_parts();
    let (envelope, body) = ApiError::from_status(status).into_response().into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    for name in [header::CONTENT_TYPE, header::CONTENT_LENGTH] {
        if let Some(value) = envelope.headers.get(&name) {
            parts.headers.insert(name, value.clone());
        }
    }
    parts.extensions.insert(Enveloped);
    Response::from_parts(parts, body)
}
