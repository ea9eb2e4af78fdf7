//! Phase 1: the single `syn::visit` walk of one file. It keeps track of where it is (test
//! code, config module, async context), calls every rule's hooks through the registry, and
//! leaves the facts crate rules need in `FileCx::facts`.
//!
//! This file is the walk itself; recording the facts lives beside it, by what they are
//! about: `handlers` (functions, closures, panics), `routers` (router chains, `serve`
//! calls), `items` (`use`, `const`, trait impls), `scope` (test code, blocking escapes),
//! and `settings` (what makes a file a config module by behaviour).

mod acknowledged;
mod commands;
mod guards;
pub(crate) mod handlers;
mod infallible;
mod invariants;
mod items;
mod own_text;
mod prometheus_paths;
mod routers;
mod samples;
mod scope;
mod settings;
mod shape;

use crate::context::FileCx;
use crate::hot_path;
use crate::registry;
use crate::router::extract::{self, ROUTER_OPS, ROUTER_PASS};
pub(crate) use acknowledged::{drop_weighed, is_acknowledged_call};
pub(crate) use infallible::unwraps_infallible_extractor;
use scope::is_blocking_escape;
pub(crate) use scope::{is_test_attribute, names_dev_data};
use syn::visit::{self, Visit};

/// Identity of a syntax node during the walk (compared, never dereferenced). Every node
/// walked, macro bodies included (see `MacroBodies`), lives until the walk ends, so no two
/// nodes of one walk share an address.
type Key = *const ();

fn key<T>(node: &T) -> Key {
    node as *const T as Key
}

/// The identity of the call or method call an expression is (what chains are keyed by).
fn expr_key(e: &syn::Expr) -> Key {
    match e {
        syn::Expr::MethodCall(m) => key(m),
        syn::Expr::Call(c) => key(c),
        syn::Expr::Paren(p) => expr_key(&p.expr),
        syn::Expr::Await(a) => expr_key(&a.base),
        syn::Expr::Try(t) => expr_key(&t.expr),
        _ => std::ptr::null(),
    }
}

/// The code parsed out of macro bodies during one walk (`syn` leaves them as tokens). It
/// outlives the walk, like the file's own tree, so that the walker may hold references
/// into either.
pub(crate) type MacroBodies = typed_arena::Arena<Vec<syn::Expr>>;

