use crate::context::{CrateCx, FileCx};
use crate::model::ResponderKind;
use crate::role::Role;
use crate::rule::Rule;
use std::collections::HashSet;

/// Name endings that make a type an error type.
const ERROR_SUFFIXES: &[&str] = &["Error", "Err", "Rejection", "Problem", "Failure"];

crate::declare_rule! {
    /// ## What it does
    /// Flags error answers built outside the envelope:
    ///
    /// - an error type's `impl IntoResponse for X` whose `into_response` does not build the
    ///   envelope: it answers `Json(..)`, a `(StatusCode, ..)` tuple, plain text, a `json!`
    ///   body, a hand-built `Response`, or `.into_response()` of something else. A type is
    ///   an error type when its name ends in `Error`, `Err`, `Rejection`, `Problem` or
    ///   `Failure`, when it implements `std::error::Error`, or when it is an extractor's
    ///   `type Rejection`;
    /// - a middleware function, `async fn f(req: Request, next: Next)` for `from_fn` or
    ///   `async fn f(res: Response)` for `map_response` (not a helper that takes an HTTP
    ///   client's `reqwest::Response`, as a proxy does), that makes up an error answer
    ///   itself: `Err(StatusCode::UNAUTHORIZED)`, `(StatusCode::FORBIDDEN, "no")`,
    ///   `StatusCode::BAD_REQUEST.into_response()`, `Json(..)` or `json!` bodies. Passing
    ///   the inner answer on, adding headers or cookies, redirecting and success statuses
    ///   are not error answers.
    ///
    /// Fine: a body that builds an envelope type (`house.envelope_types`) or anything named
    /// `*envelope*` (`Envelope::error(..)`, `to_envelope()`), a struct literal or `json!`
    /// with `status_code` and `status_txt` (the envelope's own fields), or one that hands
    /// over to another type whose `IntoResponse` is enveloped (`ApiError::from(self)
    /// .into_response()`). The envelope types' own impls are not judged, nor a body whose
    /// answer cannot be seen (`match self {}`, a call to a method of its own), nor a
    /// wrapper that hands on the answer of the error it holds (`self.error
    /// .current_context().into_response()`: that error's own impl is judged), nor code in a
    /// `views`, `pages`, `templates` or `ui` module, or a module or crate folder named with
    /// `html`, `frontend` or `spa` (`admin_frontend/`: pages answer browsers, their errors
    /// too), nor a body that renders an error page (it names `Html` or a type ending in
    /// `Page`, `View` or `Template`: `AxumErrorPage { .. }.into_response()`), nor in a
    /// module named as compatible
    /// with another API (`openai_compatible/`, `cargo_compat.rs`): it answers in that API's
    /// error format, nor an error type in a file that defines cargo's registry error body
    /// (`{"errors": [{"detail": ..}]}`: a struct with `errors: Vec<..>` beside one with a
    /// `detail` field, which JSON:API shares, or the same body written inline with
    /// `json!({"errors": [{"detail": ..}]})`), nor a module named for a protocol whose errors a standard or another
    /// product defines (`oauth2.rs`, `scim.rs`, `loki.rs`), nor a crate built on a
    /// published protocol's server library (`ruma`
    /// for Matrix, `s3s`, `dav-server`, `activitypub_federation` for ActivityPub) or answers a media type only that protocol uses
    /// (restic's REST backend), or serves the AT Protocol's XRPC methods (`/xrpc/..`),
    /// whose errors that protocol defines, nor an error type that
    /// only the handlers of health probes and protocol paths declare (`async fn
    /// cluster_health() -> Result<Json<..>, ProbeError>` at `/cluster-health`: a prober
    /// reads it), nor a site
    /// (a service whose routes answer pages and files, three or more, and at most one JSON
    /// value: its errors and middleware answers reach browsers). Test code is not looked
    /// at.
    ///
    /// A library is judged only when a service of the linted tree depends on it, directly
    /// or through other crates: a framework's own rejection types (axum's) or an SDK's
    /// error type behind a feature nobody here enables answer no client of this tree.
    ///
    /// Not seen: middleware written as closures (`from_fn(|req, next| async { .. })`),
    /// hand-written tower `Layer`/`Service` types, and answers built by helper functions
    /// the body calls (those get the benefit of the doubt).
    ///
    /// Applies to crates whose role (docs/idioms.md "Crate roles") is `service` or
    /// `library`: a shared error crate is what its services answer with.
    ///
    /// ## Why
    /// Clients read every answer the same way, `{"status_code", "status_txt", "data"}`, and
    /// errors most of all: a `404` whose body is `{"error": "not found"}` or `not found`
    /// breaks the client's one error path exactly when something already went wrong, and
    /// the on-call engineer's dashboards lose the `status_txt` they group errors by.
    ///
    /// ## Example
    /// ```rust
    /// use axum::Json;
    /// use axum::http::StatusCode;
    /// use axum::response::{IntoResponse, Response};
    ///
    /// pub enum AppError {
    ///     NotFound,
    ///     Internal(String),
    /// }
    ///
    /// impl IntoResponse for AppError {
    ///     fn into_response(self) -> Response {
    ///         match self {
    ///             AppError::NotFound => (StatusCode::NOT_FOUND, "not found").into_response(),
    ///             AppError::Internal(e) => {
    ///                 (StatusCode::INTERNAL_SERVER_ERROR, Json(e)).into_response()
    ///             }
    ///         }
    ///     }
    /// }
    /// # fn main() {}
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// use axum::http::StatusCode;
    /// use axum::response::{IntoResponse, Response};
    /// # pub struct Envelope;
    /// # impl Envelope {
    /// #     pub fn error(_: StatusCode, _: &str) -> Self { Envelope }
    /// # }
    /// # impl IntoResponse for Envelope {
    /// #     fn into_response(self) -> Response { todo!() }
    /// # }
    ///
    /// pub enum AppError {
    ///     NotFound,
    ///     Internal(String),
    /// }
    ///
    /// impl IntoResponse for AppError {
    ///     fn into_response(self) -> Response {
    ///         match self {
    ///             AppError::NotFound => Envelope::error(StatusCode::NOT_FOUND, "NOT_FOUND"),
    ///             AppError::Internal(e) => {
    ///                 tracing::error!(error = %e, "internal error");
    ///                 Envelope::error(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_SERVER_ERROR")
    ///             }
    ///         }
    ///         .into_response()
    ///     }
    /// }
    /// # fn main() {}
    /// ```
    ///
    /// ## Configuration
    /// `house.envelope_types` (default `Envelope`, `ApiResult`, `ApiResponse`): the types
    /// that are the envelope.
    pub struct ErrorWithoutEnvelope {
        name: "error-without-envelope",
        group: Envelope,
        level: Deny,
        scope: Crate,
        summary: "an error type's `IntoResponse`, or a middleware, that answers outside the envelope",
        roles: [Service, Library],
    }
}

