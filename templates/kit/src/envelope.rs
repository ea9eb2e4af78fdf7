//! The house response format, bitly's envelope:
//! `{"status_code": 200, "status_txt": "OK", "data": ...}`.
//!
//! `status_code` always equals the HTTP status, so proxies and load balancers
//! see errors too. Errors carry an upper-snake `status_txt` (`NOT_FOUND`,
//! `MISSING_ARG_TEXT`) and `"data": null`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::borrow::Cow;

/// What every handler returns (except `/ping` and `/metrics`).
pub type ApiResult<T> = Result<Envelope<T>, ApiError>;

/// A successful answer: `data` wrapped in the envelope.
#[derive(Debug)]
pub struct Envelope<T> {
    status: StatusCode,
    data: T,
}

impl<T: Serialize> Envelope<T> {
    /// 200 OK.
    pub fn ok(data: T) -> Self {
        Self::with_status(StatusCode::OK, data)
    }

    /// 201 Created.
    pub fn created(data: T) -> Self {
        Self::with_status(StatusCode::CREATED, data)
    }

    pub fn with_status(status: StatusCode, data: T) -> Self {
        Self { status, data }
    }
}

/// The wire shape, shared by successes and errors.
#[derive(Serialize)]
struct Body<'a, T> {
    status_code: u16,
    status_txt: &'a str,
    data: T,
}

impl<T: Serialize> IntoResponse for Envelope<T> {
    fn into_response(self) -> Response {
        let body = Body {
            status_code: self.status.as_u16(),
            status_txt: &status_txt(self.status),
            data: &self.data,
        };
        match serde_json::to_vec(&body) {
            Ok(bytes) => json_response(self.status, bytes),
            Err(error) => {
                tracing::error!(%error, "response data does not serialize");
                ApiError::internal().into_response()
            }
        }
    }
}

/// An error answer. The `status_txt` says what went wrong in a way clients
/// can branch on; details go to the log, not to the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    status: StatusCode,
    status_txt: Cow<'static, str>,
}

impl ApiError {
    pub fn new(status: StatusCode, status_txt: impl Into<Cow<'static, str>>) -> Self {
        Self {
            status,
            status_txt: status_txt.into(),
        }
    }

    /// The error named after the status itself: 405 `METHOD_NOT_ALLOWED`.
    pub fn from_status(status: StatusCode) -> Self {
        Self::new(status, status_txt(status))
    }

    /// 400 `MISSING_ARG_<NAME>`: a required argument was not given.
    pub fn missing_arg(name: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            format!("MISSING_ARG_{}", name.to_ascii_uppercase()),
        )
    }

    /// 400 `INVALID_ARG_<NAME>`: an argument was given but is not acceptable.
    pub fn invalid_arg(name: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            format!("INVALID_ARG_{}", name.to_ascii_uppercase()),
        )
    }

    pub fn not_found() -> Self {
        Self::from_status(StatusCode::NOT_FOUND)
    }

    /// 500; log the cause where it happened, the client learns nothing more.
    pub fn internal() -> Self {
        Self::from_status(StatusCode::INTERNAL_SERVER_ERROR)
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn status_txt(&self) -> &str {
        &self.status_txt
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.status_txt)
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            status_code: self.status.as_u16(),
            status_txt: &self.status_txt,
            data: (),
        };
        // A struct of a number, a string and a unit always serializes.
        let bytes = serde_json::to_vec(&body).unwrap_or_default();
        let mut response = json_response(self.status, bytes);
        response.extensions_mut().insert(Enveloped);
        response
    }
}

/// Marks an error response whose body already says what it means, so the
/// error-envelope middleware leaves it alone.
#[derive(Debug, Clone, Copy)]
pub struct Enveloped;

fn json_response(status: StatusCode, bytes: Vec<u8>) -> Response {
    let mut response = (status, bytes).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// `status_txt` for a status: `OK`, `NOT_FOUND`, `METHOD_NOT_ALLOWED`.
pub fn status_txt(status: StatusCode) -> Cow<'static, str> {
    // The hot paths without an allocation.
    match status {
        StatusCode::OK => Cow::Borrowed("OK"),
        StatusCode::CREATED => Cow::Borrowed("CREATED"),
        StatusCode::NOT_FOUND => Cow::Borrowed("NOT_FOUND"),
        _ => Cow::Owned(
            status
                .canonical_reason()
                .unwrap_or("UNKNOWN")
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_uppercase()
                    } else {
                        '_'
                    }
                })
                .collect(),
        ),
    }
}