/// The walk of one file. `'ast` is the life of what it walks: the file's syntax tree and
/// the macro bodies parsed in `bodies`.
pub(crate) struct Walker<'c, 'a, 'ast> {
    pub cx: &'c mut FileCx<'a>,
    bodies: &'ast MacroBodies,
    /// A string literal that is the whole value bound to a name, and that name.
    binding: Option<(*const syn::LitStr, syn::Ident)>,
    /// Inline `mod x { .. }` names around the current position.
    mods: Vec<String>,
    /// Enclosing functions: the name's identity and the fact collecting panics (an
    /// `async fn` or handler closure outside test code), innermost last.
    fns: Vec<(Option<&'ast syn::Ident>, Option<usize>)>,
    /// Handler closures / async blocks recorded from a route, not yet walked.
    pending_handlers: Vec<(Key, usize)>,
    /// Calls that belong to an already recorded router chain.
    claimed: Vec<Key>,
    /// `let name = <expr>` / `name = <expr>` being walked.
    /// (The name is borrowed from the syntax tree being walked: no allocation per `let`.)
    pending_binding: Option<(Key, &'ast syn::Ident)>,
    /// Tail expressions of the enclosing functions.
    tails: Vec<Key>,
    /// For each function walked: its body's statements, when it is async and takes no
    /// arguments (the walk of its top-level statements knows it is there:
    /// `walk/commands.rs`).
    fn_bodies: Vec<*const syn::Stmt>,
    /// `axum::serve(..)` calls that have `.with_graceful_shutdown(..)`.
    graceful: Vec<Key>,
    /// `let name = <call>` of the enclosing functions that may bind a router (see
    /// `record_wrapper`).
    wrappers: Vec<(&'ast syn::Ident, &'ast syn::Expr)>,
    /// `let jar: PrivateCookieJar = parts.extract().await.unwrap();`: the unwrap of an
    /// extractor whose rejection is `Infallible` (see `infallible::unwraps_infallible_extractor`).
    infallible_unwrap: Option<Key>,
    /// Checks and literal locals that make a handler's unwraps safe.
    guards: guards::Guards<'ast>,
    /// The type of the `impl` block around (`Database` in `impl Database { .. }`).
    impl_self: Option<&'ast syn::Type>,
    /// The `impl` block around implements a message handler (`impl Handler<Msg> for
    /// Actor`): its methods run per message (`crate::hot_path`).
    in_handler_impl: bool,
    /// Locals of the recorded function so far whose `let` shows their type, as (name, type)
    /// (`crate::hot_path::local_type`).
    local_types: Vec<(String, String)>,
    /// Functions of the file so far that wrap a handler into a method router
    /// (`fn get_internal<H>(handler: H) -> MethodRouter<S> { get(handler).route_layer(..) }`).
    method_router_wrappers: Vec<&'ast syn::Ident>,
    /// Route-like `const`s of the file so far (`const BASE_URL: &str = "/api/v1/x"`), for
    /// the format strings that start with one (`format!("{BASE_URL}/{id}")`).
    route_consts: Vec<(String, String)>,
    /// A buffer for an identifier's text, reused so that reading one allocates nothing.
    scratch: String,
    /// Functions of the file whose own statements install the logger (`start_daemon`,
    /// which `main` runs with `rt.block_on(start_daemon(..))`): `commands::collect_logger_fns`.
    logger_fns: Vec<&'ast syn::Ident>,
    /// For each function walked: where its `print-logging` sites start in
    /// `FileFacts::print_sites`, and whether it is the program's entry, writes log events,
    /// starts the server or answers a route (`PrintSite::beside_log`).
    print_marks: Vec<(usize, bool)>,
    /// Depth of `match` arms that a request cannot reach (`handlers::is_forward_of_settled_outcome`):
    /// their panics state that, they are not a request's failure.
    unreachable_arm_depth: u32,
}

impl<'c, 'a, 'ast> Walker<'c, 'a, 'ast> {
    pub fn new(cx: &'c mut FileCx<'a>, bodies: &'ast MacroBodies) -> Self {
        Walker {
            cx,
            bodies,
            binding: None,
            mods: Vec::new(),
            fns: Vec::new(),
            pending_handlers: Vec::new(),
            claimed: Vec::new(),
            pending_binding: None,
            tails: Vec::new(),
            fn_bodies: Vec::new(),
            graceful: Vec::new(),
            wrappers: Vec::new(),
            infallible_unwrap: None,
            guards: guards::Guards::default(),
            impl_self: None,
            in_handler_impl: false,
            local_types: Vec::new(),
            method_router_wrappers: Vec::new(),
            route_consts: Vec::new(),
            scratch: String::new(),
            logger_fns: Vec::new(),
            print_marks: Vec::new(),
            unreachable_arm_depth: 0,
        }
    }

    /// The innermost enclosing function's name.
    fn func(&self) -> Option<String> {
        self.fns
            .last()
            .and_then(|(ident, _)| *ident)
            .map(|ident| ident.to_string())
    }

    /// Walks an item (a `static`, a `const`) that may sit in a function's body but is not
    /// part of its run: a `static RE: LazyLock<Regex>` is built once, not per request, so
    /// its panics are not the function's.
    fn outside_fn(&mut self, f: impl FnOnce(&mut Self)) {
        self.fns.push((None, None));
        f(self);
        self.fns.pop();
    }

    /// The function fact collecting panics at this point, if any.
    fn collector(&self) -> Option<usize> {
        self.fns.last().and_then(|(_, c)| *c)
    }

    /// Walks a function body with its name, panic collector and tail expression known;
    /// `route_attrs` are a free function's attributes, one of which may route requests to
    /// it (a plain `#[post("/admin/ban")] fn ban_user(..)` of Rocket).
    fn in_fn(
        &mut self,
        sig: &'ast syn::Signature,
        collector: Option<usize>,
        route_attrs: &[syn::Attribute],
        block: &syn::Block,
        f: impl FnOnce(&mut Self),
    ) {
        let tail = block
            .stmts
            .last()
            .and_then(extract::tail_expr)
            .map_or(std::ptr::null(), expr_key);
        if collector.is_some() {
            self.guards.clear_locals();
            self.local_types.clear();
        }
        if !self.cx.in_test() {
            let fields = invariants::fields_always_some(block);
            if !fields.is_empty() {
                let entry = (sig.ident.to_string(), fields);
                self.cx.facts.fields_always_some.push(entry);
            }
        }
        self.fns.push((Some(&sig.ident), collector));
        self.tails.push(tail);
        // Only a function that takes nothing (but `self`) can be a background task: a
        // handler with a loop (a websocket's) takes its request.
        let task_like = sig.asyncness.is_some()
            && sig
                .inputs
                .iter()
                .all(|a| matches!(a, syn::FnArg::Receiver(_)));
        self.fn_bodies.push(if task_like {
            block.stmts.as_ptr()
        } else {
            std::ptr::null()
        });
        let main = (commands::is_startup_fn(&sig.ident)
            || commands::returns_exit_status(sig)
            || commands::starts_listener(sig, block)
            || commands::opens_resource(sig, self.impl_self)
            || commands::starts_component(sig))
        .then_some((self.cx.async_stack.len(), self.cx.loop_depth));
        self.cx.main_at.push(main);
        self.cx
            .fn_at
            .push((self.cx.async_stack.len(), self.cx.loop_depth));
        // The program's entry runs as long as the service does: what it prints lands
        // beside the log.
        let answers_route = collector.is_none()
            && !self.cx.in_test()
            && route_attrs.iter().any(handlers::is_route_attribute);
        let evident = answers_route || commands::is_program_entry(&sig.ident);
        self.print_marks
            .push((self.cx.facts.print_sites.len(), evident));
        let default = u32::from(names_a_default_value(&sig.ident));
        self.cx.fallback_depth += default;
        let router = &self.cx.facts.router;
        let mark = (
            router.chains.len(),
            router.serves.len(),
            self.wrappers.len(),
        );
        f(self);
        self.flush_print_marks(Some(block));
        self.flush_wrappers(mark);
        self.cx.fallback_depth -= default;
        self.cx.main_at.pop();
        self.cx.fn_at.pop();
        self.fn_bodies.pop();
        self.tails.pop();
        self.fns.pop();
    }

    /// Walks a loop's body with `loop_depth` raised: what a loop repeats is not startup code.
    fn in_loop(&mut self, f: impl FnOnce(&mut Self)) {
        self.cx.loop_depth += 1;
        f(self);
        self.cx.loop_depth -= 1;
    }

    /// Walks call arguments; those of a blocking escape (`spawn_blocking(..)`) are not
    /// async code.
    fn visit_args(
        &mut self,
        args: &'ast syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>,
        escape: bool,
    ) {
        for arg in args {
            if escape {
                self.cx.async_stack.push(false);
                self.visit_expr(arg);
                self.cx.async_stack.pop();
            } else {
                self.visit_expr(arg);
            }
        }
    }

    /// Starts collecting panics for a handler closure or async block about to be walked.
    fn take_pending_handler(&mut self, k: Key) -> bool {
        if self.pending_handlers.is_empty() {
            return false;
        }
        let Some(i) = self.pending_handlers.iter().position(|(p, _)| *p == k) else {
            return false;
        };
        let (_, fact) = self.pending_handlers.swap_remove(i);
        let ident = self.fns.last().and_then(|f| f.0);
        self.fns.push((ident, Some(fact)));
        true
    }

    /// `syn` leaves macro bodies as tokens; the code in the ones `router::macros` knows is
    /// walked like any other. It is kept in `bodies` until the walk ends: facts of the
    /// enclosing function (`wrappers`) may point into it.
    /// Names the function around the findings a command's output could excuse, reported
    /// since `from` (`crate::command_output`).
    fn name_command_sites(&mut self, from: usize) {
        let unnamed = |sites: &[(u32, String)]| sites.last().is_some_and(|s| s.1.is_empty());
        if self.cx.facts.command_sites.len() > from || unnamed(&self.cx.facts.startup_sites) {
            let func = self.func().unwrap_or_default();
            for site in &mut self.cx.facts.command_sites[from..] {
                site.1.clone_from(&func);
            }
            for site in self.cx.facts.startup_sites.iter_mut().rev() {
                if !site.1.is_empty() {
                    break;
                }
                site.1.clone_from(&func);
            }
        }
    }

    /// Places the `blocking-in-async` findings reported since `from` in the recorded
    /// function around them (`crate::hot_path`).
    fn place_blocking_sites(&mut self, from: usize) {
        let function = self.collector();
        for site in &mut self.cx.facts.blocking_sites[from..] {
            site.function = function;
        }
    }

    /// Places the `print-logging` findings reported since `from` in the function around
    /// them (`crate::hot_path`).
    fn place_print_sites(&mut self, from: usize) {
        if self.cx.facts.print_sites.len() == from {
            return;
        }
        let function = self.collector();
        let plain_fn = match function {
            Some(_) => None,
            None => self.func(),
        };
        for site in &mut self.cx.facts.print_sites[from..] {
            site.function = function;
            site.plain_fn.clone_from(&plain_fn);
        }
    }

    /// Ends a function's walk for `print-logging`: its prints are beside the log when it
    /// is the program's entry, writes log events too, starts the server or answers a
    /// route.
    fn flush_print_marks(&mut self, block: Option<&syn::Block>) {
        let Some((from, beside_log)) = self.print_marks.pop() else {
            return;
        };
        let printed = self.cx.facts.print_sites.len() > from;
        // Looked for only where it matters: a function that printed.
        if printed && (beside_log || block.is_some_and(commands::starts_server)) {
            for site in &mut self.cx.facts.print_sites[from..] {
                site.beside_log = true;
            }
        }
    }

    /// Notes a log event (`warn!(..)`, `tracing::info!(..)`, kanidm's `admin_error!(..)`)
    /// in the function around.
    fn record_log_event(&mut self, m: &syn::Macro) {
        if let Some(mark) = self.print_marks.last_mut()
            && !mark.1
            && is_log_event(&m.path)
        {
            mark.1 = true;
        }
    }

    /// Notes a call in the call graph of the recorded function around it (`crate::hot_path`).
    fn record_callee(&mut self, name: Option<String>) {
        const MAX_CALLEES: usize = 256;
        let (collector, Some(name)) = (self.collector(), name) else {
            return;
        };
        // A `while`, a `loop` that does not end on its own, a spawned task; in a task, any
        // loop but one over a fixed set: `tokio::spawn(async move { for next in
        // schedule.upcoming(Utc) { .. } })` repeats its work for ever, while `for partition
        // in partitions` in a function's own body is likelier startup's.
        let repeated = self.cx.repeat_depth > 0
            || self.cx.spawn_depth > 0
            || (self.cx.loop_depth > 0 && self.cx.in_task());
        let Some(i) = collector else {
            let calls = &mut self.cx.facts.repeated_calls;
            if repeated && calls.len() < MAX_CALLEES && !calls.contains(&name) {
                calls.push(name);
            }
            return;
        };
        let fact = &mut self.cx.facts.router.fns[i];
        if repeated && fact.loop_callees.len() < MAX_CALLEES && !fact.loop_callees.contains(&name) {
            fact.loop_callees.push(name.clone());
        }
        if fact.callees.len() < MAX_CALLEES && !fact.callees.contains(&name) {
            fact.callees.push(name);
        }
    }

    fn walk_macro_body(&mut self, m: &syn::Macro) {
        let exprs = crate::router::macros::body_exprs(m);
        if exprs.is_empty() {
            let mut callees = Vec::new();
            hot_path::macro_callees(m.tokens.clone(), &mut callees);
            for callee in callees {
                self.record_callee(Some(callee));
            }
            return;
        }
        let exprs: &'ast [syn::Expr] = self.bodies.alloc(exprs);
        for e in exprs {
            self.visit_expr(e);
        }
    }

    /// Remembers the string literal `expr` is (if it is one) as bound to `name`, for
    /// `check_lit_str` hooks, and tells `check_binding` hooks.
    fn with_binding(&mut self, expr: &syn::Expr, name: &syn::Ident) {
        registry::check_binding(self.cx, name, expr);
        if let Some(lit) = string_literal(expr) {
            self.binding = Some((lit as *const _, name.clone()));
        }
    }

    /// Points `pending_binding` at `name` while the call `value` is walked.
    fn bind_pending(&mut self, value: &syn::Expr, name: &'ast syn::Ident) {
        let k = expr_key(value);
        if !k.is_null() {
            self.pending_binding = Some((k, name));
        }
    }
}

/// `Default::default`, serde's `default = "default_listen"` functions, `port_default`:
/// what they return is a setting's default, which configuration overrides.
fn names_a_default_value(name: &syn::Ident) -> bool {
    let name = name.to_string();
    name == "default" || name.starts_with("default_") || name.ends_with("_default")
}

/// The string literal an expression is, looking through references, parentheses and a
/// newtype's constructor (`ApiUrl("ws://localhost:8081")`, `Some("..")`).
fn string_literal(expr: &syn::Expr) -> Option<&syn::LitStr> {
    match expr {
        // The argument first: naming the callee allocates, and most calls take no literal.
        syn::Expr::Call(c) if c.args.len() == 1 => string_literal(&c.args[0]).filter(|_| {
            matches!(&*c.func, syn::Expr::Path(p) if p.path.segments.last()
                .is_some_and(|s| s.ident.to_string().starts_with(|c: char| c.is_ascii_uppercase())))
        }),
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s),
        syn::Expr::Reference(r) => string_literal(&r.expr),
        syn::Expr::Paren(p) => string_literal(&p.expr),
        syn::Expr::MethodCall(m)
            if m.args.is_empty()
                && (m.method == "to_string" || m.method == "into" || m.method == "to_owned") =>
        {
            string_literal(&m.receiver)
        }
        _ => None,
    }
}

