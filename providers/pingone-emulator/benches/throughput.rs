//! Throughput of the emulator over real HTTP on loopback, faults and rate limit off:
//! simple GETs per second, creates per second, and the cost of a list page as the collection
//! grows (it should stay flat: O(page), not O(all objects)).
//!
//! `cargo bench -p pingform-pingone-emulator --bench throughput` (release build). The server
//! and the load generator share one 2-worker runtime, as on a 2-core CI machine.
//! `BENCH_SECONDS` (default 3) sets each measurement's length, `BENCH_CONCURRENCY` (default 32)
//! the requests in flight, `BENCH_LIST_SIZES` (e.g. `10000,100000`) the collection sizes.
//!
//! Creates and lists use users when the emulator serves them, else populations.
//!
//! Each figure also shows the process's CPU time per request (server and load generator
//! together, from `/proc/self/stat`): unlike requests per second it does not drop when other
//! processes compete for the cores, so runs on a busy machine stay comparable.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use pingone_emulator::{Emulator, RateLimit, spawn};
use reqwest::{Client, RequestBuilder};
use serde_json::{Value, json};

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run());
}

/// Settings from the environment.
struct Settings {
    seconds: u64,
    concurrency: usize,
    list_sizes: Option<Vec<usize>>,
}

fn settings() -> Settings {
    let number = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let list_sizes = std::env::var("BENCH_LIST_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect());
    Settings {
        seconds: number("BENCH_SECONDS", 3),
        concurrency: usize::try_from(number("BENCH_CONCURRENCY", 32)).unwrap_or(32),
        list_sizes,
    }
}

/// What the bench talks to.
struct Target {
    client: Client,
    token: String,
    base_url: String,
    env_id: String,
    env_url: String,
}

impl Target {
    fn get(&self, path: &str) -> RequestBuilder {
        self.client
            .get(format!("{}{path}", self.env_url))
            .bearer_auth(&self.token)
    }

    fn post(&self, path: &str, body: &Value) -> RequestBuilder {
        self.client
            .post(format!("{}{path}", self.env_url))
            .bearer_auth(&self.token)
            .json(body)
    }
}

async fn run() {
    let settings = settings();
    let emulator = Emulator::open(None).expect("open");
    emulator
        .set_rate_limit(RateLimit::DISABLED)
        .expect("rate limit");
    let running = spawn(emulator, "127.0.0.1:0").await.expect("spawn");
    let creds = running.credentials();
    let client = Client::builder()
        .pool_max_idle_per_host(settings.concurrency)
        .build()
        .expect("client");
    let token = token(&client, &creds).await;
    let env_url = format!("{}/v1/environments/{}", creds.api_url, creds.environment_id);
    let target = Arc::new(Target {
        client,
        token,
        base_url: creds.api_url.clone(),
        env_id: creds.environment_id.clone(),
        env_url,
    });
    println!(
        "pingone-emulator throughput: {} s per figure, {} requests in flight, {} CPUs",
        settings.seconds,
        settings.concurrency,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );

    // The load generator runs on the same 2 cores: a trivial route (no token check, no
    // store) shows how many requests per second the harness itself can drive.
    let ceiling = measure(&target, &settings, |t, _| {
        t.client
            .get(format!("{}/__emulator/rate-limit", t.base_url))
    })
    .await;
    println!("harness ceiling (GET /__emulator/...)   {ceiling} requests/s");

    // Routing, the traffic layer and a store read, but no bearer token to verify.
    let jwks = measure(&target, &settings, |t, _| {
        t.client.get(format!("{}/{}/as/jwks", t.base_url, t.env_id))
    })
    .await;
    println!("GET /{{envId}}/as/jwks (no token)        {jwks} requests/s");

    let gets = measure(&target, &settings, |t, _| t.get("")).await;
    println!("GET /v1/environments/{{id}}             {gets} requests/s");

    let (kind, probe) = Kind::detect(&target).await;
    if let Some(probe) = probe {
        let one = format!("{}/{probe}", kind.path);
        let gets = measure(&target, &settings, move |t, _| t.get(&one)).await;
        println!("GET /v1/environments/{{id}}/users/{{id}}  {gets} requests/s");
    }
    let creates = measure(&target, &settings, move |t, i| {
        t.post(kind.path, &kind.body(&format!("bench-{i}")))
    })
    .await;
    println!(
        "POST {:<35}{creates} creates/s",
        format!("/v1/environments/{{id}}{}", kind.path)
    );

    let sizes = settings
        .list_sizes
        .clone()
        .unwrap_or(kind.default_sizes.to_vec());
    list_costs(&target, &settings, kind, &sizes).await;
    running.shutdown().await;
}

/// The kind of object created and listed: users if served, else populations.
#[derive(Clone, Copy)]
struct Kind {
    path: &'static str,
    plural: &'static str,
    default_sizes: &'static [usize],
}

impl Kind {
    /// The kind, and the ID of the user created to find out (if users are served).
    async fn detect(target: &Target) -> (Kind, Option<String>) {
        let users = Kind {
            path: "/users",
            plural: "users",
            default_sizes: &[10_000, 100_000],
        };
        let probe = target
            .post(users.path, &users.body("bench-probe"))
            .send()
            .await;
        let created = match probe {
            Ok(r) if r.status().is_success() => r.json::<Value>().await.ok(),
            _ => None,
        };
        match created.as_ref().and_then(|user| user["id"].as_str()) {
            Some(id) => (users, Some(id.to_owned())),
            None => {
                println!("(users are not served yet: creates and lists use populations)");
                let populations = Kind {
                    path: "/populations",
                    plural: "populations",
                    // Population names are checked for uniqueness by a scan: keep this modest.
                    default_sizes: &[1_000, 10_000],
                };
                (populations, None)
            }
        }
    }

    fn body(&self, name: &str) -> Value {
        match self.plural {
            "users" => json!({ "username": name, "email": format!("{name}@example.com") }),
            _ => json!({ "name": name }),
        }
    }
}

/// One measurement: successful requests per second, and CPU time per request.
struct Figure {
    per_second: f64,
    cpu_micros: Option<f64>,
}

impl std::fmt::Display for Figure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cpu = match self.cpu_micros {
            Some(micros) => format!("{micros:6.1} µs CPU each"),
            None => "CPU time n/a".to_owned(),
        };
        write!(f, "{:>9.0} ({cpu})", self.per_second)
    }
}

