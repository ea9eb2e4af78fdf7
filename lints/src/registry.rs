//! The one place that names every rule. Dispatch is generated here and static: a hook a
//! rule does not implement is an empty default method that the compiler removes.

use crate::context::{CrateCx, FileCx};
use crate::rule::{Described, Rule, RuleMeta};
use crate::rules;

macro_rules! registry {
    ($(rules :: $group:ident :: $file:ident :: $rule:ident),* $(,)?) => {
        /// A rule, by the name of its type. An unknown rule is a compile error, where a
        /// misspelt name or a wrong index would be a silent miss; `declare_rule!` sets
        /// each rule's `RuleMeta::id` to its own variant, so a rule that is declared but
        /// not registered does not compile either.
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        pub enum RuleId {
            $($rule),*
        }

        impl RuleId {
            /// Every rule, in registry order (the order of `Levels` vectors).
            pub const ALL: &[RuleId] = &[$(RuleId::$rule),*];
        }

        /// Every rule, in registry order (the order of `Levels` vectors).
        pub static RULES: &[RuleMeta] = &[$(<rules::$group::$file::$rule as Described>::META),*];

        registry!(@file_hook $($group::$file::$rule),* ; check_macro(m: &syn::Macro));
        registry!(@file_hook $($group::$file::$rule),* ; check_call(c: &syn::ExprCall));
        registry!(@file_hook $($group::$file::$rule),* ; check_method_call(c: &syn::ExprMethodCall));
        registry!(@file_hook $($group::$file::$rule),* ; check_binary(e: &syn::ExprBinary));
        registry!(@file_hook $($group::$file::$rule),* ; check_match(e: &syn::ExprMatch));
        registry!(@file_hook $($group::$file::$rule),* ; check_field_value(f: &syn::FieldValue));
        registry!(@file_hook $($group::$file::$rule),* ; check_item_impl(i: &syn::ItemImpl));
        registry!(@file_hook $($group::$file::$rule),* ; check_item_fn(f: &syn::ItemFn));

        pub(crate) fn check_lit_str(cx: &mut FileCx, lit: &crate::rule::StrLit, binding: Option<&syn::Ident>) {
            $(
                if cx.enter(&<rules::$group::$file::$rule as Described>::META) {
                    Rule::check_lit_str(&rules::$group::$file::$rule, cx, lit, binding);
                }
            )*
        }

        pub(crate) fn check_binding(cx: &mut FileCx, name: &syn::Ident, value: &syn::Expr) {
            $(
                if cx.enter(&<rules::$group::$file::$rule as Described>::META) {
                    Rule::check_binding(&rules::$group::$file::$rule, cx, name, value);
                }
            )*
        }

        pub(crate) fn check_crate(cx: &mut CrateCx) {
            $(
                if cx.enter(&<rules::$group::$file::$rule as Described>::META) {
                    Rule::check_crate(&rules::$group::$file::$rule, cx);
                }
            )*
        }
    };
    (@file_hook $($group:ident :: $file:ident :: $rule:ident),* ; $hook:ident($arg:ident: $ty:ty)) => {
        pub(crate) fn $hook(cx: &mut FileCx, $arg: $ty) {
            $(
                if cx.enter(&<rules::$group::$file::$rule as Described>::META) {
                    Rule::$hook(&rules::$group::$file::$rule, cx, $arg);
                }
            )*
        }
    };
}

registry! {
    rules::logging::print_logging::PrintLogging,
    rules::logging::foreign_logger::ForeignLogger,
    rules::logging::log_file_sink::LogFileSink,
    rules::logging::non_json_logs::NonJsonLogs,
    rules::framework::foreign_web_framework::ForeignWebFramework,
    rules::framework::foreign_async_runtime::ForeignAsyncRuntime,
    rules::process::missing_service_unit::MissingServiceUnit,
    rules::process::self_daemonizing::SelfDaemonizing,
    rules::process::no_graceful_shutdown::NoGracefulShutdown,
    rules::envelope::handler_without_envelope::HandlerWithoutEnvelope,
    rules::envelope::bare_json_extractor::BareJsonExtractor,
    rules::envelope::missing_fallback::MissingFallback,
    rules::envelope::error_without_envelope::ErrorWithoutEnvelope,
    rules::config::hardcoded_address::HardcodedAddress,
    rules::config::hardcoded_capacity::HardcodedCapacity,
    rules::config::env_read_outside_config::EnvReadOutsideConfig,
    rules::config::environment_branching::EnvironmentBranching,
    rules::config::config_key_drift::ConfigKeyDrift,
    rules::monitoring::missing_health_endpoint::MissingHealthEndpoint,
    rules::monitoring::missing_metrics_endpoint::MissingMetricsEndpoint,
    rules::monitoring::metric_naming::MetricNaming,
    rules::monitoring::foreign_metrics::ForeignMetrics,
    rules::backup::storage_without_backup::StorageWithoutBackup,
    rules::backup::file_copy_backup::FileCopyBackup,
    rules::testing::missing_tests::MissingTests,
    rules::testing::untested_route::UntestedRoute,
    rules::reliability::unwrap_in_handler::UnwrapInHandler,
    rules::reliability::blocking_in_async::BlockingInAsync,
    rules::reliability::hardcoded_secret::HardcodedSecret,
    rules::messaging::ack_before_work::AckBeforeWork,
    rules::messaging::unbounded_spawn_per_message::UnboundedSpawnPerMessage,
    rules::messaging::fixed_sleep_poll::FixedSleepPoll,
    rules::messaging::consumer_without_dead_letter::ConsumerWithoutDeadLetter,
    rules::meta::unused_suppression::UnusedSuppression,
    rules::meta::suppression_without_reason::SuppressionWithoutReason,
    rules::meta::parse_error::ParseError,
    rules::meta::kit_modified::KitModified,
}

