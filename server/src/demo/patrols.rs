//! The demo's patrols (巡查) and zero reports (零报告).
use super::{Dice, BEATS};

/// The grid workers' patrols (巡查) of the last three months, one each
/// working day (Monday to Friday) up to yesterday, most of them zero
/// reports (零报告), some with matters to follow up. 刘小燕 has not logged
/// one for the last two weeks (her grid may fall silent, as a supervisor
/// would want to see); the disputes found on patrol come with their cases.
pub fn patrols(now: chrono::DateTime<chrono::Utc>) -> Vec<store::demo::DemoPatrol> {
    use chrono::{Datelike, Duration, Weekday};
    use domain::patrol::{PatrolFound, PatrolReport};
    let workers: [(&'static str, &str, i64); 4] = [
        ("grid", BEATS[0].grid, 1),
        ("grid2", BEATS[1].grid, 14),
        ("grid3", BEATS[4].grid, 1),
        ("grid4", BEATS[6].grid, 1),
    ];
    let today = domain::time::local_date(now);
    let mut dice = Dice(0x005e_ed0f_9a7c);
    let mut out = Vec::new();
    for (worker, grid, stopped) in workers {
        for back in (stopped..=90).rev() {
            let day = today - Duration::days(back);
            if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) || dice.below(12) == 0 {
                continue;
            }
            let matters = dice.below(7) == 0;
            let visits = 8 + u32::try_from(dice.below(20)).unwrap_or(0);
            out.push(store::demo::DemoPatrol {
                worker,
                grid: grid.to_owned(),
                report: PatrolReport {
                    on: day,
                    visits,
                    notes: String::new(),
                    found: if matters {
                        PatrolFound::Matters
                    } else {
                        PatrolFound::Nothing
                    },
                    matters: if matters {
                        (*dice.pick(&[
                            "3栋楼道堆放杂物，已提醒物业清理",
                            "小区东门路灯损坏，已报社区",
                            "独居老人张大爷近期身体欠佳，需定期探望",
                        ]))
                        .to_owned()
                    } else {
                        String::new()
                    },
                    place: None,
                },
                // Logged in the late afternoon of the day (Shanghai).
                at: day
                    .and_hms_opt(9, 30, 0)
                    .map(|t| t.and_utc())
                    .unwrap_or(now),
            });
        }
    }
    out
}
