//! What server functions send to the pages: plain, serialisable views of the
//! domain, never storage rows (no password hashes, no tokens).
use crate::i18n::Msg;
pub use crate::i18n::{
    action_label, colour_label, confirmation_label, escalation_label, event_label, file_item_label,
    level_label, limit_unit_label, mode_label, party_role_label, performance_label, referral_label,
    risk_label, role_label, source_label, status_label, warning_reason_label,
};
use chrono::{DateTime, Utc};
use domain::{AreaLevel, Role};
use serde::{Deserialize, Serialize};

/// The signed-in user, as every page needs them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub area_id: i64,
    pub area_name: String,
    /// The sign-in before this one (None the first time).
    pub previous_login_at: Option<DateTime<Utc>>,
    /// Unread notifications (counted up to 100), for the navigation.
    pub unread: i64,
}

/// An urging (督办) on a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct UrgingView {
    pub by: String,
    pub note: String,
    pub urged_at: DateTime<Utc>,
    pub respond_by: DateTime<Utc>,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    /// Unanswered past its deadline.
    pub late: bool,
}

/// A notification in the inbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct NotificationView {
    pub id: i64,
    /// The case it is about; `None` when it is about an area.
    pub case_code: Option<String>,
    pub case_title: Option<String>,
    /// The area it is about (a silent grid), when not a case.
    pub area_id: Option<i64>,
    pub area_name: Option<String>,
    /// For a silent grid: the working days without a patrol or a report.
    pub quiet_days: Option<u32>,
    /// What happened: `colour`, `escalated`, `urged`, `urge_answered` or
    /// `grid_silent`.
    pub kind: domain::EventKind,
    pub colour: Option<domain::warning::Colour>,
    /// For a party's words (`party_message`): what it said.
    pub party_said: Option<domain::party_side::PartyNoteKind>,
    pub at: DateTime<Utc>,
    pub read: bool,
}

/// An account in the admin pages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub area_id: i64,
    pub area_name: String,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub active: bool,
    /// Sign-in is locked until then (too many wrong passwords); only the
    /// account's own page reads it.
    pub locked_until: Option<DateTime<Utc>>,
}

/// An area, with its depth below the viewer's own area for indenting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct AreaView {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub level: AreaLevel,
    pub name: String,
    /// 0 for the viewer's own area.
    pub depth: usize,
    /// Its centre as decimal degrees (`30.5741`, `103.9232`), if set.
    #[serde(default)]
    pub centre: Option<(String, String)>,
    /// How parties reach its mediation office (empty when unset).
    #[serde(default)]
    pub contact_phone: String,
    #[serde(default)]
    pub contact_address: String,
}

/// The figures on the home page, for the viewer's subtree.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct AreaSummary {
    /// The level of the viewer's own area: figures are for the levels below.
    pub level: Option<AreaLevel>,
    pub area_path_names: Vec<String>,
    pub townships: i64,
    pub communities: i64,
    pub grids: i64,
    pub active_users: i64,
}

/// The role's duties, listed on the home page.
pub fn duties(role: Role) -> [Msg; 3] {
    match role {
        Role::GridWorker => [Msg::DutyGrid1, Msg::DutyGrid2, Msg::DutyGrid3],
        Role::Mediator => [Msg::DutyMediator1, Msg::DutyMediator2, Msg::DutyMediator3],
        Role::Supervisor => [
            Msg::DutySupervisor1,
            Msg::DutySupervisor2,
            Msg::DutySupervisor3,
        ],
        Role::Admin => [Msg::DutyAdmin1, Msg::DutyAdmin2, Msg::DutyAdmin3],
    }
}

use domain::case::{CaseStatus, EscalationReason, MediationMode, ReferralBody, Source};
use domain::outcome::{AgreementKind, ConfirmationResult, FileItem, Performance};
use domain::party::PartyRole;
use domain::risk::RiskLevel;

/// A name kept as data in both languages (tiers, categories).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct Named {
    pub id: i64,
    pub zh: String,
    pub en: String,
}

impl Named {
    pub fn name(&self, lang: crate::i18n::Lang) -> &str {
        match lang {
            crate::i18n::Lang::Zh => &self.zh,
            crate::i18n::Lang::English => &self.en,
        }
    }
}

