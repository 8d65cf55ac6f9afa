//! The forum in the API: `/api/v1/communities/{slug}/forum/topics`,
//! `/api/v1/topics/{id}` (with its replies, accepted answer and following)
//! and `/api/v1/replies/{id}`. Every handler calls the same domain function
//! as the forum pages do; anything the caller may not read answers exactly
//! as a missing id does.

pub(crate) mod answers;
pub(crate) mod replies;
pub(crate) mod topics;
pub(crate) mod views;

use crate::app::AppState;
use crate::error::{FieldProblem, Problem};
use axum::Router;
use axum::routing::{get, put};
use guildhall_domain::core::{MessageId, ThreadId};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    paths(
        topics::list,
        topics::create,
        topics::show,
        topics::update,
        topics::delete,
        replies::list,
        replies::create,
        replies::show,
        replies::update,
        replies::delete,
        answers::accept,
        answers::unaccept,
        answers::follow,
        answers::unfollow,
    ),
    components(schemas(
        Problem,
        FieldProblem,
        crate::api::people::Author,
        views::TopicLinks,
        views::TopicSummary,
        views::TopicList,
        views::Topic,
        views::ReplyLinks,
        views::Reply,
        views::ReplyList,
        topics::NewTopic,
        topics::TopicChanges,
        replies::NewReply,
        replies::ReplyChanges,
        answers::AnswerChoice,
    )),
    tags(
        (name = "forum", description = "Community forums: topics (discussions or questions), their replies and accepted answers. Bodies are Markdown and come back with their rendered, safe HTML. Anonymous callers (no token) may read what the public may see, without the names of the people who wrote it."),
    )
)]
pub struct Doc;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/communities/{slug}/forum/topics",
            get(topics::list).post(topics::create),
        )
        .route(
            "/topics/{id}",
            get(topics::show)
                .patch(topics::update)
                .delete(topics::delete),
        )
        .route(
            "/topics/{id}/replies",
            get(replies::list).post(replies::create),
        )
        .route(
            "/topics/{id}/accepted-answer",
            put(answers::accept).delete(answers::unaccept),
        )
        .route(
            "/topics/{id}/follow",
            put(answers::follow).delete(answers::unfollow),
        )
        .route(
            "/replies/{id}",
            get(replies::show)
                .patch(replies::update)
                .delete(replies::delete),
        )
}

/// The API address of a topic.
pub fn topic_location(id: ThreadId) -> String {
    format!("/api/v1/topics/{id}")
}

/// The API address of a reply.
pub fn reply_location(id: MessageId) -> String {
    format!("/api/v1/replies/{id}")
}
