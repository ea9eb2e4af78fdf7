//! The crate's items by module (functions, functions returning a router, route-path
//! constants, `use` items), and resolving a path as written in a module to the item it
//! names, through `use` items, re-exports and globs.

use super::FnRef;
use super::modules::{file_module, relative};
use crate::model::{Crate, PathArg};
use std::collections::{HashMap, HashSet};

/// A chain of the crate: (file index, chain index).
pub(super) type ChainId = (usize, usize);

/// An item by its defining module and name.
pub(super) type ItemKey = (Vec<String>, String);

/// A `use` item: the name brought in (`None` for a glob) and the path.
type UseEntry<'k> = (Option<&'k str>, &'k [String]);

/// A lookup of a path (relative) from a module (absolute).
type Lookup = (Kind, Vec<String>, Vec<String>);

/// Steps one resolution may take; real crates resolve a path in a few dozen.
const RESOLVE_BUDGET: u32 = 200;

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Kind {
    Fn,
    RouterFn,
    Const,
}

pub(super) struct Items<'k> {
    pub crate_ident: String,
    /// Module of each file (`None`: not in the module tree).
    pub modules: Vec<Option<Vec<String>>>,
    known_modules: HashSet<Vec<String>>,
    pub fns: HashMap<ItemKey, FnRef>,
    /// Functions whose tail expression is a router: the chains they return.
    pub router_fns: HashMap<ItemKey, Vec<ChainId>>,
    consts: HashMap<ItemKey, String>,
    /// `use` items by module.
    uses: HashMap<Vec<String>, Vec<UseEntry<'k>>>,
    /// What one resolution has already tried, and how many steps it took: glob imports
    /// that reach each other (`use super::*` in every module) would otherwise make the
    /// search exponential. A resolution over its budget gives up (the path stays
    /// unresolved and the rules that need it stay silent).
    tried: std::cell::RefCell<HashSet<Lookup>>,
    steps: std::cell::Cell<u32>,
}

impl<'k> Items<'k> {
    pub fn new(krate: &'k Crate) -> Self {
        let modules: Vec<Option<Vec<String>>> = krate
            .files
            .iter()
            .map(|f| {
                if f.is_test {
                    None
                } else {
                    file_module(&relative(&f.path, &krate.root), &krate.manifest.root_files)
                }
            })
            .collect();
        let mut items = Items {
            crate_ident: krate.name().replace('-', "_"),
            modules,
            known_modules: HashSet::new(),
            fns: HashMap::new(),
            router_fns: HashMap::new(),
            consts: HashMap::new(),
            uses: HashMap::new(),
            tried: Default::default(),
            steps: Default::default(),
        };
        for (fi, f) in krate.files.iter().enumerate() {
            let Some(base) = items.modules[fi].clone() else {
                continue;
            };
            items.know(&base, 0);
            // Facts store only the inline `mod` part of their module.
            let full = |m: &[String]| -> Vec<String> { base.iter().chain(m).cloned().collect() };
            let facts = &f.router;
            for (i, fact) in facts.fns.iter().enumerate() {
                let m = full(&fact.module);
                items.know(&m, base.len());
                // Handler closures have no name to be found by; methods serve no route.
                if !fact.name.is_empty() && !fact.is_method {
                    items
                        .fns
                        .entry((m, fact.name.clone()))
                        .or_insert(FnRef { file: fi, index: i });
                }
            }
            for (i, c) in facts.chains.iter().enumerate() {
                let m = full(&c.module);
                items.know(&m, base.len());
                if let (true, Some(func)) = (c.is_tail, &c.func) {
                    items
                        .router_fns
                        .entry((m, func.clone()))
                        .or_default()
                        .push((fi, i));
                }
            }
            for c in &facts.consts {
                let m = full(&c.module);
                items.know(&m, base.len());
                items
                    .consts
                    .entry((m, c.name.clone()))
                    .or_insert_with(|| c.value.clone());
            }
            for u in &facts.uses {
                let m = full(&u.module);
                items.know(&m, base.len());
                items
                    .uses
                    .entry(m)
                    .or_default()
                    .push((u.name.as_deref(), &u.target));
            }
        }
        items
    }

    /// Records `module` and its ancestors down to depth `from` as modules of the crate.
    fn know(&mut self, module: &[String], from: usize) {
        for depth in from..=module.len() {
            if !self.known_modules.contains(&module[..depth]) {
                self.known_modules.insert(module[..depth].to_vec());
            }
        }
    }

    /// The full module of something in `file` inside the inline modules `inline`.
    pub fn module_of(&self, file: usize, inline: &[String]) -> Option<Vec<String>> {
        self.modules[file]
            .as_ref()
            .map(|m| m.iter().chain(inline).cloned().collect())
    }

    /// The inline part of `module` for chains of `file` (chains store only inline segments).
    pub fn module_inline(&self, file: usize, module: &[String]) -> Vec<String> {
        let base = self.modules[file].as_ref().map_or(0, Vec::len);
        module
            .get(base..)
            .map(<[String]>::to_vec)
            .unwrap_or_default()
    }

