//! Every service has tests, and its routes are exercised by them.

pub mod missing_tests;
pub mod untested_route;
