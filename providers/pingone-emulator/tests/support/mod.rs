//! Helpers shared by the emulator's integration tests. Each test binary uses only some of them.
#![allow(dead_code)]

pub(crate) mod http;
pub(crate) mod openapi;
pub(crate) mod schema;
