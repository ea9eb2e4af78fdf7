use crate::context::CrateCx;
use crate::router::{handler_name, is_enveloped};
use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// Flags a handler (a function or closure registered with `.route(..)`) whose return
    /// type is not an envelope type (`house.envelope_types`, default `Envelope`,
    /// `ApiResult`, `ApiResponse`), directly or as the `Ok` side of a `Result`: `Json<T>`,
    /// `String`, `&str`, `StatusCode`, tuples, `impl IntoResponse`, `Result<Json<T>, E>`,
    /// `()`. A closure without a return type counts when its body evidently returns such
    /// a value (`|| async { "ok" }`). Handlers are followed into other modules, through
    /// `use` items, `pub use` re-exports and globs. The handlers of the health and metrics
    /// routes are exempt (also a metrics path under a prefix, `/app/metrics`), and so are
    /// pages, redirects and files (`Html<_>`, `Redirect`, `Sse`, a raw `Body` or
    /// `StreamBody<S>`, askama or maud templates, types named `..View` or `..Page`, handlers whose body sets
    /// a document's content type (`text/html`, `text/toml`, `application/gzip`, `image/..`;
    /// not JSON or plain text), a `CONTENT_DISPOSITION` header, guesses a file's type from
    /// its name (`mime_guess::from_path(..)`), or answers `Html(..)` or
    /// `Redirect::permanent(..)` (a page, file or redirect behind a declared `Response` or
    /// `impl IntoResponse`),
    /// handlers declared to return such an opaque response in a file that derives a
    /// template (`#[derive(Template)]`: the file renders pages and their fragments) or
    /// whose helper sets `text/html` (`fn html_response(body: String) -> Response`), or
    /// that call a helper of the crate answering a redirect or a page
    /// (`crate::layout::redirect_and_snackbar(..)`, whose body answers `Redirect::to(url)`;
    /// or a function named `redirect_..`, `redirect_to_index(..)`: a form action sending the
    /// browser on), and
    /// handlers in a
    /// `views`, `pages`, `templates` or `ui` module or one named with `html`, `frontend`
    /// or `spa`): a browser reads those, not an API client.
    /// Nor is an opaque response (`Response`, `impl IntoResponse`) that the handler builds
    /// by hand (`Response::builder()`, `Body::from(..)`, a WebSocket's `.on_upgrade(..)`)
    /// or from the raw `Request` it takes whole, when its body never names JSON (`Json`,
    /// `json!`, `.json(..)`): a protocol's own encoding, a stream or bytes, not an API value
    /// to wrap.
    /// In a module named for a protocol (`oauth2.rs`, `v1_scim.rs`), routes whose path is
    /// a constant the index cannot resolve (`OAUTH2_TOKEN_ENDPOINT` from another crate)
    /// count as that protocol's. A module named as compatible with another API
    /// (`openai_compatible/`, `cargo_compat.rs`, `s3_compatibility`) answers in that API's
    /// format: its handlers are not judged.
    /// Handlers that serve only protocol and tooling paths are exempt too, since a
    /// standard or a tool fixes their format: `/.well-known/..`, OAuth2/OIDC, SCIM,
    /// NodeInfo, WebFinger, the AT Protocol's XRPC methods (`/xrpc/com.atproto.repo.getRecord`),
    /// JSON-RPC and MCP endpoints (`/{org}/mcp`, `/jsonrpc`), OpenAPI
    /// documents and their docs pages, `robots.txt`,
    /// `favicon.ico` and other static files (`/static/style@1.css`, `/failure.svg`), webhook
    /// receivers (`/github-hook`, `/webhooks/stripe`: the sender fixes the answer),
    /// OpenAI's API under its own paths (`/v1/chat/completions`, `/v1/embeddings`: OpenAI's
    /// client libraries read OpenAI's formats),
    /// Kubernetes-style `/healthz`, `/livez`, `/readyz`, an operator's diagnostics under
    /// `/debug/` or `/diagnostics/` and a profiler's switches (`/debug/pprof/heap`, Go's
    /// convention, read by pprof; `/profile/heap/enable`; also under an API version,
    /// `/v1/debug/ipinfo`, `/v1/diagnostics`; or a handler in a module named `diagnostics`,
    /// `debug`, `pprof` or `profiling`), and health probes
    /// under other names (`/healthcheck`, `/health`, `/api/v1/health/ping`, `/api/v1/ping`, `/status`,
    /// `/cluster-health`),
    /// and cargo's registry web API (publishing to `/api/v1/crates/new`, search, owners,
    /// yank, unyank), whose answers cargo reads.
    /// Nor is a `#[deprecated]` handler: it is kept, answer and all, for the clients that
    /// still call it until it is removed.
    /// A crate built on a published protocol's server library (`ruma` for Matrix, `s3s`,
    /// `dav-server`, `activitypub_federation`), or one that answers a media type only that protocol uses
    /// (`application/vnd.x.restic.rest.v2`, restic's REST backend), answers in that
    /// protocol's format everywhere: it is not judged.
    ///
    /// ## Why
    /// Every API answer has the same shape, `{"status_code": 200, "status_txt": "OK",
    /// "data": ...}`, so clients, dashboards and the on-call engineer can read any
    /// service's answers, errors included, without knowing the service.
    ///
    /// ## Example
    /// ```rust
    /// use axum::{Json, Router, routing::get};
    ///
    /// async fn list_users() -> Json<Vec<String>> {
    ///     Json(vec!["ada".to_string()])
    /// }
    ///
    /// # #[tokio::main]
    /// # async fn main() {
    /// #     let app: Router = Router::new().route("/users", get(list_users));
    /// #     let _ = app;
    /// # }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// use axum::{Router, routing::get};
    /// # pub struct Envelope<T>(T);
    /// # impl<T> axum::response::IntoResponse for Envelope<T> {
    /// #     fn into_response(self) -> axum::response::Response { todo!() }
    /// # }
    ///
    /// async fn list_users() -> Envelope<Vec<String>> {
    ///     Envelope(vec!["ada".to_string()])
    /// }
    ///
    /// # #[tokio::main]
    /// # async fn main() {
    /// #     let app: Router = Router::new().route("/users", get(list_users));
    /// #     let _ = app;
    /// # }
    /// ```
    ///
    /// ## Configuration
    /// `house.envelope_types` (the accepted return types), `house.health_path` and
    /// `house.metrics_path` (exempt routes).
    pub struct HandlerWithoutEnvelope {
        name: "handler-without-envelope",
        group: Envelope,
        level: Deny,
        scope: Handlers,
        summary: "a handler whose return type is not an envelope type",
    }
}

