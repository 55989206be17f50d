//! Tests of `triggers`.
use super::*;
