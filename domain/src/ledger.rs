//! Legacy ledgers (台账): which of a spreadsheet's columns holds which of
//! our fields, judged from its headings, and the ways ledgers write dates.
//! Pure; the import itself lives with the server functions.
use chrono::NaiveDate;
use std::collections::HashMap;

named_values! {
    /// Where an import of a ledger is (导入状态).
    ImportStatus {
        /// Uploaded; its last check (if any) found problems.
        Uploaded => "uploaded",
        /// Checked clean: it may run.
        Checked => "checked",
        /// Staging its rows and publishing them.
        Running => "running",
        /// Published: its cases are made.
        Done => "done",
        /// A run that could not finish: nothing of it stays.
        Failed => "failed",
    }
}

impl ImportStatus {
    /// The statuses whose columns may be mapped and checked again.
    pub const EDITABLE: [ImportStatus; 3] = [
        ImportStatus::Uploaded,
        ImportStatus::Checked,
        ImportStatus::Failed,
    ];

    /// May its columns be mapped and checked again?
    pub fn editable(self) -> bool {
        ImportStatus::EDITABLE.contains(&self)
    }
}

/// The fields a ledger fills: key, required, and headings that name it
/// (most specific first; matched whole, then as part of a heading).
pub const FIELDS: &[(&str, bool, &[&str])] = &[
    (
        "title",
        true,
        &[
            "纠纷概要",
            "纠纷简要情况",
            "概要",
            "事由",
            "纠纷事由",
            "矛盾纠纷",
            "summary",
            "title",
        ],
    ),
    (
        "reported_on",
        true,
        &[
            "登记日期",
            "排查日期",
            "发现日期",
            "受理日期",
            "日期",
            "时间",
            "date",
            "reported",
        ],
    ),
    (
        "category",
        true,
        &["纠纷类型", "纠纷类别", "类型", "类别", "category", "type"],
    ),
    ("area", true, &["所属网格", "网格", "grid", "area"]),
    (
        "applicant_name",
        true,
        &["申请人", "当事人", "反映人", "applicant", "name"],
    ),
    (
        "applicant_phone",
        false,
        &["申请人电话", "联系电话", "电话", "手机", "phone"],
    ),
    (
        "applicant_id_number",
        false,
        &["身份证号", "身份证", "证件号码", "id number"],
    ),
    (
        "respondent_name",
        false,
        &["被申请人", "对方当事人", "respondent"],
    ),
    (
        "respondent_phone",
        false,
        &["被申请人电话", "对方电话", "respondent phone"],
    ),
    (
        "description",
        false,
        &[
            "纠纷情况",
            "简要情况",
            "情况",
            "描述",
            "详情",
            "description",
        ],
    ),
    ("address", false, &["地址", "地点", "发生地点", "address"]),
];

/// The order headings are matched in: the more specific keys first, so
/// `被申请人电话` goes to the respondent before `电话` takes it.
const GUESS_ORDER: &[&str] = &[
    "respondent_phone",
    "respondent_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_name",
    "reported_on",
    "title",
    "category",
    "area",
    "description",
    "address",
];

/// A column for each field, from the headings.
pub fn guess(header: &[String]) -> HashMap<String, usize> {
    let norm: Vec<String> = header
        .iter()
        .map(|h| h.trim().to_lowercase().replace([' ', '\u{3000}'], ""))
        .collect();
    let mut taken = vec![false; header.len()];
    let mut out = HashMap::new();
    for key in GUESS_ORDER {
        let Some((_, _, names)) = FIELDS.iter().find(|(k, _, _)| k == key) else {
            continue;
        };
        let names: Vec<String> = names.iter().map(|n| n.replace(' ', "")).collect();
        let whole = norm
            .iter()
            .enumerate()
            .find(|(i, h)| !taken[*i] && names.iter().any(|n| n == *h));
        let part = || {
            norm.iter().enumerate().find(|(i, h)| {
                !taken[*i]
                    && names
                        .iter()
                        .any(|n| !n.is_empty() && h.contains(n.as_str()))
            })
        };
        if let Some((i, _)) = whole.or_else(part) {
            taken[i] = true;
            out.insert((*key).to_owned(), i);
        }
    }
    out
}

/// An Excel serial date as a day (1900 system).
pub fn excel_day(serial: f64) -> Option<NaiveDate> {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    if !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)]
    base.checked_add_signed(chrono::Duration::days(serial.floor() as i64))
}

/// A ledger's date: `2024-03-05`, `2024/3/5`, `2024.3.5`, `2024年3月5日`
/// (a time after it is ignored), or an Excel serial number.
pub fn parse_day(raw: &str) -> Option<NaiveDate> {
    let s = raw.trim();
    let s = s.split([' ', 'T']).next().unwrap_or("");
    if let Ok(serial) = s.parse::<f64>() {
        return if (20_000.0..=80_000.0).contains(&serial) {
            excel_day(serial)
        } else {
            None
        };
    }
    let s = s.replace(['年', '月', '/', '.'], "-").replace('日', "");
    let mut parts = s.split('-').filter(|p| !p.is_empty());
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heads(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn headings_are_matched_specific_first_and_each_column_once() {
        let g = guess(&heads(&[
            "序号",
            "登记日期",
            "申请人",
            "申请人电话",
            "被申请人",
            "被申请人电话",
            "纠纷类型",
            "所属网格",
            "纠纷概要",
            "纠纷情况",
            "地址",
        ]));
        let at = |k: &str| g.get(k).copied();
        assert_eq!(at("reported_on"), Some(1));
        assert_eq!(at("applicant_name"), Some(2));
        assert_eq!(at("applicant_phone"), Some(3));
        assert_eq!(at("respondent_name"), Some(4));
        assert_eq!(at("respondent_phone"), Some(5));
        assert_eq!(at("category"), Some(6));
        assert_eq!(at("area"), Some(7));
        assert_eq!(at("title"), Some(8));
        assert_eq!(at("description"), Some(9));
        assert_eq!(at("address"), Some(10));
        assert_eq!(at("applicant_id_number"), None);
        let g = guess(&heads(&[
            "Date",
            "Grid",
            "Category",
            "Title",
            "Applicant Name",
        ]));
        assert_eq!(g.len(), 5);
    }

    #[test]
    fn ledger_dates_in_their_usual_shapes() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 5);
        for raw in [
            "2024-03-05",
            "2024/3/5",
            "2024.3.5",
            "2024年3月5日",
            " 2024-3-5 08:30 ",
            "45356",
        ] {
            assert_eq!(parse_day(raw), d, "{raw}");
        }
        for raw in ["", "2024-02-30", "5/3/2024", "明天", "12", "2024-03-05-01"] {
            assert_eq!(parse_day(raw), None, "{raw}");
        }
        assert_eq!(excel_day(1.0), NaiveDate::from_ymd_opt(1899, 12, 31));
    }
}
