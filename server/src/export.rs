//! Lists and figures as files, headings in the reader's language.
//!
//! - `/dashboard/export.csv` (one long table: the total, then per month,
//!   category and area) and `/dashboard/export.xlsx` (that table, the
//!   per-tier figures and the monthly report, one sheet each): same query
//!   as the page (`from`, `to`, `category`, `area`), same authorization
//!   (supervisors and administrators, their own subtree).
//! - `/cases/export.csv` and `/cases/export.xlsx`: the case list with the
//!   page's filters, read through the page's own server function (so the
//!   same rules decide what is in it), at most [`MAX_EXPORT_ROWS`] rows.
use app::i18n::{Lang, Msg};
use app::model::{colour_label, risk_label, status_label, DashboardView};
use app::server::AppState;
use app::service::case_list::{self, CaseQuery, MAX_PAGE};
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::figures::{Rate, Tally};
use domain::outcome::format_amount;
use std::collections::HashMap;
use store::users::User;

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Filters {
    from: String,
    to: String,
    category: String,
    area: String,
}

/// Who is asking, or the status to answer with.
async fn requester(state: &AppState, headers: &HeaderMap) -> Result<User, Response> {
    match crate::files::user(state, headers).await {
        Ok(Some(me)) => Ok(me),
        Ok(None) => Err(StatusCode::UNAUTHORIZED.into_response()),
        Err(e) => {
            tracing::error!(error = %e, "session lookup failed");
            Err(StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
    }
}

/// The figures for this request, or the status to answer with.
async fn figures(
    state: &AppState,
    headers: &HeaderMap,
    f: &Filters,
) -> Result<(DashboardView, Lang), Response> {
    let me = requester(state, headers).await?;
    let lang = app::server::lang_in(headers);
    let today = domain::time::local_date(state.clock.now());
    let figures = app::api::figures::ssr::dashboard(
        &state.db,
        &me,
        today,
        &f.from,
        &f.to,
        &f.category,
        &f.area,
    )
    .await
    .map_err(|e| {
        let status = app::server::status_of(&e);
        if status.is_server_error() {
            tracing::error!(error = ?e, "dashboard export failed");
        }
        status.into_response()
    })?;
    audited(state, &me, "dashboard.export", "").await?;
    Ok((figures, lang))
}

/// A rate as text, empty when there is no base.
fn rate(r: Option<Rate>) -> String {
    r.map(Rate::percent).unwrap_or_default()
}

/// The long table: a heading row, then one row per group.
fn long_table(d: &DashboardView, lang: Lang) -> Vec<Vec<String>> {
    let m = |msg: Msg| msg.text(lang).to_owned();
    let mut rows = vec![vec![
        m(Msg::ExportDimension),
        m(Msg::ExportName),
        m(Msg::DashTakenIn),
        m(Msg::DashResolved),
        m(Msg::DashResolutionRate),
        m(Msg::DashSuccessRate),
        m(Msg::DashOnTimeRate),
        m(Msg::DashFoundEarly),
        m(Msg::DashPrevented),
    ]];
    let mut push = |dimension: Msg, name: String, t: &Tally| {
        rows.push(vec![
            m(dimension),
            name,
            t.taken_in.to_string(),
            t.resolved().to_string(),
            rate(t.resolution_rate()),
            rate(t.success_rate()),
            rate(t.on_time_rate()),
            t.found_early.to_string(),
            t.prevented.to_string(),
        ]);
    };
    push(Msg::DashTotal, d.area_name.clone(), &d.total);
    for (month, t) in &d.by_month {
        push(Msg::ExportMonth, month.clone(), t);
    }
    for c in &d.by_category {
        push(Msg::ColCategory, c.category.name(lang).to_owned(), &c.tally);
    }
    for a in &d.by_area {
        push(Msg::ColArea, a.name.clone(), &a.tally);
    }
    rows
}

fn tier_table(d: &DashboardView, lang: Lang) -> Vec<Vec<String>> {
    let m = |msg: Msg| msg.text(lang).to_owned();
    let mut rows = vec![vec![
        m(Msg::DashColTier),
        m(Msg::DashResolved),
        m(Msg::DashColShare),
        m(Msg::DashColDays),
    ]];
    for f in &d.by_tier {
        rows.push(vec![
            f.tier.name(lang).to_owned(),
            f.resolved.to_string(),
            rate(f.share_at_or_below),
            f.average_days_tenths
                .map(|t| format!("{}.{}", t / 10, t % 10))
                .unwrap_or_default(),
        ]);
    }
    rows
}

fn monthly_table(d: &DashboardView, lang: Lang) -> Vec<Vec<String>> {
    let m = |msg: Msg| msg.text(lang).to_owned();
    let mut rows = vec![vec![
        m(Msg::ColCategory),
        m(Msg::DashTakenIn),
        m(Msg::DashResolved),
        m(Msg::DashSucceeded),
        m(Msg::DashAgreements),
        m(Msg::DashAmount),
    ]];
    let mut total = [0i64; 5];
    for r in &d.monthly {
        let n = [
            r.taken_in,
            r.resolved,
            r.succeeded,
            r.agreements,
            r.amount_fen,
        ];
        total.iter_mut().zip(n).for_each(|(t, v)| *t += v);
        rows.push(line(r.category.name(lang).to_owned(), n));
    }
    rows.push(line(m(Msg::DashTotal), total));
    rows
}

fn line(name: String, n: [i64; 5]) -> Vec<String> {
    let mut row = vec![name];
    row.extend(n[..4].iter().map(i64::to_string));
    row.push(format_amount(n[4]));
    row
}

/// RFC 4180: quote a field that holds a comma, quote or line break. Text
/// that a spreadsheet would run as a formula gets a leading `'`.
fn csv_field(s: &str) -> String {
    let formula = s.starts_with(['=', '+', '@', '\t', '\r'])
        || (s.starts_with('-') && s.parse::<f64>().is_err());
    let s = if formula {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn csv(rows: &[Vec<String>]) -> String {
    // A byte-order mark, so spreadsheet programs read the Chinese as UTF-8.
    let mut out = String::from("\u{feff}");
    for row in rows {
        let fields: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

fn attachment(content_type: &str, name: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

pub async fn export_csv(
    State(state): State<AppState>,
    Query(f): Query<Filters>,
    headers: HeaderMap,
) -> Response {
    match figures(&state, &headers, &f).await {
        Ok((d, lang)) => attachment(
            "text/csv; charset=utf-8",
            &format!("fengqiao-{}-{}.csv", d.from, d.to),
            csv(&long_table(&d, lang)).into_bytes(),
        ),
        Err(r) => r,
    }
}

/// A workbook of the three tables; numbers stay numbers.
fn workbook(d: &DashboardView, lang: Lang) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheets = [
        (Msg::DashTitle, long_table(d, lang)),
        (Msg::DashByTier, tier_table(d, lang)),
        (Msg::ExportMonthlySheet, monthly_table(d, lang)),
    ];
    for (title, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(title.text(lang).chars().take(31).collect::<String>())?;
        for (r, row) in rows.iter().enumerate() {
            let r = u32::try_from(r).unwrap_or(u32::MAX);
            for (c, value) in row.iter().enumerate() {
                let c = u16::try_from(c).unwrap_or(u16::MAX);
                match value.parse::<f64>() {
                    Ok(n) if r > 0 && c > 0 => sheet.write_number(r, c, n)?,
                    _ => sheet.write_string(r, c, value)?,
                };
            }
        }
        sheet.set_column_width(0, 18)?;
    }
    book.save_to_buffer()
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    Query(f): Query<Filters>,
    headers: HeaderMap,
) -> Response {
    match figures(&state, &headers, &f).await {
        Ok((d, lang)) => match workbook(&d, lang) {
            Ok(bytes) => attachment(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                &format!("fengqiao-{}-{}.xlsx", d.from, d.to),
                bytes,
            ),
            Err(e) => {
                tracing::error!(error = %e, "workbook failed");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        },
        Err(r) => r,
    }
}

/// The most rows a case-list export holds.
pub const MAX_EXPORT_ROWS: usize = 50_000;

/// Every case the list shows for these filters, as rows with a heading row;
/// the last row says so when the list was cut short.
/// The case list's rows for the export, the export audited (who, how many rows).
async fn case_rows(
    state: &AppState,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
    lang: Lang,
) -> Result<Vec<Vec<String>>, Response> {
    let me = requester(state, headers).await?;
    let rows = collect_case_rows(state, &me, query, lang).await?;
    let detail = format!("{} rows", rows.len().saturating_sub(1));
    audited(state, &me, "cases.export", &detail).await?;
    Ok(rows)
}

/// Record that `me` exported something; an export that cannot be audited
/// is not given.
async fn audited(state: &AppState, me: &User, action: &str, detail: &str) -> Result<(), Response> {
    store::audit::note_read(
        &state.db,
        me.id,
        state.clock.now(),
        action,
        "export",
        None,
        detail,
    )
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "export not audited");
        StatusCode::INTERNAL_SERVER_ERROR.into_response()
    })
}

async fn collect_case_rows(
    state: &AppState,
    me: &User,
    query: &HashMap<String, String>,
    lang: Lang,
) -> Result<Vec<Vec<String>>, Response> {
    let m = |msg: Msg| msg.text(lang).to_owned();
    let mut rows = vec![vec![
        m(Msg::ColCode),
        m(Msg::ColTitle),
        m(Msg::ColStatus),
        m(Msg::ColTier),
        m(Msg::ColCategory),
        m(Msg::ColArea),
        m(Msg::ColOwner),
        m(Msg::ColRisk),
        m(Msg::ColWarning),
        m(Msg::ColReported),
        m(Msg::ColDueOn),
    ]];
    // The list's own filters, read as the page reads its URL; keyset pages
    // of the largest size, the total (the same on every page) not counted.
    let mut filters = CaseQuery::from_url(query);
    filters.limit = MAX_PAGE;
    filters.page = 1;
    filters.after = None;
    loop {
        let page = case_list::list(state, me, &filters, false)
            .await
            .map_err(|e| app::server::status_of(&e).into_response())?;
        for c in page.rows {
            if rows.len() > MAX_EXPORT_ROWS {
                rows.push(vec![lang.fill(
                    Msg::ExportTruncated,
                    &[("n", &MAX_EXPORT_ROWS.to_string())],
                )]);
                return Ok(rows);
            }
            rows.push(vec![
                c.code,
                c.title,
                m(status_label(c.status)),
                c.tier.name(lang).to_owned(),
                c.category.name(lang).to_owned(),
                c.area_name,
                c.owner_name.unwrap_or_default(),
                m(risk_label(c.risk)),
                m(colour_label(c.colour)),
                domain::time::format_local_minutes(c.reported_at),
                c.due_on.map(|d| d.to_string()).unwrap_or_default(),
            ]);
        }
        match page.next_cursor {
            Some(next) => filters.after = Some(next),
            None => return Ok(rows),
        }
    }
}

pub async fn export_cases_csv(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    parts: Parts,
) -> Response {
    let lang = app::server::lang_in(&parts.headers);
    match case_rows(&state, &parts.headers, &query, lang).await {
        Ok(rows) => attachment(
            "text/csv; charset=utf-8",
            "fengqiao-cases.csv",
            csv(&rows).into_bytes(),
        ),
        Err(r) => r,
    }
}

pub async fn export_cases_xlsx(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    parts: Parts,
) -> Response {
    let lang = app::server::lang_in(&parts.headers);
    let rows = match case_rows(&state, &parts.headers, &query, lang).await {
        Ok(rows) => rows,
        Err(r) => return r,
    };
    let book = (|| {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name(Msg::ExportCasesSheet.text(lang))?;
        for (r, row) in rows.iter().enumerate() {
            let r = u32::try_from(r).unwrap_or(u32::MAX);
            for (c, value) in row.iter().enumerate() {
                sheet.write_string(r, u16::try_from(c).unwrap_or(u16::MAX), value)?;
            }
        }
        sheet.set_column_width(0, 20)?;
        sheet.set_column_width(1, 36)?;
        sheet.set_freeze_panes(1, 0)?;
        book.save_to_buffer()
    })();
    match book {
        Ok(bytes) => attachment(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "fengqiao-cases.xlsx",
            bytes,
        ),
        Err(e) => {
            tracing::error!(error = %e, "workbook failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_only_when_they_must_be() {
        assert_eq!(csv_field("长兴社区"), "长兴社区");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_field("-1"), "-1");
        assert_eq!(csv_field("-cmd"), "'-cmd");
        assert_eq!(csv_field("@x,y"), "\"'@x,y\"");
        assert_eq!(
            csv(&[vec!["a".into(), "b,c".into()]]),
            "\u{feff}a,\"b,c\"\r\n"
        );
    }
}