fn pattern_name(pat: &syn::Pat) -> Option<&syn::Ident> {
    match pat {
        syn::Pat::Ident(p) => Some(&p.ident),
        syn::Pat::Type(t) => pattern_name(&t.pat),
        // `let (router, openapi) = api.split_for_parts();`: the router comes first.
        syn::Pat::Tuple(t) => t.elems.first().and_then(pattern_name),
        _ => None,
    }
}

impl<'ast> Visit<'ast> for Walker<'_, '_, 'ast> {
    fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
        // Attributes hold doc comments and derive options, not code that runs: only the
        // doctests of doc comments and a command line's default settings file are noted.
        self.record_doc_fence(attr);
        self.record_settings_file_arg(attr);
    }

    fn visit_field(&mut self, f: &'ast syn::Field) {
        self.record_settings_file_field(f);
        visit::visit_field(self, f);
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        let config =
            crate::engine::names_config_module(&m.ident.to_string(), &self.cx.house.config_modules);
        // A `mod x;` is another file, whose module comes from its path.
        let inline = m.content.is_some();
        if let Some((_, items)) = &m.content {
            self.mods.push(m.ident.to_string());
            self.cx.uses.push();
            self.collect_uses(items);
        }
        // `pub mod tests { .. }` without `#[cfg(test)]`: named as the tests by Rust's
        // convention, kept public for other crates' tests.
        let tests = u32::from(inline && (m.ident == "tests" || m.ident == "test"));
        self.cx.test_depth += tests;
        self.scoped(&m.attrs, None, config, |w| visit::visit_item_mod(w, m));
        self.cx.test_depth -= tests;
        if inline {
            self.cx.uses.pop();
            self.mods.pop();
        }
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if handlers::wraps_handler(&f.sig) {
            self.method_router_wrappers.push(&f.sig.ident);
        }
        if f.attrs.iter().any(is_test_attribute) {
            self.cx.facts.has_test_fn |= f.attrs.iter().any(|a| !a.path().is_ident("cfg"));
        }
        let is_async = f.sig.asyncness.is_some();
        let test_helper = scope::is_test_helper_name(&f.sig.ident);
        self.cx.test_depth += u32::from(test_helper);
        self.scoped(&f.attrs, Some(is_async), false, |w| {
            registry::check_item_fn(w.cx, f);
            let collector = w.record_fn(&f.attrs, &f.sig);
            w.record_tail_var(&f.sig, &f.block);
            w.in_fn_kind(&f.sig, |w| {
                w.in_fn(&f.sig, collector, &f.attrs, &f.block, |w| {
                    visit::visit_item_fn(w, f)
                })
            });
        });
        self.cx.test_depth -= u32::from(test_helper);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        let is_async = f.sig.asyncness.is_some();
        let test_helper = scope::is_test_helper_name(&f.sig.ident);
        self.cx.test_depth += u32::from(test_helper);
        let settings = u32::from(commands::builds_settings_from_env(&f.sig, self.impl_self));
        self.cx.config_depth += settings;
        self.scoped(&f.attrs, Some(is_async), false, |w| {
            let collector = w.record_method(&f.attrs, &f.sig);
            w.in_fn_kind(&f.sig, |w| {
                w.in_fn(&f.sig, collector, &[], &f.block, |w| {
                    visit::visit_impl_item_fn(w, f)
                })
            })
        });
        self.cx.config_depth -= settings;
        self.cx.test_depth -= u32::from(test_helper);
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        let is_async = f.sig.asyncness.is_some();
        self.fns.push((Some(&f.sig.ident), None));
        self.print_marks
            .push((self.cx.facts.print_sites.len(), false));
        self.scoped(&f.attrs, Some(is_async), false, |w| {
            visit::visit_trait_item_fn(w, f)
        });
        self.flush_print_marks(f.default.as_ref());
        self.fns.pop();
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        self.record_trait_impl(i);
        self.scoped(&i.attrs, None, false, |w| {
            registry::check_item_impl(w.cx, i);
            let outer = w.impl_self.replace(&i.self_ty);
            let outer_handler = std::mem::replace(&mut w.in_handler_impl, handles_messages(i));
            let teardown = u32::from(commands::is_logger_teardown(i));
            w.cx.logging_setup_depth += teardown;
            w.as_command(commands::is_command_impl(i), |w| {
                visit::visit_item_impl(w, i)
            });
            w.cx.logging_setup_depth -= teardown;
            w.impl_self = outer;
            w.in_handler_impl = outer_handler;
        });
    }

    fn visit_item_struct(&mut self, s: &'ast syn::ItemStruct) {
        self.scoped(&s.attrs, None, false, |w| {
            w.record_deserialize(&s.attrs);
            w.record_template(&s.attrs);
            w.record_error_list_fields(&s.fields);
            if let Some(path) = extract::typed_path(&s.attrs).filter(|_| !w.cx.in_test()) {
                let entry = (s.ident.to_string(), path);
                w.cx.facts.router.typed_paths.push(entry);
            }
            visit::visit_item_struct(w, s)
        });
    }

    fn visit_item_trait(&mut self, i: &'ast syn::ItemTrait) {
        self.scoped(&i.attrs, None, false, |w| visit::visit_item_trait(w, i));
    }

    fn visit_item_const(&mut self, c: &'ast syn::ItemConst) {
        self.record_const(&c.ident, &c.expr);
        self.with_binding(&c.expr, &c.ident);
        self.outside_fn(|w| w.scoped(&c.attrs, None, false, |w| visit::visit_item_const(w, c)));
    }

    fn visit_impl_item_const(&mut self, c: &'ast syn::ImplItemConst) {
        self.with_binding(&c.expr, &c.ident);
        self.scoped(&c.attrs, None, false, |w| {
            visit::visit_impl_item_const(w, c)
        });
    }

    fn visit_item_static(&mut self, s: &'ast syn::ItemStatic) {
        self.record_const(&s.ident, &s.expr);
        self.record_env_static(&s.expr);
        self.with_binding(&s.expr, &s.ident);
        self.outside_fn(|w| w.scoped(&s.attrs, None, false, |w| visit::visit_item_static(w, s)));
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        // The `use` map was filled when its module or block was entered.
        self.record_module_use(u);
        self.record_test_use(u);
    }

    fn visit_block(&mut self, b: &'ast syn::Block) {
        // A block's own `use` items (`{ use tokio::fs; .. }`) are in scope in it only.
        let has_use = b
            .stmts
            .iter()
            .any(|s| matches!(s, syn::Stmt::Item(syn::Item::Use(_))));
        if !has_use {
            return self.visit_stmts(&b.stmts);
        }
        self.cx.uses.push();
        for s in &b.stmts {
            if let syn::Stmt::Item(syn::Item::Use(u)) = s {
                self.cx.uses.add(&u.tree);
            }
        }
        self.visit_stmts(&b.stmts);
        self.cx.uses.pop();
    }

    fn visit_expr_block(&mut self, b: &'ast syn::ExprBlock) {
        // `#[cfg(feature = "staging")] { .. }`: a block compiled only for tests.
        if b.attrs.is_empty() {
            return visit::visit_expr_block(self, b);
        }
        self.scoped(&b.attrs, None, false, |w| visit::visit_expr_block(w, b));
    }

    fn visit_stmt(&mut self, s: &'ast syn::Stmt) {
        // `#[cfg(debug_assertions)] conn.set_instrumentation(..);`: one statement compiled
        // only for tests or debug builds.
        let test = u32::from(scope::stmt_attrs(s).iter().any(scope::is_test_attribute));
        self.cx.test_depth += test;
        visit::visit_stmt(self, s);
        self.cx.test_depth -= test;
    }

    fn visit_local(&mut self, l: &'ast syn::Local) {
        let saved = self.pending_binding.take();
        if let (Some(init), Some(name)) = (&l.init, pattern_name(&l.pat)) {
            self.with_binding(&init.expr, name);
            self.bind_pending(&init.expr, name);
            self.record_wrapper(name, &init.expr);
        }
        let saved_unwrap = self.infallible_unwrap;
        if let Some(call) = infallible::unwraps_infallible_extractor(l) {
            self.infallible_unwrap = Some(key(call));
        }
        self.scoped(&l.attrs, None, false, |w| visit::visit_local(w, l));
        self.infallible_unwrap = saved_unwrap;
        if self.collector().is_some() {
            self.guards.note_local(l);
            if let (Some(name), Some(ty)) = (pattern_name(&l.pat), hot_path::local_type(l)) {
                self.local_types.push((name.to_string(), ty));
            }
        }
        self.pending_binding = saved;
    }

    fn visit_expr_assign(&mut self, a: &'ast syn::ExprAssign) {
        let saved = self.pending_binding.take();
        if let syn::Expr::Path(p) = &*a.left
            && p.path.segments.len() == 1
        {
            self.bind_pending(&a.right, &p.path.segments[0].ident);
        }
        visit::visit_expr_assign(self, a);
        self.pending_binding = saved;
    }

    fn visit_field_value(&mut self, f: &'ast syn::FieldValue) {
        let sites = self.cx.facts.command_sites.len();
        registry::check_field_value(self.cx, f);
        self.name_command_sites(sites);
        if let syn::Member::Named(name) = &f.member {
            self.with_binding(&f.expr, name);
        }
        visit::visit_field_value(self, f);
    }

    fn visit_expr_async(&mut self, e: &'ast syn::ExprAsync) {
        let handler = self.take_pending_handler(key(e));
        self.cx.async_stack.push(true);
        visit::visit_expr_async(self, e);
        self.cx.async_stack.pop();
        if handler {
            self.fns.pop();
        }
    }

    fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
        let handler = self.take_pending_handler(key(c));
        // A plain closure is not async code, even inside an `async fn`: it may well run on
        // another thread (`spawn_blocking`, tokio's own `asyncify(|| std::fs::read(..))`).
        self.cx.async_stack.push(c.asyncness.is_some());
        visit::visit_expr_closure(self, c);
        self.cx.async_stack.pop();
        if handler {
            self.fns.pop();
        }
    }

    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        let sites = self.cx.facts.command_sites.len();
        let blocking = self.cx.facts.blocking_sites.len();
        registry::check_call(self.cx, c);
        self.name_command_sites(sites);
        self.place_blocking_sites(blocking);
        if let syn::Expr::Path(p) = &*c.func {
            self.record_callee(hot_path::path_callee(&p.path));
        }
        self.record_settings_call(c);
        self.record_settings_file_name(c);
        self.record_command_call(c);
        self.record_document(None, Some(c));
        let claims = self.claimed.len();
        if let syn::Expr::Path(p) = &*c.func {
            let last = p.path.segments.last().map(|s| &s.ident);
            if last.is_some_and(|l| l == "new" || l == "default" || l == "with_openapi")
                && !self.claimed.contains(&key(c))
            {
                self.record_chain(None, None, Some(c));
            } else if last.is_some_and(|l| l == "serve")
                && c.args.len() >= 2
                && routers::is_serve_fn(&self.cx.resolve(&p.path), c.args.len())
            {
                self.record_serve(
                    key(c),
                    extract::expr_start(&c.func),
                    c.paren_token.span.close(),
                    &c.args[1],
                );
            }
        }
        let escape = matches!(&*c.func, syn::Expr::Path(p) if is_blocking_escape(&p.path));
        // `tokio::spawn(worker(rx))`: a task runs beside the requests.
        let spawns = u32::from(
            !escape && matches!(&*c.func, syn::Expr::Path(p) if hot_path::spawns_task(&p.path)),
        );
        self.visit_expr(&c.func);
        self.cx.spawn_depth += spawns;
        self.visit_args(&c.args, escape);
        self.cx.spawn_depth -= spawns;
        self.claimed.truncate(claims);
    }

    fn visit_expr_method_call(&mut self, c: &'ast syn::ExprMethodCall) {
        let sites = self.cx.facts.command_sites.len();
        registry::check_method_call(self.cx, c);
        self.name_command_sites(sites);
        self.record_callee(hot_path::method_callee(c, &self.local_types));
        self.record_segment_path(c);
        self.record_answer_method(&c.method);
        let claims = self.claimed.len();
        let graceful = self.graceful.len();
        let k = key(c);
        if (ROUTER_OPS.iter().chain(ROUTER_PASS).any(|n| c.method == n))
            && !self.claimed.contains(&k)
        {
            self.record_chain(Some(c), Some(&c.receiver), None);
        } else if c.method == "with_graceful_shutdown" {
            self.record_graceful(&c.receiver);
        } else if c.method == "serve" && c.args.len() == 1 && routers::is_server_bind(&c.receiver) {
            self.record_serve(
                k,
                extract::expr_start(&c.receiver),
                c.paren_token.span.close(),
                &c.args[0],
            );
        } else {
            self.record_unwrap(c);
        }
        if let Some(format) = invariants::format_written_with(c)
            && !self.cx.in_test()
            && !self.cx.facts.format_constants.contains(&format)
        {
            self.cx.facts.format_constants.push(format);
        }
        let escape = c.method == "spawn_blocking" || c.method == "block_in_place";
        self.visit_expr(&c.receiver);
        let caller_fallback = u32::from(commands::falls_back_from_caller(c));
        // `.with_ansi(env::var_os("NO_COLOR").is_none())` on a subscriber's builder: the
        // logger's own setting, as in a logging setup function.
        let logger_option = u32::from(!c.args.is_empty() && commands::configures_subscriber(c));
        self.cx.caller_fallback_depth += caller_fallback;
        self.cx.logging_setup_depth += logger_option;
        self.visit_args(&c.args, escape);
        self.cx.logging_setup_depth -= logger_option;
        self.cx.caller_fallback_depth -= caller_fallback;
        self.claimed.truncate(claims);
        self.graceful.truncate(graceful);
    }

    fn visit_expr_return(&mut self, r: &'ast syn::ExprReturn) {
        // `return <router>` returns the router as much as a tail expression does.
        let k = r.expr.as_deref().map_or(std::ptr::null(), expr_key);
        self.tails.push(k);
        visit::visit_expr_return(self, r);
        self.tails.pop();
    }

    fn visit_expr_binary(&mut self, e: &'ast syn::ExprBinary) {
        registry::check_binary(self.cx, e);
        visit::visit_expr_binary(self, e);
    }

    fn visit_expr_match(&mut self, e: &'ast syn::ExprMatch) {
        registry::check_match(self.cx, e);
        self.record_branches(e.arms.len().saturating_sub(1));
        self.visit_expr(&e.expr);
        // Programs dispatch their modes where they start (`main`, `start_*`): elsewhere a
        // `match` is not asked, which keeps the walk linear.
        let dispatch = if matches!(self.cx.main_at.last(), Some(Some(_))) {
            commands::dispatch_arms(e)
        } else {
            vec![false; e.arms.len()]
        };
        for (arm, one_shot) in e.arms.iter().zip(dispatch) {
            let one_shot = one_shot || commands::is_one_shot_arm(&arm.pat, &arm.body);
            let unreachable = u32::from(handlers::is_forward_of_settled_outcome(arm, &e.arms));
            self.unreachable_arm_depth += unreachable;
            self.as_command(one_shot, |w| visit::visit_arm(w, arm));
            self.unreachable_arm_depth -= unreachable;
        }
    }

    fn visit_expr_tuple(&mut self, e: &'ast syn::ExprTuple) {
        self.in_group(e.elems.iter().map(|v| (None, v)), |w| {
            visit::visit_expr_tuple(w, e)
        });
    }

    fn visit_expr_array(&mut self, e: &'ast syn::ExprArray) {
        self.record_settings_file_names(e);
        self.in_group(e.elems.iter().map(|v| (None, v)), |w| {
            visit::visit_expr_array(w, e)
        });
    }

    fn visit_expr_struct(&mut self, e: &'ast syn::ExprStruct) {
        let fields = e.fields.iter().map(|f| (Some(&f.member), &f.expr));
        let settings = self.cx.hints().env_reads && settings::builds_settings_from_env(e);
        self.cx.config_depth += u32::from(settings);
        self.in_group(fields, |w| visit::visit_expr_struct(w, e));
        self.cx.config_depth -= u32::from(settings);
    }

    fn visit_expr_if(&mut self, e: &'ast syn::ExprIf) {
        // `#[cfg(feature = "staging")] if .. { .. }`: compiled only for tests.
        let test = u32::from(e.attrs.iter().any(scope::is_test_attribute));
        self.cx.test_depth += test;
        if scope::is_test_cfg_check(&e.cond) && !commands::is_development_check(&e.cond) {
            // `if cfg!(test) { .. }`: only the `then` branch is test code, and what the
            // condition does after `cfg!(test) &&` (`&& let Some(q) = env::var(..).ok()`).
            let gated = scope::is_test_gated_conjunction(&e.cond);
            self.cx.test_depth += u32::from(gated);
            self.visit_expr(&e.cond);
            self.cx.test_depth += 1 - u32::from(gated);
            self.visit_block(&e.then_branch);
            self.cx.test_depth -= 1;
            if let Some((_, otherwise)) = &e.else_branch {
                self.visit_expr(otherwise);
            }
        } else if scope::is_not_test_cfg_check(&e.cond) {
            // `if cfg!(not(test)) { .. } else { .. }`: the `else` branch is test code.
            self.visit_block(&e.then_branch);
            if let Some((_, otherwise)) = &e.else_branch {
                self.cx.test_depth += 1;
                self.visit_expr(otherwise);
                self.cx.test_depth -= 1;
            }
        } else {
            self.walk_if(e);
        }
        self.cx.test_depth -= test;
    }

    fn visit_expr_while(&mut self, e: &'ast syn::ExprWhile) {
        self.record_branches(1);
        self.cx.repeat_depth += 1;
        self.in_loop(|w| visit::visit_expr_while(w, e));
        self.cx.repeat_depth -= 1;
    }

    fn visit_expr_for_loop(&mut self, e: &'ast syn::ExprForLoop) {
        self.record_branches(1);
        // Over a fixed set (`for dir in CACHE_DIRS.iter()`), a startup function's loop is
        // still startup work: it ends.
        if commands::iterates_fixed_set(&e.expr) {
            visit::visit_expr_for_loop(self, e);
        } else {
            self.in_loop(|w| visit::visit_expr_for_loop(w, e));
        }
    }

    fn visit_expr_loop(&mut self, e: &'ast syn::ExprLoop) {
        // A loop that breaks or returns on its own (`loop { if ready { break } sleep(..) }`)
        // waits or retries until something holds: it ends.
        let repeats = u32::from(!hot_path::loop_ends(e));
        self.cx.repeat_depth += repeats;
        self.in_loop(|w| visit::visit_expr_loop(w, e));
        self.cx.repeat_depth -= repeats;
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        let sites = self.cx.facts.command_sites.len();
        let prints = self.cx.facts.print_sites.len();
        registry::check_macro(self.cx, m);
        self.name_command_sites(sites);
        self.place_print_sites(prints);
        self.record_log_event(m);
        self.record_panic_macro(m);
        self.record_error_list_json(m);
        self.record_answer_path(&m.path);
        visit::visit_macro(self, m);
        self.walk_macro_body(m);
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        self.record_prometheus_path(p);
        visit::visit_path(self, p);
    }

    fn visit_expr_path(&mut self, e: &'ast syn::ExprPath) {
        self.record_disposition(&e.path);
        self.record_answer_path(&e.path);
        self.record_test_path_root(&e.path);
        visit::visit_expr_path(self, e);
    }

    fn visit_lit_str(&mut self, lit: &'ast syn::LitStr) {
        let binding = match self.binding.take() {
            Some((ptr, name)) if std::ptr::eq(ptr, lit) => Some(name),
            other => {
                self.binding = other;
                None
            }
        };
        let sites = self.cx.facts.command_sites.len();
        let value = lit.value();
        let str_lit = crate::rule::StrLit { lit, value: &value };
        registry::check_lit_str(self.cx, &str_lit, binding.as_ref());
        self.name_command_sites(sites);
        self.record_test_path(&value);
        self.record_document(Some(&value), None);
        self.record_protocol_media_type(&value);
    }
}

