//! The machine and the code a report was measured on: cores, memory, OS, git commit, date.

use serde::Serialize;

/// Where and when the figures were measured.
#[derive(Debug, Serialize)]
pub(crate) struct Machine {
    /// Logical CPUs available to this process.
    pub(crate) cores: usize,
    /// Total memory in MiB (from `/proc/meminfo`), if known.
    pub(crate) memory_mib: Option<u64>,
    /// The OS name and kernel release.
    pub(crate) os: String,
    /// `git rev-parse HEAD` of the working tree, plus `-dirty` when it has changes.
    pub(crate) commit: String,
    /// When the run started (RFC 3339, UTC).
    pub(crate) date: String,
}

impl Machine {
    /// Describes this machine now, and the checkout at `workspace`.
    pub(crate) fn describe(workspace: &std::path::Path) -> Machine {
        Machine {
            cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
            memory_mib: memory_mib(),
            os: os(),
            commit: commit(workspace),
            date: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }
    }
}

fn memory_mib() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

fn os() -> String {
    let name = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_string())
        })
        .unwrap_or_else(|| std::env::consts::OS.to_string());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|k| format!(", kernel {}", k.trim()))
        .unwrap_or_default();
    format!("{name}{kernel} ({})", std::env::consts::ARCH)
}

fn commit(workspace: &std::path::Path) -> String {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(workspace)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let Some(head) = git(&["rev-parse", "HEAD"]) else {
        return "unknown (not a git checkout)".into();
    };
    let dirty =
        git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    if dirty { format!("{head}-dirty") } else { head }
}
