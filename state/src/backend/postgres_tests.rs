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

fn intent(name: &str) -> Operation {
    Operation::BeginCreate {
        intent: crate::PendingCreate {
            module: Vec::new(),
            type_name: "t".into(),
            name: name.into(),
            index_key: None,
            provider: "p".into(),
            planned: serde_json::json!({"name": name}),
            dependencies: vec![],
        },
    }
}

/// The serial and object name of every journal row, in order.
fn journaled(backend: &PostgresBackend) -> Vec<(u64, String)> {
    let name = |operation: &Operation| match operation {
        Operation::Upsert { resource } => resource.name.clone(),
        Operation::BeginCreate { intent } => intent.name.clone(),
        other => panic!("unexpected {other:?}"),
    };
    let records = backend.read_journal(0).unwrap();
    records
        .iter()
        .map(|r| (r.serial, name(&r.operation)))
        .collect()
}

#[test]
fn a_batch_whose_serial_collides_writes_nothing() {
    with_server(|server| {
        let mine = PostgresBackend::connect(settings(server, "collide")).unwrap();
        let mut state = State::new();
        for name in ["a", "b"] {
            let operation = Operation::Upsert {
                resource: object(name),
            };
            commit(&mine, &mut state, operation);
        }
        let theirs = PostgresBackend::connect(settings(server, "collide")).unwrap();
        let before = journaled(&mine);
        assert_eq!(before, [(1, "a".to_string()), (2, "b".to_string())]);
        // Another writer that saw serial 1 only: its batch's first serial (2) is taken.
        // Both kinds of batch: plain records, and intents (which are committed durably).
        let upserts: Vec<Operation> = ["x", "y", "z"]
            .map(|name| Operation::Upsert {
                resource: object(name),
            })
            .into();
        let intents: Vec<Operation> = ["x", "y", "z"].map(intent).into();
        for batch in [upserts, intents] {
            let mut stale = State {
                lineage: state.lineage.clone(),
                serial: 1,
                ..State::new()
            };
            for operation in &batch {
                operation.apply_to(&mut stale);
            }
            stale.serial += batch.len() as u64;
            let err = theirs.record_all(&stale, &batch).unwrap_err();
            assert!(
                matches!(
                    err,
                    Error::Conflict {
                        expected: 1,
                        found: 4,
                        ..
                    }
                ),
                "{err}"
            );
            assert_eq!(journaled(&mine), before, "serials 3 and 4 were not written");
        }
        // The refused batch left no transaction open: the next append commits.
        let mut after = state.clone();
        let operation = intent("c");
        operation.apply_to(&mut after);
        after.serial += 1;
        theirs.record(&after, &operation).unwrap();
        let operation = Operation::Upsert {
            resource: object("c"),
        };
        operation.apply_to(&mut after);
        after.serial += 1;
        theirs.record(&after, &operation).unwrap();
        assert_eq!(
            journaled(&mine).last(),
            Some(&(4, "c".to_string())),
            "seen from the other connection"
        );
        assert_eq!(mine.load().unwrap().as_ref(), Some(&after));
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

/// Whether the server's WAL is flushed up to its end, as it is right after a
/// synchronous commit (with no other writer), and the session's `synchronous_commit`.
fn flushed_and_setting(backend: &PostgresBackend) -> (bool, String) {
    let sql = "SELECT pg_current_wal_flush_lsn() >= pg_current_wal_insert_lsn(), \
               current_setting('synchronous_commit')";
    backend
        .call(move |rt, client| {
            let row = rt.block_on(client.query_one(sql, &[])).map_err(describe)?;
            Ok((row.get(0), row.get(1)))
        })
        .unwrap()
}

#[test]
fn intents_wait_for_the_wal_flush_and_other_rows_do_not() {
    with_server(|server| {
        let backend = PostgresBackend::connect(settings(server, "modes")).unwrap();
        let mut state = State::new();
        let rounds = 40;
        let (mut intents_flushed, mut others_flushed) = (0, 0);
        for i in 0..rounds {
            commit(&backend, &mut state, intent(&format!("o{i}")));
            let (flushed, setting) = flushed_and_setting(&backend);
            intents_flushed += usize::from(flushed);
            assert_eq!(setting, "on", "nothing changed the session's setting");
            let operation = Operation::Upsert {
                resource: object(&format!("o{i}")),
            };
            commit(&backend, &mut state, operation);
            let (flushed, setting) = flushed_and_setting(&backend);
            others_flushed += usize::from(flushed);
            assert_eq!(setting, "on", "the lazy commit's setting ended with it");
        }
        // Margins for the server's own WAL records (unflushed after an intent) and
        // the WAL writer's flushes (which may beat the query that follows a lazy row).
        assert!(
            intents_flushed >= rounds - 4,
            "only {intents_flushed} of {rounds} intents were flushed when acknowledged"
        );
        assert!(
            others_flushed <= rounds / 2,
            "{others_flushed} of {rounds} other rows were flushed when acknowledged: \
             their commits waited for the flush"
        );
    });
}
