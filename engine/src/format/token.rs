//! Splitting HCL source into the tokens the formatter lays out.
//!
//! The token kinds mirror those of HashiCorp's `hclsyntax` scanner where Terraform's
//! formatter tells them apart: template parts (`"`, `${`, `%{`, `}`, literal text,
//! heredoc markers) are distinct from braces and brackets, so that spacing rules never
//! touch the inside of a string. Whitespace is dropped; the layout decides it anew.
//! Newlines are kept as tokens, and `#`/`//` comments include their newline.

/// What a token is, as far as layout is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// A name or keyword (`resource`, `var`, `for`, `in`, `true`).
    Ident,
    /// A number literal.
    Number,
    /// `"` opening a quoted template.
    OQuote,
    /// `"` closing a quoted template.
    CQuote,
    /// Literal text inside a quoted template.
    QuotedLit,
    /// `<<EOT` or `<<-EOT` with its newline.
    OHeredoc,
    /// The closing marker of a heredoc, with the indentation before it.
    CHeredoc,
    /// Literal text inside a heredoc.
    StringLit,
    /// `${` (or `${~`).
    TemplateInterp,
    /// `%{` (or `%{~`).
    TemplateControl,
    /// `}` (or `~}`) ending an interpolation or directive.
    TemplateSeqEnd,
    /// `{`.
    OBrace,
    /// `}` closing a `{`.
    CBrace,
    /// `[`.
    OBrack,
    /// `]`.
    CBrack,
    /// `(`.
    OParen,
    /// `)`.
    CParen,
    /// `,`.
    Comma,
    /// `.`.
    Dot,
    /// `...`.
    Ellipsis,
    /// `:`.
    Colon,
    /// `::` in provider function names.
    DoubleColon,
    /// `?`.
    Question,
    /// `=`.
    Equal,
    /// `=>`.
    FatArrow,
    /// `-`, either subtraction or negation.
    Minus,
    /// `!`.
    Bang,
    /// Any other operator: `+ * / % == != < <= > >= && ||`.
    Operator,
    /// A line break.
    Newline,
    /// A comment; `#` and `//` comments end with their newline.
    Comment,
}

impl Kind {
    /// +1 for tokens that open a bracketed region, -1 for those that close one.
    pub(super) fn bracket_change(self) -> i32 {
        match self {
            Kind::OBrace
            | Kind::OBrack
            | Kind::OParen
            | Kind::TemplateInterp
            | Kind::TemplateControl => 1,
            Kind::CBrace | Kind::CBrack | Kind::CParen | Kind::TemplateSeqEnd => -1,
            _ => 0,
        }
    }
}

/// One token: its kind, its text in the source, and the spaces the layout puts before it.
#[derive(Clone, Debug)]
pub(super) struct Token<'a> {
    pub(super) kind: Kind,
    pub(super) text: &'a str,
    pub(super) spaces_before: usize,
}

impl Token<'_> {
    /// True for a token that ends a line: a newline, or a comment that took one.
    pub(super) fn ends_line(&self) -> bool {
        match self.kind {
            Kind::Newline => true,
            Kind::Comment => self.text.ends_with('\n'),
            _ => false,
        }
    }

    /// The width of the token with its leading spaces, counted as Terraform does (bytes).
    pub(super) fn columns(&self) -> usize {
        self.spaces_before + self.text.len()
    }
}

/// Why the source could not be split into tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LexError {
    /// Byte offset of the problem.
    pub(super) offset: usize,
    /// What is wrong.
    pub(super) message: String,
}

/// Splits `text` into tokens.
pub(super) fn tokenize(text: &str) -> Result<Vec<Token<'_>>, LexError> {
    let mut lexer = Lexer {
        text,
        pos: 0,
        tokens: Vec::new(),
    };
    lexer.expression(false)?;
    Ok(lexer.tokens)
}

struct Lexer<'a> {
    text: &'a str,
    pos: usize,
    tokens: Vec<Token<'a>>,
}

/// Operators of more than one character, longest first where prefixes overlap.
const LONG_OPERATORS: [(&str, Kind); 9] = [
    ("...", Kind::Ellipsis),
    ("::", Kind::DoubleColon),
    ("=>", Kind::FatArrow),
    ("==", Kind::Operator),
    ("!=", Kind::Operator),
    ("<=", Kind::Operator),
    (">=", Kind::Operator),
    ("&&", Kind::Operator),
    ("||", Kind::Operator),
];

