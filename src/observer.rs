//! Apply progress as plain lines that read well on a terminal and in CI logs:
//! one when an operation starts, one with `[done/total]` when it ends, and
//! every few seconds a "still applying" line naming what is under way.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use engine::ResourceAddress;
use engine::apply::{ApplyObserver, Outcome};
use engine::plan::Action;
use engine::render::Style;

/// How often the "still applying" line is printed while operations run.
const TICK: Duration = Duration::from_secs(10);

pub(crate) struct LineObserver {
    style: Style,
    total: usize,
    done: AtomicUsize,
    started: Instant,
    under_way: Mutex<BTreeMap<String, Instant>>,
}

impl LineObserver {
    /// An observer for an apply of `total` operations.
    pub(crate) fn new(style: Style, total: usize) -> Arc<Self> {
        Arc::new(Self {
            style,
            total,
            done: AtomicUsize::new(0),
            started: Instant::now(),
            under_way: Mutex::new(BTreeMap::new()),
        })
    }

    /// Prints the "still applying" line every [`TICK`] until the task is aborted.
    pub(crate) fn spawn_ticker(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let observer = Arc::clone(self);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(TICK).await;
                observer.tick();
            }
        })
    }

    fn tick(&self) {
        let under_way = self
            .under_way
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if under_way.is_empty() {
            return;
        }
        let names: Vec<String> = under_way
            .iter()
            .take(5)
            .map(|(name, since)| format!("{name} ({}s)", since.elapsed().as_secs()))
            .collect();
        let more = under_way.len().saturating_sub(names.len());
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        println!(
            "Still applying: {}/{} done, {} under way: {}{more} [{}s elapsed]",
            self.done.load(Ordering::SeqCst),
            self.total,
            under_way.len(),
            names.join(", "),
            self.started.elapsed().as_secs()
        );
    }
}

fn verb(action: Action) -> (&'static str, &'static str) {
    match action {
        Action::Create => ("Creating...", "Creation complete"),
        Action::Update => ("Modifying...", "Modifications complete"),
        Action::Replace => ("Replacing...", "Replacement complete"),
        Action::Delete => ("Destroying...", "Destruction complete"),
        Action::NoOp | Action::Read => ("Reading...", "Read complete"),
    }
}

impl ApplyObserver for LineObserver {
    fn started(&self, address: &ResourceAddress, action: Action) {
        self.under_way
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(address.to_string(), Instant::now());
        println!(
            "{}: {}",
            self.style.paint_bold(&address.to_string()),
            verb(action).0
        );
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
                println!(
                    "{count} {name}: {} after {}s{id}",
                    verb(action).1,
                    elapsed.as_secs()
                );
            }
            Outcome::Failed { message } => eprintln!("{count} {name}: failed: {message}"),
            Outcome::Skipped { because } => {
                eprintln!("{count} {name}: skipped because {because} failed")
            }
            Outcome::NotStarted => eprintln!("{count} {name}: not started (interrupted)"),
        }
    }
}
