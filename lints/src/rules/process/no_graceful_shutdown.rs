use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// TODO: `axum::serve(...)` awaited without `.with_graceful_shutdown(...)`
    pub struct NoGracefulShutdown {
        name: "no-graceful-shutdown",
        group: Process,
        level: Deny,
        scope: Service,
        summary: "`axum::serve(...)` awaited without `.with_graceful_shutdown(...)`",
    }
}

impl Rule for NoGracefulShutdown {}
