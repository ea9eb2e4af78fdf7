//! The router index: what an axum service's routers, handlers and `axum::serve` calls
//! are, built lazily per crate from the facts phase 1 collected (`model::RouterFacts`).

pub(crate) mod extract;
pub(crate) mod macros;

use crate::model::{Crate, FileFacts, FnFact, HandlerFact, PathArg, Range, RouterOp, RouterRef};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// A chain of the crate: (file index, chain index).
type ChainId = (usize, usize);

/// A function fact of the crate: (file index, index into `RouterFacts::fns`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FnRef {
    pub file: usize,
    pub index: usize,
}

/// A route with its full path (prefixes of `.nest(..)` applied), when known.
#[derive(Debug)]
pub struct Route {
    pub file: usize,
    pub path: Option<String>,
    /// The path as written in `.route(..)`, when known.
    pub local: Option<String>,
    /// Where the path argument is.
    pub range: Range,
    pub handlers: Vec<FnRef>,
}

/// A place in a file of the crate.
#[derive(Clone, Copy, Debug)]
pub struct Site {
    pub file: usize,
    pub range: Range,
}

/// A handler function or closure, and whether every route it serves is the health or
/// metrics endpoint (exempt from the envelope rules).
#[derive(Debug)]
pub struct Handler {
    pub fn_ref: FnRef,
    pub exempt: bool,
}

#[derive(Debug, Default)]
pub struct RouterIndex {
    pub routes: Vec<Route>,
    pub handlers: Vec<Handler>,
    /// Whether the crate builds any router outside test code.
    pub has_router: bool,
    /// The `Router::new()` of the top-level router (where missing routes point).
    pub top_site: Option<Site>,
    /// Whether the top-level router has a fallback; `None` when that cannot be known.
    pub top_has_fallback: Option<bool>,
    /// Some route path or nested router could not be resolved: "no route for X" would be
    /// a guess.
    pub incomplete: bool,
    /// What could not be resolved statically, for `--verbose`.
    pub notes: Vec<String>,
}

impl RouterIndex {
    /// Whether some route's full path is `path` (trailing `/` ignored).
    pub fn has_route(&self, path: &str) -> bool {
        let want = path.trim_end_matches('/');
        self.routes.iter().any(|r| {
            r.path
                .as_deref()
                .is_some_and(|p| p.trim_end_matches('/') == want)
        })
    }

    pub fn build(krate: &Crate) -> RouterIndex {
        Builder::new(krate).build()
    }
}

/// The module path of a crate file from its path relative to the crate root: `src/main.rs`,
/// `src/lib.rs` and `src/bin/*` are the root, `src/a.rs` and `src/a/mod.rs` are `a`.
/// Files outside `src/` are not in the module tree.
pub fn file_module(rel: &Path) -> Option<Vec<String>> {
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.first().map(String::as_str) != Some("src") {
        return None;
    }
    parts.remove(0);
    if parts.first().map(String::as_str) == Some("bin") {
        return Some(Vec::new());
    }
    let last = parts.pop()?;
    let stem = last.strip_suffix(".rs")?;
    match stem {
        "main" | "lib" if parts.is_empty() => {}
        "mod" => {}
        _ => parts.push(stem.to_string()),
    }
    Some(parts)
}

fn relative(path: &Path, root: &Path) -> PathBuf {
    if root == Path::new(".") {
        return path.to_path_buf();
    }
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

fn join_path(prefix: &str, path: &str) -> String {
    if prefix.is_empty() {
        return path.to_string();
    }
    let p = prefix.trim_end_matches('/');
    if path == "/" || path.is_empty() {
        p.to_string()
    } else {
        format!("{p}{path}")
    }
}

type Key = (Vec<String>, String);

type UseEntry<'k> = (Option<&'k str>, &'k [String]);

struct Builder<'k> {
    krate: &'k Crate,
    crate_ident: String,
    /// Module of each file (`None`: not in the module tree).
    modules: Vec<Option<Vec<String>>>,
    known_modules: HashSet<Vec<String>>,
    fns: HashMap<Key, FnRef>,
    router_fns: HashMap<Key, Vec<ChainId>>,
    consts: HashMap<Key, String>,
    /// `use` items by module: the name brought in (`None` for a glob) and the path.
    uses: HashMap<Vec<String>, Vec<UseEntry<'k>>>,
    notes: Vec<String>,
    incomplete: bool,
}

