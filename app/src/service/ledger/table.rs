//! Reading a ledger file: the rows of a CSV (UTF-8, with or without BOM,
//! or GB18030 as Chinese spreadsheet programs save it) or of an XLSX's first
//! sheet, each cell as text. The parsing is the `csv`, `encoding_rs` and
//! `calamine` crates'.
use crate::i18n::Msg;
use domain::ledger::excel_day;

/// The largest ledger file accepted.
pub const MAX_FILE_BYTES: usize = 40 * 1024 * 1024;
/// The most rows one ledger may have.
pub const MAX_ROWS: usize = 200_000;

/// The rows of a CSV (UTF-8, with or without BOM, or GB18030 as Chinese
/// spreadsheet programs save it) or of an XLSX's first sheet.
pub fn read_table(file_name: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>, Msg> {
    let is_xlsx =
        bytes.starts_with(b"PK\x03\x04") || file_name.to_ascii_lowercase().ends_with(".xlsx");
    let rows = if is_xlsx {
        read_xlsx(bytes)?
    } else {
        read_csv(bytes)?
    };
    // Trailing blank rows are no rows.
    let mut rows: Vec<Vec<String>> = rows;
    while rows
        .last()
        .is_some_and(|r| r.iter().all(|c| c.trim().is_empty()))
    {
        rows.pop();
    }
    if rows.len() < 2 {
        return Err(Msg::ErrImportEmpty);
    }
    if rows.len() > MAX_ROWS + 1 {
        return Err(Msg::ErrImportTooManyRows);
    }
    Ok(rows)
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, Msg> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => {
            let (t, _, bad) = encoding_rs::GB18030.decode(bytes);
            if bad {
                return Err(Msg::ErrImportUnreadable);
            }
            t
        }
    };
    if text.contains('\0') {
        return Err(Msg::ErrImportUnreadable);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| Msg::ErrImportUnreadable)?;
        rows.push(record.iter().map(str::to_owned).collect());
        if rows.len() > MAX_ROWS + 1 {
            return Err(Msg::ErrImportTooManyRows);
        }
    }
    Ok(rows)
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, Msg> {
    use calamine::{Data, Reader};
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|_| Msg::ErrImportUnreadable)?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(Msg::ErrImportEmpty)?
        .map_err(|_| Msg::ErrImportUnreadable)?;
    Ok(range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                    Data::Int(i) => i.to_string(),
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                        format!("{f:.0}")
                    }
                    Data::Float(f) => f.to_string(),
                    Data::Bool(b) => b.to_string(),
                    Data::DateTime(d) => excel_day(d.as_f64())
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    Data::Error(_) => String::new(),
                })
                .collect()
        })
        .collect())
}
