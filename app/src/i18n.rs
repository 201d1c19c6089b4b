//! The message catalogue: every string the UI shows, in Chinese (zh-CN, the
//! default) and English. A key is an enum variant, so a missing key or a
//! missing translation is a compile error, and a message can travel inside an
//! error from the server to the browser as its key.
use serde::{Deserialize, Serialize};

/// A UI language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// 简体中文, the default.
    #[default]
    Zh,
    English,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::English];
    /// The name of the cookie that remembers the choice.
    pub const COOKIE: &'static str = "fq_lang";

    /// The BCP 47 tag, used in `<html lang>` and the cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::English => "en",
        }
    }

    /// Parse a tag; anything unknown is `None` (callers fall back to Chinese).
    pub fn from_tag(tag: &str) -> Option<Lang> {
        match tag.trim() {
            "zh-CN" | "zh" | "zh-Hans" => Some(Lang::Zh),
            "en" | "en-US" | "en-GB" => Some(Lang::English),
            _ => None,
        }
    }

    /// How the language names itself in the switcher.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::Zh => Msg::LangZh.text(self),
            Lang::English => Msg::LangEn.text(self),
        }
    }

    /// Fill `{name}` placeholders of a message with values.
    pub fn fill(self, msg: Msg, values: &[(&str, &str)]) -> String {
        let mut out = msg.text(self).to_owned();
        for (name, value) in values {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }
}

macro_rules! catalogue {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// A message key. `text` gives it in a language.
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg { $($key),* }

        impl Msg {
            /// Every key, for tests of the catalogue itself.
            pub const ALL: &'static [Msg] = &[$(Msg::$key),*];

            /// The key's name, as it travels inside an error.
            pub fn name(self) -> &'static str {
                match self { $(Msg::$key => stringify!($key)),* }
            }

            pub fn text(self, lang: Lang) -> &'static str {
                match lang {
                    Lang::Zh => match self { $(Msg::$key => $zh),* },
                    Lang::English => match self { $(Msg::$key => $en),* },
                }
            }
        }

        impl std::fmt::Debug for Msg {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        // By hand rather than derived, with the same wire form (the key's
        // name): the derived deserializer compares a string against every
        // key in a function of its own, about 100 KB of the browser's
        // WebAssembly; a lookup in `ALL` does it in a few lines.
        impl Serialize for Msg {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_unit_variant("Msg", *self as u32, self.name())
            }
        }

        impl<'de> Deserialize<'de> for Msg {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let name = String::deserialize(d)?;
                Msg::ALL
                    .iter()
                    .copied()
                    .find(|m| m.name() == name)
                    .ok_or_else(|| serde::de::Error::custom(format_args!("unknown message key `{name}`")))
            }
        }
    };
}

