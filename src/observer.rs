//! Apply progress. Every operation prints a line when it starts and one with
//! `[done/total]` when it ends. On a terminal a live status line under them, redrawn in
//! place every second, shows the count, the operations under way with how long each
//! has run, and the time since the apply started. Elsewhere (CI logs, pipes) there is no
//! live line: every ten seconds a "Still applying" line names what is under way.
//!
//! A failure's error is not printed here: the progress line only says the object
//! failed, and the summary after the apply gives the error once, in full.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use engine::ResourceAddress;
use engine::apply::{ApplyObserver, Outcome};
use engine::plan::Action;
use engine::render::Style;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How often the "still applying" line is printed when there is no live line.
const TICK: Duration = Duration::from_secs(10);
/// How often the live line is redrawn.
const LIVE_TICK: Duration = Duration::from_secs(1);
/// How many operations under way are named.
const NAMED: usize = 5;
/// What the progress line says of a failed operation.
const FAILED: &str = "failed (the error is in the summary at the end)";

pub(crate) struct ProgressObserver {
    style: Style,
    total: usize,
    done: AtomicUsize,
    started: Instant,
    under_way: Mutex<BTreeMap<String, Instant>>,
    /// The live status line, on a terminal.
    live: Option<ProgressBar>,
}

impl ProgressObserver {
    /// An observer for an apply of `total` operations; with a live line when standard
    /// output is a terminal.
    pub(crate) fn new(style: Style, total: usize) -> Arc<Self> {
        let live = std::io::stdout()
            .is_terminal()
            .then(|| live_line(style, total));
        Arc::new(Self {
            style,
            total,
            done: AtomicUsize::new(0),
            started: Instant::now(),
            under_way: Mutex::new(BTreeMap::new()),
            live,
        })
    }

    /// Redraws the live line every second, or prints the "still applying" line every
    /// [`TICK`] without one, until the task is aborted.
    pub(crate) fn spawn_ticker(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let observer = Arc::clone(self);
        let every = if self.live.is_some() { LIVE_TICK } else { TICK };
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                observer.tick();
            }
        })
    }

    /// Removes the live line once the apply is over.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.live {
            bar.finish_and_clear();
        }
    }

    fn tick(&self) {
        let status = self.status();
        match &self.live {
            Some(bar) => bar.set_message(status.live()),
            None => {
                if let Some(line) = status.still_applying() {
                    println!("{line}");
                }
            }
        }
    }

    fn status(&self) -> Status {
        let under_way = self
            .under_way
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        Status {
            done: self.done.load(Ordering::SeqCst),
            total: self.total,
            under_way: under_way
                .iter()
                .map(|(name, since)| (name.clone(), since.elapsed()))
                .collect(),
            elapsed: self.started.elapsed(),
        }
    }

    /// Prints a line (above the live line, when there is one).
    fn say(&self, line: &str, to_stderr: bool) {
        let print = || {
            if to_stderr {
                eprintln!("{line}");
            } else {
                println!("{line}");
            }
        };
        match &self.live {
            Some(bar) => {
                bar.suspend(print);
                bar.set_position(self.done.load(Ordering::SeqCst) as u64);
                bar.set_message(self.status().live());
            }
            None => print(),
        }
    }
}

