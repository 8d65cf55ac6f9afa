//! Mutes: `GET|POST /communities/{slug}/mutes` (the running mutes and the
//! form to mute a member for a while) and
//! `POST /communities/{slug}/mutes/{member_id}/lift`.

use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use crate::templates::{Form, Layout};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form as Posted;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_domain::Error;
use guildhall_domain::core::MemberId;
use guildhall_domain::moderation::{self, MuteForm, Mutes};
use guildhall_domain::threads::MAX_REASON;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "moderation/mutes.html")]
pub struct MutesPage {
    layout: Layout,
    page: Mutes,
    form: Form,
    notice: Option<String>,
    max: usize,
}

/// The notice after muting or lifting, naming the member.
fn notice(page: &Mutes, q: &MutesQuery) -> Option<String> {
    let id = MemberId(q.member.parse().ok()?);
    let name = page
        .mutes
        .iter()
        .find(|m| m.member_id == id)
        .map(|m| m.member_name.clone())
        .or_else(|| {
            page.members
                .iter()
                .find(|m| m.member_id == id)
                .map(|m| m.name.clone())
        })?;
    match q.done.as_str() {
        "muted" => Some(format!("{name} cannot post here until the mute ends")),
        "lifted" => Some(format!("{name} can post again")),
        _ => None,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MuteFields {
    member: String,
    email: String,
    period: String,
    #[serde(rename = "until-day")]
    day: String,
    #[serde(rename = "until-month")]
    month: String,
    #[serde(rename = "until-year")]
    year: String,
    reason: String,
}

impl MutesPage {
    fn period_checked(&self, value: &str) -> bool {
        self.form.value("period") == value
    }
}

async fn render(
    s: &AppState,
    v: &Visitor,
    slug: &str,
    form: Form,
    q: &MutesQuery,
) -> Result<MutesPage, PageError> {
    let page = moderation::mutes(&s.ctx, &v.viewer, slug).await?;
    let notice = notice(&page, q);
    let title = form.title(&format!("Muted members of {}", page.seen.community.name));
    Ok(MutesPage {
        layout: Layout::new(v, title),
        page,
        form,
        notice,
        max: MAX_REASON,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MutesQuery {
    done: String,
    member: String,
}

pub async fn show(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
    Query(q): Query<MutesQuery>,
) -> Result<MutesPage, PageError> {
    render(&s, &v, &slug, Form::new(), &q).await
}

pub async fn submit(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
    Posted(f): Posted<MuteFields>,
) -> Result<Response, PageError> {
    let form = MuteForm {
        member: f.member.clone(),
        email: f.email.clone(),
        period: f.period.clone(),
        day: f.day.clone(),
        month: f.month.clone(),
        year: f.year.clone(),
        reason: f.reason.clone(),
    };
    match moderation::mute_member(&s.ctx, &v.viewer, &slug, &form).await {
        Ok(muted) => Ok(Redirect::to(&format!(
            "/communities/{slug}/mutes?done=muted&member={}",
            muted.member
        ))
        .into_response()),
        Err(Error::Invalid(errors)) => {
            let form = Form::with(
                &[
                    ("member", &f.member),
                    ("email", &f.email),
                    ("period", &f.period),
                    ("until-day", &f.day),
                    ("until-month", &f.month),
                    ("until-year", &f.year),
                    ("reason", &f.reason),
                ],
                errors,
            );
            let page = render(&s, &v, &slug, form, &MutesQuery::default()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn lift(
    State(s): State<AppState>,
    v: Visitor,
    PagePath((slug, member)): PagePath<(String, i64)>,
) -> Result<Redirect, PageError> {
    moderation::lift_mute(&s.ctx, &v.viewer, &slug, MemberId(member)).await?;
    Ok(Redirect::to(&format!(
        "/communities/{slug}/mutes?done=lifted&member={member}"
    )))
}