/// A row of the case list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct CaseRow {
    pub code: String,
    pub title: String,
    pub status: CaseStatus,
    pub tier: Named,
    pub category: Named,
    pub area_name: String,
    pub owner_name: Option<String>,
    pub risk: RiskLevel,
    pub colour: domain::warning::Colour,
    pub reported_at: DateTime<Utc>,
    /// The last day at the current tier, while its clock runs.
    pub due_on: Option<chrono::NaiveDate>,
}

/// One page of the case list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct CaseList {
    pub rows: Vec<CaseRow>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    /// The cursor for the next page (keyset paging), when there may be one.
    #[serde(default)]
    pub next_cursor: Option<String>,
    /// For the filter form.
    pub tiers: Vec<Named>,
    pub categories: Vec<Named>,
}

/// What a bulk assignment did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct BulkResult {
    pub assigned: u32,
    /// The codes the rules refused (or that changed hands meanwhile).
    pub refused: Vec<String>,
}

/// A supervisor's queue.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct QueueView {
    /// Open cases in the subtree per colour.
    pub counts: Vec<(domain::warning::Colour, i64)>,
    /// The page of cases, as the case list has it.
    #[serde(flatten)]
    pub list: CaseList,
    /// Whom the supervisor may give cases to: active mediators and
    /// supervisors in their area.
    pub assignees: Vec<AssigneeView>,
    /// The areas of the supervisor's subtree, for the filter.
    pub areas: Vec<AreaView>,
    /// The subtree's grids gone silent today.
    #[serde(default)]
    pub silent: SilentGrids,
}

/// A party as pages show it: numbers masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct PartyView {
    pub id: i64,
    pub role: PartyRole,
    pub name: String,
    pub phone_masked: String,
    pub id_number_masked: String,
    pub address: String,
}

/// What an earlier case shares with this one: whose key matched (`None`:
/// the case's address or place) and which.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct ShareView {
    pub party: Option<PartyRole>,
    pub kind: domain::repeat::MatchKind,
}

/// An earlier case the viewer may see, with the same party or place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct EarlierCaseView {
    pub code: String,
    pub title: String,
    pub status: CaseStatus,
    /// The day it was reported (Shanghai).
    pub reported_on: String,
    pub shares: Vec<ShareView>,
}

/// A case linked by hand (关联案件), as the viewer may know it: what it is
/// only if they may see it, else only that it exists in another area.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct LinkView {
    pub kind: domain::link::LinkKind,
    /// `None`: the case lies outside the viewer's area.
    pub case: Option<LinkedCaseView>,
}

/// The linked case, for a viewer who may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct LinkedCaseView {
    pub code: String,
    pub title: String,
    pub status: CaseStatus,
}

/// A link made or undone, on the timeline: the other case's code if the
/// viewer may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct LinkEventView {
    pub kind: domain::link::LinkKind,
    pub code: Option<String>,
}

/// Earlier cases with the same party or at the same place (重复纠纷),
/// newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct EarlierView {
    /// Those the viewer may see.
    pub cases: Vec<EarlierCaseView>,
    /// Earlier cases exist in areas the viewer does not cover (nothing more
    /// is said of them).
    pub elsewhere: bool,
    /// More than those listed.
    pub more: bool,
}

impl EarlierView {
    pub fn is_empty(&self) -> bool {
        self.cases.is_empty() && !self.elsewhere
    }
}

/// One timeline entry, with what its kind carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct EventView {
    pub at: DateTime<Utc>,
    pub actor_name: String,
    pub kind: domain::EventKind,
    pub reason: String,
    pub to_tier: Option<Named>,
    /// The area a transfer moved the case to.
    pub to_area_name: Option<String>,
    /// Who the case was given to (assignments).
    pub assignee_name: Option<String>,
    /// Why it went up a tier (escalations).
    pub escalation: Option<EscalationReason>,
    /// Where it was referred out to (referrals).
    pub referral: Option<ReferralView>,
    /// The record of a mediation session.
    pub session: Option<SessionView>,
    /// A warning colour change (from, to), by the sweeper.
    pub colour: Option<(domain::warning::Colour, domain::warning::Colour)>,
    /// A link made or undone (关联案件).
    pub link: Option<LinkEventView>,
    /// The next session's time and place (预约调解).
    pub appointment: Option<AppointmentView>,
    /// What a party said on its status page (then `actor_name` is empty).
    pub party: Option<PartySaidView>,
}

