use crate::context::{CrateCx, FileCx};
use crate::model::Invariant;
use crate::router::handler_name;
use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// Flags `.unwrap()`, `.expect(..)`, `panic!`, `unreachable!`, `todo!` and
    /// `unimplemented!` inside a handler's body: the `async fn` or closure registered with
    /// `.route(..)`, followed into other modules and through `use`/`pub use`. Closures and
    /// `async` blocks inside the handler count, items defined inside it do not; so do the
    /// bodies of `tokio::select!`, `tokio::join!`, `json!`, `format!`-family, `vec!` and
    /// `assert*!` macros. `unwrap_or`, `unwrap_or_default` and `?` are fine, and so is
    /// `unwrap()` in `main` or any function that is not a handler. A panic the author
    /// already weighed is not flagged: `#[allow(clippy::unwrap_used)]` (or `expect_used`,
    /// `panic`, as `allow` or `expect`) on the call's statement or on the handler; a
    /// comment earlier in the same function that names the panic and says why it cannot
    /// happen (`// unwrap() is safe here since process_tarball() validates the manifest`:
    /// it acknowledges the panics below it in that function); an `.expect("BUG: ..")`,
    /// whose message says reaching it is a bug of the program, not a bad request, says
    /// why it cannot fire (`.expect("infallible extractor")`) or names the type's bound
    /// the author weighed (`.expect("download count exceeding u64::max_value()")`). Nor is an unwrap of what no
    /// request can make fail: an extractor whose rejection is `Infallible` extracted by
    /// hand (`let jar: PrivateCookieJar = parts.extract_with_state(state).await.unwrap()`;
    /// also `CookieJar`, `SignedCookieJar`, `HeaderMap`, `Method`, `Uri`, `Version`), a
    /// literal parsed (`"0.0.0.0".parse()`, or a local bound to literals only: `let mime = if
    /// gz { "application/gzip" } else { "text/plain" }; mime.parse()`), a value checked
    /// just before on a path that left (`if q.role.is_none() { return bad_request(..); }`,
    /// `if let Err(e) = query { return Err(..); }`, or the `else` of such an `if`, then `q.role.clone().unwrap()`; `if prompts.is_empty()
    /// { return .. }` then `prompts.first().unwrap()`), a field of a value
    /// built just before by a constructor (`let app = ActiveModel::new(org_id);
    /// app.id.clone().unwrap()`: set by `new` on every run or on none), a field that the
    /// crate function returning it sets to `Some(..)` on every return (`let keys =
    /// rotate_key(..)?; keys.current.unwrap()`), a date parsed with the format constant the
    /// crate writes its dates with (`NaiveDateTime::parse_from_str(&row.created_at,
    /// DATETIME_FORMAT)` where the crate stores `now.format(DATETIME_FORMAT)`), text the
    /// program wrote itself parsed back (a constant or serde_json's output, also through a
    /// local: `let example = if ping { PING.to_string() } else { serde_json::to_string(&doc)?
    /// }; serde_json::from_str(&example)`), the next item of a
    /// stream peeked at just before (`if let Some(Err(_)) = rows.peek().await {
    /// rows.next().await.unwrap() }`), the system's random
    /// source filling a buffer (`rng.fill(&mut salt)`), a value built from
    /// literals only (`HeaderValue::from_str("NONE")`, `Regex::new(r"..")`), a value
    /// serialised to memory (`serde_json::to_vec(&doc)`), `write!`/`writeln!` into a
    /// buffer, a static set once at start (`AUTH.get()` of a `OnceLock`), the state the
    /// application was launched with (`req.guard::<&State<Config>>().await`,
    /// `req.rocket().state::<Db>()`, `req.app_data::<Data<Pool>>()`), a response built
    /// with `Response::builder()` whose status and header values are literals, constants
    /// or plain variables and their fields (`.header(CONTENT_TYPE, mime.as_ref()).body(..)`,
    /// `.header("Content-Type", object.mime_type)`), an HTTP client built from fixed
    /// settings (`Client::builder().redirect(Policy::none()).build()`, which fails only
    /// when TLS cannot start; a `format!`ed
    /// header value is flagged: a file name from the request can make it fail). Nor are
    /// handlers served only by routes registered in development (`if config.env() ==
    /// Env::Development { router = router.route(..) }`, `if cfg!(debug_assertions)`), nor
    /// the handlers of the health and metrics paths (`house.health_path`,
    /// `house.metrics_path`): their reader, a prober or Prometheus, counts a dropped
    /// connection as a failed check or scrape, as it would any error. Nor
    /// are page handlers (HTML for people, as `handler-without-envelope` tells them) of a
    /// crate whose router catches panics (`CatchPanicLayer`): the panic answers a 500 page.
    ///
    /// Extractors count as handler code: the body of `from_request` in an `impl FromRequest
    /// for X`, or of `from_request_parts` in an `impl FromRequestParts for X`, runs on every
    /// request whose handler takes an `X`, so a panic there is flagged the same way (same
    /// reach: closures and `async` blocks inside, not items). Not the `Forward` arm of a
    /// `match` on a Rocket guard's `Outcome` (`Outcome::Forward(_) => panic!(..)`, or `_ =>`
    /// beside `Success` and `Error` arms): guards that only succeed or fail never take it.
    ///
    /// Not seen: the bodies of other macros, and functions the handler calls.
    ///
    /// ## Why
    /// A panic in a handler does not answer the request: the connection is dropped and the
    /// client gets no envelope, no status code, nothing to retry on. An error value that
    /// renders as the envelope (`"status_txt": "NOT_FOUND"`) tells it what went wrong.
    ///
    /// ## Example
    /// ```rust
    /// use axum::{Router, extract::Path, routing::get};
    /// # pub struct Envelope<T>(T);
    /// # impl<T> axum::response::IntoResponse for Envelope<T> {
    /// #     fn into_response(self) -> axum::response::Response { todo!() }
    /// # }
    ///
    /// async fn get_user(Path(id): Path<String>) -> Envelope<u64> {
    ///     Envelope(id.parse().unwrap())
    /// }
    /// # #[tokio::main]
    /// # async fn main() {
    /// #     let app: Router = Router::new().route("/users/{id}", get(get_user));
    /// #     let _ = app;
    /// # }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// use axum::{Router, extract::Path, routing::get};
    /// # pub struct Envelope<T>(T);
    /// # impl<T> axum::response::IntoResponse for Envelope<T> {
    /// #     fn into_response(self) -> axum::response::Response { todo!() }
    /// # }
    /// # pub struct ApiError;
    /// # impl From<std::num::ParseIntError> for ApiError { fn from(_: std::num::ParseIntError) -> Self { ApiError } }
    /// # impl axum::response::IntoResponse for ApiError {
    /// #     fn into_response(self) -> axum::response::Response { todo!() }
    /// # }
    ///
    /// async fn get_user(Path(id): Path<String>) -> Result<Envelope<u64>, ApiError> {
    ///     Ok(Envelope(id.parse()?))
    /// }
    /// # #[tokio::main]
    /// # async fn main() {
    /// #     let app: Router = Router::new().route("/users/{id}", get(get_user));
    /// #     let _ = app;
    /// # }
    /// ```
    pub struct UnwrapInHandler {
        name: "unwrap-in-handler",
        group: Reliability,
        level: Deny,
        scope: Handlers,
        summary: "`.unwrap()`, `.expect(..)`, `panic!`, `unreachable!`, `todo!` or `unimplemented!` inside a handler",
    }
}

