//! Command-line arguments. Doc comments here are the `--help` text.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

/// Manage PingOne as code: plan and apply HCL configurations against PingOne.
#[derive(Debug, Parser)]
#[command(name = "pingform", version, about, long_about = None)]
pub(crate) struct Cli {
    /// Run as if started in DIR (where the configuration and state live).
    #[arg(short = 'C', long = "chdir", value_name = "DIR", global = true)]
    pub(crate) chdir: Option<PathBuf>,

    /// Never use colour in output (also when NO_COLOR is set).
    #[arg(long, global = true)]
    pub(crate) no_color: bool,

    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check the configuration for errors, without contacting PingOne.
    Validate(ValidateArgs),
    /// Rewrite configuration files in the canonical layout (as `terraform fmt`).
    Fmt(FmtArgs),
    /// Write the resource dependency graph in Graphviz DOT (`pingform graph | dot -Tsvg`).
    Graph,
    /// List the provider configurations (the default and each alias), what uses
    /// each, and which ones state records objects under, without contacting PingOne.
    Providers,
    /// Show what apply would change.
    Plan(PlanArgs),
    /// Make PingOne match the configuration, or apply a saved plan.
    Apply(ApplyArgs),
    /// Print a saved plan.
    Show(ShowArgs),
    /// Print output values from the state (sensitive ones only with --json or --raw).
    Output(OutputArgs),
    /// Delete every object pingform manages here.
    Destroy(ApplyArgs),
    /// Bring an existing PingOne object under management at ADDR, by its import ID
    /// (such as `<environment_id>/<population_id>`).
    Import(ImportArgs),
    /// Release the state lock held with ID, such as one a stuck run holds.
    ///
    /// With a local state file a dead run cannot hold the lock (the OS releases it), so
    /// this is for a run that is alive but stuck; the ID is in the "state is locked" error.
    ForceUnlock(ForceUnlockArgs),
    /// Read or replace the stored state as JSON (`state pull`, `state push FILE`).
    #[command(subcommand)]
    State(StateCommand),
    /// List, create, select and delete workspaces: separate states for one configuration.
    #[command(subcommand)]
    Workspace(WorkspaceCommand),
    /// Run the local PingOne emulator.
    #[command(subcommand)]
    Emulator(EmulatorCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum StateCommand {
    /// List the addresses of every object in the state.
    List(StateLockArgs),
    /// Show one object's attributes as recorded (sensitive ones masked).
    Show(StateAddressArgs),
    /// Forget objects: they stay in PingOne, but pingform no longer manages them.
    Rm(StateRmArgs),
    /// Record an object under another address (after renaming it in the configuration).
    Mv(StateMvArgs),
    /// Print the stored state (with any unfinished journal folded in) as JSON.
    Pull(StateLockArgs),
    /// Replace the stored state with FILE (`-` for standard input). Refused when FILE
    /// has another lineage or an older serial than the stored state, unless --force.
    Push(StatePushArgs),
}

#[derive(Debug, Args)]
pub(crate) struct StateLockArgs {
    /// How long to wait for another run's state lock, such as `30s`.
    #[arg(long, value_name = "DURATION", default_value = "0s", value_parser = parse_duration)]
    pub(crate) lock_timeout: Duration,
}

#[derive(Debug, Args)]
pub(crate) struct StateAddressArgs {
    /// The object's address, `type.name`.
    #[arg(value_name = "ADDR", value_parser = parse_address)]
    pub(crate) address: engine::ResourceAddress,
    #[command(flatten)]
    pub(crate) lock: StateLockArgs,
}

#[derive(Debug, Args)]
pub(crate) struct StateRmArgs {
    /// The addresses to forget, `type.name`.
    #[arg(value_name = "ADDR", required = true, value_parser = parse_address)]
    pub(crate) addresses: Vec<engine::ResourceAddress>,
    #[command(flatten)]
    pub(crate) lock: StateLockArgs,
}

#[derive(Debug, Args)]
pub(crate) struct StateMvArgs {
    /// The current address.
    #[arg(value_name = "FROM", value_parser = parse_address)]
    pub(crate) from: engine::ResourceAddress,
    /// The new address.
    #[arg(value_name = "TO", value_parser = parse_address)]
    pub(crate) to: engine::ResourceAddress,
    #[command(flatten)]
    pub(crate) lock: StateLockArgs,
}

#[derive(Debug, Args)]
pub(crate) struct StatePushArgs {
    /// The state file to push, or `-` for standard input.
    pub(crate) path: PathBuf,
    /// Push even across lineages or over a newer serial (the stored state is lost).
    #[arg(long)]
    pub(crate) force: bool,
    #[command(flatten)]
    pub(crate) lock: StateLockArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum WorkspaceCommand {
    /// List the workspaces; the selected one is marked with `*`.
    List,
    /// Show the selected workspace.
    Show,
    /// Create a workspace and select it.
    New(WorkspaceName),
    /// Select a workspace for the commands that follow.
    Select(WorkspaceName),
    /// Delete a workspace's state (refused while it manages objects, unless --force).
    Delete(WorkspaceDelete),
}

#[derive(Debug, Args)]
pub(crate) struct WorkspaceName {
    /// The workspace's name: letters, digits, `-`, `_` and `.`.
    pub(crate) name: String,
}

#[derive(Debug, Args)]
pub(crate) struct WorkspaceDelete {
    /// The workspace's name.
    pub(crate) name: String,
    /// Delete it even though it still manages objects (they are forgotten, not destroyed).
    #[arg(long)]
    pub(crate) force: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ForceUnlockArgs {
    /// The lock ID that the "state is locked" error names.
    #[arg(value_name = "ID")]
    pub(crate) id: String,
}

#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// Print the result as JSON, in the shape of `terraform validate -json`.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct FmtArgs {
    /// Change nothing; list the files that are not formatted and exit 3 if there are any.
    #[arg(long)]
    pub(crate) check: bool,
    /// Print the changes as a unified diff.
    #[arg(long)]
    pub(crate) diff: bool,
    /// Also format the files in subdirectories.
    #[arg(long)]
    pub(crate) recursive: bool,
    /// Files and directories to format (default: the current directory's `*.tf`,
    /// `*.tfvars` and `*.hcl` files); `-` formats standard input to standard output.
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
}

/// Options shared by every command that talks to PingOne.
#[derive(Debug, Args, Default)]
pub(crate) struct RunArgs {
    /// Run against an embedded PingOne emulator whose data lives in `.pingform/`
    /// beside the state, instead of a real tenant.
    #[arg(long)]
    pub(crate) emulator: bool,

    /// Set an input variable: `--var name=value` (may repeat). Values of collection,
    /// object and `any` variables are HCL: `--var 'tags={ team = "iam" }'`.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub(crate) vars: Vec<String>,

    /// Read input variables from a `.tfvars` or `.tfvars.json` file (may repeat; read after
    /// `terraform.tfvars` and `*.auto.tfvars`, before `--var`).
    #[arg(long = "var-file", value_name = "FILE")]
    pub(crate) var_files: Vec<PathBuf>,

    /// Only report what changed outside pingform (drift); with apply, accept it into
    /// state without changing any object. With --detailed-exitcode, exit 2 on drift.
    #[arg(long)]
    pub(crate) refresh_only: bool,

    /// Plan only ADDR (`type.name`, or a module: `module.name`) and what it depends on (may repeat).
    #[arg(long = "target", value_name = "ADDR", value_parser = parse_selector)]
    pub(crate) targets: Vec<engine::address::Selector>,

    /// Leave ADDR (a resource or a module) and what depends on it out of the plan (may repeat).
    #[arg(long = "exclude", value_name = "ADDR", value_parser = parse_selector)]
    pub(crate) excludes: Vec<engine::address::Selector>,

    /// Replace ADDR (a resource or a module) even though nothing forces it (may repeat).
    #[arg(long = "replace", value_name = "ADDR", value_parser = parse_selector)]
    pub(crate) replace: Vec<engine::address::Selector>,

    /// Refuse a plan that deletes or replaces more than N objects.
    #[arg(long, value_name = "N")]
    pub(crate) max_deletes: Option<usize>,

    /// Skip reading the live objects before planning.
    #[arg(long = "refresh", default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub(crate) refresh: bool,

    /// How long to wait for another run's state lock, such as `30s` or `5m`. The default,
    /// as in Terraform, is not to wait: fail at once, naming the run that holds it.
    #[arg(long, value_name = "DURATION", default_value = "0s", value_parser = parse_duration)]
    pub(crate) lock_timeout: Duration,
}

/// A resource address `type.name`.
pub(crate) fn parse_address(text: &str) -> Result<engine::ResourceAddress, String> {
    text.parse()
        .map_err(|e: engine::address::AddressError| e.to_string())
}

/// A resource address, or a module address such as `module.team["eng"]`.
pub(crate) fn parse_selector(text: &str) -> Result<engine::address::Selector, String> {
    text.parse()
        .map_err(|e: engine::address::AddressError| e.to_string())
}

/// A duration such as `500ms`, `30s`, `5m` or `1h`; a bare number is seconds.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration; write it like `30s`, `5m` or `500ms`"))?;
    let seconds = match unit {
        "ms" => value / 1000.0,
        "" | "s" => value,
        "m" => value * 60.0,
        "h" => value * 3600.0,
        other => {
            return Err(format!(
                "unknown unit `{other}` in `{text}`; use ms, s, m or h"
            ));
        }
    };
    Duration::try_from_secs_f64(seconds).map_err(|e| format!("`{text}`: {e}"))
}

#[derive(Debug, Args)]
pub(crate) struct PlanArgs {
    #[command(flatten)]
    pub(crate) run: RunArgs,

    /// Exit 0 when there are no changes, 2 when there are, 1 on error.
    #[arg(long)]
    pub(crate) detailed_exitcode: bool,

    /// Plan to delete every managed object.
    #[arg(long)]
    pub(crate) destroy: bool,

    /// Save the plan to FILE; `pingform apply FILE` then applies exactly it, and refuses
    /// if the state or any live object it touches changed in between.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,

    /// Print the plan as JSON in the shape of Terraform's plan JSON.
    #[arg(long, conflicts_with = "markdown")]
    pub(crate) json: bool,

    /// Print the plan as Markdown for a pull-request comment, with a risk section.
    #[arg(long)]
    pub(crate) markdown: bool,

    /// Also list the objects in the managed environments that no configuration
    /// manages (created by hand); with --detailed-exitcode they count as changes.
    #[arg(long)]
    pub(crate) report_unmanaged: bool,
}

#[derive(Debug, Args)]
pub(crate) struct OutputArgs {
    /// Print only this output.
    #[arg(value_name = "NAME")]
    pub(crate) name: Option<String>,

    /// Print as JSON (sensitive values included, marked `"sensitive": true`).
    #[arg(long, conflicts_with = "raw")]
    pub(crate) json: bool,

    /// Print NAME's value alone, unquoted, for scripts (sensitive values included).
    #[arg(long, requires = "name")]
    pub(crate) raw: bool,

    /// Set an input variable the outputs use: `--var name=value` (may repeat).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub(crate) vars: Vec<String>,

    /// Read data sources from the embedded emulator (outputs that use a data
    /// source read it live; they are never stored in state).
    #[arg(long)]
    pub(crate) emulator: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The resource (or instance) to import to; its `resource` block must exist.
    #[arg(value_name = "ADDR", value_parser = parse_address)]
    pub(crate) address: engine::ResourceAddress,

    /// The import ID, in the resource type's format (see the error for a wrong one).
    #[arg(value_name = "ID")]
    pub(crate) id: String,

    #[command(flatten)]
    pub(crate) run: RunArgs,
}

#[derive(Debug, Args)]
pub(crate) struct ShowArgs {
    /// A plan file written by `pingform plan --out FILE`.
    #[arg(value_name = "FILE")]
    pub(crate) file: PathBuf,

    /// Print it as JSON in the shape of Terraform's plan JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ApplyArgs {
    #[command(flatten)]
    pub(crate) run: RunArgs,

    /// Apply without asking for confirmation.
    #[arg(long)]
    pub(crate) auto_approve: bool,

    /// At most N operations at once; each starts as soon as what it depends on is done.
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..))]
    pub(crate) parallelism: u16,

    /// A plan saved by `pingform plan --out FILE`: apply exactly it (no confirmation;
    /// refused if the state or a live object changed since it was made).
    #[arg(value_name = "PLAN_FILE")]
    pub(crate) plan_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum EmulatorCommand {
    /// Serve the PingOne API (token endpoint and /v1) on one port until interrupted.
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) host: String,

    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    pub(crate) port: u16,

    /// Keep the tenant in this JSON file: loaded at start, rewritten after every change.
    #[arg(long, value_name = "FILE")]
    pub(crate) data: Option<PathBuf>,

    /// Write the admin worker app's credentials and URLs as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub(crate) credentials_out: Option<PathBuf>,

    /// Print `export PINGONE_...=` lines for a shell.
    #[arg(long)]
    pub(crate) print_env: bool,

    #[command(flatten)]
    pub(crate) faults: FaultArgs,
}

