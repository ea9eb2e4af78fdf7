//! What a one-shot command prints is its output, and the environment it reads its input,
//! also when that happens in the functions it calls: `Command::Monitor => monitor::run()`
//! (a module of the same binary) or `DbScanOpt::ListIndexes =>
//! dbscan_list_indexes_core(&config)` (a library function of the same workspace). Phase 1
//! notes the calls made from command code (`FileFacts::command_calls`) and where
//! `print-logging`, `env-read-outside-config` or `hardcoded-address` fired (`FileFacts::command_sites`);
//! this module drops the findings that sit in a called function (of the same crate or of a
//! crate the caller depends on) or module (of the same crate).

use crate::diagnostic::Diagnostic;
use crate::model::Crate;
use std::collections::{HashMap, HashSet};

/// Per crate: the names its command code calls, and the packages it depends on.
pub struct CommandCalls {
    callers: Vec<Caller>,
}

struct Caller {
    /// Function names distinctive enough to match in another crate.
    functions: HashSet<String>,
    /// Functions called by their bare name (`visualize(query)`), with the file that calls
    /// them: the function of that file's own module.
    local: HashSet<(std::path::PathBuf, String)>,
    /// Modules of its own called into (`monitor` of `monitor::run`).
    modules: HashSet<String>,
    /// Functions of its own library that only its command programs call, as (module,
    /// function): `("database", "connect")` of `plane::database::connect`.
    bin_only: HashSet<(String, String)>,
    /// Functions of its own called before its logger is installed.
    pre_logger: HashSet<String>,
    /// Functions of its own called from startup code.
    startup: HashSet<String>,
    package: String,
    deps: HashSet<String>,
}

impl CommandCalls {
    pub fn collect<'a>(crates: impl Iterator<Item = &'a Crate>) -> CommandCalls {
        let crates: Vec<&Crate> = crates.collect();
        let mut callers: Vec<Caller> = crates
            .iter()
            .map(|krate| {
                let mut caller = Caller {
                    functions: HashSet::new(),
                    local: HashSet::new(),
                    modules: HashSet::new(),
                    bin_only: called_only_by_commands(krate),
                    pre_logger: shipped_names(krate, |f| &f.pre_logger_calls),
                    startup: shipped_names(krate, |f| &f.startup_calls),
                    package: krate.name().to_string(),
                    deps: krate
                        .manifest
                        .deps
                        .iter()
                        .filter(|d| d.is_runtime())
                        .map(|d| d.package.clone())
                        .collect(),
                };
                let calls = krate
                    .files
                    .iter()
                    .flat_map(|f| f.command_calls.iter().map(move |c| (&f.path, c)));
                for (file, call) in calls {
                    let segments: Vec<&str> = call.split("::").collect();
                    let Some((last, parents)) = segments.split_last() else {
                        continue;
                    };
                    if parents.is_empty() && !last.is_empty() {
                        caller.local.insert((file.clone(), (*last).to_string()));
                    }
                    if is_distinctive(last) {
                        caller.functions.insert((*last).to_string());
                    }
                    if let Some(module) = parents.last().filter(|m| is_module_name(m)) {
                        caller.modules.insert((*module).to_string());
                    }
                }
                caller
            })
            .collect();
        expand_startup(&crates, &mut callers);
        CommandCalls { callers }
    }

    /// A `print-logging`, `env-read-outside-config` or `hardcoded-address` finding of crate number `index` inside
    /// a function that the command code of this crate or of a crate depending on it calls,
    /// or inside a module of this crate that its command code calls; or one of these or a
    /// `hardcoded-capacity` finding in a function that only the crate's command programs
    /// call.
    pub fn is_command_output(&self, index: usize, krate: &Crate, d: &Diagnostic) -> bool {
        use crate::registry::RuleId;
        if !matches!(
            d.rule,
            RuleId::PrintLogging
                | RuleId::EnvReadOutsideConfig
                | RuleId::HardcodedAddress
                | RuleId::HardcodedCapacity
                | RuleId::BlockingInAsync
        ) {
            return false;
        }
        let Some(facts) = krate.files.iter().find(|f| f.path == d.path) else {
            return false;
        };
        let own = &self.callers[index];
        // Blocking once at start, in a function startup code calls, stalls no request.
        if d.rule == RuleId::BlockingInAsync {
            return facts
                .startup_sites
                .iter()
                .any(|(line, func)| *line == d.start.line && own.startup.contains(func));
        }
        let func = facts
            .command_sites
            .iter()
            .find(|(line, _)| *line == d.start.line)
            .map(|(_, func)| func.as_str());
        let module = crate::paths::module_name(&d.path);
        if func.is_some_and(|func| {
            own.bin_only
                .contains(&(module.to_string(), func.to_string()))
        }) {
            return true;
        }
        if d.rule == RuleId::PrintLogging && func.is_some_and(|func| own.pre_logger.contains(func))
        {
            return true;
        }

        if d.rule == RuleId::HardcodedCapacity {
            return false;
        }
        let called = func.is_some_and(|func| {
            own.local.contains(&(d.path.clone(), func.to_string()))
                || self
                    .callers
                    .iter()
                    .filter(|c| c.package == own.package || c.deps.contains(&own.package))
                    .any(|c| c.functions.contains(func))
        });
        // A module that builds a router or serves is the service's, whoever else calls it.
        let router = &facts.router;
        let serving = !router.serves.is_empty() || router.chains.iter().any(|c| !c.ops.is_empty());
        // An address is excused only in the very function a command calls: the rest of
        // its module may well be the service's.
        let module_called = d.rule != RuleId::HardcodedAddress
            && enclosing_modules(&d.path).any(|m| own.modules.contains(m));
        called || (!serving && module_called)
    }
}

