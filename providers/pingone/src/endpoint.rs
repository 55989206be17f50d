//! Base URLs: parsing, the HTTPS-except-loopback rule, and appending path segments.
//!
//! Credentials and bearer tokens travel in every request, so plain `http://` is only
//! allowed to the local machine, where the emulator runs.

use std::net::IpAddr;

use url::{Host, Url};

/// Parses a base URL and enforces the HTTPS rule. `what` names the setting and where it
/// came from (for example `api_url (from PINGONE_API_URL)`) for the error message.
pub fn parse_base_url(what: &str, raw: &str) -> Result<Url, String> {
    let url = Url::parse(raw).map_err(|e| format!("{what} {raw:?} is not a valid URL: {e}"))?;
    if url.host().is_none() {
        return Err(format!("{what} {raw:?} has no host name"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "{what} must not contain credentials; use client_id and client_secret"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "{what} {raw:?} must be a base URL without a query or fragment"
        ));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(format!(
            "{what} {raw:?} uses plain http, which would send credentials unencrypted; \
             use https (plain http is only allowed to 127.0.0.1, ::1 or localhost)"
        )),
        other => Err(format!(
            "{what} {raw:?} has scheme {other:?}; only https (or http to a loopback address) is supported"
        )),
    }
}

/// Parses the proxy URL (`http_proxy`): `http://` or `https://` with a host. `what`
/// names the setting and its source for the error message, which never shows a password.
pub fn parse_proxy_url(what: &str, raw: &str) -> Result<Url, String> {
    let shown = redact_userinfo(raw);
    let url = Url::parse(raw).map_err(|e| {
        format!("{what} {shown:?} is not a valid URL: {e}; give one such as http://proxy.example.com:8080")
    })?;
    if url.host().is_none() {
        return Err(format!(
            "{what} {shown:?} has no host name; give one such as http://proxy.example.com:8080"
        ));
    }
    match url.scheme() {
        "http" | "https" => Ok(url),
        other => Err(format!(
            "{what} {shown:?} has scheme {other:?}; only http:// and https:// proxies are supported"
        )),
    }
}

/// `raw` with any `user:password@` replaced by `***@`, for messages and Debug output.
pub fn redact_userinfo(raw: &str) -> String {
    match (raw.find("://"), raw.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}***{}", &raw[..scheme_end + 3], &raw[at..])
        }
        _ => raw.to_string(),
    }
}

/// True when the URL's host is this machine: 127.0.0.0/8, ::1 or `localhost`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// `base` with `segments` appended as percent-encoded path segments, so that IDs taken
/// from configuration cannot change the shape of the path.
pub fn join_segments(base: &Url, segments: &[&str]) -> Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_is_always_allowed() {
        assert!(parse_base_url("api_url", "https://api.pingone.eu").is_ok());
        assert!(parse_base_url("api_url", "https://10.1.2.3:8443/prefix").is_ok());
    }

    #[test]
    fn plain_http_only_to_loopback() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.1.2.3",
            "http://[::1]:9000",
            "http://localhost:3000",
            "http://LOCALHOST",
        ] {
            assert!(parse_base_url("api_url", ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://api.pingone.com",
            "http://10.0.0.1",
            "http://[::2]",
            "http://localhost.example.com",
        ] {
            let err = parse_base_url("api_url (from PINGONE_API_URL)", bad).unwrap_err();
            assert!(err.contains("plain http"), "{err}");
            assert!(err.contains("PINGONE_API_URL"), "{err}");
        }
    }

    #[test]
    fn rejects_other_shapes() {
        assert!(
            parse_base_url("api_url", "ftp://127.0.0.1")
                .unwrap_err()
                .contains("scheme")
        );
        assert!(
            parse_base_url("api_url", "api.pingone.com")
                .unwrap_err()
                .contains("not a valid URL")
        );
        assert!(
            parse_base_url("api_url", "https://u:p@api.pingone.com")
                .unwrap_err()
                .contains("credentials")
        );
        assert!(
            parse_base_url("api_url", "https://api.pingone.com/?x=1")
                .unwrap_err()
                .contains("query")
        );
    }

    #[test]
    fn proxies_are_http_urls_and_their_passwords_never_shown() {
        assert!(parse_proxy_url("http_proxy", "http://127.0.0.1:3128").is_ok());
        let err = parse_proxy_url("http_proxy", "socks5://u:hunter2@proxy:1080").unwrap_err();
        assert!(err.contains("only http:// and https://"), "{err}");
        assert!(
            !err.contains("hunter2") && err.contains("***@proxy"),
            "{err}"
        );
        let err = parse_proxy_url("http_proxy", "proxy.example.com:8080").unwrap_err();
        assert!(err.contains("http://proxy.example.com:8080"), "{err}");
        assert_eq!(redact_userinfo("http://a:b@h:1/x"), "http://***@h:1/x");
        assert_eq!(redact_userinfo("http://h:1"), "http://h:1");
    }

    #[test]
    fn joins_and_encodes_segments() {
        let base = Url::parse("http://127.0.0.1:1/").unwrap();
        let url = join_segments(&base, &["v1", "environments", "a/b c"]);
        assert_eq!(url.as_str(), "http://127.0.0.1:1/v1/environments/a%2Fb%20c");
        let prefixed = Url::parse("https://gw.example.com/pingone/").unwrap();
        assert_eq!(
            join_segments(&prefixed, &["env", "as", "token"]).as_str(),
            "https://gw.example.com/pingone/env/as/token"
        );
    }
}
