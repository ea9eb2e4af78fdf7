//! Renders paved service templates.
