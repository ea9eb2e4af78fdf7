//! Crate roles (docs/idioms.md "Crate roles"): what a crate is, and which roles a rule
//! applies to. A monorepo's CLI tools, SDKs, benchmarks and demos are not services, and
//! judging them as services is noise.

use crate::rule::{Group, Scope};
use serde::Serialize;
use std::fmt;

/// What a crate is. The names are a public interface (`paved.toml [roles]`,
/// `[package.metadata.paved] role`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Service,
    Worker,
    Cli,
    Library,
    Client,
    Bench,
    Example,
    TestSupport,
    Build,
    Vendored,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::Service,
        Role::Worker,
        Role::Cli,
        Role::Library,
        Role::Client,
        Role::Bench,
        Role::Example,
        Role::TestSupport,
        Role::Build,
        Role::Vendored,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Service => "service",
            Role::Worker => "worker",
            Role::Cli => "cli",
            Role::Library => "library",
            Role::Client => "client",
            Role::Bench => "bench",
            Role::Example => "example",
            Role::TestSupport => "test-support",
            Role::Build => "build",
            Role::Vendored => "vendored",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The closest role name to a misspelt one, for "did you mean".
    pub fn closest(s: &str) -> Option<&'static str> {
        Role::ALL
            .iter()
            .map(|r| (strsim::jaro_winkler(s, r.as_str()), r.as_str()))
            .filter(|(score, _)| *score > 0.7)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, n)| n)
    }

    /// Benchmarks, demos, test helpers and build tools: their code is test code.
    pub fn is_test_code(self) -> bool {
        matches!(
            self,
            Role::Bench | Role::Example | Role::TestSupport | Role::Build
        )
    }

    const fn bit(self) -> u16 {
        1 << self as u16
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// A set of roles, as a rule declares where it applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Roles(u16);

impl Roles {
    pub const fn of(roles: &[Role]) -> Roles {
        let mut bits = 0;
        let mut i = 0;
        while i < roles.len() {
            bits |= roles[i].bit();
            i += 1;
        }
        Roles(bits)
    }

    pub const fn contains(self, role: Role) -> bool {
        self.0 & role.bit() != 0
    }

    /// Where a rule applies unless it says otherwise, from where it looks:
    /// - meta rules (scope `all`) everywhere but vendored code;
    /// - crate rules (dependency policy) on everything that ships: services, workers,
    ///   CLIs, libraries and clients;
    /// - service rules on services and workers;
    /// - code rules on services, workers and libraries (a CLI's stdout is its interface,
    ///   a client's URLs are its callers' "where");
    /// - the envelope group never on workers, which answer no HTTP requests.
    ///
    /// Benchmarks, demos, test helpers and build tools are test code: only meta rules.
    pub const fn default_for(group: Group, scope: Scope) -> Roles {
        use Role::*;
        let roles = match scope {
            Scope::All => Roles::of(&[
                Service,
                Worker,
                Cli,
                Library,
                Client,
                Bench,
                Example,
                TestSupport,
                Build,
            ]),
            Scope::Crate => Roles::of(&[Service, Worker, Cli, Library, Client]),
            Scope::Service => Roles::of(&[Service, Worker]),
            Scope::Handlers | Scope::NotInTests | Scope::NotInTestsOrConfig => {
                Roles::of(&[Service, Worker, Library])
            }
        };
        match group {
            Group::Envelope => Roles(roles.0 & !Worker.bit()),
            _ => roles,
        }
    }

    pub fn iter(self) -> impl Iterator<Item = Role> {
        Role::ALL.into_iter().filter(move |r| self.contains(*r))
    }

    /// `service, worker, library`
    pub fn list(self) -> String {
        self.iter().map(Role::as_str).collect::<Vec<_>>().join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_misspellings_get_a_hint() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("CLI"), None);
        assert_eq!(Role::closest("test-suport"), Some("test-support"));
        assert_eq!(Role::closest("xyz"), None);
    }

    #[test]
    fn defaults_follow_where_a_rule_looks() {
        let code = Roles::default_for(Group::Logging, Scope::NotInTests);
        assert!(code.contains(Role::Service) && code.contains(Role::Library));
        assert!(!code.contains(Role::Cli) && !code.contains(Role::Client));
        assert!(!code.contains(Role::Bench) && !code.contains(Role::Vendored));

        let deps = Roles::default_for(Group::Framework, Scope::Crate);
        assert!(deps.contains(Role::Cli) && deps.contains(Role::Client));
        assert!(!deps.contains(Role::Example));

        let meta = Roles::default_for(Group::Meta, Scope::All);
        assert!(meta.contains(Role::Example) && !meta.contains(Role::Vendored));

        let envelope = Roles::default_for(Group::Envelope, Scope::Service);
        assert_eq!(envelope.list(), "service");
    }
}
