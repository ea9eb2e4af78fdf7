use crate::context::FileCx;
use crate::rule::Rule;
use proc_macro2::Span;
use syn::visit::{self, Visit};

/// Method calls that ask a queue for messages.
const POLLS: &[&str] = &[
    "fetch",
    "pull",
    "receive",
    "receive_message",
    "try_recv",
    "try_next",
    "get_messages",
    "poll_messages",
];

crate::declare_rule! {
    /// ## What it does
    /// Flags a fixed sleep (`sleep(Duration::from_secs(5))`, `from_millis`, ... with a
    /// literal) in a loop that polls a queue (`.fetch()`, `.pull()`, `.receive()`,
    /// `.try_recv()`, `.receive_message()`, ...). Test code is not checked.
    ///
    /// ## Why
    /// A poll-then-sleep loop is slow when there is work (each empty poll costs the
    /// full sleep before the next message is seen) and busy when there is none, and
    /// every consumer picks its own number. Let the broker wait for you: a long poll
    /// or a pull request with an expiry returns as soon as a message arrives
    /// (docs/worker.md). Back-off after an error should grow, not stay fixed.
    ///
    /// ## Example
    /// ```rust
    /// async fn consume(mut inbox: tokio::sync::mpsc::Receiver<String>) {
    ///     loop {
    ///         match inbox.try_recv() {
    ///             Ok(message) => handle(message).await,
    ///             Err(_) => tokio::time::sleep(std::time::Duration::from_secs(1)).await,
    ///         }
    ///     }
    /// }
    /// # async fn handle(_: String) {}
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// async fn consume(mut inbox: tokio::sync::mpsc::Receiver<String>) {
    ///     // Waits until a message arrives, however long that is.
    ///     while let Some(message) = inbox.recv().await {
    ///         handle(message).await;
    ///     }
    /// }
    /// # async fn handle(_: String) {}
    /// ```
    /// With NATS JetStream, implement `paved_kit::worker::Handler` (`paved new NAME
    /// --kind worker`): the kit keeps a pull request open and never sleeps between polls.
    pub struct FixedSleepPoll {
        name: "fixed-sleep-poll",
        group: Messaging,
        level: Warn,
        scope: NotInTests,
        summary: "a consume loop polls the queue and sleeps a fixed time between polls",
    }
}

impl Rule for FixedSleepPoll {
    fn check_item_fn(&self, cx: &mut FileCx, item: &syn::ItemFn) {
        let mut sleeps = Vec::new();
        super::loops::each_loop(item, false, |head, body| {
            let mut seen = Seen::default();
            if let Some(head) = head {
                seen.visit_expr(head);
            }
            seen.visit_block(body);
            if seen.polls {
                sleeps.extend(seen.sleeps);
            }
        });
        super::loops::report_once(
            cx,
            sleeps,
            "a fixed sleep between polls of a queue",
            "let the broker wait: a long poll or a pull request with an expiry (`paved_kit::worker` keeps one open)",
        );
    }
}

#[derive(Default)]
struct Seen {
    polls: bool,
    sleeps: Vec<Span>,
}

impl<'ast> Visit<'ast> for Seen {
    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        self.polls |= POLLS.iter().any(|poll| call.method == poll);
        visit::visit_expr_method_call(self, call);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let syn::Expr::Path(path) = &*call.func
            && path
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "sleep")
            && call.args.iter().next().is_some_and(fixed_duration)
        {
            self.sleeps
                .push(crate::router::extract::expr_start(&call.func));
        }
        visit::visit_expr_call(self, call);
    }
}

/// `Duration::from_secs(1)` and the like: a literal duration.
fn fixed_duration(arg: &syn::Expr) -> bool {
    let syn::Expr::Call(call) = arg else {
        return false;
    };
    let syn::Expr::Path(path) = &*call.func else {
        return false;
    };
    let is_constructor = path
        .path
        .segments
        .last()
        .is_some_and(|s| s.ident.to_string().starts_with("from_"));
    is_constructor && call.args.iter().all(|arg| matches!(arg, syn::Expr::Lit(_)))
}
