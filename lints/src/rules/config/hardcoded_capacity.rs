use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// TODO: an integer literal passed as a *how many* setting: `worker_threads`, `max_blocking_threads`, `max_connections`, `min_connections`, `max_size`, `min_idle`, `pool_size`, `concurrency_limit`, `buffer_size` (method calls or struct fields of these names)
    pub struct HardcodedCapacity {
        name: "hardcoded-capacity",
        group: Config,
        level: Warn,
        scope: NotInTestsOrConfig,
        summary: "an integer literal passed as a *how many* setting: `worker_threads`, `max_blocking_threads`, `max_connections`, `min_connections`, `max_size",
    }
}

impl Rule for HardcodedCapacity {}
