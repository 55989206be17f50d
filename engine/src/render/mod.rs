//! Drawing plans (and `validate` results) for people and programs. The plan is data; each renderer
//! writes it to any `Write` so it can be snapshot-tested.

pub mod human;
pub mod json;
pub mod markdown;
pub mod validate_json;

/// How to draw: with terminal colours or without.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Style {
    /// Use ANSI colours.
    pub color: bool,
}

impl Style {
    /// `text` in bold when colour is on.
    pub fn paint_bold(self, text: &str) -> String {
        self.paint("1", text)
    }

    /// Wraps `text` in the ANSI colour `code` when colour is on.
    pub(crate) fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}