impl<'ast> Walker<'_, '_, 'ast> {
    /// An `if`: its branches, one-shot command arms and development-only branches.
    fn walk_if(&mut self, e: &'ast syn::ExprIf) {
        self.record_branches(1);
        // `if let Some(Commands::Healthcheck { .. }) = args.command { .. }`
        let one_shot = match &*e.cond {
            syn::Expr::Let(l) => commands::is_one_shot_if(&l.pat, &e.then_branch),
            _ => false,
        } || (self.cx.directly_in_main() && commands::is_early_exit(&e.then_branch));
        if commands::is_development_check(&e.cond) {
            // Only the `then` branch runs in development; the `else` runs everywhere else.
            self.visit_expr(&e.cond);
            self.cx.dev_only_depth += 1;
            self.visit_block(&e.then_branch);
            self.cx.dev_only_depth -= 1;
            if let Some((_, otherwise)) = &e.else_branch {
                self.visit_expr(otherwise);
            }
            return;
        }
        // With an `else`, each branch is one of two ways the program can go: what only
        // one of them does (a log file) is a choice the settings make; so is what an `if`
        // on a file setting adds (`if self.file_enabled { .. }`).
        let either = u32::from(e.else_branch.is_some() || names_a_file_setting(&e.cond));
        let fallback = u32::from(e.else_branch.is_some() && commands::tests_presence(&e.cond));
        self.cx.alternative_depth += either;
        self.cx.fallback_depth += fallback;
        self.as_command(one_shot, |w| {
            w.visit_expr(&e.cond);
            let mark = w.guards.mark();
            if w.collector().is_some() {
                w.guards.note_peeked(&e.cond);
            }
            w.visit_block(&e.then_branch);
            w.guards.reset(mark);
            if let Some((_, otherwise)) = &e.else_branch {
                let mark = w.guards.mark();
                if w.collector().is_some() {
                    w.guards.note_checks(&e.cond);
                }
                w.visit_expr(otherwise);
                w.guards.reset(mark);
            }
        });
        self.cx.fallback_depth -= fallback;
        self.cx.alternative_depth -= either;
    }
}

