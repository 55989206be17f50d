//! The PostgreSQL backend against a real server started for these tests
//! (skipped, with a message, where PostgreSQL is not installed).

use std::time::Duration;

use super::*;
use crate::ResourceState;
use crate::testing::TestServer;

fn settings(server: &TestServer, workspace: &str) -> PgSettings {
    PgSettings {
        conn_str: server.conn_str(),
        schema: "pingform_test".into(),
        workspace: workspace.into(),
    }
}

fn object(name: &str) -> ResourceState {
    ResourceState {
        module: Vec::new(),
        type_name: "t".into(),
        name: name.into(),
        index_key: None,
        provider: "p".into(),
        attributes: serde_json::json!({"id": name}),
        dependencies: vec![],
    }
}

fn commit(backend: &PostgresBackend, state: &mut State, operation: Operation) {
    operation.apply_to(state);
    state.serial += 1;
    backend.record(state, &operation).unwrap();
}

/// A server of its own for each test (a shared one would outlive the test
/// process: statics are never dropped).
fn with_server(test: impl FnOnce(&TestServer)) {
    if let Some(server) = TestServer::start() {
        test(&server);
    }
}

#[test]
fn operations_are_journaled_and_recovered_by_the_next_run() {
    with_server(|server| {
        let mut state = State::new();
        {
            let backend = PostgresBackend::connect(settings(server, "journal")).unwrap();
            backend.lock("apply", Duration::ZERO).unwrap();
            assert!(backend.recover().unwrap().is_none());
            for name in ["a", "b"] {
                commit(
                    &backend,
                    &mut state,
                    Operation::Upsert {
                        resource: object(name),
                    },
                );
            }
            // Dropped without a final store, as a killed run would leave it.
        }
        let backend = PostgresBackend::connect(settings(server, "journal")).unwrap();
        backend.lock("apply", Duration::ZERO).unwrap();
        assert_eq!(backend.recover().unwrap().as_ref(), Some(&state));
        assert!(
            backend.read_journal(0).unwrap().is_empty(),
            "recovery compacted the journal"
        );
        commit(
            &backend,
            &mut state,
            Operation::Upsert {
                resource: object("c"),
            },
        );
        backend.store(&state).unwrap();
        assert_eq!(backend.load().unwrap().unwrap().resources.len(), 3);
    });
}

#[test]
fn a_write_based_on_an_old_serial_is_refused() {
    with_server(|server| {
        let first = PostgresBackend::connect(settings(server, "cas")).unwrap();
        let mut state = State::new();
        state.serial = 1;
        first.store(&state).unwrap();
        let second = PostgresBackend::connect(settings(server, "cas")).unwrap();
        let mut theirs = second.load().unwrap().unwrap();
        assert_eq!(first.load().unwrap().unwrap(), theirs);
        theirs.serial = 2;
        second.store(&theirs).unwrap();
        state.serial = 2;
        let err = first.store(&state).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Conflict {
                    expected: 1,
                    found: 2,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("workspace `cas`"), "{err}");
    });
}

#[test]
fn the_advisory_lock_keeps_a_second_run_out_and_names_the_holder() {
    with_server(|server| {
        let holder = PostgresBackend::connect(settings(server, "locked")).unwrap();
        assert!(holder.lock("apply", Duration::ZERO).unwrap().is_none());
        let other = PostgresBackend::connect(settings(server, "locked")).unwrap();
        let err = other.lock("plan", Duration::from_millis(300)).unwrap_err();
        let Error::Locked {
            holder: Some(info), ..
        } = &err
        else {
            panic!("{err}")
        };
        assert_eq!(info.operation, "apply");
        assert!(err.to_string().contains(&info.id), "{err}");
        let elsewhere = PostgresBackend::connect(settings(server, "unrelated")).unwrap();
        elsewhere
            .lock("apply", Duration::ZERO)
            .expect("other workspaces are not locked");
        drop(holder);
        assert!(
            other.lock("plan", Duration::ZERO).unwrap().is_none(),
            "a clean release leaves no row"
        );
    });
}

#[test]
fn a_holder_whose_session_died_is_reported() {
    with_server(|server| {
        let dead = LockInfo::new("apply", "elsewhere");
        let backend = PostgresBackend::connect(settings(server, "stale")).unwrap();
        let sql = format!(
            "INSERT INTO {} (workspace, info) VALUES ('stale', $1)",
            backend.table("locks")
        );
        let text = serde_json::to_string(&dead).unwrap();
        backend
            .call(move |rt, c| {
                rt.block_on(c.execute(&sql, &[&text]))
                    .map(drop)
                    .map_err(describe)
            })
            .unwrap();
        let abandoned = backend.lock("apply", Duration::ZERO).unwrap();
        assert_eq!(abandoned.map(|i| i.id), Some(dead.id));
    });
}