catalogue! {
    // The product.
    AppName => "枫桥", "Fengqiao";
    AppTagline => "基层矛盾纠纷调解工作台", "Grassroots dispute mediation";
    LangZh => "中文", "中文";
    LangEn => "English", "English";
    SwitchLanguage => "切换语言", "Language";
    SkipToContent => "跳到正文", "Skip to content";
    Loading => "正在加载…", "Loading…";
    AppDescription => "网格员、调解员和督办人员的矛盾纠纷登记、调解和督办工具。", "Report, mediate and follow up disputes: for grid workers, mediators and supervisors.";

    // Working without a network (the service worker's pages).
    OfflineTitle => "没有网络连接", "No network connection";
    OfflineText => "这台手机现在连不上网络。下面这些页面保存在本机，可以查看上次联网时的内容；恢复网络后请重新打开页面再操作。", "This phone cannot reach the network just now. The pages below are kept on it as they were when last seen online; once the network is back, open a page again before changing anything.";
    OfflineKeptPages => "本机保存的页面", "Pages kept on this phone";
    OfflineTryAgain => "重新连接", "Try again";
    OfflineCopy => "离线查看：这是本机保存的页面，内容截至", "Offline: this page was kept on this phone, as it was at";
    SavedOnPhone => "没有网络：已保存在本机，恢复网络后自动发送。", "No network: saved on this phone, and sent by itself once the network is back.";
    WaitingTitle => "本机待发送", "Waiting on this phone";
    WaitingIntro => "没有网络时提交的登记和巡查保存在这台手机上，恢复网络后自动发送，每条只发送一次。未被接受的请修改后重新发送，或删除。", "Reports and patrols submitted without a network are kept on this phone and sent by themselves once the network is back, each exactly once. Fix and send again those that were not accepted, or delete them.";
    WaitingSaved => "已保存在本机，{n} 条等待发送。", "Saved on this phone: {n} waiting to be sent.";
    WaitingBanner => "本机有 {n} 条待发送 →", "{n} waiting on this phone to be sent →";
    WaitingEmpty => "本机没有待发送的内容。", "Nothing is waiting on this phone.";
    WaitingSend => "立即发送", "Send now";
    WaitingIntake => "纠纷登记", "Dispute report";
    WaitingPatrol => "巡查", "Patrol";
    WaitingSavedAt => "保存于", "kept at";
    WaitingState => "等待网络，恢复后自动发送", "Waiting for the network; sent by itself once it is back";
    WaitingRefused => "未被接受：", "Not accepted: ";
    WaitingFix => "修改后重新发送", "Fix and send again";
    WaitingDelete => "删除", "Delete";
    WaitingPhotos => "{n} 张现场照片", "{n} photos of the scene";
    WaitingPhotosTo => "等待上传到案件", "waiting to be sent to case";
    WaitingPhotosWith => "随报告发送", "go with their report";
    WaitingPhotosToPatrol => "等待上传到巡查记录", "waiting to be sent to their patrol";
    WaitingFound => "已发送。这次巡查发现了纠纷，请登记。", "Sent. This patrol found disputes: report them.";
    WaitingReport => "登记发现的纠纷", "Report the disputes found";
    ReportPhotos => "现场照片（选填，最多 9 张）", "Photos of the scene (optional, up to 9)";
    ReportPhotosSending => "正在发送报告和照片…", "Sending the report and its photos…";
    ReportPhotosFailed => "没有发送成功，请重试。", "It did not go through; please try again.";
    WaitingNeedsScript => "查看本机待发送的内容需要开启 JavaScript。", "Seeing what waits on this phone needs JavaScript.";

    // Navigation.
    NavHome => "首页", "Home";
    NavUsers => "用户管理", "Users";
    NavAreas => "区域管理", "Areas";
    NavMain => "主导航", "Main navigation";
    SignOut => "退出登录", "Sign out";
    SignedInAs => "当前用户", "Signed in as";

    // Roles.
    RoleGridWorker => "网格员", "Grid worker";
    RoleMediator => "调解员", "Mediator";
    RoleSupervisor => "督办人员", "Supervisor";
    RoleAdmin => "系统管理员", "Administrator";

    // Area levels.
    LevelCounty => "区县", "County / district";
    LevelTownship => "乡镇（街道）", "Township / street";
    LevelCommunity => "社区（村）", "Community / village";
    LevelGrid => "网格", "Grid";

    // Sign-in.
    LoginTitle => "登录", "Sign in";
    LoginIntro => "请使用单位分配的账号登录。", "Sign in with the account your office gave you.";
    Username => "用户名", "User name";
    Password => "密码", "Password";
    LoginSubmit => "登录", "Sign in";
    LoginSubmitting => "正在登录…", "Signing in…";
    LoginInvalid => "用户名或密码不正确，或账号已停用。", "Wrong user name or password, or the account is deactivated.";
    LoginLocked => "尝试次数过多，账号已暂时锁定，请于 {time} 之后再试。", "Too many attempts: the account is locked until {time}.";
    UserLockedUntil => "登录已锁定至 {time}（密码错误次数过多）", "Sign-in locked until {time} (too many wrong passwords)";
    UserUnlock => "解除锁定", "Unlock";
    LoginFlooded => "从此网络登录的尝试过多，请于 {time} 之后再试。", "Too many sign-in attempts from this network; try again after {time}.";
    ErrFlooded => "从此网络打开的次数过多，请于 {time} 之后再试。", "Too many requests from this network; try again after {time}.";
    LoginRequired => "请先登录。", "Please sign in first.";
    DemoHint => "演示账号：grid、mediator、supervisor、admin，密码均为 fengqiao-demo。", "Demo accounts: grid, mediator, supervisor, admin; password fengqiao-demo for each.";

    // Home.
    HomeGreeting => "您好，{name}", "Hello, {name}";
    HomeYourArea => "所属区域", "Your area";
    HomeYourRole => "岗位", "Your role";
    HomeScope => "您可查看本区域及下辖区域的数据。", "You see the data of this area and everything below it.";
    HomeLastLogin => "上次登录", "Previous sign-in";
    HomeFirstLogin => "本次为首次登录", "This is your first sign-in";
    HomeStatTownships => "乡镇（街道）", "Townships";
    HomeStatCommunities => "社区（村）", "Communities";
    HomeStatGrids => "网格", "Grids";
    HomeStatUsers => "在岗人员", "Active staff";
    HomeDutiesTitle => "工作职责", "Your work";
    DutyGrid1 => "巡查网格，早发现、早报告矛盾纠纷。", "Patrol your grid and report disputes early.";
    DutyGrid2 => "就地化解邻里小事，记录处理结果。", "Settle small matters on the spot and record the outcome.";
    DutyGrid3 => "对已调解案件开展回访。", "Make return visits on mediated cases.";
    DutyMediator1 => "受理纠纷，主持调解并制作笔录。", "Accept disputes, hold mediation sessions, keep records.";
    DutyMediator2 => "达成协议的，制作调解协议书。", "Write the mediation agreement when the parties agree.";
    DutyMediator3 => "超出能力范围的，及时上报升级。", "Escalate promptly when a case is beyond your tier.";
    DutySupervisor1 => "关注辖区案件队列，防止积压、推诿。", "Watch the queues so that no case is left or passed around.";
    DutySupervisor2 => "对超期、高风险案件督办。", "Urge overdue and high-risk cases.";
    DutySupervisor3 => "汇总化解率、按期办结率等数据。", "Report resolution and on-time rates upward.";
    DutyAdmin1 => "维护区域（区县—乡镇—社区—网格）。", "Keep the area tree: county, township, community, grid.";
    DutyAdmin2 => "开设账号，调整岗位与所属区域。", "Open accounts, change roles and areas.";
    DutyAdmin3 => "停用离岗人员账号，重置密码。", "Deactivate leavers' accounts and reset passwords.";

    // Users admin.
    UsersTitle => "用户管理", "Users";
    UsersIntro => "本区域及下辖区域的账号。", "Accounts in your area and below.";
    UsersSearch => "按用户名或姓名查找", "Find by user name or name";
    Search => "查找", "Search";
    UsersNone => "没有符合条件的账号。", "No matching accounts.";
    ColUsername => "用户名", "User name";
    ColName => "姓名", "Name";
    ColRole => "岗位", "Role";
    ColArea => "所属区域", "Area";
    ColStatus => "状态", "Status";
    StatusActive => "在用", "Active";
    StatusDeactivated => "已停用", "Deactivated";
    UserCreateTitle => "新建账号", "New account";
    DisplayName => "姓名", "Name";
    Role => "岗位", "Role";
    Area => "所属区域", "Area";
    InitialPassword => "初始密码（至少 10 位）", "First password (at least 10 characters)";
    Create => "创建", "Create";
    UserCreated => "账号已创建：{name}", "Account created: {name}";
    Edit => "编辑", "Edit";
    UserEditTitle => "账号：{name}", "Account: {name}";
    UserProfileTitle => "姓名、岗位与区域", "Name, role and area";
    UserProfileNote => "更改岗位或区域后，该用户需重新登录。", "A change of role or area signs the user out.";
    Save => "保存", "Save";
    Saved => "已保存。", "Saved.";
    PasswordResetTitle => "重置密码", "Reset password";
    NewPassword => "新密码（至少 10 位）", "New password (at least 10 characters)";
    PasswordResetDone => "密码已重置，该用户需用新密码重新登录。", "Password reset; the user must sign in again with it.";
    Resetting => "重置", "Reset";
    DeactivateTitle => "停用账号", "Deactivate account";
    DeactivateNote => "停用后该用户立即退出，无法再登录；记录保留。", "The user is signed out at once and cannot sign in; their records stay.";
    Deactivate => "停用", "Deactivate";
    Reactivate => "重新启用", "Reactivate";
    Deactivated => "账号已停用。", "Account deactivated.";
    Reactivated => "账号已重新启用。", "Account reactivated.";
    BackToUsers => "返回用户列表", "Back to users";
    CreatedAt => "创建时间", "Created";
    LastLogin => "上次登录", "Last sign-in";
    Never => "从未", "Never";

    // Areas admin.
    AreasTitle => "区域管理", "Areas";
    AreasIntro => "区县 → 乡镇（街道）→ 社区（村）→ 网格。", "County → township / street → community / village → grid.";
    AreaAddChild => "添加下级", "Add below";
    AreaChildName => "下级区域名称", "Name of the new area";
    AreaAddCounty => "添加区县", "Add a county";
    AreaName => "区域名称", "Area name";
    Rename => "改名", "Rename";
    AreaCreated => "区域已添加：{name}", "Area added: {name}";
    AreaRenamed => "区域已改名。", "Area renamed.";
    AreaUsers => "{n} 个账号", "{n} accounts";

    // Cases.
    NavCases => "案件", "Cases";
    NavReport => "登记纠纷", "Report a dispute";
    CasesTitle => "案件列表", "Cases";
    CasesIntro => "本区域及下辖区域的矛盾纠纷案件。", "Disputes in your area and below.";
    CasesNone => "没有符合条件的案件。", "No matching cases.";
    CasesCount => "共 {n} 件", "{n} cases";
    FilterAll => "全部", "All";
    FilterMine => "我承办的", "Mine";
    FilterUnassigned => "待认领", "Waiting in the queue";
    FilterApply => "筛选", "Filter";
    FilterOpen => "状态：未结（办理中）", "Status: open (being worked on)";
    FilterSearch => "案号、标题、描述或当事人姓名", "Code, title, description or party name";
    PrevPage => "上一页", "Previous";
    NextPage => "下一页", "Next";
    PageOf => "第 {page} / {pages} 页", "Page {page} of {pages}";
    ColCode => "案号", "Code";
    ColTitle => "纠纷概要", "Dispute";
    ColTier => "调解层级", "Tier";
    ColRisk => "风险", "Risk";
    ColOwner => "承办人", "Owner";
    ColReported => "登记时间", "Reported";
    ColCategory => "纠纷类型", "Category";
    ColSource => "案件来源", "Source";
    Unassigned => "待认领", "Unassigned";
    StatusReported => "已上报", "Reported";
    StatusAccepted => "已受理", "Accepted";
    StatusInMediation => "调解中", "In mediation";
    StatusAgreed => "已达成协议", "Agreed";
    StatusTerminated => "调解终止", "Terminated";
    StatusReferred => "已移交", "Referred";
    StatusDeclined => "不予受理", "Declined";
    StatusWithdrawn => "已撤回", "Withdrawn";
    StatusClosed => "已结案", "Closed";
    StatusArchived => "已归档", "Archived";
    RiskLow => "低", "Low";
    RiskMedium => "中", "Medium";
    RiskHigh => "高", "High";
    SourceGridPatrol => "排查发现", "Grid patrol";
    SourcePartyApplication => "当事人申请", "Party application";
    SourceOwnInitiative => "主动调解", "Own initiative";
    SourcePoliceTransfer => "公安移送", "Police transfer";
    SourceCourtEntrustment => "法院委托", "Court entrustment";
    SourceGovernmentAssignment => "交办", "Government assignment";
    SourceHotline => "12345 热线", "12345 hotline";
    SourceLedgerImport => "台账导入", "Ledger import";
    SourceOther => "其他", "Other";
    PartyApplicant => "申请人", "Applicant";
    PartyStatusTitle => "案件进度", "Your case";
    PrintReceipt => "打印受理回执（含各方解纷码）", "Print the receipts (each party's code)";
    ReceiptTitle => "纠纷受理回执", "Receipt of a dispute";
    ReceiptText => "您于 {day} 反映的{category}纠纷已登记，由{committee}依法组织调解。", "Your {category} dispute, reported on {day}, is registered; {committee} will mediate it as the law provides.";
    ReceiptTo => "{name}（{role}）：", "To {name} ({role}):";
    ReceiptCode => "解纷码", "Party code";
    ReceiptUrl => "查询地址", "Follow it at";
    ReceiptNote => "凭解纷码可随时在线查看案件进度，无需账号。请妥善保管，勿告知他人。", "With the party code you can follow the case online at any time, without an account. Keep it safe and do not share it.";
    PartyStatusIntro => "凭解纷码查看您参与的纠纷调解进度。", "Where the mediation of your dispute stands, opened with your party code.";
    PartyStatusCase => "案件编号", "Case number";
    PartyStatusCategory => "纠纷类别", "Kind of dispute";
    PartyStatusStage => "当前进度", "Stage";
    PartyStatusOffice => "承办单位", "Handled by";
    PartyStatusRole => "您的身份", "You are";
    PartyStatusJourney => "办理经过", "The journey so far";
    PartyStatusUnknown => "无法打开此解纷码", "This party code opens nothing";
    PartyStatusUnknownText => "解纷码可能有误、已作废或已过期。请核对回执上的解纷码，或联系承办单位。", "It may be mistyped, revoked or expired. Check the code on your receipt, or ask the office handling your case.";
    StageReceived => "已收到，等待受理", "Received, waiting to be taken on";
    StageMediating => "调解中（{tier}）", "Being mediated ({tier})";
    StageMediated => "调解", "Mediation";
    ReceiptNone => "此案件没有登记当事人，没有解纷码。", "This case has no parties recorded, so no party codes.";
    StageAgreed => "已达成调解协议", "Agreement reached";
    StageEnded => "已办结", "Finished";
    PartyRespondent => "被申请人", "Respondent";
    PartyOther => "其他当事人", "Other party";
    CaseParties => "当事人", "Parties";
    CaseTimeline => "办理经过", "Timeline";
    CaseFacts => "基本情况", "Summary";
    CaseAddress => "发生地点", "Where";
    CaseReportedBy => "登记人", "Reported by";
    CaseMaskedNote => "电话和身份证号已隐去部分数字。", "Phone and ID numbers are partly hidden.";
    PartyPhone => "电话", "Phone";
    PartyIdNumber => "身份证号", "ID number";
    EventReported => "登记上报", "Reported";
    EventAccepted => "受理", "Accepted";
    EventDeclined => "不予受理", "Declined";
    EventAssigned => "指派承办", "Assigned";
    EventSession => "调解记录", "Mediation session";
    EventNote => "备注", "Note";
    EventEscalated => "上报升级", "Escalated";
    EventTransferred => "移转", "Transferred";
    EventReferred => "移交", "Referred out";
    EventClockPaused => "暂停计时", "Clock paused";
    EventClockResumed => "恢复计时", "Clock resumed";
    EventWithdrawn => "撤回", "Withdrawn";
    ReportTitle => "登记矛盾纠纷", "Report a dispute";
    ReportIntro => "先记下要点，细节可在受理后补充。", "Note the essentials; details can follow after acceptance.";
    ReportWhere => "发生网格（区域）", "Grid (area)";
    ReportDescription => "纠纷情况", "What happened";
    ReportApplicant => "申请人（反映人）", "Applicant (who raised it)";
    ReportApplicantMore => "申请人身份证号和住址", "The applicant's ID number and address";
    ReportRespondent => "被申请人（对方）", "Respondent (the other side)";
    PartyName => "姓名", "Name";
    ReportRisk => "风险情况", "Risk";
    RiskPeople => "涉及人数", "People involved";
    RiskAmount => "涉及金额（元）", "Amount at stake (yuan)";
    RiskPolice => "此前报警次数", "Police called before";
    RiskThreat => "有暴力威胁或民转刑风险", "Threat of violence, or risk of turning criminal";
    RiskGroup => "群体性纠纷", "Group dispute";
    RiskVulnerable => "涉及老人、残疾人、未成年人等", "Elderly, disabled, minor or other vulnerable party";
    RiskRepeat => "同一当事人或地点曾发生纠纷", "The same parties or place were in dispute before";
    Intensity => "激烈程度", "Intensity";
    IntensityCalm => "平和", "Calm";
    IntensityHeated => "有争执", "Heated";
    IntensityIntense => "激烈", "Intense";
    ReportSubmit => "提交登记", "Submit";
    Optional => "（选填）", "(optional)";
    ErrTitleEmpty => "请填写纠纷概要。", "Please summarise the dispute.";
    ErrTextTooLong => "内容过长。", "That is too long.";
    ErrPartyNameEmpty => "请填写当事人姓名。", "Please give the party's name.";
    ErrPhoneInvalid => "电话号码格式不对：手机 11 位，座机请带区号。", "Not a phone number: 11-digit mobile, or a landline with its area code.";
    ErrIdNumberInvalid => "身份证号不正确（18 位，末位校验码须一致）。", "Not a valid ID number (18 characters with a matching check character).";
    ErrCategoryUnknown => "请选择纠纷类型。", "Please choose a category.";
    ErrSourceUnknown => "请选择案件来源。", "Please choose a source.";
    ErrNumberInvalid => "请填写不小于 0 的整数。", "Please enter a whole number, 0 or more.";

    CaseActions => "办理", "Actions";
    ActAccept => "受理", "Accept";
    ActDecline => "不予受理", "Decline";
    ActTake => "认领承办", "Take this case";
    ActSession => "记录调解", "Record a mediation session";
    ActNote => "添加备注", "Add a note";
    ActEscalate => "上报升级", "Escalate to the next tier";
    ActReferOut => "移交其他机构", "Refer out";
    ActPause => "暂停计时", "Pause the clock";
    ActResume => "恢复计时", "Resume the clock";
    ActWithdraw => "当事人撤回", "Parties withdraw";
    ActDone => "已办理。", "Done.";
    Reason => "理由", "Reason";
    SessionDate => "调解日期", "Date";
    SessionMode => "调解方式", "Mode";
    ModeSelfGovernance => "自治", "Self-governance";
    ModeLegal => "法治", "Rule of law";
    ModeMoral => "德治", "Rule of virtue";
    SessionParticipants => "参加人员", "Participants";
    SessionRecord => "调解情况", "What was said and agreed";
    SessionOutcome => "结果", "Outcome";
    ReferBody => "接收机构", "Receiving body";
    ReferReference => "接收文号", "Reference number";
    NoteText => "备注内容", "Note";
    NoActions => "当前没有您可办理的事项。", "Nothing for you to do on this case now.";
    ErrReasonEmpty => "请填写理由。", "Please give the reason.";
    ErrDateInvalid => "请填写有效日期。", "Please enter a valid date.";
    ErrWrongStatus => "案件当前状态下不能进行此操作。", "The case's status does not allow this now.";
    ErrNotOwner => "只有承办人或督办人员可以办理。", "Only the case's owner or a supervisor may do this.";
    ErrAtTopTier => "已是最高调解层级，不能再升级。", "The case is already at the top tier.";
    ErrClockPaused => "计时已暂停。", "The clock is already paused.";
    ErrClockRunning => "计时未暂停。", "The clock is not paused.";
    ErrAssignee => "该人员不能承办此案件。", "That person cannot take this case.";
    ErrFileIncomplete => "案卷不完整，不能结案。缺少：{items}。请补齐或逐项说明原因。", "The case file is incomplete, so the case cannot close. Missing: {items}. Add them or explain each gap.";
    ErrFileIncompleteShort => "案卷不完整，不能结案。", "The case file is incomplete, so the case cannot close.";
    ErrNoAgreement => "尚无调解协议，不能申请司法确认。", "There is no agreement to confirm yet.";
    FileRegistration => "受理登记表", "Registration form";
    FileRightsNotice => "权利义务告知书", "Notice of rights and duties";
    FilePartyIds => "当事人身份证明", "Parties' identity documents";
    FileMediationRecords => "调解笔录", "Mediation records";
    FileAgreementRecord => "调解协议书或口头协议记录", "Agreement, or record of the oral agreement";
    FileReturnVisitRecord => "回访记录", "Return-visit record";
    FileOtherDocuments => "其他材料", "Other documents";
    EventAgreed => "达成协议", "Agreement reached";
    EventTerminated => "调解终止", "Mediation ended";
    EventConfirmation => "司法确认", "Judicial confirmation";
    EventVisitScheduled => "安排回访", "Return visit scheduled";
    EventVisit => "回访", "Return visit";
    EventFile => "整理案卷", "Case file";
    EventClosed => "结案", "Closed";
    EventArchived => "归档", "Archived";
    EventReopened => "重新调解", "Reopened";
    ErrFactsEmpty => "请写明主要事实。", "Please state the main facts.";
    ErrContentEmpty => "请记录口头协议的内容。", "Please record what was agreed.";
    ErrTermInvalid => "每条协议条款须写明义务人、义务内容和履行期限；金额须为有效数字（元，最多两位小数）。", "Each term needs who, what and by when; an amount must be a number of yuan with at most two decimals.";
    ErrNoTerms => "书面协议至少要有一条协议条款。", "A written agreement needs at least one term.";
    ErrTermBeforeEffect => "履行期限不能早于协议生效日期。", "A term cannot fall due before the agreement takes effect.";
    ErrAdviceEmpty => "请写明告知当事人的其他解决途径。", "Please note the routes the parties were told about.";
    ErrSatisfaction => "请选择满意度（1 至 5）。", "Please choose a satisfaction from 1 to 5.";
    ErrExplainGap => "请说明缺少该材料的原因。", "Please explain why this item is missing.";
    PerfPerformed => "已履行", "Performed";
    PerfPartly => "部分履行", "Partly performed";
    PerfRefused => "拒不履行", "Refused";
    ConfirmPending => "已申请，待裁定", "Applied, awaiting the court";
    ConfirmConfirmed => "裁定确认有效", "Confirmed";
    ConfirmRejected => "裁定驳回", "Rejected";
    OutcomeTitle => "调解结果", "Outcome";
    TerminateAdvice => "告知的其他解决途径", "Routes the parties were told about";
    AgreementWritten => "书面调解协议", "Written agreement";
    AgreementOral => "口头调解协议", "Oral agreement";
    AgreementKind => "协议形式", "Form of agreement";
    AgreementEffective => "生效日期", "Takes effect";
    AgreementFacts => "主要事实", "Main facts";
    AgreementDisputes => "争议事项", "Points in dispute";
    AgreementResponsibility => "各方责任", "Each side's responsibility";
    AgreementContent => "口头协议内容（书面协议可不填）", "What was agreed orally (not needed for a written one)";
    AgreementTerms => "协议条款（不用的行留空）", "Terms (leave unused rows empty)";
    TermObligor => "义务人", "Who";
    TermObligation => "履行义务", "Obligation";
    TermAmount => "金额（元，选填）", "Amount (yuan, optional)";
    TermPlace => "履行地点", "Place";
    TermDue => "履行期限", "Due by";
    Yuan => "元", "yuan";
    ConfirmDeadline => "司法确认申请截止", "Apply for confirmation by";
    ConfirmLate => "超过 30 日申请期限", "Outside the 30-day window";
    ConfirmAppliedOn => "申请日期", "Applied on";
    ConfirmCourt => "受理法院", "Court";
    ConfirmResult => "裁定结果", "Result";
    ConfirmDecidedOn => "裁定日期", "Decided on";
    ConfirmRecordResult => "记录裁定结果", "Record the result";
    VisitsTitle => "回访", "Return visits";
    VisitDue => "应回访", "Due";
    VisitOverdue => "已逾期", "Overdue";
    VisitMade => "回访日期", "Visited on";
    VisitSatisfaction => "满意度", "Satisfaction";
    VisitRenewedConflict => "有矛盾反复迹象", "Signs of renewed conflict";
    VisitNotes => "回访情况", "Notes";
    CaseFileTitle => "案卷（一案一卷）", "Case file";
    CaseFileGapsNote => "结案前，必备材料须齐全或逐项说明缺少原因。", "Before closing, every required item must be there or its absence explained.";
    Required => "（必备）", "(required)";
    FileKeep => "登记材料", "Record this item";
    FileNote => "说明（标记缺少时必填）", "Note (required when explaining a gap)";
    FileMarkPresent => "纸质材料已归卷", "Kept on paper";
    FileExplain => "说明缺少原因", "Explain the gap";
    PrintAgreement => "打印调解协议书", "Print the agreement";
    PrintSummary => "打印案件摘要", "Print the case summary";
    ActAgree => "记录调解协议", "Record an agreement";
    ActTerminate => "终止调解", "End mediation without agreement";
    ActConfirm => "申请司法确认", "Judicial confirmation";
    ActVisit => "记录回访", "Record a return visit";
    ActScheduleVisit => "再安排一次回访", "Schedule another visit";
    ActClose => "结案", "Close the case";
    ActArchive => "归档", "Archive";
    ActReopen => "重新调解", "Reopen";
    CommitteeName => "{area}人民调解委员会", "People's Mediation Committee of {area}";
    NoWrittenAgreement => "本案没有书面调解协议。", "This case has no written agreement.";
    AgreementDocTitle => "人民调解协议书", "People's mediation agreement";
    SummaryDocTitle => "矛盾纠纷调解案件摘要", "Case summary";
    DocNumber => "编号", "No.";
    AgreementDocTerms => "经调解，自愿达成如下协议", "Having mediated, the parties freely agree as follows";
    TermAmountDoc => "金额", "amount";
    AgreementDocEffect => "本协议自各方当事人签名（按指印）、人民调解员签名并加盖人民调解委员会印章之日起生效。本协议一式 {copies} 份，当事人各执一份，人民调解委员会留存一份。", "This agreement takes effect when every party has signed (or thumb-printed), the mediator has signed and the committee has sealed it. It is made in {copies} copies: one for each party and one for the committee.";
    AgreementDocConfirmation => "当事人可自本协议生效之日起三十日内（至 {date}），共同向人民法院申请司法确认。", "The parties may jointly apply to a people's court for judicial confirmation within 30 days of this agreement taking effect (by {date}).";
    SignOrThumb => "签名或按指印", "signature or thumbprint";
    SignDate => "日期", "Date";
    SignMediator => "人民调解员", "Mediator";
    SignSeal => "印章", "seal";
    UploadItem => "材料类别", "Which item";
    UploadFile => "文件（JPG、PNG、WebP 图片或 PDF，不超过 10 MB）", "File (JPG, PNG, WebP or PDF, up to 10 MB)";
    UploadSubmit => "上传材料", "Upload";
    UploadDone => "材料已上传。", "Uploaded.";
    ErrUploadTooBig => "文件过大，上限 10 MB。", "The file is too large; the limit is 10 MB.";
    ErrUploadType => "只接受 JPG、PNG、WebP 图片或 PDF 文件。", "Only JPG, PNG or WebP pictures and PDF files are accepted.";
    ErrUploadMissing => "请选择要上传的文件。", "Please choose a file to upload.";
    NavSettings => "案卷与回访", "Case file settings";
    SettingsTitle => "案卷与回访设置", "Case file and return visits";
    SettingsIntro => "结案前各类结果须具备的案卷材料，以及首次回访的时间。各辖区共用。", "Which file items each outcome needs before a case closes, and when the first return visit falls due. Shared by every area.";
    VisitOffsetLabel => "首次回访：最后一项履行期限后的天数（1–90）", "First return visit: days after the last term falls due (1–90)";
    ErrVisitOffset => "请填写 1 至 90 之间的天数。", "Please give a number of days from 1 to 90.";
    ErrSchemePercent => "请填写 1 至 100 之间的百分比。", "Please give a percentage from 1 to 100.";
    ErrSchemeDays => "请填写 1 至 365 之间的天数。", "Please give a number of days from 1 to 365.";
    ErrSchemeHours => "请填写 1 至 720 之间的小时数。", "Please give a number of hours from 1 to 720.";
    ErrSchemeOrder => "颜色越紧急，响应时限应越短、负责层级应越高（红不慢于橙，橙不慢于黄）。", "A more urgent colour must be answered at least as fast and as high up (red no slower than orange, orange than yellow).";
    ErrSchemeLevel => "请选择负责层级。", "Please choose the level that must respond.";
    SchemeTitle => "预警颜色规则", "Warning colours";
    SchemeIntro => "何时变黄、变红，以及每种颜色须在多长时间内由哪一级响应。保存后在下一次巡检（一分钟内）生效。", "When cases turn yellow or red, and who must respond to each colour, how fast. Takes effect at the next sweep (within a minute).";
    SchemeYellowAt => "用时达到时限的百分之几变黄", "Yellow at this percentage of the limit used";
    SchemeRedAfter => "超期几个工作日变红", "Red after this many working days overdue";
    SchemeInactiveAfter => "几天无任何记录变黄", "Yellow after this many days without activity";
    SchemeHours => "{colour}：几小时内响应", "{colour}: respond within hours";
    SchemeLevel => "{colour}：负责层级", "{colour}: level that responds";
    CaseColourResponse => "须在 {hours} 小时内由{level}一级响应。", "Needs a response within {hours} hours at {level} level.";
    RequiredFor => "结果为“{outcome}”时须具备", "Required when the outcome is “{outcome}”";
    ClockDue => "本级办理期限", "Due at this tier";
    ClockLeft => "（剩 {n} 个工作日）", "({n} working days left)";
    ClockOverdue => "（已逾期 {n} 个工作日）", "({n} working days overdue)";
    ClockPaused => "计时已暂停", "clock paused";
    ClockAssumed => "{years} 年工作日历未录入，按普通周末估算。", "No working-day calendar for {years}: counted as plain weekends.";
    NavCalendar => "工作日历", "Calendar";
    CalendarTitle => "工作日历", "Working-day calendar";
    CalendarIntro => "按国务院办公厅每年公布的放假安排录入：放假日和调休上班日。办理期限按工作日历计算；未录入的年份按普通周末估算。", "Enter each year's official holidays and make-up working days as the State Council publishes them. Time limits count on this calendar; a year without data is counted as plain weekends.";
    CalendarMissing => "{years} 年工作日历尚未录入，相关期限按普通周末估算。", "No working-day calendar for {years} yet: deadlines there are counted as plain weekends.";
    CalendarKnown => "本年度放假安排已全部录入", "This year's holidays are all entered";
    CalendarOff => "放假", "Off";
    CalendarWork => "调休上班", "Make-up working day";
    CalendarUsual => "恢复为平常", "Back to usual";
    CalendarDay => "日期", "Day";
    CalendarAdd => "录入", "Enter";
    CalendarNone => "本年度尚无录入。", "Nothing entered for this year.";
    ColourNone => "正常", "Normal";
    ColourGreen => "绿色（已化解回访）", "Green (resolved, visited)";
    ColourYellow => "黄色预警", "Yellow";
    ColourOrange => "橙色预警", "Orange";
    ColourRed => "红色预警", "Red";
    ColWarning => "预警", "Warning";
    WarnHighRisk => "高风险（暴力、民转刑或群体性）", "High risk (violence, turning criminal, or a group dispute)";
    WarnLongOverdue => "严重超期", "Long overdue";
    WarnOverdue => "已超期", "Overdue";
    WarnTimeMostlyUsed => "办理时限即将用尽", "Most of the time limit used";
    WarnInactive => "长时间无办理记录", "No activity recorded for a while";
    WarnResolvedAndVisited => "已化解并回访", "Resolved and visited";
    EventColour => "预警变化", "Warning changed";
    SystemActor => "系统", "System";
    NavInbox => "消息", "Inbox";
    InboxTitle => "消息", "Inbox";
    InboxUnread => "未读消息", "unread";
    InboxNone => "暂无消息。", "No notifications.";
    InboxMarkAll => "全部标为已读", "Mark all read";
    InboxMarkRead => "标为已读", "Mark read";
    InboxColour => "案件转为{colour}", "The case turned {colour}";
    InboxEscalated => "案件已升级到本级", "A case was escalated to your level";
    ActUrge => "督办", "Urge";
    ActAnswerUrge => "答复督办", "Answer the urging";
    UrgeNote => "督办要求", "What is asked";
    UrgeWithin => "答复时限", "Answer within";
    UrgeHours => "{n} 小时", "{n} hours";
    UrgeAnswer => "答复内容", "Answer";
    UrgingsTitle => "督办", "Urgings";
    UrgeRespondBy => "答复期限", "Answer by";
    UrgeLate => "逾期未答复", "Not answered in time";
    UrgeAnswered => "已答复", "Answered";
    ErrNoOpenUrging => "没有待答复的督办。", "There is no urging waiting for an answer.";
    InboxUrged => "督办：请按时答复", "You have been urged: please answer in time";
    InboxUrgeAnswered => "督办已答复", "Your urging was answered";
    NavQueue => "督办队列", "Queue";
    NavDashboard => "统计", "Figures";
    DashTitle => "矛盾纠纷化解统计", "Dispute resolution figures";
    DashIntro => "{area}，{from} 至 {to} 受理的案件。升级上报从不扣分：问题在哪一级化解都算化解；网格员排查发现越早越好。", "{area}: cases taken in from {from} to {to}. Escalating never counts against anyone: a dispute resolved at any tier counts as resolved, and finding disputes early on patrol is a credit.";
    DashFrom => "起始月份", "From month";
    DashTo => "截止月份", "To month";
    DashExportCsv => "导出 CSV", "Export CSV";
    DashExportXlsx => "导出 Excel", "Export Excel";
    DashTakenIn => "受理", "Taken in";
    DashResolved => "化解", "Resolved";
    DashResolutionRate => "化解率", "Resolution rate";
    DashSuccessRate => "调解成功率", "Mediation success rate";
    DashOnTimeRate => "按期办结率", "On-time rate";
    DashSatisfaction => "满意率", "Satisfaction rate";
    DashSatisfactionNote => "{n} 次回访评价", "{n} rated return visits";
    DashFoundEarly => "排查发现", "Found early on patrol";
    DashFoundEarlyNote => "占受理 {rate}", "{rate} of cases taken in";
    DashPrevented => "防止民转刑", "Prevented from turning criminal";
    DashPreventedNote => "高风险纠纷达成协议", "High-risk disputes settled by agreement";
    DashAverageDays => "平均办理天数", "Average days to conclude";
    DashByMonth => "按月受理与化解", "Taken in and resolved by month";
    DashByCategory => "按纠纷类型", "By category";
    DashByArea => "按辖区", "By area";
    DashByTier => "各层级化解情况", "Resolved per tier";
    DashColTier => "层级", "Tier";
    DashColShare => "在本级及以下化解占比", "Share resolved at or below";
    DashColDays => "平均办理天数", "Average days";
    DashMonthly => "人民调解案件统计月报（{month}）", "Monthly mediation report ({month})";
    DashMonthlyNote => "受理按登记月份，化解、成功、协议和金额按办结月份统计。", "Taken in counts by month of intake; resolved, succeeded, agreements and amount by month of conclusion.";
    DashSucceeded => "调解成功", "Succeeded";
    DashAgreements => "协议数", "Agreements";
    DashAmount => "协议涉及金额（元）", "Amount agreed (yuan)";
    DashTotal => "合计", "Total";
    ExportDimension => "维度", "Dimension";
    ExportName => "名称", "Name";
    ExportMonth => "月份", "Month";
    ExportMonthlySheet => "月报", "Monthly report";
    DashNoData => "—", "—";
    DashChartLabel => "{month}：受理 {taken}，化解 {resolved}", "{month}: {taken} taken in, {resolved} resolved";
    QueueTitle => "督办队列", "Supervision queue";
    QueueIntro => "辖区内在办案件，本级期限最紧的排在前面；按预警颜色查看。", "Open cases in your area, least time left first; by warning colour.";
    QueueSort => "排序", "Sort";
    QueueSortTimeLeft => "排序：剩余时限最少在前", "Sort: least time left first";
    QueueSortOldest => "排序：登记最早在前", "Sort: oldest first";
    CaseDueOn => "本级期限 {date}", "Due at this tier {date}";
    QueueAll => "全部在办", "All open";
    ErrChooseCases => "请勾选要指派的案件（最多 100 件）。", "Please tick the cases to assign (100 at most).";
    QueueAssign => "将勾选的案件指派给", "Assign the ticked cases to";
    QueueAssigned => "已指派 {n} 件。", "{n} assigned.";
    QueueRefused => "未能指派：{codes}（规则不允许或刚被他人更新）。", "Not assigned: {codes} (the rules refused, or someone just changed them).";
    QueuePick => "勾选", "Tick";
    ErrChooseReason => "请选择升级理由。", "Please choose why the case goes up.";
    ErrChoosePerson => "请选择承办人。", "Please choose who takes the case.";
    ErrChooseTier => "请选择调解层级。", "Please choose a tier.";
    ErrChooseBody => "请选择接收机构类别。", "Please choose where the case goes.";
    ErrLocationInvalid => "位置须为中国境内的纬度和经度（如 30.57、104.07），或都不填。", "Give a latitude and longitude within China (e.g. 30.57, 104.07), or neither.";
    ReportOther => "其他当事人", "Another party";
    ReportLocation => "位置（选填）", "Location (optional)";
    Latitude => "纬度", "Latitude";
    Longitude => "经度", "Longitude";
    PartyAddress => "住址", "Address";
    ErrRevealReason => "请填写查看理由。", "Please say why you need the full number.";

    // Escalation, transfer, assignment, referral.
    ActAssign => "指派承办人", "Assign";
    ActTransfer => "移转层级或区域", "Transfer";
    AssignTo => "承办人", "Assignee";
    TransferTier => "转至层级", "To tier";
    TransferArea => "转至区域", "To area";
    EscalateWhy => "升级理由", "Why";
    EscalateNote => "补充说明（选填）", "More (optional)";
    WhyBeyondCompetence => "超出本级调解能力", "Beyond this tier's competence";
    WhyRiskOfEscalation => "有激化风险", "Risk of escalation";
    WhyPartyRequest => "当事人要求", "A party asked";
    WhyTimeLimitPassed => "超过本级办理时限", "This tier's time limit has passed";
    ReferTo => "移交至", "Refer to";
    ReferCourt => "人民法院（诉讼）", "Court";
    ReferArbitration => "仲裁机构", "Arbitration";
    ReferPetitions => "信访部门", "Petitions office";
    ReferPolice => "公安机关", "Police";
    ReferAgency => "行政机关", "Government agency";

    // The timeline's details.
    TimelineTo => "转至", "To";
    TimelineAssignee => "承办人", "Assignee";
    TimelineWhy => "理由", "Why";
    TimelineReference => "文号", "Reference";

    // Revealing a party's numbers.
    RevealShow => "查看完整号码", "Show in full";
    RevealReason => "查看理由（将记录在案）", "Why you need it (this is logged)";
    RevealPhone => "查看完整电话", "Show the full phone number";
    RevealIdNumber => "查看完整身份证号", "Show the full ID number";
    RevealedNote => "完整号码仅本次显示，查看已记录。", "Shown this once; the reveal is logged.";

    // The home page's case lists.
    HomeMyCases => "我承办的在办案件", "My open cases";
    HomeMyQueue => "本级待办", "My tier's queue";
    HomeQueueTiers => "层级：{tiers}", "Tiers: {tiers}";
    HomeSeeAll => "查看全部（{n} 件）", "See all ({n})";
    HomeNoMine => "您目前没有在办案件。", "You have no open cases.";
    HomeNoQueue => "本级暂无待认领案件。", "Nothing is waiting in your tier's queue.";
    FilterQueue => "本级待办", "My tier's queue";

    // Reference data: tiers and categories.
    NavTiers => "调解层级", "Tiers";
    NavCategories => "纠纷类型", "Categories";
    TiersTitle => "调解层级", "Mediation tiers";
    TiersIntro => "案件自下而上逐级升级：网格 → 自治 → 法治 → 德治。网格层级固定为第一级。各辖区共用。", "Cases go up the ladder one tier at a time: grid → self-governance → legal → moral. The grid tier always comes first. Shared by every area.";
    TierPosition => "第 {n} 级", "Tier {n}";
    TierNameZh => "中文名称", "Chinese name";
    TierNameEn => "英文名称", "English name";
    TierOwnerLevel => "承办区域级别", "Worked at level";
    TierTimeLimit => "办理时限", "Time limit";
    TierLimitUnit => "计算方式", "Counted in";
    TierAdd => "在最上层新增层级", "Add a tier at the top";
    TierMoveUp => "上移", "Move up";
    TierMoveDown => "下移", "Move down";
    UnitWorkingDays => "工作日", "working days";
    UnitCalendarDays => "自然日", "calendar days";
    UnitMonths => "个月", "months";
    CategoriesTitle => "纠纷类型", "Dispute categories";
    CategoriesIntro => "一级类型为国家统计口径，可在其下增设子类型。停用的类型不再用于登记，已有案件不受影响。", "The top level follows the national statistics; add sub-categories below it. A category out of use is no longer offered at intake; existing cases keep it.";
    CategoryAddTop => "新增一级类型", "Add a top-level category";
    CategoryAddChild => "新增子类型", "Add a sub-category";
    CategoryInUse => "在用", "In use";
    CategoryOutOfUse => "已停用", "Out of use";
    ErrGridTierFixed => "网格层级固定为第一级，由网格承办；其他层级不能移到它之下或改为网格承办。", "The grid tier stays first and is worked at grid level; no other tier can move below it or be worked at grid level.";
    ErrCategoryTooDeep => "纠纷类型只有两级，子类型下不能再设子类型。", "Categories have two levels; a sub-category cannot have its own.";
    ErrLimitRange => "时限须为 1 至一年以内的整数。", "The limit must be a whole number from 1 up to a year.";

    // Not found and errors.
    NotFoundTitle => "页面不存在", "Page not found";
    NotFoundText => "您访问的页面不存在或已被移动。", "The page you asked for does not exist or has moved.";
    BackHome => "返回首页", "Back to the home page";
    ErrUnauthenticated => "登录已失效，请重新登录。", "Your session has ended; please sign in again.";
    ErrForbidden => "您没有权限进行此操作。", "You are not allowed to do this.";
    ErrOutOfScope => "该记录不在您的管辖区域内。", "That record lies outside your area.";
    ErrOwnAccount => "不能停用自己的账号。", "You cannot deactivate your own account.";
    ErrCaseSummaryOnly => "您只能查看该案件的概况，不能查看当事人信息、调解记录和卷宗材料。", "You see this case's summary only, not its parties, session records or file.";
    ErrIdScanReveal => "当事人身份证件扫描件只向可查看完整证件号码的办案人员提供。", "Scans of the parties' identity documents are only for those who may see their numbers in full.";
    CaseSummaryOnly => "您可查看案件办理进展；当事人信息、案情、调解记录和卷宗材料只向办案人员显示。", "You can follow this case's progress; its parties, narrative, session records and file are shown to those who work it.";
    ErrInstallationOnly => "各区县共用的设置（调解层级、纠纷类型、预警颜色、工作日历、系统设置）和新增区县只能由平台管理员修改。", "Only the installation administrator changes what every county shares (tiers, categories, colours, calendar, settings) or adds a county.";
    ErrNotFound => "记录不存在。", "No such record.";
    ErrInternal => "系统繁忙，请稍后再试。您填写的内容未丢失。", "Something went wrong on our side; please try again. Nothing you typed was lost.";
    ErrCrossSite => "请求来源不被允许。", "Requests from other sites are refused.";
    ErrUsernameLength => "用户名须为 3 至 32 个字符。", "The user name must be 3 to 32 characters.";
    ErrUsernameChars => "用户名只能包含小写字母、数字和 _ . -，并以字母开头。", "Use lower-case letters, digits, '_', '.', '-', starting with a letter.";
    ErrUsernameTaken => "该用户名已被使用。", "That user name is taken.";
    ErrNameEmpty => "请填写名称。", "Please enter a name.";
    ErrNameTooLong => "名称过长。", "The name is too long.";
    ErrNameControl => "名称含有不允许的字符。", "The name contains characters that are not allowed.";
    ErrNameTaken => "同一上级下已有同名区域。", "An area of that name already exists here.";
    ErrPasswordShort => "密码至少 10 位。", "The password needs at least 10 characters.";
    ErrPasswordLong => "密码不能超过 128 位。", "The password may have at most 128 characters.";
    ErrPasswordIsUsername => "密码不能与用户名相同。", "The password must differ from the user name.";
    ErrRoleUnknown => "请选择岗位。", "Please choose a role.";
    ErrAreaUnknown => "请选择所属区域。", "Please choose an area.";
    ErrGridHasNoChildren => "网格是最低一级，不能再添加下级。", "A grid is the lowest level and has nothing below it.";
    ErrConflict => "该案件刚被他人更新，您的操作未执行。请刷新查看最新情况后再试，您填写的内容未丢失。", "Someone else has just changed this case, so your change was not made. Reload to see the latest, then try again; nothing you typed was lost.";
    ErrBadRequest => "提交的内容有误，请检查后重试。", "The form was not filled in correctly; please check it.";
    // Personal API tokens and the API.
    NavTokens => "接口令牌", "API tokens";
    TokensTitle => "个人接口令牌", "Personal API tokens";
    TokensIntro => "其他系统（如 12345 热线、市级平台、手机应用）可凭令牌以您的身份、权限和区域调用接口。令牌只在创建时显示一次，请妥善保管；不再使用时请立即撤销。", "Other systems (12345 hotlines, city platforms, mobile apps) can call the API with a token, acting as you, with your role and area. A token is shown once, when it is made: keep it safe, and revoke it as soon as it is no longer needed.";
    TokensName => "用途", "What it is for";
    TokensCreate => "创建令牌", "Create token";
    TokensNew => "新令牌（只显示这一次，请立即复制）：", "The new token (shown only this once; copy it now):";
    TokensNone => "暂无令牌。", "No tokens.";
    TokensRevoke => "撤销", "Revoke";
    TokensCreatedAt => "创建于", "Created";
    TokensLastUsed => "最近使用", "Last used";
    TokensNeverUsed => "未使用", "Never used";
    TokensDocs => "接口文档", "API documentation";
    ErrTokenNameEmpty => "请填写令牌用途。", "Please say what the token is for.";
    ErrTokenLifetimeUnknown => "请选择令牌有效期。", "Please choose how long the token works.";
    ErrTokenLifetimeUnlimited => "只有管理员可以创建长期有效的令牌，请选择有效期。", "Only an administrator makes a token without expiry; please choose how long it works.";
    ErrTokenMakesNoTokens => "接口令牌不能创建新令牌，请登录后在“接口令牌”页面创建。", "A token cannot make tokens; sign in and make one on the API tokens page.";
    TokensLifetime => "有效期", "Works for";
    TokensLifetime30 => "30 天", "30 days";
    TokensLifetime90 => "90 天", "90 days";
    TokensLifetime365 => "一年", "One year";
    TokensLifetimeNever => "长期有效（不建议）", "No expiry (not advised)";
    TokensExpires => "到期", "Expires";
    TokensNoExpiry => "长期有效", "No expiry";
    ErrTooLong => "内容过长。", "That is too long.";
    ErrUnauthenticatedApi => "请提供有效的接口令牌（Authorization: Bearer …）或先登录。", "Send a valid API token (Authorization: Bearer …) or sign in first.";
    ErrPreconditionFailed => "该记录已被他人更新（版本不符），操作未执行。请重新读取后再试。", "The record has changed since you read it (version mismatch); nothing was done. Read it again and retry.";
    ErrPreconditionRequired => "修改案件须带 If-Match 请求头（读取案件时得到的 ETag）。", "Changing a case needs an If-Match header (the ETag from reading the case).";
    ErrRateLimited => "请求过于频繁，请稍后再试。", "Too many requests; please wait and retry.";
    ErrIdempotencyReused => "该 Idempotency-Key 已用于另一个请求。", "That Idempotency-Key was already used for another request.";
    ErrBadJson => "请求内容不是有效的 JSON，或字段类型不符。", "The request body is not valid JSON, or a field has the wrong type.";
    ErrNotJson => "请求内容须为 JSON（Content-Type: application/json）。", "The request body must be JSON (Content-Type: application/json).";
    ErrPageSize => "每页条数须为 1 至 100。", "The page size must be 1 to 100.";
    ErrBadCursor => "分页游标无效，请从第一页重新读取。", "The paging cursor is not valid; start again from the first page.";
    ErrUnknownAction => "没有这个案件操作。", "There is no such case action.";
    ErrMethodNotAllowed => "该地址不支持此请求方法。", "That method is not allowed here.";
    ErrFieldRequired => "此项必填。", "This field is required.";
    ErrFieldUnknown => "没有这个字段。", "There is no such field.";
    ErrFieldType => "字段类型不符。", "This field has the wrong type.";
    ErrFieldChoice => "不是可选的值之一。", "This is not one of the values allowed here.";
    ErrFieldRange => "超出允许的范围。", "This is outside the range allowed here.";
    ErrIdempotencyKey => "Idempotency-Key 须为 1 至 60 个可见 ASCII 字符。", "An Idempotency-Key must be 1 to 60 visible ASCII characters.";
    ApiDocsTitle => "接口文档", "API documentation";
    ApiDocsIntro => "所有接口位于 /api/v1，请求和响应均为 JSON。用个人接口令牌调用：Authorization: Bearer fq_…（在“接口令牌”页创建）；已登录的浏览器会话也可用。错误按 RFC 9457 返回 application/problem+json。修改案件须带 If-Match（读取案件时的 ETag）；新建可带 Idempotency-Key 以安全重试。列表用 after 游标分页，limit 最大 100。每个客户端每分钟的请求数有上限。", "Every endpoint is under /api/v1 and speaks JSON. Call it with a personal API token: Authorization: Bearer fq_… (made on the API tokens page); a signed-in browser session works too. Errors are RFC 9457 application/problem+json. Changing a case needs If-Match (the ETag from reading it); creates take an Idempotency-Key so that retries are safe. Lists page with an `after` cursor, `limit` at most 100. Each client has a limit of requests per minute.";
    ApiDocsSpec => "OpenAPI 文档（JSON）", "OpenAPI document (JSON)";
    ApiDocsOpen311 => "Open311 GeoReport v2 接口位于 /open311/v2（services、requests，JSON 与 XML）。", "Open311 GeoReport v2 is at /open311/v2 (services, requests; JSON and XML).";
    ApiDocsParams => "参数", "Parameters";
    ApiDocsBody => "请求字段", "Request fields";
    ApiDocsResponse => "成功响应", "Success response";
    ApiDocsRequired => "必填", "required";
    ApiOpMe => "当前调用者（令牌或会话的用户）", "Who is calling (the token's or session's user)";
    ApiOpListCases => "案件列表：与界面相同的筛选，游标分页", "List cases: the UI's filters, cursor-paged";
    ApiOpReportCase => "登记纠纷（新建案件）", "Report a dispute (create a case)";
    ApiOpGetCase => "读取案件（ETag 为其版本）", "Read a case (its ETag is its version)";
    ApiOpActOnCase => "对案件执行操作（受理、调解、升级、协议、回访、结案、归档……），须带 If-Match", "Act on a case (accept, session, escalate, agreement, return visit, close, archive, …); needs If-Match";
    ApiOpParties => "案件当事人（号码已遮蔽）", "A case's parties (numbers masked)";
    ApiOpSessions => "调解记录", "A case's mediation sessions";
    ApiOpTimeline => "案件时间线", "A case's timeline";
    ApiOpAgreements => "调解协议", "A case's agreements";
    ApiOpVisits => "回访", "A case's return visits";
    ApiOpQueue => "本级待办：本人所在层级的未结案件", "The caller's queue: open cases at their tiers";
    ApiOpSupervision => "督办队列：辖区内未结案件按预警颜色计数，按剩余时限排序（督办人员）", "The supervision queue: open cases in the caller's area counted by colour, least time left first (supervisors)";
    ApiOpBulkAssign => "批量指派（督办人员）", "Assign cases in bulk (supervisors)";
    ApiOpNotifications => "消息", "Notifications";
    ApiOpMarkRead => "将一条消息标为已读", "Mark a notification read";
    ApiOpMarkAllRead => "将全部消息标为已读", "Mark every notification read";
    ApiOpAreas => "调用者辖区内的区域", "The areas of the caller's subtree";
    ApiOpCategories => "纠纷类别", "Dispute categories";
    ApiOpTiers => "调解层级", "Mediation tiers";
    ApiOpListPatrols => "巡查日志：网格员本人的，督办人员辖区内的；按日期倒序分页", "Patrols: a grid worker's own, a supervisor's subtree's; latest day first, paged";
    ApiOpRecordPatrol => "记录一次巡查（零报告、发现纠纷或其他事项），可带 Idempotency-Key", "Log a patrol (a zero report, disputes found, or other matters); takes an Idempotency-Key";
    ApiOpGetPatrol => "读取一次巡查", "Read a patrol";
    ApiOpSilentGrids => "静默网格：辖区内多日无巡查、无上报的网格（督办人员）", "Silent grids: grids of the caller's area without a patrol or a report for some working days (supervisors)";
    AreaLatitude => "纬度", "Latitude";
    AreaLongitude => "经度", "Longitude";
    AreaSetCentre => "设定网格中心", "Set the grid's centre";
    AreaLocated => "已保存网格中心。", "The grid's centre is saved.";
    Open311ErrApiKey => "api_key 无效或缺失。", "The api_key is missing or not valid.";
    Open311ErrServiceCode => "没有这个 service_code。", "There is no such service_code.";
    Open311ErrLocation => "须提供 lat 与 long，或 address_string。", "Send lat and long, or an address_string.";
    Open311ErrUnplaced => "无法确定所属网格：请提供靠近某网格的坐标，或写明网格名称的地址。", "Could not tell which grid this belongs to: send a point near a grid, or an address that names one.";
    Open311ErrNotFound => "没有这个服务请求。", "There is no such service request.";
    Open311ErrFormat => "请在路径末尾注明格式：.json 或 .xml。", "End the path with the format: .json or .xml.";
    Open311ErrDate => "日期须为 ISO 8601（W3C）格式，例如 2026-11-25T08:00:00+08:00。", "Dates must be ISO 8601 (W3C), e.g. 2026-11-25T08:00:00+08:00.";
    Open311ErrTooManyIds => "service_request_id 一次最多 100 个。", "service_request_id names at most 100 requests at a time.";
    Open311ErrStatus => "status 只能是 open 或 closed。", "status must be open or closed.";
    Open311ErrAttribute => "附加字段不符合服务定义。", "An attribute does not fit the service definition.";
    Open311AnonymousCaller => "12345 来电人", "12345 caller";
    Open311Notice => "本级办理期限至 {date}。", "Due at this tier by {date}.";
    Open311StatusNotes => "{status} · {tier}", "{status} · {tier}";
    Open311Agency => "{area} · {tier}", "{area} · {tier}";
    Yes => "是", "Yes";
    No => "否", "No";
    ExportCasesSheet => "案件列表", "Cases";
    ExportTruncated => "仅导出前 {n} 条，请缩小筛选范围。", "Only the first {n} were exported; narrow the filters.";
    ColDueOn => "本级期限", "Due at this tier";
    NavImport => "导入台账", "Import ledger";
    ImportTitle => "导入矛盾纠纷台账", "Import a dispute ledger";
    ImportIntro => "把原有的纠纷排查台账（CSV 或 Excel .xlsx，第一行为表头）导入为本辖区网格的已上报案件。上传后先核对列对应关系并检查（不写入任何数据），全部通过后才能导入；导入要么全部成功，要么一条都不写入。", "Bring an existing dispute ledger (CSV or Excel .xlsx, headings in the first row) in as reported cases at the grids of your area. After upload, check the column mapping and run a check (nothing is written); only a clean check can be imported, and an import writes every row or none.";
    ImportFile => "台账文件", "Ledger file";
    ImportUpload => "上传", "Upload";
    ImportRecent => "最近的导入", "Recent imports";
    ImportNone => "暂无导入。", "No imports yet.";
    ImportStatusUploaded => "待检查", "To check";
    ImportStatusChecked => "检查通过，可导入", "Checked, ready";
    ImportStatusRunning => "正在导入", "Importing";
    ImportStatusDone => "已导入", "Imported";
    ImportStatusFailed => "导入失败，未写入任何数据", "Failed; nothing was written";
    ImportMapping => "列对应关系", "Columns";
    ImportNoColumn => "（不导入）", "(not imported)";
    ImportSkipDuplicates => "跳过重复的行（与台账中前面的行或已有案件相同）", "Leave out duplicate rows (same as an earlier row or a case already here)";
    ImportCheck => "检查（不写入）", "Check (writes nothing)";
    ImportRun => "导入 {n} 条案件", "Import {n} cases";
    ImportProgress => "已处理 {done} / {total} 行……", "{done} of {total} rows done…";
    ImportDone => "已导入 {n} 条案件。", "{n} cases imported.";
    ImportSummary => "共 {rows} 行：{ok} 行可导入，{problems} 处问题，{duplicates} 行重复。", "{rows} rows: {ok} ready, {problems} problems, {duplicates} duplicates.";
    ImportMoreProblems => "另有 {n} 处问题未列出。", "{n} more problems are not listed.";
    ImportReportTitle => "检查结果", "What the check found";
    ImportColRow => "行", "Row";
    ImportColField => "字段", "Field";
    ImportColProblem => "问题", "Problem";
    ImportColValue => "内容", "Value";
    ImportBack => "返回导入列表", "Back to imports";
    ImportFieldTitle => "纠纷概要", "Summary";
    ImportFieldReportedOn => "登记日期", "Date";
    ImportFieldCategory => "纠纷类型", "Category";
    ImportFieldArea => "所属网格", "Grid";
    ImportFieldApplicantName => "申请人", "Applicant";
    ImportFieldApplicantPhone => "申请人电话", "Applicant's phone";
    ImportFieldApplicantIdNumber => "申请人身份证号", "Applicant's ID number";
    ImportFieldRespondentName => "被申请人", "Respondent";
    ImportFieldRespondentPhone => "被申请人电话", "Respondent's phone";
    ImportFieldDescription => "纠纷情况", "What happened";
    ImportFieldAddress => "地址", "Address";
    ErrImportEmpty => "文件中没有数据行（第一行应为表头）。", "The file has no data rows (the first row should be the headings).";
    ErrImportTooManyRows => "文件超过 200,000 行，请分批导入。", "The file has more than 200,000 rows; import it in parts.";
    ErrImportUnreadable => "无法读取该文件：请上传 CSV（UTF-8 或 GBK）或 Excel .xlsx 文件。", "The file cannot be read: upload a CSV (UTF-8 or GBK) or an Excel .xlsx file.";
    ErrImportTooManyColumns => "表格超过 64 列，请只保留台账需要的列后再上传。", "The sheet has more than 64 columns; keep only the ledger's columns and upload it again.";
    ErrImportSheetTooLarge => "表格过大（最多 4,000,000 个单元格，解压后最多 256 MB），请分批导入。", "The sheet is too large (at most 4,000,000 cells and 256 MB unpacked); import it in parts.";
    ErrImportTooBig => "文件过大（最大 40 MB）。", "The file is too large (40 MB at most).";
    ErrImportUnmapped => "必填字段未对应到任何列。", "This required field has no column.";
    ErrImportDate => "日期无法识别（例如 2024-03-05 或 2024年3月5日）。", "The date is not recognised (e.g. 2024-03-05).";
    ErrImportDateFuture => "日期晚于今天。", "The date is after today.";
    ErrImportCategory => "没有这个纠纷类型。", "There is no such category.";
    ErrImportArea => "您的辖区内没有这个网格。", "There is no such grid in your area.";
    ErrImportAreaAmbiguous => "辖区内有多个同名网格，请写明上级，如“长兴社区/第一网格”。", "Several grids in your area have this name; write its parent too, e.g. “Changxing/Grid 1”.";
    ErrImportDuplicateInFile => "与台账中前面的一行重复（见“内容”中的行号）。", "Repeats an earlier row of the ledger (its row number is shown).";
    ErrImportDuplicateExisting => "与已有案件重复（同一网格、日期、申请人和概要）。", "Repeats a case already here (same grid, day, applicant and summary).";
    ErrImportFailed => "导入未能完成，未写入任何数据。请重新检查后再试。", "The import could not finish and nothing was written. Check again and retry.";
    ErrImportNotReady => "该导入当前不能进行此操作（可能正在导入或已完成）。", "This import cannot do that now (it may be running or done).";
    ErrorLabel => "错误", "Error";

    // Patrols (巡查日志).
    NavPatrols => "巡查", "Patrols";
    PatrolsTitle => "巡查日志", "Patrol log";
    PatrolsIntro => "每次巡查网格都请登记走访和发现；没有发现也请登记零报告，零报告也是工作。", "Log every patrol of your grid, what you visited and what you found; when you found nothing, log a zero report: it is work done too.";
    PatrolsSupervisorIntro => "辖区内网格员登记的巡查，最近的在前。", "Patrols logged by the grid workers of your area, latest first.";
    PatrolsNew => "登记巡查", "Log a patrol";
    PatrolsDay => "巡查日期", "Day";
    PatrolsGrid => "网格", "Grid";
    PatrolsVisits => "走访户数或场所数", "Households or places visited";
    PatrolsNotes => "走访情况（选填）", "Notes on the visits (optional)";
    PatrolsFound => "发现情况", "What you found";
    PatrolFoundNothing => "无发现（零报告）", "Nothing (zero report)";
    PatrolFoundDisputes => "发现矛盾纠纷（提交后登记纠纷）", "One or more disputes (reported next)";
    PatrolFoundMatters => "其他需跟进事项", "Other matters to follow up";
    PatrolsMatters => "需跟进的事项", "Matters to follow up";
    PatrolsSubmit => "提交巡查", "Log the patrol";
    PatrolsNone => "还没有巡查记录。", "No patrols logged yet.";
    PatrolsRecorded => "巡查已登记。", "The patrol is logged.";
    PatrolsReport => "登记在这次巡查中发现的纠纷", "Report a dispute found on this patrol";
    PatrolsCases => "由此登记的案件", "Cases reported from it";
    PatrolsVisitsCount => "走访 {n} 处", "{n} visited";
    PatrolsMore => "更早的巡查", "Earlier patrols";
    PatrolsRecent => "最近的巡查", "Recent patrols";
    SilentTitle => "静默网格", "Silent grids";
    InboxGridSilent => "静默网格：已 {n} 个工作日无巡查、无上报", "Silent grid: no patrol or report for {n} working days";
    SilentIntro => "连续 {n} 个工作日既无巡查也无上报的网格。", "Grids with neither a patrol nor a report for {n} working days.";
    SilentNone => "没有静默网格。", "No grid is silent.";
    SilentCount => "{k} 个静默，共 {total} 个网格", "{k} silent of {total} grids";
    SilentLast => "最近一次：{day}", "Last: {day}";
    SilentNever => "还没有巡查或上报", "No patrol or report yet";
    SilentDays => "已静默 {n} 个工作日", "Silent for {n} working days";
    SilentAfterLabel => "网格连续多少个工作日无巡查、无上报即为静默", "Working days without a patrol or a report before a grid is silent";
    ErrSilentAfter => "请填写 1 到 30 之间的整数。", "Enter a whole number from 1 to 30.";
    DashPatrols => "巡查情况", "Patrols";
    DashPatrolsCount => "巡查次数", "Patrols";
    DashZeroReports => "零报告", "Zero reports";
    DashFoundOnPatrol => "巡查发现纠纷", "Disputes found on patrol";
    DashPatrolsNote => "主动发现、及早上报是好的结果，这些数字都不计为网格员的负面指标。", "Finding disputes early is the good outcome: none of these figures counts against a grid worker.";
    NavQuickReport => "快速上报", "Quick report";
    QuickReportTitle => "现场快速上报", "Report on the spot";
    QuickReportIntro => "记下什么事、在哪里、谁反映的；其余在受理时补充。", "Note what, where and who raised it; the rest can follow at acceptance.";
    QuickReportWhat => "什么事（一句话）", "What (in a line)";
    QuickReportWho => "谁反映的（姓名）", "Who raised it (name)";
    QuickReportNotes => "补充说明（选填）", "A few words more (optional)";
    QuickReportSubmit => "上报", "Send the report";
    QuickReportFullForm => "要记下更多？使用完整登记表 →", "More to record? Use the full form →";
    ReportFromPatrol => "这件纠纷来自 {day} 在{grid}的巡查。", "This dispute was found on the patrol of {grid} on {day}.";
    ErrPatrolDayInvalid => "日期格式不对（例如 2026-03-05）。", "The date is not valid (e.g. 2026-03-05).";
    ErrPatrolDayInFuture => "巡查日期不能晚于今天。", "The day cannot be after today.";
    ErrPatrolDayTooOld => "只能补登最近 7 天内的巡查。", "Only patrols of the last 7 days can be logged.";
    ErrPatrolVisits => "请填写走访数量（整数）。", "Enter how many were visited (a whole number).";
    ErrPatrolVisitsTooMany => "一次巡查最多登记 2000 处走访。", "One patrol logs at most 2000 visits.";
    ErrPatrolFound => "请选择发现情况。", "Choose what you found.";
    ErrPatrolMattersMissing => "请写明需跟进的事项。", "Say what the matters to follow up are.";
    ErrPatrolGrid => "请选择您负责的网格。", "Choose one of your grids.";
    ErrPatrolUnknown => "没有找到这次巡查。", "There is no such patrol.";
    ErrPatrolOtherGrid => "纠纷所在的网格须与巡查的网格相同。", "The dispute must be in the grid that was patrolled.";
    PatrolsPlace => "巡查位置（选填）", "Where you patrolled (optional)";
    PatrolsAt => "位置 {place}", "At {place}";
    PatrolsPhotos => "照片", "Photos";
    PatrolsPhotoN => "照片 {n}", "Photo {n}";
    PatrolsPhotoAdd => "拍照（JPG、PNG 或 WebP，不超过 10 MB）", "Take a photo (JPG, PNG or WebP, up to 10 MB)";
    PatrolsPhotoSubmit => "上传照片", "Upload the photo";
    PatrolsPhotoDone => "照片已上传。", "The photo is uploaded.";
    ErrPatrolPhotoType => "巡查照片只接受 JPG、PNG 或 WebP 图片。", "A patrol photo must be a JPG, PNG or WebP picture.";
    ErrPatrolPhotoNotYours => "只有登记这次巡查的网格员可以上传照片。", "Only the grid worker who logged the patrol adds its photos.";
    ErrPatrolPhotoTooOld => "只能为最近 7 天内的巡查补充照片。", "Photos can be added only to patrols of the last 7 days.";
    ErrPatrolPhotoFull => "一次巡查最多保存 9 张照片。", "One patrol keeps at most 9 photos.";
    ErrPatrolFoundNothing => "这次巡查登记为零报告，不能关联纠纷；请另登记一次巡查。", "This patrol was logged as a zero report and cannot have disputes; log another patrol.";
    EarlierTitle => "既往纠纷", "Earlier disputes";
    EarlierSummary => "{n} 件既往案件涉及同一当事人或地点，最近一次 {day}（{status}）", "{n} earlier cases with the same party or place, the last one {day} ({status})";
    EarlierElsewhere => "其他区域有涉及同一当事人或地点的既往案件。", "An earlier case exists in another area.";
    EarlierIntakeNote => "提交后，案件风险等级将据此提高。", "When submitted, the case's risk is raised for this.";
    MatchIdNumber => "身份证号相同", "same ID number";
    MatchPhone => "电话相同", "same phone";
    MatchNameAddress => "姓名和住址相同", "same name and address";
    MatchAddress => "地址相同", "same address";
    MatchPlace => "位置相近（50 米内）", "same place (within 50 m)";
    RiskWhy => "风险依据", "Why";
    RiskWhyManyPeople => "涉及人数较多", "Many people involved";
    RiskWhyLargeAmount => "涉及金额较大", "A large sum at stake";
    RiskWhyIntense => "纠纷激烈", "Intense";
    RiskWhyHeated => "有争执", "Heated";
    RiskWhyPolice => "此前已报警", "The police were called before";
    RiskWhyEarlier => "发现同一当事人或地点的既往案件", "Earlier cases with the same party or place were found";
    LinksTitle => "关联案件", "Linked cases";
    ActLink => "关联案件", "Link a case";
    ActUnlink => "取消关联", "Unlink";
    EventLinked => "关联案件", "Linked a case";
    EventUnlinked => "取消关联", "Unlinked a case";
    // Appointments and what parties say on their status pages (issue 18).
    ErrApplyArea => "请选择纠纷所在的村（社区）。", "Please choose the village or community where the dispute is.";
    ErrApplyDescription => "请说明纠纷的经过。", "Please say what happened.";
    ErrApplyName => "请填写您的姓名。", "Please give your name.";
    ErrApplyPhone => "请填写能联系到您的手机或座机号码（座机请带区号）。", "Please give a phone number the office can call you on (a landline with its area code).";
    ErrApplyConsent => "申请人民调解须自愿，请勾选同意。", "Mediation is voluntary: please tick that you agree to it.";
    ErrApplyPhoneLimit => "这个号码今天已提交多次申请，请直接联系当地调解委员会。", "This number has applied several times today: please contact the local mediation committee directly.";
    ApplyTitle => "网上申请调解", "Apply for mediation";
    ApplyIntro => "人民调解不收费。提交后您会得到一个解纷码，凭它随时查看办理进度。", "People's mediation is free. You get a party code to follow your application with.";
    ApplySent => "申请已提交，调解组织会电话联系您。", "Your application was sent: the office will call you.";
    ApplyWhere => "纠纷发生在哪里？", "Where is the dispute?";
    ApplyAllAreas => "全部地区", "All areas";
    ApplyTo => "向以下调解组织申请：", "Applying to:";
    ApplyTitleField => "纠纷概要（一句话）", "The dispute, in a line";
    ApplyDescription => "纠纷经过和您的诉求", "What happened, and what you ask for";
    ApplyAddress => "纠纷发生地点（选填）", "Where it happens (optional)";
    ApplyYou => "申请人（您本人）", "You, the applicant";
    ApplyOther => "对方当事人（知道的话）", "The other side (if you know)";
    ApplyName => "姓名", "Name";
    ApplyPhone => "联系电话", "Phone";
    ApplyHoneypot => "请勿填写此项", "Leave this empty";
    ApplyConsent => "我自愿申请人民调解，并同意调解组织为办理本申请使用以上信息。", "I apply for people's mediation of my own will, and agree that the office uses this information for it.";
    ApplyPrivacy => "您的电话只用于调解组织联系您，不会显示给对方。", "Your number is only for the office to call you; the other side never sees it.";
    ApplySubmit => "提交申请", "Send application";
    ApplyReceived => "申请已提交。请记下您的解纷码，凭它查看办理进度：", "Your application was sent. Keep your party code to follow it:";
    ErrNotAnApplication => "只有网上申请才能标记为恶意申请。", "Only an online application can be marked as spam.";
    ActMarkSpam => "标记为恶意申请（不通知申请人）", "Mark as spam (the applicant is not told)";
    ActAppoint => "预约调解", "Set the next session";
    EventAppointment => "预约调解", "Next session set";
    EventPartyMessage => "当事人", "A party";
    AppointmentStarts => "时间", "When";
    AppointmentPlace => "地点", "Where";
    AppointmentPlaceHint => "例如：村委会调解室", "e.g. the village committee's mediation room";
    AppointmentSave => "保存并告知当事人", "Save and tell the parties";
    AppointmentSaved => "预约已保存，当事人可在进度页查看。", "Saved: the parties see it on their status pages.";
    ErrTimeInvalid => "请填写有效的日期和时间。", "Please enter a valid date and time.";
    ErrAppointmentTime => "预约时间须在今后一年之内。", "The session must be within the coming year.";
    ErrPlaceEmpty => "请填写地点。", "Please say where.";
    ErrPerformance => "请逐条选择协议履行情况。", "Please say for each term how it was performed.";
    ErrPartyEmpty => "请填写内容。", "Please write something.";
    ErrPartyTooLong => "内容不能超过 500 字。", "At most 500 characters, please.";
    ErrPartyArchived => "案件已归档，请通过承办单位的联系方式联系。", "The case is archived: please contact the office directly.";
    ErrPartyNoAppointment => "该预约已变更，请刷新页面查看最新安排。", "This appointment has changed: reload the page to see the current one.";
    ErrPartyAppointmentPassed => "预约时间已过。", "The appointment's time has passed.";
    ErrPartyNotMediated => "案件已不在调解中。", "The case is no longer being mediated.";
    ErrPartyNoAgreement => "尚未达成调解协议，暂无回访。", "No agreement yet, so no return visit.";
    ErrPartyAlreadyAnswered => "您已完成回访评价，感谢！", "You have already answered the return visit. Thank you!";
    ErrPartyTooMany => "今天的留言和答复已达上限，请直接电话联系承办单位。", "That is all you can send today: please phone the office.";
    PartySaidMessage => "留言", "Left a message";
    PartySaidConfirmed => "确认参加预约调解", "Confirmed the appointment";
    PartySaidMoveAsked => "申请调整预约时间", "Asked to move the appointment";
    PartySaidVisit => "完成回访自评", "Answered the return visit";
    InboxPartyMessage => "当事人留言", "A party left a message";
    InboxPartyConfirmed => "当事人确认了预约", "A party confirmed the appointment";
    InboxPartyMoveAsked => "当事人申请改期", "A party asked to move the appointment";
    InboxPartyVisit => "当事人完成回访自评", "A party answered the return visit";
    VisitByParty => "当事人自评（{role}）", "Answered by the party ({role})";
    PartyStatusContact => "联系承办单位", "Contact the office";
    PartyStatusPhone => "电话", "Phone";
    PartyStatusAddress => "地址", "Address";
    PartyStatusNoContact => "承办单位尚未登记联系方式，请联系您所在的村（社区）。", "The office has not listed a contact yet: ask your village or community committee.";
    PartyStatusAppointment => "下次调解", "Next session";
    PartyStatusYourAnswer => "您的答复", "Your answer";
    PartyConfirm => "我会按时参加", "I will come";
    PartyAskMove => "申请改期", "Ask to move it";
    PartyMoveWhy => "改期原因或方便的时间（选填）", "Why, or a time that suits you (optional)";
    PartyStatusTerms => "调解协议", "The agreement";
    PartyTermYours => "您需履行", "Yours to do";
    PartyTermOthers => "对方履行", "The other side's";
    PartyTermDue => "期限", "By";
    PartyTermAmount => "金额 {yuan} 元", "{yuan} yuan";
    PartyStatusMessage => "给承办单位留言", "Message the office";
    PartyMessageHint => "仅限文字，500 字以内。调解员会在办公时间查看。", "Text only, up to 500 characters. The mediator reads it during office hours.";
    PartyMessageSend => "发送留言", "Send";
    PartyMessageSent => "留言已送达承办单位。", "Your message reached the office.";
    PartyAnswerSent => "已收到您的答复。", "Your answer was received.";
    PartyVisitTitle => "回访评价", "Return visit";
    PartyVisitIntro => "协议履行得怎么样？您的评价将记入本案的回访记录。", "How is the agreement being kept? Your answers go into the case's return-visit record.";
    PartyVisitNote => "其他想说的（选填）", "Anything else (optional)";
    PartyVisitSend => "提交评价", "Send";
    PartyVisitThanks => "您已完成回访评价，感谢！", "You answered the return visit. Thank you!";
    PartyStatusSaid => "您的留言与答复", "What you said";
    HomeAppointments => "近期预约调解", "Coming sessions";
    HomeAppointmentsNone => "未来七天没有预约调解。", "No sessions set for the next seven days.";
    AgreementSlipTitle => "进度查询联（请交当事人本人）", "Status slip (for this party only)";
    ReceiptRevoke => "作废此码", "Revoke this code";
    ReceiptRenew => "重新生成", "Make a new code";
    ReceiptRevoked => "此解纷码已作废，重新生成后方可打印。", "This code is revoked: make a new one to print.";
    ReceiptViews => "进度页已查看 {n} 次", "Status page opened {n} times";
    ReceiptChanged => "解纷码已更新，旧码即时失效。", "Done: the old code no longer opens anything.";
    AreaContact => "调解组织联系方式", "Mediation office contact";
    AreaContactPhone => "办公电话", "Office phone";
    AreaContactAddress => "办公地址", "Office address";
    AreaSetContact => "保存联系方式", "Save contact";
    SettingsKeepDays => "解纷码在案件归档后的有效天数", "Days a party code keeps working after archiving";
    ErrKeepDays => "请填写 7 至 3650 之间的天数。", "Please enter 7 to 3650 days.";
    LinkRepeat => "重复纠纷", "Repeat dispute";
    LinkRelated => "关联纠纷", "Related dispute";
    LinkSameGroup => "同一群体纠纷", "Same group dispute";
    LinkOther => "案件编号", "Case number";
    LinkOtherHint => "例如 FQ-2026-000123", "e.g. FQ-2026-000123";
    LinkKindField => "关联类型", "How they belong together";
    LinkElsewhere => "其他区域的一件关联案件", "A linked case in another area";
    LinkAsRepeat => "关联为重复纠纷", "Link as a repeat";
    LinkNote => "关联说明（选填）", "Why (optional)";
    LinkNoteHint => "两件案件的流转记录都会显示这段说明，请勿写入另一案件的当事人信息。", "Both cases' timelines show this; do not write the other case's parties into it.";
    ErrLinkedCaseUnknown => "您的辖区内没有这个编号的案件。", "There is no case with this number in your area.";
    ErrLinkSelf => "不能关联案件本身。", "A case cannot be linked to itself.";
    ErrLinkedAlready => "这两件案件已经关联。", "These cases are linked already.";
    ErrNotLinked => "这两件案件没有关联。", "These cases are not linked.";
    ErrCaseCode => "请填写案件编号，例如 FQ-2026-000123。", "Enter a case number, e.g. FQ-2026-000123.";
    MaterialsTitle => "照片和材料", "Photos and documents";
    MaterialsNone => "还没有照片或材料。", "No photos or documents yet.";
    MaterialsPhoto => "拍照或选择文件（JPG、PNG、WebP 图片或 PDF，不超过 10 MB）", "Take a photo or choose a file (JPG, PNG, WebP or PDF, up to 10 MB)";
    MaterialsAfterReport => "纠纷已登记。可以现在拍照补充现场情况。", "The dispute is reported. You can add a photo of the scene now.";
    UseMyLocation => "使用我的位置", "Use my location";
    LocationFinding => "正在定位…", "Finding your location…";
    LocationFailed => "无法获取位置，请手动填写。", "Your location could not be found; type it in.";
}

