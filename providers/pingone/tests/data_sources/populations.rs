//! `pingone_population` and `pingone_populations`.

use engine::Value;

use super::{data_filter, failure, found, ids, paged, text};

const POPULATION: &str = "pingone_population";
const POPULATIONS: &str = "pingone_populations";

#[tokio::test]
async fn a_population_is_found_by_name_or_id() {
    let h = paged(100).await;
    let env = h.env();
    let default = found(
        &h,
        POPULATION,
        &[("environment_id", env.clone()), ("name", "default".into())],
    )
    .await;
    assert_eq!(text(&default, "name"), "Default");
    assert_eq!(default.get("default"), Some(&Value::Bool(true)));
    assert_eq!(default.get("user_count"), Some(&Value::Number(0.0)));
    let id = text(&default, "id").to_string();
    assert_eq!(text(&default, "population_id"), id);

    let by_id = found(
        &h,
        POPULATION,
        &[
            ("environment_id", env.clone()),
            ("population_id", id.as_str().into()),
        ],
    )
    .await;
    assert_eq!(by_id, default);

    let err = failure(
        &h,
        POPULATION,
        &[("environment_id", env.clone()), ("name", "Nobody".into())],
    )
    .await;
    assert!(
        err.contains("Population not found: The population \"Nobody\" for environment"),
        "{err}"
    );
    let missing = "00000000-0000-4000-8000-000000000000";
    let err = failure(
        &h,
        POPULATION,
        &[
            ("environment_id", env.clone()),
            ("population_id", missing.into()),
        ],
    )
    .await;
    assert!(err.contains("Population not found"), "{err}");
    let err = failure(&h, POPULATION, &[("environment_id", env.clone())]).await;
    assert!(
        err.contains("exactly one of `population_id` or `name`"),
        "{err}"
    );
    let err = failure(&h, POPULATION, &[("name", "Default".into())]).await;
    assert!(err.contains("environment_id is required"), "{err}");
    h.running.shutdown().await;
}

#[tokio::test]
async fn populations_are_selected_by_filters_across_pages() {
    let h = paged(2).await;
    let env = h.env();
    let mut made = Vec::new();
    let mut by_name = std::collections::HashMap::new();
    for name in ["data-a", "data-b", "data-c"] {
        let p = h
            .create(
                POPULATION,
                &[("environment_id", env.clone()), ("name", name.into())],
            )
            .await
            .expect("create population");
        made.push(text(&p, "id").to_string());
        by_name.insert(name, text(&p, "id").to_string());
    }
    let scim = found(
        &h,
        POPULATIONS,
        &[
            ("environment_id", env.clone()),
            ("scim_filter", "name sw \"data-\"".into()),
        ],
    )
    .await;
    let mut selected = ids(&scim);
    selected.sort();
    made.sort();
    assert_eq!(selected, made, "three populations over two pages of two");
    assert_eq!(text(&scim, "id"), text(&scim, "environment_id"));

    let filters = Value::List(vec![data_filter("name", &["data-a", "data-c", "Default"])]);
    let listed = found(
        &h,
        POPULATIONS,
        &[
            ("environment_id", env.clone()),
            ("data_filters", filters.clone()),
        ],
    )
    .await;
    let listed = ids(&listed);
    assert_eq!(listed.len(), 3, "{listed:?}");
    assert!(listed.contains(&by_name["data-a"]) && listed.contains(&by_name["data-c"]));
    assert_eq!(
        found(
            &h,
            POPULATIONS,
            &[
                ("environment_id", env.clone()),
                ("data_filters", filters.clone())
            ]
        )
        .await
        .get("data_filters"),
        Some(&filters),
        "the arguments are read back as given"
    );

    let err = failure(
        &h,
        POPULATIONS,
        &[
            ("environment_id", env.clone()),
            (
                "data_filters",
                Value::List(vec![data_filter("theme.id", &["x"])]),
            ),
        ],
    )
    .await;
    assert!(
        err.contains("\"theme.id\" cannot be filtered on; use one of id, name"),
        "{err}"
    );
    let err = failure(
        &h,
        POPULATIONS,
        &[
            ("environment_id", env.clone()),
            ("scim_filter", "name sw \"x\"".into()),
            ("data_filters", filters),
        ],
    )
    .await;
    assert!(
        err.contains("`scim_filter` and `data_filters` are set"),
        "{err}"
    );
    h.running.shutdown().await;
}
