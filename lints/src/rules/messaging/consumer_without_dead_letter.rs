use crate::context::FileCx;
use crate::rule::Rule;
use syn::visit::{self, Visit};

/// Words in a file that show its consumer sends what keeps failing somewhere.
const DEAD_LETTER_WORDS: &[&str] = &[
    "dead_letter",
    "dead-letter",
    "deadletter",
    "dlq",
    "dead letter",
];

crate::declare_rule! {
    /// ## What it does
    /// Flags a JetStream consumer configuration (`pull::Config { .. }`, `push::Config
    /// { .. }` of `async_nats::jetstream::consumer`) that sets no positive `max_deliver`,
    /// in a file that never names a dead letter (`dead_letter`, `dlq`, ...): nothing stops
    /// a message that always fails from being delivered again and again. A consumer that
    /// counts deliveries itself and publishes to a dead-letter subject (as
    /// `paved_kit::worker` does, with `max_deliver: -1`) is fine. Test code is not checked.
    ///
    /// ## Why
    /// A poison message (a payload the handler can never process) comes back after every
    /// ack wait, forever: it takes a slot of the consumer's concurrency, fills the logs
    /// with the same error and hides the messages behind it. After a bounded number of
    /// deliveries it belongs on a dead-letter subject, with its error, where the on-call
    /// engineer can read it and replay it once the bug is fixed (docs/worker.md).
    ///
    /// ## Example
    /// ```rust
    /// use async_nats::jetstream::consumer::pull;
    ///
    /// fn consumer_config() -> pull::Config {
    ///     pull::Config {
    ///         durable_name: Some("thumbnails".into()),
    ///         ..Default::default()
    ///     }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// use async_nats::jetstream::consumer::pull;
    ///
    /// fn consumer_config(max_deliveries: i64) -> pull::Config {
    ///     pull::Config {
    ///         durable_name: Some("thumbnails".into()),
    ///         max_deliver: max_deliveries,
    ///         ..Default::default()
    ///     }
    /// }
    /// ```
    /// Or implement `paved_kit::worker::Handler` (`paved new NAME --kind worker`): the kit
    /// publishes a message to `consumer.dead_letter_subject` after
    /// `consumer.max_deliveries` deliveries.
    pub struct ConsumerWithoutDeadLetter {
        name: "consumer-without-dead-letter",
        group: Messaging,
        level: Warn,
        scope: NotInTests,
        summary: "a queue consumer with neither a delivery limit nor a dead letter",
    }
}

impl Rule for ConsumerWithoutDeadLetter {
    fn check_item_fn(&self, cx: &mut FileCx, item: &syn::ItemFn) {
        let mut configs = Configs::default();
        configs.visit_item_fn(item);
        if configs.unbounded.is_empty() || names_a_dead_letter(cx.text) {
            return;
        }
        for span in configs.unbounded {
            cx.report(span, "this consumer redelivers a failing message forever: no `max_deliver`, no dead letter")
                .help("set `max_deliver` from configuration and publish what exceeds it to a dead-letter subject (`paved_kit::worker` does both)");
        }
    }
}

fn names_a_dead_letter(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    DEAD_LETTER_WORDS.iter().any(|w| lower.contains(w))
}

/// Consumer configuration literals without a positive `max_deliver`.
#[derive(Default)]
struct Configs {
    unbounded: Vec<proc_macro2::Span>,
}

impl<'ast> Visit<'ast> for Configs {
    fn visit_expr_struct(&mut self, expr: &'ast syn::ExprStruct) {
        let segments = &expr.path.segments;
        let n = segments.len();
        let is_consumer_config = n >= 2
            && segments[n - 1].ident == "Config"
            && (segments[n - 2].ident == "pull" || segments[n - 2].ident == "push");
        if is_consumer_config && !sets_a_delivery_limit(expr) {
            self.unbounded.push(segments[n - 1].ident.span());
        }
        visit::visit_expr_struct(self, expr);
    }
}

/// `max_deliver: 5` or `max_deliver: settings.max_deliveries`; not `-1` (no limit).
fn sets_a_delivery_limit(expr: &syn::ExprStruct) -> bool {
    expr.fields.iter().any(|f| {
        matches!(&f.member, syn::Member::Named(name) if name == "max_deliver")
            && !matches!(&f.expr, syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)))
            && !matches!(&f.expr, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(i), .. }) if i.base10_digits() == "0")
    })
}