/// An appointment for the next mediation session (预约调解).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct AppointmentView {
    pub starts_at: DateTime<Utc>,
    pub place: String,
}

/// What a party said on its status page: a message, an answer to the
/// appointment, or its return-visit answers (the words, if any).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct PartySaidView {
    pub role: domain::party::PartyRole,
    pub said: domain::party_side::PartyNoteKind,
    pub body: String,
}

/// A referral out of mediation (移交).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct ReferralView {
    pub to: Option<ReferralBody>,
    pub body: String,
    pub reference: String,
}

/// A mediation session's record (调解记录).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct SessionView {
    pub held_on: String,
    pub tier: Named,
    pub mode: Option<MediationMode>,
    pub participants: String,
    pub record: String,
    pub outcome: String,
}

/// Someone a case may be given to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct AssigneeView {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub area_name: String,
}

/// A party's number shown in full after a logged reveal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct RevealedView {
    pub party_id: i64,
    /// `phone` or `id_number`.
    pub field: String,
    pub value: String,
}

/// The cases on a user's home page: their own open cases and their tier's
/// queue (本级待办), each with how many there are in all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct HomeCaseLists {
    pub mine: Vec<CaseRow>,
    pub mine_total: i64,
    pub queue: Vec<CaseRow>,
    pub queue_total: i64,
    /// The tiers the queue spans.
    pub queue_tiers: Vec<Named>,
    /// The sessions set on the viewer's own cases in the next seven days
    /// (the day view), soonest first.
    pub appointments: Vec<HomeAppointmentView>,
}

/// A session on the home page's day view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct HomeAppointmentView {
    pub case_code: String,
    pub case_title: String,
    pub starts_at: DateTime<Utc>,
    pub place: String,
}

/// A tier as the admin page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct TierView {
    pub id: i64,
    pub position: u32,
    pub name_zh: String,
    pub name_en: String,
    pub owner_level: AreaLevel,
    pub time_limit: i64,
    pub limit_unit: String,
}

/// A category as the admin page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct CategoryView {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name_zh: String,
    pub name_en: String,
    pub active: bool,
}

/// A case page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct CaseView {
    pub code: String,
    pub version: i64,
    /// How much of the case the viewer reads: with `summary` the narrative,
    /// address, parties, session records, outcome and the timeline's words
    /// are left out (an administrator, or a grid worker whose case has gone
    /// up the ladder).
    pub read: domain::case::CaseRead,
    pub title: String,
    pub description: String,
    pub address: String,
    pub status: CaseStatus,
    pub source: Source,
    pub tier: Named,
    pub category: Named,
    pub area_name: String,
    pub owner_name: Option<String>,
    pub risk: RiskLevel,
    pub reported_at: DateTime<Utc>,
    pub parties: Vec<PartyView>,
    pub timeline: Vec<EventView>,
    /// What the viewer may do now (`accept`, `take`, `session`, …), as the
    /// case rules say; the server asks them again when it is done.
    pub actions: Vec<domain::ActionName>,
    /// Whether the viewer may ask to see a party's numbers in full.
    pub may_reveal: bool,
    /// Whether the viewer may attach a document to the finished case's file
    /// (an upload to `/cases/{code}/files`, not a case action).
    pub may_attach: bool,
    /// A number the viewer has just revealed (the reveal is logged).
    pub revealed: Option<RevealedView>,
    /// Who the viewer may give the case to (supervisors), as the rules say.
    pub assignees: Vec<AssigneeView>,
    /// Where the viewer may transfer the case: every tier, and the areas of
    /// their own subtree.
    pub transfer_tiers: Vec<Named>,
    pub transfer_areas: Vec<AreaView>,
    pub outcome: OutcomeView,
    /// Today in Shanghai, for date fields' defaults.
    pub today: String,
    /// The area whose people's mediation committee handles the case: the
    /// community (or the case's own area above it), for the printed agreement.
    pub committee_area: String,
    /// Where an open case stands against its tier's time limit.
    pub clock: Option<domain::calendar::TierClock>,
    /// The clock is paused.
    pub clock_paused: bool,
    /// 督办: urgings of the owner, oldest first.
    pub urgings: Vec<UrgingView>,
    /// The warning colour as last swept, and why.
    pub colour: domain::warning::Colour,
    pub colour_reason: Option<domain::warning::WarningReason>,
    /// What the colour asks: a response within so many hours, at what level.
    pub colour_response: Option<domain::warning::Response>,
    /// Why the case was rated above low risk at intake.
    pub risk_reasons: Vec<domain::risk::RiskReason>,
    /// Earlier cases with the same party or at the same place (for those
    /// who read the case whole).
    pub earlier: EarlierView,
    /// Cases linked by hand (关联案件), the latest link first.
    pub links: Vec<LinkView>,
}