#[derive(Clone, Copy)]
enum Kind {
    Fn,
    RouterFn,
    Const,
}

impl<'k> Builder<'k> {
    fn new(krate: &'k Crate) -> Self {
        let modules: Vec<Option<Vec<String>>> = krate
            .files
            .iter()
            .map(|f| {
                if f.is_test {
                    None
                } else {
                    file_module(&relative(&f.path, &krate.root))
                }
            })
            .collect();
        let mut b = Builder {
            krate,
            crate_ident: krate.name().replace('-', "_"),
            modules,
            known_modules: HashSet::new(),
            fns: HashMap::new(),
            router_fns: HashMap::new(),
            consts: HashMap::new(),
            uses: HashMap::new(),
            notes: Vec::new(),
            incomplete: false,
        };
        for (fi, f) in krate.files.iter().enumerate() {
            let Some(base) = b.modules[fi].clone() else {
                continue;
            };
            for i in 0..=base.len() {
                b.known_modules.insert(base[..i].to_vec());
            }
            let full = |m: &[String]| -> Vec<String> { base.iter().chain(m).cloned().collect() };
            let facts = &f.router;
            for (i, fact) in facts.fns.iter().enumerate() {
                let m = full(&fact.module);
                for j in base.len()..=m.len() {
                    b.known_modules.insert(m[..j].to_vec());
                }
                if !fact.name.is_empty() {
                    b.fns
                        .entry((full(&fact.module), fact.name.clone()))
                        .or_insert(FnRef { file: fi, index: i });
                }
            }
            for (i, c) in facts.chains.iter().enumerate() {
                let m = full(&c.module);
                for j in base.len()..=m.len() {
                    b.known_modules.insert(m[..j].to_vec());
                }
                if let (true, Some(func)) = (c.is_tail, &c.func) {
                    b.router_fns
                        .entry((m, func.clone()))
                        .or_default()
                        .push((fi, i));
                }
            }
            for c in &facts.consts {
                let m = full(&c.module);
                for j in base.len()..=m.len() {
                    b.known_modules.insert(m[..j].to_vec());
                }
                b.consts
                    .entry((full(&c.module), c.name.clone()))
                    .or_insert_with(|| c.value.clone());
            }
            for u in &facts.uses {
                let m = full(&u.module);
                for j in base.len()..=m.len() {
                    b.known_modules.insert(m[..j].to_vec());
                }
                b.uses
                    .entry(m)
                    .or_default()
                    .push((u.name.as_deref(), &u.target));
            }
        }
        b
    }

    fn exists(&self, kind: Kind, module: &[String], name: &str) -> bool {
        let key = (module.to_vec(), name.to_string());
        match kind {
            Kind::Fn => self.fns.contains_key(&key),
            Kind::RouterFn => self.router_fns.contains_key(&key),
            Kind::Const => self.consts.contains_key(&key),
        }
    }

    /// Resolves `segs` as written in `module` to the defining module and name of an item
    /// of `kind`, through `use` items (re-exports and globs included).
    fn resolve(&self, kind: Kind, module: &[String], segs: &[String], depth: u32) -> Option<Key> {
        if depth > 12 {
            return None;
        }
        let (first, rest) = segs.split_first()?;
        match first.as_str() {
            "crate" => self.lookup(kind, Vec::new(), rest, depth),
            "self" => self.lookup(kind, module.to_vec(), rest, depth),
            "super" => {
                let mut m = module.to_vec();
                let mut rest = rest;
                m.pop();
                while rest.first().map(String::as_str) == Some("super") {
                    m.pop();
                    rest = &rest[1..];
                }
                self.lookup(kind, m, rest, depth)
            }
            x if x == self.crate_ident => self.lookup(kind, Vec::new(), rest, depth),
            _ => {
                if let Some((_, target)) = self
                    .uses
                    .get(module)
                    .and_then(|us| us.iter().find(|(n, _)| *n == Some(first.as_str())))
                    && (target.last() != Some(first) || target.len() > 1)
                {
                    let mut full: Vec<String> = target.to_vec();
                    full.extend(rest.iter().cloned());
                    if let Some(found) = self.resolve(kind, module, &full, depth + 1) {
                        return Some(found);
                    }
                }
                // 2015-style paths (`handlers::x` meaning `crate::handlers::x`); a single name
                // is never looked up elsewhere, which could find another item of that name.
                self.lookup(kind, module.to_vec(), segs, depth).or_else(|| {
                    if module.is_empty() || segs.len() < 2 {
                        None
                    } else {
                        self.lookup(kind, Vec::new(), segs, depth)
                    }
                })
            }
        }
    }