/// Most rounds of `expand_startup`: a chain of calls from startup code through the crates
/// of the run is rarely longer.
const STARTUP_ROUNDS: usize = 8;

/// Grows each crate's startup set along the calls of its async functions outside their
/// loops and tasks (`serve` calls `download_model_if_needed`, which calls
/// `download_model_impl`; not what a background task's loop calls) and into the crates of the
/// run it depends on (`tabby_download::download_model` called from `tabby`'s startup):
/// what startup code reaches runs once too. Only distinctive names are followed, so that a
/// `new` or a `run` of another type does not pull its callees in.
fn expand_startup(crates: &[&Crate], callers: &mut [Caller]) {
    let calls: Vec<HashMap<&str, Vec<&str>>> = crates
        .iter()
        .map(|krate| {
            let mut by_name: HashMap<&str, Vec<&str>> = HashMap::new();
            let fns = krate
                .files
                .iter()
                .filter(|f| !f.is_test)
                .flat_map(|f| &f.router.fns);
            for f in fns.filter(|f| !f.is_method && is_distinctive(&f.name)) {
                let callees = f.once_calls.iter().map(String::as_str);
                by_name.entry(f.name.as_str()).or_default().extend(callees);
            }
            by_name
        })
        .collect();
    // Within each crate first; then, round by round, what a crate's dependants reach.
    for (caller, calls) in callers.iter_mut().zip(&calls) {
        let seeds: Vec<String> = caller
            .startup
            .iter()
            .filter(|n| is_distinctive(n))
            .cloned()
            .collect();
        follow(&mut caller.startup, seeds, calls);
    }
    for _ in 0..STARTUP_ROUNDS {
        let mut grew = false;
        for i in 0..callers.len() {
            let package = &callers[i].package;
            let inherited: Vec<String> = callers
                .iter()
                .filter(|c| c.deps.contains(package))
                .flat_map(|c| c.startup.iter().filter(|n| is_distinctive(n)).cloned())
                .filter(|n| !callers[i].startup.contains(n))
                .collect();
            grew |= !inherited.is_empty();
            follow(&mut callers[i].startup, inherited, &calls[i]);
        }
        if !grew {
            break;
        }
    }
}