/// The warning-scheme settings form, as the browser posts it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningSchemeForm {
    pub yellow_at_percent: String,
    pub red_after_overdue_days: String,
    pub inactive_after_days: String,
    pub red_hours: String,
    pub red_level: String,
    pub orange_hours: String,
    pub orange_level: String,
    pub yellow_hours: String,
    pub yellow_level: String,
}

/// The case-file settings form: one checkbox per item, named by its code
/// (ticked: non-empty).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FileItemChecks {
    pub registration: String,
    pub rights_notice: String,
    pub party_ids: String,
    pub mediation_records: String,
    pub agreement_record: String,
    pub return_visit_record: String,
    pub other_documents: String,
}

/// The case list's filters, as a page's URL has them (each may be empty).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseFilters {
    pub status: String,
    pub tier: String,
    pub category: String,
    pub area: String,
    pub risk: String,
    pub owner: String,
    pub q: String,
    pub page: String,
    pub colour: String,
    pub after: String,
    pub limit: String,
}

/// The supervisor's queue's filters, as its URL has them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QueueFilters {
    pub colour: String,
    pub tier: String,
    pub category: String,
    pub page: String,
    pub area: String,
    pub owner: String,
    pub sort: String,
    pub q: String,
}

/// The intake form's fields (登记表), as the browser posts them; the
/// server function reads them into `service::intake::IntakeInput`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeForm {
    pub area_id: String,
    pub category_id: String,
    pub source: String,
    pub title: String,
    pub description: String,
    #[serde(default)]
    pub address: String,
    pub applicant_name: String,
    #[serde(default)]
    pub applicant_phone: String,
    #[serde(default)]
    pub applicant_id_number: String,
    #[serde(default)]
    pub applicant_address: String,
    #[serde(default)]
    pub respondent_name: String,
    #[serde(default)]
    pub respondent_phone: String,
    #[serde(default)]
    pub respondent_id_number: String,
    #[serde(default)]
    pub respondent_address: String,
    #[serde(default)]
    pub other_name: String,
    #[serde(default)]
    pub other_phone: String,
    #[serde(default)]
    pub other_id_number: String,
    #[serde(default)]
    pub other_address: String,
    #[serde(default)]
    pub latitude: String,
    #[serde(default)]
    pub longitude: String,
    #[serde(default)]
    pub people_involved: String,
    #[serde(default)]
    pub amount_yuan: String,
    #[serde(default)]
    pub intensity: String,
    #[serde(default)]
    pub police_calls: String,
    #[serde(default)]
    pub threat: String,
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub vulnerable: String,
    #[serde(default)]
    pub repeat: String,
    /// The reporter's patrol the dispute was found on, if any.
    #[serde(default)]
    pub patrol_id: String,
}

/// Parties' names, numbers and addresses and the narrative never reach a log.
impl std::fmt::Debug for IntakeForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IntakeForm")
            .field("area_id", &self.area_id)
            .field("category_id", &self.category_id)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

