//! A throwaway PostgreSQL server for tests: `initdb` and `pg_ctl` from the
//! machine's postgresql package, in a temporary directory, listening only on a
//! Unix socket inside it.
//!
//! PostgreSQL refuses to run as root, and CI runs as root: the server then
//! runs as the `postgres` user (or `nobody`), which is given the directory.
//! [`TestServer::start_tls`] also listens on 127.0.0.1 with TLS, and refuses
//! TCP connections without it.
//!
//! Without the binaries, [`TestServer::start`] returns `None` and tests skip,
//! unless `PINGFORM_REQUIRE_POSTGRES=1` (set by `.ci/run`) makes that a failure.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A running server; stopped and deleted when dropped.
pub struct TestServer {
    dir: PathBuf,
    bin: PathBuf,
    user: Option<(u32, u32)>,
    port: Option<u16>,
}

impl TestServer {
    /// Starts a server, or returns `None` (after saying why on stderr) when the
    /// PostgreSQL binaries are not installed and they are not required.
    pub fn start() -> Option<TestServer> {
        Self::start_with(None)
    }

    /// Like [`TestServer::start`], and listening on 127.0.0.1 with TLS on,
    /// presenting the PEM certificate (chain) `cert` for the PEM key `key`.
    /// TCP connections without TLS are refused.
    pub fn start_tls(cert: &str, key: &str) -> Option<TestServer> {
        Self::start_with(Some((cert, key)))
    }

    fn start_with(tls: Option<(&str, &str)>) -> Option<TestServer> {
        let Some(bin) = find_bin() else {
            let why = "PostgreSQL tests skipped: no initdb under /usr/lib/postgresql/*/bin \
                       (install the postgresql package, or set PINGFORM_PG_BIN)";
            assert!(
                std::env::var_os("PINGFORM_REQUIRE_POSTGRES").is_none(),
                "{why}, but PINGFORM_REQUIRE_POSTGRES is set"
            );
            eprintln!("{why}");
            return None;
        };
        let dir = std::env::temp_dir().join(format!("pingform-pg-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir(&dir).expect("create the server directory");
        let user = server_user();
        if let Some((uid, gid)) = user {
            std::os::unix::fs::chown(&dir, Some(uid), Some(gid))
                .expect("give the directory to the server user");
        }
        let mut server = TestServer {
            dir,
            bin,
            user,
            port: None,
        };
        server.run(
            "initdb",
            &["-D", "data", "-A", "trust", "-U", "pingform", "--no-sync"],
        );
        let mut options = format!(
            "-k {} -c listen_addresses= -c fsync=off",
            server.dir.display()
        );
        if let Some((cert, key)) = tls {
            options = server.enable_tls(cert, key);
        }
        server.run(
            "pg_ctl",
            &["-D", "data", "-l", "log", "-w", "-o", &options, "start"],
        );
        Some(server)
    }

    /// Writes the certificate, key and a TLS-only `pg_hba.conf`, and returns
    /// the server options that listen on a free 127.0.0.1 port with TLS.
    fn enable_tls(&mut self, cert: &str, key: &str) -> String {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        self.port = Some(port);
        let data = self.dir.join("data");
        let hba = "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 0.0.0.0/0 reject\n";
        for (name, text) in [
            ("server.crt", cert),
            ("server.key", key),
            ("pg_hba.conf", hba),
        ] {
            let path = data.join(name);
            std::fs::write(&path, text).expect("write a server file");
            std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600))
                .expect("restrict a server file");
            if let Some((uid, gid)) = self.user {
                std::os::unix::fs::chown(&path, Some(uid), Some(gid)).expect("give a server file");
            }
        }
        format!(
            "-k {} -c listen_addresses=127.0.0.1 -p {port} -c fsync=off -c ssl=on \
             -c ssl_cert_file=server.crt -c ssl_key_file=server.key",
            self.dir.display()
        )
    }

    /// The TCP port of a server started with [`TestServer::start_tls`].
    pub fn tls_port(&self) -> Option<u16> {
        self.port
    }

    /// A connection string for the `postgres` database as the superuser `pingform`.
    pub fn conn_str(&self) -> String {
        let port = self.port.map(|p| format!(" port={p}")).unwrap_or_default();
        format!(
            "host={}{port} user=pingform dbname=postgres",
            self.dir.display()
        )
    }

    /// Runs one of the server's binaries as the server user, in its directory.
    fn run(&self, name: &str, args: &[&str]) {
        let mut cmd = Command::new(self.bin.join(name));
        cmd.args(args).current_dir(&self.dir).stdin(Stdio::null());
        if let Some((uid, gid)) = self.user {
            cmd.uid(uid).gid(gid);
        }
        let output = cmd.output().unwrap_or_else(|e| panic!("{name} runs: {e}"));
        assert!(
            output.status.success(),
            "{name} {args:?} failed:\n{}\n{}\nlog: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
            std::fs::read_to_string(self.dir.join("log")).unwrap_or_default()
        );
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let mut cmd = Command::new(self.bin.join("pg_ctl"));
        cmd.args(["-D", "data", "-m", "immediate", "-w", "stop"])
            .current_dir(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some((uid, gid)) = self.user {
            cmd.uid(uid).gid(gid);
        }
        let _ = cmd.status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `PINGFORM_PG_BIN`, else the newest `/usr/lib/postgresql/<version>/bin` with `initdb`.
fn find_bin() -> Option<PathBuf> {
    if let Some(bin) = std::env::var_os("PINGFORM_PG_BIN") {
        return Some(PathBuf::from(bin));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, bin)| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

/// When running as root: the `postgres` user if there is one, else `nobody`.
fn server_user() -> Option<(u32, u32)> {
    use std::os::unix::fs::MetadataExt;
    // /proc/self belongs to the process's effective user.
    let uid = std::fs::metadata("/proc/self").map(|m| m.uid()).ok()?;
    if uid != 0 {
        return None;
    }
    Some(passwd_entry("postgres").unwrap_or((65534, 65534)))
}

fn passwd_entry(name: &str) -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string(Path::new("/etc/passwd")).ok()?;
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.first() == Some(&name) && fields.len() > 3)
            .then(|| Some((fields[2].parse().ok()?, fields[3].parse().ok()?)))
            .flatten()
    })
}
