use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// TODO: the service detaches itself: dependency on `daemonize`/`fork`, calls to `nix::unistd::daemon`/`fork`, or writing a pid file (path literal ending in `.pid`)
    pub struct SelfDaemonizing {
        name: "self-daemonizing",
        group: Process,
        level: Deny,
        scope: NotInTests,
        summary: "the service detaches itself: dependency on `daemonize`/`fork`, calls to `nix::unistd::daemon`/`fork`, or writing a pid file",
    }
}

impl Rule for SelfDaemonizing {}