/// Fault injection and rate limiting of `emulator serve` (changeable at run time through
/// `/__emulator/faults` and `/__emulator/rate-limit`).
#[derive(Debug, Args)]
#[command(next_help_heading = "Faults and rate limits")]
pub(crate) struct FaultArgs {
    /// Add this many milliseconds to every request.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub(crate) latency_ms: u64,

    /// Add up to this many milliseconds more, at random.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub(crate) latency_jitter_ms: u64,

    /// Probability (0 to 1) that a request is also delayed by a latency spike of
    /// --latency-spike-ms, e.g. 0.02.
    #[arg(
        long,
        value_name = "RATE",
        default_value_t = 0.0,
        requires = "latency_spike_ms"
    )]
    pub(crate) latency_spike_rate: f64,

    /// The extra delay of a latency spike, in milliseconds, e.g. 500.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub(crate) latency_spike_ms: u64,

    /// Answer errors at random instead of handling requests, e.g. `503=0.05,429=0.02`
    /// (statuses 429, 500, 502, 503, 504).
    #[arg(long, value_name = "STATUS=RATE,...")]
    pub(crate) error_rate: Option<String>,

    /// Probability that a successful change is committed and then the connection is dropped.
    #[arg(long, value_name = "RATE", default_value_t = 0.0)]
    pub(crate) drop_after_commit_rate: f64,

    /// A new environment answers 403 (404 for itself) for this many milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub(crate) env_consistency_ms: u64,

    /// A new role assignment takes effect after this many milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub(crate) role_consistency_ms: u64,

    /// Seed of the random faults, for reproducible runs.
    #[arg(long, value_name = "N")]
    pub(crate) seed: Option<u64>,

    /// Requests per second allowed per license (PingOne-like default: 100).
    #[arg(long, value_name = "RPS")]
    pub(crate) rate_limit: Option<f64>,

    /// Requests a license may send at once (default 200).
    #[arg(long, value_name = "N")]
    pub(crate) rate_limit_burst: Option<u32>,

    /// Do not rate-limit at all.
    #[arg(long, conflicts_with_all = ["rate_limit", "rate_limit_burst"])]
    pub(crate) no_rate_limit: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(parse_duration("0s"), Ok(Duration::ZERO));
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("1.5h"), Ok(Duration::from_secs(5400)));
        assert!(
            parse_duration("5 parsecs")
                .unwrap_err()
                .contains("unknown unit")
        );
        assert!(
            parse_duration("soon")
                .unwrap_err()
                .contains("not a duration")
        );
    }
}
