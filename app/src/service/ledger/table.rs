//! Reading a ledger file: the rows of a CSV (UTF-8, with or without BOM,
//! or GB18030 as Chinese spreadsheet programs save it) or of an XLSX's first
//! sheet, each cell as text. The parsing is the `csv`, `encoding_rs`,
//! `zip` and `calamine` crates'.
//!
//! A file is untrusted: a few kilobytes can name a cell at XFD1048576 or
//! unpack to gigabytes. So nothing here is sized by what the file claims.
//! An XLSX is first unpacked into nothing, counting, and refused past
//! [`Limits::unpacked_bytes`]; its cells are then streamed one by one (never
//! the sheet's bounding box) and counted against the row, column and cell
//! limits before a table is built. Reading runs on a blocking thread, a few
//! at a time ([`read`]), so a large file never stalls the async workers.
use crate::i18n::Msg;
use domain::ledger::excel_day;
use std::io::{Cursor, Read};
use std::sync::Arc;

/// The largest ledger file accepted.
pub const MAX_FILE_BYTES: usize = 40 * 1024 * 1024;
/// The most rows one ledger may have.
pub const MAX_ROWS: usize = 200_000;

/// What one ledger may hold.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Data rows (the heading row is not counted).
    pub rows: usize,
    /// Columns, from the first used to the last.
    pub columns: usize,
    /// Cells of the table, blank ones between used ones included.
    pub cells: usize,
    /// Bytes an XLSX's parts unpack to, all parts together.
    pub unpacked_bytes: u64,
    /// Parts of an XLSX.
    pub parts: usize,
}

impl Limits {
    /// The limits of the ledger import.
    pub const LEDGER: Limits = Limits {
        rows: MAX_ROWS,
        columns: 64,
        cells: 4_000_000,
        unpacked_bytes: 256 * 1024 * 1024,
        parts: 1_000,
    };
}

/// At most this many files are read at once (each may take a few hundred
/// megabytes while it is read).
static READERS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Read a ledger file on a blocking thread, a few at a time, with the
/// ledger's limits.
pub async fn read(file_name: &str, bytes: Arc<[u8]>) -> Result<Vec<Vec<String>>, Msg> {
    let Ok(_permit) = READERS.acquire().await else {
        return Err(Msg::ErrImportUnreadable);
    };
    let file_name = file_name.to_owned();
    tokio::task::spawn_blocking(move || read_table(&file_name, &bytes, Limits::LEDGER))
        .await
        .unwrap_or_else(|e| {
            tracing::error!(error = %e, "reading a ledger file failed");
            Err(Msg::ErrImportUnreadable)
        })
}

/// The rows of a CSV (UTF-8, with or without BOM, or GB18030 as Chinese
/// spreadsheet programs save it) or of an XLSX's first sheet, within
/// `limits`.
pub fn read_table(file_name: &str, bytes: &[u8], limits: Limits) -> Result<Vec<Vec<String>>, Msg> {
    let is_xlsx =
        bytes.starts_with(b"PK\x03\x04") || file_name.to_ascii_lowercase().ends_with(".xlsx");
    let mut rows = if is_xlsx {
        read_xlsx(bytes, limits)?
    } else {
        read_csv(bytes, limits)?
    };
    // Trailing blank rows are no rows.
    while rows
        .last()
        .is_some_and(|r| r.iter().all(|c| c.trim().is_empty()))
    {
        rows.pop();
    }
    if rows.len() < 2 {
        return Err(Msg::ErrImportEmpty);
    }
    if rows.len() > limits.rows + 1 {
        return Err(Msg::ErrImportTooManyRows);
    }
    Ok(rows)
}

fn read_csv(bytes: &[u8], limits: Limits) -> Result<Vec<Vec<String>>, Msg> {
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
    let mut cells = 0usize;
    for record in reader.records() {
        let record = record.map_err(|_| Msg::ErrImportUnreadable)?;
        if record.len() > limits.columns {
            return Err(Msg::ErrImportTooManyColumns);
        }
        cells += record.len();
        if cells > limits.cells {
            return Err(Msg::ErrImportSheetTooLarge);
        }
        rows.push(record.iter().map(str::to_owned).collect());
        if rows.len() > limits.rows + 1 {
            return Err(Msg::ErrImportTooManyRows);
        }
    }
    Ok(rows)
}

