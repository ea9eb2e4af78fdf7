//! Blocking in async code stalls requests where requests run, and again and again where a
//! task repeats its work; elsewhere it runs once (startup, a one-shot command, set-up) and
//! stalls nothing that waits. So a `blocking-in-async` finding stands only with evidence
//! that its code runs hot:
//! - it sits in a `while` or a `loop` that does not break on its own (a background task's
//!   work, an accept loop's tasks; not a retry loop that waits for a server at startup), or
//!   in a task (an async block of a function, most often spawned), which runs beside the
//!   requests;
//! - or its function is hot: a handler (of the router index, or one that takes a request
//!   or carries a route attribute, for the frameworks the index does not read), a function
//!   called inside such a loop or spawned as a task (`tokio::spawn(worker(rx))`), or a
//!   function a hot one calls, by name, in its own crate,
//!   or by a distinctive name (`command_output::is_distinctive`) in another crate of the run.
//!
//! Phase 1 records each async function's calls (`FnFact::callees`, `loop_callees`) and
//! where the rule fired (`FileFacts::blocking_sites`); this module follows the calls.
//!
//! `print-logging` asks the same question another way: a print matters where its line
//! lands in the service's log. Its sites (`FileFacts::print_sites`) stand when they run hot
//! as above (a plain function too, when a hot function or a loop calls it by name), or
//! when phase 1 saw them beside the log: in the program's entry, in a function that logs,
//! starts the server or answers a route, after the logger is installed
//! (`PrintSite::beside_log`).

use crate::command_output::is_distinctive;
use crate::diagnostic::Diagnostic;
use crate::model::Crate;
use crate::registry::RuleId;
use crate::router::RouterIndex;
use std::collections::{HashMap, HashSet};

/// An async function of the run: (crate, file, index in `router.fns`).
type FnId = (usize, usize, usize);

/// The hot functions of every crate of the run.
pub struct HotFns {
    hot: HashSet<FnId>,
    /// The names hot functions call, by crate (`parse_release` of `changelog::parse_release`,
    /// `send` of `self.send(..)`), and those called once the logger is installed: a plain
    /// function of that name runs beside the requests, or the log, too.
    called_hot: Vec<HashSet<String>>,
    /// Those names, when distinctive, across the run.
    called_hot_shared: HashSet<String>,
}

impl HotFns {
    pub fn collect(crates: &[&Crate]) -> HotFns {
        let mut hot: HashSet<FnId> = HashSet::new();
        if !has_sites(crates) {
            return HotFns {
                hot,
                called_hot: Vec::new(),
                called_hot_shared: HashSet::new(),
            };
        }
        let graph = Graph::of(crates);
        let mut queue: Vec<FnId> = Vec::new();
        for (c, krate) in crates.iter().enumerate() {
            queue.extend(seeds(c, krate));
            for (_, f) in all_fns(c, krate) {
                for callee in &f.loop_callees {
                    queue.extend(graph.called(c, f.owner.as_deref(), callee));
                }
            }
            for callee in krate.files.iter().flat_map(|f| &f.repeated_calls) {
                queue.extend(graph.called(c, None, callee));
            }
        }
        while let Some(id) = queue.pop() {
            if !hot.insert(id) {
                continue;
            }
            let f = &crates[id.0].files[id.1].router.fns[id.2];
            for callee in &f.callees {
                let called = graph.called(id.0, f.owner.as_deref(), callee);
                queue.extend(called.into_iter().filter(|n| !hot.contains(n)));
            }
        }
        let mut called_hot = vec![HashSet::new(); crates.len()];
        let mut called_hot_shared = HashSet::new();
        for &(c, file, i) in &hot {
            for callee in &crates[c].files[file].router.fns[i].callees {
                let name = called_name(callee);
                if is_distinctive(name) {
                    called_hot_shared.insert(name.to_string());
                }
                called_hot[c].insert(name.to_string());
            }
        }
        // A function called in a loop runs hot, and one called once the logger is
        // installed writes beside the log.
        for (c, krate) in crates.iter().enumerate() {
            let looped = all_fns(c, krate).flat_map(|(_, f)| &f.loop_callees);
            let files = krate.files.iter();
            let called = files.flat_map(|f| f.repeated_calls.iter().chain(&f.post_logger_calls));
            for callee in looped.chain(called) {
                called_hot[c].insert(called_name(callee).to_string());
            }
        }
        HotFns {
            hot,
            called_hot,
            called_hot_shared,
        }
    }

