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

/// A member's handle.
pub(super) async fn handle_of(app: &TestApp, member: &TestMember) -> String {
    app.ctx.store.member(member.id).await.unwrap().handle
}

/// The id of a service area, by name.
pub(super) async fn area_id(app: &TestApp, name: &str) -> String {
    app.ctx
        .store
        .service_areas()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.name == name)
        .unwrap_or_else(|| panic!("no service area {name}"))
        .id
        .0
        .to_string()
}

/// Saves a profile through the edit page; `fields` override the text
/// fields and add others (service areas may repeat).
pub(super) async fn edit_profile(b: &mut Browser, fields: &[(&str, &str)]) -> Page {
    let mut all: Vec<(&str, &str)> = vec![
        ("job_title", "Homelessness prevention officer"),
        ("responsibilities", ""),
        ("expertise", ""),
        ("bio", ""),
        ("contact", ""),
    ];
    for (k, v) in fields {
        if let Some(slot) = all[..5].iter_mut().find(|(name, _)| name == k) {
            slot.1 = v;
        } else {
            all.push((k, v));
        }
    }
    b.submit("/profile", &all).await
}

/// Whether the index holds `word` for `member`.
pub(super) async fn indexed(app: &TestApp, member: &TestMember, word: &str) -> bool {
    use guildhall_domain::people::terms;
    let wanted: Vec<String> = terms::words(word)
        .into_iter()
        .map(|(stem, _)| terms::word_term(&stem))
        .collect();
    let rows = app.ctx.store.terms(&wanted).await.unwrap();
    let lists: Vec<(i64, i64)> = rows.iter().map(|r| (r.id, 1000)).collect();
    let found = app.ctx.store.postings(&lists).await.unwrap();
    assert_eq!(found.len(), rows.len());
    found.iter().any(|members| members.contains(&member.id))
}

test_both!(each_field_saved_is_shown_to_members, |app| {
    let pia = app.member("Pia Profile").await;
    let cole = app.member("Cole Colleague").await;
    let housing = area_id(&app, "Housing").await;
    let homelessness = area_id(&app, "Homelessness").await;
    let mut p = app.signed_in(&pia).await;
    let form = p.get("/profile").await;
    assert_eq!(form.status, 200);
    assert_eq!(form.h1(), "Edit your profile");
    // Each who-sees choice has a label.
    assert_eq!(
        form.attrs("label[for=audience-bio]", "for"),
        vec!["audience-bio"]
    );
    assert!(form.attrs("select#audience-name option", "value").len() == 2);
    let saved = edit_profile(
        &mut p,
        &[
            ("job_title", "Rough sleeping coordinator"),
            ("service_areas", &housing),
            ("service_areas", &homelessness),
            (
                "responsibilities",
                "Outreach to people sleeping rough across the city.",
            ),
            ("expertise", "Rough Sleeping, housing first, rough sleeping"),
            ("bio", "I run **street outreach**."),
            ("contact", "Email me, weekdays."),
            ("audience_email", "members"),
        ],
    )
    .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let handle = handle_of(&app, &pia).await;
    assert_eq!(
        saved.location().as_deref(),
        Some(format!("/people/{handle}?done=saved").as_str())
    );
    assert!(
        app.ctx
            .store
            .profile_of(pia.id)
            .await
            .unwrap()
            .profiled_at
            .is_some()
    );
    let own = p.follow(&saved).await;
    assert_eq!(
        own.texts(".govuk-notification-banner__heading"),
        vec!["Your profile has been saved"]
    );
    assert_eq!(own.attrs("#edit-profile", "href"), vec!["/profile"]);

    let mut c = app.signed_in(&cole).await;
    let page = c.get(&format!("/people/{handle}")).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.text("#job-title"), "Rough sleeping coordinator");
    assert!(
        page.text("#organisation").contains("Leeds"),
        "{}",
        page.body
    );
    assert_eq!(
        page.texts("#service-areas li"),
        vec!["Housing", "Homelessness"]
    );
    assert_eq!(
        page.text("#responsibilities"),
        "Outreach to people sleeping rough across the city."
    );
    assert_eq!(
        page.texts("#expertise li"),
        vec!["rough sleeping", "housing first"]
    );
    assert_eq!(page.text("#bio strong"), "street outreach");
    assert_eq!(page.text("#contact"), "Email me, weekdays.");
    assert_eq!(page.text("#email"), pia.email);
    assert!(page.texts("#edit-profile").is_empty(), "not theirs");
    // The form shows the saved values again.
    let form = p.get("/profile").await;
    assert_eq!(
        form.attrs("#expertise", "value"),
        vec!["rough sleeping, housing first"]
    );
    assert_eq!(
        form.attrs("input[name=service_areas][checked]", "value")
            .len(),
        2
    );
    assert_eq!(
        form.attrs("#audience-email option[selected]", "value"),
        vec!["members"]
    );
    // The API shows the same.
    let token = app.token(&cole).await;
    let json = app
        .browser()
        .api(
            axum::http::Method::GET,
            &format!("/api/v1/people/{handle}"),
            Some(&token),
            None,
        )
        .await
        .json();
    assert_eq!(json["job_title"], "Rough sleeping coordinator");
    assert_eq!(json["service_areas"][1], "Homelessness");
    assert_eq!(json["expertise"][0], "rough sleeping");
    assert_eq!(json["email"], pia.email.as_str());
    assert!(json.get("audiences").is_none(), "only the owner's");
});

