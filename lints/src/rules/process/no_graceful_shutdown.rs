use crate::context::CrateCx;
use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// Flags an `axum::serve(..)` call (or axum 0.6's `Server::bind(..).serve(..)`, or the
    /// house's own `server::serve(listener, app, ..)` that generated services call) outside
    /// test code that is not given `.with_graceful_shutdown(..)`, either on the call itself
    /// or on the variable it is bound to. The finding points at the call. A crate whose
    /// routers answer only the probes (a worker's `/metrics` listener) is not flagged, nor
    /// a `serve` of a router that answers only the probes beside the API's own listener: a
    /// restart loses a scrape at most.
    ///
    /// ## Why
    /// systemd stops and restarts services with SIGTERM on every deploy. Without graceful
    /// shutdown the process dies mid-request: clients see reset connections, and writes in
    /// flight are lost. With it, the listener closes and requests in flight finish.
    ///
    /// ## Example
    /// ```rust
    /// # #[tokio::main]
    /// # async fn main() {
    /// #     let listener = tokio::net::TcpListener::bind(std::env::args().nth(1).unwrap()).await.unwrap();
    /// #     let app = axum::Router::new();
    /// axum::serve(listener, app).await.unwrap();
    /// # }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// # #[tokio::main]
    /// # async fn main() {
    /// #     let listener = tokio::net::TcpListener::bind(std::env::args().nth(1).unwrap()).await.unwrap();
    /// #     let app = axum::Router::new();
    /// axum::serve(listener, app)
    ///     .with_graceful_shutdown(async {
    ///         let _ = tokio::signal::ctrl_c().await;
    ///     })
    ///     .await
    ///     .unwrap();
    /// # }
    /// ```
    pub struct NoGracefulShutdown {
        name: "no-graceful-shutdown",
        group: Process,
        level: Deny,
        scope: Service,
        summary: "`axum::serve(...)` awaited without `.with_graceful_shutdown(...)`",
    }
}

impl Rule for NoGracefulShutdown {
    fn check_crate(&self, cx: &mut CrateCx) {
        let krate = cx.krate;
        // A listener that answers only `/metrics` or the health path loses a scrape at
        // most when it is stopped mid-request.
        if cx.router().serves_probes_only {
            return;
        }
        let probe_listeners = cx.router().probe_listeners.clone();
        for (i, f) in krate.files.iter().enumerate() {
            for (si, s) in f.router.serves.iter().enumerate() {
                // A `/metrics` listener beside the API's loses a scrape at most.
                if probe_listeners.contains(&(i, si)) {
                    continue;
                }
                let via_var = s
                    .binding
                    .as_ref()
                    .is_some_and(|b| f.router.graceful_vars.contains(b));
                if s.graceful || via_var {
                    continue;
                }
                cx.report_in_file(i, s.range, "the server runs without `.with_graceful_shutdown(..)`: a restart drops requests in flight")
                    .help("chain `.with_graceful_shutdown(shutdown_signal())` waiting for SIGTERM (systemd's stop signal) and Ctrl-C");
            }
        }
    }
}
