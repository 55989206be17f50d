//! `pingone_user` and `pingone_users`.

use engine::Value;

use super::{data_filter, failure, found, ids, paged, text};
use crate::support::{Harness, obj};

const USER: &str = "pingone_user";
const USERS: &str = "pingone_users";

/// A population `name` with users `<name>-0`, `<name>-1`, ... (all with `email`).
async fn people(h: &Harness, name: &str, count: usize, email: &str) -> (String, Vec<String>) {
    let population = h
        .create(
            "pingone_population",
            &[("environment_id", h.env()), ("name", name.into())],
        )
        .await
        .expect("create population");
    let population = text(&population, "id").to_string();
    let mut users = Vec::new();
    for n in 0..count {
        let user = h
            .create(
                "pingone_user",
                &[
                    ("environment_id", h.env()),
                    ("population_id", population.as_str().into()),
                    ("username", format!("{name}-{n}").into()),
                    ("email", email.into()),
                    ("name", obj(&[("given", "Ada".into())])),
                ],
            )
            .await
            .expect("create user");
        users.push(text(&user, "id").to_string());
    }
    (population, users)
}

#[tokio::test]
async fn a_user_is_found_by_id_username_or_email() {
    let h = paged(100).await;
    let env = h.env();
    let (population, users) = people(&h, "solo", 1, "solo@example.com").await;
    let by_username = found(
        &h,
        USER,
        &[
            ("environment_id", env.clone()),
            ("username", "solo-0".into()),
        ],
    )
    .await;
    assert_eq!(text(&by_username, "id"), users[0]);
    assert_eq!(text(&by_username, "user_id"), users[0]);
    assert_eq!(text(&by_username, "population_id"), population);
    assert_eq!(by_username.get("enabled"), Some(&Value::Bool(true)));
    assert_eq!(
        by_username.get("name").and_then(|n| n.get("given")),
        Some(&Value::from("Ada"))
    );
    let by_id = found(
        &h,
        USER,
        &[
            ("environment_id", env.clone()),
            ("user_id", users[0].as_str().into()),
        ],
    )
    .await;
    assert_eq!(by_id, by_username);
    let by_email = found(
        &h,
        USER,
        &[
            ("environment_id", env.clone()),
            ("email", "solo@example.com".into()),
        ],
    )
    .await;
    assert_eq!(by_email, by_username);

    let err = failure(
        &h,
        USER,
        &[
            ("environment_id", env.clone()),
            ("username", "nobody".into()),
        ],
    )
    .await;
    assert!(
        err.contains("Cannot find user: Cannot find the requested user"),
        "{err}"
    );
    let err = failure(
        &h,
        USER,
        &[
            ("environment_id", env.clone()),
            ("username", "solo-0".into()),
            ("email", "solo@example.com".into()),
        ],
    )
    .await;
    assert!(
        err.contains("exactly one of `user_id`, `username` or `email` must be set, but `username` and `email` are set"),
        "{err}"
    );
    h.running.shutdown().await;
}

#[tokio::test]
async fn users_are_selected_by_filters_across_pages() {
    let h = paged(2).await;
    let env = h.env();
    let (population, mut users) = people(&h, "team", 3, "team@example.com").await;
    users.sort();

    // Three users share an email: looking one up by it is ambiguous.
    let err = failure(
        &h,
        USER,
        &[
            ("environment_id", env.clone()),
            ("email", "team@example.com".into()),
        ],
    )
    .await;
    assert!(
        err.contains("3 users have email \"team@example.com\""),
        "{err}"
    );

    let filters = Value::List(vec![data_filter("population.id", &[&population])]);
    let listed = found(
        &h,
        USERS,
        &[("environment_id", env.clone()), ("data_filters", filters)],
    )
    .await;
    let mut listed = ids(&listed);
    listed.sort();
    assert_eq!(listed, users, "three users over two pages of two");

    let scim = format!("population.id eq \"{population}\" and username ew \"-1\"");
    let one = found(
        &h,
        USERS,
        &[
            ("environment_id", env.clone()),
            ("scim_filter", scim.into()),
        ],
    )
    .await;
    assert_eq!(ids(&one).len(), 1);

    let err = failure(
        &h,
        USERS,
        &[
            ("environment_id", env.clone()),
            (
                "data_filters",
                Value::List(vec![data_filter("password", &["x"])]),
            ),
        ],
    )
    .await;
    assert!(err.contains("\"password\" cannot be filtered on"), "{err}");
    let err = failure(&h, USERS, &[("environment_id", env.clone())]).await;
    assert!(
        err.contains("exactly one of `scim_filter` or `data_filters`"),
        "{err}"
    );
    h.running.shutdown().await;
}