    /// Looks `segs` up from module `base` downwards.
    fn lookup(
        &self,
        kind: Kind,
        mut base: Vec<String>,
        segs: &[String],
        depth: u32,
    ) -> Option<Key> {
        let (name, mods) = segs.split_last()?;
        for (i, seg) in mods.iter().enumerate() {
            base.push(seg.clone());
            if !self.known_modules.contains(&base) {
                base.pop();
                // A module re-exported or renamed by a `use` in `base`.
                let (_, target) = self
                    .uses
                    .get(&base)
                    .and_then(|us| us.iter().find(|(n, _)| *n == Some(seg.as_str())))?;
                let mut full: Vec<String> = target.to_vec();
                full.extend(segs[i + 1..].iter().cloned());
                return self.resolve(kind, &base, &full, depth + 1);
            }
        }
        if self.exists(kind, &base, name) {
            return Some((base, name.clone()));
        }
        let uses = self.uses.get(&base)?;
        if let Some((_, target)) = uses.iter().find(|(n, _)| *n == Some(name.as_str()))
            && let Some(found) = self.resolve(kind, &base, target, depth + 1)
        {
            return Some(found);
        }
        for (_, prefix) in uses.iter().filter(|(n, _)| n.is_none()) {
            let mut full: Vec<String> = prefix.to_vec();
            full.push(name.clone());
            if let Some(found) = self.resolve(kind, &base, &full, depth + 1) {
                return Some(found);
            }
        }
        None
    }

    fn module_of(&self, file: usize, inline: &[String]) -> Option<Vec<String>> {
        self.modules[file]
            .as_ref()
            .map(|m| m.iter().chain(inline).cloned().collect())
    }

