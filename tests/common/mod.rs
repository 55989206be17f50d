//! Helpers for end-to-end tests of the `pingform` binary: a copy of an example
//! to work in, and `pingform emulator serve` as a child process.

#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;

/// A `pingform` command working in `dir`, with no PingOne settings from the caller's environment.
pub fn pingform(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("pingform").expect("the pingform binary is built");
    cmd.arg("-C").arg(dir).arg("--no-color");
    for (key, _) in std::env::vars() {
        if key.starts_with("PINGONE_")
            || key.starts_with("TF_VAR_")
            || key.starts_with("PINGFORM_VAR_")
            || key == "PINGFORM_WORKSPACE"
            || key == "PINGFORM_PG_CONN_STR"
            || key.starts_with("PINGFORM_STATE_PASSPHRASE")
        {
            cmd.env_remove(key);
        }
    }
    cmd.stdin(Stdio::null());
    cmd
}

/// The output of a finished command.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `cmd` to completion.
pub fn run(cmd: &mut Command) -> Run {
    let output = cmd.output().expect("pingform runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// A temporary copy of `examples/<name>` (with its module directories; not
/// the emulator data or state a local run may have left).
pub fn example(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    copy_tree(&source, dir.path());
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("example exists") {
        let entry = entry.expect("dir entry");
        let (path, name) = (entry.path(), entry.file_name());
        if path.is_file() {
            std::fs::copy(&path, to.join(&name)).expect("copy");
        } else if path.is_dir() && !name.to_string_lossy().starts_with('.') {
            std::fs::create_dir_all(to.join(&name)).expect("mkdir");
            copy_tree(&path, &to.join(&name));
        }
    }
}

/// Credentials written by `pingform emulator serve --credentials-out`.
#[derive(serde::Deserialize, Debug, Clone)]
pub struct Credentials {
    pub organization_id: String,
    pub license_id: String,
    pub environment_id: String,
    pub client_id: String,
    pub client_secret: String,
    pub region_code: String,
    pub api_url: String,
    pub auth_url: String,
}

/// `pingform emulator serve` in a child process; killed on drop.
pub struct Served {
    child: Child,
    pub credentials: Credentials,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the emulator on a free port with its data in `data`.
pub fn serve(data: &Path) -> Served {
    let creds_file: PathBuf = data.with_extension("credentials.json");
    let _ = std::fs::remove_file(&creds_file);
    let child = Command::cargo_bin("pingform")
        .expect("the pingform binary is built")
        .args(["emulator", "serve", "--port", "0", "--data"])
        .arg(data)
        .arg("--credentials-out")
        .arg(&creds_file)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the emulator starts");
    let deadline = Instant::now() + Duration::from_secs(30);
    let credentials = loop {
        if let Ok(text) = std::fs::read_to_string(&creds_file)
            && let Ok(c) = serde_json::from_str(&text)
        {
            break c;
        }
        assert!(
            Instant::now() < deadline,
            "the emulator wrote no credentials within 30 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    Served { child, credentials }
}

impl Served {
    /// The PINGONE_* variables that point pingform at this emulator.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        let c = &self.credentials;
        vec![
            ("PINGONE_CLIENT_ID", c.client_id.clone()),
            ("PINGONE_CLIENT_SECRET", c.client_secret.clone()),
            ("PINGONE_ENVIRONMENT_ID", c.environment_id.clone()),
            ("PINGONE_REGION_CODE", c.region_code.clone()),
            ("PINGONE_API_URL", c.api_url.clone()),
            ("PINGONE_AUTH_URL", c.auth_url.clone()),
        ]
    }

    /// GETs `path` (under `/v1`) from the emulator's API with a fresh token.
    pub fn get(&self, path: &str) -> serde_json::Value {
        self.request(reqwest::Method::GET, path, None)
    }

    /// Sends `method` to `path` (under `/v1`) with an optional JSON body and a fresh
    /// token, as a person changing the tenant by hand would; returns the JSON answer.
    pub fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> serde_json::Value {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let c = &self.credentials;
            let http = reqwest::Client::new();
            let token: serde_json::Value = http
                .post(format!("{}/{}/as/token", c.auth_url, c.environment_id))
                .basic_auth(&c.client_id, Some(&c.client_secret))
                .form(&[("grant_type", "client_credentials")])
                .send()
                .await
                .expect("token request")
                .json()
                .await
                .expect("token JSON");
            let access = token["access_token"]
                .as_str()
                .expect("access_token")
                .to_string();
            let mut request = http
                .request(method.clone(), format!("{}/v1{path}", c.api_url))
                .bearer_auth(access);
            if let Some(body) = body {
                request = request.json(&body);
            }
            let response = request.send().await.expect("API request");
            assert!(
                response.status().is_success(),
                "{method} {path}: {}",
                response.status()
            );
            if response.status() == reqwest::StatusCode::NO_CONTENT {
                return serde_json::Value::Null;
            }
            response.json().await.expect("API JSON")
        })
    }
}

/// A working directory whose `main.tf` declares `count` populations named
/// `<prefix>-00`, `<prefix>-01`, ... in the environment given by `var.environment_id`.
pub fn populations_config(count: usize, prefix: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    write_populations(dir.path(), count, prefix);
    dir
}

/// (Re)writes `dir/main.tf` as [`populations_config`] does.
pub fn write_populations(dir: &Path, count: usize, prefix: &str) {
    let mut text = String::from("variable \"environment_id\" {\n  type = string\n}\n");
    for i in 0..count {
        text.push_str(&format!(
            "\nresource \"pingone_population\" \"p{i:02}\" {{\n  environment_id = var.environment_id\n  name           = \"{prefix}-{i:02}\"\n}}\n"
        ));
    }
    std::fs::write(dir.join("main.tf"), text).expect("write main.tf");
}

impl Served {
    /// `pingform <args>` in `dir` against this emulator, with `environment_id` set to its environment.
    pub fn pingform(&self, dir: &Path, args: &[&str]) -> Command {
        let mut cmd = pingform(dir);
        cmd.args(args)
            .envs(self.env())
            .env("TF_VAR_environment_id", &self.credentials.environment_id);
        cmd
    }

    /// The names of the populations in the emulator's admin environment, sorted, duplicates kept.
    pub fn population_names(&self) -> Vec<String> {
        let env = &self.credentials.environment_id;
        let list = self.get(&format!("/environments/{env}/populations?limit=1000"));
        let mut names: Vec<String> = list["_embedded"]["populations"]
            .as_array()
            .expect("populations array")
            .iter()
            .map(|p| p["name"].as_str().unwrap_or_default().to_string())
            .collect();
        names.sort();
        names
    }
}

/// The state file in `dir`, parsed.
pub fn state_json(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("pingform.tfstate")).expect("state file");
    serde_json::from_str(&text).expect("state JSON")
}

/// The id recorded in state for `type.name`.
pub fn state_id(dir: &Path, type_name: &str, name: &str) -> String {
    let state = state_json(dir);
    let resources = state["resources"].as_array().expect("resources");
    let found = resources
        .iter()
        .find(|r| r["type"] == type_name && r["name"] == name)
        .unwrap_or_else(|| panic!("{type_name}.{name} in state: {state}"));
    found["attributes"]["id"].as_str().expect("id").to_string()
}

/// An ordinary user to run as when the tests run as root (who may write anywhere,
/// so "read-only" means nothing to it): `nobody`, as `(uid, gid)`. `None` when not root.
#[cfg(unix)]
pub fn unprivileged_user() -> Option<(u32, u32)> {
    use std::os::unix::fs::MetadataExt;
    // /proc/self belongs to the process's effective user.
    let uid = std::fs::metadata("/proc/self")
        .map(|m| m.uid())
        .unwrap_or(u32::MAX);
    (uid == 0).then_some((65534, 65534))
}

/// Makes `user` (if any) own `dir` and everything in it.
#[cfg(unix)]
pub fn chown_tree(dir: &Path, uid: u32, gid: u32) {
    std::os::unix::fs::chown(dir, Some(uid), Some(gid)).expect("chown");
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            chown_tree(&path, uid, gid);
        } else {
            std::os::unix::fs::chown(&path, Some(uid), Some(gid)).expect("chown");
        }
    }
}

/// Runs `cmd` as `user` when one is given (the caller is root then).
#[cfg(unix)]
pub fn as_user(cmd: &mut Command, user: Option<(u32, u32)>) -> &mut Command {
    use std::os::unix::process::CommandExt;
    if let Some((uid, gid)) = user {
        cmd.uid(uid).gid(gid);
    }
    cmd
}