impl<'a> Lexer<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn push(&mut self, kind: Kind, len: usize) {
        let text = &self.text[self.pos..self.pos + len];
        self.tokens.push(Token {
            kind,
            text,
            spaces_before: 0,
        });
        self.pos += len;
    }

    fn error<T>(&self, offset: usize, message: impl Into<String>) -> Result<T, LexError> {
        Err(LexError {
            offset,
            message: message.into(),
        })
    }

    /// Expression tokens until the end of input or, inside a template, the `}` that ends
    /// the interpolation.
    fn expression(&mut self, in_template: bool) -> Result<(), LexError> {
        let start = self.pos;
        let mut braces = 0usize;
        loop {
            let rest = self.rest();
            let Some(c) = rest.chars().next() else {
                if in_template {
                    return self.error(start, "unterminated template interpolation");
                }
                return Ok(());
            };
            match c {
                ' ' | '\t' => self.pos += 1,
                '\r' if !rest.starts_with("\r\n") => self.pos += 1,
                '\n' => self.push(Kind::Newline, 1),
                '\r' => self.push(Kind::Newline, 2),
                '#' => self.line_comment(),
                '/' if rest.starts_with("//") => self.line_comment(),
                '/' if rest.starts_with("/*") => self.block_comment()?,
                '"' => self.quoted()?,
                '<' if heredoc_marker(rest).is_some() => self.heredoc()?,
                '~' if in_template && braces == 0 && rest.starts_with("~}") => {
                    self.push(Kind::TemplateSeqEnd, 2);
                    return Ok(());
                }
                '}' if in_template && braces == 0 => {
                    self.push(Kind::TemplateSeqEnd, 1);
                    return Ok(());
                }
                '{' => {
                    braces += 1;
                    self.push(Kind::OBrace, 1);
                }
                '}' => {
                    braces = braces.saturating_sub(1);
                    self.push(Kind::CBrace, 1);
                }
                c if c.is_ascii_digit() => self.number(),
                c if c.is_alphabetic() || c == '_' => self.ident(),
                _ => self.punctuation(c)?,
            }
        }
    }

    fn punctuation(&mut self, c: char) -> Result<(), LexError> {
        let rest = self.rest();
        if let Some((op, kind)) = LONG_OPERATORS.iter().find(|(op, _)| rest.starts_with(op)) {
            self.push(*kind, op.len());
            return Ok(());
        }
        let kind = match c {
            '[' => Kind::OBrack,
            ']' => Kind::CBrack,
            '(' => Kind::OParen,
            ')' => Kind::CParen,
            ',' => Kind::Comma,
            '.' => Kind::Dot,
            ':' => Kind::Colon,
            '?' => Kind::Question,
            '=' => Kind::Equal,
            '-' => Kind::Minus,
            '!' => Kind::Bang,
            '+' | '*' | '/' | '%' | '<' | '>' => Kind::Operator,
            other => return self.error(self.pos, format!("unexpected character `{other}`")),
        };
        self.push(kind, 1);
        Ok(())
    }

    fn line_comment(&mut self) {
        let len = self.rest().find('\n').map_or(self.rest().len(), |i| i + 1);
        self.push(Kind::Comment, len);
    }

    fn block_comment(&mut self) -> Result<(), LexError> {
        match self.rest()[2..].find("*/") {
            Some(end) => {
                self.push(Kind::Comment, end + 4);
                Ok(())
            }
            None => self.error(self.pos, "unterminated comment"),
        }
    }

    fn number(&mut self) {
        let bytes = self.rest().as_bytes();
        let digits = |from: usize| {
            from + bytes[from..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count()
        };
        let mut len = digits(0);
        if bytes.get(len) == Some(&b'.') && bytes.get(len + 1).is_some_and(u8::is_ascii_digit) {
            len = digits(len + 1);
        }
        if matches!(bytes.get(len), Some(b'e' | b'E')) {
            let sign = usize::from(matches!(bytes.get(len + 1), Some(b'+' | b'-')));
            if bytes.get(len + 1 + sign).is_some_and(u8::is_ascii_digit) {
                len = digits(len + 1 + sign);
            }
        }
        self.push(Kind::Number, len);
    }

    fn ident(&mut self) {
        let len = self
            .rest()
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .map_or(self.rest().len(), |(i, _)| i);
        self.push(Kind::Ident, len);
    }

    /// `"..."` with its literal parts and interpolations.
    fn quoted(&mut self) -> Result<(), LexError> {
        let start = self.pos;
        self.push(Kind::OQuote, 1);
        loop {
            let literal = self.quoted_literal_len();
            if literal > 0 {
                self.push(Kind::QuotedLit, literal);
            }
            let rest = self.rest();
            if rest.starts_with('"') {
                self.push(Kind::CQuote, 1);
                return Ok(());
            }
            if !self.template_sequence()? {
                return self.error(start, "unterminated string");
            }
        }
    }

    /// The length of literal text at the cursor, up to `"`, `${`, `%{` or the end (hcl-edit
    /// accepts line breaks inside quoted strings, so they are literal text here too).
    fn quoted_literal_len(&self) -> usize {
        let bytes = self.rest().as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 2,
                b'"' => break,
                b'$' | b'%' if bytes.get(i + 1) == Some(&b'{') => break,
                _ if is_escaped_sequence(&bytes[i..]) => i += 3,
                _ => i += 1,
            }
        }
        i.min(bytes.len())
    }

    /// At `${` or `%{`: the sequence up to its closing `}`. False if not at one.
    fn template_sequence(&mut self) -> Result<bool, LexError> {
        let rest = self.rest();
        let kind = if rest.starts_with("${") {
            Kind::TemplateInterp
        } else if rest.starts_with("%{") {
            Kind::TemplateControl
        } else {
            return Ok(false);
        };
        let len = if rest[2..].starts_with('~') { 3 } else { 2 };
        self.push(kind, len);
        self.expression(true)?;
        Ok(true)
    }

    /// `<<EOT ... EOT`: the opening marker, the body's literal lines and interpolations,
    /// and the closing marker (with the spaces before it, kept as written).
    fn heredoc(&mut self) -> Result<(), LexError> {
        let start = self.pos;
        let Some((open_len, marker)) = heredoc_marker(self.rest()) else {
            return self.error(start, "invalid heredoc");
        };
        self.push(Kind::OHeredoc, open_len);
        let mut at_line_start = true;
        loop {
            if self.rest().is_empty() {
                return self.error(start, format!("heredoc `{marker}` is never closed"));
            }
            if at_line_start && let Some(len) = closing_marker(self.rest(), marker) {
                self.push(Kind::CHeredoc, len);
                return Ok(());
            }
            let literal = heredoc_literal_len(self.rest());
            if literal > 0 {
                at_line_start = self.rest()[..literal].ends_with('\n');
                self.push(Kind::StringLit, literal);
            } else if self.template_sequence()? {
                at_line_start = false;
            }
        }
    }
}

