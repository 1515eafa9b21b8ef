//! Inline content tidied before it is written as Markdown, so that what is written reads back
//! as the same tree: whitespace collapsed as HTML renders it and moved out of emphasis and
//! links, empty elements dropped, bold in bold (italic in italic, links in links) merged,
//! nesting capped, adjacent texts joined, the ends trimmed.

use super::markdown::{Inline, MAX_NESTING};

/// Inline content tidied (see the module documentation).
pub(crate) fn normalize(nodes: Vec<Inline>) -> Vec<Inline> {
    let mut out = tidy(nodes, Context::default());
    trim_ends(&mut out);
    out
}

#[derive(Debug, Clone, Copy, Default)]
struct Context {
    strong: bool,
    emphasis: bool,
    link: bool,
    depth: usize,
}

fn tidy(nodes: Vec<Inline>, context: Context) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let inner = Context {
        depth: context.depth + 1,
        ..context
    };
    let deep = context.depth + 1 >= MAX_NESTING - 2;
    for node in nodes {
        match node {
            Inline::Text(text) => push_text(&mut out, &text),
            Inline::Code(code) => {
                let code = collapse_spaces(&code);
                if code.trim().is_empty() {
                    push_text(&mut out, &code);
                } else {
                    out.push(Inline::Code(code));
                }
            }
            Inline::Strong(children) if context.strong || deep => {
                for child in tidy(children, inner) {
                    push_node(&mut out, child);
                }
            }
            Inline::Emphasis(children) if context.emphasis || deep => {
                for child in tidy(children, inner) {
                    push_node(&mut out, child);
                }
            }
            Inline::Link { children, .. } if context.link || deep => {
                for child in tidy(children, inner) {
                    push_node(&mut out, child);
                }
            }
            Inline::Strong(children) => {
                let children = tidy(
                    children,
                    Context {
                        strong: true,
                        ..inner
                    },
                );
                wrap(&mut out, children, Inline::Strong);
            }
            Inline::Emphasis(children) => {
                let children = tidy(
                    children,
                    Context {
                        emphasis: true,
                        ..inner
                    },
                );
                wrap(&mut out, children, Inline::Emphasis);
            }
            Inline::Link { href, children } => {
                let children = tidy(
                    children,
                    Context {
                        link: true,
                        ..inner
                    },
                );
                wrap(&mut out, children, |children| Inline::Link {
                    href: href.clone(),
                    children,
                });
            }
        }
    }
    out
}

/// Pushes `make(children)` with leading and trailing spaces moved outside it.
fn wrap(out: &mut Vec<Inline>, mut children: Vec<Inline>, make: impl Fn(Vec<Inline>) -> Inline) {
    let mut before = false;
    let mut after = false;
    if let Some(Inline::Text(first)) = children.first_mut()
        && first.starts_with(' ')
    {
        *first = first.trim_start().to_string();
        before = true;
    }
    if let Some(Inline::Text(last)) = children.last_mut()
        && last.ends_with(' ')
    {
        *last = last.trim_end().to_string();
        after = true;
    }
    children.retain(|node| !matches!(node, Inline::Text(text) if text.is_empty()));
    if before {
        push_text(out, " ");
    }
    if !children.is_empty() {
        push_node(out, make(children));
    }
    if after {
        push_text(out, " ");
    }
}

fn push_node(out: &mut Vec<Inline>, node: Inline) {
    match (out.last_mut(), node) {
        (_, Inline::Text(text)) => push_text(out, &text),
        (Some(Inline::Strong(previous)), Inline::Strong(children))
        | (Some(Inline::Emphasis(previous)), Inline::Emphasis(children)) => {
            for child in children {
                push_node(previous, child);
            }
        }
        (_, node) => out.push(node),
    }
}

/// Appends text, merging it into a text before it; runs of spaces stay single, across the
/// join too (only the join is looked at, so merging many pieces stays linear).
fn push_text(out: &mut Vec<Inline>, text: &str) {
    if text.is_empty() {
        return;
    }
    let text = collapse_spaces(text);
    if let Some(Inline::Text(previous)) = out.last_mut() {
        let text = if previous.ends_with(' ') {
            text.trim_start_matches(' ')
        } else {
            &text
        };
        previous.push_str(text);
    } else {
        out.push(Inline::Text(text));
    }
}

fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if !(c == ' ' && out.ends_with(' ')) {
            out.push(c);
        }
    }
    out
}

fn trim_ends(nodes: &mut Vec<Inline>) {
    while let Some(Inline::Text(first)) = nodes.first_mut() {
        *first = first.trim_start().to_string();
        if first.is_empty() {
            nodes.remove(0);
        } else {
            break;
        }
    }
    while let Some(Inline::Text(last)) = nodes.last_mut() {
        *last = last.trim_end().to_string();
        if last.is_empty() {
            nodes.pop();
        } else {
            break;
        }
    }
}
