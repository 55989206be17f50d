//! The schema of the `provider "pingone"` block.

use engine::provider::{AttrType, AttributeSchema, BlockSchema, Presence};

/// The provider block's attributes; all optional, as each falls back to an environment variable.
pub fn provider_block() -> BlockSchema {
    let string =
        |description| AttributeSchema::new(AttrType::String, Presence::Optional, description);
    let endpoints = AttrType::Object(
        [
            ("api_hostname".to_string(), AttrType::String),
            ("auth_hostname".to_string(), AttrType::String),
        ]
        .into(),
    );
    BlockSchema::default()
        .attr(
            "client_id",
            string("The worker application's client ID (PINGONE_CLIENT_ID)."),
        )
        .attr(
            "client_secret",
            string("The worker application's client secret (PINGONE_CLIENT_SECRET).").sensitive(),
        )
        .attr(
            "environment_id",
            string("The environment that hosts the worker application (PINGONE_ENVIRONMENT_ID)."),
        )
        .attr(
            "region_code",
            string("The region: NA, EU, CA, AP, AU or SG (PINGONE_REGION_CODE)."),
        )
        .attr(
            "api_url",
            string("The API base URL instead of https://api.pingone.<tld> (PINGONE_API_URL)."),
        )
        .attr(
            "auth_url",
            string("The auth base URL instead of https://auth.pingone.<tld> (PINGONE_AUTH_URL)."),
        )
        .attr(
            "requests_per_second",
            AttributeSchema::new(
                AttrType::Number,
                Presence::Optional,
                "Requests per second to PingOne, shared by all parallel work (PINGONE_REQUESTS_PER_SECOND).",
            ),
        )
        .attr(
            "service_endpoints",
            AttributeSchema::new(
                endpoints,
                Presence::Optional,
                "Host names of the API and auth services: { api_hostname, auth_hostname }.",
            ),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_attributes_optional_and_only_the_secret_sensitive() {
        let block = provider_block();
        assert_eq!(block.attributes.len(), 8);
        for (name, attr) in &block.attributes {
            assert_eq!(attr.presence, Presence::Optional, "{name}");
            assert_eq!(attr.sensitive, name == "client_secret", "{name}");
        }
    }
}