impl Rule for UnwrapInHandler {
    fn check_item_impl(&self, cx: &mut FileCx, item: &syn::ItemImpl) {
        super::extractor_panics::record(cx, item);
    }

    fn check_call(&self, cx: &mut FileCx, call: &syn::ExprCall) {
        // `.layer(CatchPanicLayer::new())`: a panic answers 500 instead of dropping the
        // connection.
        if let syn::Expr::Path(p) = &*call.func
            && p.path.segments.iter().any(|s| s.ident == "CatchPanicLayer")
            && !cx.in_test()
        {
            cx.facts.catches_panics = true;
        }
    }

    fn check_crate(&self, cx: &mut CrateCx) {
        let krate = cx.krate;
        let caught = krate.files.iter().any(|f| f.catches_panics);
        let mut found = Vec::new();
        for (file, facts) in krate.files.iter().enumerate() {
            for e in &facts.extractors {
                for p in &e.panics {
                    found.push((
                        file,
                        p.range,
                        format!(
                            "`{}` in the extractor `{}` (`{}`): it runs on every request whose handler takes it, and a panic drops the request without an answer",
                            p.what, e.name, e.method
                        ),
                    ));
                }
            }
        }
        for h in &cx.router().handlers {
            let f = &krate.files[h.fn_ref.file].router.fns[h.fn_ref.index];
            // A page for people behind a panic-catching layer answers 500 like any error
            // page: nothing is dropped, and no API client reads it.
            let caught_page = caught
                && crate::rules::envelope::handler_without_envelope::is_page(krate, h.fn_ref);
            // `exempt`: the health and metrics handlers (and development-only ones), whose
            // prober or Prometheus counts a dropped connection as a failed check or scrape.
            if f.panics_acknowledged || h.exempt || caught_page {
                continue;
            }
            for p in f
                .panics
                .iter()
                .filter(|p| !holds(krate, p.holds_if.as_ref()))
            {
                found.push((
                    h.fn_ref.file,
                    p.range,
                    format!(
                        "`{}` in {}: a panic drops the request without an answer",
                        p.what,
                        handler_name(f)
                    ),
                ));
            }
        }
        for (file, range, message) in found {
            cx.report_in_file(file, range, message)
                .help("return an error that renders as the envelope (`?` on a `Result` whose error implements `IntoResponse`), or handle the `None`/`Err` case");
        }
    }
}

/// The crate does what the unwrap relies on: writes its dates with the format it parses
/// them with, or returns the field it takes as `Some(..)` from every return of the function.
fn holds(krate: &crate::model::Crate, invariant: Option<&Invariant>) -> bool {
    let files = krate.files.iter().filter(|f| !f.is_test);
    match invariant {
        None => false,
        Some(Invariant::WrittenInFormat(format)) => files
            .into_iter()
            .any(|f| f.format_constants.contains(format)),
        Some(Invariant::SetBy { function, field }) => files
            .flat_map(|f| &f.fields_always_some)
            .any(|(name, fields)| name == function && fields.contains(field)),
    }
}
