//! A community's home page: `GET /communities/{slug}`.

use super::view;
use crate::app::AppState;
use crate::error::PageError;
use crate::extract::{PagePath, Visitor};
use crate::templates::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use guildhall_domain::communities::{self, CommunityPage};
use guildhall_domain::core::{JoinPolicy, Role};
use guildhall_domain::moderation;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    done: String,
    closed: String,
}

impl Done {
    /// The success banner after an action that came back here.
    fn notice(&self, page: &CommunityPage) -> Option<String> {
        let name = &page.seen.community.name;
        Some(match self.done.as_str() {
            "created" => format!("{name} has been created. You are its owner"),
            "joined" => format!("You have joined {name}"),
            "accepted" => format!("You have accepted the invitation and joined {name}"),
            "requested" => {
                "You have asked to join. A facilitator will decide and we will email you".into()
            }
            "left" => format!("You have left {name}"),
            "settings" => "The settings have been saved".into(),
            "visibility" => {
                let mut s = format!(
                    "{name} is now {}",
                    page.seen.visibility().label().to_lowercase()
                );
                match self.closed.parse::<u64>().unwrap_or(0) {
                    0 => {}
                    1 => s.push_str(". 1 sub-community was closed to match"),
                    n => s.push_str(&format!(". {n} sub-communities were closed to match")),
                }
                s
            }
            "archived" => format!("{name} has been archived"),
            "reopened" => format!("{name} has been reopened"),
            _ => return None,
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "communities/show.html")]
pub struct ShowPage {
    layout: Layout,
    page: CommunityPage,
    notice: Option<String>,
    signed_in: bool,
    /// Reports waiting in the moderation queue (0 for anyone but facilitators).
    open_flags: i64,
}

impl ShowPage {
    fn is_owner(&self) -> bool {
        self.page.seen.role == Some(Role::Owner)
    }

    fn policy(&self) -> JoinPolicy {
        JoinPolicy::parse(&self.page.seen.community.join_policy).unwrap_or(JoinPolicy::Invitation)
    }

    fn open(&self) -> bool {
        self.policy() == JoinPolicy::Open
    }

    fn by_request(&self) -> bool {
        self.policy() == JoinPolicy::Request
    }

    fn tools(&self) -> Vec<&'static str> {
        view::tool_labels(&self.page.seen.community.tools)
    }

    fn role_label(&self) -> &'static str {
        self.page.seen.role.map(Role::label).unwrap_or("")
    }
}

pub async fn show(
    State(s): State<AppState>,
    v: Visitor,
    PagePath(slug): PagePath<String>,
    Query(done): Query<Done>,
) -> Result<ShowPage, PageError> {
    let page = communities::show(&s.ctx, &v.viewer, &slug).await?;
    let open_flags = moderation::open_flag_count(&s.ctx, &page.seen)
        .await?
        .unwrap_or(0);
    Ok(ShowPage {
        open_flags,
        layout: Layout::new(&v, page.seen.community.name.clone()),
        notice: done.notice(&page),
        signed_in: v.viewer.is_signed_in(),
        page,
    })
}
