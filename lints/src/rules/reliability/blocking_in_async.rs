use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// TODO: in an `async fn`/`async` block: `std::thread::sleep`, `std::fs::*` calls, `reqwest::blocking`, `std::net::TcpStream::connect`; not when inside a closure passed to `spawn_blocking`/`block_in_place`
    pub struct BlockingInAsync {
        name: "blocking-in-async",
        group: Reliability,
        level: Deny,
        scope: NotInTests,
        summary: "in an `async fn`/`async` block: `std::thread::sleep`, `std::fs::*` calls, `reqwest::blocking`, `std::net::TcpStream::connect`; not when insi",
    }
}

impl Rule for BlockingInAsync {}
