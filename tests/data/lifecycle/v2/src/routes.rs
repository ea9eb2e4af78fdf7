// The example routes: yours to change (version 2).
pub fn routes() {}
