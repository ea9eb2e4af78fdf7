use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// TODO: the service writes its own log files (`tracing_appender::rolling::*`, or a file opened with a path literal ending in `.log`); logs go to stdout, once, as JSON
    pub struct LogFileSink {
        name: "log-file-sink",
        group: Logging,
        level: Deny,
        scope: NotInTests,
        summary: "the service writes its own log files",
    }
}

impl Rule for LogFileSink {}