    fn exists(&self, kind: Kind, module: &[String], name: &str) -> bool {
        let key = (module.to_vec(), name.to_string());
        match kind {
            Kind::Fn => self.fns.contains_key(&key),
            Kind::RouterFn => self.router_fns.contains_key(&key),
            Kind::Const => self.consts.contains_key(&key),
        }
    }

    /// The item a `use` in `module` brings in as `name`.
    fn use_named(&self, module: &[String], name: &str) -> Option<&'k [String]> {
        self.uses
            .get(module)
            .and_then(|us| us.iter().find(|(n, _)| *n == Some(name)))
            .map(|(_, target)| *target)
    }

    /// Resolves `segs` as written in `module` to the defining module and name of an item
    /// of `kind`, through `use` items (re-exports and globs included).
    pub fn resolve(
        &self,
        kind: Kind,
        module: &[String],
        segs: &[String],
        depth: u32,
    ) -> Option<ItemKey> {
        // `use` cycles (`pub use self::a as b; pub use self::b as a;`) end here.
        if depth > 12 {
            return None;
        }
        if depth == 0 {
            self.tried.borrow_mut().clear();
            self.steps.set(0);
        }
        self.steps.set(self.steps.get() + 1);
        if self.steps.get() > RESOLVE_BUDGET {
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
                if let Some(target) = self.use_named(module, first)
                    && (target.last() != Some(first) || target.len() > 1)
                {
                    let full = joined(target, rest);
                    if let Some(found) = self.resolve(kind, module, &full, depth + 1) {
                        return Some(found);
                    }
                }
                // 2015-style paths (`handlers::x` meaning `crate::handlers::x`); a single name
                // is never looked up elsewhere, which could find another item of that name.
                self.lookup(kind, module.to_vec(), segs, depth)
                    .or_else(|| {
                        if module.is_empty() || segs.len() < 2 {
                            None
                        } else {
                            self.lookup(kind, Vec::new(), segs, depth)
                        }
                    })
                    .or_else(|| self.through_globs(kind, module, segs, depth))
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
    ) -> Option<ItemKey> {
        // Each module and remaining path is looked up once per resolution.
        if !self
            .tried
            .borrow_mut()
            .insert((kind, base.clone(), segs.to_vec()))
        {
            return None;
        }
        let (name, mods) = segs.split_last()?;
        for (i, seg) in mods.iter().enumerate() {
            base.push(seg.clone());
            if !self.known_modules.contains(&base) {
                base.pop();
                // `Type::f`: an associated function of a type of `base` (its facts are
                // recorded under the module, by name).
                if i + 2 == segs.len()
                    && seg.starts_with(|c: char| c.is_ascii_uppercase())
                    && self.exists(kind, &base, name)
                {
                    return Some((base, name.clone()));
                }
                // A module re-exported or renamed by a `use` in `base`, or brought in by
                // one of its globs.
                return match self.use_named(&base, seg) {
                    Some(target) => {
                        let full = joined(target, &segs[i + 1..]);
                        self.resolve(kind, &base, &full, depth + 1)
                    }
                    None => self.through_globs(kind, &base, &segs[i..], depth),
                };
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
            let full = joined(prefix, std::slice::from_ref(name));
            if let Some(found) = self.resolve(kind, &base, &full, depth + 1) {
                return Some(found);
            }
        }
        None
    }

    /// `segs` (naming a module first, `admin::list`) through the glob imports of `module`
    /// (`use crate::controllers::*;` where `controllers` has a module `admin`).
    fn through_globs(
        &self,
        kind: Kind,
        module: &[String],
        segs: &[String],
        depth: u32,
    ) -> Option<ItemKey> {
        if segs.len() < 2 {
            // A single name through a glob is `lookup`'s job (it checks the module's items first).
            return None;
        }
        let uses = self.uses.get(module)?;
        // Only globs of this crate's modules: a glob of another crate (`use axum::*`) holds
        // no module of ours, and following it would only retry this same lookup.
        let local = |prefix: &[String]| {
            prefix.first().is_some_and(|f| {
                matches!(f.as_str(), "crate" | "self" | "super")
                    || *f == self.crate_ident
                    || self.known_modules.contains(std::slice::from_ref(f))
            })
        };
        uses.iter()
            .filter(|(n, prefix)| n.is_none() && local(prefix))
            .find_map(|(_, prefix)| self.resolve(kind, module, &joined(prefix, segs), depth + 1))
    }

    /// The value of a route path or nest prefix, following a named `const`/`static`.
    pub fn path_arg(&self, module: &[String], p: &PathArg) -> Option<String> {
        match p {
            PathArg::Lit(s) => Some(s.clone()),
            PathArg::Name(segs) => self
                .resolve(Kind::Const, module, segs, 0)
                .and_then(|k| self.consts.get(&k).cloned()),
            PathArg::Unknown => None,
        }
    }
}

fn joined(head: &[String], tail: &[String]) -> Vec<String> {
    head.iter().chain(tail).cloned().collect()
}