/// For `<<EOT\n` or `<<-EOT\n` at the start of `rest`: the length through the newline,
/// and the marker.
fn heredoc_marker(rest: &str) -> Option<(usize, &str)> {
    let after = rest.strip_prefix("<<")?;
    let after = after.strip_prefix('-').unwrap_or(after);
    let name_len = after
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .map_or(after.len(), |(i, _)| i);
    let name = &after[..name_len];
    if !name.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        return None;
    }
    let newline = if after[name_len..].starts_with("\r\n") {
        2
    } else if after[name_len..].starts_with('\n') {
        1
    } else {
        return None;
    };
    Some((rest.len() - after.len() + name_len + newline, name))
}

/// If the line at the start of `rest` is the closing `marker` (after optional
/// indentation), its length without the newline.
fn closing_marker(rest: &str, marker: &str) -> Option<usize> {
    let line = rest.split('\n').next().unwrap_or(rest);
    let line = line.strip_suffix('\r').unwrap_or(line);
    (line.trim_start_matches([' ', '\t']) == marker).then_some(line.len())
}

/// Literal heredoc text at the start of `rest`: up to an interpolation, or through the
/// end of the current line.
fn heredoc_literal_len(rest: &str) -> usize {
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => return i + 1,
            b'$' | b'%' if bytes.get(i + 1) == Some(&b'{') => return i,
            _ if is_escaped_sequence(&bytes[i..]) => i += 3,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// `$${` or `%%{`: a literal `${` or `%{`, not a template sequence.
fn is_escaped_sequence(bytes: &[u8]) -> bool {
    matches!(bytes, [b'$', b'$', b'{', ..] | [b'%', b'%', b'{', ..])
}