    /// Whether a finding of crate number `index` is kept: any finding but
    /// `blocking-in-async` and `print-logging`; those where their code runs hot, and a
    /// print also where it writes into the service's own log (`PrintSite::beside_log`).
    pub fn keeps(&self, index: usize, krate: &Crate, d: &Diagnostic) -> bool {
        if !matches!(d.rule, RuleId::BlockingInAsync | RuleId::PrintLogging) {
            return true;
        }
        let Some((file, facts)) = krate
            .files
            .iter()
            .enumerate()
            .find(|(_, f)| f.path == d.path)
        else {
            return true;
        };
        let is_hot = |f: Option<usize>| f.is_some_and(|f| self.hot.contains(&(index, file, f)));
        let line = d.start.line;
        if d.rule == RuleId::BlockingInAsync {
            let Some(site) = facts.blocking_sites.iter().find(|s| s.line == line) else {
                return true;
            };
            return site.beside_requests || is_hot(site.function);
        }
        let Some(site) = facts.print_sites.iter().find(|s| s.line == line) else {
            return true;
        };
        site.beside_requests
            || site.beside_log
            || is_hot(site.function)
            || site
                .plain_fn
                .as_ref()
                .is_some_and(|name| self.calls_hot(index, name))
    }

    /// Whether a hot function calls a plain function of this name: of its own crate, or
    /// across the run when the name is distinctive.
    fn calls_hot(&self, index: usize, name: &str) -> bool {
        self.called_hot
            .get(index)
            .is_some_and(|names| names.contains(name))
            || self.called_hot_shared.contains(name)
    }
}

/// The function's own name in a callee as `FnFact::callees` spells it (`parse` of
/// `changelog::parse`, `Self::parse` or `.parse`).
fn called_name(callee: &str) -> &str {
    callee.rsplit([':', '.']).next().unwrap_or(callee)
}

fn has_sites(crates: &[&Crate]) -> bool {
    crates.iter().any(|k| {
        k.files
            .iter()
            .any(|f| !f.blocking_sites.is_empty() || !f.print_sites.is_empty())
    })
}

