//! What the forum pages share: GOV.UK pagination, the page number in a
//! query, who may reply, and where a message lives (to go back to it).

use crate::app::AppState;
use crate::error::PageError;
use crate::extract::Visitor;
use guildhall_domain::Error;
use guildhall_domain::core::{MessageId, ThreadId};
use guildhall_domain::forum;
use guildhall_domain::store::messages::MessageRow;
use guildhall_domain::threads::{self, Opened};

/// Does a community with these tools (`forum,wiki`) use its forum?
pub fn uses_forum(tools: &str) -> bool {
    tools.split(',').any(|t| t == "forum")
}

/// `/topics/12?page=2&done=edited#message-40`.
pub fn message_url(
    kind: &str,
    thread: ThreadId,
    page: i64,
    done: &str,
    message: MessageId,
) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if page > 1 {
        pairs.push(("page", page.to_string()));
    }
    if !done.is_empty() {
        pairs.push(("done", done.to_string()));
    }
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    let mut url = threads::thread_path(kind, thread);
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query);
    }
    url.push_str(&format!("#message-{message}"));
    url
}

/// Where message `id` is shown now, with a `done` notice: the page of its
/// thread (topic or blog post) it is on, at its anchor.
pub async fn message_home(
    s: &AppState,
    v: &Visitor,
    id: MessageId,
    done: &str,
) -> Result<String, PageError> {
    let (opened, row) = threads::load_message(&s.ctx, &v.viewer, id).await?;
    let page = forum::page_of(&s.ctx, &row).await?;
    Ok(message_url(
        &opened.thread.kind,
        opened.thread.id,
        page,
        done,
        row.id,
    ))
}

/// The link back to a message where its thread shows it.
pub async fn back_to(s: &AppState, opened: &Opened, row: &MessageRow) -> Result<String, PageError> {
    let page = forum::page_of(&s.ctx, row).await?;
    Ok(message_url(
        &opened.thread.kind,
        opened.thread.id,
        page,
        "",
        row.id,
    ))
}

/// Whether the viewer may reply to a thread now, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyState {
    Open,
    /// Not signed in: a link to sign in.
    SignIn,
    /// Signed in, not a member: a link to the community.
    Join,
    /// Refused, with the reason (locked, deleted, archived, paused...).
    Refused(String),
}

impl ReplyState {
    pub async fn of(s: &AppState, v: &Visitor, opened: &Opened) -> Result<ReplyState, PageError> {
        if !v.viewer.is_signed_in() {
            return Ok(ReplyState::SignIn);
        }
        if opened.seen.role.is_none() {
            if opened.seen.archived() {
                return Ok(ReplyState::Refused(
                    "This community is archived, so it is read-only.".into(),
                ));
            }
            return Ok(ReplyState::Join);
        }
        let checked = threads::contribute(&s.ctx, &v.viewer, &opened.seen, opened.tool())
            .await
            .map(|_| ())
            .and_then(|()| threads::open_for_replies(&opened.thread));
        match checked {
            Ok(()) => Ok(ReplyState::Open),
            Err(Error::Forbidden(m) | Error::Conflict(m)) => Ok(ReplyState::Refused(m)),
            Err(Error::Unauthenticated) => Ok(ReplyState::SignIn),
            Err(e @ Error::Internal(_)) => Err(e.into()),
            Err(_) => Ok(ReplyState::Refused(
                "You cannot reply here at the moment.".into(),
            )),
        }
    }

    pub fn is_open(&self) -> bool {
        *self == ReplyState::Open
    }
}

/// A limit as written in a hint: "20,000".
pub fn limit(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The hint under a Markdown text box.
pub const MARKDOWN_HINT: &str = "You can use Markdown: **bold**, _italic_, [a link](https://example.org), \
     lists, and > at the start of a line to quote. Mention someone with @ and their handle, like @jane-smith.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_read_as_numbers() {
        assert_eq!(limit(20_000), "20,000");
        assert_eq!(limit(150), "150");
    }

    #[test]
    fn message_urls_name_page_notice_and_anchor() {
        assert_eq!(
            message_url("topic", ThreadId(3), 2, "edited", MessageId(40)),
            "/topics/3?page=2&done=edited#message-40"
        );
        assert_eq!(
            message_url("post", ThreadId(3), 1, "", MessageId(40)),
            "/posts/3#message-40"
        );
    }
}