/// Unpack every part of the archive into nothing, counting: refused when
/// the parts together unpack to more than the limit (whatever sizes the
/// archive declares) or there are too many of them.
fn check_unpacked_size(bytes: &[u8], limits: Limits) -> Result<(), Msg> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Msg::ErrImportUnreadable)?;
    if zip.len() > limits.parts {
        return Err(Msg::ErrImportSheetTooLarge);
    }
    let mut left = limits.unpacked_bytes;
    for i in 0..zip.len() {
        let part = zip.by_index(i).map_err(|_| Msg::ErrImportUnreadable)?;
        let unpacked = std::io::copy(&mut part.take(left + 1), &mut std::io::sink())
            .map_err(|_| Msg::ErrImportUnreadable)?;
        if unpacked > left {
            return Err(Msg::ErrImportSheetTooLarge);
        }
        left -= unpacked;
    }
    Ok(())
}

/// One used cell: its row and column in the sheet and its text.
struct Used {
    row: u32,
    column: u32,
    text: String,
}

fn read_xlsx(bytes: &[u8], limits: Limits) -> Result<Vec<Vec<String>>, Msg> {
    use calamine::{Reader, Xlsx};
    check_unpacked_size(bytes, limits)?;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| Msg::ErrImportUnreadable)?;
    let first = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or(Msg::ErrImportEmpty)?;
    let mut cells = book
        .worksheet_cells_reader(&first)
        .map_err(|_| Msg::ErrImportUnreadable)?;
    let mut used: Vec<Used> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(|_| Msg::ErrImportUnreadable)? {
        let text = cell_text(cell.get_value());
        if text.is_empty() {
            continue;
        }
        if used.len() >= limits.cells {
            return Err(Msg::ErrImportSheetTooLarge);
        }
        let (row, column) = cell.get_position();
        used.push(Used { row, column, text });
    }
    table_of(used, limits)
}

/// The table the used cells span, from the first used row and column, each
/// row as long as its last used cell; refused past the limits before it is
/// built.
fn table_of(mut used: Vec<Used>, limits: Limits) -> Result<Vec<Vec<String>>, Msg> {
    let (Some(top), Some(left)) = (
        used.iter().map(|c| c.row).min(),
        used.iter().map(|c| c.column).min(),
    ) else {
        return Ok(Vec::new());
    };
    let bottom = used.iter().map(|c| c.row).max().unwrap_or(top);
    let right = used.iter().map(|c| c.column).max().unwrap_or(left);
    let height = usize::try_from(bottom - top).map_or(usize::MAX, |h| h.saturating_add(1));
    let width = usize::try_from(right - left).map_or(usize::MAX, |w| w.saturating_add(1));
    if height > limits.rows + 1 {
        return Err(Msg::ErrImportTooManyRows);
    }
    if width > limits.columns {
        return Err(Msg::ErrImportTooManyColumns);
    }
    used.sort_unstable_by_key(|c| (c.row, c.column));
    // Each row is as wide as its last used cell; all rows together are
    // counted before any is made.
    let mut widths = vec![0usize; height];
    for c in &used {
        let (r, col) = ((c.row - top) as usize, (c.column - left) as usize + 1);
        widths[r] = widths[r].max(col);
    }
    if widths.iter().sum::<usize>() > limits.cells {
        return Err(Msg::ErrImportSheetTooLarge);
    }
    let mut rows: Vec<Vec<String>> = widths.iter().map(|&w| vec![String::new(); w]).collect();
    for c in used {
        rows[(c.row - top) as usize][(c.column - left) as usize] = c.text;
    }
    Ok(rows)
}