impl Rule for HandlerWithoutEnvelope {
    fn check_crate(&self, cx: &mut CrateCx) {
        let krate = cx.krate;
        if super::protocols::spoken_protocol(krate).is_some() {
            return;
        }
        let envelopes = &krate.config.house.envelope_types;
        let mut found = Vec::new();
        let index = cx.router();
        for h in index.handlers.iter().filter(|h| !h.exempt) {
            let file = &krate.files[h.fn_ref.file];
            if serves_only_protocol_paths(krate, index, h.fn_ref) {
                continue;
            }
            let f = &file.router.fns[h.fn_ref.index];
            let Some(ret) = &f.ret else { continue };
            // A deprecated endpoint keeps its answer for the clients that still call it.
            let page = is_page(krate, h.fn_ref)
                || in_compat_module(&file.path, &f.module)
                || in_diagnostics_module(krate, h.fn_ref)
                || f.deprecated;
            if !is_enveloped(ret, envelopes) && !page && !builds_own_answer(f) {
                let verb = if f.ret_inferred {
                    "returns"
                } else {
                    "is declared to return"
                };
                found.push((
                    h.fn_ref.file,
                    f.range,
                    format!("{} {verb} `{ret}`, not the envelope", handler_name(f)),
                ));
            }
        }
        let help = format!(
            "return one of the envelope types ({}) so every answer is `{{\"status_code\", \"status_txt\", \"data\"}}`",
            envelopes
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        for (file, range, message) in found {
            cx.report_in_file(file, range, message).help(help.clone());
        }
    }
}

/// What a browser reads rather than an API client: an HTML page, a redirect, a stream of
/// server-sent events, a rendered template, a raw body or byte stream (a download: `Body`,
/// `StreamBody<S>`); also as the `Ok` side of a `Result`.
fn is_page_or_redirect(ty: &crate::model::TypeFact) -> bool {
    matches!(
        ty.name.as_str(),
        "Html" | "Redirect" | "Sse" | "Markup" | "PreEscaped" | "Body" | "StreamBody"
    ) || ty.name.ends_with("Template")
        || (ty.name == "Result" && ty.args.first().is_some_and(is_page_or_redirect))
}

/// A handler that answers a page, a redirect or a file for a browser: by its declared type
/// (`Html<_>`, `Redirect`, a template), by what its body sets (`text/html`,
/// `Content-Disposition`), by its module (`views/`, `frontend_html.rs`), or by an opaque
/// response (`Response`, `impl IntoResponse`) in a file that renders templates.
pub(crate) fn is_page(krate: &crate::model::Crate, at: crate::router::FnRef) -> bool {
    let file = &krate.files[at.file];
    let f = &file.router.fns[at.index];
    f.ret.as_ref().is_some_and(is_page_or_redirect)
        || f.serves_document
        || (f.ret.as_ref().is_some_and(is_opaque_response)
            && f.calls.iter().any(|called| {
                called.starts_with("redirect_")
                    || krate
                        .files
                        .iter()
                        .any(|file| file.page_helpers.contains(called))
            }))
        || in_page_module(&file.path, &f.module)
        || ((file.renders_templates || file.builds_pages)
            && f.ret.as_ref().is_some_and(is_opaque_response))
}

/// `Response`, `AxumResponse`, `impl IntoResponse`, also as the `Ok` side of a result
/// (`AxumResult<AxumResponse>`): what it answers, the body decides.
fn is_opaque_response(ty: &crate::model::TypeFact) -> bool {
    matches!(
        ty.name.as_str(),
        "Response" | "AxumResponse" | "impl IntoResponse"
    ) || (ty.name.ends_with("Result") && ty.args.first().is_some_and(is_opaque_response))
}

/// An opaque response (`Response`, `impl IntoResponse`) that the body builds by hand
/// (`Response::builder()`, `Body::from(..)`, a WebSocket's `on_upgrade`), or from the raw
/// request it takes whole (`req: Request<Body>`, read and decoded by the handler itself),
/// and that never names JSON: a protocol's encoding, a stream or bytes, which is no API
/// value to wrap.
fn builds_own_answer(f: &crate::model::FnFact) -> bool {
    let takes_raw_request = f.params.iter().any(|p| p.ty.name == "Request");
    f.ret.as_ref().is_some_and(is_opaque_response)
        && (f.builds_body || takes_raw_request)
        && !f.names_json
}

/// Handlers of a `views`, `pages`, `templates` or `ui` module (a folder, a file or an
/// inline `mod`), or of a module whose name has the word `html`, `frontend` or `spa`,
/// render pages. (`web-ui` may be the JSON API behind a UI: the word alone says nothing.)
pub(super) fn in_page_module(path: &std::path::Path, inline_modules: &[String]) -> bool {
    const PAGE_MODULES: &[&str] = &["views", "pages", "templates", "ui"];
    // Words that make any module name a web frontend's (`frontend_html`, `spa`).
    const PAGE_WORDS: &[&str] = &["html", "frontend", "spa"];
    module_names(path, inline_modules)
        .any(|c| PAGE_MODULES.contains(&c) || c.split(['_', '-']).any(|w| PAGE_WORDS.contains(&w)))
}

/// A module named as compatible with another API (`openai_compatible`, `cargo_compat`):
/// it exists to answer in that API's format, not the house's.
pub(super) fn in_compat_module(path: &std::path::Path, inline_modules: &[String]) -> bool {
    const COMPAT_WORDS: &[&str] = &["compat", "compatible", "compatibility"];
    module_names(path, inline_modules)
        .any(|c| c.split(['_', '-']).any(|w| COMPAT_WORDS.contains(&w)))
}

/// A handler of a module named for an operator's diagnostics (`plugins/diagnostics/`,
/// `debug.rs`, `pprof`): its memory dumps, configuration exports and profiler switches are
/// read by the operator, as under `/debug/` (`is_operator_diagnostics`).
pub(crate) fn in_diagnostics_module(krate: &crate::model::Crate, at: crate::router::FnRef) -> bool {
    let file = &krate.files[at.file];
    let f = &file.router.fns[at.index];
    module_names(&file.path, &f.module)
        .any(|c| matches!(c, "diagnostics" | "debug" | "pprof" | "profiling"))
}

/// The folders and file of `path` (without `.rs`), then the inline modules around the item.
fn module_names<'a>(
    path: &'a std::path::Path,
    inline_modules: &'a [String],
) -> impl Iterator<Item = &'a str> {
    path.components()
        .filter_map(|c| c.as_os_str().to_str())
        .map(|c| c.strip_suffix(".rs").unwrap_or(c))
        .chain(inline_modules.iter().map(String::as_str))
}

