//! Demo data: real place names from the source articles (shared/seeds/),
//! invented people. Every demo account's password is `fengqiao-demo`.
use domain::Role;
use store::demo::{DemoArea, DemoUser};

pub const DEMO_PASSWORD: &str = "fengqiao-demo";

fn node(name: &'static str, children: Vec<DemoArea>) -> DemoArea {
    DemoArea { name, children }
}

fn grids(names: &[&'static str]) -> Vec<DemoArea> {
    names.iter().map(|n| node(n, vec![])).collect()
}

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
                        grids(&[
                            "双桂花园三期第一网格",
                            "双桂花园三期第二网格",
                            "长兴社区第三网格",
                        ]),
                    ),
                    node("白家社区", grids(&["白家社区第一网格", "白家社区第二网格"])),
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
                        grids(&["黉门街社区第一网格", "黉门街社区第二网格"]),
                    ),
                    node(
                        "玉林东路社区",
                        grids(&["玉林东路社区第一网格", "玉林东路社区第二网格"]),
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
                    grids(&["宝翠花都第一网格", "宝翠花都第二网格"]),
                )],
            )],
        ),
        node(
            "天津市和平区",
            vec![node(
                "新兴街道",
                vec![node(
                    "朝阳里社区",
                    grids(&["朝阳里社区第一网格", "朝阳里社区第二网格"]),
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
        u("admin", "赵敏", Role::Admin, "成都市双流区"),
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
