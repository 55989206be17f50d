//! TLS for the PostgreSQL connection, following libpq's `sslmode` and
//! `sslrootcert` in `conn_str` (both the `key=value` and the URL form):
//!
//! - `disable`: no TLS; `prefer` (the default): TLS when the server offers it;
//!   `require`: TLS or no connection. These two check the server's certificate
//!   only when `sslrootcert` is given (as libpq does), else accept any.
//! - `verify-ca`: the certificate must chain to a trusted root;
//! - `verify-full`: that, and it must name the host connected to.
//!
//! The roots are the PEM file `sslrootcert` names, or the system's
//! (`sslrootcert=system`, or nothing given and no `~/.postgresql/root.crt`).
//! tokio-postgres itself knows only `disable`, `prefer` and `require`, and no
//! `sslrootcert`; [`prepare`] takes those out of the string and puts the
//! checks into the rustls configuration instead. Unix-socket connections never
//! use TLS, as with libpq.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use tokio_postgres_rustls::MakeRustlsConnect;

/// How the server's certificate is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verify {
    /// Any certificate (TLS against eavesdropping only).
    Nothing,
    /// It chains to a trusted root, whatever name it has.
    Chain,
    /// It chains to a trusted root and names the host.
    Full,
}

/// The connection settings, and the TLS connector that applies their checks.
pub(crate) struct Prepared {
    /// The settings, with the TLS mode in tokio-postgres's terms.
    pub(crate) config: tokio_postgres::Config,
    /// The connector tokio-postgres uses when TLS is negotiated.
    pub(crate) tls: MakeRustlsConnect,
}

/// Parses `conn_str` with its TLS settings. The error is for the user: it
/// never repeats the connection string, which may hold a password.
pub(crate) fn prepare(conn_str: &str) -> Result<Prepared, String> {
    let split = split_tls_settings(conn_str);
    let (mode, verify) = match split.mode.as_deref().unwrap_or("prefer") {
        m @ ("disable" | "allow" | "prefer" | "require") => {
            let verify = if split.root_cert.is_some() {
                Verify::Chain
            } else {
                Verify::Nothing
            };
            (if m == "allow" { "prefer" } else { m }, verify)
        }
        "verify-ca" => ("require", Verify::Chain),
        "verify-full" => ("require", Verify::Full),
        other => {
            return Err(format!(
                "sslmode `{other}` is not one of disable, allow, prefer, require, verify-ca, verify-full"
            ));
        }
    };
    let rest = match (split.url, split.rest.contains('?')) {
        (true, true) => format!("{}&sslmode={mode}", split.rest),
        (true, false) => format!("{}?sslmode={mode}", split.rest),
        (false, _) => format!("{} sslmode={mode}", split.rest),
    };
    let config = tokio_postgres::Config::from_str(&rest)
        .map_err(|e| format!("the connection string is invalid: {e}"))?;
    let verifier = verifier(verify, split.root_cert.as_deref())?;
    let tls = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup failed: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(Prepared {
        config,
        tls: MakeRustlsConnect::new(tls),
    })
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

fn verifier(
    verify: Verify,
    root_cert: Option<&str>,
) -> Result<Arc<dyn ServerCertVerifier>, String> {
    let algorithms = provider().signature_verification_algorithms;
    if verify == Verify::Nothing {
        return Ok(Arc::new(Relaxed {
            algorithms,
            chain: None,
        }));
    }
    let roots = Arc::new(roots(root_cert)?);
    let webpki = WebPkiServerVerifier::builder_with_provider(roots, provider())
        .build()
        .map_err(|e| format!("TLS setup failed: {e}"))?;
    Ok(match verify {
        Verify::Chain => Arc::new(Relaxed {
            algorithms,
            chain: Some(webpki),
        }),
        _ => webpki,
    })
}

/// The trusted roots: `sslrootcert`'s file, or the system's.
fn roots(root_cert: Option<&str>) -> Result<RootCertStore, String> {
    let file = match root_cert {
        Some("system") => None,
        Some(path) => Some(PathBuf::from(path)),
        None => default_root_cert().filter(|p| p.exists()),
    };
    let mut roots = RootCertStore::empty();
    let Some(file) = file else {
        let found = rustls_native_certs::load_native_certs();
        roots.add_parsable_certificates(found.certs);
        if roots.is_empty() {
            return Err(
                "no system root certificates were found for sslmode verify-ca/verify-full; \
                        set sslrootcert to the server's CA certificate (PEM)"
                    .into(),
            );
        }
        return Ok(roots);
    };
    let unreadable = |e: &dyn std::fmt::Display| {
        format!(
            "sslrootcert `{}` could not be read as PEM certificates: {e}",
            file.display()
        )
    };
    for cert in CertificateDer::pem_file_iter(&file).map_err(|e| unreadable(&e))? {
        roots
            .add(cert.map_err(|e| unreadable(&e))?)
            .map_err(|e| unreadable(&e))?;
    }
    if roots.is_empty() {
        return Err(unreadable(&"it holds no certificate"));
    }
    Ok(roots)
}

/// libpq's default: `~/.postgresql/root.crt`.
fn default_root_cert() -> Option<PathBuf> {
    std::env::var_os("HOME").map(|home| Path::new(&home).join(".postgresql").join("root.crt"))
}

/// A connection string without `sslmode` and `sslrootcert`, and their values.
#[derive(Debug, Default, PartialEq)]
struct Split {
    rest: String,
    url: bool,
    mode: Option<String>,
    root_cert: Option<String>,
}

fn split_tls_settings(conn_str: &str) -> Split {
    let trimmed = conn_str.trim();
    if trimmed.starts_with("postgres://") || trimmed.starts_with("postgresql://") {
        return split_url(trimmed);
    }
    let mut split = Split::default();
    let mut kept = Vec::new();
    let mut tokens = KeyValues { rest: trimmed };
    for (key, value, raw) in &mut tokens {
        match key.as_str() {
            "sslmode" => split.mode = Some(value),
            "sslrootcert" => split.root_cert = Some(value),
            _ => kept.push(raw),
        }
    }
    // Anything the tokenizer could not read is left for tokio-postgres to report.
    kept.push(tokens.rest);
    split.rest = kept.join(" ").trim().to_string();
    split
}

fn split_url(url: &str) -> Split {
    let mut split = Split {
        url: true,
        ..Split::default()
    };
    let Some((base, query)) = url.split_once('?') else {
        split.rest = url.to_string();
        return split;
    };
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let decoded = url::form_urlencoded::parse(pair.as_bytes()).next();
        match decoded {
            Some((key, value)) if key == "sslmode" => split.mode = Some(value.into_owned()),
            Some((key, value)) if key == "sslrootcert" => {
                split.root_cert = Some(value.into_owned());
            }
            _ => kept.push(pair),
        }
    }
    split.rest = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    split
}

