//! Reads an uploaded file into a [`Sheet`]: `.xlsx` (its first worksheet)
//! by calamine, anything else as UTF-8 CSV by the csv crate. The kind is told
//! by the bytes, not the file name, which an upload may not carry.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use super::{Sheet, SheetError, SheetRow, MAX_ROWS};

/// A zip archive's first bytes: an `.xlsx` is one.
const ZIP: &[u8] = b"PK\x03\x04";
/// An OLE compound file's first bytes: the old `.xls`.
const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0];
const BOM: &str = "\u{feff}";

pub fn read(bytes: &[u8]) -> Result<Sheet, SheetError> {
    let rows = if bytes.starts_with(ZIP) {
        xlsx_rows(bytes)?
    } else if bytes.starts_with(OLE) {
        return Err(SheetError::OldExcel);
    } else {
        csv_rows(bytes)?
    };
    into_sheet(rows)
}

/// The first non-blank row is the header; blank rows under it are dropped.
fn into_sheet(rows: Vec<SheetRow>) -> Result<Sheet, SheetError> {
    let mut rows = rows.into_iter().filter(|r| !r.is_blank());
    let header = rows.next().ok_or(SheetError::Empty)?;
    let rows: Vec<SheetRow> = rows.take(MAX_ROWS + 1).collect();
    if rows.len() > MAX_ROWS {
        return Err(SheetError::TooManyRows { rows: rows.len() });
    }
    Ok(Sheet {
        headers: header.cells,
        rows,
    })
}

fn csv_rows(bytes: &[u8]) -> Result<Vec<SheetRow>, SheetError> {
    // Text with NUL bytes, or not UTF-8 (a GBK export, an image), is no CSV
    // this reads: saying so beats importing mojibake.
    let text = std::str::from_utf8(bytes).map_err(|_| SheetError::NotASheet)?;
    if text.contains('\0') {
        return Err(SheetError::NotASheet);
    }
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = vec![];
    // The line a record is on, counted here: the reader's own count starts
    // a record at the blank lines before it.
    let (mut counted_to, mut line) = (0, 1);
    for record in reader.records() {
        let record = record.map_err(|e| SheetError::Unreadable(e.to_string()))?;
        let start = record.position().map_or(counted_to, |p| p.byte() as usize);
        let start = start
            + text.as_bytes()[start..]
                .iter()
                .take_while(|b| matches!(b, b'\n' | b'\r'))
                .count();
        line += text.as_bytes()[counted_to..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        counted_to = start;
        let number = line;
        rows.push(SheetRow {
            number,
            cells: record.iter().map(|c| c.trim().to_owned()).collect(),
        });
        if rows.len() > MAX_ROWS + 1 {
            break;
        }
    }
    Ok(rows)
}

fn xlsx_rows(bytes: &[u8]) -> Result<Vec<SheetRow>, SheetError> {
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| SheetError::Unreadable(e.to_string()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(SheetError::Empty)?
        .map_err(|e| SheetError::Unreadable(e.to_string()))?;
    let first = range.start().map_or(0, |(row, _)| row as usize);
    let left = range.start().map_or(0, |(_, col)| col as usize);
    Ok(range
        .rows()
        .take(MAX_ROWS + 2)
        .enumerate()
        .map(|(i, cells)| SheetRow {
            number: first + i + 1,
            // Columns left of the used range are empty, so a cell keeps the
            // index of its header whatever column the table starts in.
            cells: std::iter::repeat_n(String::new(), left)
                .chain(cells.iter().map(cell_text))
                .collect(),
        })
        .collect())
}

/// A cell as the sheet shows it: whole numbers without `.0` (a phone number
/// or a room number typed as a number), errors as nothing.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Error(_) | Data::Empty => String::new(),
        other => other.to_string().trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::Workbook;

    #[test]
    fn csv_rows_are_read_by_line_with_a_bom_and_blank_lines_dropped() {
        let text = "\u{feff}楼栋,单元,房号\n\n1栋, 1单元 ,101\n\"2栋\",\"2单元\",\"202\"\n";
        let sheet = read(text.as_bytes()).unwrap();
        assert_eq!(sheet.headers, ["楼栋", "单元", "房号"]);
        assert_eq!(sheet.rows.len(), 2);
        assert_eq!(sheet.rows[0].number, 3);
        assert_eq!(sheet.rows[0].cells, ["1栋", "1单元", "101"]);
        assert_eq!(sheet.rows[1].cell(2), "202");
        assert_eq!(sheet.rows[1].cell(7), "");
    }

    #[test]
    fn an_xlsx_made_by_a_spreadsheet_program_is_read_with_its_row_numbers() {
        let mut book = Workbook::new();
        let ws = book.add_worksheet();
        ws.write_string(0, 1, "楼栋").unwrap();
        ws.write_string(0, 2, "房号").unwrap();
        ws.write_string(0, 3, "电话").unwrap();
        ws.write_string(1, 1, "3栋").unwrap();
        ws.write_number(1, 2, 302.0).unwrap();
        ws.write_number(1, 3, 13_800_138_000.0).unwrap();
        ws.write_string(3, 1, "4栋").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let sheet = read(&bytes).unwrap();
        assert_eq!(sheet.headers[1..], ["楼栋", "房号", "电话"]);
        assert_eq!(sheet.rows[0].number, 2);
        assert_eq!(sheet.rows[0].cells[1..], ["3栋", "302", "13800138000"]);
        // The blank third row is dropped; the fourth keeps its number.
        assert_eq!(sheet.rows[1].number, 4);
        assert_eq!(sheet.rows[1].cell(1), "4栋");
    }

    #[test]
    fn a_file_that_is_no_sheet_is_refused_saying_what_to_upload() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(read(png), Err(SheetError::NotASheet));
        let gbk = b"\xc2\xa5\xb6\xb0,\xb7\xbf\xba\xc5\n";
        assert_eq!(read(gbk), Err(SheetError::NotASheet));
        assert_eq!(
            read(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1]),
            Err(SheetError::OldExcel)
        );
        assert!(matches!(
            read(b"PK\x03\x04broken"),
            Err(SheetError::Unreadable(_))
        ));
        assert_eq!(read(b"\n \n"), Err(SheetError::Empty));
    }

    #[test]
    fn a_sheet_past_the_row_limit_is_refused_whole() {
        let mut text = String::from("楼栋\n");
        for i in 0..=MAX_ROWS {
            text.push_str(&format!("{i}\n"));
        }
        assert!(matches!(
            read(text.as_bytes()),
            Err(SheetError::TooManyRows { .. })
        ));
    }
}