impl RuleId {
    /// Position in `RULES` and in every `Levels` vector.
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn meta(self) -> &'static RuleMeta {
        &RULES[self.index()]
    }

    /// The rule's public name (`print-logging`): what configuration, suppressions and
    /// every output format spell.
    pub fn name(self) -> &'static str {
        self.meta().name
    }

    /// The rule a public name stands for.
    pub fn from_name(name: &str) -> Option<RuleId> {
        RuleId::ALL.iter().copied().find(|id| id.name() == name)
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Debug shows the public name, as the `&str` it replaced did.
impl std::fmt::Debug for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.name(), f)
    }
}

/// Ordered by name, so that sorting findings by rule stays alphabetical.
impl Ord for RuleId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.name().cmp(other.name())
    }
}

impl PartialOrd for RuleId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq<str> for RuleId {
    fn eq(&self, other: &str) -> bool {
        self.name() == other
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

impl PartialEq<RuleId> for &str {
    fn eq(&self, other: &RuleId) -> bool {
        *self == other.name()
    }
}

impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for RuleId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(d)?;
        RuleId::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown rule `{name}`")))
    }
}

/// Levels (and anything else kept per rule in registry order) are indexed by rule.
impl<T> std::ops::Index<RuleId> for [T] {
    type Output = T;
    fn index(&self, id: RuleId) -> &T {
        &self[id.index()]
    }
}

impl<T> std::ops::IndexMut<RuleId> for [T] {
    fn index_mut(&mut self, id: RuleId) -> &mut T {
        &mut self[id.index()]
    }
}

impl<T> std::ops::Index<RuleId> for Vec<T> {
    type Output = T;
    fn index(&self, id: RuleId) -> &T {
        &self[id.index()]
    }
}

impl<T> std::ops::IndexMut<RuleId> for Vec<T> {
    fn index_mut(&mut self, id: RuleId) -> &mut T {
        &mut self[id.index()]
    }
}

/// The metadata of a rule name.
pub fn get(name: &str) -> Option<&'static RuleMeta> {
    RuleId::from_name(name).map(RuleId::meta)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_rule_sits_at_the_index_of_its_id() {
        assert_eq!(RULES.len(), RuleId::ALL.len());
        for (i, (meta, id)) in RULES.iter().zip(RuleId::ALL).enumerate() {
            assert_eq!((meta.id, id.index()), (*id, i), "{}", meta.name);
            assert_eq!(RuleId::from_name(meta.name), Some(*id));
        }
        assert_eq!(RuleId::from_name("print-loging"), None);
        assert!(
            RuleId::ParseError > RuleId::HardcodedSecret,
            "ordered by name"
        );
    }

    #[test]
    fn ids_serialize_as_their_public_names() {
        let json = serde_json::to_string(&RuleId::PrintLogging).unwrap();
        assert_eq!(json, "\"print-logging\"");
        assert_eq!(
            serde_json::from_str::<RuleId>(&json).unwrap(),
            RuleId::PrintLogging
        );
        assert!(serde_json::from_str::<RuleId>("\"no-such-rule\"").is_err());
        assert_eq!(format!("{:?}", RuleId::ParseError), "\"parse-error\"");
    }

    #[test]
    fn names_are_unique_kebab_case_and_documented() {
        let mut seen = HashSet::new();
        for r in RULES {
            assert!(seen.insert(r.name), "duplicate rule {}", r.name);
            assert!(
                r.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                r.name
            );
            for section in ["## What it does", "## Why", "## Example", "## Use instead"] {
                assert!(r.doc.contains(section), "{} lacks {section}", r.name);
            }
        }
    }
}
