//! Logs go to stdout, once, as JSON lines through `tracing`.

pub mod foreign_logger;
pub mod log_file_sink;
pub mod non_json_logs;
pub mod print_logging;
