//! `pingform import ADDR ID`: read an existing object by its import ID and
//! record it in state at ADDR, whose `resource` block must already exist.
//! The next plan shows any difference between the object and its configuration.

use std::path::Path;

use crate::Status;
use crate::cli::ImportArgs;
use crate::report::CliError;
use crate::session::{Session, state_error};

pub(crate) async fn run(dir: &Path, args: ImportArgs) -> Result<Status, CliError> {
    let address = &args.address;
    let mut session = Session::open(dir, &args.run, "import").await?;
    check_configured(&session, address)?;
    if address.in_state(&session.state).is_some() {
        return Err(
            CliError::msg(format!("`{address}` is already managed by pingform")).with_hint(
                format!("to manage another object there, first `pingform state rm {address}`"),
            ),
        );
    }
    let by = session.config.resource(&address.block()).map_or_else(
        || engine::ProviderConfigRef::implied_by(address),
        engine::ProviderConfigRef::for_resource,
    );
    let value = engine::plan::import::read_imported(&session.providers, &by, address, &args.id)
        .await
        .map_err(|e| CliError::from_error(format!("could not import `{address}`"), &e))?;
    let attributes = value
        .to_json()
        .ok_or_else(|| CliError::msg("the provider returned values that are still unknown"))?;
    let dependencies = session
        .graph
        .dependencies(address)
        .iter()
        .map(ToString::to_string)
        .collect();
    session
        .state
        .upsert(address.to_state_managed_by(&by, attributes, dependencies));
    session.state.serial += 1;
    session
        .backend
        .store(&session.state)
        .map_err(|e| state_error("could not store the state", &e))?;
    println!("{address}: Import prepared!");
    println!("\nImport successful! `{address}` is now managed by pingform.");
    println!("Run `pingform plan` to see how it differs from its configuration.");
    Ok(Status::Success)
}

/// The configuration must declare ADDR, so the imported object has a configuration.
fn check_configured(session: &Session, address: &engine::ResourceAddress) -> Result<(), CliError> {
    let Some(block) = session.config.resource(&address.block()) else {
        return Err(
            CliError::msg(format!("`{}` is not in the configuration", address.block())).with_hint(
                format!(
                    "add `resource \"{}\" \"{}\" {{ ... }}` first, then import to it",
                    address.type_name, address.name
                ),
            ),
        );
    };
    match (block.repetition.is_some(), address.key.is_some()) {
        (true, false) => Err(CliError::msg(format!(
            "`{address}` has several instances (count or for_each); import to one, such as `{address}[0]` or `{address}[\"key\"]`"
        ))),
        (false, true) => Err(CliError::msg(format!(
            "`{}` has no count or for_each; import to `{}`",
            address.block(),
            address.block()
        ))),
        _ => Ok(()),
    }
}
