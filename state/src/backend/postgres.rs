//! The PostgreSQL backend, for teams and CI runners that share state, in the
//! manner of Terraform's `pg` backend: one row per workspace in
//! `<schema>.states`, writes that check the serial they expect
//! (compare-and-swap), and a session-level advisory lock
//! (`pg_try_advisory_lock`) so that two runs never apply at once; the server
//! drops it when the holder's connection dies.
//!
//! Like the local backend, single operations go to a journal table
//! (`<schema>.journal`, one row each) and are folded into the state row at the
//! end of a run, so that persisting one operation costs one small insert: one
//! prepared statement per batch, one round trip (see `Appends`).
//!
//! With a passphrase set (see `encryption`), the state row's document and
//! each journal row are encrypted envelopes; lock rows are not secret.
//!
//! `sslmode` (up to `verify-full`) and `sslrootcert` in the connection string
//! work as with libpq; see `postgres_tls`.
//!
//! The [`Backend`] trait is synchronous and called from async code, so the
//! connection lives on a thread of its own with its own runtime; calls are
//! sent to it over a channel.

use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, Statement};

use super::Backend;
use crate::journal::{self, Record};
use crate::{Encryption, Error, LockInfo, Operation, State};

/// The workspace every backend starts with.
pub const DEFAULT_WORKSPACE: &str = "default";

/// Where the state lives in PostgreSQL.
#[derive(Clone, Debug)]
pub struct PgSettings {
    /// A libpq-style connection string or URL.
    pub conn_str: String,
    /// The schema holding the tables; created when missing.
    pub schema: String,
    /// The workspace (the state row's name).
    pub workspace: String,
}

type Job = Box<dyn FnOnce(&tokio::runtime::Runtime, &Client) + Send>;

/// State in a PostgreSQL database.
pub struct PostgresBackend {
    settings: PgSettings,
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
    /// The serial of the state row as last read or written: the expected value
    /// of the next compare-and-swap. `None` when the row does not exist.
    row_serial: Mutex<Option<u64>>,
    locked: Mutex<bool>,
    encryption: Arc<Encryption>,
    /// The journal inserts, prepared on this connection at their first use and
    /// reused, so that appending costs no preparing round trip.
    appends: Mutex<Option<Appends>>,
}

impl std::fmt::Debug for PostgresBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The connection string may hold a password.
        f.debug_struct("PostgresBackend")
            .field("schema", &self.settings.schema)
            .field("workspace", &self.settings.workspace)
            .finish_non_exhaustive()
    }
}

impl PostgresBackend {
    /// Connects and creates the schema and tables when missing.
    pub fn connect(settings: PgSettings) -> Result<Self, Error> {
        check_identifier(&settings.schema, "schema_name")?;
        check_workspace(&settings.workspace)?;
        let location = location(&settings);
        let (jobs, ready) = (mpsc::channel::<Job>(), mpsc::channel());
        let conn_str = settings.conn_str.clone();
        let thread = std::thread::Builder::new()
            .name("pingform-pg".into())
            .spawn(move || serve(&conn_str, &jobs.1, &ready.0))
            .map_err(|e| pg_error(&location, &e.to_string()))?;
        match ready.1.recv() {
            Ok(Ok(())) => {}
            Ok(Err(message)) => return Err(pg_error(&location, &message)),
            Err(_) => return Err(pg_error(&location, "the connection thread stopped")),
        }
        let backend = Self {
            settings,
            jobs: Mutex::new(Some(jobs.0)),
            thread: Mutex::new(Some(thread)),
            row_serial: Mutex::new(None),
            locked: Mutex::new(false),
            encryption: Arc::default(),
            appends: Mutex::new(None),
        };
        backend.create_tables()?;
        Ok(backend)
    }

    /// The same backend, reading and writing state encrypted as `encryption` says.
    pub fn with_encryption(mut self, encryption: Arc<Encryption>) -> Self {
        self.encryption = encryption;
        self
    }