fn all_fns<'a>(
    c: usize,
    krate: &'a Crate,
) -> impl Iterator<Item = (FnId, &'a crate::model::FnFact)> + 'a {
    krate
        .files
        .iter()
        .enumerate()
        .flat_map(move |(file, facts)| {
            facts
                .router
                .fns
                .iter()
                .enumerate()
                .map(move |(i, f)| ((c, file, i), f))
        })
}

/// The handlers of the crate: those of its router index, and functions that take a
/// request or carry a route attribute.
fn seeds(c: usize, krate: &Crate) -> Vec<FnId> {
    let mut seeds: Vec<FnId> = all_fns(c, krate)
        .filter(|(_, f)| f.takes_request)
        .map(|(id, _)| id)
        .collect();
    // Only a crate that registers routes has handlers in its index.
    if krate.files.iter().any(|f| !f.router.chains.is_empty()) {
        let index = RouterIndex::build(krate);
        seeds.extend(
            index
                .handlers
                .iter()
                .map(|h| (c, h.fn_ref.file, h.fn_ref.index)),
        );
    }
    seeds
}

/// Async functions by how calls name them: free functions by name in their crate, and by
/// module and name across the run; methods by type and name across the run, and by name
/// in their crate.
struct Graph {
    free: Vec<HashMap<String, Vec<FnId>>>,
    methods_named: Vec<HashMap<String, Vec<FnId>>>,
    in_module: HashMap<(String, String), Vec<FnId>>,
    of_type: HashMap<(String, String), Vec<FnId>>,
    /// Distinctive names across the run: (free functions, methods).
    shared: HashMap<String, (Vec<FnId>, Vec<FnId>)>,
}

impl Graph {
    fn of(crates: &[&Crate]) -> Graph {
        let mut graph = Graph {
            free: vec![HashMap::new(); crates.len()],
            methods_named: vec![HashMap::new(); crates.len()],
            in_module: HashMap::new(),
            of_type: HashMap::new(),
            shared: HashMap::new(),
        };
        for (c, krate) in crates.iter().enumerate() {
            let library = krate.name().replace('-', "_");
            for (id, f) in all_fns(c, krate).filter(|(_, f)| !f.name.is_empty()) {
                let name = f.name.clone();
                let shared =
                    is_distinctive(&name).then(|| graph.shared.entry(name.clone()).or_default());
                if let Some(owner) = &f.owner {
                    graph
                        .of_type
                        .entry((owner.clone(), name.clone()))
                        .or_default()
                        .push(id);
                    graph.methods_named[c].entry(name).or_default().push(id);
                    if let Some(shared) = shared {
                        shared.1.push(id);
                    }
                    continue;
                }
                if let Some(shared) = shared {
                    shared.0.push(id);
                }
                graph.free[c].entry(name.clone()).or_default().push(id);
                let file = &krate.files[id.1].path;
                // `lib.rs`/`main.rs` are the crate's root: `text_embeddings_router::run`.
                let module = f.module.last().cloned().unwrap_or_else(|| {
                    match crate::paths::module_name(file) {
                        "lib" | "main" | "" => library.clone(),
                        stem => stem.to_string(),
                    }
                });
                graph.in_module.entry((module, name)).or_default().push(id);
            }
        }
        graph
    }

    /// The functions a call (as `FnFact::callees` spells it) from crate `c`, in a method
    /// of `owner` if any, may reach.
    fn called(&self, c: usize, owner: Option<&str>, callee: &str) -> Vec<FnId> {
        let get = |map: &HashMap<String, Vec<FnId>>, name: &str| -> Vec<FnId> {
            map.get(name).cloned().unwrap_or_default()
        };
        let shared = |name: &str, methods: bool| -> Vec<FnId> {
            let Some((free, of_types)) = self.shared.get(name) else {
                return Vec::new();
            };
            let ids = if methods { of_types } else { free };
            ids.iter().filter(|id| id.0 != c).copied().collect()
        };
        if let Some(name) = callee.strip_prefix('.') {
            let mine = get(&self.methods_named[c], name);
            return mine.into_iter().chain(shared(name, true)).collect();
        }
        match callee.split_once("::") {
            Some(("Self", name)) => owner
                .and_then(|o| self.of_type.get(&(o.to_string(), name.to_string())))
                .cloned()
                .unwrap_or_default(),
            Some((ty, name)) if ty.starts_with(char::is_uppercase) => self
                .of_type
                .get(&(ty.to_string(), name.to_string()))
                .cloned()
                .unwrap_or_default(),
            Some((module, name)) => self
                .in_module
                .get(&(module.to_string(), name.to_string()))
                .cloned()
                .unwrap_or_default(),
            None => {
                let mut found = get(&self.free[c], callee);
                if is_distinctive(callee) {
                    found.extend(shared(callee, false));
                }
                found
            }
        }
    }
}

/// How `FnFact::callees` spells a call by path: `Type::name` when a type (or `Self`) owns
/// the function; `module::name` through a module (`disk::set`, `io::copy`); its bare name
/// alone or through the crate's root (`crate::`, `self::`, `super::`).
pub(crate) fn path_callee(path: &syn::Path) -> Option<String> {
    let mut segments = path.segments.iter().rev();
    let name = segments.next()?.ident.to_string();
    let owner = segments.next().map(|s| s.ident.to_string());
    Some(spell_path(owner.as_deref(), name))
}

fn spell_path(owner: Option<&str>, name: String) -> String {
    match owner {
        Some(owner) if !matches!(owner, "crate" | "self" | "super") => format!("{owner}::{name}"),
        _ => name,
    }
}

/// How `FnFact::callees` spells a method call: `Self::name` on `self`; `Type::name` on a
/// local whose type its `let` shows (`local_type`); `.name` on anything else when the name
/// is distinctive (a `build`, `get` or `copy` could be anyone's, another crate's too).
pub(crate) fn method_callee(
    call: &syn::ExprMethodCall,
    local_types: &[(String, String)],
) -> Option<String> {
    let receiver = match &*call.receiver {
        syn::Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
        _ => None,
    };
    let typed = receiver.as_ref().and_then(|r| {
        let local = local_types.iter().rev().find(|(n, _)| n == r);
        local.map(|(_, ty)| ty.as_str())
    });
    spell_method(receiver.as_deref(), typed, call.method.to_string())
}

fn spell_method(receiver: Option<&str>, typed: Option<&str>, name: String) -> Option<String> {
    match (receiver, typed) {
        (Some("self"), _) => Some(format!("Self::{name}")),
        (_, Some(ty)) => Some(format!("{ty}::{name}")),
        _ => is_distinctive(&name).then(|| format!(".{name}")),
    }
}

/// The calls in a macro's tokens that `syn` leaves unparsed (`tokio::select! { _ = tick =>
/// server.handle_online_backup(..).await }`), spelled as `FnFact::callees` spells them.
pub(crate) fn macro_callees(tokens: proc_macro2::TokenStream, out: &mut Vec<String>) {
    use proc_macro2::{Delimiter, TokenTree};
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tt) in tokens.iter().enumerate() {
        match tt {
            TokenTree::Group(g) => macro_callees(g.stream(), out),
            TokenTree::Ident(name) => {
                let called = matches!(tokens.get(i + 1),
                    Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis);
                if !called {
                    continue;
                }
                let punct = |at: usize| match i.checked_sub(at).map(|j| &tokens[j]) {
                    Some(TokenTree::Punct(p)) => Some(p.as_char()),
                    _ => None,
                };
                let ident = |at: usize| match i.checked_sub(at).map(|j| &tokens[j]) {
                    Some(TokenTree::Ident(id)) => Some(id.to_string()),
                    _ => None,
                };
                let name = name.to_string();
                let callee = if punct(1) == Some('.') {
                    spell_method(ident(2).as_deref(), None, name)
                } else if punct(1) == Some(':') && punct(2) == Some(':') {
                    Some(spell_path(ident(3).as_deref(), name))
                } else {
                    Some(name)
                };
                out.extend(callee);
            }
            _ => {}
        }
    }
}

