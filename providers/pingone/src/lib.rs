//! pingform's PingOne provider: an HTTP client for the PingOne management API and the
//! resource types built on it, behind the engine's [`engine::provider::Provider`] trait.
//!
//! - [`settings`]: connection settings from overrides, the provider block or `PINGONE_*`;
//! - [`client`]: token, retries, error bodies and paging;
//! - [`resources`]: one module per resource type, such as [`resources::population`];
//! - [`data`]: the data sources, such as [`data::role`];
//! - [`PingOneProvider`]: the provider the engine talks to.
//!
//! ```no_run
//! use pingone::{PingOneProvider, Settings};
//! let provider = PingOneProvider::new(Settings::default());
//! ```

pub mod client;
pub mod data;
pub mod endpoint;
mod fields;
mod nested;
mod provider;
pub mod region;
mod resolve;
pub mod resources;
pub mod risks;
pub mod schema;
pub mod settings;
mod unmanaged;
mod values;

pub use client::{ApiError, Client, ClientConfig, ClientError, ClientOptions, RetryPolicy};
pub use provider::PingOneProvider;
pub use settings::Settings;