/// First path segments of protocols whose answers a standard defines (`/oauth2/token`,
/// `/scim/v2/Users`); under an API prefix (`/v1/oauth2/..`) they are the API's own.
const PROTOCOL_ROOTS: &[&str] = &[
    "oauth2", "oauth", "oidc", "openid", "scim", "nodeinfo",
    // Grafana Loki's push API, which log shippers speak to an ingestion service.
    "loki",
    // The AT Protocol's XRPC methods (`/xrpc/com.atproto.repo.getRecord`), whose lexicons
    // fix every answer and the `{"error", "message"}` of its errors.
    "xrpc",
];
/// Segments that name a protocol or tool document wherever they appear (beside the API's
/// own documents, `is_api_document`).
const PROTOCOL_SEGMENTS: &[&str] = &[
    ".well-known",
    "webfinger",
    "robots.txt",
    "favicon.ico",
    "healthz",
    "livez",
    "readyz",
    // JSON-RPC endpoints, the Model Context Protocol's among them: the JSON-RPC
    // specification fixes every answer.
    "mcp",
    "jsonrpc",
    "json-rpc",
];

/// An API's description or its docs page (`/api/v1/openapi.json`, `/api/spec.json`,
/// `/docs`, `/swagger-ui`): generated from the routes by a tool, read by people and code
/// generators.
pub(crate) fn is_api_document(path: &str) -> bool {
    const DOCUMENTS: &[&str] = &[
        "openapi",
        "openapi.json",
        "openapi.yaml",
        "api-docs",
        "swagger",
        "swagger-ui",
        "swagger.json",
        "spec.json",
        "spec.yaml",
        "redoc",
        "docs",
        "rapidoc",
        "scalar",
    ];
    path.split('/')
        .any(|s| DOCUMENTS.contains(&s.to_ascii_lowercase().as_str()))
}