    /// `plain` as stored: encrypted when a passphrase is set.
    fn encode(&self, plain: Vec<u8>) -> Result<String, Error> {
        let stored = self.encryption.encrypt(plain)?;
        String::from_utf8(stored).map_err(|e| self.error(&e.to_string()))
    }

    /// Runs `f` on the connection's thread and waits for its result.
    pub(crate) fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&tokio::runtime::Runtime, &Client) -> Result<T, String> + Send + 'static,
    ) -> Result<T, Error> {
        let (tx, rx) = mpsc::sync_channel(1);
        let job: Job = Box::new(move |rt, client| {
            let _ = tx.send(f(rt, client));
        });
        let sent = guard(&self.jobs).as_ref().map(|jobs| jobs.send(job));
        if !matches!(sent, Some(Ok(()))) {
            return Err(self.error("the connection is closed"));
        }
        rx.recv()
            .map_err(|_| self.error("the connection thread stopped"))?
            .map_err(|message| self.error(&message))
    }

    /// The prepared journal inserts (see [`Appends`]).
    fn appends(&self) -> Result<Appends, Error> {
        let mut prepared = guard(&self.appends);
        if let Some(appends) = prepared.as_ref() {
            return Ok(appends.clone());
        }
        let durable = format!(
            "INSERT INTO {} (workspace, serial, record)
             SELECT $1::text, serial, record FROM unnest($2::bigint[], $3::text[]) AS r(serial, record)",
            self.table("journal")
        );
        // `set_config(..., true)` lasts until the end of the transaction, which for
        // one statement outside BEGIN is the statement's own: it is in effect when
        // the statement commits, and gone after. (`SET LOCAL` would need a BEGIN.)
        let lazy = format!("{durable} WHERE set_config('synchronous_commit', 'off', true) = 'off'");
        let appends = self.call(move |rt, client| {
            // Polled together: both prepared in one round trip.
            let (durable, lazy) = rt
                .block_on(async {
                    tokio::try_join!(client.prepare(&durable), client.prepare(&lazy))
                })
                .map_err(describe)?;
            Ok(Appends { durable, lazy })
        })?;
        Ok(prepared.insert(appends).clone())
    }

    fn error(&self, message: &str) -> Error {
        pg_error(&location(&self.settings), message)
    }

    fn table(&self, name: &str) -> String {
        format!("\"{}\".{name}", self.settings.schema)
    }

    /// Creates the schema and tables under a transaction-level advisory lock on
    /// the schema, so that two first runs do not race each other's `CREATE`.
    fn create_tables(&self) -> Result<(), Error> {
        let schema = self.settings.schema.clone();
        let key = lock_key(&["schema", &schema]);
        let (states, journal, locks) = (
            self.table("states"),
            self.table("journal"),
            self.table("locks"),
        );
        let sql = format!(
            "BEGIN;
             SELECT pg_advisory_xact_lock({key});
             CREATE SCHEMA IF NOT EXISTS \"{schema}\";
             CREATE TABLE IF NOT EXISTS {states} (
                 id bigserial PRIMARY KEY, name text UNIQUE NOT NULL,
                 data text NOT NULL, serial bigint NOT NULL);
             CREATE TABLE IF NOT EXISTS {journal} (
                 workspace text NOT NULL, serial bigint NOT NULL, record text NOT NULL,
                 PRIMARY KEY (workspace, serial));
             CREATE TABLE IF NOT EXISTS {locks} (workspace text PRIMARY KEY, info text NOT NULL);
             COMMIT;"
        );
        self.call(move |rt, client| rt.block_on(client.batch_execute(&sql)).map_err(describe))
    }

    /// The names of every workspace with a stored state, plus `default`.
    pub fn workspaces(&self) -> Result<Vec<String>, Error> {
        let sql = format!("SELECT name FROM {} ORDER BY name", self.table("states"));
        let mut names: Vec<String> = self.call(move |rt, client| {
            let rows = rt.block_on(client.query(&sql, &[])).map_err(describe)?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })?;
        if !names.iter().any(|n| n == DEFAULT_WORKSPACE) {
            names.insert(0, DEFAULT_WORKSPACE.to_string());
        }
        Ok(names)
    }

    /// Creates an empty state for a new workspace; fails if it exists.
    pub fn create_workspace(&self, name: &str) -> Result<(), Error> {
        check_workspace(name)?;
        let state = State::new();
        let data = self.encode(serde_json::to_vec_pretty(&state).expect("state serializes"))?;
        let sql = format!(
            "INSERT INTO {} (name, data, serial) VALUES ($1, $2, 0) ON CONFLICT (name) DO NOTHING",
            self.table("states")
        );
        let owned = name.to_string();
        let inserted = self.call(move |rt, client| {
            rt.block_on(client.execute(&sql, &[&owned, &data]))
                .map_err(describe)
        })?;
        if inserted == 0 {
            return Err(Error::Workspace(format!(
                "workspace `{name}` already exists"
            )));
        }
        Ok(())
    }

    /// Deletes a workspace's state; refuses one that still manages objects,
    /// the default, and one another run has locked.
    pub fn delete_workspace(&self, name: &str, force: bool) -> Result<(), Error> {
        if name == DEFAULT_WORKSPACE {
            return Err(Error::Workspace(
                "the `default` workspace cannot be deleted".into(),
            ));
        }
        let other = PostgresBackend::connect(PgSettings {
            workspace: name.to_string(),
            ..self.settings.clone()
        })?
        .with_encryption(self.encryption.clone());
        other.lock("workspace delete", Duration::ZERO)?;
        let state = other
            .load()?
            .ok_or_else(|| Error::Workspace(format!("workspace `{name}` does not exist")))?;
        if !state.resources.is_empty() && !force {
            return Err(Error::Workspace(format!(
                "workspace `{name}` still manages {} object(s); destroy them first (pass --force to forget them)",
                state.resources.len()
            )));
        }
        let (states, journal) = (other.table("states"), other.table("journal"));
        let owned = name.to_string();
        other.call(move |rt, client| {
            rt.block_on(async {
                client
                    .execute(
                        &format!("DELETE FROM {journal} WHERE workspace = $1"),
                        &[&owned],
                    )
                    .await?;
                client
                    .execute(&format!("DELETE FROM {states} WHERE name = $1"), &[&owned])
                    .await
            })
            .map(drop)
            .map_err(describe)
        })
    }

    /// The current holder of this workspace's lock, as its row describes it.
    fn lock_holder(&self) -> Result<Option<LockInfo>, Error> {
        let sql = format!(
            "SELECT info FROM {} WHERE workspace = $1",
            self.table("locks")
        );
        let workspace = self.settings.workspace.clone();
        let text: Option<String> = self.call(move |rt, client| {
            let row = rt
                .block_on(client.query_opt(&sql, &[&workspace]))
                .map_err(describe)?;
            Ok(row.map(|r| r.get(0)))
        })?;
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
    }

    fn try_lock(&self) -> Result<bool, Error> {
        let key = lock_key(&["state", &self.settings.schema, &self.settings.workspace]);
        self.call(move |rt, client| {
            let row = rt
                .block_on(client.query_one("SELECT pg_try_advisory_lock($1)", &[&key]))
                .map_err(describe)?;
            Ok(row.get::<_, bool>(0))
        })
    }

    /// The stored snapshot and the serial of its row.
    fn read_row(&self) -> Result<Option<(String, u64)>, Error> {
        let sql = format!(
            "SELECT data, serial FROM {} WHERE name = $1",
            self.table("states")
        );
        let workspace = self.settings.workspace.clone();
        self.call(move |rt, client| {
            let row = rt
                .block_on(client.query_opt(&sql, &[&workspace]))
                .map_err(describe)?;
            Ok(row.map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1) as u64)))
        })
    }

    fn read_journal(&self, after: u64) -> Result<Vec<Record>, Error> {
        let sql = format!(
            "SELECT record FROM {} WHERE workspace = $1 AND serial > $2 ORDER BY serial",
            self.table("journal")
        );
        let workspace = self.settings.workspace.clone();
        let texts: Vec<String> = self.call(move |rt, client| {
            let rows = rt
                .block_on(client.query(&sql, &[&workspace, &(after as i64)]))
                .map_err(describe)?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })?;
        let origin = PathBuf::from(format!("{} (journal)", location(&self.settings)));
        texts
            .iter()
            .map(|t| {
                let plain = self.encryption.decrypt(&origin, t.as_bytes())?;
                serde_json::from_slice(&plain)
                    .map_err(|e| self.error(&format!("a journal row is damaged: {e}")))
            })
            .collect()
    }

    fn load_counting(&self) -> Result<(Option<State>, usize), Error> {
        let row = self.read_row()?;
        *guard(&self.row_serial) = row.as_ref().map(|(_, serial)| *serial);
        let origin = PathBuf::from(location(&self.settings));
        let snapshot = row
            .map(|(data, _)| super::local::decode(&origin, data.as_bytes(), &self.encryption))
            .transpose()?;
        let after = snapshot.as_ref().map_or(0, |s| s.serial);
        let records = self.read_journal(after)?;
        let Some(first) = records.first() else {
            return Ok((snapshot, 0));
        };
        let mut state = snapshot.unwrap_or_else(|| State {
            lineage: first.lineage.clone(),
            ..State::new()
        });
        let replayed = journal::replay(&mut state, &records);
        Ok((Some(state), replayed))
    }
}