/// CPU time used by this process so far (user + system, all threads), from
/// `/proc/self/stat`; `None` where that file does not exist.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may contain spaces):
    // utime and stime are the 12th and 13th, in clock ticks (USER_HZ, 100 on Linux).
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split(' ').skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((user + system) * 10))
}

/// Requests per second of `request` (numbered from 0) over the configured time, with the
/// configured concurrency; only 2xx answers count.
async fn measure(
    target: &Arc<Target>,
    settings: &Settings,
    request: impl Fn(&Target, u64) -> RequestBuilder + Send + Sync + Clone + 'static,
) -> Figure {
    let cpu_before = cpu_time();
    let next = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(settings.seconds);
    let mut tasks = Vec::new();
    for _ in 0..settings.concurrency {
        let (target, next, failures) =
            (Arc::clone(target), Arc::clone(&next), Arc::clone(&failures));
        let request = request.clone();
        tasks.push(tokio::spawn(async move {
            let mut done = 0u64;
            while Instant::now() < deadline {
                let i = next.fetch_add(1, Ordering::Relaxed);
                match request(&target, i).send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        done += 1;
                    }
                    _ => {
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            done
        }));
    }
    let mut total = 0;
    for task in tasks {
        total += task.await.unwrap_or(0);
    }
    let failed = failures.load(Ordering::Relaxed);
    if failed > 0 {
        println!("  ({failed} requests failed)");
    }
    let cpu_micros = cpu_before.zip(cpu_time()).map(|(before, after)| {
        after.saturating_sub(before).as_secs_f64() * 1e6 / total.max(1) as f64
    });
    Figure {
        per_second: total as f64 / started.elapsed().as_secs_f64(),
        cpu_micros,
    }
}

/// Grows the collection to each size, then times first pages of 100.
async fn list_costs(target: &Arc<Target>, settings: &Settings, kind: Kind, sizes: &[usize]) {
    let mut created = count(target, kind).await;
    for &size in sizes {
        let fill_started = Instant::now();
        let missing = size.saturating_sub(created);
        fill(target, settings, kind, created, missing).await;
        created = count(target, kind).await;
        let fill_seconds = fill_started.elapsed().as_secs_f64();
        let pages = measure(target, settings, move |t, _| {
            t.get(&format!("{}?limit=100", kind.path))
        })
        .await;
        println!(
            "GET {:<20} with {created:>7} {}: {:>7.0} pages/s ({:.3} ms/page; filled in {fill_seconds:.1} s)",
            format!("{}?limit=100", kind.path),
            kind.plural,
            pages.per_second,
            1000.0 / pages.per_second.max(f64::MIN_POSITIVE),
        );
    }
}

/// Creates `missing` more objects, numbered after `from`, `BENCH_CONCURRENCY` at a time.
async fn fill(target: &Arc<Target>, settings: &Settings, kind: Kind, from: usize, missing: usize) {
    let next = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for _ in 0..settings.concurrency {
        let (target, next) = (Arc::clone(target), Arc::clone(&next));
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= missing as u64 {
                    break;
                }
                let name = format!("fill-{}", from as u64 + i);
                let _ = target.post(kind.path, &kind.body(&name)).send().await;
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
}

/// How many objects of `kind` exist (from the list's `count`).
async fn count(target: &Target, kind: Kind) -> usize {
    let response = target.get(&format!("{}?limit=1", kind.path)).send().await;
    let body: Value = match response {
        Ok(r) => r.json().await.unwrap_or(Value::Null),
        Err(_) => Value::Null,
    };
    body["count"].as_u64().unwrap_or(0) as usize
}

async fn token(client: &Client, creds: &pingone_emulator::Credentials) -> String {
    let response = client
        .post(format!(
            "{}/{}/as/token",
            creds.auth_url, creds.environment_id
        ))
        .basic_auth(&creds.client_id, Some(&creds.client_secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("token request");
    let body: Value = response.json().await.expect("token body");
    body["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}
