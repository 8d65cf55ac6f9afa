//! Onboarding: after registering, a short profile step, then communities
//! suggested from what people like the newcomer belong to and the service
//! areas they chose, each joined (or asked for) in one click.

use guildhall_domain::communities::{self, CommunityForm};
use guildhall_domain::core::Viewer;
use guildhall_testkit::*;

async fn community(app: &TestApp, owner: &Viewer, slug: &str, visibility: &str, tags: &str) {
    let form = CommunityForm {
        slug: slug.into(),
        name: format!("Community {slug}"),
        purpose: "Sharing what works.".into(),
        visibility: visibility.into(),
        join_policy: match visibility {
            "private" => "request",
            "secret" => "invitation",
            _ => "open",
        }
        .into(),
        tags: tags.into(),
        tools: vec!["forum".into()],
    };
    communities::create_community(&app.ctx, owner, &form, None)
        .await
        .expect("community");
}

/// The id of a service area, by name.
async fn area(app: &TestApp, name: &str) -> String {
    app.ctx
        .store
        .service_areas()
        .await
        .expect("areas")
        .into_iter()
        .find(|a| a.name == name)
        .expect("area")
        .id
        .0
        .to_string()
}

test_both!(the_profile_step_saves_and_leads_to_suggestions, |app| {
    let owner = app.member("Olu Owner").await;
    let owner_v = crate::leaks::world::viewer_of(&app.ctx, owner.id).await;
    community(
        &app,
        &owner_v,
        "homeless-open",
        "public",
        "homelessness, rough sleeping",
    )
    .await;
    community(
        &app,
        &owner_v,
        "homeless-private",
        "private",
        "homelessness",
    )
    .await;
    community(&app, &owner_v, "homeless-secret", "secret", "homelessness").await;
    community(&app, &owner_v, "libraries", "public", "libraries").await;

    let newcomer = app.member("Nia Newcomer").await;
    let mut b = app.signed_in(&newcomer).await;
    let home = b.get("/").await;
    assert!(
        home.body.contains("id=\"complete-profile\""),
        "the home page asks for the profile step"
    );

    let step = b.get("/welcome").await;
    assert_eq!(step.status, 200);
    assert_eq!(step.h1(), "Tell colleagues about your work");
    let homelessness = area(&app, "Homelessness").await;
    let saved = b
        .post(
            "/welcome",
            &[
                ("job_title", "Homelessness officer"),
                ("service_areas", &homelessness),
                (
                    "responsibilities",
                    "Rough sleeping outreach and temporary accommodation.",
                ),
                ("expertise", "Rough sleeping, Housing register"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(saved.location().as_deref(), Some("/welcome/communities"));
    let row = app
        .ctx
        .store
        .profile_of(newcomer.id)
        .await
        .expect("profile");
    assert_eq!(row.job_title, "Homelessness officer");
    assert!(row.profiled_at.is_some());
    let expertise = app
        .ctx
        .store
        .areas_and_expertise_of(&[newcomer.id])
        .await
        .expect("tags")
        .expertise;
    assert_eq!(expertise.len(), 2);

    let list = b.follow(&saved).await;
    assert_eq!(list.h1(), "Communities you might like");
    let text = list.text("#recommendations");
    assert!(text.contains("Community homeless-open"), "{text}");
    assert!(text.contains("Community homeless-private"), "{text}");
    assert!(
        !text.contains("homeless-secret"),
        "never a secret community: {text}"
    );
    let (open, libraries) = (
        text.find("Community homeless-open"),
        text.find("Community libraries"),
    );
    assert!(
        libraries.is_none() || open < libraries,
        "the community about their work comes first: {text}"
    );
    assert!(
        text.to_lowercase().contains("homelessness"),
        "each says why: {text}"
    );

    // One click to join an open one, back to the list.
    let joined = b
        .post("/communities/homeless-open/join", &[("next", "welcome")])
        .await;
    assert_eq!(
        joined.location().as_deref(),
        Some("/welcome/communities?done=joined")
    );
    let list = b.follow(&joined).await;
    assert!(list.text("#done").contains("You have joined"));
    assert!(
        !list.body.contains("Community homeless-open"),
        "joined ones are not suggested again"
    );

    // And one to ask to join a private one.
    let asked = b
        .post(
            "/communities/homeless-private/request",
            &[("next", "welcome")],
        )
        .await;
    assert_eq!(
        asked.location().as_deref(),
        Some("/welcome/communities?done=requested")
    );
    let (_, queue) = communities::request_queue(&app.ctx, &owner_v, "homeless-private")
        .await
        .expect("queue");
    assert!(queue.iter().any(|r| r.member_id == newcomer.id));

    let home = b.get("/").await;
    assert!(
        !home.body.contains("id=\"complete-profile\""),
        "the step is done"
    );
});

test_both!(
    the_profile_step_can_be_skipped_and_refuses_bad_input,
    |app| {
        let newcomer = app.member("Sam Skipper").await;
        let mut b = app.signed_in(&newcomer).await;

        b.get("/welcome").await;
        let bad = b
            .post(
                "/welcome",
                &[("job_title", "Officer"), ("service_areas", "99999")],
            )
            .await;
        assert_eq!(bad.status, 422);
        assert_eq!(bad.error_summary().len(), 1, "{:?}", bad.error_summary());
        assert!(
            bad.error_summary()[0].contains("service areas"),
            "{:?}",
            bad.error_summary()
        );
        assert!(
            bad.body.contains("value=\"Officer\""),
            "what was typed is kept"
        );

        let skipped = b.post("/welcome/skip", &[]).await;
        assert_eq!(skipped.location().as_deref(), Some("/welcome/communities"));
        let list = b.follow(&skipped).await;
        assert_eq!(list.status, 200);
        assert!(
            list.body.contains("id=\"no-recommendations\""),
            "nothing to suggest yet"
        );
        let home = b.get("/").await;
        assert!(!home.body.contains("id=\"complete-profile\""));

        // Visitors are sent to sign in.
        let mut visitor = app.browser();
        let page = visitor.get("/welcome").await;
        assert_eq!(page.status, 303);
        assert!(page.location().unwrap_or_default().starts_with("/sign-in"));
    }
);
