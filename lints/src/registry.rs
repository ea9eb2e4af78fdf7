//! The one place that names every rule. Dispatch is generated here and static: a hook a
//! rule does not implement is an empty default method that the compiler removes.

use crate::context::{CrateCx, FileCx};
use crate::rule::{Described, Rule, RuleMeta};
use crate::rules;

macro_rules! registry {
    ($($rule:path),* $(,)?) => {
        /// Every rule, in registry order (the order of `Levels` vectors).
        pub static RULES: &[RuleMeta] = &[$(<$rule as Described>::META),*];

        registry!(@file_hook $($rule),* ; check_macro(m: &syn::Macro));
        registry!(@file_hook $($rule),* ; check_call(c: &syn::ExprCall));
        registry!(@file_hook $($rule),* ; check_method_call(c: &syn::ExprMethodCall));
        registry!(@file_hook $($rule),* ; check_binary(e: &syn::ExprBinary));
        registry!(@file_hook $($rule),* ; check_match(e: &syn::ExprMatch));
        registry!(@file_hook $($rule),* ; check_field_value(f: &syn::FieldValue));
        registry!(@file_hook $($rule),* ; check_item_impl(i: &syn::ItemImpl));
        registry!(@file_hook $($rule),* ; check_item_fn(f: &syn::ItemFn));

        pub(crate) fn check_lit_str(cx: &mut FileCx, lit: &syn::LitStr, binding: Option<&syn::Ident>) {
            let mut _i = 0usize;
            $(
                if cx.enter(_i) {
                    Rule::check_lit_str(&$rule, cx, lit, binding);
                }
                _i += 1;
            )*
        }

        pub(crate) fn check_binding(cx: &mut FileCx, name: &syn::Ident, value: &syn::Expr) {
            let mut _i = 0usize;
            $(
                if cx.enter(_i) {
                    Rule::check_binding(&$rule, cx, name, value);
                }
                _i += 1;
            )*
        }

        pub(crate) fn check_crate(cx: &mut CrateCx) {
            let mut _i = 0usize;
            $(
                if cx.enter(_i) {
                    Rule::check_crate(&$rule, cx);
                }
                _i += 1;
            )*
        }
    };
    (@file_hook $($rule:path),* ; $hook:ident($arg:ident: $ty:ty)) => {
        pub(crate) fn $hook(cx: &mut FileCx, $arg: $ty) {
            let mut _i = 0usize;
            $(
                if cx.enter(_i) {
                    Rule::$hook(&$rule, cx, $arg);
                }
                _i += 1;
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

/// Registry index of a rule name.
pub fn index_of(name: &str) -> Option<usize> {
    RULES.iter().position(|r| r.name == name)
}

/// The metadata of a rule name.
pub fn get(name: &str) -> Option<&'static RuleMeta> {
    RULES.iter().find(|r| r.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

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
