//! Whether a starting server loads or serves the demo data. The demo's
//! accounts include county administrators whose password is published in
//! the README, so demo data is opt-in (`serve --demo`) and is never served
//! on a non-loopback address unless the operator says so explicitly
//! (`--demo-public`, for a public demonstration).
use std::net::IpAddr;

/// What the operator asked for and what the database holds.
#[derive(Clone, Copy, Debug)]
pub struct DemoAsk {
    /// `--demo`: load the demo data into an empty database.
    pub wanted: bool,
    /// `--demo-public`: serving demo data on a non-loopback address is meant.
    pub public: bool,
    /// The address the server will listen on.
    pub ip: IpAddr,
    /// The database has no areas and no accounts.
    pub empty: bool,
    /// The database holds the demo accounts.
    pub present: bool,
}

/// What the server does at start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DemoStart {
    /// Load the demo data, then serve it.
    Load,
    /// Serve the demo data already there.
    Serve,
    /// Serve an empty database: say how to create the first area and
    /// administrator.
    Empty,
    /// Serve a real database.
    Real,
}

impl DemoStart {
    /// Whether the demo data is served (the login page then names its
    /// accounts).
    pub fn serves_demo(self) -> bool {
        matches!(self, DemoStart::Load | DemoStart::Serve)
    }
}

/// Why the server refuses to start with the demo data.
pub const REFUSED_PUBLIC: &str =
    "the demo data (accounts with the published password fengqiao-demo) \
is not served on a non-loopback address: listen on 127.0.0.1, or pass --demo-public if a public \
demonstration is meant";

/// How to begin on an empty database.
pub const FIRST_STEPS: &str = "the database is empty. Create the first county and its \
administrator: `fengqiao create-area --name <county>` prints the area's id, then \
`fengqiao create-user --username <name> --name <person> --role admin --area-id <id> \
--installation-admin` reads the password from standard input (the installation \
administrator alone keeps what every county shares and opens new counties). To try the product instead, start with --demo \
(on a loopback address).";

/// Decide what to do at start.
pub fn decide(ask: DemoAsk) -> Result<DemoStart, &'static str> {
    let start = if ask.wanted && ask.empty {
        DemoStart::Load
    } else if ask.present {
        DemoStart::Serve
    } else if ask.empty {
        DemoStart::Empty
    } else {
        DemoStart::Real
    };
    if start.serves_demo() && !ask.ip.is_loopback() && !ask.public {
        return Err(REFUSED_PUBLIC);
    }
    Ok(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(wanted: bool, public: bool, ip: &str, empty: bool, present: bool) -> DemoAsk {
        DemoAsk {
            wanted,
            public,
            ip: ip.parse().unwrap_or(IpAddr::from([0, 0, 0, 0])),
            empty,
            present,
        }
    }

    #[test]
    fn an_empty_database_gets_the_demo_only_when_asked() {
        assert_eq!(
            decide(ask(false, false, "127.0.0.1", true, false)),
            Ok(DemoStart::Empty)
        );
        assert_eq!(
            decide(ask(true, false, "127.0.0.1", true, false)),
            Ok(DemoStart::Load)
        );
        assert_eq!(
            decide(ask(true, false, "::1", true, false)),
            Ok(DemoStart::Load)
        );
        // A real database is never touched, --demo or not.
        assert_eq!(
            decide(ask(true, false, "127.0.0.1", false, false)),
            Ok(DemoStart::Real)
        );
        assert_eq!(
            decide(ask(false, false, "0.0.0.0", false, false)),
            Ok(DemoStart::Real)
        );
    }

    #[test]
    fn demo_data_is_not_served_publicly_unless_meant() {
        assert_eq!(
            decide(ask(true, false, "0.0.0.0", true, false)),
            Err(REFUSED_PUBLIC)
        );
        assert_eq!(
            decide(ask(true, false, "10.0.0.5", true, false)),
            Err(REFUSED_PUBLIC)
        );
        // A database seeded earlier (seed-demo) is refused too, --demo or not.
        assert_eq!(
            decide(ask(false, false, "0.0.0.0", false, true)),
            Err(REFUSED_PUBLIC)
        );
        assert_eq!(
            decide(ask(true, true, "0.0.0.0", true, false)),
            Ok(DemoStart::Load)
        );
        assert_eq!(
            decide(ask(false, true, "0.0.0.0", false, true)),
            Ok(DemoStart::Serve)
        );
        assert_eq!(
            decide(ask(false, false, "127.0.0.1", false, true)),
            Ok(DemoStart::Serve)
        );
        // An empty database served publicly without --demo is the production start.
        assert_eq!(
            decide(ask(false, false, "0.0.0.0", true, false)),
            Ok(DemoStart::Empty)
        );
    }

    #[test]
    fn only_loading_or_serving_the_demo_names_its_accounts() {
        assert!(DemoStart::Load.serves_demo());
        assert!(DemoStart::Serve.serves_demo());
        assert!(!DemoStart::Empty.serves_demo());
        assert!(!DemoStart::Real.serves_demo());
    }
}