/// The `key = value` pairs of a libpq connection string, each with its raw text.
struct KeyValues<'a> {
    rest: &'a str,
}

impl<'a> Iterator for KeyValues<'a> {
    type Item = (String, String, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let start = self.rest.trim_start();
        let key_end = start.find(|c: char| c == '=' || c.is_whitespace())?;
        let key = &start[..key_end];
        let after_key = start[key_end..].trim_start();
        let after_eq = after_key.strip_prefix('=')?.trim_start();
        let (value, used) = read_value(after_eq)?;
        let end = start.len() - after_eq.len() + used;
        self.rest = &start[end..];
        Some((key.to_string(), value, &start[..end]))
    }
}

/// A value, quoted (`'a b'`, with `\'` and `\\`) or bare, and the bytes it took.
fn read_value(text: &str) -> Option<(String, usize)> {
    let mut value = String::new();
    let quoted = text.starts_with('\'');
    let mut chars = text.char_indices().skip(usize::from(quoted));
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => value.push(chars.next()?.1),
            '\'' if quoted => return Some((value, i + 1)),
            c if c.is_whitespace() && !quoted => return Some((value, i)),
            c => value.push(c),
        }
    }
    (!quoted).then_some((value, text.len()))
}

/// A verifier that checks less than the name: nothing (`require` without
/// roots: encryption against eavesdropping only) or the chain alone
/// (`verify-ca`). Handshake signatures are always checked.
#[derive(Debug)]
struct Relaxed {
    algorithms: WebPkiSupportedAlgorithms,
    chain: Option<Arc<WebPkiServerVerifier>>,
}

impl ServerCertVerifier for Relaxed {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
#[path = "postgres_tls_tests.rs"]
mod server_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_value_strings_lose_the_tls_settings_and_keep_the_rest() {
        let split = split_tls_settings(
            "host=db.example.com  sslmode = verify-full password='a b\\'c' sslrootcert='/etc/ca dir/ca.pem' user=x",
        );
        assert_eq!(split.mode.as_deref(), Some("verify-full"));
        assert_eq!(split.root_cert.as_deref(), Some("/etc/ca dir/ca.pem"));
        assert_eq!(split.rest, "host=db.example.com password='a b\\'c' user=x");
        assert!(!split.url);
    }

    #[test]
    fn urls_lose_the_tls_settings_and_keep_the_rest() {
        let split = split_tls_settings(
            "postgres://u:p@db:5432/app?sslmode=verify-ca&application_name=x&sslrootcert=%2Fetc%2Fca.pem",
        );
        assert_eq!(split.mode.as_deref(), Some("verify-ca"));
        assert_eq!(split.root_cert.as_deref(), Some("/etc/ca.pem"));
        assert_eq!(split.rest, "postgres://u:p@db:5432/app?application_name=x");
        let bare = split_tls_settings("postgresql://db/app?sslmode=require");
        assert_eq!(bare.rest, "postgresql://db/app");
    }

    #[test]
    fn modes_map_to_what_tokio_postgres_knows() {
        for (given, expected) in [
            ("host=h", tokio_postgres::config::SslMode::Prefer),
            (
                "host=h sslmode=disable",
                tokio_postgres::config::SslMode::Disable,
            ),
            (
                "host=h sslmode=require",
                tokio_postgres::config::SslMode::Require,
            ),
            (
                "postgres://h/d?sslmode=verify-full&sslrootcert=system",
                tokio_postgres::config::SslMode::Require,
            ),
        ] {
            match prepare(given) {
                Ok(prepared) => assert_eq!(prepared.config.get_ssl_mode(), expected, "{given}"),
                // A machine without system roots can only say so.
                Err(e) => assert!(e.contains("no system root certificates"), "{given}: {e}"),
            }
        }
        let err = prepare("host=h sslmode=sometimes password=hunter2")
            .err()
            .unwrap();
        assert!(
            err.contains("sometimes") && !err.contains("hunter2"),
            "{err}"
        );
        let err = prepare("host=h sslmode=verify-ca sslrootcert=/nonexistent/ca.pem")
            .err()
            .unwrap();
        assert!(err.contains("/nonexistent/ca.pem"), "{err}");
    }
}
