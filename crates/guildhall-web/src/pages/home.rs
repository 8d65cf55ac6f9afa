use crate::app::AppState;
use crate::error::PageError;
use crate::extract::Visitor;
use crate::templates::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use guildhall_domain::store::members::MemberRow;
use guildhall_domain::{accounts, policy};

#[derive(Template, WebTemplate)]
#[template(path = "pages/home.html")]
pub struct HomePage {
    layout: Layout,
    me: Option<MemberRow>,
}

pub async fn show(State(s): State<AppState>, v: Visitor) -> Result<HomePage, PageError> {
    let me = match policy::signed_in(&v.viewer) {
        Ok(who) => Some(accounts::me(&s.ctx, who).await?),
        Err(_) => None,
    };
    let title = if me.is_some() {
        "Home"
    } else {
        "Communities of practice for the public sector"
    };
    Ok(HomePage {
        layout: Layout::new(&v, title),
        me,
    })
}