/// Adds `seeds` to `startup`, and what they call once, and so on.
fn follow(startup: &mut HashSet<String>, mut seeds: Vec<String>, calls: &HashMap<&str, Vec<&str>>) {
    startup.extend(seeds.iter().cloned());
    while let Some(name) = seeds.pop() {
        for callee in calls.get(name.as_str()).into_iter().flatten() {
            if startup.insert((*callee).to_string()) {
                seeds.push((*callee).to_string());
            }
        }
    }
}

/// The names a list of the crate's files outside tests holds.
fn shipped_names(
    krate: &Crate,
    list: impl Fn(&crate::model::FileFacts) -> &Vec<String>,
) -> HashSet<String> {
    let own_lib = krate.name().replace('-', "_");
    krate
        .files
        .iter()
        .filter(|f| !f.is_test)
        .flat_map(|f| list(f).iter())
        .filter_map(|call| match call.split_once("::") {
            // `my_service::run(..)` from the binary into the package's own library.
            Some((root, name)) => (root == "crate" || root == own_lib).then(|| name.to_string()),
            None => Some(call.clone()),
        })
        .collect()
}

/// The library functions that the crate's command programs (`src/bin/db-cli.rs`, a binary
/// that is not the service) call and no other file of the crate imports, as (module,
/// function). A call by module path from the service's code (`database::connect(..)`)
/// is not seen; an import of the function by name is.
fn called_only_by_commands(krate: &Crate) -> HashSet<(String, String)> {
    let is_command = |path: &std::path::Path| {
        krate
            .binary_roles
            .iter()
            .any(|(p, decision)| p == path && decision.role != crate::role::Role::Service)
    };
    let pair = |path: &[&str]| match path {
        [.., module, function] => Some((module.to_string(), function.to_string())),
        _ => None,
    };
    let mut called = HashSet::new();
    for file in krate.files.iter().filter(|f| is_command(&f.path)) {
        for call in &file.bin_calls {
            let segments: Vec<&str> = call.split("::").collect();
            called.extend(pair(&segments));
        }
    }
    if called.is_empty() {
        return called;
    }
    for file in krate
        .files
        .iter()
        .filter(|f| !f.is_test && !is_command(&f.path))
    {
        for u in &file.router.uses {
            let segments: Vec<&str> = u.target.iter().map(String::as_str).collect();
            if let Some(p) = pair(&segments) {
                called.remove(&p);
            }
        }
    }
    called
}

/// The file's module and the folders around it up to `src/` (`src/migration/migrator.rs`
/// is in `migrator` and in `migration`, which `migration::run_meta` calls into).
fn enclosing_modules(path: &std::path::Path) -> impl Iterator<Item = &str> {
    let folders = path
        .parent()
        .into_iter()
        .flat_map(std::path::Path::ancestors)
        .map_while(|p| p.file_name()?.to_str().filter(|name| *name != "src"));
    std::iter::once(crate::paths::module_name(path)).chain(folders)
}

/// `dbscan_list_indexes_core`, `render_readmes`: a name with a word break and some length,
/// unlike `run`, `new` or `main`, which every module has.
pub(crate) fn is_distinctive(name: &str) -> bool {
    name.len() >= 8 && name.contains('_')
}

/// `monitor` in `monitor::run`: a lowercase module, not `Self`, `crate` or a type.
fn is_module_name(name: &str) -> bool {
    !matches!(name, "crate" | "self" | "super")
        && name.starts_with(|c: char| c.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn names() {
        assert!(is_distinctive("dbscan_list_indexes_core"));
        assert!(!is_distinctive("run"));
        assert!(!is_distinctive("do_it"));
        assert!(is_module_name("monitor"));
        assert!(!is_module_name("Self"));
        assert!(!is_module_name("crate"));
        assert_eq!(
            crate::paths::module_name(Path::new("src/bin/app/monitor.rs")),
            "monitor"
        );
        assert_eq!(
            crate::paths::module_name(Path::new("src/admin/mod.rs")),
            "admin"
        );
    }
}