/// A static file (`/robots.txt`, `/static/style@1.css`, `/ui/images/{name}`): its last
/// segment has the extension of an asset a browser or crawler fetches, or it is under a
/// folder of such files.
pub(crate) fn is_static_asset(path: &str) -> bool {
    const EXTENSIONS: &[&str] = &[
        "css",
        "js",
        "mjs",
        "map",
        "ico",
        "png",
        "svg",
        "jpg",
        "jpeg",
        "gif",
        "webp",
        "woff",
        "woff2",
        "ttf",
        "txt",
        "xml",
        "html",
        "htm",
        "webmanifest",
        "wasm",
    ];
    /// Folders of files: `/static/{*path}`, `/ui/images/{name}`.
    const FOLDERS: &[&str] = &["static", "assets", "images", "img", "fonts", "favicon"];
    path.rsplit('/')
        .next()
        .and_then(|last| last.rsplit_once('.'))
        .is_some_and(|(_, ext)| EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
        || path
            .split('/')
            .any(|s| FOLDERS.contains(&s.to_ascii_lowercase().as_str()))
}

/// An endpoint of OpenAI's API served under its own paths (`/v1/chat/completions`,
/// `/openai/v1/embeddings`): OpenAI's client libraries call it, and they read OpenAI's
/// request and error formats.
fn is_openai_api(segments: &[String]) -> bool {
    const OPENAI_PATHS: &[&str] = &[
        // Not `/v1/completions` alone: Tabby's own code completion API has that path.
        "chat/completions",
        "embeddings",
        "moderations",
        "responses",
        "images/generations",
        "images/edits",
        "images/variations",
        "audio/transcriptions",
        "audio/translations",
        "audio/speech",
    ];
    segments.iter().position(|s| s == "v1").is_some_and(|v1| {
        let tail = segments[v1 + 1..].join("/");
        OPENAI_PATHS.contains(&tail.as_str())
    })
}

/// A webhook receiver (`/github-hook`, `/webhooks/stripe`): the sender fixes what it
/// expects back, and no API client reads the answer.
pub(crate) fn is_webhook(path: &str) -> bool {
    path.split('/').any(|s| {
        s.to_ascii_lowercase()
            .split(['-', '_'])
            .any(|w| matches!(w, "hook" | "hooks" | "webhook" | "webhooks"))
    })
}

/// The house's metrics path, or a scrape target under a prefix (`/app/metrics`): Prometheus
/// reads its exposition text, not an envelope.
pub(crate) fn is_metrics_path(path: &str, house: &crate::config::House) -> bool {
    let path = path.trim_end_matches('/');
    path == house.metrics_path.trim_end_matches('/') || path.ends_with("/metrics")
}

/// A health or status probe under another name than the house's (`/healthcheck`,
/// `/health`, `/api/v1/health/ping`, `/api/v1/ping`, `/status`, `/_status`): a load balancer or
/// orchestrator reads its status code, not an envelope.
pub(crate) fn is_health_alias(path: &str) -> bool {
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if segments
        .iter()
        .any(|s| matches!(s.as_str(), "healthz" | "livez" | "readyz"))
    {
        return true;
    }
    let health_at = segments
        .iter()
        .position(|s| s == "health" || s == "healthcheck");
    let after_health = health_at.map_or(0, |i| segments.len() - i - 1);
    let probe_after = |s: &String| {
        matches!(
            s.as_str(),
            "ping" | "live" | "liveness" | "ready" | "readiness" | "check"
        )
    };
    (health_at.is_some()
        && (after_health == 0 || (after_health == 1 && segments.last().is_some_and(probe_after))))
        || matches!(segments.as_slice(), [only] if matches!(only.as_str(), "status" | "_status" | "alive" | "live" | "ready"))
        // `/cluster-health`, `/node_health`: one segment whose last word is `health`.
        || matches!(segments.as_slice(), [only] if only.rsplit(['-', '_']).next() == Some("health"))
        // `/api/v1/ping`: the house's `/ping` under the API's prefix.
        || matches!(segments.as_slice(), [api, version, last] if api == "api" && version.starts_with('v') && last == "ping")
}

/// The endpoints of cargo's registry web API, whose answers cargo reads
/// (`{"errors": [{"detail": ..}]}` included): publish (`/api/v1/crates/new`, for a handler
/// named for publishing), search (`/api/v1/crates`), owners, yank and unyank. A registry's
/// other routes under `/api/v1/crates` (a crate's dependencies, its downloads) are its own.
fn is_cargo_registry_api(path: &str, publishes: bool) -> bool {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        ["api", "v1", "crates"] => true,
        // The same path answers `GET` with the crate named `new` on crates.io.
        ["api", "v1", "crates", "new"] => publishes,
        ["api", "v1", "crates", _, "owners"] => true,
        ["api", "v1", "crates", _, _, last] => matches!(*last, "yank" | "unyank"),
        _ => false,
    }
}

