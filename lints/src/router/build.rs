//! Assembling the `RouterIndex`: which chains are routers of their own (roots), their
//! routes, the top-level router (what `axum::serve` serves) and the handlers.

use super::items::ChainId;
use super::modules::relative;
use super::tree::{Builder, RefSite};
use super::{FnRef, Handler, Route, RouterIndex, Site};
use crate::model::RouterOp;
use crate::rules::envelope::handler_without_envelope::is_metrics_path;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// How deep bases and merges are followed looking for a fallback or `Router::new()`.
const MAX_DEPTH: u32 = 16;

impl Builder<'_> {
    pub fn build(mut self) -> RouterIndex {
        let mut index = RouterIndex::default();
        let mut all = self.chains();
        all.retain(|&id| self.adds_something(id));
        index.has_router = !all.is_empty();
        let roots = self.roots(&all);
        for &root in &roots {
            self.expand(
                root,
                Some(String::new()),
                &mut Vec::new(),
                &mut index.routes,
            );
        }
        // A router reached from two roots (served, and also built for an OpenAPI
        // document) has its routes once.
        let mut seen = HashSet::new();
        index
            .routes
            .retain(|r| seen.insert((r.file, r.range.start, r.path.clone())));
        let (top, top_certain) = self.top_level(&roots);
        index.top_site = top.first().map(|&id| self.new_site(id));
        // A listener that only answers the probes (`/metrics` on its own port) does not
        // serve the API: unknown paths there need no envelope, and when it is the only
        // top-level router known, the API's own is not, unless no router of the crate
        // serves anything else (a worker's admin listener): then there is no API at all.
        let api: Vec<ChainId> = top
            .iter()
            .copied()
            .filter(|&id| !self.serves_no_api(id))
            .collect();
        let other_routers = all.iter().any(|&id| !self.serves_no_api(id));
        index.top_has_fallback = match (api.is_empty(), other_routers) {
            (false, _) => self.top_has_fallback(&all, &api, top_certain),
            (true, true) => None,
            (true, false) if !self.incomplete => Some(true),
            (true, false) => self.top_has_fallback(&all, &top, top_certain),
        };
        index.serves_probes_only =
            !all.is_empty() && all.iter().all(|&id| self.probes_only(id)) && !self.incomplete;
        index.probe_listeners = std::mem::take(&mut self.probe_listeners);
        index.handlers = handlers(&index.routes, &self.krate.config.house);
        index.incomplete = self.incomplete;
        for f in &self.krate.files {
            index.notes.extend(f.router.notes.iter().cloned());
        }
        index.notes.append(&mut self.notes);
        index
    }

    /// Every chain of the files in the module tree.
    fn chains(&self) -> Vec<ChainId> {
        let mut all = Vec::new();
        for (fi, f) in self.krate.files.iter().enumerate() {
            if self.items.modules[fi].is_some() {
                all.extend((0..f.router.chains.len()).map(|ci| (fi, ci)));
            }
        }
        all
    }

    /// The chains no other chain continues, nests or merges.
    fn roots(&self, all: &[ChainId]) -> Vec<ChainId> {
        let mut referenced: HashSet<ChainId> = HashSet::new();
        for &id in all {
            let chain = self.chain(id);
            let module = self.chain_module(id, chain);
            let site = self.chain_site(id, chain, &module);
            let refs = chain
                .base
                .iter()
                .chain(chain.ops.iter().filter_map(|op| match op {
                    RouterOp::Nest { router, .. }
                    | RouterOp::Merge(router)
                    | RouterOp::NestService {
                        service: router, ..
                    } => Some(router),
                    _ => None,
                }));
            for r in refs {
                if let Some(ids) = self.router_ref(site, r) {
                    referenced.extend(ids.into_iter().filter(|other| *other != id));
                }
            }
        }
        all.iter()
            .copied()
            .filter(|id| !referenced.contains(id))
            .collect()
    }

    /// Whether a chain is a router of its own: it has routes, nests, merges or a fallback,
    /// or continues a router that can be followed. `let x = f().into()` or `svc.layer(..)`
    /// on something that is not a router of the crate is no router.
    fn adds_something(&self, id: ChainId) -> bool {
        self.is_router(id, 0, &mut HashSet::new())
    }

    /// Each chain is asked once per question: wrapper bindings that refer to each other
    /// (`let app = f(app)` in many functions) would otherwise branch at every level.
    fn is_router(&self, id: ChainId, depth: u32, seen: &mut HashSet<ChainId>) -> bool {
        if !seen.insert(id) {
            return false;
        }
        let chain = self.chain(id);
        let Some(base) = chain.base.as_ref().filter(|_| chain.ops.is_empty()) else {
            return true;
        };
        let module = self.chain_module(id, chain);
        depth < MAX_DEPTH
            && self
                .router_ref(self.chain_site(id, chain, &module), base)
                .is_some_and(|ids| ids.iter().any(|&b| self.is_router(b, depth + 1, seen)))
    }

    /// The top-level routers, and whether they are known from `axum::serve` calls rather
    /// than guessed among `roots`.
    fn top_level(&mut self, roots: &[ChainId]) -> (Vec<ChainId>, bool) {
        let krate = self.krate;
        let mut top: Vec<ChainId> = Vec::new();
        let mut top_certain = false;
        for (fi, f) in krate.files.iter().enumerate() {
            if self.items.modules[fi].is_none() {
                continue;
            }
            for (si, s) in f.router.serves.iter().enumerate() {
                let module = self.items.module_of(fi, &s.module).unwrap_or_default();
                let site = RefSite {
                    file: fi,
                    module: &module,
                    func: s.func.as_deref(),
                    range: s.range,
                };
                match self.router_ref(site, &s.app) {
                    Some(ids) => {
                        if !ids.is_empty() && ids.iter().all(|&id| self.probes_only(id)) {
                            self.probe_listeners.push((fi, si));
                        }
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
        if top_certain {
            return (top, true);
        }
        let in_bin = |id: &ChainId| {
            let rel = relative(&krate.files[id.0].path, &krate.root);
            rel == Path::new("src/main.rs") || rel.starts_with("src/bin")
        };
        // Prefer routers built from `Router::new()` with routes, in the binary first.
        let builds_routes = |id: &ChainId| {
            let c = self.chain(*id);
            c.base.is_none()
                && c.ops.iter().any(|op| {
                    matches!(
                        op,
                        RouterOp::Route { .. }
                            | RouterOp::Nest { .. }
                            | RouterOp::Merge(_)
                            | RouterOp::NestService { .. }
                            | RouterOp::Routes(_)
                            | RouterOp::TypedRoute(..)
                    )
                })
        };
        let starts_new = |id: &ChainId| {
            self.new_site_chain(*id, 0)
                .is_some_and(|c| self.chain(c).base.is_none())
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
        (top, false)
    }

    /// A chain that starts a router and only adds routes for the health or metrics path.
    fn probes_only(&self, id: ChainId) -> bool {
        let house = &self.krate.config.house;
        self.only_routes(id, &|p| p == house.health_path || is_metrics_path(p, house))
    }

    /// A router whose every route is a probe (also under another name, `/health`) or a
    /// webhook receiver (`/webhook/{id}`): the sender or the prober reads its answers, no
    /// API client does, so an unknown path there needs no envelope.
    fn serves_no_api(&self, id: ChainId) -> bool {
        use crate::rules::envelope::handler_without_envelope::{is_health_alias, is_webhook};
        let house = &self.krate.config.house;
        self.only_routes(id, &|p| {
            p == house.health_path
                || is_metrics_path(p, house)
                || is_health_alias(p)
                || is_webhook(p)
        })
    }

    /// The router has routes, all with literal paths that `keep` accepts, also when they
    /// were added before (`router().with_state(state)` over `fn router()`'s chain).
    fn only_routes(&self, id: ChainId, keep: &dyn Fn(&str) -> bool) -> bool {
        self.only_routes_from(id, keep, 0)
    }

    fn only_routes_from(&self, id: ChainId, keep: &dyn Fn(&str) -> bool, depth: u32) -> bool {
        let chain = self.chain(id);
        let own = chain.ops.iter().all(|op| {
            matches!(op, RouterOp::Route { path: crate::model::PathArg::Lit(p), .. } if keep(p))
        });
        match &chain.base {
            None => own && !chain.ops.is_empty(),
            Some(base) if own && depth < MAX_DEPTH => {
                let module = self.chain_module(id, chain);
                self.router_ref(self.chain_site(id, chain, &module), base)
                    .is_some_and(|ids| {
                        !ids.is_empty()
                            && ids
                                .iter()
                                .all(|&b| self.only_routes_from(b, keep, depth + 1))
                    })
            }
            Some(_) => false,
        }
    }

    /// Whether the top-level router has a fallback; `None` when that cannot be known.
    fn top_has_fallback(
        &mut self,
        all: &[ChainId],
        top: &[ChainId],
        top_certain: bool,
    ) -> Option<bool> {
        if top_certain {
            let mut any = Some(false);
            for &id in top {
                match self.has_fallback(id, 0, &mut HashSet::new()) {
                    Some(true) => any = Some(true),
                    None if any == Some(false) => any = None,
                    _ => {}
                }
            }
            return any;
        }
        // A guessed top-level router is said to lack a fallback only when no router of
        // the crate has one, and all of them were followed.
        let anywhere = all.iter().any(|&id| {
            self.chain(id)
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
    }

    /// Whether a router (with what it continues and merges) has a fallback.
    fn has_fallback(&self, id: ChainId, depth: u32, seen: &mut HashSet<ChainId>) -> Option<bool> {
        if depth > MAX_DEPTH {
            return None;
        }
        // A chain already asked about adds nothing new (its answer is part of the first).
        if !seen.insert(id) {
            return Some(false);
        }
        let chain = self.chain(id);
        if chain.ops.iter().any(|op| matches!(op, RouterOp::Fallback)) {
            return Some(true);
        }
        let module = self.chain_module(id, chain);
        let site = self.chain_site(id, chain, &module);
        let mut result = Some(false);
        let refs = chain
            .base
            .iter()
            .chain(chain.ops.iter().filter_map(|op| match op {
                RouterOp::Merge(r) => Some(r),
                _ => None,
            }));
        for r in refs {
            match self.router_ref(site, r) {
                Some(ids) => {
                    for id in ids {
                        match self.has_fallback(id, depth + 1, seen) {
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
    fn new_site(&self, id: ChainId) -> Site {
        let first = self.new_site_chain(id, 0).unwrap_or(id);
        Site {
            file: first.0,
            range: self.chain(first).range,
        }
    }

    /// The first chain of a router: the one its bases lead back to.
    fn new_site_chain(&self, id: ChainId, depth: u32) -> Option<ChainId> {
        let chain = self.chain(id);
        match (&chain.base, depth < MAX_DEPTH) {
            (None, _) => Some(id),
            (Some(base), true) => {
                let module = self.chain_module(id, chain);
                let ids = self.router_ref(self.chain_site(id, chain, &module), base)?;
                self.new_site_chain(*ids.first()?, depth + 1).or(Some(id))
            }
            _ => Some(id),
        }
    }
}

/// The handlers of the routes, each once; exempt when every route it serves is the health
/// or metrics endpoint, or registered only in development.
fn handlers(routes: &[Route], house: &crate::config::House) -> Vec<Handler> {
    let mut handlers: Vec<Handler> = Vec::new();
    let mut seen: HashMap<FnRef, usize> = HashMap::new();
    for route in routes {
        let path = route.path.as_deref().or(route.local.as_deref());
        let exempt = route.dev_only
            || path.is_some_and(|p| {
                p.trim_end_matches('/') == house.health_path.trim_end_matches('/')
                    || is_metrics_path(p, house)
            });
        for &h in &route.handlers {
            match seen.get(&h) {
                Some(&i) => {
                    handlers[i].exempt &= exempt;
                    handlers[i].dev_only &= route.dev_only;
                }
                None => {
                    seen.insert(h, handlers.len());
                    handlers.push(Handler {
                        fn_ref: h,
                        exempt,
                        dev_only: route.dev_only,
                    });
                }
            }
        }
    }
    handlers
}
