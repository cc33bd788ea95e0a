//! The policy tables as Markdown, for `core/POLICY.md`: the document is
//! generated from the tables, so it cannot drift from what is enforced.

use std::fmt::Write;

use super::table::{Mode, Names, States, Table, Writer};
use super::{tables, Code};

fn writers(list: &[Writer]) -> String {
    list.iter()
        .map(|w| w.describe())
        .collect::<Vec<_>>()
        .join(", ")
}

fn table_markdown(out: &mut String, t: &Table) {
    let _ = writeln!(out, "### {}\n", t.kind);
    let _ = writeln!(out, "Created by: {}.\n", writers(t.creators));
    let _ = writeln!(out, "| field | rule | who | when | names the author |");
    let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
    for r in t.rules {
        let (_, mode) = r.mode.describe();
        let who = match r.mode {
            Mode::Fixed | Mode::Keys => "—".to_string(),
            _ => writers(r.writers),
        };
        let when = match r.states {
            States::Any => "any status".to_string(),
            States::In(s) => s.join(", "),
        };
        let names = match r.names {
            Names::Nobody => String::new(),
            Names::Itself => "the value".into(),
            Names::Field(f) => format!("each new item's `{f}`"),
        };
        let _ = writeln!(out, "| `{}` | {mode} | {who} | {when} | {names} |", r.path);
    }
    out.push('\n');
}

/// Every kind's table and the refusal codes, as `core/POLICY.md` holds them
/// between its generated-section markers.
pub fn policy_markdown() -> String {
    let mut out = String::new();
    out.push_str("## Refusal codes\n\n| code | meaning |\n| --- | --- |\n");
    for c in Code::ALL {
        let _ = writeln!(out, "| `{}` | {} |", c.as_str(), c.meaning());
    }
    out.push_str("\n## Tables\n\nEvery record also has its envelope (`id`, `kind`, `schema`, `estate_id`): set at creation, never changed.\n\n");
    for t in tables() {
        table_markdown(&mut out, t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: &str = "<!-- generated from core/src/policy: start -->\n";
    const END: &str = "<!-- generated from core/src/policy: end -->";

    /// POLICY.md shows the tables the code enforces. After changing a
    /// table, rewrite it with `ROUNDS_WRITE_POLICY=1 cargo test -p rounds-core --lib written_policy`.
    #[test]
    fn written_policy_matches_the_tables() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/POLICY.md");
        let text = std::fs::read_to_string(path).expect("core/POLICY.md");
        let (head, rest) = text.split_once(START).expect("start marker");
        let (_, tail) = rest.split_once(END).expect("end marker");
        let expected = format!("{head}{START}{}{END}{tail}", policy_markdown());
        if std::env::var_os("ROUNDS_WRITE_POLICY").is_some() {
            std::fs::write(path, &expected).expect("write POLICY.md");
        }
        assert!(
            text == expected,
            "core/POLICY.md is out of date: run ROUNDS_WRITE_POLICY=1 cargo test -p rounds-core --lib written_policy"
        );
    }
}
