use crate::context::{CrateCx, FileCx};
use crate::rule::Rule;
use proc_macro2::Span;
use syn::visit::{self, Visit};

/// Method calls that take the next message off a subscription or consumer.
const RECEIVES: &[&str] = &["next", "recv", "try_next", "fetch", "receive", "messages"];
/// What bounds the tasks of a loop: a semaphore permit, a task set, a bounded stream.
const BOUNDS: &[&str] = &[
    "acquire",
    "acquire_owned",
    "join_next",
    "buffer_unordered",
    "for_each_concurrent",
];

crate::declare_rule! {
    /// ## What it does
    /// Flags `tokio::spawn` (or `task::spawn`, `spawn`) inside a loop that receives
    /// messages (`.next()`, `.recv()`, `.fetch()`, ... in the loop's condition or
    /// body), when nothing in the loop bounds the tasks: no semaphore permit
    /// (`acquire`, `acquire_owned`), no `JoinSet` (`join_next`), no
    /// `buffer_unordered` or `for_each_concurrent`. A receive inside the spawned task
    /// belongs to the task's own loop: a fixed pool of workers (`for id in 0..workers {
    /// tokio::spawn(async move { while let Some(job) = rx.recv().await { .. } }) }`) is
    /// not flagged, nor a loop that awaits its own work after spawning (`spawn(heartbeat);
    /// dump(&job).await;`): it handles one message at a time. Nor a task that answers the
    /// caller waiting on its message (`callback_tx.send(out)`, `reply_to.send(..)`): every
    /// task has a caller waiting for it, so the callers bound how many run. Only a crate
    /// that depends on a message broker's client (`async-nats`, `lapin`, `rdkafka`,
    /// `tokio-nsq`, `aws-sdk-sqs`, or the house kit's `worker` feature) is checked, and
    /// there a receive from a channel the function's program feeds itself (a parameter
    /// typed `mpsc::Receiver<..>`, a receiver made by `mpsc::channel(..)` in the function)
    /// does not count: admin-triggered jobs, its own watch events have no broker's backlog
    /// behind them. Test code is not checked.
    ///
    /// ## Why
    /// One task per message and no limit: a backlog of a million messages becomes a
    /// million tasks, each holding its message, its connections and its memory,
    /// and the process falls over exactly when the queue needed it. The broker
    /// keeps the backlog; the worker should take only as many messages as it can
    /// handle at once (docs/worker.md, `consumer.concurrency`).
    ///
    /// ## Example
    /// ```toml
    /// [package]
    /// name = "notes-worker"
    /// version = "0.1.0"
    /// edition = "2024"
    ///
    /// [dependencies]
    /// async-nats = "0.42"
    /// tokio = { version = "1", features = ["full"] }
    /// ```
    ///
    /// ```rust
    /// use futures::StreamExt;
    ///
    /// async fn consume(mut messages: async_nats::Subscriber) {
    ///     while let Some(message) = messages.next().await {
    ///         tokio::spawn(async move { handle(message).await });
    ///     }
    /// }
    /// # async fn handle(_: async_nats::Message) {}
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// use futures::StreamExt;
    ///
    /// async fn consume(mut messages: async_nats::Subscriber) {
    ///     let permits = std::sync::Arc::new(tokio::sync::Semaphore::new(32));
    ///     while let Some(message) = messages.next().await {
    ///         let permit = permits.clone().acquire_owned().await.expect("never closed");
    ///         tokio::spawn(async move {
    ///             handle(message).await;
    ///             drop(permit);
    ///         });
    ///     }
    /// }
    /// # async fn handle(_: async_nats::Message) {}
    /// ```
    /// Or implement `paved_kit::worker::Handler` (`paved new NAME --kind worker`): the
    /// kit holds at most `consumer.concurrency` messages at once.
    pub struct UnboundedSpawnPerMessage {
        name: "unbounded-spawn-per-message",
        group: Messaging,
        level: Warn,
        scope: NotInTests,
        summary: "a task spawned per received message with nothing bounding how many run at once",
    }
}

impl Rule for UnboundedSpawnPerMessage {
    fn check_item_fn(&self, cx: &mut FileCx, item: &syn::ItemFn) {
        let mut unbounded = Vec::new();
        // Read only for a loop that would be reported: most functions have none.
        let mut channels: Option<Vec<String>> = None;
        super::loops::each_loop(item, true, |head, body| {
            let mut seen = Seen::default();
            if let Some(head) = head {
                seen.visit_expr(head);
            }
            seen.visit_block(body);
            // A loop that still awaits after spawning works through its messages one at a
            // time: the task is a helper of the current one (a heartbeat while it runs).
            if seen.receivers.is_empty() || seen.bounded || seen.awaits_after_spawn {
                return;
            }
            let channels = channels.get_or_insert_with(|| in_process_receivers(item));
            let from_broker = seen.receivers.iter().any(|r| {
                r.as_ref()
                    .is_none_or(|name| !channels.iter().any(|c| c == name))
            });
            if from_broker {
                unbounded.extend(seen.spawns);
            }
        });
        // Judged with the crate's dependencies (`check_crate`).
        unbounded.sort_by_key(|span| (span.start().line, span.start().column));
        unbounded.dedup_by_key(|span| (span.start().line, span.start().column));
        for span in unbounded {
            let range = crate::router::extract::range_between(span, span);
            cx.facts.unbounded_spawns.push(range);
        }
    }