mod labels;
pub use labels::*;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_message_has_text_in_both_languages() {
        for msg in Msg::ALL {
            for lang in Lang::ALL {
                assert!(!msg.text(lang).trim().is_empty(), "{msg:?} in {lang:?}");
            }
        }
    }

    #[test]
    fn a_key_travels_as_its_name_and_comes_back() {
        for &msg in Msg::ALL {
            let wire = serde_json::to_string(&msg).unwrap();
            assert_eq!(wire, format!("\"{}\"", msg.name()));
            assert_eq!(serde_json::from_str::<Msg>(&wire).unwrap(), msg);
        }
        assert_eq!(format!("{:?}", Msg::SavedOnPhone), "SavedOnPhone");
        // Inside an error, as the service worker writes one.
        let error: crate::error::AppError =
            serde_json::from_str(r#"{"Forbidden":"SavedOnPhone"}"#).unwrap();
        assert!(matches!(
            error,
            crate::error::AppError::Forbidden(Msg::SavedOnPhone)
        ));
        assert!(serde_json::from_str::<Msg>("\"NoSuchKey\"").is_err());
        assert!(serde_json::from_str::<Msg>("7").is_err());
    }

    #[test]
    fn english_text_is_not_left_in_chinese() {
        let has_cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for msg in Msg::ALL {
            if *msg == Msg::LangZh {
                continue;
            }
            assert!(!has_cjk(msg.text(Lang::English)), "{msg:?}");
        }
    }

    #[test]
    fn placeholders_match_between_languages() {
        let names = |s: &str| -> HashSet<String> {
            s.split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_owned()))
                .collect()
        };
        for msg in Msg::ALL {
            assert_eq!(
                names(msg.text(Lang::Zh)),
                names(msg.text(Lang::English)),
                "{msg:?}"
            );
        }
        assert_eq!(
            Lang::English.fill(Msg::HomeGreeting, &[("name", "Li")]),
            "Hello, Li"
        );
        assert_eq!(
            Lang::Zh.fill(Msg::HomeGreeting, &[("name", "李春梅")]),
            "您好，李春梅"
        );
    }

    #[test]
    fn tags_round_trip_and_unknown_tags_are_refused() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::default(), Lang::Zh);
    }

    /// No UI text outside the catalogue: no Chinese characters and no text
    /// nodes starting with a letter in any other source file of the app.
    #[test]
    fn ui_strings_live_only_in_the_catalogue() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut stack = vec![std::path::PathBuf::from(dir)];
        let mut offenders = Vec::new();
        while let Some(path) = stack.pop() {
            for entry in std::fs::read_dir(&path).into_iter().flatten().flatten() {
                let p = entry.path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                if p.extension().and_then(|e| e.to_str()) != Some("rs") || p.ends_with("i18n.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                // Tests may assert on rendered text; they start at `#[cfg(test)]`.
                let product = text.split("#[cfg(test)]").next().unwrap_or_default();
                for (n, line) in product.lines().enumerate() {
                    let code = line.split("//").next().unwrap_or_default();
                    let cjk = code.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
                    let text_node = code
                        .match_indices(">\"")
                        .any(|(i, _)| code[i + 2..].starts_with(|c: char| c.is_alphabetic()));
                    if cjk || text_node {
                        offenders.push(format!("{}:{}", p.display(), n + 1));
                    }
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "UI text outside the catalogue: {offenders:?}"
        );
    }
}
