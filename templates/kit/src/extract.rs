//! `ApiJson<T>`: axum's `Json<T>` extractor, but its rejections answer in the
//! envelope instead of plain text.

use crate::envelope::ApiError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Json, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

/// Use as a handler parameter in place of `axum::Json<T>`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(rejection_to_error(&rejection)),
        }
    }
}

/// 400 `INVALID_JSON` (syntax), 422 `INVALID_JSON_DATA` (wrong shape),
/// 415 `UNSUPPORTED_MEDIA_TYPE`, 413 `PAYLOAD_TOO_LARGE`.
fn rejection_to_error(rejection: &JsonRejection) -> ApiError {
    tracing::debug!(reason = %rejection.body_text(), "JSON body rejected");
    match rejection {
        JsonRejection::JsonSyntaxError(_) => ApiError::new(StatusCode::BAD_REQUEST, "INVALID_JSON"),
        JsonRejection::JsonDataError(_) => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "INVALID_JSON_DATA")
        }
        other => ApiError::from_status(other.status()),
    }
}
