use crate::rule::Rule;

crate::declare_rule! {
    /// ## What it does
    /// TODO: a string literal that is, as a whole, an address: an IPv4/IPv6 address, `host:port`, `localhost` (with or without port), or a URL with a host (`http://`, `https://`, `postgres://`, `redis://`, `amqp://`, `nats://`, `mysql://`, `mongodb://`, ...). Prose that merely contains a URL is not flagged
    pub struct HardcodedAddress {
        name: "hardcoded-address",
        group: Config,
        level: Deny,
        scope: NotInTestsOrConfig,
        summary: "a string literal that is, as a whole, an address: an IPv4/IPv6 address, `host:port`, `localhost`",
    }
}

impl Rule for HardcodedAddress {}
