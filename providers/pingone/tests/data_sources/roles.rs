//! `pingone_role` and `pingone_roles`.

use engine::Value;

use super::{failure, found, ids, paged, text};

const ROLE: &str = "pingone_role";

#[tokio::test]
async fn a_role_is_found_by_name_or_id_and_all_roles_page() {
    let h = paged(5).await;
    let by_name = found(&h, ROLE, &[("name", "Identity Data Admin".into())]).await;
    let id = text(&by_name, "id").to_string();
    assert_eq!(id, h.role_id("Identity Data Admin").await);
    assert_eq!(text(&by_name, "role_id"), id);
    let scopes = by_name.get("applicable_to").cloned().unwrap_or(Value::Null);
    assert!(
        matches!(&scopes, Value::List(s) if s.contains(&Value::from("ENVIRONMENT"))),
        "{scopes}"
    );
    assert!(
        matches!(by_name.get("permissions"), Some(Value::List(p)) if !p.is_empty()),
        "{by_name}"
    );

    let by_id = found(&h, ROLE, &[("role_id", id.as_str().into())]).await;
    assert_eq!(by_id, by_name);

    // More roles than one page holds: every page is read.
    let all = found(&h, "pingone_roles", &[]).await;
    let all = ids(&all);
    assert!(all.len() > 5, "{all:?}");
    assert!(all.contains(&id));
    let whole = h
        .client()
        .list_all(&["roles"], "roles")
        .await
        .expect("roles");
    assert_eq!(all.len(), whole.len());
    h.running.shutdown().await;
}

#[tokio::test]
async fn role_lookups_that_cannot_work_say_why() {
    let h = paged(100).await;
    let missing = "00000000-0000-4000-8000-000000000000";
    let err = failure(&h, ROLE, &[("role_id", missing.into())]).await;
    assert!(err.contains("Cannot find role from ID"), "{err}");
    assert!(err.contains(missing), "{err}");

    let err = failure(&h, ROLE, &[("name", "Chief Everything Officer".into())]).await;
    assert!(err.contains("is not a PingOne role"), "{err}");
    assert!(err.contains("Identity Data Admin"), "{err}");

    let err = failure(&h, ROLE, &[]).await;
    assert!(
        err.contains("exactly one of `role_id` or `name` must be set, but none is"),
        "{err}"
    );
    let both = [
        ("role_id", Value::from(missing)),
        ("name", "Environment Admin".into()),
    ];
    let err = failure(&h, ROLE, &both).await;
    assert!(err.contains("`role_id` and `name` are set"), "{err}");
    h.running.shutdown().await;
}
