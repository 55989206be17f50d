//! PingOne regions: the API region codes and the top-level domains they live under.

/// Region codes in the order PingOne's documentation lists them, with their domains.
const REGIONS: [(&str, &str); 6] = [
    ("NA", "com"),
    ("EU", "eu"),
    ("CA", "ca"),
    ("AP", "asia"),
    ("AU", "com.au"),
    ("SG", "sg"),
];

/// The valid region codes, comma-separated, for error messages.
pub fn valid_codes() -> String {
    REGIONS
        .iter()
        .map(|(code, _)| *code)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The top-level domain of a region code (case-insensitive), or `None` if it is not one.
pub fn top_level_domain(code: &str) -> Option<&'static str> {
    REGIONS
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code.trim()))
        .map(|(_, tld)| *tld)
}

/// `https://api.pingone.<tld>` for a region's domain.
pub fn api_base(tld: &str) -> String {
    format!("https://api.pingone.{tld}")
}

/// `https://auth.pingone.<tld>` for a region's domain.
pub fn auth_base(tld: &str) -> String {
    format!("https://auth.pingone.{tld}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_every_documented_region() {
        let expected = [
            ("NA", "com"),
            ("EU", "eu"),
            ("CA", "ca"),
            ("AP", "asia"),
            ("AU", "com.au"),
            ("SG", "sg"),
        ];
        for (code, tld) in expected {
            assert_eq!(top_level_domain(code), Some(tld), "{code}");
        }
        assert_eq!(api_base("com.au"), "https://api.pingone.com.au");
        assert_eq!(auth_base("eu"), "https://auth.pingone.eu");
    }

    #[test]
    fn codes_are_case_insensitive_and_names_are_not_codes() {
        assert_eq!(top_level_domain("eu"), Some("eu"));
        assert_eq!(top_level_domain("Europe"), None);
        assert_eq!(top_level_domain(""), None);
        assert_eq!(valid_codes(), "NA, EU, CA, AP, AU, SG");
    }
}