impl Backend for PostgresBackend {
    fn lock(&self, operation: &str, timeout: Duration) -> Result<Option<LockInfo>, Error> {
        let started = Instant::now();
        while !self.try_lock()? {
            let waited = started.elapsed();
            if waited >= timeout {
                return Err(Error::Locked {
                    location: location(&self.settings),
                    holder: self.lock_holder()?.map(Box::new),
                    waited,
                });
            }
            std::thread::sleep(Duration::from_millis(200).min(timeout - waited));
        }
        *guard(&self.locked) = true;
        // A row left behind names a holder whose session died (the server then dropped its lock).
        let abandoned = self.lock_holder()?;
        let info = LockInfo::new(operation, &location(&self.settings));
        let text = serde_json::to_string(&info).expect("lock info serializes");
        let sql = format!(
            "INSERT INTO {} (workspace, info) VALUES ($1, $2)
             ON CONFLICT (workspace) DO UPDATE SET info = EXCLUDED.info",
            self.table("locks")
        );
        let workspace = self.settings.workspace.clone();
        self.call(move |rt, client| {
            rt.block_on(client.execute(&sql, &[&workspace, &text]))
                .map(drop)
                .map_err(describe)
        })?;
        Ok(abandoned)
    }

    fn load(&self) -> Result<Option<State>, Error> {
        self.load_counting().map(|(state, _)| state)
    }