/// A case action's form fields, as the browser posts them (each form sends
/// its own; the rest are empty); `service::cases::CaseCommand::from_form`
/// reads them into the action's command.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActionFields {
    pub reason: String,
    pub held_on: String,
    pub mode: String,
    pub participants: String,
    pub record: String,
    pub outcome: String,
    pub body: String,
    pub reference: String,
    pub why: String,
    pub to: String,
    pub assignee: String,
    pub to_tier: String,
    pub to_area: String,
    pub kind: String,
    pub facts: String,
    pub disputes: String,
    pub responsibility: String,
    pub content: String,
    pub effective_on: String,
    pub advice: String,
    pub applied_on: String,
    pub court: String,
    pub confirmation_id: String,
    pub result: String,
    pub court_reference: String,
    pub decided_on: String,
    pub due_on: String,
    pub visited_on: String,
    pub satisfaction: String,
    pub renewed_conflict: String,
    pub item: String,
    pub present: String,
    pub within_hours: String,
    /// The case to link or unlink (its code).
    pub other: String,
    /// An appointment's time (`2026-12-10T14:30`, Shanghai) and place.
    pub starts_at: String,
    pub place: String,
}

/// One term of an agreement as the form sends it (`terms[0][obligor]`, …);
/// a row left blank is ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct TermForm {
    pub obligor: String,
    pub obligation: String,
    pub amount: String,
    pub place: String,
    pub due_on: String,
}

/// How one term was performed, as a return-visit form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct PerformanceForm {
    pub term_id: String,
    pub performance: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct TermView {
    pub id: i64,
    pub obligor: String,
    pub obligation: String,
    /// Yuan, formatted (`1,200.50`), if money is involved.
    pub amount: Option<String>,
    pub place: String,
    pub due_on: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct AgreementView {
    pub id: i64,
    pub kind: AgreementKind,
    pub facts: String,
    pub disputes: String,
    pub responsibility: String,
    pub content: String,
    pub effective_on: String,
    /// The last day to apply for judicial confirmation.
    pub confirmation_deadline: String,
    pub recorded_by: String,
    pub terms: Vec<TermView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct ConfirmationView {
    pub id: i64,
    pub applied_on: String,
    pub court: String,
    pub result: ConfirmationResult,
    pub court_reference: String,
    pub decided_on: Option<String>,
    /// Applied inside the 30-day window.
    pub on_time: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct VisitView {
    pub due_on: String,
    pub visited_on: Option<String>,
    pub visited_by: Option<String>,
    /// Per term: the obligation and how it was performed.
    pub performance: Vec<(String, Performance)>,
    pub satisfaction: Option<i64>,
    pub renewed_conflict: bool,
    pub notes: String,
    /// Due before today and not yet made.
    pub overdue: bool,
    /// Answered by a party on its status page (当事人自评): its role.
    pub given_by_party: Option<domain::party::PartyRole>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct AttachmentView {
    pub id: i64,
    pub file_name: String,
    pub size_bytes: i64,
}

/// One line of the case file checklist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct FileLineView {
    pub item: FileItem,
    pub required: bool,
    pub present: bool,
    /// Why it is missing, if someone explained.
    pub explanation: Option<String>,
    pub attachments: Vec<AttachmentView>,
}

/// A year of the working-day calendar.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct CalendarView {
    pub year: i32,
    /// Its exceptions are all entered.
    pub known: bool,
    /// Every year whose calendar is known.
    pub years: Vec<i32>,
    /// This year and the next, where they have no data.
    pub missing: Vec<i32>,
    /// The year's exceptions, `YYYY-MM-DD`, in date order.
    pub days: Vec<(String, domain::calendar::DayKind)>,
}

/// The case-file settings administrators keep.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct FileSettingsView {
    pub visit_offset_days: u32,
    /// Per outcome a case closes from, the items it requires.
    pub required: Vec<(CaseStatus, Vec<FileItem>)>,
    /// The warning colour scheme in force.
    pub warning: domain::warning::Scheme,
    /// Working days without a patrol or a report before a grid is silent.
    #[serde(default)]
    pub silent_after_days: u32,
    /// Days a party code keeps opening its page after the case is archived.
    #[serde(default)]
    pub code_keep_days: u32,
}

/// How the case ended and its file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct OutcomeView {
    pub agreements: Vec<AgreementView>,
    pub confirmations: Vec<ConfirmationView>,
    pub visits: Vec<VisitView>,
    /// How the mediation ended without agreement: the reason and the advice.
    pub termination: Option<(String, String)>,
    pub file: Vec<FileLineView>,
    /// Required items neither present nor explained.
    pub gaps: Vec<FileItem>,
}

