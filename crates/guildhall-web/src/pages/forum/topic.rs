//! A topic: `GET /topics/{id}` (the question, the accepted answer first,
//! then 50 replies a page, and the reply form; `?quote=` starts the reply
//! with a quotation), and `GET /topics/{id}/unread` (to the first unread reply).

use super::view::{MARKDOWN_HINT, ReplyState, message_url};
use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use crate::pages::pagination::{Pager, page_number};
use crate::templates::{Form, Layout};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::Redirect;
use guildhall_domain::core::{MemberId, MessageId, ThreadId};
use guildhall_domain::forum::{self, ThreadPage};
use guildhall_domain::store::messages::MessageRow;
use guildhall_domain::{Error, FieldErrors, threads};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TopicQuery {
    page: Option<String>,
    quote: Option<String>,
    done: String,
}

/// A message with what the viewer may do to it.
#[derive(Debug, Clone)]
pub struct Shown {
    pub m: MessageRow,
    pub deleted: bool,
    pub hidden: bool,
    pub is_accepted: bool,
    pub can_edit: bool,
    pub can_delete: bool,
    pub can_useful: bool,
    pub can_flag: bool,
    pub can_quote: bool,
    /// A facilitator may hide it (it is there to hide).
    pub can_hide: bool,
    /// A facilitator may show it again (it is hidden, not deleted).
    pub can_restore: bool,
    /// `Some(true)`: offer "Accept as answer"; `Some(false)`: offer to undo it.
    pub accept: Option<bool>,
}

#[derive(Template, WebTemplate)]
#[template(path = "forum/topic.html")]
pub struct TopicPage {
    layout: Layout,
    page: ThreadPage,
    opening: Shown,
    accepted: Option<Shown>,
    replies: Vec<Shown>,
    reply: ReplyState,
    form: Form,
    pager: Pager,
    notice: Option<&'static str>,
    hint: &'static str,
    signed_in: bool,
}

impl TopicPage {
    fn facilitates(&self) -> bool {
        self.page.opened.seen.facilitates() && !self.page.opened.seen.archived()
    }

    fn answered(&self) -> bool {
        self.page.opened.thread.is_question && self.page.opened.thread.accepted_id.is_some()
    }

    fn reply_action(&self) -> String {
        format!("/topics/{}/replies", self.page.opened.thread.id)
    }

    /// The quote link for a message: this page, with the reply form filled.
    fn quote_url(&self, id: &MessageId) -> String {
        let id = id.to_string();
        let mut pairs = vec![("quote", id.as_str())];
        let page = self.page.page.to_string();
        if self.page.page > 1 {
            pairs.insert(0, ("page", &page));
        }
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        format!("/topics/{}?{query}#reply", self.page.opened.thread.id)
    }
}

/// What the viewer may do to each message.
struct Rules {
    me: Option<MemberId>,
    writable: bool,
    locked: bool,
    replying: bool,
    chooses_answer: bool,
    accepted: Option<MessageId>,
    facilitates: bool,
}

impl Rules {
    fn new(v: &Visitor, page: &ThreadPage, reply: &ReplyState) -> Rules {
        let seen = &page.opened.seen;
        let thread = &page.opened.thread;
        let me = v.viewer.member_id();
        let member = seen.role.is_some();
        Rules {
            me,
            writable: member && !seen.archived(),
            locked: thread.locked,
            replying: reply.is_open(),
            chooses_answer: thread.is_question
                && (me == Some(thread.author_id) || seen.facilitates()),
            accepted: thread.accepted_id,
            facilitates: seen.facilitates() && !seen.archived(),
        }
    }

    fn show(&self, m: MessageRow) -> Shown {
        let deleted = m.deleted_at.is_some();
        let hidden = m.hidden_at.is_some();
        let live = !deleted && !hidden;
        let mine = self.me == Some(m.author_id);
        let is_accepted = self.accepted == Some(m.id);
        Shown {
            deleted,
            hidden,
            is_accepted,
            can_edit: mine && live && self.writable && !self.locked,
            can_delete: mine && !deleted && self.writable,
            can_useful: live && !mine && self.writable,
            can_flag: live && !mine && self.me.is_some(),
            can_quote: live && self.replying,
            can_hide: live && self.facilitates,
            can_restore: hidden && !deleted && self.facilitates,
            accept: (self.chooses_answer
                && self.writable
                && m.position > 0
                && (live || is_accepted))
                .then_some(!is_accepted),
            m,
        }
    }
}

fn notice(done: &str) -> Option<&'static str> {
    Some(match done {
        "created" => "Your topic has been posted",
        "replied" => "Your reply has been posted",
        "edited" => "Your changes have been saved",
        "deleted" => "It has been deleted",
        "accepted" => "The reply has been marked as the accepted answer",
        "unaccepted" => "The reply is no longer the accepted answer",
        "followed" => "You are following this topic",
        "unfollowed" => "You are no longer following this topic",
        "pinned" => "The topic has been pinned",
        "unpinned" => "The topic has been unpinned",
        "locked" => "The topic has been locked",
        "unlocked" => "The topic has been unlocked",
        "moved" => "The topic has been moved",
        "split" => "The replies have been split off into this new topic",
        "flagged" => "Thank you. A facilitator will look at your report",
        "hidden" => "It has been hidden. Its author can see your reason",
        "restored" => "It can be seen again",
        _ => return None,
    })
}

pub async fn show(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<ThreadId>,
    Query(q): Query<TopicQuery>,
) -> Result<TopicPage, PageError> {
    let page = forum::thread_page(
        &s.ctx,
        &v.viewer,
        id,
        "topic",
        page_number(q.page.as_deref().unwrap_or("")),
    )
    .await?;
    let reply = ReplyState::of(&s, &v, &page.opened).await?;
    let mut body = String::new();
    if let Some(quoted) = q.quote.as_deref().and_then(|m| m.trim().parse().ok()) {
        body = match threads::quote(&s.ctx, &v.viewer, MessageId(quoted)).await {
            Ok(text) => text,
            Err(e @ Error::Internal(_)) => return Err(e.into()),
            Err(_) => String::new(),
        };
    }
    let rules = Rules::new(&v, &page, &reply);
    let pager = Pager::new(page.page, page.pages, |n| {
        if n == 1 {
            format!("/topics/{id}")
        } else {
            format!("/topics/{id}?page={n}")
        }
    });
    Ok(TopicPage {
        layout: Layout::new(&v, page.opened.thread.title.clone()),
        opening: rules.show(page.opening.clone()),
        accepted: page.accepted.clone().map(|a| rules.show(a)),
        replies: page
            .replies
            .iter()
            .cloned()
            .map(|r| rules.show(r))
            .collect(),
        page,
        reply,
        form: Form::with(&[("body", &body)], FieldErrors::new()),
        pager,
        notice: notice(&q.done),
        hint: MARKDOWN_HINT,
        signed_in: v.viewer.is_signed_in(),
    })
}

pub async fn unread(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(id): PagePath<ThreadId>,
) -> Result<Redirect, PageError> {
    let (page, first) = forum::first_unread(&s.ctx, &v.viewer, id).await?;
    Ok(Redirect::to(&match first {
        Some(message) => message_url("topic", id, page, "", message),
        None if page > 1 => format!("/topics/{id}?page={page}"),
        None => format!("/topics/{id}"),
    }))
}