/// `impl Handler<Msg> for Actor`, `impl EventHandler for Bot`: a trait whose methods run
/// for each message.
fn handles_messages(i: &syn::ItemImpl) -> bool {
    i.trait_
        .as_ref()
        .and_then(|(path, _)| path.segments.last())
        .is_some_and(|s| s.ident.to_string().ends_with("Handler"))
}

/// `self.file_enabled`, `cfg.log_file.is_some()`, `opts.log_to_file`: a condition on a
/// setting named for a file.
fn names_a_file_setting(cond: &syn::Expr) -> bool {
    struct Names(bool);
    impl<'a> Visit<'a> for Names {
        fn visit_ident(&mut self, i: &'a proc_macro2::Ident) {
            self.0 |= i.to_string().to_ascii_lowercase().contains("file");
        }
    }
    let mut names = Names(false);
    names.visit_expr(cond);
    names.0
}

/// A macro that writes a log event: a level of `tracing`, `log` or `slog` (`info!`,
/// `tracing::warn!`, `event!`), or a crate's own wrapper named for one (`admin_error!`,
/// `security_info!`).
fn is_log_event(path: &syn::Path) -> bool {
    const LEVELS: &[&str] = &["error", "warn", "info", "debug", "trace"];
    let Some(last) = path.segments.last() else {
        return false;
    };
    let name = last.ident.to_string();
    name == "event"
        || LEVELS.contains(&name.as_str())
        || name
            .rsplit_once('_')
            .is_some_and(|(_, level)| LEVELS.contains(&level))
}
