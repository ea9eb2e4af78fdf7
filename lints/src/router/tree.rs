//! The router tree: following what a chain continues, nests and merges, and expanding it
//! into routes with their full paths and resolved handlers.

use super::items::{ChainId, Items, Kind};
use super::{FnRef, Route};
use crate::model::{ChainFact, Crate, HandlerFact, Range, RouterOp, RouterRef};

/// Where a router reference is written: it is resolved from there.
#[derive(Clone, Copy)]
pub(super) struct RefSite<'s> {
    pub file: usize,
    pub module: &'s [String],
    pub func: Option<&'s str>,
    pub range: Range,
}

pub(super) struct Builder<'k> {
    pub krate: &'k Crate,
    pub items: Items<'k>,
    pub notes: Vec<String>,
    /// Some route path or nested router could not be resolved.
    pub incomplete: bool,
    /// The `serve` calls (file, index) whose router answers only the probes.
    pub probe_listeners: Vec<(usize, usize)>,
}

impl<'k> Builder<'k> {
    pub fn new(krate: &'k Crate) -> Self {
        Builder {
            krate,
            items: Items::new(krate),
            notes: Vec::new(),
            incomplete: false,
            probe_listeners: Vec::new(),
        }
    }

    pub fn chain(&self, (fi, ci): ChainId) -> &'k ChainFact {
        &self.krate.files[fi].router.chains[ci]
    }

    /// The full module of a chain.
    pub fn chain_module(&self, (fi, _): ChainId, chain: &ChainFact) -> Vec<String> {
        self.items.module_of(fi, &chain.module).unwrap_or_default()
    }

    /// Where the references of chain `id` (in `module`) are written.
    pub fn chain_site<'s>(
        &self,
        (fi, _): ChainId,
        chain: &'s ChainFact,
        module: &'s [String],
    ) -> RefSite<'s> {
        RefSite {
            file: fi,
            module,
            func: chain.func.as_deref(),
            range: chain.range,
        }
    }

    /// The chains a router reference stands for; `None` when it cannot be resolved.
    pub fn router_ref(&self, site: RefSite, r: &RouterRef) -> Option<Vec<ChainId>> {
        let file = site.file;
        match r {
            RouterRef::Chain(i) => Some(vec![(file, *i)]),
            RouterRef::Var(name) => {
                let inline = self.items.module_inline(file, site.module);
                let chains = &self.krate.files[file].router.chains;
                // The last assignment of the variable before the reference.
                chains
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| {
                        c.func.as_deref() == site.func
                            && c.module == inline
                            && c.binding.as_deref() == Some(name)
                            && c.range.start < site.range.start
                    })
                    .max_by_key(|(_, c)| c.range.start)
                    .map(|(i, _)| vec![(file, i)])
            }
            RouterRef::Call(path) => {
                let key = self.items.resolve(Kind::RouterFn, site.module, path, 0)?;
                self.items.router_fns.get(&key).cloned()
            }
            RouterRef::Through(path, var) => {
                // A helper that adds no route, nest, merge or fallback (only layers)
                // hands the router it was given back.
                let called = self.router_ref(site, &RouterRef::Call(path.clone()));
                let passes_through = called
                    .as_ref()
                    .is_none_or(|ids| ids.iter().all(|&id| self.chain(id).ops.is_empty()));
                if passes_through {
                    self.router_ref(site, &RouterRef::Var(var.clone()))
                        .or(called)
                } else {
                    called
                }
            }
            RouterRef::Unknown => None,
        }
    }

    /// Emits the routes of a chain (and of what it continues, merges and nests) under `prefix`.
    pub fn expand(
        &mut self,
        id: ChainId,
        prefix: Option<String>,
        stack: &mut Vec<ChainId>,
        out: &mut Vec<Route>,
    ) {
        // A router that (indirectly) nests or merges itself.
        if stack.contains(&id) || stack.len() > 32 {
            return;
        }
        stack.push(id);
        let chain = self.chain(id);
        let module = self.chain_module(id, chain);
        let site = self.chain_site(id, chain, &module);
        if let Some(base) = &chain.base {
            self.follow(site, base, prefix.clone(), stack, out);
        }
        for op in &chain.ops {
            match op {
                RouterOp::Route {
                    path,
                    range,
                    handlers,
                } => {
                    let mut route = self.route(site, path, *range, handlers, prefix.as_deref());
                    route.dev_only = chain.dev_only;
                    out.push(route);
                }
                RouterOp::Nest { prefix: p, router } => {
                    let nested = match (&prefix, self.items.path_arg(&module, p)) {
                        (Some(outer), Some(inner)) => Some(join_path(outer, &inner)),
                        _ => {
                            self.incomplete = true;
                            self.notes.push(format!(
                                "{}:{}: nest prefix not resolved",
                                self.file_name(id.0),
                                chain.range.start.line
                            ));
                            None
                        }
                    };
                    if self.router_ref(site, router).is_none() {
                        self.incomplete = true;
                    }
                    self.follow(site, router, nested, stack, out);
                }
                RouterOp::Merge(router) => self.follow(site, router, prefix.clone(), stack, out),
                RouterOp::NestService {
                    prefix: p,
                    range,
                    service,
                } => {
                    let local = self.items.path_arg(&module, p);
                    let full = match (&prefix, &local) {
                        (Some(outer), Some(inner)) => Some(join_path(outer, inner)),
                        _ => None,
                    };
                    match self.router_ref(site, service) {
                        // A nested router: its own routes.
                        Some(ids) => {
                            for id in ids {
                                self.expand(id, full.clone(), stack, out);
                            }
                        }
                        // Any other service answers everything under the prefix.
                        None => out.push(Route {
                            file: site.file,
                            path: full,
                            local,
                            range: *range,
                            handlers: Vec::new(),
                            dev_only: chain.dev_only,
                        }),
                    }
                }
                RouterOp::Routes(handlers) => self.utoipa_routes(site, handlers, &prefix, out),
                RouterOp::TypedRoute(handler, ty) => {
                    let typed = (handler, ty.as_deref());
                    self.typed_route(site, typed, &prefix, chain.dev_only, out)
                }
                RouterOp::Fallback => {}
            }
        }
        stack.pop();
    }

    /// A `.route(path, handlers)` of a chain, under `prefix`.
    fn route(
        &mut self,
        site: RefSite,
        path: &crate::model::PathArg,
        range: Range,
        handlers: &[HandlerFact],
        prefix: Option<&str>,
    ) -> Route {
        let local = self.items.path_arg(site.module, path);
        if local.is_none() {
            self.notes.push(format!(
                "{}:{}: route path not resolved",
                self.file_name(site.file),
                range.start.line
            ));
        }
        let full = match (prefix, &local) {
            (Some(p), Some(l)) => Some(join_path(p, l)),
            _ => None,
        };
        let mut resolved = Vec::new();
        for h in handlers {
            match h {
                HandlerFact::Closure(i) => resolved.push(FnRef {
                    file: site.file,
                    index: *i,
                }),
                HandlerFact::Path(segs, r) => {
                    resolved.extend(self.resolve_handler(site, segs, *r));
                }
                HandlerFact::Unknown(why) => self.notes.push(format!(
                    "{}:{}: {why}",
                    self.file_name(site.file),
                    range.start.line
                )),
            }
        }
        Route {
            file: site.file,
            path: full,
            local,
            range,
            handlers: resolved,
            dev_only: false,
        }
    }

    /// utoipa-axum's `.routes(routes!(a, b))`: one route per distinct `#[utoipa::path]` of
    /// the handlers, pointing at the first handler named with that path.
    fn utoipa_routes(
        &mut self,
        site: RefSite,
        handlers: &[HandlerFact],
        prefix: &Option<String>,
        out: &mut Vec<Route>,
    ) {
        let mut routes: Vec<Route> = Vec::new();
        for h in handlers {
            let Some((fn_ref, segs, r)) = self.listed_handler(site, h) else {
                continue;
            };
            let fact = &self.krate.files[fn_ref.file].router.fns[fn_ref.index];
            let Some(local) = fact.utoipa_path.clone() else {
                self.notes.push(format!(
                    "{}:{}: handler `{}` has no `#[utoipa::path(.., path = \"..\")]`",
                    self.file_name(site.file),
                    r.start.line,
                    segs.join("::")
                ));
                continue;
            };
            match routes
                .iter_mut()
                .find(|x| x.local.as_deref() == Some(&local))
            {
                Some(route) => route.handlers.push(fn_ref),
                None => routes.push(Route {
                    file: site.file,
                    path: prefix.as_deref().map(|p| join_path(p, &local)),
                    local: Some(local),
                    range: r,
                    handlers: vec![fn_ref],
                    dev_only: false,
                }),
            }
        }
        out.append(&mut routes);
    }

    /// The `async fn` a handler named in a list (`routes!(..)`, `.typed_get(..)`) resolves
    /// to, with its path and range; or a note saying why there is none.
    fn listed_handler<'h>(
        &mut self,
        site: RefSite,
        handler: &'h HandlerFact,
    ) -> Option<(FnRef, &'h [String], Range)> {
        let HandlerFact::Path(segs, r) = handler else {
            if let HandlerFact::Unknown(why) = handler {
                self.notes
                    .push(format!("{}: {why}", self.file_name(site.file)));
            }
            return None;
        };
        let fn_ref = self.resolve_handler(site, segs, *r)?;
        Some((fn_ref, segs, *r))
    }

    /// `.typed_get(handler)`: a route of that handler, at its first parameter's typed path
    /// when this crate defines it, else at an unknown path.
    fn typed_route(
        &mut self,
        site: RefSite,
        (handler, given): (&HandlerFact, Option<&str>),
        prefix: &Option<String>,
        dev_only: bool,
        out: &mut Vec<Route>,
    ) {
        let Some((fn_ref, _, r)) = self.listed_handler(site, handler) else {
            return;
        };
        let fact = &self.krate.files[fn_ref.file].router.fns[fn_ref.index];
        let local = self.typed_path(given.or(fact.params.first().map(|p| p.ty.name.as_str())));
        out.push(Route {
            file: site.file,
            path: local
                .as_deref()
                .and_then(|l| prefix.as_deref().map(|p| join_path(p, l))),
            local,
            range: r,
            handlers: vec![fn_ref],
            dev_only,
        });
    }

    /// The `#[typed_path(..)]` of a type of the crate (axum-extra's typed routing: `async fn
    /// loader(Loader { id }: Loader, ..)`), looked up by name.
    fn typed_path(&self, ty: Option<&str>) -> Option<String> {
        let ty = ty?;
        self.krate
            .files
            .iter()
            .flat_map(|f| &f.router.typed_paths)
            .find(|(name, _)| name == ty)
            .map(|(_, path)| path.clone())
    }

    /// The `async fn` of the crate a handler path names, or a note saying it is not one.
    fn resolve_handler(&mut self, site: RefSite, segs: &[String], r: Range) -> Option<FnRef> {
        match self.items.resolve(Kind::Fn, site.module, segs, 0) {
            Some(key) => Some(self.items.fns[&key]),
            None => {
                self.notes.push(format!(
                    "{}:{}: handler `{}` not resolved to an `async fn` of the crate",
                    self.file_name(site.file),
                    r.start.line,
                    segs.join("::")
                ));
                None
            }
        }
    }

    /// Expands the chains a router reference stands for under `prefix`.
    fn follow(
        &mut self,
        site: RefSite,
        r: &RouterRef,
        prefix: Option<String>,
        stack: &mut Vec<ChainId>,
        out: &mut Vec<Route>,
    ) {
        match self.router_ref(site, r) {
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
                    "{}:{}: router {} not resolved",
                    self.file_name(site.file),
                    site.range.start.line,
                    describe(r)
                ));
            }
        }
    }

    fn file_name(&self, file: usize) -> std::path::Display<'k> {
        self.krate.files[file].path.display()
    }
}

/// A route path under a nest prefix: `/api` + `/users`, `/api/` + `/` is `/api`.
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

fn describe(r: &RouterRef) -> String {
    match r {
        RouterRef::Chain(_) => "chain".into(),
        RouterRef::Var(v) => format!("variable `{v}`"),
        RouterRef::Call(p) => format!("`{}()`", p.join("::")),
        RouterRef::Through(p, v) => format!("`{}({v}, ..)`", p.join("::")),
        RouterRef::Unknown => "expression".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::join_path;

    #[test]
    fn nest_prefixes_join() {
        assert_eq!(join_path("/api", "/users"), "/api/users");
        assert_eq!(join_path("/api/", "/"), "/api");
        assert_eq!(join_path("", "/ping"), "/ping");
    }
}
