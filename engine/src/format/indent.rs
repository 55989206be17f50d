//! Indentation: two spaces per open bracket level, decided line by line from the
//! brackets each line opens and closes (Terraform's indent stack, which tolerates lines
//! that open or close several brackets at once).

use super::lines::{Line, net_brackets};
use super::token::{Kind, Token};

/// Sets the leading spaces of every line.
pub(super) fn indent(lines: &[Line], tokens: &mut [Token]) {
    let mut stack: Vec<i32> = Vec::new();
    for line in lines {
        let first = line.lead.start;
        if tokens[first].kind == Kind::Newline {
            tokens[first].spaces_before = 0;
            continue;
        }
        let code_end = line.assign.as_ref().map_or(line.lead.end, |a| a.end);
        let net = net_brackets(&tokens[first..code_end]);
        if net < 0 {
            close(&mut stack, -net);
        }
        tokens[first].spaces_before = 2 * stack.len();
        if net > 0 {
            stack.push(net);
        }
    }
}

/// Pops indent levels for `closed` closing brackets.
fn close(stack: &mut Vec<i32>, mut closed: i32) {
    while closed > 0 {
        let Some(top) = stack.last_mut() else {
            return;
        };
        if closed < *top {
            *top -= closed;
            return;
        }
        closed -= *top;
        stack.pop();
    }
}
