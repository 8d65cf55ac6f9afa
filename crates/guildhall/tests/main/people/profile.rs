//! Member profiles: for signed-in members only, listing only the
//! communities the viewer may read.

use crate::leaks::world::viewer_of;
use guildhall_domain::communities::{self, CommunityForm};
use guildhall_domain::core::Viewer;
use guildhall_testkit::*;

async fn community(app: &TestApp, owner: &Viewer, slug: &str, visibility: &str) {
    let form = CommunityForm {
        slug: slug.into(),
        name: format!("Community {slug}"),
        purpose: "Sharing what works.".into(),
        visibility: visibility.into(),
        join_policy: if visibility == "private" {
            "request"
        } else {
            "open"
        }
        .into(),
        tags: String::new(),
        tools: vec!["forum".into()],
    };
    communities::create_community(&app.ctx, owner, &form, None)
        .await
        .expect("community");
}

test_both!(
    a_profile_lists_only_communities_the_viewer_may_read,
    |app| {
        let pia = app.member("Pia Profile").await;
        let cole = app.member("Cole Colleague").await;
        let otto = app.member("Otto Outsider").await;
        let pia_v = viewer_of(&app.ctx, pia.id).await;
        community(&app, &pia_v, "open-practice", "public").await;
        community(&app, &pia_v, "closed-practice", "private").await;
        let cole_v = viewer_of(&app.ctx, cole.id).await;
        communities::invite(&app.ctx, &pia_v, "closed-practice", &cole.email)
            .await
            .unwrap();
        let invitation = communities::pending_invitations(&app.ctx, &cole_v)
            .await
            .unwrap()
            .remove(0);
        communities::respond_to_invitation(&app.ctx, &cole_v, invitation.id, true)
            .await
            .unwrap();
        let handle = app.ctx.store.member(pia.id).await.unwrap().handle;
        assert_eq!(handle, "pia-profile");
        let path = format!("/people/{handle}");

        // An outsider sees the public community only.
        let mut o = app.signed_in(&otto).await;
        let page = o.get(&path).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert_eq!(page.h1(), "Pia Profile");
        assert_eq!(
            page.texts("#communities a"),
            vec!["Community open-practice"]
        );
        assert!(!page.body.contains("closed-practice"));
        assert_eq!(
            page.attrs("#posts-link", "href"),
            vec![format!("/people/{handle}/posts")]
        );
        // A fellow member of the private one sees both.
        let mut c = app.signed_in(&cole).await;
        let page = c.get(&path).await;
        assert_eq!(
            page.texts("#communities a"),
            vec!["Community closed-practice", "Community open-practice"]
        );
        // Visitors are sent to sign in; an unknown handle is missing.
        let page = app.browser().get(&path).await;
        assert_eq!(page.status, 303);
        assert_eq!(o.get("/people/nobody-here").await.status, 404);
    }
);
