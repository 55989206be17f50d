//! IP address functions: `cidrhost`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::Call;
use crate::eval::expr::EvalResult;
use crate::eval::value::Value;

/// `cidrhost(prefix, hostnum)`: the address of host number `hostnum` in the network
/// `prefix`; a negative number counts back from the end of the range.
pub(super) fn cidrhost(call: &Call) -> EvalResult {
    let prefix = call.string(0)?;
    let hostnum = call.integer(1)?;
    let bad_prefix = |why: &str| {
        call.invalid(
            0,
            "not a CIDR prefix",
            format!("invalid CIDR expression: {why}."),
        )
    };
    let (addr, bits) = prefix
        .split_once('/')
        .ok_or_else(|| bad_prefix("missing `/`"))?;
    let addr: IpAddr = addr.parse().map_err(|_| bad_prefix("not an IP address"))?;
    let bits: u32 = bits.parse().map_err(|_| bad_prefix("bad prefix length"))?;
    let (value, width) = match addr {
        IpAddr::V4(a) => (u32::from(a) as u128, 32),
        IpAddr::V6(a) => (u128::from(a), 128),
    };
    if bits > width {
        return Err(bad_prefix("prefix length too long"));
    }
    let host_bits = width - bits;
    let size: u128 = if host_bits >= 128 {
        u128::MAX
    } else {
        1u128 << host_bits
    };
    let network = if host_bits >= 128 {
        0
    } else {
        value & !(size - 1)
    };
    let offset = if hostnum < 0 {
        size.checked_sub(hostnum.unsigned_abs() as u128)
    } else {
        Some(hostnum as u128)
    };
    let offset = offset
        .filter(|o| host_bits >= 128 || *o < size)
        .ok_or_else(|| {
            call.invalid(
                1,
                "outside the network",
                format!("prefix of {bits} does not accommodate a host numbered {hostnum}."),
            )
        })?;
    let host = network + offset;
    let text = match addr {
        IpAddr::V4(_) => Ipv4Addr::from(host as u32).to_string(),
        IpAddr::V6(_) => Ipv6Addr::from(host).to_string(),
    };
    Ok(Value::String(text))
}
