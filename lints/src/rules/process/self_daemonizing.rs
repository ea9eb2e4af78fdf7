use crate::context::{CrateCx, FileCx};
use crate::resolve::last_ident_is;
use crate::rule::{Rule, StrLit};

const DAEMON_CRATES: &[&str] = &["daemonize", "fork"];
const DAEMON_CALLS: &[&str] = &[
    "nix::unistd::daemon",
    "nix::unistd::fork",
    "libc::daemon",
    "libc::fork",
    "fork::daemon",
    "fork::fork",
];

crate::declare_rule! {
    /// ## What it does
    /// Flags a service that detaches itself from its process manager: a dependency on
    /// `daemonize` or `fork`, a call to `nix::unistd::daemon`/`nix::unistd::fork` (or
    /// `libc::daemon`/`libc::fork`), or a pid file (a string literal ending in `.pid`, in
    /// a file that writes files: `fs::write`, `File::create`, `OpenOptions`; a file that
    /// only names or reads one watches another program, such as Postgres's
    /// `postmaster.pid`). Test code is not checked.
    ///
    /// A `fork` counts only in a file that also starts a new session (`setsid`), as a
    /// daemon does: a fork whose parent waits for the child (a sandbox probe, a job run in
    /// its own namespaces) keeps the service itself in the foreground.
    ///
    /// A crate with no Rust code of its own (a generated manifest that lists crates for
    /// users' code) is not checked: nothing here uses its dependencies.
    ///
    /// ## Why
    /// systemd supervises the process it started: it restarts it when it dies, captures
    /// its stdout as the log, and stops it with SIGTERM. A process that forks away and
    /// writes a pid file escapes all of that, and its logs go nowhere.
    ///
    /// ## Example
    /// ```rust
    /// fn main() {
    ///     std::fs::write("/var/run/example.pid", std::process::id().to_string()).ok();
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// fn main() {
    ///     // Run in the foreground; systemd (deploy/notes.service) supervises the process.
    ///     tracing::info!(pid = std::process::id(), "started");
    /// }
    /// ```
    pub struct SelfDaemonizing {
        name: "self-daemonizing",
        group: Process,
        level: Deny,
        scope: NotInTests,
        summary: "the service detaches itself: dependency on `daemonize`/`fork`, calls to `nix::unistd::daemon`/`fork`, or writing a pid file",
    }
}

impl Rule for SelfDaemonizing {
    fn check_call(&self, cx: &mut FileCx, call: &syn::ExprCall) {
        let syn::Expr::Path(p) = &*call.func else {
            return;
        };
        let aliased = p.path.segments.len() == 1 && cx.uses.imports(&p.path.segments[0].ident);
        if !aliased && !last_ident_is(&p.path, &["daemon", "fork"]) {
            return;
        }
        let resolved = cx.resolve(&p.path);
        if !DAEMON_CALLS.contains(&resolved.as_str()) {
            return;
        }
        if resolved.ends_with("::fork") && !cx.text.contains("setsid") {
            return;
        }
        let start = crate::router::extract::expr_start(&call.func);
        cx.report_between(
            start,
            call.paren_token.span.close(),
            format!("`{resolved}` detaches the process from systemd"),
        )
        .help(
            "run in the foreground and let systemd supervise the process (`deploy/<name>.service`)",
        );
    }

    fn check_lit_str(&self, cx: &mut FileCx, lit: &StrLit, _binding: Option<&syn::Ident>) {
        let value = lit.value;
        if value.len() <= 4 || !value.ends_with(".pid") {
            return;
        }
        // Only a file that writes files can write its pid file: one that only names or reads
        // a pid file watches another program (Postgres's `postmaster.pid`, pgbouncer's).
        let writes_files = ["fs::write", "File::create", "OpenOptions", ".pid_file("]
            .iter()
            .any(|w| cx.text.contains(w));
        if writes_files {
            cx.report(
                lit.lit.span(),
                format!("pid file `{value}`: the service manages its own process"),
            )
            .help(
                "drop the pid file; systemd tracks the main process itself (`Type=simple`/`exec`)",
            );
        }
    }

    fn check_crate(&self, cx: &mut CrateCx) {
        let krate = cx.krate;
        if !krate.has_code() {
            return;
        }
        for dep in krate.manifest.runtime_deps_on(DAEMON_CRATES) {
            cx.report_dependency(dep, format!("`{}` makes the service daemonize itself", dep.package))
                .help("run in the foreground and let systemd supervise the process (`deploy/<name>.service`)");
        }
    }
}