impl Rule for ErrorWithoutEnvelope {
    fn check_item_impl(&self, cx: &mut FileCx, item: &syn::ItemImpl) {
        if !cx.in_test() {
            super::responders::record_impl(cx, item);
        }
    }

    fn check_item_fn(&self, cx: &mut FileCx, item: &syn::ItemFn) {
        if !cx.in_test() {
            super::responders::record_fn(cx, item);
        }
    }

    fn check_crate(&self, cx: &mut CrateCx) {
        let krate = cx.krate;
        // A library's answers matter where a service of the run serves them; a framework's
        // own rejections or an SDK's error type answer no one here.
        if krate.role.role != Role::Service && !krate.used_by_service {
            return;
        }
        if super::protocols::spoken_protocol(krate).is_some()
            || (krate.role.role == Role::Service
                && (super::site::is_site(krate, cx.router())
                    || super::protocols::serves_xrpc(cx.router())))
        {
            return;
        }
        let enveloped = enveloped_types(cx);
        let errors: HashSet<&str> = krate
            .files
            .iter()
            .flat_map(|f| f.error_types.iter().map(String::as_str))
            .collect();
        let mut found = Vec::new();
        for (file, facts) in krate.files.iter().enumerate() {
            // Pages answer browsers, and compatibility modules another API's clients, errors
            // included (as `handler-without-envelope`).
            // The crate's own folder counts as a module name (`admin_frontend/src/error.rs`).
            let crate_parent = krate.root.parent().unwrap_or(&krate.root);
            let rel = facts.path.strip_prefix(crate_parent).unwrap_or(&facts.path);
            if super::handler_without_envelope::in_page_module(rel, &[])
                || super::handler_without_envelope::in_compat_module(rel, &[])
                || super::handler_without_envelope::in_protocol_module(rel)
            {
                continue;
            }
            for r in &facts.responders {
                if r.enveloped || r.mentions.iter().any(|m| enveloped.contains(m.as_str())) {
                    continue;
                }
                // A body whose answer cannot be seen (`match self {}`, a trait method of its
                // own) is given the benefit of the doubt.
                let Some(answer) = r.answer else { continue };
                // An error page for browsers (`AxumErrorPage { .. }.into_response()`,
                // `Html(..)`): a person reads it, not an API client.
                if r.mentions.iter().any(|m| renders_page(m)) {
                    continue;
                }
                // `{"errors": [{"detail": ..}]}`: cargo's registry error body, which cargo
                // shows its user; JSON:API's too.
                let registry_errors = facts.error_list_shape == (true, true);
                let message = match &r.kind {
                    ResponderKind::IntoResponse(_) if registry_errors => continue,
                    ResponderKind::IntoResponse(name) => {
                        let is_error = errors.contains(name.as_str())
                            || ERROR_SUFFIXES.iter().any(|s| name.ends_with(s));
                        if !is_error || answers_only_probes(cx, name) {
                            continue;
                        }
                        format!("the error type `{name}` answers outside the envelope: {answer}")
                    }
                    ResponderKind::Middleware(name) => {
                        format!("the middleware `{name}` answers outside the envelope: {answer}")
                    }
                };
                found.push((file, r.range, message));
            }
        }
        for (file, range, message) in found {
            cx.report_in_file(file, range, message).help(
                "build the answer with an envelope type (or the service's enveloped error type), so errors read `{\"status_code\", \"status_txt\", \"data\": null}` too",
            );
        }
    }
}

