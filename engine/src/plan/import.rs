//! Importing: adopting an object that exists in the service but not in state,
//! from its import ID (`pingform import ADDR ID`, or an `import { to, id }`
//! block planned with everything else).
//!
//! An import ID is the attributes the schema's `import_id` lists, joined by
//! `/` (such as `environment_id/id`); the object is then read like any
//! refresh, so an import costs one read.

use crate::ResourceAddress;
use crate::Value;
use crate::provider::{ObjectRef, ProviderError, ReadManyRequest};
use crate::providers::Providers;

/// Why an object could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// No provider offers the type, or it cannot be imported.
    #[error("`{address}` cannot be imported: {why}")]
    NotImportable {
        /// The address imported to.
        address: String,
        /// Why not.
        why: String,
    },
    /// The ID does not have the type's format.
    #[error(
        "Unexpected Import Identifier: invalid import ID specified (\"{id}\"). The ID should be in \
         the format \"{format}\""
    )]
    BadId {
        /// The ID given.
        id: String,
        /// The expected format, such as `environment_id/id`.
        format: String,
    },
    /// Nothing has that ID.
    #[error(
        "Cannot import non-existent remote object: `{address}` found nothing with the ID \"{id}\""
    )]
    NotFound {
        /// The address imported to.
        address: String,
        /// The ID given.
        id: String,
    },
    /// Reading failed.
    #[error("importing `{address}`: {source}")]
    Provider {
        /// The address imported to.
        address: String,
        /// The provider's error.
        source: ProviderError,
    },
}

/// Reads the object `id` names, for `address`, through the provider
/// configuration `by` (the resource block's): all its attributes.
pub async fn read_imported(
    providers: &Providers,
    by: &crate::ProviderConfigRef,
    address: &ResourceAddress,
    id: &str,
) -> Result<Value, ImportError> {
    let not_importable = |why: &str| ImportError::NotImportable {
        address: address.to_string(),
        why: why.to_string(),
    };
    if address.is_data() {
        return Err(not_importable("data sources are read, not imported"));
    }
    let provider = providers.configuration(by).ok_or_else(|| {
        not_importable(&format!(
            "the provider configuration `{by}` is not configured"
        ))
    })?;
    let schema = provider
        .schema()
        .resources
        .get(&address.type_name)
        .ok_or_else(|| not_importable("no provider offers its type"))?;
    if schema.import_id.is_empty() {
        return Err(not_importable("its type has no import ID"));
    }
    let well_formed = schema.import_part.unwrap_or(|_| true);
    let prior = prior_from_id(&schema.import_id, well_formed, id)?;
    let request = ReadManyRequest {
        type_name: address.type_name.clone(),
        objects: vec![ObjectRef {
            address: address.to_string(),
            prior,
        }],
    };
    let response = provider
        .read_many(request)
        .await
        .map_err(|source| ImportError::Provider {
            address: address.to_string(),
            source,
        })?;
    let found = response.objects.into_iter().next().flatten();
    found.ok_or_else(|| ImportError::NotFound {
        address: address.to_string(),
        id: id.to_string(),
    })
}

/// The attributes `id` names, as the prior state of a read.
fn prior_from_id(
    format: &[String],
    well_formed: fn(&str) -> bool,
    id: &str,
) -> Result<Value, ImportError> {
    let parts: Vec<&str> = id.split('/').collect();
    let bad = || ImportError::BadId {
        id: id.to_string(),
        format: format.join("/"),
    };
    let bad_part = |p: &&str| p.is_empty() || !well_formed(p);
    if parts.len() != format.len() || parts.iter().any(bad_part) {
        return Err(bad());
    }
    let attributes = format
        .iter()
        .zip(parts)
        .map(|(name, part)| (name.clone(), Value::String(part.to_string())))
        .collect();
    Ok(Value::Object(attributes))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENV: &str = "a2b4c6d8-0000-4000-8000-00000000e001";

    /// The providers' rule stands in for a real one here.
    fn uuid_like(part: &str) -> bool {
        part.len() == 36
    }
    const ID: &str = "223fea39-71ac-4a3b-945c-991e1036d0cf";

    #[test]
    fn an_id_names_the_attributes_of_the_format() {
        let format = ["environment_id".to_string(), "id".to_string()];
        let prior = prior_from_id(&format, uuid_like, &format!("{ENV}/{ID}")).unwrap();
        assert_eq!(
            prior.get("environment_id").and_then(Value::as_str),
            Some(ENV)
        );
        assert_eq!(prior.get("id").and_then(Value::as_str), Some(ID));
    }

    #[test]
    fn a_malformed_id_says_what_format_was_expected() {
        let format = ["environment_id".to_string(), "id".to_string()];
        for id in [
            ID.to_string(),
            format!("{ENV}/nope"),
            format!("{ENV}/{ID}/{ID}"),
            String::new(),
        ] {
            let error = prior_from_id(&format, uuid_like, &id)
                .unwrap_err()
                .to_string();
            assert!(error.contains("Unexpected Import Identifier"), "{error}");
            assert!(error.contains("\"environment_id/id\""), "{error}");
        }
    }
}
