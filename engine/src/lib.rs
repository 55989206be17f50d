//! pingform's provider-agnostic core.
//!
//! Data flows one way through the layers:
//!
//! ```text
//! config (load .tf/.hcl) -> eval (values) -> graph (dependencies)
//!     -> plan (refresh, diff) -> render (text) / apply (walk, persist)
//! ```
//!
//! The engine knows nothing of PingOne: it talks to providers through the
//! [`provider::Provider`] trait and reports progress to an observer
//! (`apply::ApplyObserver`); it never prints.
//!
//! Crate graph: `pingform` (CLI) -> `engine`, `state`, `pingone`, `pingone-emulator`;
//! `pingone` -> `engine` -> `state`. The emulator depends on none of them.

pub mod address;
pub mod apply;
pub mod checks;
pub mod config;
pub mod diagnostics;
pub mod eval;
pub mod format;
pub mod graph;
pub mod outputs;
pub mod plan;
#[cfg(test)]
mod proptests;
pub mod provider;
pub mod provider_config;
pub mod providers;
pub mod recover;
pub mod render;
pub mod variables;

pub use address::{InstanceKey, Mode, ResourceAddress};
pub use eval::value::Value;
pub use provider_config::ProviderConfigRef;