/// What the intake form offers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct IntakeOptions {
    pub categories: Vec<Named>,
    pub tiers: Vec<Named>,
    /// Areas the user may report in, indented by depth.
    pub areas: Vec<AreaView>,
    /// The user's own area (the default).
    pub own_area_id: i64,
    /// This form's idempotency key: a retried submit makes no second case.
    pub intake_key: String,
    /// The patrol the dispute was found on, when the form was opened from one.
    #[serde(default)]
    pub patrol: Option<PatrolLink>,
    /// Why the patrol the form was opened from cannot be linked (the form
    /// works without it).
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schemars(with = "Option<String>"))]
    pub patrol_refused: Option<Msg>,
}

/// A category's figures (its subcategories folded in).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct CategoryFigure {
    pub category: Named,
    pub tally: domain::figures::Tally,
}

/// An area's figures: one of the children of the area the dashboard shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct AreaFigure {
    pub area_id: i64,
    pub name: String,
    pub tally: domain::figures::Tally,
    /// Patrols in the area over the period.
    #[serde(default)]
    pub patrols: domain::patrol::PatrolTally,
}

/// Cases resolved at a tier, the share resolved at or below it, and how
/// long the cases concluded there took on average.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct TierFigure {
    pub tier: Named,
    pub resolved: i64,
    pub share_at_or_below: Option<domain::figures::Rate>,
    /// Days from intake to conclusion, in tenths.
    pub average_days_tenths: Option<i64>,
}

/// A line of the monthly report (rows: categories).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct MonthlyRow {
    pub category: Named,
    pub taken_in: i64,
    pub resolved: i64,
    pub succeeded: i64,
    pub agreements: i64,
    pub amount_fen: i64,
}

/// The dashboard: figures for cases taken in from `from` to `to` (months)
/// in one area's subtree.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct DashboardView {
    pub from: String,
    pub to: String,
    pub area_name: String,
    pub total: domain::figures::Tally,
    /// 满意率: satisfied of the return visits that rated it.
    pub satisfaction: Option<domain::figures::Rate>,
    pub rated: i64,
    pub by_month: Vec<(String, domain::figures::Tally)>,
    pub by_category: Vec<CategoryFigure>,
    pub by_area: Vec<AreaFigure>,
    pub by_tier: Vec<TierFigure>,
    /// The monthly report's month (`to`) and its lines.
    pub report_month: String,
    pub monthly: Vec<MonthlyRow>,
    /// For the filter form: top-level categories and non-grid areas.
    pub categories: Vec<Named>,
    pub areas: Vec<AreaView>,
    /// Patrols over the period (巡查), in all and by month.
    #[serde(default)]
    pub patrols: domain::patrol::PatrolTally,
    #[serde(default)]
    pub patrols_by_month: Vec<(String, domain::patrol::PatrolTally)>,
    /// The area's grids gone silent today.
    #[serde(default)]
    pub silent: SilentGrids,
}

/// A personal API token in its owner's list (never the token itself).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct ApiTokenView {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it stops working; `None` never.
    pub expires_at: Option<DateTime<Utc>>,
}

/// A token just made: the secret is shown this once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct NewApiToken {
    pub name: String,
    pub secret: String,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A field a ledger import fills, and whether it must be there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportFieldView {
    pub key: String,
    pub required: bool,
    /// The column chosen for it (0-based), if any.
    pub column: Option<usize>,
}

/// One refused row of a ledger import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    /// The row as the spreadsheet numbers it (the heading is row 1).
    pub row: i64,
    /// The field's key (`title`, `reported_on`, …).
    pub field: String,
    pub msg: Msg,
    /// The cell as read (or, for a duplicate, the row it repeats).
    pub value: String,
}

/// What a check of a ledger found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub rows: i64,
    /// Rows that would become cases.
    pub ok: i64,
    pub problems_total: i64,
    pub duplicates: i64,
    /// The first problems, in row order.
    pub problems: Vec<ImportProblem>,
    /// Why a run failed, if it did.
    pub failure: Option<Msg>,
}

