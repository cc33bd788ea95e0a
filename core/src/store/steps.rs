//! Nested write steps on one database connection, for every backend: the
//! outermost step is a transaction, the ones inside it savepoints, so a
//! multi-record step can hold single-record writes that each open their own.
//! This says which SQL each step runs; the backend runs it.

use std::cell::Cell;

use super::StoreError;

/// How deep the open steps are.
#[derive(Debug)]
pub struct Steps {
    depth: Cell<u32>,
    /// What starts the outermost step (SQLite: `BEGIN IMMEDIATE`).
    begin: &'static str,
}

/// How a step ends.
#[derive(Debug, PartialEq, Eq)]
pub struct Closing {
    pub sql: String,
    /// It ends the transaction (a failed commit must then be rolled back).
    pub outermost: bool,
}

impl Steps {
    pub fn new(begin: &'static str) -> Self {
        Steps {
            depth: Cell::new(0),
            begin,
        }
    }

    /// The SQL that opens the next step.
    pub fn open(&self) -> String {
        let depth = self.depth.get();
        self.depth.set(depth + 1);
        match depth {
            0 => self.begin.to_owned(),
            d => format!("SAVEPOINT step{d}"),
        }
    }

    /// The SQL that ends the innermost step, keeping or undoing its writes.
    pub fn close(&self, keep: bool) -> Result<Closing, StoreError> {
        let depth = self
            .depth
            .get()
            .checked_sub(1)
            .ok_or_else(|| StoreError::Backend("commit or rollback without a step".into()))?;
        self.depth.set(depth);
        let sql = match (depth, keep) {
            (0, true) => "COMMIT".to_owned(),
            (0, false) => "ROLLBACK".to_owned(),
            (d, true) => format!("RELEASE step{d}"),
            (d, false) => format!("ROLLBACK TO step{d}; RELEASE step{d}"),
        };
        Ok(Closing {
            sql,
            outermost: depth == 0,
        })
    }

    /// A step is open (a transaction is in progress).
    pub fn is_open(&self) -> bool {
        self.depth.get() > 0
    }

    /// Forgets a step whose opening SQL failed.
    pub fn undo_open(&self) {
        self.depth.set(self.depth.get().saturating_sub(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inner_steps_are_savepoints_of_the_outer_transaction() {
        let s = Steps::new("BEGIN IMMEDIATE");
        assert_eq!(s.open(), "BEGIN IMMEDIATE");
        assert_eq!(s.open(), "SAVEPOINT step1");
        let inner = s.close(false).unwrap();
        assert_eq!(inner.sql, "ROLLBACK TO step1; RELEASE step1");
        assert!(!inner.outermost);
        assert_eq!(
            s.close(true).unwrap(),
            Closing {
                sql: "COMMIT".into(),
                outermost: true
            }
        );
        assert!(matches!(s.close(true), Err(StoreError::Backend(_))));
    }
}
