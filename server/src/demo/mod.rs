//! Demo data: real place names from the source articles (shared/seeds/),
//! invented people. Every demo account's password is `fengqiao-demo`.
use domain::Role;
use store::demo::{DemoArea, DemoUser};

mod cases;
mod patrols;
pub use cases::cases;
pub use patrols::patrols;

pub const DEMO_PASSWORD: &str = "fengqiao-demo";

fn node(name: &'static str, children: Vec<DemoArea>) -> DemoArea {
    DemoArea {
        name,
        children,
        centre: None,
    }
}

/// A community's grids, side by side from `(lat, lon)` eastwards, 400 m
/// apart (their centres are invented; the names are real).
fn grids(at: (f64, f64), names: &[&'static str]) -> Vec<DemoArea> {
    names
        .iter()
        .zip(0u32..)
        .map(|(name, i)| DemoArea {
            name,
            children: vec![],
            centre: Some((at.0, at.1 + 0.004 * f64::from(i))),
        })
        .collect()
}

/// How many days before now the demo's areas and accounts were made: before
/// its first case (at most 150 days ago) and its first patrol (90).
pub const SET_UP_DAYS_AGO: i64 = 160;

/// Two Chengdu districts and two Tianjin districts, down to grids.
pub fn areas() -> Vec<DemoArea> {
    vec![
        node(
            "成都市双流区",
            vec![node(
                "东升街道",
                vec![
                    node(
                        "长兴社区",
                        grids(
                            (30.5741, 103.9232),
                            &[
                                "双桂花园三期第一网格",
                                "双桂花园三期第二网格",
                                "长兴社区第三网格",
                            ],
                        ),
                    ),
                    node(
                        "白家社区",
                        grids(
                            (30.5702, 103.9301),
                            &["白家社区第一网格", "白家社区第二网格"],
                        ),
                    ),
                ],
            )],
        ),
        node(
            "成都市武侯区",
            vec![node(
                "玉林街道",
                vec![
                    node(
                        "黉门街社区",
                        grids(
                            (30.6421, 104.0501),
                            &["黉门街社区第一网格", "黉门街社区第二网格"],
                        ),
                    ),
                    node(
                        "玉林东路社区",
                        grids(
                            (30.638, 104.058),
                            &["玉林东路社区第一网格", "玉林东路社区第二网格"],
                        ),
                    ),
                ],
            )],
        ),
        node(
            "天津市北辰区",
            vec![node(
                "瑞景街道",
                vec![node(
                    "宝翠花都社区",
                    grids((39.198, 117.154), &["宝翠花都第一网格", "宝翠花都第二网格"]),
                )],
            )],
        ),
        node(
            "天津市和平区",
            vec![node(
                "新兴街道",
                vec![node(
                    "朝阳里社区",
                    grids(
                        (39.1181, 117.205),
                        &["朝阳里社区第一网格", "朝阳里社区第二网格"],
                    ),
                )],
            )],
        ),
    ]
}

/// Several accounts per role, with the four documented demo logins first.
pub fn users() -> Vec<DemoUser> {
    const CHANGXING: &str = "成都市双流区/东升街道/长兴社区";
    let u = |username, display_name, role, area| DemoUser {
        username,
        display_name,
        role,
        area,
        installation_admin: false,
    };
    vec![
        u(
            "grid",
            "李春梅",
            Role::GridWorker,
            "成都市双流区/东升街道/长兴社区/双桂花园三期第一网格",
        ),
        u("mediator", "王建国", Role::Mediator, CHANGXING),
        u(
            "supervisor",
            "陈志刚",
            Role::Supervisor,
            "成都市双流区/东升街道",
        ),
        // The demo's installation administrator: the only one who changes
        // the ladder, categories, colours, calendar and settings.
        DemoUser {
            installation_admin: true,
            ..u("admin", "赵敏", Role::Admin, "成都市双流区")
        },
        u(
            "grid2",
            "刘小燕",
            Role::GridWorker,
            "成都市双流区/东升街道/长兴社区/双桂花园三期第二网格",
        ),
        u(
            "grid3",
            "周宏",
            Role::GridWorker,
            "成都市武侯区/玉林街道/黉门街社区/黉门街社区第一网格",
        ),
        u(
            "grid4",
            "孙丽",
            Role::GridWorker,
            "天津市北辰区/瑞景街道/宝翠花都社区/宝翠花都第一网格",
        ),
        u(
            "mediator2",
            "张桂兰",
            Role::Mediator,
            "成都市双流区/东升街道",
        ),
        u(
            "mediator3",
            "黄德明",
            Role::Mediator,
            "成都市武侯区/玉林街道/玉林东路社区",
        ),
        u(
            "mediator4",
            "马淑芬",
            Role::Mediator,
            "天津市和平区/新兴街道/朝阳里社区",
        ),
        u("supervisor2", "吴国平", Role::Supervisor, "成都市双流区"),
        u(
            "supervisor3",
            "郑海燕",
            Role::Supervisor,
            "天津市北辰区/瑞景街道",
        ),
        u("admin2", "何立新", Role::Admin, "成都市武侯区"),
        u("admin3", "高宁", Role::Admin, "天津市北辰区"),
    ]
}

/// Where demo cases happen: the reporter, the grid, who works it, and the
/// supervisor above (if the demo has one there).
struct Beat {
    reporter: &'static str,
    grid: &'static str,
    worker: &'static str,
    /// 6-digit region code for the parties' ID numbers.
    region: u32,
}

const BEATS: [Beat; 8] = [
    Beat {
        reporter: "grid",
        grid: "成都市双流区/东升街道/长兴社区/双桂花园三期第一网格",
        worker: "mediator",
        region: 510116,
    },
    Beat {
        reporter: "grid2",
        grid: "成都市双流区/东升街道/长兴社区/双桂花园三期第二网格",
        worker: "mediator",
        region: 510116,
    },
    Beat {
        reporter: "mediator",
        grid: "成都市双流区/东升街道/长兴社区/长兴社区第三网格",
        worker: "mediator",
        region: 510116,
    },
    Beat {
        reporter: "mediator2",
        grid: "成都市双流区/东升街道/白家社区/白家社区第一网格",
        worker: "mediator2",
        region: 510116,
    },
    Beat {
        reporter: "grid3",
        grid: "成都市武侯区/玉林街道/黉门街社区/黉门街社区第一网格",
        worker: "grid3",
        region: 510107,
    },
    Beat {
        reporter: "mediator3",
        grid: "成都市武侯区/玉林街道/玉林东路社区/玉林东路社区第一网格",
        worker: "mediator3",
        region: 510107,
    },
    Beat {
        reporter: "grid4",
        grid: "天津市北辰区/瑞景街道/宝翠花都社区/宝翠花都第一网格",
        worker: "supervisor3",
        region: 120113,
    },
    Beat {
        reporter: "mediator4",
        grid: "天津市和平区/新兴街道/朝阳里社区/朝阳里社区第一网格",
        worker: "mediator4",
        region: 120101,
    },
];

/// A small deterministic generator, so the demo is the same every time.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        &items[i.min(items.len() - 1)]
    }
}
