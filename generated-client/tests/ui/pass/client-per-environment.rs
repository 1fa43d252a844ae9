//! A client for each environment: production takes `pk_` keys, the sandbox `tk_` keys,
//! and a client without a key needs no environment check at all.

use headout_client::{Client, Environment};

fn main() -> Result<(), headout_client::Error> {
    let production = Client::builder(Environment::Production)
        .key("pk_0123456789abcdef")
        .build()?;
    let sandbox = Client::builder(Environment::Sandbox)
        .key("tk_0123456789abcdef")
        .build()?;
    let open = Client::builder(Environment::Sandbox).build()?;
    let default = Client::new()?;

    assert_eq!(production.environment().map(|e| e.name), Some("production"));
    assert_eq!(sandbox.environment().map(|e| e.name), Some("sandbox"));
    assert!(production.has_key() && sandbox.has_key());
    assert!(!open.has_key() && !default.has_key());
    assert_eq!(Environment::default(), Environment::Production);

    // Every environment can be built from its own key prefix.
    for environment in Environment::ALL {
        let key = format!("{}0123456789abcdef", environment.key_prefix());
        let client = Client::builder(*environment).key(key).build()?;
        assert_eq!(
            client.environment().map(|e| e.base_url),
            Some(environment.base_url())
        );
    }

    // A key of one environment is refused by the other before any request is made.
    assert!(
        Client::builder(Environment::Sandbox)
            .key("pk_0123456789abcdef")
            .build()
            .is_err()
    );
    Ok(())
}