/// Every handler that declares the error type in its answer serves a probe or protocol
/// path that `handler-without-envelope` leaves alone (`async fn cluster_health() ->
/// Result<Json<..>, GenericRestError>` at `/cluster-health`): a prober reads it.
fn answers_only_probes(cx: &CrateCx, error: &str) -> bool {
    fn mentions(ty: &crate::model::TypeFact, name: &str) -> bool {
        ty.name == name || ty.args.iter().any(|a| mentions(a, name))
    }
    let krate = cx.krate;
    let index = cx.router();
    let probe = |h: &crate::router::Handler| {
        h.exempt
            || super::handler_without_envelope::serves_only_protocol_paths(krate, index, h.fn_ref)
    };
    let mut declaring = index.handlers.iter().filter(|h| {
        let f = &krate.files[h.fn_ref.file].router.fns[h.fn_ref.index];
        f.ret.as_ref().is_some_and(|ret| mentions(ret, error))
    });
    let first = declaring.next();
    first.is_some_and(probe) && declaring.all(probe)
}

/// A page type (`ErrorPage`, `NotFoundView`, `Html`), as `handler-without-envelope` reads
/// handlers' answers.
fn renders_page(name: &str) -> bool {
    name == "Html"
        || ["Page", "View", "Template"]
            .iter()
            .any(|s| name.ends_with(s))
}

/// The envelope types, and every type whose `IntoResponse` builds the envelope, directly
/// or by handing over to another such type.
fn enveloped_types<'k>(cx: &'k CrateCx) -> HashSet<&'k str> {
    let mut set: HashSet<&str> = cx
        .house()
        .envelope_types
        .iter()
        .filter_map(|e| e.rsplit("::").next())
        .collect();
    let impls: Vec<(&str, bool, &[String])> = cx
        .krate
        .files
        .iter()
        .flat_map(|f| &f.responders)
        .filter_map(|r| match &r.kind {
            ResponderKind::IntoResponse(name) => {
                Some((name.as_str(), r.enveloped, r.mentions.as_slice()))
            }
            ResponderKind::Middleware(_) => None,
        })
        .collect();
    loop {
        let before = set.len();
        for (name, enveloped, mentions) in &impls {
            if *enveloped || mentions.iter().any(|m| set.contains(m.as_str())) {
                set.insert(name);
            }
        }
        if set.len() == before {
            return set;
        }
    }
}
