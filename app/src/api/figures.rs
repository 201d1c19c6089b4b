//! The dashboard (`/dashboard`): headline figures for the viewer's subtree,
//! by month, category, area and tier, and the monthly report. Supervisors
//! and administrators see it; the same figures feed the CSV and XLSX
//! exports, which the server serves from `ssr::dashboard`.
use crate::error::AppError;
use crate::model::DashboardView;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::api::cases::ssr::{category_named, tier_named};
    use crate::api::ssr::*;
    use crate::model::Named;
    use crate::model::{AreaFigure, CategoryFigure, DashboardView, MonthlyRow, TierFigure};
    use chrono::{Datelike, Months, NaiveDate};
    use domain::figures::{share_at_or_below, Rate, Tally};
    use domain::patrol::PatrolTally;
    use store::figures::{By, Scope};
    use store::patrols::PatrolBy;

    /// The longest period one dashboard shows.
    const MAX_MONTHS: u32 = 60;

    /// The first day of a `YYYY-MM` month.
    fn month(raw: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(&format!("{}-01", raw.trim()), "%Y-%m-%d").ok()
    }

    /// The dashboard's period: `from` and `to` months, both included;
    /// unreadable or missing months fall back to the twelve months up to
    /// this one, and the period is put in order and kept to five years.
    pub fn period(from: &str, to: &str, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let this_month = today.with_day(1).unwrap_or(today);
        let to = month(to).unwrap_or(this_month);
        let from = month(from).unwrap_or_else(|| to - Months::new(11));
        let (from, to) = if from <= to { (from, to) } else { (to, from) };
        let earliest = to - Months::new(MAX_MONTHS - 1);
        (from.max(earliest), to)
    }

    /// The months from `from` to `to` as `YYYY-MM`.
    fn months(from: NaiveDate, to: NaiveDate) -> Vec<String> {
        std::iter::successors(Some(from), |m| m.checked_add_months(Months::new(1)))
            .take_while(|m| *m <= to)
            .map(|m| m.format("%Y-%m").to_string())
            .collect()
    }

    /// Who may see figures: supervisors and administrators, of their subtree.
    pub fn may_see(me: &User) -> Result<(), AppError> {
        authorize(&me.actor(), Action::ViewArea(&me.area_path))?;
        if matches!(me.role, Role::Supervisor | Role::Admin) {
            Ok(())
        } else {
            Err(AppError::Forbidden(Msg::ErrForbidden))
        }
    }

    /// Everything the dashboard and its exports show, for `me`.
    pub async fn dashboard(
        db: &store::Db,
        me: &User,
        today: NaiveDate,
        from: &str,
        to: &str,
        category: &str,
        area: &str,
    ) -> Result<DashboardView, AppError> {
        may_see(me)?;
        let (from, to) = period(from, to, today);
        let root = match crate::api::cases::ssr::area_filter(db, area).await {
            Some(path) if me.area_path.contains(&path) => path,
            _ => me.area_path.clone(),
        };
        let ladder = store::rules::tiers(db).await?;
        let all_categories = store::reference::categories(db).await?;
        let category_names: Vec<Named> = all_categories.iter().map(category_named).collect();
        let top_of = |id: i64| {
            all_categories
                .iter()
                .find(|c| c.id == id)
                .and_then(|c| c.parent_id)
                .unwrap_or(id)
        };
        let scope = Scope {
            root: root.clone(),
            from,
            to: to
                .checked_add_months(Months::new(1))
                .unwrap_or(to)
                .pred_opt()
                .unwrap_or(to),
            category_id: category.trim().parse().ok(),
        };
        let report_month = to;
        // The sums are independent queries: asked at once, they run on as
        // many connections (and cores) as the pool has free.
        let (
            by_month,
            by_category_rows,
            by_area_rows,
            by_tier_rows,
            (satisfied, rated),
            monthly_lines,
            my_areas,
            patrols_by_month_rows,
            patrols_by_area_rows,
        ) = tokio::try_join!(
            store::figures::tallies(db, &scope, By::Month),
            store::figures::tallies(db, &scope, By::Category),
            store::figures::tallies(db, &scope, By::AreaPath),
            store::figures::tallies(db, &scope, By::ConcludedTier),
            store::figures::satisfaction(db, &scope),
            store::figures::monthly(db, &root, report_month),
            store::areas::subtree(db, &me.area_path),
            store::patrols::tallies(db, &root, scope.from, scope.to, PatrolBy::Month),
            store::patrols::tallies(db, &root, scope.from, scope.to, PatrolBy::AreaPath),
        )?;
        let silent = crate::service::patrols::silent_in(db, &root, today).await?;
        let mut patrols = PatrolTally::default();
        patrols_by_month_rows
            .iter()
            .for_each(|(_, t)| patrols.add(t));
        let mut total = Tally::default();
        by_month.iter().for_each(|(_, t)| total.add(t));
        let all_months = months(from, to);
        let by_month = all_months
            .iter()
            .map(|m| {
                let t = by_month.iter().find(|(k, _)| k == m).map(|(_, t)| *t);
                (m.clone(), t.unwrap_or_default())
            })
            .collect();
        let patrols_by_month = all_months
            .into_iter()
            .map(|m| {
                let t = patrols_by_month_rows
                    .iter()
                    .find(|(k, _)| *k == m)
                    .map(|(_, t)| *t);
                (m, t.unwrap_or_default())
            })
            .collect();
        // Categories fold into their top level.
        let mut by_category: Vec<CategoryFigure> = Vec::new();
        for (id, t) in by_category_rows {
            let top = top_of(id.parse().unwrap_or_default());
            match by_category.iter_mut().find(|f| f.category.id == top) {
                Some(f) => f.tally.add(&t),
                None => by_category.push(CategoryFigure {
                    category: crate::api::cases::ssr::named(&category_names, top),
                    tally: t,
                }),
            }
        }
        by_category.sort_by_key(|f| std::cmp::Reverse(f.tally.taken_in));
        // Areas fold into the root's children (the root itself when a case sits there).
        // The viewer's areas: the filter's choices, and (the root lying
        // inside them) the root's name and children.
        let area_name = my_areas
            .iter()
            .find(|a| a.path == root)
            .map(|a| a.name.clone())
            .unwrap_or_default();
        let children: Vec<&store::areas::Area> = my_areas
            .iter()
            .filter(|a| root.contains(&a.path) && a.path.depth() == root.depth() + 1)
            .collect();
        let mut by_area: Vec<AreaFigure> = children
            .iter()
            .map(|a| AreaFigure {
                area_id: a.id,
                name: a.name.clone(),
                tally: Tally::default(),
                patrols: PatrolTally::default(),
            })
            .collect();
        // The root's child that holds a stored path, if one does.
        let child_of = |path: &str| {
            let path = domain::area::AreaPath::parse(path)?;
            children.iter().position(|a| a.path.contains(&path))
        };
        for (path, t) in by_area_rows {
            if let Some(i) = child_of(&path) {
                by_area[i].tally.add(&t);
            }
        }
        for (path, t) in patrols_by_area_rows {
            if let Some(i) = child_of(&path) {
                by_area[i].patrols.add(&t);
            }
        }
        // Tiers in ladder order: resolved there, the share at or below, days.
        let at_tier = |id: i64| {
            by_tier_rows
                .iter()
                .find(|(k, _)| k.parse::<i64>().ok() == Some(id))
                .map(|(_, t)| *t)
                .unwrap_or_default()
        };
        let resolved: Vec<i64> = ladder.iter().map(|t| at_tier(t.id).resolved()).collect();
        let shares = share_at_or_below(&resolved);
        let by_tier = ladder
            .iter()
            .zip(shares)
            .map(|(t, share)| TierFigure {
                tier: tier_named(t),
                resolved: at_tier(t.id).resolved(),
                share_at_or_below: share,
                average_days_tenths: at_tier(t.id).average_days_tenths(),
            })
            .collect();
        // The standard table lists top-level categories in their own order.
        let mut monthly: std::collections::BTreeMap<usize, MonthlyRow> = Default::default();
        for (id, line) in monthly_lines {
            let top = top_of(id);
            let order = all_categories
                .iter()
                .position(|c| c.id == top)
                .unwrap_or(usize::MAX);
            let row = monthly.entry(order).or_insert_with(|| MonthlyRow {
                category: crate::api::cases::ssr::named(&category_names, top),
                ..MonthlyRow::default()
            });
            row.taken_in += line.taken_in;
            row.resolved += line.resolved;
            row.succeeded += line.succeeded;
            row.agreements += line.agreements;
            row.amount_fen += line.amount_fen;
        }
        let monthly: Vec<MonthlyRow> = monthly.into_values().collect();
        let base = me.area_path.depth();
        Ok(DashboardView {
            from: from.format("%Y-%m").to_string(),
            to: to.format("%Y-%m").to_string(),
            area_name,
            total,
            satisfaction: Rate::of(satisfied, rated),
            rated,
            by_month,
            by_category,
            by_area,
            by_tier,
            report_month: report_month.format("%Y-%m").to_string(),
            monthly,
            categories: all_categories
                .iter()
                .filter(|c| c.parent_id.is_none())
                .map(category_named)
                .collect(),
            areas: my_areas
                .into_iter()
                .filter(|a| a.level != domain::AreaLevel::Grid)
                .map(|a| area_view(a, base))
                .collect(),
            patrols,
            patrols_by_month,
            silent,
        })
    }
}

/// The dashboard for the signed-in supervisor or administrator: months as
/// `YYYY-MM` (default the last twelve), optionally one category or area.
#[server(prefix = "/api", endpoint = "dashboard")]
pub async fn dashboard(
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] category: String,
    #[server(default)] area: String,
) -> Result<DashboardView, AppError> {
    use crate::api::ssr::*;
    respond(async {
        let (st, me) = require_user().await?;
        let today = domain::time::local_date(st.clock.now());
        self::ssr::dashboard(&st.db, &me, today, &from, &to, &category, &area).await
    })
    .await
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::ssr::period;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn the_period_defaults_to_twelve_months_is_ordered_and_kept_to_five_years() {
        let today = d(2026, 11, 25);
        assert_eq!(period("", "", today), (d(2025, 12, 1), d(2026, 11, 1)));
        assert_eq!(
            period("2026-03", "2026-01", today),
            (d(2026, 1, 1), d(2026, 3, 1))
        );
        assert_eq!(
            period("2026-13", "2026-06", today),
            (d(2025, 7, 1), d(2026, 6, 1))
        );
        assert_eq!(
            period("1999-01", "2026-06", today),
            (d(2021, 7, 1), d(2026, 6, 1))
        );
    }
}
