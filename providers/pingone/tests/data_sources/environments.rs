//! `pingone_environment` and `pingone_environments`.

use engine::Value;

use super::{failure, found, ids, paged, text};
use crate::support::obj;

const ENVIRONMENT: &str = "pingone_environment";
const ENVIRONMENTS: &str = "pingone_environments";

#[tokio::test]
async fn an_environment_is_found_by_id_or_by_name_ignoring_case() {
    let h = paged(100).await;
    let admin = h.creds.environment_id.clone();
    let by_id = found(
        &h,
        ENVIRONMENT,
        &[("environment_id", admin.as_str().into())],
    )
    .await;
    assert_eq!(text(&by_id, "id"), admin);
    assert_eq!(text(&by_id, "environment_id"), admin);
    assert_eq!(text(&by_id, "license_id"), h.creds.license_id);
    assert_eq!(text(&by_id, "organization_id"), h.creds.organization_id);
    assert_eq!(
        by_id.get("services"),
        Some(&Value::List(vec![obj(&[("type", "SSO".into())])]))
    );
    let name = text(&by_id, "name").to_string();
    let by_name = found(&h, ENVIRONMENT, &[("name", name.to_uppercase().into())]).await;
    assert_eq!(by_name, by_id);

    let err = failure(&h, ENVIRONMENT, &[("name", "Nowhere".into())]).await;
    assert!(
        err.contains(
            "Cannot find environment from name: The environment \"Nowhere\" cannot be found"
        ),
        "{err}"
    );
    let missing = "00000000-0000-4000-8000-000000000000";
    let err = failure(&h, ENVIRONMENT, &[("environment_id", missing.into())]).await;
    assert!(err.contains("Cannot find environment from ID"), "{err}");
    let both = [
        ("environment_id", Value::from(missing)),
        ("name", "x".into()),
    ];
    let err = failure(&h, ENVIRONMENT, &both).await;
    assert!(
        err.contains("exactly one of `environment_id` or `name`"),
        "{err}"
    );
    h.running.shutdown().await;
}

#[tokio::test]
async fn environments_are_selected_by_scim_filter_across_pages() {
    let h = paged(2).await;
    let mut made = Vec::new();
    for n in 0..3 {
        let config = [
            ("name", format!("data-env-{n}").into()),
            ("license_id", h.creds.license_id.as_str().into()),
            (
                "services",
                Value::List(vec![obj(&[("type", "SSO".into())])]),
            ),
        ];
        let env = h
            .create(ENVIRONMENT, &config)
            .await
            .expect("create environment");
        made.push(text(&env, "id").to_string());
    }
    let filter = [("scim_filter", Value::from("name sw \"data-env\""))];
    let selected = found(&h, ENVIRONMENTS, &filter).await;
    let mut selected = ids(&selected);
    selected.sort();
    made.sort();
    assert_eq!(selected, made, "three environments over two pages of two");

    let by_license = format!("license.id eq \"{}\"", h.creds.license_id);
    let all = found(&h, ENVIRONMENTS, &[("scim_filter", by_license.into())]).await;
    assert_eq!(ids(&all).len(), 4, "the admin environment and the three");

    let err = failure(
        &h,
        ENVIRONMENTS,
        &[("scim_filter", "color eq \"red\"".into())],
    )
    .await;
    assert!(err.contains("INVALID_FILTER"), "{err}");
    let err = failure(&h, ENVIRONMENTS, &[]).await;
    assert!(err.contains("scim_filter is required"), "{err}");
    h.running.shutdown().await;
}
