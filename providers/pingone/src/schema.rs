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
    let population =
        AttrType::Object([("contains_users_force_delete".to_string(), AttrType::Bool)].into());
    let global_options = AttrType::Object([("population".to_string(), population)].into());
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
            "api_access_token",
            string(
                "A bearer token obtained elsewhere, instead of client_id, client_secret and \
                 environment_id (PINGONE_API_ACCESS_TOKEN).",
            )
            .sensitive(),
        )
        .attr(
            "http_proxy",
            string(
                "The proxy for every request, such as http://proxy.example.com:8080 \
                 (else HTTPS_PROXY/HTTP_PROXY, honouring NO_PROXY).",
            ),
        )
        .attr(
            "append_user_agent",
            string(
                "Text appended to the User-Agent (PINGFORM_APPEND_USER_AGENT or \
                 PINGONE_TF_APPEND_USER_AGENT).",
            ),
        )
        .attr(
            "global_options",
            AttributeSchema::new(
                global_options,
                Presence::Optional,
                "global_options { population { contains_users_force_delete = true } }: \
                 deleting a population deletes its users first (SANDBOX environments only).",
            ),
        )
        .attr(
            "service_endpoints",
            AttributeSchema::new(
                endpoints,
                Presence::Optional,
                "Host names of the API and auth services: \
                 service_endpoints { api_hostname, auth_hostname } (both or neither).",
            )
            .nested("api_hostname", hostname())
            .nested("auth_hostname", hostname()),
        )
}

/// A host name in `service_endpoints`: Terraform requires both.
fn hostname() -> AttributeSchema {
    AttributeSchema::new(AttrType::String, Presence::Required, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_attributes_optional_and_only_the_secrets_sensitive() {
        let block = provider_block();
        assert_eq!(block.attributes.len(), 12);
        for (name, attr) in &block.attributes {
            assert_eq!(attr.presence, Presence::Optional, "{name}");
            let secret = name == "client_secret" || name == "api_access_token";
            assert_eq!(attr.sensitive, secret, "{name}");
        }
    }
}