/// Why an uploaded ledger file was refused, as its name travels in the
/// imports page's URL (`/cases/import?error=…`) after the upload's redirect.
pub const IMPORT_REFUSALS: [(&str, Msg); 6] = [
    ("empty", Msg::ErrImportEmpty),
    ("too_many_rows", Msg::ErrImportTooManyRows),
    ("too_big", Msg::ErrImportTooBig),
    ("too_many_columns", Msg::ErrImportTooManyColumns),
    ("sheet_too_large", Msg::ErrImportSheetTooLarge),
    ("unreadable", Msg::ErrImportUnreadable),
];

/// The name of a refusal in the URL (any other message reads as unreadable).
pub fn import_refusal_name(msg: Msg) -> &'static str {
    IMPORT_REFUSALS
        .iter()
        .find(|(_, m)| *m == msg)
        .map_or("unreadable", |(name, _)| name)
}

/// The refusal a URL names (any other name reads as unreadable).
pub fn import_refusal(name: &str) -> Msg {
    IMPORT_REFUSALS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(Msg::ErrImportUnreadable, |(_, m)| *m)
}

/// A ledger import as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    pub id: i64,
    pub file_name: String,
    pub status: domain::ledger::ImportStatus,
    pub header: Vec<String>,
    pub fields: Vec<ImportFieldView>,
    pub skip_duplicates: bool,
    pub report: Option<ImportReport>,
    pub rows_total: i64,
    pub rows_staged: i64,
    pub cases_made: i64,
    pub created_at: DateTime<Utc>,
}

/// A patrol (巡查) as its lists show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct PatrolView {
    pub id: i64,
    pub area_id: i64,
    pub area_name: String,
    /// The day walked (Shanghai calendar).
    pub on: chrono::NaiveDate,
    pub visits: u32,
    pub notes: String,
    pub found: domain::patrol::PatrolFound,
    pub matters: String,
    pub recorder_name: String,
    pub recorded_at: DateTime<Utc>,
    /// The codes of the cases reported from it.
    pub cases: Vec<String>,
    /// Where it was (`latitude, longitude`), when the worker gave it.
    pub place: Option<String>,
    /// Its photos, oldest first.
    pub photos: Vec<PatrolPhotoView>,
    /// Whether the reader may add a photo now (its worker, while recent).
    pub may_add_photo: bool,
}

/// A photo of a patrol, as its list links it (`/patrols/{patrol}/photos/{id}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct PatrolPhotoView {
    pub id: i64,
    pub file_name: String,
}

/// The patrol form as it is sent: every field text, the grid and the
/// idempotency key beside the report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PatrolForm {
    pub submit_key: String,
    pub area_id: String,
    pub on: String,
    pub visits: String,
    pub notes: String,
    pub found: String,
    pub matters: String,
    pub latitude: String,
    pub longitude: String,
}

/// The patrol page: the patrols its reader sees, and what the form offers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct PatrolsView {
    /// Latest day first.
    pub patrols: Vec<PatrolView>,
    /// Whether there are more after these.
    pub more: bool,
    pub page: i64,
    /// Whether the reader logs patrols (a grid worker).
    pub records: bool,
    /// The grids the reader may log a patrol of.
    pub grids: Vec<AreaView>,
    /// Today (Shanghai calendar), the form's default day.
    pub today: Option<chrono::NaiveDate>,
    /// This form's idempotency key: a retried submit logs no second patrol.
    pub submit_key: String,
}

/// The patrol a report comes from, as the intake form shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct PatrolLink {
    pub id: i64,
    pub area_id: i64,
    pub area_name: String,
    pub on: chrono::NaiveDate,
}

/// A grid gone silent (静默网格): no patrol and no report for a while.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct SilentGridView {
    pub area_id: i64,
    pub name: String,
    /// The last patrol or report looked back to; `None` when there was none
    /// in the period looked at.
    pub last_active: Option<chrono::NaiveDate>,
    /// Working days without either, up to yesterday.
    pub quiet_days: u32,
}

/// The grids gone silent in an area, and the rule that says so.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct SilentGrids {
    /// Working days without a patrol or a report before a grid is silent.
    pub after_days: u32,
    /// How many grids the area has.
    pub grids: i64,
    /// The silent ones, longest silent first.
    pub silent: Vec<SilentGridView>,
}

