//! Running a measured program (`pingform`, `terraform`) as a child process: its wall time,
//! exit code, and peak memory (maximum resident set size, as GNU `time` reports it from the
//! kernel's accounting of the finished child, so no peak is missed between samples).

use std::io::Read as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::error::BenchError;

/// GNU time, which reports a finished child's maximum RSS (`%M`, KiB).
const GNU_TIME: &str = "/usr/bin/time";

/// One finished run.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Measured {
    /// Wall time from start to exit.
    #[serde(serialize_with = "seconds")]
    pub(crate) wall: Duration,
    /// Peak resident memory in MiB; `None` when GNU time is not installed.
    pub(crate) peak_rss_mib: Option<f64>,
    /// The exit code (`None` when killed by a signal).
    pub(crate) code: Option<i32>,
    /// Whether it was stopped for taking longer than its timeout.
    pub(crate) timed_out: bool,
    /// Standard error, whole (logs included when asked for).
    #[serde(skip)]
    pub(crate) stderr: String,
}

/// Serialises a duration as seconds.
pub(crate) fn seconds<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

/// A program to run and measure.
pub(crate) struct Program {
    /// The executable.
    pub(crate) path: PathBuf,
    /// Its arguments.
    pub(crate) args: Vec<String>,
    /// Its working directory.
    pub(crate) dir: PathBuf,
    /// Extra environment variables.
    pub(crate) env: Vec<(String, String)>,
    /// Stop it after this long.
    pub(crate) timeout: Option<Duration>,
}

impl Program {
    /// `path args...` in `dir`.
    pub(crate) fn new(path: &Path, args: &[&str], dir: &Path) -> Program {
        Program {
            path: path.to_owned(),
            args: args.iter().map(|a| a.to_string()).collect(),
            dir: dir.to_owned(),
            env: Vec::new(),
            timeout: None,
        }
    }

    /// Adds an environment variable.
    pub(crate) fn env(mut self, key: &str, value: impl Into<String>) -> Program {
        self.env.push((key.to_string(), value.into()));
        self
    }

    /// Stops it (and records `timed_out`) if it runs longer than `limit`.
    pub(crate) fn timeout(mut self, limit: Duration) -> Program {
        self.timeout = Some(limit);
        self
    }

    /// Runs it to the end (standard output discarded) and measures it. Blocking: call it
    /// from `spawn_blocking` when an emulator serves on the same runtime.
    pub(crate) fn run(&self) -> Result<Measured, BenchError> {
        let rss_file = tempfile::NamedTempFile::new().map_err(BenchError::io(
            "create a temporary file",
            std::env::temp_dir(),
        ))?;
        let timed = Path::new(GNU_TIME).exists();
        let mut command = if timed {
            let mut c = Command::new(GNU_TIME);
            c.arg("-f").arg("%M").arg("-o").arg(rss_file.path());
            c.arg(&self.path);
            c
        } else {
            Command::new(&self.path)
        };
        command
            .args(&self.args)
            .current_dir(&self.dir)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        // Its own process group, so that a timeout stops GNU time and the program alike.
        command.process_group(0);
        let started = Instant::now();
        let mut child = command.spawn().map_err(|source| BenchError::Spawn {
            program: self.path.display().to_string(),
            source,
        })?;
        let mut pipe = child.stderr.take();
        // Read standard error as it comes, so a chatty child never blocks on a full pipe.
        let reader = std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(pipe) = pipe.as_mut() {
                let _ = pipe.read_to_string(&mut text);
            }
            text
        });
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if self.timeout.is_some_and(|t| started.elapsed() >= t) => {
                    let _ = Command::new("kill")
                        .args(["-s", "KILL", "--", &format!("-{}", child.id())])
                        .status();
                    let _ = child.wait();
                    break None;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                Err(source) => {
                    return Err(BenchError::Spawn {
                        program: self.path.display().to_string(),
                        source,
                    });
                }
            }
        };
        let wall = started.elapsed();
        let stderr = reader.join().unwrap_or_default();
        let peak_rss_mib = if timed {
            std::fs::read_to_string(rss_file.path())
                .ok()
                .and_then(|t| t.lines().last().and_then(|l| l.trim().parse::<f64>().ok()))
                .map(|kib| kib / 1024.0)
        } else {
            None
        };
        Ok(Measured {
            wall,
            peak_rss_mib,
            code: status.and_then(|s| s.code()),
            timed_out: status.is_none(),
            stderr,
        })
    }

    /// Like [`Program::run`], failing unless the exit code is one of `ok_codes`.
    pub(crate) fn run_expecting(&self, ok_codes: &[i32]) -> Result<Measured, BenchError> {
        let measured = self.run()?;
        match measured.code {
            Some(code) if ok_codes.contains(&code) => Ok(measured),
            code => Err(BenchError::Run {
                args: self.args.join(" "),
                code,
                stderr: tail(&measured.stderr, 30),
            }),
        }
    }
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
