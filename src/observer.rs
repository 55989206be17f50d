//! Apply progress as plain lines, one when an operation starts and one when it ends.

use engine::ResourceAddress;
use engine::apply::{ApplyObserver, Outcome};
use engine::plan::Action;
use engine::render::Style;

pub(crate) struct LineObserver {
    style: Style,
}

impl LineObserver {
    pub(crate) fn new(style: Style) -> Self {
        Self { style }
    }
}

fn verb(action: Action) -> (&'static str, &'static str) {
    match action {
        Action::Create => ("Creating...", "Creation complete"),
        Action::Update => ("Modifying...", "Modifications complete"),
        Action::Replace => ("Replacing...", "Replacement complete"),
        Action::Delete => ("Destroying...", "Destruction complete"),
        Action::NoOp => ("Reading...", "Read complete"),
    }
}

impl ApplyObserver for LineObserver {
    fn started(&self, address: &ResourceAddress, action: Action) {
        println!(
            "{}: {}",
            self.style.paint_bold(&address.to_string()),
            verb(action).0
        );
    }

    fn finished(&self, address: &ResourceAddress, action: Action, outcome: &Outcome) {
        let name = self.style.paint_bold(&address.to_string());
        match outcome {
            Outcome::Succeeded { id, elapsed } => {
                let id = id
                    .as_deref()
                    .map(|id| format!(" [id={id}]"))
                    .unwrap_or_default();
                println!(
                    "{name}: {} after {}s{id}",
                    verb(action).1,
                    elapsed.as_secs()
                );
            }
            Outcome::Failed { message } => eprintln!("{name}: failed: {message}"),
            Outcome::Skipped { because } => eprintln!("{name}: skipped because {because} failed"),
            Outcome::NotStarted => eprintln!("{name}: not started (interrupted)"),
        }
    }
}
