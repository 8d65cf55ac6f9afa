//! The people finder, "people like me" and recommended communities in the
//! API: `GET /api/v1/people`, `GET /api/v1/people/{handle}/similar` and
//! `GET /api/v1/me/recommended-communities`. For active members only; each
//! calls the same domain function as its page.

use crate::api::input::{ApiPath, ApiQuery};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiViewer;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use guildhall_domain::core::{MemberId, OrganisationId, ServiceAreaId};
use guildhall_domain::people::ProfileView;
use guildhall_domain::people::finder::{self, FinderQuery};
use guildhall_domain::people::recommend::{self, Join, Recommendation};
use guildhall_domain::people::similar::{self, Options, Similar};
use serde::{Deserialize, Deserializer, Serialize};

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(search, like, recommended),
    components(schemas(
        Problem,
        PersonCard,
        PeopleList,
        Reasons,
        SimilarPerson,
        SimilarList,
        RecommendedCommunity,
        RecommendationList,
    )),
    tags(
        (name = "people", description = "Member profiles, the national people finder, people like a member (ranked, with reasons) and communities recommended to the caller. For active members only. A profile field its owner shows to nobody is never returned, matched or used in a reason."),
    )
)]
pub struct Doc;

/// A member as a list shows them: only the fields shown to the caller.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PersonCard {
    pub name: String,
    /// Their `@handle` (without the `@`): `/api/v1/people/{handle}`.
    pub handle: String,
    pub job_title: Option<String>,
    pub organisation: Option<String>,
    pub organisation_kind: Option<String>,
    pub region: Option<String>,
    pub service_areas: Vec<String>,
    pub expertise: Vec<String>,
}

impl From<ProfileView> for PersonCard {
    fn from(p: ProfileView) -> Self {
        PersonCard {
            name: p.name,
            handle: p.handle,
            job_title: p.job_title,
            organisation: p.organisation,
            organisation_kind: p.organisation_kind,
            region: p.region,
            service_areas: p.service_areas,
            expertise: p.expertise,
        }
    }
}

/// A page of the finder.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PeopleList {
    /// In member order; empty when nothing was asked.
    pub items: Vec<PersonCard>,
    /// Pass as `after` for the next page; null on the last.
    pub next_after: Option<i64>,
}

/// An id, or nothing for an empty value.
fn optional_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let raw: Option<String> = Option::deserialize(d)?;
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => s
            .parse::<i64>()
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("{s:?} is not a number"))),
    }
}

/// What to look for. Every part given must match.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct FinderParams {
    /// Words of the name, job title, responsibilities or expertise (the
    /// first 10 words and 200 characters are used).
    pub q: String,
    /// An organisation's id.
    #[serde(deserialize_with = "optional_id")]
    #[param(value_type = Option<i64>)]
    pub organisation: Option<i64>,
    /// A kind of organisation, e.g. `county council`.
    pub kind: String,
    /// A region, e.g. `South East`.
    pub region: String,
    /// A service area's id.
    #[serde(deserialize_with = "optional_id")]
    #[param(value_type = Option<i64>)]
    pub service_area: Option<i64>,
    /// `next_after` of the page before.
    #[serde(deserialize_with = "optional_id")]
    #[param(value_type = Option<i64>)]
    pub after: Option<i64>,
}