    fn check_crate(&self, cx: &mut CrateCx) {
        // A backlog is a broker's: a channel the program feeds itself is as busy as the
        // program makes it.
        let krate = cx.krate;
        let queue = krate
            .manifest
            .runtime_deps_on(crate::crate_role::QUEUE_CLIENTS)
            .next()
            .is_some()
            || krate
                .manifest
                .deps
                .iter()
                .any(|d| d.package == "paved-kit" && d.features.iter().any(|f| f == "worker"));
        if !queue {
            return;
        }
        let found: Vec<(usize, crate::model::Range)> = krate
            .files
            .iter()
            .enumerate()
            .flat_map(|(i, f)| f.unbounded_spawns.iter().map(move |r| (i, *r)))
            .collect();
        for (file, range) in found {
            cx.report_in_file(file, range, "one task per message, and nothing bounds how many run at once")
                .help("take a semaphore permit before spawning, or use a `JoinSet` capped at the concurrency you can handle (`paved_kit::worker` does both)");
        }
    }
}

/// The receivers of channels the function's own program feeds: a parameter typed as one
/// (`rx: mpsc::Receiver<AlertTask>`, `UnboundedReceiver`), or a local that a `channel(..)`
/// call made (`let (tx, mut rx) = mpsc::channel(16);`). Their messages have no broker's
/// backlog behind them.
fn in_process_receivers(item: &syn::ItemFn) -> Vec<String> {
    struct Lets(Vec<String>);
    impl<'ast> Visit<'ast> for Lets {
        fn visit_local(&mut self, local: &'ast syn::Local) {
            let makes_channel = local.init.as_ref().is_some_and(|init| {
                matches!(&*init.expr, syn::Expr::Call(c) if matches!(&*c.func,
                    syn::Expr::Path(p) if crate::resolve::last_ident_is(&p.path,
                        &["channel", "unbounded_channel", "sync_channel", "bounded", "unbounded"])))
            });
            if makes_channel && let syn::Pat::Tuple(t) = &local.pat {
                self.0.extend(t.elems.iter().nth(1).and_then(pat_name));
            }
            visit::visit_local(self, local);
        }
    }
    let mut lets = Lets(Vec::new());
    lets.visit_block(&item.block);
    let params = item.sig.inputs.iter().filter_map(|arg| match arg {
        syn::FnArg::Typed(t) if names_channel_receiver(&t.ty) => pat_name(&t.pat),
        _ => None,
    });
    lets.0.extend(params);
    lets.0
}

fn names_channel_receiver(ty: &syn::Type) -> bool {
    let syn::Type::Path(p) = ty else {
        return false;
    };
    p.path
        .segments
        .iter()
        .any(|s| s.ident == "mpsc" || s.ident == "broadcast")
        || crate::resolve::last_ident_is(&p.path, &["Receiver", "UnboundedReceiver"])
}

fn pat_name(pat: &syn::Pat) -> Option<String> {
    match pat {
        syn::Pat::Ident(i) => Some(i.ident.to_string()),
        syn::Pat::Type(t) => pat_name(&t.pat),
        _ => None,
    }
}

/// What a loop does: receive, spawn, bound.
#[derive(Default)]
struct Seen {
    /// What each receive receives from: the local's name (`rx` of `rx.recv()`), or `None`
    /// for anything else. A receive from an in-process channel (`in_process_receivers`) is
    /// not taking a broker's message.
    receivers: Vec<Option<String>>,
    bounded: bool,
    spawns: Vec<Span>,
    awaits_after_spawn: bool,
}

impl<'ast> Visit<'ast> for Seen {
    fn visit_expr_await(&mut self, e: &'ast syn::ExprAwait) {
        self.awaits_after_spawn |= !self.spawns.is_empty();
        visit::visit_expr_await(self, e);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let method = call.method.to_string();
        if RECEIVES.contains(&method.as_str()) {
            let receiver = match &*call.receiver {
                syn::Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
                _ => None,
            };
            self.receivers.push(receiver);
        }
        self.bounded |= BOUNDS.contains(&method.as_str());
        visit::visit_expr_method_call(self, call);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let syn::Expr::Path(path) = &*call.func {
            let segments: Vec<String> = path
                .path
                .segments
                .iter()
                .map(|segment| segment.ident.to_string())
                .collect();
            let spawn = match segments.as_slice() {
                [only] => only == "spawn",
                [.., parent, last] => last == "spawn" && (parent == "tokio" || parent == "task"),
                [] => false,
            };
            if spawn {
                // What the task does is its own loop's business: a pool of workers
                // spawned in `for id in 0..workers`, each receiving in its own loop, is
                // not one task per message. A task that answers its message's caller
                // (`callback_tx.send(out)`) runs while that caller waits: the callers
                // bound how many run.
                let mut replies = Replies(false);
                for arg in &call.args {
                    replies.visit_expr(arg);
                }
                if !replies.0 {
                    self.spawns
                        .push(crate::router::extract::expr_start(&call.func));
                }
                return;
            }
        }
        visit::visit_expr_call(self, call);
    }
}

/// A `.send(..)` on a reply channel the message carried (`callback_tx`, `reply_to`,
/// `respond_to`, `response_tx`).
struct Replies(bool);

impl<'ast> Visit<'ast> for Replies {
    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        if call.method == "send"
            && let syn::Expr::Path(p) = &*call.receiver
            && let Some(name) = p.path.get_ident().map(|i| i.to_string())
            && ["callback", "reply", "respond", "response"]
                .iter()
                .any(|w| name.contains(w))
        {
            self.0 = true;
        }
        visit::visit_expr_method_call(self, call);
    }
}