    fn facts(&self, file: usize) -> &'k FileFacts {
        &self.krate.files[file]
    }

    /// The chains a router reference stands for; `None` when it cannot be resolved.
    fn router_ref(
        &self,
        file: usize,
        module: &[String],
        func: Option<&str>,
        at: Range,
        r: &RouterRef,
    ) -> Option<Vec<ChainId>> {
        match r {
            RouterRef::Chain(i) => Some(vec![(file, *i)]),
            RouterRef::Var(name) => {
                let chains = &self.facts(file).router.chains;
                chains
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| {
                        c.func.as_deref() == func
                            && c.module == module_inline(self, file, module)
                            && c.binding.as_deref() == Some(name)
                            && c.range.start < at.start
                    })
                    .max_by_key(|(_, c)| c.range.start)
                    .map(|(i, _)| vec![(file, i)])
            }
            RouterRef::Call(path) => {
                let (m, f) = self.resolve(Kind::RouterFn, module, path, 0)?;
                self.router_fns.get(&(m, f)).cloned()
            }
            RouterRef::Unknown => None,
        }
    }

    fn path_arg(&self, module: &[String], p: &PathArg) -> Option<String> {
        match p {
            PathArg::Lit(s) => Some(s.clone()),
            PathArg::Name(segs) => self
                .resolve(Kind::Const, module, segs, 0)
                .and_then(|k| self.consts.get(&k).cloned()),
            PathArg::Unknown => None,
        }
    }

    fn build(mut self) -> RouterIndex {
        let krate = self.krate;
        let mut index = RouterIndex::default();
        // Who references each chain.
        let mut referenced: HashSet<ChainId> = HashSet::new();
        let mut all: Vec<ChainId> = Vec::new();
        for (fi, f) in krate.files.iter().enumerate() {
            if self.modules[fi].is_none() {
                continue;
            }
            for (ci, c) in f.router.chains.iter().enumerate() {
                all.push((fi, ci));
                let module = self.module_of(fi, &c.module).unwrap_or_default();
                let refs = c.base.iter().chain(c.ops.iter().filter_map(|op| match op {
                    RouterOp::Nest { router, .. } | RouterOp::Merge(router) => Some(router),
                    _ => None,
                }));
                for r in refs {
                    if let Some(ids) = self.router_ref(fi, &module, c.func.as_deref(), c.range, r) {
                        referenced.extend(ids.into_iter().filter(|id| *id != (fi, ci)));
                    }
                }
            }
        }
        index.has_router = !all.is_empty();
        let roots: Vec<ChainId> = all
            .iter()
            .copied()
            .filter(|id| !referenced.contains(id))
            .collect();
        for &root in &roots {
            self.expand(
                root,
                Some(String::new()),
                &mut Vec::new(),
                &mut index.routes,
            );
        }

        // The top-level router: what `axum::serve` serves.
        let mut top: Vec<ChainId> = Vec::new();
        let mut top_certain = false;
        for (fi, f) in krate.files.iter().enumerate() {
            let Some(base) = self.modules[fi].clone() else {
                continue;
            };
            for s in &f.router.serves {
                let module: Vec<String> = base.iter().chain(&s.module).cloned().collect();
                match self.router_ref(fi, &module, s.func.as_deref(), s.range, &s.app) {
                    Some(ids) => {
                        top.extend(ids);
                        top_certain = true;
                    }
                    None => self.notes.push(format!(
                        "{}: the router given to `axum::serve` could not be followed",
                        f.path.display()
                    )),
                }
            }
        }
        if !top_certain {
            let in_bin = |id: &ChainId| {
                let rel = relative(&krate.files[id.0].path, &krate.root);
                rel == Path::new("src/main.rs") || rel.starts_with("src/bin")
            };
            // Prefer routers built from `Router::new()` with routes, in the binary first.
            let builds_routes = |id: &ChainId| {
                let c = &krate.files[id.0].router.chains[id.1];
                c.base.is_none()
                    && c.ops.iter().any(|op| {
                        matches!(
                            op,
                            RouterOp::Route { .. } | RouterOp::Nest { .. } | RouterOp::Merge(_)
                        )
                    })
            };
            let starts_new = |id: &ChainId| {
                self.new_site_chain(*id, 0)
                    .is_some_and(|(f, c)| krate.files[f].router.chains[c].base.is_none())
            };
            let candidates: [&dyn Fn(&ChainId) -> bool; 4] = [
                &|id| in_bin(id) && starts_new(id),
                &|id| builds_routes(id),
                &|id| starts_new(id),
                &|_| true,
            ];
            for pick in candidates {
                top = roots.iter().copied().filter(|id| pick(id)).collect();
                if !top.is_empty() {
                    break;
                }
            }
        }
        index.top_site = top.first().map(|&id| self.new_site(id, 0));
        index.top_has_fallback = if top_certain {
            let mut any = Some(false);
            for &id in &top {
                match self.has_fallback(id, 0) {
                    Some(true) => any = Some(true),
                    None if any == Some(false) => any = None,
                    _ => {}
                }
            }
            any
        } else {
            let anywhere = all.iter().any(|&(fi, ci)| {
                krate.files[fi].router.chains[ci]
                    .ops
                    .iter()
                    .any(|op| matches!(op, RouterOp::Fallback))
            });
            if anywhere || self.incomplete || top.is_empty() {
                if !top.is_empty() {
                    self.notes.push(
                        "the top-level router is not known (no `axum::serve` call followed)".into(),
                    );
                }
                None
            } else {
                Some(false)
            }
        };

        // Handlers.
        let house = &krate.config.house;
        let mut seen: HashMap<FnRef, usize> = HashMap::new();
        for route in &index.routes {
            let path = route.path.as_deref().or(route.local.as_deref());
            let exempt = path.is_some_and(|p| {
                let p = p.trim_end_matches('/');
                p == house.health_path.trim_end_matches('/')
                    || p == house.metrics_path.trim_end_matches('/')
            });
            for &h in &route.handlers {
                match seen.get(&h) {
                    Some(&i) => index.handlers[i].exempt &= exempt,
                    None => {
                        seen.insert(h, index.handlers.len());
                        index.handlers.push(Handler { fn_ref: h, exempt });
                    }
                }
            }
        }
        index.incomplete = self.incomplete;
        for f in &krate.files {
            index.notes.extend(f.router.notes.iter().cloned());
        }
        index.notes.append(&mut self.notes);
        index
    }

    /// Emits the routes of a chain (and of what it continues, merges and nests) under `prefix`.
    fn expand(
        &mut self,
        id: ChainId,
        prefix: Option<String>,
        stack: &mut Vec<ChainId>,
        out: &mut Vec<Route>,
    ) {
        if stack.contains(&id) || stack.len() > 32 {
            return;
        }
        stack.push(id);
        let (fi, ci) = id;
        let chain = &self.krate.files[fi].router.chains[ci];
        let module = self.module_of(fi, &chain.module).unwrap_or_default();
        let file_name = self.krate.files[fi].path.display().to_string();
        if let Some(base) = &chain.base {
            self.follow(
                fi,
                &module,
                chain.func.as_deref(),
                chain.range,
                base,
                prefix.clone(),
                stack,
                out,
                &file_name,
            );
        }
        for op in &chain.ops {
            match op {
                RouterOp::Route {
                    path,
                    range,
                    handlers,
                } => {
                    let local = self.path_arg(&module, path);
                    if local.is_none() {
                        self.notes.push(format!(
                            "{file_name}:{}: route path not resolved",
                            range.start.line
                        ));
                    }
                    let full = match (&prefix, &local) {
                        (Some(p), Some(l)) => Some(join_path(p, l)),
                        _ => None,
                    };
                    let mut resolved = Vec::new();
                    for h in handlers {
                        match h {
                            HandlerFact::Closure(i) => resolved.push(FnRef { file: fi, index: *i }),
                            HandlerFact::Path(segs, r) => match self.resolve(Kind::Fn, &module, segs, 0) {
                                Some(key) => resolved.push(self.fns[&key]),
                                None => self.notes.push(format!("{file_name}:{}: handler `{}` not resolved to an `async fn` of the crate", r.start.line, segs.join("::"))),
                            },
                            HandlerFact::Unknown(why) => self.notes.push(format!("{file_name}:{}: {why}", range.start.line)),
                        }
                    }
                    out.push(Route {
                        file: fi,
                        path: full,
                        local,
                        range: *range,
                        handlers: resolved,
                    });
                }
                RouterOp::Nest { prefix: p, router } => {
                    let nested = match (&prefix, self.path_arg(&module, p)) {
                        (Some(outer), Some(inner)) => Some(join_path(outer, &inner)),
                        _ => {
                            self.incomplete = true;
                            self.notes.push(format!(
                                "{file_name}:{}: nest prefix not resolved",
                                chain.range.start.line
                            ));
                            None
                        }
                    };
                    if self
                        .router_ref(fi, &module, chain.func.as_deref(), chain.range, router)
                        .is_none()
                    {
                        self.incomplete = true;
                    }
                    self.follow(
                        fi,
                        &module,
                        chain.func.as_deref(),
                        chain.range,
                        router,
                        nested,
                        stack,
                        out,
                        &file_name,
                    );
                }
                RouterOp::Merge(router) => self.follow(
                    fi,
                    &module,
                    chain.func.as_deref(),
                    chain.range,
                    router,
                    prefix.clone(),
                    stack,
                    out,
                    &file_name,
                ),
                RouterOp::Fallback => {}
            }
        }
        stack.pop();
    }

    #[allow(clippy::too_many_arguments)]
    fn follow(
        &mut self,
        fi: usize,
        module: &[String],
        func: Option<&str>,
        at: Range,
        r: &RouterRef,
        prefix: Option<String>,
        stack: &mut Vec<ChainId>,
        out: &mut Vec<Route>,
        file_name: &str,
    ) {
        match self.router_ref(fi, module, func, at, r) {
            Some(ids) => {
                for id in ids {
                    self.expand(id, prefix.clone(), stack, out);
                }
            }
            None => {
                // The routes of a router that cannot be followed are still seen where that
                // router is built (it is a root then); only a prefix they should get is lost.
                if prefix.as_deref() != Some("") {
                    self.incomplete = true;
                }
                self.notes.push(format!(
                    "{file_name}:{}: router {} not resolved",
                    at.start.line,
                    describe(r)
                ));
            }
        }
    }

    /// Whether a router (with what it continues and merges) has a fallback.
    fn has_fallback(&self, id: ChainId, depth: u32) -> Option<bool> {
        if depth > 16 {
            return None;
        }
        let (fi, ci) = id;
        let chain = &self.krate.files[fi].router.chains[ci];
        if chain.ops.iter().any(|op| matches!(op, RouterOp::Fallback)) {
            return Some(true);
        }
        let module = self.module_of(fi, &chain.module).unwrap_or_default();
        let mut result = Some(false);
        let refs = chain
            .base
            .iter()
            .chain(chain.ops.iter().filter_map(|op| match op {
                RouterOp::Merge(r) => Some(r),
                _ => None,
            }));
        for r in refs {
            match self.router_ref(fi, &module, chain.func.as_deref(), chain.range, r) {
                Some(ids) => {
                    for id in ids {
                        match self.has_fallback(id, depth + 1) {
                            Some(true) => return Some(true),
                            None => result = None,
                            Some(false) => {}
                        }
                    }
                }
                None => result = None,
            }
        }
        result
    }

    /// The `Router::new()` a router starts from.
    fn new_site(&self, id: ChainId, depth: u32) -> Site {
        let (fi, ci) = self.new_site_chain(id, depth).unwrap_or(id);
        Site {
            file: fi,
            range: self.krate.files[fi].router.chains[ci].range,
        }
    }

    /// The first chain of a router: the one its bases lead back to.
    fn new_site_chain(&self, id: ChainId, depth: u32) -> Option<ChainId> {
        let (fi, ci) = id;
        let chain = &self.krate.files[fi].router.chains[ci];
        match (&chain.base, depth < 16) {
            (None, _) => Some(id),
            (Some(base), true) => {
                let module = self.module_of(fi, &chain.module).unwrap_or_default();
                let ids = self.router_ref(fi, &module, chain.func.as_deref(), chain.range, base)?;
                self.new_site_chain(*ids.first()?, depth + 1).or(Some(id))
            }
            _ => Some(id),
        }
    }
}

