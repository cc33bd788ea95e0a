//! The office side of renovations (二次装修, seed 003 第6篇): an application
//! registered at the desk, as the signed-in person may see it (owners' and
//! workers' personal data only for those who see residents' data), its
//! steps (decision, permit, passes, extensions, completion, acceptance,
//! deposit) and the renovation patrols that checked it. What a person may do
//! is asked of core.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rounds_core::documents::renovation::{
    PassRequest, Renovation, RenovationApplication, RenovationDoc,
};
use rounds_core::documents::IndexRow;
use rounds_core::places::Place;
use rounds_core::session::Session;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::AppError;
use crate::extract::Path;
use crate::office::acting::{act, read_as, step_on};
use crate::office::form::Form;
use crate::office::scope::{own_estate, record_id};
use crate::phone::auth::Authed;
use crate::state::{AppState, Db};

#[derive(Debug, Serialize, ToSchema)]
pub struct RenovationView {
    /// The whole record as this person may see it
    /// (rounds_core::documents::renovation::Renovation).
    #[schema(value_type = Object)]
    pub renovation: Renovation,
    /// `applied`, `refused`, `approved`, `permitted`, `awaiting_acceptance`,
    /// `rectifying`, `accepted`, `closed`.
    pub status: &'static str,
    /// The end of the permitted period, extensions included.
    pub period_end: i64,
    /// While acceptance is awaited: when it is due, and whether it is late.
    pub acceptance_due_at: Option<i64>,
    pub acceptance_overdue: bool,
    /// No moving in before a passed acceptance (item 7).
    pub move_in_barred: bool,
    pub valid_passes: usize,
    /// The renovation patrols that checked it, newest first (query rows).
    #[schema(value_type = Vec<Object>)]
    pub patrols: Vec<IndexRow>,
    /// Whether owners' and workers' personal data are shown to this person.
    pub personal_shown: bool,
    /// The steps this person may take now (`RenovationStep` names).
    pub may: Vec<&'static str>,
}

fn renovation_view(
    s: &Session<&mut Db>,
    id: &rounds_core::RecordId,
) -> Result<RenovationView, AppError> {
    let r = s.renovation(id)?;
    let now = rounds_core::time::to_millis(s.now());
    let status = r.status();
    let due = r.acceptance_due_at();
    let mut may = vec![];
    for step in RenovationStep::probes(now) {
        if s.allows(id, |d: &mut RenovationDoc, who| step.apply_to(d, who))? {
            may.push(step.name());
        }
    }
    Ok(RenovationView {
        status: status.name(),
        period_end: r.period_end(),
        acceptance_due_at: due,
        acceptance_overdue: due.is_some_and(|d| d < now),
        move_in_barred: status.bars_move_in(),
        valid_passes: r.valid_passes(now),
        patrols: s.renovation_patrols(id)?,
        personal_shown: s.staff().role.sees_residents(),
        may,
        renovation: r,
    })
}

/// GET /v1/renovations/{id}
#[utoipa::path(get, path = "/v1/renovations/{id}", tag = "office",
    params(("id" = String, Path)),
    responses((status = 200, body = RenovationView), (status = 404, body = crate::openapi::ErrorJson)))]