    fn recover(&self) -> Result<Option<State>, Error> {
        let (state, replayed) = self.load_counting()?;
        if let Some(state) = &state
            && replayed > 0
        {
            self.store(state)?;
        }
        Ok(state)
    }

    fn store(&self, state: &State) -> Result<(), Error> {
        let plain = serde_json::to_vec_pretty(state).map_err(|e| self.error(&e.to_string()))?;
        let data = self.encode(plain)?;
        let expected = *guard(&self.row_serial);
        let (states, journal) = (self.table("states"), self.table("journal"));
        let workspace = self.settings.workspace.clone();
        let serial = state.serial as i64;
        let outcome = self.call(move |rt, client| {
            rt.block_on(swap(
                client, &states, &journal, &workspace, &data, serial, expected,
            ))
            .map_err(describe)
        })?;
        match outcome {
            Ok(()) => {
                *guard(&self.row_serial) = Some(state.serial);
                Ok(())
            }
            Err(found) => Err(Error::Conflict {
                location: location(&self.settings),
                expected: expected.unwrap_or(0),
                found,
            }),
        }
    }

    fn record(&self, after: &State, operation: &Operation) -> Result<(), Error> {
        self.record_all(after, std::slice::from_ref(operation))
    }

    fn record_all(&self, after: &State, operations: &[Operation]) -> Result<(), Error> {
        let first = after.serial + 1 - operations.len() as u64;
        let (mut serials, mut texts) = (Vec::new(), Vec::new());
        for (operation, serial) in operations.iter().zip(first..) {
            let record = Record {
                lineage: after.lineage.clone(),
                serial,
                operation: operation.clone(),
            };
            let plain = serde_json::to_vec(&record).map_err(|e| self.error(&e.to_string()))?;
            serials.push(serial as i64);
            texts.push(self.encode(plain)?);
        }
        // As for the local journal, only intents must be on disk before the run
        // goes on; other rows may wait for the server's next WAL flush.
        let appends = self.appends()?;
        let statement = if operations.iter().any(Operation::must_be_durable) {
            appends.durable
        } else {
            appends.lazy
        };
        let workspace = self.settings.workspace.clone();
        let appended = self.call(move |rt, client| {
            rt.block_on(append(client, &statement, &workspace, &serials, &texts))
                .map_err(describe)
        })?;
        if !appended {
            // Another writer recorded one of these serials first; nothing was written.
            return Err(Error::Conflict {
                location: location(&self.settings),
                expected: first - 1,
                found: after.serial,
            });
        }
        Ok(())
    }