fn cell_text(cell: &calamine::DataRef<'_>) -> String {
    use calamine::DataRef;
    match cell {
        DataRef::Empty | DataRef::Error(_) => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => excel_day(d.as_f64())
            .map(|d| d.to_string())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::io::Write;

    fn xlsx(cells: &[(u32, u16, &str)]) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for &(row, col, text) in cells {
            sheet.write_string(row, col, text).unwrap();
        }
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn a_sheet_is_read_from_its_first_used_cell() {
        let bytes = xlsx(&[
            (1, 1, "日期"),
            (1, 2, "概要"),
            (2, 1, "2026-01-02"),
            (3, 2, "噪音"),
        ]);
        let rows = read_table("a.xlsx", &bytes, Limits::LEDGER).unwrap();
        assert_eq!(
            rows,
            vec![
                vec!["日期".to_owned(), "概要".to_owned()],
                vec!["2026-01-02".to_owned()],
                vec![String::new(), "噪音".to_owned()],
            ]
        );
    }

    #[test]
    fn two_cells_at_opposite_corners_are_refused_without_building_the_sheet() {
        let bytes = xlsx(&[(0, 0, "a"), (1_048_575, 16_383, "b")]);
        assert!(bytes.len() < 10_000);
        assert_eq!(
            read_table("corners.xlsx", &bytes, Limits::LEDGER),
            Err(Msg::ErrImportTooManyRows)
        );
        let wide = xlsx(&[(0, 0, "a"), (1, 16_383, "b")]);
        assert_eq!(
            read_table("wide.xlsx", &wide, Limits::LEDGER),
            Err(Msg::ErrImportTooManyColumns)
        );
    }

    #[test]
    fn a_sheet_with_too_many_cells_is_refused() {
        let cells: Vec<(u32, u16, &str)> = (0..10)
            .flat_map(|r| (0..5).map(move |c| (r, c, "x")))
            .collect();
        let bytes = xlsx(&cells);
        let small = Limits {
            cells: 49,
            ..Limits::LEDGER
        };
        assert_eq!(
            read_table("a.xlsx", &bytes, small),
            Err(Msg::ErrImportSheetTooLarge)
        );
        let enough = Limits {
            cells: 50,
            ..Limits::LEDGER
        };
        assert_eq!(read_table("a.xlsx", &bytes, enough).unwrap().len(), 10);
        // Blank cells between used ones count: two used cells a row apart
        // in the first and the last column span two rows of four.
        let sparse = xlsx(&[(0, 0, "a"), (1, 3, "b")]);
        let tight = Limits {
            cells: 4,
            ..Limits::LEDGER
        };
        assert_eq!(
            read_table("a.xlsx", &sparse, tight),
            Err(Msg::ErrImportSheetTooLarge)
        );
    }

    #[test]
    fn a_part_that_unpacks_past_the_limit_is_refused_whatever_it_declares() {
        // A well-formed workbook plus one part of zeros that deflates to a
        // few kilobytes.
        let mut out = Cursor::new(Vec::new());
        {
            let book = xlsx(&[(0, 0, "a"), (1, 0, "b")]);
            let mut src = zip::ZipArchive::new(Cursor::new(book)).unwrap();
            let mut zip = zip::ZipWriter::new(&mut out);
            for i in 0..src.len() {
                zip.raw_copy_file(src.by_index(i).unwrap()).unwrap();
            }
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            zip.start_file("xl/media/zeros.bin", options).unwrap();
            let zeros = vec![0u8; 1024 * 1024];
            for _ in 0..8 {
                zip.write_all(&zeros).unwrap();
            }
            zip.finish().unwrap();
        }
        let bytes = out.into_inner();
        assert!(bytes.len() < 64 * 1024, "{}", bytes.len());
        let small = Limits {
            unpacked_bytes: 4 * 1024 * 1024,
            ..Limits::LEDGER
        };
        assert_eq!(
            read_table("bomb.xlsx", &bytes, small),
            Err(Msg::ErrImportSheetTooLarge)
        );
        assert_eq!(
            read_table("bomb.xlsx", &bytes, Limits::LEDGER)
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn a_csv_past_the_limits_is_refused() {
        let wide = format!("{}\n1\n", vec!["h"; 65].join(","));
        assert_eq!(
            read_table("a.csv", wide.as_bytes(), Limits::LEDGER),
            Err(Msg::ErrImportTooManyColumns)
        );
        let many = "a,b\n1,2\n3,4\n";
        let tight = Limits {
            cells: 5,
            ..Limits::LEDGER
        };
        assert_eq!(
            read_table("a.csv", many.as_bytes(), tight),
            Err(Msg::ErrImportSheetTooLarge)
        );
        assert_eq!(
            read_table("a.csv", many.as_bytes(), Limits::LEDGER)
                .unwrap()
                .len(),
            3
        );
    }
}