pub async fn renovation(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
) -> Result<Json<RenovationView>, AppError> {
    let id = record_id(&id)?;
    Ok(Json(
        read_as(&state, who, move |s| renovation_view(s, &id)).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ApplicationForm {
    /// Made by the client, so a retried request registers once.
    pub id: String,
    pub estate_id: String,
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub owner_name: String,
    #[serde(default)]
    pub owner_phone: String,
    #[serde(default)]
    pub contractor: String,
    #[serde(default)]
    pub contractor_phone: String,
    #[serde(default)]
    pub work: String,
    pub planned_start: i64,
    pub planned_end: i64,
    /// In fen; 0 when no deposit is asked.
    #[serde(default)]
    pub deposit_fen: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Applied {
    pub id: String,
}

/// POST /v1/renovations: an application registered (装修申请表).
#[utoipa::path(post, path = "/v1/renovations", tag = "office", request_body = ApplicationForm,
    responses((status = 201, body = Applied), (status = 422, body = crate::openapi::ErrorJson),
        (status = 403, body = crate::openapi::ErrorJson)))]
pub async fn apply(
    State(state): State<AppState>,
    who: Authed,
    Form(form): Form<ApplicationForm>,
) -> Result<(StatusCode, Json<Applied>), AppError> {
    let estate_id = own_estate(&who, &form.estate_id)?;
    let draft = RenovationApplication {
        id: record_id(&form.id)?,
        place: Place {
            estate_id,
            unit_id: Some(form.unit_id).filter(|u| !u.trim().is_empty()),
            common_area_id: None,
            detail: String::new(),
        },
        owner_name: form.owner_name,
        owner_phone: form.owner_phone,
        contractor: form.contractor,
        contractor_phone: form.contractor_phone,
        work: form.work,
        planned_start: form.planned_start,
        planned_end: form.planned_end,
        deposit_fen: form.deposit_fen,
    };
    let id = act(&state, who.staff, None, move |s| {
        Ok(s.apply_for_renovation(&draft)?)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(Applied { id: id.to_string() })))
}

/// One step of an application, as the office's buttons send it. Ids are
/// made by the client, so a retried request takes its step once.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum RenovationStep {
    Approve,
    Refuse {
        #[serde(default)]
        reason: String,
    },
    Permit {
        #[serde(default)]
        permit_no: String,
    },
    Pass {
        pass_id: String,
        #[serde(default)]
        name: String,
        #[serde(default)]
        id_number: String,
        valid_until: i64,
    },
    Extend {
        extension_id: String,
        until: i64,
        #[serde(default)]
        reason: String,
    },
    Finished {
        completion_id: String,
    },
    Accept {
        acceptance_id: String,
        passed: bool,
        #[serde(default)]
        defects: String,
    },
    TakeDeposit,
    RefundDeposit,
}

impl RenovationStep {
    pub fn name(&self) -> &'static str {
        match self {
            RenovationStep::Approve => "approve",
            RenovationStep::Refuse { .. } => "refuse",
            RenovationStep::Permit { .. } => "permit",
            RenovationStep::Pass { .. } => "pass",
            RenovationStep::Extend { .. } => "extend",
            RenovationStep::Finished { .. } => "finished",
            RenovationStep::Accept { .. } => "accept",
            RenovationStep::TakeDeposit => "take_deposit",
            RenovationStep::RefundDeposit => "refund_deposit",
        }
    }

    /// One of each step, filled in, to ask whether a person may take it.
    fn probes(now: i64) -> [RenovationStep; 9] {
        let later = now + 86_400_000 * 3650;
        [
            RenovationStep::Approve,
            RenovationStep::Refuse { reason: "-".into() },
            RenovationStep::Permit {
                permit_no: "-".into(),
            },
            RenovationStep::Pass {
                pass_id: "probe".into(),
                name: "-".into(),
                id_number: "-".into(),
                valid_until: later,
            },
            RenovationStep::Extend {
                extension_id: "probe".into(),
                until: later,
                reason: "-".into(),
            },
            RenovationStep::Finished {
                completion_id: "probe".into(),
            },
            RenovationStep::Accept {
                acceptance_id: "probe".into(),
                passed: true,
                defects: String::new(),
            },
            RenovationStep::TakeDeposit,
            RenovationStep::RefundDeposit,
        ]
    }

    /// The step on the document itself, for a probe; a completion's due
    /// time is a day on, as any later time is allowed.
    fn apply_to(
        &self,
        d: &mut RenovationDoc,
        who: &rounds_core::documents::Who,
    ) -> Result<(), rounds_core::documents::RecordError> {
        match self {
            RenovationStep::Approve => d.approve(who),
            RenovationStep::Refuse { reason } => d.refuse(reason, who),
            RenovationStep::Permit { permit_no } => d.issue_permit(permit_no, who),
            RenovationStep::Pass {
                pass_id,
                name,
                id_number,
                valid_until,
            } => d.issue_pass(
                &PassRequest {
                    id: pass_id.clone(),
                    name: name.clone(),
                    id_number: id_number.clone(),
                    valid_until: *valid_until,
                },
                who,
            ),
            RenovationStep::Extend {
                extension_id,
                until,
                reason,
            } => d.extend(extension_id, *until, reason, who),
            RenovationStep::Finished { completion_id } => {
                d.report_completion(completion_id, who.at + 86_400_000, who)
            }
            RenovationStep::Accept {
                acceptance_id,
                passed,
                defects,
            } => d.accept(acceptance_id, *passed, defects, who),
            RenovationStep::TakeDeposit => d.take_deposit(who),
            RenovationStep::RefundDeposit => d.refund_deposit(who),
        }
    }

    /// The step through the session, which counts a completion's
    /// acceptance due time by the company rules and calendar.
    fn take(self, s: &mut Session<&mut Db>, id: &rounds_core::RecordId) -> Result<(), AppError> {
        match self {
            RenovationStep::Approve => s.approve_renovation(id)?,
            RenovationStep::Refuse { reason } => s.refuse_renovation(id, &reason)?,
            RenovationStep::Permit { permit_no } => s.issue_renovation_permit(id, &permit_no)?,
            RenovationStep::Pass {
                pass_id,
                name,
                id_number,
                valid_until,
            } => s.issue_worker_pass(
                id,
                &PassRequest {
                    id: pass_id,
                    name,
                    id_number,
                    valid_until,
                },
            )?,
            RenovationStep::Extend {
                extension_id,
                until,
                reason,
            } => s.extend_renovation(id, &extension_id, until, &reason)?,
            RenovationStep::Finished { completion_id } => {
                s.report_renovation_finished(id, &completion_id)?
            }
            RenovationStep::Accept {
                acceptance_id,
                passed,
                defects,
            } => s.accept_renovation(id, &acceptance_id, passed, &defects)?,
            RenovationStep::TakeDeposit => s.take_renovation_deposit(id)?,
            RenovationStep::RefundDeposit => s.refund_renovation_deposit(id)?,
        }
        Ok(())
    }
}

/// POST /v1/renovations/{id}/steps: one step of the application.
#[utoipa::path(post, path = "/v1/renovations/{id}/steps", tag = "office",
    params(("id" = String, Path)), request_body = RenovationStep,
    responses((status = 200, body = RenovationView), (status = 422, body = crate::openapi::ErrorJson),
        (status = 403, body = crate::openapi::ErrorJson)))]
pub async fn step(
    State(state): State<AppState>,
    who: Authed,
    Path(id): Path<String>,
    Form(step): Form<RenovationStep>,
) -> Result<Json<RenovationView>, AppError> {
    step_on(
        &state,
        who,
        &id,
        move |s, id| step.take(s, id),
        renovation_view,
    )
    .await
}