test_both!(a_field_shown_to_nobody_appears_nowhere, |app| {
    let pia = app.member("Pia Private").await;
    let cole = app.member("Cole Colleague").await;
    let mut p = app.signed_in(&pia).await;
    let saved = edit_profile(
        &mut p,
        &[
            ("responsibilities", "Zebrafishery licensing appeals."),
            ("expertise", "quokka wrangling"),
            ("bio", "Secret xylophonist."),
            ("contact", "Telephone 0113 496 0000"),
            ("audience_responsibilities", "nobody"),
            ("audience_expertise", "nobody"),
            ("audience_bio", "nobody"),
            ("audience_contact", "nobody"),
            ("audience_job_title", "nobody"),
        ],
    )
    .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let handle = handle_of(&app, &pia).await;
    let path = format!("/people/{handle}");
    // The owner sees it all, and what is hidden.
    let own = p.get(&path).await;
    assert!(own.body.contains("Zebrafishery"));
    let hidden = own.text("#hidden-fields");
    for label in [
        "Job title",
        "Responsibilities",
        "Expertise",
        "About me",
        "Contact preferences",
        "Email address",
    ] {
        assert!(hidden.contains(label), "{label}: {hidden}");
    }
    // Another member sees none of it, on the page or in the API.
    let mut c = app.signed_in(&cole).await;
    let page = c.get(&path).await;
    assert_eq!(page.status, 200);
    let token = app.token(&cole).await;
    let api = app
        .browser()
        .api(
            axum::http::Method::GET,
            &format!("/api/v1/people/{handle}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(api.status, 200);
    for secret in [
        "Zebrafishery",
        "quokka",
        "xylophonist",
        "0113 496",
        "Homelessness prevention",
        pia.email.as_str(),
    ] {
        assert!(!page.body.contains(secret), "page shows {secret}");
        assert!(!api.body.contains(secret), "API shows {secret}");
    }
    assert!(page.texts("#job-title").is_empty());
    assert!(api.json()["job_title"].is_null());
    // Nor does the index match it.
    for word in ["zebrafishery", "quokka", "xylophonist", "prevention"] {
        assert!(!indexed(&app, &pia, word).await, "{word} is indexed");
    }
    // Shown to members again, it is indexed again.
    let saved = edit_profile(
        &mut p,
        &[
            ("responsibilities", "Zebrafishery licensing appeals."),
            ("audience_responsibilities", "members"),
            ("audience_job_title", "members"),
        ],
    )
    .await;
    assert_eq!(saved.status, 303);
    assert!(indexed(&app, &pia, "zebrafishery").await);
    assert!(indexed(&app, &pia, "prevention").await, "the job title");
});

test_both!(visitors_see_only_what_is_shown_to_everyone, |app| {
    let pia = app.member("Pia Public").await;
    let handle = handle_of(&app, &pia).await;
    let path = format!("/people/{handle}");
    let api_path = format!("/api/v1/people/{handle}");
    let mut p = app.signed_in(&pia).await;
    // Members only (the default): visitors are asked to sign in.
    edit_profile(&mut p, &[("bio", "Members-only biography.")]).await;
    assert_eq!(app.browser().get(&path).await.status, 303);
    let anon = app
        .browser()
        .api(axum::http::Method::GET, &api_path, None, None)
        .await;
    assert_eq!(anon.status, 401, "{}", anon.body);
    // The name and job title opted in; the bio still members only.
    let saved = edit_profile(
        &mut p,
        &[
            ("bio", "Members-only biography."),
            ("audience_name", "everyone"),
            ("audience_job_title", "everyone"),
        ],
    )
    .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let own = p.get(&path).await;
    assert!(own.text("#public-fields").contains("Job title"));
    let page = app.browser().get(&path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.h1(), "Pia Public");
    assert_eq!(page.text("#job-title"), "Homelessness prevention officer");
    assert!(!page.body.contains("Members-only biography"));
    assert!(page.texts("#organisation").is_empty());
    assert!(page.texts("#posts-link").is_empty(), "no posts link");
    assert!(
        page.texts("#no-communities, #communities").is_empty(),
        "no communities"
    );
    let anon = app
        .browser()
        .api(axum::http::Method::GET, &api_path, None, None)
        .await;
    assert_eq!(anon.status, 200, "{}", anon.body);
    let json = anon.json();
    assert_eq!(json["job_title"], "Homelessness prevention officer");
    assert!(json["bio"].is_null());
    assert!(json["organisation"].is_null());
    assert_eq!(json["communities"], serde_json::json!([]));
    // An unknown handle is asked to sign in, as a hidden profile is.
    assert_eq!(app.browser().get("/people/nobody-at-all").await.status, 303);
});