/// The live line: a spinner, `[done/total]`, then the status text cut to the width of
/// the terminal.
fn live_line(style: Style, total: usize) -> ProgressBar {
    let template = if style.color {
        "{spinner:.cyan} [{pos}/{len}] {wide_msg}"
    } else {
        "{spinner} [{pos}/{len}] {wide_msg}"
    };
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stdout());
    if let Ok(progress_style) = ProgressStyle::with_template(template) {
        bar.set_style(progress_style);
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// What the apply is doing at one moment.
#[derive(Clone, Debug, PartialEq)]
struct Status {
    done: usize,
    total: usize,
    /// The operations under way and how long each has run, by address.
    under_way: Vec<(String, Duration)>,
    elapsed: Duration,
}

impl Status {
    /// The text of the live line (after `[done/total]`).
    fn live(&self) -> String {
        let elapsed = clock(self.elapsed);
        if self.under_way.is_empty() {
            return format!("{elapsed} elapsed");
        }
        format!(
            "{elapsed} elapsed, {} under way: {}",
            self.under_way.len(),
            self.named()
        )
    }

    /// The "still applying" line, or `None` when nothing is under way.
    fn still_applying(&self) -> Option<String> {
        if self.under_way.is_empty() {
            return None;
        }
        Some(format!(
            "Still applying: {}/{} done, {} under way: {} [{} elapsed]",
            self.done,
            self.total,
            self.under_way.len(),
            self.named(),
            clock(self.elapsed)
        ))
    }

    /// The first [`NAMED`] operations with their times, then how many more.
    fn named(&self) -> String {
        let names: Vec<String> = self
            .under_way
            .iter()
            .take(NAMED)
            .map(|(name, took)| format!("{name} ({})", clock(*took)))
            .collect();
        let more = self.under_way.len().saturating_sub(names.len());
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        format!("{}{more}", names.join(", "))
    }
}

/// `42s`, or `3m05s` from a minute on.
fn clock(duration: Duration) -> String {
    let seconds = duration.as_secs();
    if seconds < 60 {
        format!("{seconds}s")
    } else {
        format!("{}m{:02}s", seconds / 60, seconds % 60)
    }
}

fn verb(action: Action) -> (&'static str, &'static str) {
    match action {
        Action::Create => ("Creating...", "Creation complete"),
        Action::Update => ("Modifying...", "Modifications complete"),
        Action::Replace | Action::CreateThenDelete => ("Replacing...", "Replacement complete"),
        Action::Delete => ("Destroying...", "Destruction complete"),
        Action::NoOp | Action::Read => ("Reading...", "Read complete"),
    }
}

impl ApplyObserver for ProgressObserver {
    fn started(&self, address: &ResourceAddress, action: Action) {
        self.under_way
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(address.to_string(), Instant::now());
        let line = format!(
            "{}: {}",
            self.style.paint_bold(&address.to_string()),
            verb(action).0
        );
        self.say(&line, false);
    }

    fn finished(&self, address: &ResourceAddress, action: Action, outcome: &Outcome) {
        self.under_way
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&address.to_string());
        let done = self.done.fetch_add(1, Ordering::SeqCst) + 1;
        let count = format!("[{done}/{}]", self.total);
        let name = self.style.paint_bold(&address.to_string());
        match outcome {
            Outcome::Succeeded { id, elapsed } => {
                let id = id
                    .as_deref()
                    .map(|id| format!(" [id={id}]"))
                    .unwrap_or_default();
                let line = format!(
                    "{count} {name}: {} after {}s{id}",
                    verb(action).1,
                    elapsed.as_secs()
                );
                self.say(&line, false);
            }
            Outcome::Failed { .. } => self.say(&format!("{count} {name}: {FAILED}"), true),
            Outcome::Skipped { because } => self.say(
                &format!("{count} {name}: skipped because {because} failed"),
                true,
            ),
            Outcome::NotStarted => {
                self.say(&format!("{count} {name}: not started (interrupted)"), true)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(under_way: &[(&str, u64)]) -> Status {
        Status {
            done: 3,
            total: 10,
            under_way: under_way
                .iter()
                .map(|(n, s)| (n.to_string(), Duration::from_secs(*s)))
                .collect(),
            elapsed: Duration::from_secs(75),
        }
    }

    #[test]
    fn the_live_line_names_what_is_under_way_with_its_time() {
        let now = status(&[("pingone_population.a", 4), ("pingone_group.b", 61)]);
        assert_eq!(
            now.live(),
            "1m15s elapsed, 2 under way: pingone_population.a (4s), pingone_group.b (1m01s)"
        );
        assert_eq!(status(&[]).live(), "1m15s elapsed");
    }

    #[test]
    fn the_plain_line_names_five_and_counts_the_rest() {
        let names: Vec<(String, u64)> = (0..7).map(|i| (format!("t.r{i}"), i)).collect();
        let refs: Vec<(&str, u64)> = names.iter().map(|(n, s)| (n.as_str(), *s)).collect();
        let line = status(&refs)
            .still_applying()
            .expect("something is under way");
        assert_eq!(
            line,
            "Still applying: 3/10 done, 7 under way: t.r0 (0s), t.r1 (1s), t.r2 (2s), \
             t.r3 (3s), t.r4 (4s) and 2 more [1m15s elapsed]"
        );
        assert_eq!(status(&[]).still_applying(), None);
    }
}