/// What a party's status page shows (`/s/{party code}`): only what that
/// party may know of its case, never another party's data, the narrative,
/// the sessions or the office's notes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyStatusView {
    pub case_code: String,
    pub category: Named,
    pub stage: domain::public_stage::PublicStage,
    /// The tier mediating it, while it is mediated (自治, 法治, 德治 …).
    pub tier: Option<Named>,
    /// The office handling it: the area of the people's mediation committee.
    pub office: String,
    /// The party's own role in the case.
    pub role: domain::party::PartyRole,
    /// Each stage of its journey with the day it began (Asia/Shanghai).
    pub journey: Vec<(domain::public_stage::PublicStage, chrono::NaiveDate)>,
    /// How to reach the office (its phone and address; empty when unset).
    pub office_phone: String,
    pub office_address: String,
    /// The next session, while one is set and ahead.
    pub appointment: Option<PartyAppointmentView>,
    /// The latest agreement's terms, the party's own marked.
    pub terms: Vec<PartyTermView>,
    /// The party may leave a message (until the case is archived).
    pub may_write: bool,
    /// The party may answer the return visit now.
    pub may_answer_visit: bool,
    /// The party answered the return visit.
    pub visit_answered: bool,
    /// What the party said so far, oldest first.
    pub said: Vec<PartyOwnWordsView>,
}

/// The online application's fields (`/apply`), as the browser posts them
/// and `service::apply::apply` reads them.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApplyForm {
    pub key: String,
    pub area_id: String,
    pub category_id: String,
    pub title: String,
    pub description: String,
    pub address: String,
    pub applicant_name: String,
    pub applicant_phone: String,
    pub other_name: String,
    pub other_phone: String,
    /// The applicant agrees to mediation (自愿调解): not empty when ticked.
    pub consent: String,
    /// The honeypot (`domain::application::HONEYPOT_FIELD`): people leave
    /// it empty.
    pub website: String,
}

impl std::fmt::Debug for ApplyForm {
    // Names and phone numbers stay out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApplyForm")
            .field("area_id", &self.area_id)
            .finish_non_exhaustive()
    }
}

/// The area picker of the online application (`/apply`): the way down the
/// tree so far, what may be chosen next, and, once a village or community
/// is chosen, it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyPickerView {
    /// The areas chosen so far, from the top: (id, name).
    pub trail: Vec<(i64, String)>,
    /// The areas right below the last chosen: (id, name).
    pub choices: Vec<(i64, String)>,
    /// The village or community chosen: the form may be filled in.
    pub chosen: Option<(i64, String)>,
    pub categories: Vec<Named>,
    /// The form's one-time key: a retried submit finds the case it made.
    pub key: String,
}

/// The next session as a party sees it, with its own answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyAppointmentView {
    pub id: i64,
    pub starts_at: DateTime<Utc>,
    pub place: String,
    /// The party's answer, if it gave one.
    pub answer: Option<domain::party_side::PartyNoteKind>,
    /// It may still answer (or change its answer).
    pub may_answer: bool,
}

/// A term of the agreement as a party sees it: the party's own in full;
/// another party's only as its amount and day (its words may name that
/// party, and no other party's name is shown).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyTermView {
    pub id: i64,
    /// The party is its obligor (义务人).
    pub yours: bool,
    /// What is to be done: the party's own terms only (empty for others').
    pub obligation: String,
    /// In yuan, as the agreement says it (`1,200.00`).
    pub amount: Option<String>,
    pub due_on: chrono::NaiveDate,
}

/// What the party said, as its page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyOwnWordsView {
    pub at: DateTime<Utc>,
    pub said: domain::party_side::PartyNoteKind,
    pub body: String,
}

/// A party's code as the receipt (受理回执) prints it: for those who work the
/// case only.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyCodeView {
    pub party_id: i64,
    pub role: domain::party::PartyRole,
    pub name: String,
    /// Revoked: no code, address nor QR code to print until renewed.
    pub revoked: bool,
    /// How often the party's page was opened.
    pub views: i64,
    /// In groups of four: `7K3M-9QX2-4TBD`.
    pub code: String,
    /// The party's status page, on this site's address as the request came.
    pub url: String,
    /// That address as a QR code: an SVG element (empty if none could be drawn).
    pub qr_svg: String,
}

impl std::fmt::Debug for PartyCodeView {
    // The code opens the party's page: kept out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PartyCodeView")
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}