#[test]
fn workspaces_are_listed_created_and_deleted() {
    with_server(|server| {
        let backend = PostgresBackend::connect(PgSettings {
            schema: "pingform_ws".into(),
            ..settings(server, DEFAULT_WORKSPACE)
        })
        .unwrap();
        assert_eq!(backend.workspaces().unwrap(), ["default"]);
        backend.create_workspace("staging").unwrap();
        assert!(
            backend
                .create_workspace("staging")
                .unwrap_err()
                .to_string()
                .contains("already exists")
        );
        assert_eq!(backend.workspaces().unwrap(), ["default", "staging"]);
        let staging = PostgresBackend::connect(PgSettings {
            schema: "pingform_ws".into(),
            ..settings(server, "staging")
        })
        .unwrap();
        let mut state = staging.load().unwrap().unwrap();
        commit(
            &staging,
            &mut state,
            Operation::Upsert {
                resource: object("a"),
            },
        );
        staging.store(&state).unwrap();
        drop(staging);
        let refused = backend.delete_workspace("staging", false).unwrap_err();
        assert!(
            refused.to_string().contains("still manages 1 object"),
            "{refused}"
        );
        backend.delete_workspace("staging", true).unwrap();
        assert_eq!(backend.workspaces().unwrap(), ["default"]);
        assert!(backend.delete_workspace("default", true).is_err());
    });
}

#[test]
fn a_wrong_connection_string_is_a_clear_error() {
    with_server(|server| {
        let err = PostgresBackend::connect(PgSettings {
            conn_str: format!("{} user=nobody_here", server.conn_str()),
            ..settings(server, "x")
        })
        .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("could not connect") && text.contains("nobody_here"),
            "{text}"
        );
        assert!(err.hint().unwrap().contains("PINGFORM_PG_CONN_STR"));
    });
}

fn encrypted(
    server: &TestServer,
    current: Option<&str>,
    previous: Option<&str>,
) -> PostgresBackend {
    let keys = Encryption::new(
        current.map(secrecy::SecretString::from),
        previous.map(secrecy::SecretString::from),
    );
    PostgresBackend::connect(settings(server, "sealed"))
        .unwrap()
        .with_encryption(Arc::new(keys))
}

/// Every `data` and `record` text stored for the `sealed` workspace.
fn stored_texts(backend: &PostgresBackend) -> Vec<String> {
    let (states, journal) = (backend.table("states"), backend.table("journal"));
    backend
        .call(move |rt, client| {
            let sql = format!(
                "SELECT data FROM {states} WHERE name = 'sealed'
                 UNION ALL SELECT record FROM {journal} WHERE workspace = 'sealed'"
            );
            let rows = rt.block_on(client.query(&sql, &[])).map_err(describe)?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
        .unwrap()
}

#[test]
fn the_stored_document_and_journal_rows_are_encrypted_and_keys_rotate() {
    with_server(|server| {
        let mut state = State::new();
        state.upsert(object("alice"));
        state.serial = 1;
        {
            let a = encrypted(server, Some("A"), None);
            a.lock("apply", Duration::ZERO).unwrap();
            a.store(&state).unwrap();
            commit(
                &a,
                &mut state,
                Operation::Upsert {
                    resource: object("bob"),
                },
            );
            let texts = stored_texts(&a);
            assert_eq!(texts.len(), 2, "the row and one journal row");
            for text in &texts {
                assert!(text.starts_with(r#"{"pingform_encrypted":1"#), "{text}");
                assert!(!text.contains("alice") && !text.contains("bob"), "{text}");
            }
        }
        let err = encrypted(server, None, None).load().unwrap_err();
        assert!(matches!(err, Error::PassphraseMissing { .. }), "{err}");
        assert!(err.to_string().contains("workspace `sealed`"), "{err}");

        let rotating = encrypted(server, Some("B"), Some("A"));
        rotating.lock("apply", Duration::ZERO).unwrap();
        assert_eq!(rotating.recover().unwrap().as_ref(), Some(&state));
        drop(rotating);
        assert_eq!(
            encrypted(server, Some("B"), None).load().unwrap().as_ref(),
            Some(&state),
            "recovery compacted the journal and wrote the row with the new passphrase"
        );
        let err = encrypted(server, Some("A"), None).load().unwrap_err();
        assert!(matches!(err, Error::WrongPassphrase { .. }), "{err}");
    });
}
