//! Small helpers for writing many rows in one statement.
use sqlx::AnyConnection;

/// The placeholders of `rows` rows of `per_row` values each, in the
/// connection's dialect: `(?, ?), (?, ?)` on SQLite, `($1, $2), ($3, $4)`
/// on PostgreSQL. SQLite looks a numbered parameter's name up by a linear
/// scan, so binding n numbered values costs n²: at a few thousand values a
/// statement that was most of a sweep's time. Callers keep `rows * per_row`
/// well inside both backends' limit on placeholders (32,766 on SQLite,
/// 65,535 on PostgreSQL).
pub(crate) fn value_rows(conn: &AnyConnection, rows: usize, per_row: usize) -> String {
    marks(conn.backend_name() == "SQLite", rows, per_row)
}

fn marks(anonymous: bool, rows: usize, per_row: usize) -> String {
    let mut out = String::with_capacity(rows * per_row * 6);
    for i in 0..rows {
        if i > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for k in 1..=per_row {
            if k > 1 {
                out.push_str(", ");
            }
            if anonymous {
                out.push('?');
            } else {
                out.push('$');
                out.push_str(&(i * per_row + k).to_string());
            }
        }
        out.push(')');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::marks;

    #[test]
    fn numbers_placeholders_row_by_row() {
        assert_eq!(marks(false, 2, 2), "($1, $2), ($3, $4)");
        assert_eq!(marks(false, 1, 3), "($1, $2, $3)");
        assert_eq!(marks(true, 2, 2), "(?, ?), (?, ?)");
        assert_eq!(marks(false, 0, 3), "");
    }
}