/// Finds active members by words and filters, 20 at a time.
#[utoipa::path(get, path = "/api/v1/people", operation_id = "findPeople", tag = "people",
    params(FinderParams),
    responses(
        (status = 200, description = "A page of people", body = PeopleList),
        (status = 400, description = "A query parameter is not valid (an id that is not a number)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn search(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiQuery(params): ApiQuery<FinderParams>,
) -> Result<Json<PeopleList>, ApiError> {
    let text = |s: String| (!s.trim().is_empty()).then(|| s.trim().to_string());
    let query = FinderQuery {
        q: params.q,
        organisation: params.organisation.map(OrganisationId),
        kind: text(params.kind),
        region: text(params.region),
        service_area: params.service_area.map(ServiceAreaId),
        after: params.after.map(MemberId),
    };
    let found = finder::search(&s.ctx, &viewer, &query).await?;
    Ok(Json(PeopleList {
        items: found.people.into_iter().map(PersonCard::from).collect(),
        next_after: found.next.map(|m| m.0),
    }))
}

/// Why someone was ranked.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Reasons {
    /// Service areas, expertise tags and a few rare words both have.
    pub shared: Vec<String>,
    /// Communities both belong to that the caller may read.
    pub communities_in_common: i64,
    /// The kind of organisation both work at, e.g. "a county council".
    pub organisation_kind: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SimilarPerson {
    pub person: PersonCard,
    pub score: f64,
    pub reasons: Reasons,
    /// The reasons as a sentence: "Shares: homelessness, temporary
    /// accommodation; 3 communities in common".
    pub reason: String,
}

impl From<Similar> for SimilarPerson {
    fn from(s: Similar) -> Self {
        SimilarPerson {
            reason: s.reasons.sentence(),
            reasons: Reasons {
                shared: s.reasons.shared,
                communities_in_common: s.reasons.communities,
                organisation_kind: s.reasons.kind,
            },
            score: s.score,
            person: s.person.into(),
        }
    }
}

/// People like one member, best first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SimilarList {
    /// The member they are like.
    pub target: PersonCard,
    /// Whether that is the caller.
    pub own: bool,
    /// Whether people from the member's organisation were left out (only
    /// done on the caller's own list, or when the member's organisation is
    /// shown).
    pub excluded_own_organisation: bool,
    pub items: Vec<SimilarPerson>,
    pub page: u32,
    pub pages: u32,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct SimilarParams {
    /// `true` to leave out people from the member's organisation.
    pub exclude_own_organisation: bool,
    /// From 1; 20 people a page.
    pub page: Option<u32>,
}

/// Active members like the member with this handle (the caller's own for
/// "people like me"), ranked by what they share, rarer things counting more,
/// each with the reasons.
#[utoipa::path(get, path = "/api/v1/people/{handle}/similar", operation_id = "similarPeople", tag = "people",
    params(("handle" = String, Path, description = "The member's handle"), SimilarParams),
    responses(
        (status = 200, description = "A page of people", body = SimilarList),
        (status = 400, description = "A query parameter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No active member has this handle", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn like(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(handle): ApiPath<String>,
    ApiQuery(params): ApiQuery<SimilarParams>,
) -> Result<Json<SimilarList>, ApiError> {
    let options = Options {
        exclude_own_organisation: params.exclude_own_organisation,
        page: params.page.unwrap_or(1).clamp(1, 1000),
    };
    let found = similar::like(&s.ctx, &viewer, &handle, &options).await?;
    Ok(Json(SimilarList {
        target: found.target.into(),
        own: found.own,
        excluded_own_organisation: found.excluded_own_organisation,
        items: found.people.into_iter().map(SimilarPerson::from).collect(),
        page: found.page,
        pages: found.pages,
    }))
}

/// A community recommended to the caller.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RecommendedCommunity {
    /// Its web address: `/api/v1/communities/{slug}`.
    pub slug: String,
    pub name: String,
    pub purpose: String,
    /// `public`, `members` or `private`.
    pub visibility: String,
    /// `join` (POST `/api/v1/communities/{slug}/join`) or `ask` (POST
    /// `/api/v1/communities/{slug}/requests`).
    pub way_in: String,
    /// Why, in plain English: "4 people like you are members".
    pub reasons: Vec<String>,
}

impl From<Recommendation> for RecommendedCommunity {
    fn from(r: Recommendation) -> Self {
        RecommendedCommunity {
            slug: r.community.slug,
            name: r.community.name,
            purpose: r.community.purpose,
            visibility: r.community.visibility,
            way_in: match r.join {
                Join::AtOnce => "join",
                Join::Ask => "ask",
            }
            .into(),
            reasons: r.reasons,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RecommendationList {
    /// Up to 10, best first.
    pub items: Vec<RecommendedCommunity>,
}

/// Communities for the caller: those people like them belong to, and those
/// about their service areas or expertise. Never one they have joined, nor
/// a secret one.
#[utoipa::path(get, path = "/api/v1/me/recommended-communities", operation_id = "recommendedCommunities", tag = "people",
    responses(
        (status = 200, description = "Communities, best first", body = RecommendationList),
        (status = 401, description = "No token, or a bad one", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn recommended(
    State(s): State<AppState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<Json<RecommendationList>, ApiError> {
    let found = recommend::communities(&s.ctx, &viewer).await?;
    Ok(Json(RecommendationList {
        items: found.into_iter().map(RecommendedCommunity::from).collect(),
    }))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/people", get(search))
        .route("/people/{handle}/similar", get(like))
        .route("/me/recommended-communities", get(recommended))
}
