//! What the examples share: building a client from the environment, and failing with
//! one readable line instead of a panic.

use std::process::ExitCode;

use headout_client::{Client, Environment, WithKey};

/// Builds a keyed client from `HEADOUT_API_KEY` and `HEADOUT_ENVIRONMENT` (`sandbox` by
/// default, so that trying an example never books anything real). Every problem comes
/// back as one line to print.
pub fn client_from_env() -> Result<Client<WithKey>, String> {
    let key = std::env::var("HEADOUT_API_KEY").map_err(|_| {
        "set HEADOUT_API_KEY to your Headout key (tk_… for the sandbox) to run this example"
            .to_string()
    })?;
    let wanted = std::env::var("HEADOUT_ENVIRONMENT").unwrap_or_else(|_| "sandbox".into());
    let environment = Environment::ALL
        .iter()
        .copied()
        .find(|environment| environment.name() == wanted)
        .ok_or_else(|| {
            let names: Vec<&str> = Environment::ALL.iter().map(|e| e.name()).collect();
            format!(
                "HEADOUT_ENVIRONMENT is `{wanted}`; use one of: {}",
                names.join(", ")
            )
        })?;
    Client::builder(environment)
        .key(key)
        .build()
        .map_err(|error| error.to_string())
}

/// Prints the error of a failed run on one line and picks the exit code.
pub fn report(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
