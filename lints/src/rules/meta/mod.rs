//! Rules about paved itself: suppression comments and files it cannot read.

pub mod parse_error;
pub mod suppression_without_reason;
pub mod unused_suppression;