fn describe(r: &RouterRef) -> String {
    match r {
        RouterRef::Chain(_) => "chain".into(),
        RouterRef::Var(v) => format!("variable `{v}`"),
        RouterRef::Call(p) => format!("`{}()`", p.join("::")),
        RouterRef::Unknown => "expression".into(),
    }
}

/// The inline part of `module` for chains of `file` (chains store only inline segments).
fn module_inline(b: &Builder, file: usize, module: &[String]) -> Vec<String> {
    let base = b.modules[file].as_ref().map_or(0, Vec::len);
    module
        .get(base..)
        .map(<[String]>::to_vec)
        .unwrap_or_default()
}

/// Whether a handler's return type is one of the envelope types, directly or as the `Ok`
/// side of a `Result`.
pub fn is_enveloped(ty: &crate::model::TypeFact, envelope_types: &[String]) -> bool {
    envelope_types
        .iter()
        .any(|e| e.rsplit("::").next() == Some(ty.name.as_str()))
        || (ty.name == "Result"
            && ty
                .args
                .first()
                .is_some_and(|ok| is_enveloped(ok, envelope_types)))
}

/// How a handler is named in messages: `` `create` `` or "a closure".
pub fn handler_name(f: &FnFact) -> String {
    if f.name.is_empty() {
        "closure handler".to_string()
    } else {
        format!("handler `{}`", f.name)
    }
}

/// Where a missing route should be added, when the router index is sure it is missing.
pub fn missing_route(index: &RouterIndex, path: &str) -> Option<Site> {
    if !index.has_router
        || index.incomplete
        || index.has_route(path)
        || index.routes.iter().any(|r| r.path.is_none())
    {
        return None;
    }
    index.top_site
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_modules() {
        let m = |p: &str| file_module(Path::new(p));
        assert_eq!(m("src/main.rs"), Some(vec![]));
        assert_eq!(m("src/lib.rs"), Some(vec![]));
        assert_eq!(m("src/bin/tool.rs"), Some(vec![]));
        assert_eq!(m("src/api.rs"), Some(vec!["api".to_string()]));
        assert_eq!(m("src/api/mod.rs"), Some(vec!["api".to_string()]));
        assert_eq!(
            m("src/api/users.rs"),
            Some(vec!["api".to_string(), "users".to_string()])
        );
        assert_eq!(m("tests/it.rs"), None);
        assert_eq!(join_path("/api", "/users"), "/api/users");
        assert_eq!(join_path("/api/", "/"), "/api");
        assert_eq!(join_path("", "/ping"), "/ping");
    }
}
