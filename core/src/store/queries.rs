//! The query tables: what field screens and office lists read, without
//! opening documents.

use rusqlite::types::Value as Sql;
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{Store, StoreError};
use crate::documents::index::Facts;
use crate::documents::{IndexRow, RecordKind};
use crate::time::Millis;

/// A filter over the query table; every field left `None` matches all.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub kind: Option<RecordKind>,
    pub estates: Option<Vec<String>>,
    pub status: Option<String>,
    pub open: Option<bool>,
    pub assignee: Option<String>,
    pub unit_id: Option<String>,
    pub due_before: Option<Millis>,
    pub created_from: Option<Millis>,
    pub created_until: Option<Millis>,
    pub limit: Option<u32>,
}

const COLUMNS: &str = "id, kind, estate_id, status, open, conflicted, assignee, unit_id, category, emergency, created_at, due_at, done_at, title, facts";

fn from_row(r: &Row<'_>) -> rusqlite::Result<(IndexRow, String)> {
    let kind = r.get_ref(1)?.as_str()?;
    let facts: String = r.get(14)?;
    Ok((
        IndexRow {
            id: r.get(0)?,
            kind: RecordKind::parse(kind).unwrap_or(RecordKind::WorkOrder),
            estate_id: r.get(2)?,
            status: r.get(3)?,
            open: r.get(4)?,
            conflicted: r.get(5)?,
            assignee: r.get(6)?,
            unit_id: r.get(7)?,
            category: r.get(8)?,
            emergency: r.get(9)?,
            created_at: r.get(10)?,
            due_at: r.get(11)?,
            done_at: r.get(12)?,
            title: r.get(13)?,
            facts: Facts::from_text(String::new()),
        },
        facts,
    ))
}

/// A row read; its facts are parsed when first looked at.
fn finish((mut row, facts): (IndexRow, String)) -> Result<IndexRow, StoreError> {
    row.facts = Facts::from_text(facts);
    Ok(row)
}

/// Writes a record's row. Each index column set rewrites its index entries
/// (a page written to the log each) even when the value is unchanged, so the
/// indexed columns are set only when one of them differs: recording a
/// checklist item changes none of them.
pub(super) fn write_row(conn: &Connection, row: &IndexRow) -> Result<(), StoreError> {
    conn.prepare_cached(&format!(
        "INSERT INTO record_index ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, conflicted = excluded.conflicted,
            category = excluded.category, emergency = excluded.emergency,
            done_at = excluded.done_at, title = excluded.title, facts = excluded.facts"
    ))?
    .execute(params![
        row.id,
        row.kind.as_str(),
        row.estate_id,
        row.status,
        row.open,
        row.conflicted,
        row.assignee,
        row.unit_id,
        row.category,
        row.emergency,
        row.created_at,
        row.due_at,
        row.done_at,
        row.title,
        row.facts.text(),
    ])?;
    conn.prepare_cached(
        "UPDATE record_index SET kind = ?2, estate_id = ?3, open = ?4, assignee = ?5,
            unit_id = ?6, created_at = ?7, due_at = ?8
         WHERE id = ?1 AND NOT (kind IS ?2 AND estate_id IS ?3 AND open IS ?4 AND assignee IS ?5
            AND unit_id IS ?6 AND created_at IS ?7 AND due_at IS ?8)",
    )?
    .execute(params![
        row.id,
        row.kind.as_str(),
        row.estate_id,
        row.open,
        row.assignee,
        row.unit_id,
        row.created_at,
        row.due_at,
    ])?;
    Ok(())
}

pub(super) fn row(conn: &Connection, id: &str) -> Result<Option<IndexRow>, StoreError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM record_index WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .map(finish)
        .transpose()
}

impl Store {
    pub fn query(&self, q: &Query) -> Result<Vec<IndexRow>, StoreError> {
        let mut sql = format!("SELECT {COLUMNS} FROM record_index WHERE 1 = 1");
        let mut args: Vec<Sql> = vec![];
        let mut add = |clause: &str, v: Sql| {
            args.push(v);
            sql.push_str(&format!(" AND {clause} ?{}", args.len()));
        };
        if let Some(k) = q.kind {
            add("kind =", Sql::Text(k.as_str().into()));
        }
        if let Some(s) = &q.status {
            add("status =", Sql::Text(s.clone()));
        }
        if let Some(o) = q.open {
            add("open =", Sql::Integer(o as i64));
        }
        if let Some(a) = &q.assignee {
            add("assignee =", Sql::Text(a.clone()));
        }
        if let Some(u) = &q.unit_id {
            add("unit_id =", Sql::Text(u.clone()));
        }
        if let Some(t) = q.due_before {
            add("due_at <", Sql::Integer(t));
        }
        if let Some(t) = q.created_from {
            add("created_at >=", Sql::Integer(t));
        }
        if let Some(t) = q.created_until {
            add("created_at <", Sql::Integer(t));
        }
        if let Some(estates) = &q.estates {
            let marks: Vec<String> = estates
                .iter()
                .map(|e| {
                    args.push(Sql::Text(e.clone()));
                    format!("?{}", args.len())
                })
                .collect();
            sql.push_str(&format!(" AND estate_id IN ({})", marks.join(", ")));
        }
        // With a due bound every row has a due time, and the order is the
        // index's own (no sort).
        if q.due_before.is_some() {
            sql.push_str(" ORDER BY due_at, created_at");
        } else {
            sql.push_str(" ORDER BY due_at IS NULL, due_at, created_at");
        }
        if let Some(n) = q.limit {
            sql.push_str(&format!(" LIMIT {n}"));
        }
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), from_row)?;
        rows.map(|r| finish(r?)).collect()
    }
}
