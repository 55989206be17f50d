//! `sslmode` against a real server with TLS on and a certificate made here
//! (skipped, with a message, where PostgreSQL is not installed).

use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};

use crate::backend::Backend;
use crate::backend::postgres::{PgSettings, PostgresBackend};
use crate::testing::TestServer;
use crate::{Error, State};

/// A CA, and a certificate it signed for `localhost` only: (CA PEM, server chain PEM, key PEM).
fn certificates() -> (String, String, String) {
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let server = CertificateParams::new(vec!["localhost".to_string()])
        .unwrap()
        .signed_by(&key, &ca)
        .unwrap();
    (ca.pem(), server.pem(), key.serialize_pem())
}

fn connect(conn_str: String) -> Result<PostgresBackend, Error> {
    PostgresBackend::connect(PgSettings {
        conn_str,
        schema: "pingform_tls".into(),
        workspace: "default".into(),
    })
}

/// Whether the backend's own session is encrypted, as the server sees it.
fn uses_tls(backend: &PostgresBackend) -> bool {
    backend
        .call(|rt, client| {
            let sql = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";
            let row = rt
                .block_on(client.query_one(sql, &[]))
                .map_err(|e| e.to_string())?;
            Ok(row.get(0))
        })
        .unwrap()
}

#[test]
fn every_sslmode_connects_or_refuses_as_libpq_does() {
    let (ca, chain, key) = certificates();
    let Some(server) = TestServer::start_tls(&chain, &key) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &ca).unwrap();
    let (other_ca, _, _) = certificates();
    let other_ca_file = dir.path().join("other-ca.pem");
    std::fs::write(&other_ca_file, other_ca).unwrap();
    let port = server.tls_port().unwrap();
    let tcp = |host: &str, extra: &str| {
        format!("host={host} hostaddr=127.0.0.1 port={port} user=pingform dbname=postgres {extra}")
    };
    let root = |file: &std::path::Path| format!("sslrootcert='{}'", file.display());

    // require: encrypted, any certificate; the state round-trips over it.
    let backend = connect(tcp("127.0.0.1", "sslmode=require")).unwrap();
    assert!(uses_tls(&backend));
    backend.lock("apply", Duration::ZERO).unwrap();
    let mut state = State::new();
    state.serial = 3;
    backend.store(&state).unwrap();
    assert_eq!(backend.load().unwrap(), Some(state));
    drop(backend);

    // The default (prefer) negotiates TLS too; disable is refused by this server.
    assert!(uses_tls(&connect(tcp("127.0.0.1", "")).unwrap()));
    let err = connect(tcp("127.0.0.1", "sslmode=disable")).unwrap_err();
    assert!(err.to_string().contains("no encryption"), "{err}");

    // verify-full: the chain and the name; the URL form works alike.
    let full = connect(tcp(
        "localhost",
        &format!("sslmode=verify-full {}", root(&ca_file)),
    ))
    .unwrap();
    assert!(uses_tls(&full));
    let url = format!(
        "postgres://pingform@localhost:{port}/postgres?hostaddr=127.0.0.1&sslmode=verify-full&sslrootcert={}",
        ca_file.display()
    );
    assert!(uses_tls(&connect(url).unwrap()));
    let err = connect(tcp(
        "127.0.0.1",
        &format!("sslmode=verify-full {}", root(&ca_file)),
    ))
    .unwrap_err();
    assert!(
        err.to_string()
            .to_lowercase()
            .contains("not valid for name"),
        "{err}"
    );

    // verify-ca: the chain only, so another host name is fine but another CA is not.
    assert!(uses_tls(
        &connect(tcp(
            "127.0.0.1",
            &format!("sslmode=verify-ca {}", root(&ca_file))
        ))
        .unwrap()
    ));
    for mode in ["verify-ca", "require"] {
        let err = connect(tcp(
            "localhost",
            &format!("sslmode={mode} {}", root(&other_ca_file)),
        ))
        .unwrap_err();
        assert!(
            err.to_string().contains("invalid peer certificate"),
            "{mode}: {err}"
        );
    }
}
