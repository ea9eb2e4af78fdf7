// The example routes: yours to change.
pub fn routes() {}