    fn describe(&self) -> String {
        location(&self.settings)
    }
}

impl Drop for PostgresBackend {
    fn drop(&mut self) {
        if *guard(&self.locked) {
            // A clean release leaves no row. The lock is released here, not left to the
            // end of the session, which the server notices only some time after we close.
            let sql = format!("DELETE FROM {} WHERE workspace = $1", self.table("locks"));
            let workspace = self.settings.workspace.clone();
            let _ = self.call(move |rt, client| {
                rt.block_on(async {
                    client.execute(&sql, &[&workspace]).await?;
                    client
                        .batch_execute("SELECT pg_advisory_unlock_all()")
                        .await
                })
                .map_err(describe)
            });
        }
        guard(&self.jobs).take();
        if let Some(thread) = guard(&self.thread).take() {
            let _ = thread.join();
        }
    }
}

/// Replaces the row if its serial is still `expected` (inserts it when
/// `expected` is `None`), and drops the journal rows the snapshot now holds.
/// The inner error is the serial found instead.
async fn swap(
    client: &Client,
    states: &str,
    journal: &str,
    workspace: &str,
    data: &str,
    serial: i64,
    expected: Option<u64>,
) -> Result<Result<(), u64>, tokio_postgres::Error> {
    client.batch_execute("BEGIN").await?;
    let changed = match expected {
        Some(old) => {
            let sql = format!(
                "UPDATE {states} SET data = $1, serial = $2 WHERE name = $3 AND serial = $4"
            );
            client
                .execute(&sql, &[&data, &serial, &workspace, &(old as i64)])
                .await?
        }
        None => {
            let sql = format!(
                "INSERT INTO {states} (name, data, serial) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING"
            );
            client.execute(&sql, &[&workspace, &data, &serial]).await?
        }
    };
    if changed == 0 {
        let sql = format!("SELECT serial FROM {states} WHERE name = $1");
        let found = client.query_opt(&sql, &[&workspace]).await?;
        client.batch_execute("ROLLBACK").await?;
        return Ok(Err(found.map_or(0, |r| r.get::<_, i64>(0) as u64)));
    }
    let sql = format!("DELETE FROM {journal} WHERE workspace = $1 AND serial <= $2");
    client.execute(&sql, &[&workspace, &serial]).await?;
    client.batch_execute("COMMIT").await?;
    Ok(Ok(()))
}

/// The journal inserts of one connection. Each appends a whole batch in one
/// statement (its rows come as two arrays), which outside BEGIN is a
/// transaction of its own: one round trip per batch whatever its size, and
/// all or nothing, so a serial already taken writes none of the batch's rows.
#[derive(Clone)]
struct Appends {
    /// Committed as the server's `synchronous_commit` says (on by default):
    /// for batches with an intent.
    durable: Statement,
    /// Committed with `synchronous_commit` off: acknowledged before the
    /// server's WAL flush, for rows a crash may lose.
    lazy: Statement,
}