/// The type a `let` shows: `let job: Job = ..`, `let job = Job { .. }`, `let agent =
/// Agent::start(..).await?` (a type's function, taken to return the type).
pub(crate) fn local_type(local: &syn::Local) -> Option<String> {
    if !matches!(&local.pat, syn::Pat::Ident(_) | syn::Pat::Type(_)) {
        return None;
    }
    if let syn::Pat::Type(t) = &local.pat
        && let syn::Type::Path(p) = &*t.ty
    {
        return p.path.segments.last().map(|s| s.ident.to_string());
    }
    let mut init = &*local.init.as_ref()?.expr;
    loop {
        init = match init {
            syn::Expr::Try(t) => &t.expr,
            syn::Expr::Await(a) => &a.base,
            syn::Expr::MethodCall(m) if m.method == "unwrap" || m.method == "expect" => &m.receiver,
            _ => break,
        };
    }
    let path = match init {
        syn::Expr::Struct(s) => return s.path.segments.last().map(|s| s.ident.to_string()),
        syn::Expr::Call(c) => match &*c.func {
            syn::Expr::Path(p) => &p.path,
            _ => return None,
        },
        _ => return None,
    };
    let n = path.segments.len();
    let owner = path
        .segments
        .iter()
        .nth(n.checked_sub(2)?)?
        .ident
        .to_string();
    owner.starts_with(char::is_uppercase).then_some(owner)
}

