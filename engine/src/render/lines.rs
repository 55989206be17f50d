//! Laying a plan out as lines: each line knows its margin symbol and the column its
//! text starts at, so the text renderer can colour the symbol and the Markdown renderer
//! can move it to the first column, without either parsing text back.

use std::io::{self, Write};
use std::ops::Range;

use super::Style;
use super::diff::{Body, Entry, Item, Key};

/// How far each nesting level moves the text right.
pub(crate) const STEP: usize = 4;

const GREEN: &str = "32";
const YELLOW: &str = "33";
const RED: &str = "31";
const CYAN: &str = "36";
const BOLD: &str = "1";

/// One line of a rendered plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PlanLine {
    /// The column where `text` starts.
    pub(crate) column: usize,
    /// The margin symbol (`+`, `-`, `~`, `-/+`, or a space), ending two columns before
    /// the text.
    pub(crate) symbol: Option<&'static str>,
    /// The text after the symbol.
    pub(crate) text: String,
    /// The part of `text` drawn in bold.
    pub(crate) bold: Option<Range<usize>>,
    /// A note drawn after the text in red (`# forces replacement`).
    pub(crate) note: Option<&'static str>,
}

impl PlanLine {
    /// Text starting at `column`, without a symbol.
    pub(crate) fn text(column: usize, text: impl Into<String>) -> Self {
        Self {
            column,
            symbol: None,
            text: text.into(),
            bold: None,
            note: None,
        }
    }

    /// Text whose first `len` bytes are bold.
    pub(crate) fn bold_prefix(column: usize, text: impl Into<String>, len: usize) -> Self {
        let mut line = Self::text(column, text);
        line.bold = Some(0..len);
        line
    }

    /// Text after a margin symbol.
    pub(crate) fn marked(column: usize, symbol: &'static str, text: impl Into<String>) -> Self {
        let mut line = Self::text(column, text);
        line.symbol = Some(symbol);
        line
    }

    /// The line as plain text, with its symbol in place and no colour.
    pub(crate) fn plain(&self) -> String {
        self.draw(Style::default())
    }

    /// The line with colours when `style` asks for them.
    pub(crate) fn draw(&self, style: Style) -> String {
        let mut line = String::new();
        match self.symbol {
            Some(symbol) => {
                let pad = self.column.saturating_sub(symbol.len() + 1);
                line.push_str(&" ".repeat(pad));
                line.push_str(&style.paint(symbol_color(symbol), symbol));
                line.push(' ');
            }
            None => line.push_str(&" ".repeat(self.column)),
        }
        match &self.bold {
            Some(range) if self.text.get(range.clone()).is_some() => {
                line.push_str(&self.text[..range.start]);
                line.push_str(&style.paint(BOLD, &self.text[range.clone()]));
                line.push_str(&self.text[range.end..]);
            }
            _ => line.push_str(&self.text),
        }
        if let Some(note) = self.note {
            line.push(' ');
            line.push_str(&style.paint(RED, note));
        }
        line.trim_end().to_string()
    }
}

/// The colour of a margin symbol.
pub(crate) fn symbol_color(symbol: &str) -> &'static str {
    match symbol {
        "+" => GREEN,
        "~" => YELLOW,
        "-" | "-/+" | "+/-" => RED,
        "<=" => CYAN,
        super::human::RISK => YELLOW,
        _ => "",
    }
}

/// Writes `lines` with colours when `style` asks for them.
pub(crate) fn write(lines: &[PlanLine], out: &mut dyn Write, style: Style) -> io::Result<()> {
    for line in lines {
        writeln!(out, "{}", line.draw(style))?;
    }
    Ok(())
}

/// Lays out `items` with their text at `column`, nested ones [`STEP`] further right.
pub(crate) fn layout(items: &[Item], column: usize, lines: &mut Vec<PlanLine>) {
    let width = items
        .iter()
        .filter_map(|item| match item {
            Item::Entry(Entry {
                key: Key::Named(name),
                ..
            }) => Some(name.chars().count()),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    for item in items {
        match item {
            Item::Entry(entry) => layout_entry(entry, column, width, lines),
            Item::Fold(count, noun) => lines.push(PlanLine::text(
                column,
                format!("# ({} hidden)", noun.counted(*count)),
            )),
        }
    }
}

fn layout_entry(entry: &Entry, column: usize, width: usize, lines: &mut Vec<PlanLine>) {
    let lead = match &entry.key {
        Key::Named(name) => {
            let pad = width.saturating_sub(name.chars().count());
            format!("{name}{} = ", " ".repeat(pad))
        }
        Key::Element | Key::Bare => String::new(),
    };
    let comma = if entry.key == Key::Element { "," } else { "" };
    let note = entry.forces.then_some("# forces replacement");
    match &entry.body {
        Body::Inline(text) => {
            let mut line = PlanLine::marked(
                column,
                entry.marker.symbol(),
                format!("{lead}{text}{comma}"),
            );
            line.note = note;
            lines.push(line);
        }
        Body::Nested { open, items, close } => {
            let mut line = PlanLine::marked(column, entry.marker.symbol(), format!("{lead}{open}"));
            line.note = note;
            lines.push(line);
            layout(items, column + STEP, lines);
            lines.push(PlanLine::text(column, format!("{close}{comma}")));
        }
    }
}
