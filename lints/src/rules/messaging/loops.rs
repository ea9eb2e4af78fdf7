//! The loops of a function, for the rules that judge what a consume loop does, and the
//! report of what they found, once per place.

use crate::context::FileCx;
use proc_macro2::Span;
use syn::visit::{self, Visit};

/// Calls `judge(head, body)` for every `loop` and `while` of `item` (and `for`, with
/// `for_loops`), nested ones too; `head` is the condition or the iterated expression.
pub(super) fn each_loop<'ast>(
    item: &'ast syn::ItemFn,
    for_loops: bool,
    judge: impl FnMut(Option<&'ast syn::Expr>, &'ast syn::Block),
) {
    Loops { for_loops, judge }.visit_item_fn(item);
}

/// Reports each span once: a call inside nested loops is found by each of them.
pub(super) fn report_once(cx: &mut FileCx, mut spans: Vec<Span>, message: &str, help: &str) {
    spans.sort_by_key(|span| (span.start().line, span.start().column));
    spans.dedup_by_key(|span| (span.start().line, span.start().column));
    for span in spans {
        cx.report(span, message).help(help);
    }
}

struct Loops<F> {
    for_loops: bool,
    judge: F,
}

impl<'ast, F: FnMut(Option<&'ast syn::Expr>, &'ast syn::Block)> Visit<'ast> for Loops<F> {
    fn visit_expr_while(&mut self, expr: &'ast syn::ExprWhile) {
        (self.judge)(Some(&expr.cond), &expr.body);
        visit::visit_expr_while(self, expr);
    }

    fn visit_expr_for_loop(&mut self, expr: &'ast syn::ExprForLoop) {
        if self.for_loops {
            (self.judge)(Some(&expr.expr), &expr.body);
        }
        visit::visit_expr_for_loop(self, expr);
    }

    fn visit_expr_loop(&mut self, expr: &'ast syn::ExprLoop) {
        (self.judge)(None, &expr.body);
        visit::visit_expr_loop(self, expr);
    }
}
