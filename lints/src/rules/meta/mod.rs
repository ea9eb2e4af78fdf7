//! Rules about paved itself: suppression comments, files it cannot read, and the files
//! it manages (the house kit).

pub mod kit_modified;
pub mod parse_error;
pub mod suppression_without_reason;
pub mod unused_suppression;
