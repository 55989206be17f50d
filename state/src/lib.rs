//! pingform's state: the record of every object pingform manages.
//!
//! [`model`] owns the versioned document (format version, lineage, serial,
//! resources); [`backend`] moves it to and from storage. The engine reads and
//! updates the model; the CLI picks the backend.

pub mod backend;
pub mod encryption;
pub mod error;
pub mod journal;
pub mod lock;
pub mod model;
#[cfg(all(unix, any(test, feature = "test-support")))]
pub mod testing;
pub mod transfer;
pub mod upgrade;

pub use backend::postgres::{PgSettings, PostgresBackend};
pub use backend::{Backend, local::LocalBackend, local::decode, local::parse};
pub use encryption::Encryption;
pub use error::Error;
pub use journal::Operation;
pub use lock::LockInfo;
pub use model::{FORMAT_VERSION, IndexKey, ModuleStep, PendingCreate, ResourceState, State};
