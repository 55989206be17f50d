//! `pingone_organization`, `pingone_licenses` and `pingone_application_secret`.

use engine::Value;
use engine::provider::Provider;
use pingone_emulator::Emulator;

use super::{data_filter, failure, found, ids, options, paged, text};
use crate::support::{obj, start_on};

const ORGANIZATION: &str = "pingone_organization";
const LICENSES: &str = "pingone_licenses";
const SECRET: &str = "pingone_application_secret";

#[tokio::test]
async fn the_organization_is_found_by_id_or_name() {
    let h = paged(100).await;
    let org = h.creds.organization_id.clone();
    let by_id = found(
        &h,
        ORGANIZATION,
        &[("organization_id", org.as_str().into())],
    )
    .await;
    assert_eq!(text(&by_id, "id"), org);
    assert_eq!(text(&by_id, "type"), "PAID");
    let name = text(&by_id, "name").to_string();
    let by_name = found(&h, ORGANIZATION, &[("name", name.as_str().into())]).await;
    assert_eq!(by_name, by_id);

    let err = failure(&h, ORGANIZATION, &[("name", name.to_uppercase().into())]).await;
    assert!(
        err.contains("Cannot find organization from name: The organization"),
        "names match exactly: {err}"
    );
    let other = "00000000-0000-4000-8000-000000000000";
    let err = failure(&h, ORGANIZATION, &[("organization_id", other.into())]).await;
    assert!(
        err.contains("Cannot find organization from ID: The organization \"00000000-"),
        "{err}"
    );
    let err = failure(&h, ORGANIZATION, &[]).await;
    assert!(
        err.contains("exactly one of `organization_id` or `name`"),
        "{err}"
    );
    h.running.shutdown().await;
}

/// An emulator whose organization holds `extra` more licenses than the seeded one,
/// named `extra-<n>` and EXPIRED.
fn with_licenses(dir: &std::path::Path, extra: usize) -> Emulator {
    let file = dir.join("tenant.json");
    drop(Emulator::open(Some(&file)).expect("seed the data file"));
    let text = std::fs::read_to_string(&file).expect("read the data file");
    let mut tenant: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let licenses = tenant["licenses"].as_array_mut().expect("licenses");
    let seeded = licenses[0].clone();
    for n in 0..extra {
        let mut license = seeded.clone();
        license["id"] = format!("00000000-0000-4000-8000-0000000000{n:02}").into();
        license["name"] = format!("extra-{n}").into();
        license["status"] = "EXPIRED".into();
        licenses.push(license);
    }
    std::fs::write(&file, tenant.to_string()).expect("write the data file");
    Emulator::open(Some(&file)).expect("open the prepared tenant")
}

#[tokio::test]
async fn licenses_are_selected_by_filters_across_pages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let h = start_on(with_licenses(dir.path(), 4), options(2)).await;
    let org = Value::from(h.creds.organization_id.as_str());
    let active = Value::List(vec![data_filter("status", &["ACTIVE"])]);
    let listed = found(
        &h,
        LICENSES,
        &[("organization_id", org.clone()), ("data_filters", active)],
    )
    .await;
    assert_eq!(ids(&listed), std::slice::from_ref(&h.creds.license_id));
    assert_eq!(text(&listed, "id"), h.creds.organization_id);

    let expired = found(
        &h,
        LICENSES,
        &[
            ("organization_id", org.clone()),
            ("scim_filter", "status eq \"EXPIRED\"".into()),
        ],
    )
    .await;
    assert_eq!(
        ids(&expired).len(),
        4,
        "four licenses over two pages of two"
    );

    let some = Value::List(vec![
        data_filter("status", &["EXPIRED"]),
        data_filter("name", &["extra-1", "extra-3", "Emulator license"]),
    ]);
    let both = found(
        &h,
        LICENSES,
        &[("organization_id", org.clone()), ("data_filters", some)],
    )
    .await;
    assert_eq!(ids(&both).len(), 2, "every filter must match");

    let err = failure(
        &h,
        LICENSES,
        &[
            ("organization_id", org.clone()),
            ("data_filters", Value::List(vec![data_filter("id", &["x"])])),
        ],
    )
    .await;
    assert!(err.contains("use one of name, package, status"), "{err}");
    let err = failure(&h, LICENSES, &[("organization_id", org)]).await;
    assert!(
        err.contains("exactly one of `scim_filter` or `data_filters`"),
        "{err}"
    );
    h.running.shutdown().await;
}

#[tokio::test]
async fn an_application_secret_is_read_with_its_previous_one() {
    let h = paged(100).await;
    let app = h
        .create(
            "pingone_application",
            &[
                ("environment_id", h.env()),
                ("name", "data-worker".into()),
                ("oidc_options", crate::support::worker_options()),
            ],
        )
        .await
        .expect("create app");
    let args = [
        ("environment_id", h.env()),
        (
            "application_id",
            app.get("id").cloned().unwrap_or(Value::Null),
        ),
    ];
    let first = found(&h, SECRET, &args).await;
    let secret = text(&first, "secret").to_string();
    assert!(secret.len() >= 64, "{secret}");
    assert_eq!(first.get("previous"), Some(&Value::Null));
    let schema = &h.provider.schema().data_sources[SECRET];
    assert!(schema.attributes["secret"].sensitive && schema.attributes["previous"].sensitive);

    // Rotate, keeping the old secret valid for a while: both are read.
    let expires = (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339();
    h.create(
        "pingone_application_secret",
        &[
            args[0].clone(),
            args[1].clone(),
            ("previous", obj(&[("expires_at", expires.as_str().into())])),
        ],
    )
    .await
    .expect("rotate");
    let rotated = found(&h, SECRET, &args).await;
    assert_ne!(text(&rotated, "secret"), secret);
    let previous = rotated.get("previous").cloned().unwrap_or(Value::Null);
    assert_eq!(previous.get("secret"), Some(&Value::from(secret.as_str())));
    assert!(
        text(&previous, "expires_at").starts_with(&expires[..10]),
        "{previous}"
    );

    let missing = "00000000-0000-4000-8000-000000000000";
    let err = failure(
        &h,
        SECRET,
        &[args[0].clone(), ("application_id", missing.into())],
    )
    .await;
    assert!(err.contains("404") || err.contains("NOT_FOUND"), "{err}");
    let err = failure(&h, SECRET, &[args[0].clone()]).await;
    assert!(err.contains("application_id is required"), "{err}");
    h.running.shutdown().await;
}