/// A file named for a protocol (`oauth2.rs`, `v1_scim.rs`, `oidc/mod.rs`): the routes of
/// its handlers whose paths are constants of another crate (`OAUTH2_TOKEN_ENDPOINT`) are
/// taken for that protocol's.
pub(super) fn in_protocol_module(path: &std::path::Path) -> bool {
    crate::paths::module_name(path)
        .split(['_', '-'])
        .any(|w| PROTOCOL_ROOTS.contains(&w))
}

/// An operator's diagnostics: `/debug/pprof/heap`, `/debug/vars` (the convention of Go's
/// `net/http/pprof`), `/diagnostics/..`, a profiler's switches (`/profile/heap/enable`),
/// also under an API version (`/v1/debug/ipinfo`, `/v1/diagnostics`). pprof, a flame graph
/// tool or an operator's curl reads them; their answer is a dump, not an API value.
pub(crate) fn is_operator_diagnostics(path: &str) -> bool {
    let mut segments = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_lowercase)
        .peekable();
    let versioned = |s: &str| s == "api" || (s.starts_with('v') && s[1..].parse::<u32>().is_ok());
    if segments.peek().is_some_and(|s| versioned(s)) {
        segments.next();
    }
    let first = segments.next().unwrap_or_default();
    let second = segments.next().unwrap_or_default();
    matches!(first.as_str(), "debug" | "diagnostics" | "pprof")
        || (first == "profile" && matches!(second.as_str(), "heap" | "cpu" | "memory"))
}

