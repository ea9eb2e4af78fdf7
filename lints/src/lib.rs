//! The paved linter.