/// `tokio::spawn(..)`, `task::spawn_local(..)` by path: a task that runs
/// beside the requests (not `thread::spawn`, a blocking escape).
pub(crate) fn spawns_task(path: &syn::Path) -> bool {
    crate::resolve::last_ident_is(path, &["spawn", "spawn_local"])
}

/// A `loop` that ends on its own: a `break` or `return` of its own body (not of a loop,
/// closure or async block inside it).
pub(crate) fn loop_ends(e: &syn::ExprLoop) -> bool {
    struct Exit(bool);
    impl<'a> syn::visit::Visit<'a> for Exit {
        fn visit_expr_break(&mut self, _: &'a syn::ExprBreak) {
            self.0 = true;
        }
        fn visit_expr_return(&mut self, _: &'a syn::ExprReturn) {
            self.0 = true;
        }
        fn visit_expr_loop(&mut self, _: &'a syn::ExprLoop) {}
        fn visit_expr_while(&mut self, _: &'a syn::ExprWhile) {}
        fn visit_expr_for_loop(&mut self, _: &'a syn::ExprForLoop) {}
        fn visit_expr_closure(&mut self, _: &'a syn::ExprClosure) {}
        fn visit_expr_async(&mut self, _: &'a syn::ExprAsync) {}
    }
    let mut exit = Exit(false);
    syn::visit::Visit::visit_block(&mut exit, &e.body);
    exit.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> syn::Path {
        syn::parse_str(text).unwrap()
    }

    fn method(text: &str) -> syn::ExprMethodCall {
        syn::parse_str(text).unwrap()
    }

    #[test]
    fn path_calls_spell_their_owner_or_name() {
        assert_eq!(path_callee(&path("load")).as_deref(), Some("load"));
        assert_eq!(path_callee(&path("Job::run")).as_deref(), Some("Job::run"));
        assert_eq!(path_callee(&path("crate::put")).as_deref(), Some("put"));
        assert_eq!(
            path_callee(&path("crate::store::put")).as_deref(),
            Some("store::put")
        );
        assert_eq!(
            path_callee(&path("infra::cache::disk::set")).as_deref(),
            Some("disk::set")
        );
    }

    #[test]
    fn method_calls_spell_what_is_known_of_the_receiver() {
        let typed = [("job".to_string(), "Job".to_string())];
        let spell = |text: &str| method_callee(&method(text), &typed);
        assert_eq!(spell("self.flush()").as_deref(), Some("Self::flush"));
        assert_eq!(spell("job.run()").as_deref(), Some("Job::run"));
        assert_eq!(
            spell("disk.rename_data(a)").as_deref(),
            Some(".rename_data")
        );
        // `session_builder.build().await` may be another crate's.
        assert_eq!(spell("builder.build()"), None);
    }

    #[test]
    fn calls_in_unparsed_macros_are_found() {
        let m: syn::Macro = syn::parse_str(
            "tokio::select! { _ = tick() => { server.handle_online_backup(out).await; self.flush().await } }",
        )
        .unwrap();
        let mut found = Vec::new();
        macro_callees(m.tokens, &mut found);
        assert_eq!(found, ["tick", ".handle_online_backup", "Self::flush"]);
    }

    #[test]
    fn lets_show_their_type() {
        let local = |text: &str| -> Option<String> {
            let stmt: syn::Stmt = syn::parse_str(text).unwrap();
            let syn::Stmt::Local(l) = stmt else {
                panic!("not a let")
            };
            local_type(&l)
        };
        assert_eq!(local("let job = Job { input };").as_deref(), Some("Job"));
        assert_eq!(
            local("let a = Agent::start(dir).await?;").as_deref(),
            Some("Agent")
        );
        assert_eq!(local("let j: Job = make();").as_deref(), Some("Job"));
        assert_eq!(local("let (a, b) = Pair::split(x);"), None);
        assert_eq!(local("let n = count(x);"), None);
    }
}
