//! Test helpers: settings as a service's `config/test.toml` has them, a
//! temporary folder, and requests through a router without a network.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use paved_kit::config::{Http, Server};
#[cfg(feature = "sqlite")]
use std::path::{Path, PathBuf};
use tower::ServiceExt;

/// The schema of the example service, for the storage tests.
#[cfg(feature = "sqlite")]
pub const MIGRATIONS: &[&str] =
    &["CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL);"];

pub struct Settings {
    pub server: Server,
    pub http: Http,
}

pub fn settings() -> Settings {
    Settings {
        server: Server {
            host: "127.0.0.1".to_owned(),
            port: 0,
            drain_delay_seconds: 0,
            shutdown_grace_seconds: 2,
            max_connections: 64,
            header_read_timeout_seconds: 10,
            idle_timeout_seconds: 60,
        },
        http: Http {
            request_timeout_seconds: 5,
            body_limit_bytes: 1 << 20,
        },
    }
}

/// A fresh folder under the system's temporary folder, removed on drop.
#[cfg(feature = "sqlite")]
pub struct TempDir(PathBuf);

#[cfg(feature = "sqlite")]
impl TempDir {
    pub fn new() -> Self {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("paved-kit-test-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("temp dir");
        Self(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

#[cfg(feature = "sqlite")]
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A response, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub content_type: Option<String>,
    pub body: String,
}

impl Reply {
    /// An error in the envelope: `status_code` equals the status, `data` is null.
    pub fn assert_error(&self, status: StatusCode, status_txt: &str) {
        assert_eq!(self.status, status, "body: {}", self.body);
        assert_eq!(self.content_type.as_deref(), Some("application/json"));
        let json: serde_json::Value = serde_json::from_str(&self.body).expect("JSON body");
        assert_eq!(json["status_code"], status.as_u16());
        assert_eq!(json["status_txt"], status_txt);
        assert!(json["data"].is_null(), "{json}");
    }
}

pub async fn send(router: &Router, request: Request<Body>) -> Reply {
    let response = router.clone().oneshot(request).await.expect("infallible");
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .expect("body reads");
    Reply {
        status: parts.status,
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap_or_default().to_owned()),
        body: String::from_utf8(bytes.to_vec()).expect("UTF-8 body"),
    }
}
