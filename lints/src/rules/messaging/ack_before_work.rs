use crate::context::FileCx;
use crate::rule::Rule;
use proc_macro2::Span;
use syn::visit::{self, Visit};

/// Method calls that tell a broker a message is done with.
const ACKS: &[&str] = &["ack", "double_ack", "basic_ack"];

crate::declare_rule! {
    /// ## What it does
    /// Flags a message acknowledged (`.ack()`, `.double_ack()`, `.basic_ack(..)`)
    /// before the work on it: a statement that acknowledges, followed in the same
    /// block by statements that still `.await` something. Closures and async blocks
    /// are judged on their own. An acknowledgement in a block that then leaves the loop
    /// or the function (`Err(e) => { msg.ack().await?; continue; }`: a message that
    /// cannot be decoded, skipped) is not before any work. Test code is not checked.
    ///
    /// ## Why
    /// An acknowledgement tells the broker to forget the message. If the work after
    /// it fails, or the process dies, the message is gone: no redelivery, no dead
    /// letter, nobody knows. Acknowledge after the work succeeded; handling must be
    /// idempotent instead, since a crash between the work and the acknowledgement
    /// delivers the message again (docs/worker.md).
    ///
    /// ## Example
    /// ```rust
    /// async fn consume(message: async_nats::jetstream::Message) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    ///     message.ack().await?;
    ///     resize(&message.payload).await?;
    ///     Ok(())
    /// }
    /// # async fn resize(_: &[u8]) -> Result<(), Box<dyn std::error::Error + Send + Sync>> { Ok(()) }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// async fn consume(message: async_nats::jetstream::Message) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    ///     resize(&message.payload).await?;
    ///     message.ack().await?;
    ///     Ok(())
    /// }
    /// # async fn resize(_: &[u8]) -> Result<(), Box<dyn std::error::Error + Send + Sync>> { Ok(()) }
    /// ```
    /// Better still, implement `paved_kit::worker::Handler` (`paved new NAME --kind
    /// worker`): the kit acknowledges only after the handler returned `Ok`.
    pub struct AckBeforeWork {
        name: "ack-before-work",
        group: Messaging,
        level: Warn,
        scope: NotInTests,
        summary: "a message is acknowledged before the work on it is done",
    }
}

impl Rule for AckBeforeWork {
    fn check_item_fn(&self, cx: &mut FileCx, item: &syn::ItemFn) {
        let mut blocks = Blocks::default();
        blocks.visit_item_fn(item);
        for span in blocks.early {
            cx.report(span, "the message is acknowledged before the work after it is done")
                .help("acknowledge after the work succeeded (or implement `paved_kit::worker::Handler`, which does)");
        }
    }
}

/// Every block of a function, looking for an acknowledgement with awaits after it.
#[derive(Default)]
struct Blocks {
    early: Vec<Span>,
}

impl<'ast> Visit<'ast> for Blocks {
    fn visit_block(&mut self, block: &'ast syn::Block) {
        for (i, stmt) in block.stmts.iter().enumerate() {
            let mut here = Here::default();
            here.visit_stmt(stmt);
            if let Some(ack) = here.ack {
                let mut after = Here::default();
                for later in &block.stmts[i + 1..] {
                    after.visit_stmt(later);
                }
                if after.awaits {
                    self.early.push(ack);
                }
                break;
            }
        }
        visit::visit_block(self, block);
    }
}

/// What one statement does itself, outside the closures and async blocks in it.
#[derive(Default)]
struct Here {
    ack: Option<Span>,
    awaits: bool,
}

impl<'ast> Visit<'ast> for Here {
    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        if self.ack.is_none() && ACKS.iter().any(|ack| call.method == ack) {
            self.ack = Some(call.method.span());
        }
        visit::visit_expr_method_call(self, call);
    }

    fn visit_expr_await(&mut self, expr: &'ast syn::ExprAwait) {
        self.awaits = true;
        visit::visit_expr_await(self, expr);
    }

    fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}

    fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}

    fn visit_item(&mut self, _: &'ast syn::Item) {}

    /// A block that leaves (`Err(e) => { msg.ack().await; continue; }`) skips the message:
    /// what follows it never runs for that message.
    fn visit_block(&mut self, block: &'ast syn::Block) {
        if !leaves(block) {
            visit::visit_block(self, block);
        }
    }
}

/// The block ends in `continue`, `return` or `break`.
fn leaves(block: &syn::Block) -> bool {
    matches!(
        block.stmts.last(),
        Some(syn::Stmt::Expr(
            syn::Expr::Continue(_) | syn::Expr::Return(_) | syn::Expr::Break(_),
            _
        ))
    )
}
