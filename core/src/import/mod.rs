//! Spreadsheets the office already keeps, read into rows by their headers
//! ([`read`], `.csv` and `.xlsx`), and what one kind of sheet means
//! ([`estate_sheet`]: estates, units, residents and common areas). A sheet
//! of staff would be another module beside it over the same [`Sheet`].

pub mod estate_sheet;
pub mod staff_sheet;
#[cfg(feature = "sheets")]
pub mod read;

use serde::Serialize;

use crate::labels::Label;
use crate::message::{Bilingual, ErrorCode, Explain};

/// Most data rows a sheet may have: a large estate has a few thousand units.
pub const MAX_ROWS: usize = 20_000;

/// A sheet as text: its header row and the rows under it, every cell
/// trimmed, numbers written as the sheet shows them (`101`, not `101.0`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<SheetRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SheetRow {
    /// The row's number as the spreadsheet program shows it (the header is
    /// usually 1), so the office finds the row a message names.
    pub number: usize,
    pub cells: Vec<String>,
}

impl SheetRow {
    /// The cell under column `index`, or "" past the row's end.
    pub fn cell(&self, index: usize) -> &str {
        self.cells.get(index).map_or("", String::as_str)
    }

    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.is_empty())
    }
}

/// Why a file could not be read as a sheet at all (a row's own faults are
/// the row's errors, listed with it).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", self.message())]
pub enum SheetError {
    /// Neither `.xlsx` nor UTF-8 text.
    NotASheet,
    /// The old binary Excel format (`.xls`).
    OldExcel,
    /// A workbook calamine could not open, or CSV the reader could not parse.
    Unreadable(String),
    Empty,
    TooManyRows {
        rows: usize,
    },
    /// No header names a column this sheet needs.
    MissingColumns {
        needed: Bilingual,
    },
}

impl Explain for SheetError {
    fn code(&self) -> ErrorCode {
        match self {
            SheetError::TooManyRows { .. } => ErrorCode::TooLarge,
            _ => ErrorCode::Invalid,
        }
    }

    fn message(&self) -> Bilingual {
        match self {
            SheetError::NotASheet => Bilingual::new(
                "文件不是表格:请上传 .xlsx 或 UTF-8 编码的 .csv 文件",
                "the file is not a spreadsheet: upload an .xlsx file or a UTF-8 .csv file",
            ),
            SheetError::OldExcel => Bilingual::new(
                "不支持旧版 .xls 文件:请在 Excel/WPS 中另存为 .xlsx",
                "old .xls files are not read: save it as .xlsx in Excel or WPS",
            ),
            SheetError::Unreadable(why) => Bilingual::new(
                format!("无法读取表格:{why}"),
                format!("the spreadsheet cannot be read: {why}"),
            ),
            SheetError::Empty => Bilingual::new("表格是空的", "the spreadsheet is empty"),
            SheetError::TooManyRows { rows } => Bilingual::new(
                format!("表格有{rows}行,最多{MAX_ROWS}行"),
                format!("the spreadsheet has {rows} rows; at most {MAX_ROWS} are read"),
            ),
            SheetError::MissingColumns { needed } => needed.after("缺少表头", "missing columns"),
        }
    }

    fn field(&self) -> Option<String> {
        Some("file".into())
    }
}

/// A header as compared: no spaces, no required-field marks, lower case,
/// so "房号*", " 房 号" and "Unit" all match what they mean.
pub fn header_key(header: &str) -> String {
    header
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '\u{ff0a}' | ':' | '\u{ff1a}'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Which known column each header is, by any of its names (`None` for a
/// header this sheet does not use; the first of two same columns wins).
pub fn columns<C: Copy + PartialEq>(headers: &[String], known: &[(C, &[&str])]) -> Vec<Option<C>> {
    let mut seen: Vec<C> = vec![];
    headers
        .iter()
        .map(|h| {
            let key = header_key(h);
            let column = known
                .iter()
                .find(|(_, names)| names.iter().any(|n| header_key(n) == key))
                .map(|(c, _)| *c)
                .filter(|c| !seen.contains(c));
            seen.extend(column);
            column
        })
        .collect()
}

/// What a row of an import does: the same four for every kind of sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
    Bad,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Created,
        Outcome::Updated,
        Outcome::Unchanged,
        Outcome::Bad,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Outcome::Created => "created",
            Outcome::Updated => "updated",
            Outcome::Unchanged => "unchanged",
            Outcome::Bad => "bad",
        }
    }

    pub fn label(self) -> Label {
        let (zh, en) = match self {
            Outcome::Created => ("新增", "New"),
            Outcome::Updated => ("更新", "Updated"),
            Outcome::Unchanged => ("无变化", "Unchanged"),
            Outcome::Bad => ("有错误", "Has errors"),
        };
        Label { zh, en }
    }
}
