//! Paths into the `prometheus` crate, so `foreign-metrics` can tell a crate that borrows its
//! bucket arithmetic from one that records through its registry.

use super::Walker;

impl Walker<'_, '_, '_> {
    /// `prometheus::exponential_buckets(..)` or `prometheus::IntCounter` outside tests
    /// (`FileFacts::prometheus_paths`), for `foreign-metrics`.
    pub(super) fn record_prometheus_path(&mut self, path: &syn::Path) {
        if path
            .segments
            .first()
            .is_none_or(|s| s.ident != "prometheus")
            || self.cx.in_test()
        {
            return;
        }
        let helper = path.segments.len() == 2
            && path.segments.last().is_some_and(|s| {
                crate::rules::monitoring::foreign_metrics::BUCKET_HELPERS
                    .iter()
                    .any(|h| s.ident == h)
            });
        let seen = &mut self.cx.facts.prometheus_paths;
        if helper {
            seen.0 = true;
        } else {
            seen.1 = true;
        }
    }
}