/// Appends journal rows with `statement` (one of [`Appends`]), and says whether
/// they were written: `false` when a serial was already taken (another writer
/// got there first), in which case none was.
async fn append(
    client: &Client,
    statement: &Statement,
    workspace: &str,
    serials: &[i64],
    texts: &[String],
) -> Result<bool, tokio_postgres::Error> {
    match client
        .execute(statement, &[&workspace, &serials, &texts])
        .await
    {
        Ok(_) => Ok(true),
        Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The connection thread: connect, report, then run jobs until the sender is dropped.
fn serve(conn_str: &str, jobs: &mpsc::Receiver<Job>, ready: &mpsc::Sender<Result<(), String>>) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let _ = ready.send(Err(e.to_string()));
            return;
        }
    };
    let prepared = match super::postgres_tls::prepare(conn_str) {
        Ok(prepared) => prepared,
        Err(message) => {
            let _ = ready.send(Err(message));
            return;
        }
    };
    let client = match runtime.block_on(prepared.config.connect(prepared.tls)) {
        Ok((client, connection)) => {
            // The connection makes progress while jobs block on the runtime.
            runtime.spawn(connection);
            client
        }
        Err(e) => {
            let _ = ready.send(Err(format!("could not connect: {}", describe(e))));
            return;
        }
    };
    let _ = ready.send(Ok(()));
    while let Ok(job) = jobs.recv() {
        job(&runtime, &client);
    }
}

/// A stable 64-bit key for an advisory lock (FNV-1a): the same in every process.
fn lock_key(parts: &[&str]) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in parts.join("\0").bytes().chain(*b"pingform") {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash as i64
}

fn location(settings: &PgSettings) -> String {
    format!(
        "PostgreSQL schema `{}`, workspace `{}`",
        settings.schema, settings.workspace
    )
}

fn pg_error(location: &str, message: &str) -> Error {
    Error::Postgres {
        location: location.to_string(),
        message: message.to_string(),
    }
}

/// PostgreSQL's own message (the `Display` of the error alone is often just "db error").
fn describe(error: tokio_postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => format!("{}: {}", db.code().code(), db.message()),
        None => {
            let mut text = error.to_string();
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                text.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            text
        }
    }
}

fn check_identifier(name: &str, what: &str) -> Result<(), Error> {
    let mut chars = name.chars();
    let valid = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= 63;
    if valid {
        Ok(())
    } else {
        Err(Error::Workspace(format!(
            "{what} `{name}` is not a plain SQL identifier: use letters, digits and underscores, \
             starting with a letter, at most 63 characters"
        )))
    }
}

/// Workspace names: letters, digits, `-`, `_` and `.`, as Terraform allows.
pub fn check_workspace(name: &str) -> Result<(), Error> {
    let valid = !name.is_empty()
        && name.len() <= 90
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if valid {
        Ok(())
    } else {
        Err(Error::Workspace(format!(
            "`{name}` is not a valid workspace name: use letters, digits, `-`, `_` and `.`"
        )))
    }
}

fn guard<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
#[path = "postgres_tests.rs"]
mod server_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_keys_are_stable_and_distinct() {
        assert_eq!(
            lock_key(&["state", "s", "default"]),
            lock_key(&["state", "s", "default"])
        );
        assert_ne!(
            lock_key(&["state", "s", "default"]),
            lock_key(&["state", "s", "other"])
        );
        assert_ne!(
            lock_key(&["state", "s", "ab"]),
            lock_key(&["state", "sa", "b"])
        );
    }

    #[test]
    fn names_are_checked() {
        assert!(check_identifier("team_a", "schema_name").is_ok());
        assert!(check_identifier("a;drop", "schema_name").is_err());
        assert!(check_workspace("prod-eu.1").is_ok());
        assert!(check_workspace("../x").is_err());
    }
}
