//! `pingform emulator serve`: the PingOne emulator as a standalone server.

use std::path::Path;

use pingone_emulator::{Emulator, Faults, RateLimit};

use crate::Status;
use crate::cli::{FaultArgs, ServeArgs};
use crate::report::CliError;

pub(crate) async fn serve(dir: &Path, args: ServeArgs) -> Result<Status, CliError> {
    let data = args
        .data
        .map(|d| if d.is_absolute() { d } else { dir.join(d) });
    let emulator = Emulator::open(data.as_deref())
        .map_err(|e| CliError::from_error("could not open the emulator's data", &e))?;
    configure_faults(&emulator, &args.faults)?;
    let address = format!("{}:{}", args.host, args.port);
    let listener = tokio::net::TcpListener::bind(&address)
        .await
        .map_err(|e| CliError::from_error(format!("could not listen on {address}"), &e))?;
    let local = listener
        .local_addr()
        .map_err(|e| CliError::from_error("could not read the listening address", &e))?;
    let base_url = format!("http://{local}");
    let credentials = emulator.credentials(&base_url);
    if let Some(path) = &args.credentials_out {
        write_credentials(path, &credentials)?;
    }
    if args.print_env {
        print!("{}", credentials.env_lines());
    }
    eprintln!("PingOne emulator listening on {base_url} (Ctrl-C to stop)");
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    pingone_emulator::serve_with_shutdown(emulator, listener, shutdown)
        .await
        .map_err(|e| CliError::from_error("the emulator stopped with an error", &e))?;
    Ok(Status::Success)
}

fn write_credentials(
    path: &Path,
    credentials: &pingone_emulator::Credentials,
) -> Result<(), CliError> {
    let mut json = serde_json::to_vec_pretty(credentials)
        .map_err(|e| CliError::from_error("could not encode the credentials", &e))?;
    json.push(b'\n');
    state::backend::local::write_atomically(path, &json)
        .map_err(|e| CliError::from_error(format!("could not write `{}`", path.display()), &e))
}

/// Applies the fault and rate-limit flags; invalid values are usage errors.
fn configure_faults(emulator: &Emulator, args: &FaultArgs) -> Result<(), CliError> {
    let invalid =
        |flag: &str, e: &dyn std::fmt::Display| CliError::msg(format!("invalid {flag}: {e}"));
    let error_rates = match &args.error_rate {
        Some(text) => Faults::parse_error_rates(text).map_err(|e| invalid("--error-rate", &e))?,
        None => Vec::new(),
    };
    let faults = Faults {
        latency_ms: args.latency_ms,
        latency_jitter_ms: args.latency_jitter_ms,
        latency_spike_rate: args.latency_spike_rate,
        latency_spike_ms: args.latency_spike_ms,
        error_rates,
        drop_after_commit_rate: args.drop_after_commit_rate,
        env_consistency_ms: args.env_consistency_ms,
        role_consistency_ms: args.role_consistency_ms,
        seed: args.seed,
    };
    emulator
        .set_faults(faults)
        .map_err(|e| invalid("fault settings", &e))?;
    let limit = if args.no_rate_limit {
        RateLimit::DISABLED
    } else {
        RateLimit {
            enabled: true,
            requests_per_second: args
                .rate_limit
                .unwrap_or(RateLimit::PINGONE.requests_per_second),
            burst: args.rate_limit_burst.unwrap_or(RateLimit::PINGONE.burst),
        }
    };
    emulator
        .set_rate_limit(limit)
        .map_err(|e| invalid("rate limit", &e))
}
