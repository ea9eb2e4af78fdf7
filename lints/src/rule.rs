//! What every rule declares about itself, and the hooks through which it sees code.

use crate::context::{CrateCx, FileCx};
use crate::diagnostic::Level;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The idiom a rule protects. Group names can stand in for all their rules in `paved.toml`
/// and in suppression comments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    Logging,
    Framework,
    Process,
    Envelope,
    Config,
    Monitoring,
    Backup,
    Testing,
    Reliability,
    Messaging,
    Meta,
}

impl Group {
    pub const ALL: [Group; 11] = [
        Group::Logging,
        Group::Framework,
        Group::Process,
        Group::Envelope,
        Group::Config,
        Group::Monitoring,
        Group::Backup,
        Group::Testing,
        Group::Reliability,
        Group::Messaging,
        Group::Meta,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Group::Logging => "logging",
            Group::Framework => "framework",
            Group::Process => "process",
            Group::Envelope => "envelope",
            Group::Config => "config",
            Group::Monitoring => "monitoring",
            Group::Backup => "backup",
            Group::Testing => "testing",
            Group::Reliability => "reliability",
            Group::Messaging => "messaging",
            Group::Meta => "meta",
        }
    }

    pub fn parse(s: &str) -> Option<Group> {
        Group::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a rule looks (docs/idioms.md "Scope").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Every file, test code included.
    All,
    /// Source files, but not test code.
    NotInTests,
    /// Source files, neither test code nor the config module.
    NotInTestsOrConfig,
    /// The crate as a whole (its manifest and layout).
    Crate,
    /// Crates that are services (a binary that depends on the house web framework).
    Service,
    /// Handlers registered on an axum router.
    Handlers,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::All => "all",
            Scope::NotInTests => "not in tests",
            Scope::NotInTestsOrConfig => "not in tests, not in config module",
            Scope::Crate => "crate",
            Scope::Service => "service",
            Scope::Handlers => "handlers",
        }
    }

    /// Whether a finding inside test code (or the config module) is kept.
    pub fn applies(self, in_test: bool, in_config: bool) -> bool {
        match self {
            Scope::NotInTests | Scope::Handlers => !in_test,
            Scope::NotInTestsOrConfig => !in_test && !in_config,
            Scope::All | Scope::Crate | Scope::Service => true,
        }
    }
}

/// Everything a rule says about itself. The doc comment of the rule's file is `doc`.
#[derive(Debug)]
pub struct RuleMeta {
    pub name: &'static str,
    pub group: Group,
    pub default_level: Level,
    pub scope: Scope,
    pub summary: &'static str,
    /// The crate roles it applies to (docs/idioms.md "Crate roles").
    pub roles: crate::role::Roles,
    /// Markdown documentation with the sections What it does / Why / Example / Use instead.
    pub doc: &'static str,
}

/// The metadata half of a rule, written by `declare_rule!`.
pub trait Described {
    const META: RuleMeta;
}

/// A rule's hooks. Every hook has an empty default and the registry dispatches
/// statically, so a hook a rule does not implement costs nothing.
///
/// File hooks run during the single `syn::visit` walk of each file (phase 1);
/// `check_crate` runs once per crate over the facts collected in phase 1 (phase 2).
/// A hook reports through `cx.report(..)`, which knows which rule is running.
pub trait Rule: Described + Sync {
    fn check_macro(&self, _cx: &mut FileCx, _mac: &syn::Macro) {}
    fn check_call(&self, _cx: &mut FileCx, _call: &syn::ExprCall) {}
    fn check_method_call(&self, _cx: &mut FileCx, _call: &syn::ExprMethodCall) {}
    fn check_binary(&self, _cx: &mut FileCx, _expr: &syn::ExprBinary) {}
    fn check_match(&self, _cx: &mut FileCx, _expr: &syn::ExprMatch) {}
    /// A string literal; `binding` is the name it is bound to (let, const, static,
    /// struct field or `name = value` argument), if any.
    fn check_lit_str(&self, _cx: &mut FileCx, _lit: &syn::LitStr, _binding: Option<&syn::Ident>) {}
    /// A value bound to a name (let, const, static, struct field), before anything inside
    /// it is walked.
    fn check_binding(&self, _cx: &mut FileCx, _name: &syn::Ident, _value: &syn::Expr) {}
    /// An `impl` block (`impl Trait for Type`), before its items are walked.
    fn check_item_impl(&self, _cx: &mut FileCx, _item: &syn::ItemImpl) {}
    /// A free function item, before its body is walked.
    fn check_item_fn(&self, _cx: &mut FileCx, _item: &syn::ItemFn) {}
    /// A struct literal field `name: value`.
    fn check_field_value(&self, _cx: &mut FileCx, _field: &syn::FieldValue) {}
    fn check_crate(&self, _cx: &mut CrateCx) {}
}

/// Declares a rule: a unit struct whose doc comment is the rule's documentation,
/// and its `RuleMeta`.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub struct PrintLogging {
///         name: "print-logging",
///         group: Logging,
///         level: Deny,
///         scope: NotInTests,
///         summary: "print macros instead of the tracing macros",
///         // Optional; without it, `Roles::default_for(group, scope)`.
///         roles: [Service, Worker, Library],
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $rule:ident {
            name: $name:literal,
            group: $group:ident,
            level: $level:ident,
            scope: $scope:ident,
            summary: $summary:literal
            $(, roles: [$($role:ident),* $(,)?])? $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $rule;

        impl $crate::rule::Described for $rule {
            const META: $crate::rule::RuleMeta = $crate::rule::RuleMeta {
                name: $name,
                group: $crate::rule::Group::$group,
                default_level: $crate::diagnostic::Level::$level,
                scope: $crate::rule::Scope::$scope,
                summary: $summary,
                roles: $crate::declare_rule!(@roles $group, $scope $(, [$($role),*])?),
                doc: concat!($($doc, "\n"),*),
            };
        }
    };
    (@roles $group:ident, $scope:ident) => {
        $crate::role::Roles::default_for($crate::rule::Group::$group, $crate::rule::Scope::$scope)
    };
    (@roles $group:ident, $scope:ident, [$($role:ident),*]) => {
        $crate::role::Roles::of(&[$($crate::role::Role::$role),*])
    };
}
