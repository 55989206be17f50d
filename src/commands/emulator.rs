//! `pingform emulator serve`: the PingOne emulator as a standalone server.

use std::path::Path;

use pingone_emulator::Emulator;

use crate::Status;
use crate::cli::ServeArgs;
use crate::report::CliError;

pub(crate) async fn serve(dir: &Path, args: ServeArgs) -> Result<Status, CliError> {
    let data = args.data.map(|d| if d.is_absolute() { d } else { dir.join(d) });
    let emulator = Emulator::open(data.as_deref())
        .map_err(|e| CliError::from_error("could not open the emulator's data", &e))?;
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

fn write_credentials(path: &Path, credentials: &pingone_emulator::Credentials) -> Result<(), CliError> {
    let mut json = serde_json::to_vec_pretty(credentials)
        .map_err(|e| CliError::from_error("could not encode the credentials", &e))?;
    json.push(b'\n');
    state::backend::local::write_atomically(path, &json)
        .map_err(|e| CliError::from_error(format!("could not write `{}`", path.display()), &e))
}