/// Every route the handler serves has a known path with a protocol segment; in a protocol
/// module, a route whose path is not known counts as the protocol's too.
pub(super) fn serves_only_protocol_paths(
    krate: &crate::model::Crate,
    index: &crate::router::RouterIndex,
    handler: crate::router::FnRef,
) -> bool {
    let protocol_module = in_protocol_module(&krate.files[handler.file].path);
    let publishes = names_publishing(krate, handler);
    serves_only(index, handler, |path| {
        path.map_or(protocol_module, |p| {
            let all: Vec<String> = p
                .split('/')
                .filter(|s| !s.is_empty())
                .map(str::to_ascii_lowercase)
                .collect();
            let first = all.first().cloned().unwrap_or_default();
            is_health_alias(p)
                || is_cargo_registry_api(p, publishes)
                || is_api_document(p)
                || is_static_asset(p)
                || is_webhook(p)
                || is_openai_api(&all)
                || PROTOCOL_ROOTS.contains(&first.as_str())
                || is_operator_diagnostics(p)
                || all.iter().any(|s| PROTOCOL_SEGMENTS.contains(&s.as_str()))
        })
    })
}

/// Every route the handler serves is one whose request body a protocol or its sender
/// fixes, errors included: cargo's registry API, JSON-RPC and MCP, SCIM, webhook
/// receivers, wherever they are mounted (`/api/v1/scim/..`).
pub(super) fn serves_only_protocol_bodies(
    krate: &crate::model::Crate,
    index: &crate::router::RouterIndex,
    handler: crate::router::FnRef,
) -> bool {
    let publishes = names_publishing(krate, handler);
    serves_only(index, handler, |path| {
        path.is_some_and(|p| {
            is_cargo_registry_api(p, publishes)
                || is_webhook(p)
                || p.split('/').any(|s| {
                    let s = s.to_ascii_lowercase();
                    matches!(s.as_str(), "scim" | "mcp" | "jsonrpc" | "json-rpc")
                })
        })
    })
}

/// The handler's file or function is named for publishing (`publish.rs`, `publish_crate`).
fn names_publishing(krate: &crate::model::Crate, handler: crate::router::FnRef) -> bool {
    let file = &krate.files[handler.file];
    crate::paths::module_name(&file.path).contains("publish")
        || file.router.fns[handler.index].name.contains("publish")
}

/// The handler serves at least one route, and `is_protocol` holds for the path of each
/// (`None` where the index does not know it).
fn serves_only(
    index: &crate::router::RouterIndex,
    handler: crate::router::FnRef,
    is_protocol: impl Fn(Option<&str>) -> bool,
) -> bool {
    let mut paths = index
        .routes
        .iter()
        .filter(|r| r.handlers.contains(&handler))
        .map(|r| r.path.as_deref().or(r.local.as_deref()))
        .peekable();
    paths.peek().is_some() && paths.all(is_protocol)
}

#[cfg(test)]
mod tests {
    use super::is_health_alias;

    #[test]
    fn cargo_registry_endpoints() {
        use super::is_cargo_registry_api;
        for p in [
            "/api/v1/crates",
            "/api/v1/crates/new",
            "/api/v1/crates/{name}/owners",
            "/api/v1/crates/:name/:version/yank",
        ] {
            assert!(is_cargo_registry_api(p, true), "{p}");
        }
        assert!(!is_cargo_registry_api("/api/v1/crates/new", false));
        for p in [
            "/api/v1/crates/{crate}/{version}/download",
            "/api/v1/crates/{crate}/{version}/dependencies",
            "/api/v1/crates/{crate}",
            "/api/v1/teams/{team}",
        ] {
            assert!(!is_cargo_registry_api(p, true), "{p}");
        }
    }

    #[test]
    fn health_aliases() {
        for p in [
            "/healthcheck",
            "/health",
            "/api/v1/health/ping",
            "/api/v1/ping",
            "/health/ready",
            "/status",
            "/_status",
        ] {
            assert!(is_health_alias(p), "{p}");
        }
        for p in [
            "/v1/orders/{id}/status",
            "/health/records/{id}",
            "/api/users",
            "/healthy-recipes",
            "/api/v1/games/ping",
        ] {
            assert!(!is_health_alias(p), "{p}");
        }
    }
}
