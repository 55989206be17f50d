//! The report: every figure with the machine and commit, as JSON and as Markdown.

use std::fmt::Write as _;

use serde::Serialize;

use crate::apply::ApplyRun;
use crate::child::Measured;
use crate::engine::EngineRun;
use crate::machine::Machine;
use crate::refresh::{RefreshRun, Seeding};

/// Everything one run measured.
#[derive(Debug, Serialize)]
pub(crate) struct Report {
    /// Where and when.
    pub(crate) machine: Machine,
    /// `quick` or `full`.
    pub(crate) mode: &'static str,
    /// The emulator's create throughput while seeding (over HTTP, 32 in flight).
    pub(crate) seeding: Vec<Seeding>,
    /// Plans with refresh.
    pub(crate) refresh: Vec<RefreshRun>,
    /// The rate-limited apply, unless left out.
    pub(crate) apply: Option<ApplyRun>,
    /// Engine-only plans, pingform and terraform.
    pub(crate) engine: Vec<EngineRun>,
    /// The terraform binary compared, or `None`: "terraform not found".
    pub(crate) terraform: Option<String>,
}

fn secs(m: &Measured) -> String {
    if m.timed_out {
        format!("stopped after {:.0} s", m.wall.as_secs_f64())
    } else if !matches!(m.code, Some(0 | 2)) {
        format!(
            "failed (exit {:?}) after {:.2} s",
            m.code,
            m.wall.as_secs_f64()
        )
    } else {
        format!("{:.2} s", m.wall.as_secs_f64())
    }
}

fn memory(m: &Measured) -> String {
    m.peak_rss_mib
        .map_or_else(|| "n/a".into(), |mib| format!("{mib:.0} MiB"))
}

impl Report {
    /// The report as Markdown.
    pub(crate) fn markdown(&self) -> String {
        let mut md = String::new();
        let m = &self.machine;
        let _ = writeln!(md, "# pingform benchmarks ({})\n", self.mode);
        let _ = writeln!(
            md,
            "Commit `{}`, {}; {} cores, {} MiB memory, {}.\n",
            m.commit,
            m.date,
            m.cores,
            m.memory_mib.map_or("?".into(), |v| v.to_string()),
            m.os
        );
        if !self.refresh.is_empty() {
            self.refresh_section(&mut md);
        }
        if let Some(apply) = &self.apply {
            apply_section(apply, &mut md);
        }
        if !self.engine.is_empty() {
            self.engine_section(&mut md);
        }
        if !self.seeding.is_empty() {
            self.seeding_section(&mut md);
        }
        md
    }

    fn refresh_section(&self, md: &mut String) {
        let _ = writeln!(
            md,
            "## Plan with refresh\n\nN users, N/50 groups and N/5 user role assignments in \
             state; `pingform plan` (child process) against the in-process emulator. Bulk: one \
             paged list per collection; per-object: one GET per object, 10 at a time \
             (`PINGFORM_REFRESH_STRATEGY=per-object`); both read every resource type at once. \
             Lower bound: the round trips that must follow one another × latency: the token \
             and role lookup, then the longest chain of one type: its pages in sequence \
             (bulk: 1,000 users a page, role assignments listed one user at a time, 128 users at \
             once), or its objects ÷ 10 for per-object.\n"
        );
        let _ = writeln!(
            md,
            "| users | groups | role assignments | latency | strategy | requests | wall | lower bound | wall / bound | peak memory | plan |\n|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|"
        );
        for r in &self.refresh {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} ms | {} | {} | {} | {:.2} s | {} | {} | {} |",
                r.users,
                r.groups,
                r.assignments,
                r.latency_ms,
                r.strategy,
                r.requests,
                secs(&r.run),
                r.lower_bound_s,
                r.ratio.map_or("n/a".into(), |v| format!("{v:.2}")),
                memory(&r.run),
                if r.changes {
                    "CHANGES (unexpected)"
                } else {
                    "no changes"
                }
            );
        }
        md.push('\n');
    }

    fn engine_section(&self, md: &mut String) {
        let _ = writeln!(
            md,
            "## Engine only\n\n`pingform plan --refresh=false` on an empty state (load, evaluate, \
             graph, diff, render; the provider's setup makes 2 requests), one population per ten \
             resources and groups referring to them; `terraform plan -refresh=false` of the same \
             shape as `terraform_data` resources. {}\n",
            match &self.terraform {
                Some(path) => format!("Terraform: `{path}`."),
                None => "terraform not found.".into(),
            }
        );
        let _ = writeln!(
            md,
            "| tool | resources | wall | peak memory | per 1,000 resources |\n|---|---:|---:|---:|---:|"
        );
        for e in &self.engine {
            // A run stopped at the time limit only says how long it took at least.
            let at_least = if e.run.timed_out { "> " } else { "" };
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {at_least}{:.3} s |",
                e.tool,
                e.resources,
                secs(&e.run),
                memory(&e.run),
                e.run.wall.as_secs_f64() * 1000.0 / e.resources as f64
            );
        }
        md.push('\n');
    }

    fn seeding_section(&self, md: &mut String) {
        let _ = writeln!(
            md,
            "## Emulator create throughput (seeding)\n\nCreates over HTTP, 32 in flight, from this \
             process (which shares the cores with the emulator).\n\n| objects | wall | creates/s |\n|---:|---:|---:|"
        );
        for s in &self.seeding {
            let _ = writeln!(
                md,
                "| {} | {:.2} s | {:.0} |",
                s.objects,
                s.wall.as_secs_f64(),
                s.objects as f64 / s.wall.as_secs_f64().max(1e-9)
            );
        }
    }
}

fn apply_section(a: &ApplyRun, md: &mut String) {
    let _ = writeln!(
        md,
        "## Apply under a rate limit\n\n`pingform apply` creating {} users (and their population) \
         with the emulator limiting to {} requests/s (burst {}) and \
         `PINGONE_REQUESTS_PER_SECOND={}`.\n",
        a.users,
        a.rate_limit.requests_per_second,
        a.rate_limit.burst,
        a.rate_limit.requests_per_second
    );
    let _ = writeln!(
        md,
        "| requests | POSTs per user | bound (requests / rate) | wall | wall / bound | failed requests | peak memory |\n|---:|---:|---:|---:|---:|---:|---:|\n| {} | {:.2} | {:.2} s | {} | {:.2} | {} | {} |\n",
        a.requests,
        a.requests_per_user,
        a.bound_s,
        secs(&a.run),
        a.ratio,
        a.failed_requests,
        memory(&a.run)
    );
}
