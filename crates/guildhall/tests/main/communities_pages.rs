//! Community pages from the outside: creating, finding, joining, running and
//! administering communities through the HTML pages, as people would.

use guildhall_testkit::*;

const PURPOSE: &str = "A place for **housing officers** to share what works.";

/// The create form's fields.
fn fields<'a>(
    slug: &'a str,
    name: &'a str,
    visibility: &'a str,
    join: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("slug", slug),
        ("purpose", PURPOSE),
        ("visibility", visibility),
        ("join_policy", join),
        ("tags", "Housing, homelessness"),
        ("tools", "forum"),
        ("tools", "wiki"),
    ]
}

/// Creates a community through the form; returns the response to the post.
async fn create(b: &mut Browser, slug: &str, visibility: &str, join: &str) -> Page {
    let form = b.get("/communities/new").await;
    assert_eq!(form.status, 200, "{}", form.body);
    let name = format!("Community {slug}");
    b.post("/communities", &fields(slug, &name, visibility, join))
        .await
}

/// Creates a community and checks it was made at once.
async fn make(b: &mut Browser, slug: &str, visibility: &str, join: &str) {
    let page = create(b, slug, visibility, join).await;
    assert_eq!(page.status, 303, "creating {slug}: {}", page.body);
}

/// Creates a sub-community of `parent`.
async fn make_sub(b: &mut Browser, parent: &str, slug: &str, visibility: &str, join: &str) -> Page {
    let form = b.get(&format!("/communities/new?parent={parent}")).await;
    assert_eq!(form.status, 200, "{}", form.body);
    let name = format!("Community {slug}");
    let mut f = fields(slug, &name, visibility, join);
    f.push(("parent", parent));
    b.post("/communities", &f).await
}

/// A page's body with the CSRF token's value taken out.
fn without_csrf(body: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let mut out = String::new();
    let mut rest = body;
    while let Some(i) = rest.find(marker) {
        out.push_str(&rest[..i + marker.len()]);
        rest = &rest[i + marker.len()..];
        rest = &rest[rest.find('"').unwrap_or(0)..];
    }
    out.push_str(rest);
    out
}

/// A member's role as the members table shows it.
async fn role_of(b: &mut Browser, slug: &str, member: &TestMember) -> String {
    let page = b.get(&format!("/communities/{slug}/members")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    page.text(&format!(
        "#members tr[data-member=\"{}\"] .app-role",
        member.id
    ))
}

test_both!(
    a_member_creates_a_public_community_and_lands_in_it_as_owner,
    |app| {
        let owner = app.member("Olu Owner").await;
        let mut b = app.signed_in(&owner).await;
        let home = b.get("/").await;
        assert_eq!(
            home.attrs("#create-community", "href"),
            vec!["/communities/new"]
        );
        assert_eq!(
            home.attrs("#find-communities", "href"),
            vec!["/communities"]
        );
        assert!(
            home.attrs(".govuk-service-navigation__link", "href")
                .contains(&"/communities".to_string())
        );

        let form = b.get("/communities/new").await;
        assert_eq!(form.h1(), "Create a community");
        assert_eq!(
            form.attrs("input[name=visibility]", "value"),
            vec!["public", "members", "private", "secret"]
        );
        assert!(
            form.text(".govuk-radios__hint")
                .contains("Anyone can read it, even without signing in")
        );
        assert_eq!(
            form.attrs("input[name=tools]", "value"),
            vec!["forum", "blog", "wiki", "library", "events"]
        );

        let page = create(&mut b, "housing-north", "public", "open").await;
        assert_eq!(page.status, 303, "{}", page.body);
        assert_eq!(
            page.location().as_deref(),
            Some("/communities/housing-north?done=created")
        );
        let home = b.follow(&page).await;
        assert_eq!(home.status, 200);
        assert_eq!(home.h1(), "Community housing-north");
        assert!(
            home.text(".govuk-notification-banner--success")
                .contains("You are its owner")
        );
        assert_eq!(home.text("#my-role"), "You are the owner");
        assert_eq!(home.text(".app-visibility"), "Public");
        // The purpose is rendered Markdown, the tags are tidied, the tools listed.
        assert_eq!(home.text("#purpose strong"), "housing officers");
        assert_eq!(home.texts("#tags a"), vec!["homelessness", "housing"]);
        assert_eq!(home.text("#tools"), "Forum, Wiki");
        assert_eq!(home.text("#member-count"), "1");
        assert!(
            home.text("#activity")
                .contains("Olu Owner created the community")
        );
        let links = home.texts("#facilitator-links a");
        for want in [
            "Settings",
            "Who can see it",
            "Members and invitations",
            "Requests to join (0)",
            "Create a sub-community",
            "Audit log",
        ] {
            assert!(links.iter().any(|l| l == want), "{want} in {links:?}");
        }
        assert_eq!(
            home.attrs("#delete", "href"),
            vec!["/communities/housing-north/delete"]
        );
        assert_eq!(
            home.texts(".govuk-breadcrumbs__list-item"),
            vec!["Communities", "Community housing-north"]
        );

        // It is on the home page and in the directory, even for visitors.
        let mine = b.get("/").await;
        assert_eq!(
            mine.texts("#your-communities a"),
            vec!["Community housing-north"]
        );
        let mut anon = app.browser();
        let dir = anon.get("/communities").await;
        assert_eq!(dir.texts("#results h2 a"), vec!["Community housing-north"]);
        assert_eq!(
            dir.text("#results .app-purpose"),
            "A place for housing officers to share what works."
        );
        assert_eq!(dir.text("#result-count"), "1 community");
        let public = anon.get("/communities/housing-north").await;
        assert_eq!(public.status, 200);
        assert!(public.text("#sign-in-to-join").contains("Sign in to join"));
    }
);

test_both!(bad_input_on_the_create_form_is_explained_and_kept, |app| {
    let owner = app.member("Fay Form").await;
    let mut b = app.signed_in(&owner).await;
    make(&mut b, "taken", "members", "open").await;

    // A web address already taken.
    let page = create(&mut b, "taken", "public", "open").await;
    assert_eq!(page.status, 422);
    assert!(page.text("title").starts_with("Error: Create a community"));
    assert_eq!(
        page.error_summary(),
        vec!["This web address is already taken. Choose another"]
    );
    assert_eq!(page.error_links(), vec!["#slug"]);
    assert_eq!(page.attrs("#slug", "value"), vec!["taken"]);
    assert_eq!(page.attrs("#name", "value"), vec!["Community taken"]);
    assert!(page.text("#purpose").contains("housing officers"));
    assert_eq!(
        page.attrs("input[name=visibility][checked]", "value"),
        vec!["public"]
    );
    assert_eq!(
        page.attrs("input[name=join_policy][checked]", "value"),
        vec!["open"]
    );
    assert_eq!(
        page.attrs("input[name=tools][checked]", "value"),
        vec!["forum", "wiki"]
    );
    assert_eq!(page.attrs("#tags", "value"), vec!["Housing, homelessness"]);
    assert!(page.text("#slug-error").contains("already taken"));

    // A malformed web address and a secret community anyone could join:
    // both explained, in the order of the form.
    let mut f = fields("Bad Address!", "Bad", "secret", "open");
    f.retain(|(k, _)| *k != "tools");
    let page = b.post("/communities", &f).await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.error_summary(),
        vec![
            "Web address can only contain letters a to z, numbers and hyphens",
            "A secret community can only be joined by invitation",
        ]
    );
    assert_eq!(page.error_links(), vec!["#slug", "#join_policy"]);
    assert_eq!(page.attrs("#slug", "value"), vec!["Bad Address!"]);
    assert!(page.attrs("input[name=tools][checked]", "value").is_empty());
    // Each link leads to a field on the page.
    assert_eq!(page.attrs("#join_policy", "value"), vec!["open"]);

    // A sub-community more open than its parent.
    let page = make_sub(&mut b, "taken", "taken-sub", "public", "open").await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert_eq!(
        page.error_summary(),
        vec!["A sub-community cannot be more open than its parent, which is members only"]
    );
    assert_eq!(page.h1(), "Create a sub-community");
    assert_eq!(page.attrs("input[name=parent]", "value"), vec!["taken"]);
    assert_eq!(page.attrs("#slug", "value"), vec!["taken-sub"]);
    // Nothing was created.
    assert_eq!(b.get("/communities/taken-sub").await.status, 404);
    assert_eq!(b.get("/communities/bad-address").await.status, 404);

    // Visitors are sent to sign in first.
    let mut anon = app.browser();
    let page = anon.get("/communities/new").await;
    assert_eq!(
        page.location().as_deref(),
        Some("/sign-in?return_to=%2Fcommunities%2Fnew")
    );
});

test_both!(a_request_to_join_is_approved_from_the_queue_once, |app| {
    let owner = app.member("Fran Facilitator").await;
    let asker = app.member("Reza Requester").await;
    let mut f = app.signed_in(&owner).await;
    make(&mut f, "asked", "private", "request").await;

    let mut r = app.signed_in(&asker).await;
    let home = r.get("/communities/asked").await;
    assert_eq!(home.status, 200);
    // A private community shows a non-member its name and purpose only.
    assert!(home.texts("#activity").is_empty() && home.texts("#facts").is_empty());
    assert!(home.texts("#join").is_empty());
    assert_eq!(
        home.attrs("#ask-to-join", "href"),
        vec!["/communities/asked/request"]
    );
    assert_eq!(r.get("/communities/asked/members").await.status, 404);

    let form = r.get("/communities/asked/request").await;
    assert_eq!(form.h1(), "Ask to join");
    let long = "x".repeat(1001);
    let page = r
        .post("/communities/asked/request", &[("message", &long)])
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.error_summary(),
        vec!["Message must be 1,000 characters or fewer"]
    );
    assert_eq!(page.text("#message").len(), 1001);
    let page = r
        .post(
            "/communities/asked/request",
            &[("message", "I run the Leeds housing register.")],
        )
        .await;
    assert_eq!(
        page.location().as_deref(),
        Some("/communities/asked?done=requested")
    );
    let home = r.follow(&page).await;
    assert!(home.text("#asked").contains("You have asked to join"));
    assert!(home.texts("#ask-to-join").is_empty());

    // The facilitator sees it in the queue, with the count on the home page.
    let fhome = f.get("/communities/asked").await;
    assert!(
        fhome
            .texts("#facilitator-links a")
            .contains(&"Requests to join (1)".to_string())
    );
    let queue = f.get("/communities/asked/requests").await;
    assert_eq!(queue.texts(".app-request h2"), vec!["Reza Requester"]);
    assert_eq!(
        queue.text(".app-message"),
        "I run the Leeds housing register."
    );
    let approve = queue.attrs(".app-request form[action$='/approve']", "action")[0].clone();
    let page = f.post(&approve, &[]).await;
    assert_eq!(
        page.location().as_deref(),
        Some("/communities/asked/requests?done=approved")
    );
    let queue = f.follow(&page).await;
    assert!(queue.text("#no-requests").contains("Nobody is waiting"));

    // Approving again is a clear conflict, not a second membership.
    let again = f.post(&approve, &[]).await;
    assert_eq!(again.status, 409);
    assert_eq!(again.h1(), "This could not be done");
    assert!(
        again
            .text("main")
            .contains("Reza Requester's request has already been approved.")
    );

    // The requester is a member now, can read it, and was emailed.
    let home = r.get("/communities/asked").await;
    assert_eq!(home.text("#my-role"), "You are a member");
    assert!(!home.texts("#activity").is_empty());
    assert_eq!(home.text("#member-count"), "2");
    let mail = app.emails_to(&asker.email).await;
    assert!(
        mail.iter()
            .any(|m| m.subject == "Your request to join Community asked"
                && m.body.contains("You are now a member"))
    );
    // Someone who is not a facilitator has no queue.
    assert_eq!(r.get("/communities/asked/requests").await.status, 403);
});

test_both!(
    an_invitation_waits_for_registration_and_only_its_addressee_accepts_it,
    |app| {
        let owner = app.member("Ines Inviter").await;
        let other = app.member("Mal Other").await;
        let mut o = app.signed_in(&owner).await;
        make(&mut o, "invited", "secret", "invitation").await;

        // A malformed address is explained on the members page.
        o.get("/communities/invited/members").await;
        let page = o
            .post(
                "/communities/invited/invitations",
                &[("email", "not an address")],
            )
            .await;
        assert_eq!(page.status, 422);
        assert_eq!(page.error_links(), vec!["#email"]);
        assert_eq!(page.attrs("#email", "value"), vec!["not an address"]);
        assert!(page.text("title").starts_with("Error: Members of"));

        let page = o
            .post(
                "/communities/invited/invitations",
                &[("email", "new.person@leeds.gov.uk")],
            )
            .await;
        assert_eq!(
            page.location().as_deref(),
            Some("/communities/invited/members?done=invited")
        );
        let members = o.follow(&page).await;
        assert_eq!(
            members.texts("#pending-invitations tbody td")[..2],
            [
                "new.person@leeds.gov.uk".to_string(),
                "Ines Inviter".to_string()
            ]
        );
        let twice = o
            .post(
                "/communities/invited/invitations",
                &[("email", "new.person@leeds.gov.uk")],
            )
            .await;
        assert_eq!(twice.status, 422);
        assert_eq!(
            twice.error_summary(),
            vec!["This address has already been invited"]
        );

        let mail = app.emails_to("new.person@leeds.gov.uk").await;
        assert_eq!(mail.len(), 1);
        assert!(mail[0].body.contains("Register with this email address"));

        // The person registers and confirms their address through the pages.
        let mut n = app.browser();
        let registered = n
            .submit(
                "/register",
                &[
                    ("name", "Nia New"),
                    ("email", "new.person@leeds.gov.uk"),
                    ("password", "lighthouse marmalade trombone"),
                    ("organisation", "E08000035"),
                    ("job_title", "Tenancy officer"),
                ],
            )
            .await;
        assert_eq!(registered.status, 303, "{}", registered.body);
        let link = app
            .emails_to("new.person@leeds.gov.uk")
            .await
            .iter()
            .find_map(|m| m.link("http://guildhall.test/verify-email/"))
            .expect("a verification link");
        n.get(&link).await;
        assert_eq!(n.post(&link, &[]).await.status, 200);
        let signed = n
            .submit(
                "/sign-in",
                &[
                    ("email", "new.person@leeds.gov.uk"),
                    ("password", "lighthouse marmalade trombone"),
                ],
            )
            .await;
        assert_eq!(signed.status, 303);

        let home = n.get("/").await;
        assert_eq!(
            home.text("#invitations a"),
            "You have 1 invitation to join a community"
        );
        let list = n.get("/communities/invitations").await;
        assert_eq!(list.h1(), "Your invitations");
        assert_eq!(
            list.texts("#invitations tbody tr td")[..2],
            ["Community invited".to_string(), "Ines Inviter".to_string()]
        );
        let accept = list.attrs("form[action$='/accept']", "action")[0].clone();

        // Someone else cannot accept it: to them it answers as a missing
        // invitation would, and they still cannot see the community.
        let mut m = app.signed_in(&other).await;
        let refused = m.post(&accept, &[]).await;
        assert_eq!(refused.status, 404);
        let missing = m.post("/communities/invitations/999999/accept", &[]).await;
        assert_eq!(without_csrf(&refused.body), without_csrf(&missing.body));
        let refused = m.post(&accept.replace("/accept", "/decline"), &[]).await;
        assert_eq!(refused.status, 404);
        assert_eq!(m.get("/communities/invited").await.status, 404);

        let page = n.post(&accept, &[]).await;
        assert_eq!(
            page.location().as_deref(),
            Some("/communities/invited?done=accepted")
        );
        let home = n.follow(&page).await;
        assert_eq!(home.status, 200);
        assert_eq!(home.text("#my-role"), "You are a member");
        assert!(
            home.text(".govuk-notification-banner--success")
                .contains("accepted the invitation")
        );
        assert!(
            n.get("/communities/invitations")
                .await
                .text("#no-invitations")
                .contains("no invitations")
        );
        // Answering twice is a clear conflict.
        assert_eq!(n.post(&accept, &[]).await.status, 409);
    }
);

test_both!(leaving_and_the_last_owner, |app| {
    let owner = app.member("Lee Owner").await;
    let member = app.member("Lou Leaver").await;
    let mut o = app.signed_in(&owner).await;
    make(&mut o, "leavers", "members", "open").await;
    let mut m = app.signed_in(&member).await;
    let home = m.get("/communities/leavers").await;
    let page = m.post("/communities/leavers/join", &[]).await;
    assert_eq!(
        page.location().as_deref(),
        Some("/communities/leavers?done=joined")
    );
    assert!(!home.texts("#join").is_empty());
    let home = m.follow(&page).await;
    assert_eq!(home.text("#my-role"), "You are a member");
    assert_eq!(
        m.get("/").await.texts("#your-communities a"),
        vec!["Community leavers"]
    );

    let page = m.post("/communities/leavers/leave", &[]).await;
    assert_eq!(page.location().as_deref(), Some("/communities?done=left"));
    assert!(
        m.follow(&page)
            .await
            .text(".govuk-notification-banner--success")
            .contains("You have left")
    );
    let home = m.get("/communities/leavers").await;
    assert!(home.texts("#my-role").is_empty());
    assert!(!home.texts("#join").is_empty());
    assert!(m.get("/").await.texts("#your-communities a").is_empty());

    // The only owner cannot leave.
    let page = o.post("/communities/leavers/leave", &[]).await;
    assert_eq!(page.status, 409);
    assert!(
        page.text("main")
            .contains("You are the only owner. Make someone else the owner before you leave.")
    );
    assert_eq!(
        o.get("/communities/leavers").await.text("#my-role"),
        "You are the owner"
    );
});

test_both!(promote_demote_and_transfer_ownership, |app| {
    let owner = app.member("Pat Owner").await;
    let member = app.member("Max Member").await;
    let mut o = app.signed_in(&owner).await;
    make(&mut o, "roles", "public", "open").await;
    let mut m = app.signed_in(&member).await;
    m.get("/communities/roles").await;
    m.post("/communities/roles/join", &[]).await;

    let role = format!("/communities/roles/members/{}/role", member.id);
    // A member cannot change roles.
    assert_eq!(m.post(&role, &[("role", "facilitator")]).await.status, 403);

    let members = o.get("/communities/roles/members").await;
    assert_eq!(
        members.texts("#members tbody tr td:first-child"),
        vec!["Pat Owner (you)", "Max Member"]
    );
    assert!(
        members
            .text(&format!("tr[data-member=\"{}\"]", member.id))
            .contains("Make facilitator")
    );
    let page = o.post(&role, &[("role", "facilitator")]).await;
    assert_eq!(
        page.location().as_deref(),
        Some("/communities/roles/members?done=role")
    );
    assert_eq!(role_of(&mut o, "roles", &member).await, "Facilitator");
    assert!(
        m.get("/communities/roles")
            .await
            .texts("#facilitator-links a")
            .contains(&"Settings".to_string())
    );

    o.post(&role, &[("role", "member")]).await;
    assert_eq!(role_of(&mut o, "roles", &member).await, "Member");
    assert!(
        m.get("/communities/roles")
            .await
            .texts("#facilitator-links a")
            .is_empty()
    );
    // Ownership is not a role to set.
    assert_eq!(o.post(&role, &[("role", "owner")]).await.status, 422);

    let page = o
        .post(
            &format!("/communities/roles/members/{}/transfer", member.id),
            &[],
        )
        .await;
    assert_eq!(
        page.location().as_deref(),
        Some("/communities/roles/members?done=owner")
    );
    assert_eq!(role_of(&mut o, "roles", &member).await, "Owner");
    assert_eq!(role_of(&mut o, "roles", &owner).await, "Facilitator");
    assert_eq!(
        m.get("/communities/roles").await.text("#my-role"),
        "You are the owner"
    );
    // The new owner may remove the old one, now a facilitator.
    let page = m
        .post(
            &format!("/communities/roles/members/{}/remove", owner.id),
            &[],
        )
        .await;
    assert_eq!(
        page.location().as_deref(),
        Some("/communities/roles/members?done=removed")
    );
    assert_eq!(
        o.get("/communities/roles").await.texts("#my-role"),
        Vec::<String>::new()
    );
});

test_both!(opening_up_asks_for_confirmation, |app| {
    let owner = app.member("Vic Visible").await;
    let mut o = app.signed_in(&owner).await;
    make(&mut o, "opening", "members", "open").await;
    let form = o.get("/communities/opening/visibility").await;
    assert_eq!(
        form.attrs("input[name=visibility][checked]", "value"),
        vec!["members"]
    );

    let page = o
        .post(
            "/communities/opening/visibility",
            &[("visibility", "public")],
        )
        .await;
    assert_eq!(page.status, 200);
    assert_eq!(page.h1(), "Make Community opening public?");
    assert!(page.text("#consequence").contains(
        "Everything inside becomes readable by anyone, including people who are not signed in"
    ));
    assert_eq!(page.attrs("input[name=confirm]", "value"), vec!["yes"]);
    assert_eq!(
        page.attrs("a.govuk-link[href='/communities/opening']", "href")
            .len(),
        1
    );
    // Nothing changed yet.
    let mut anon = app.browser();
    assert!(
        anon.get("/communities/opening")
            .await
            .text("main")
            .contains("Members only")
    );

    let page = o
        .post(
            "/communities/opening/visibility",
            &[("visibility", "public"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(
        page.location().as_deref(),
        Some("/communities/opening?done=visibility&closed=0")
    );
    let home = o.follow(&page).await;
    assert_eq!(
        home.text(".govuk-notification-banner--success"),
        "Success Community opening is now public"
    );
    assert!(
        anon.get("/communities/opening")
            .await
            .text("main .govuk-tag")
            .contains("Public")
    );

    // A rule the form cannot meet is explained on the form.
    let page = o
        .post(
            "/communities/opening/visibility",
            &[("visibility", "secret")],
        )
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(page.error_links(), vec!["#visibility"]);
    assert_eq!(
        page.attrs("input[name=visibility][checked]", "value"),
        vec!["secret"]
    );
});

test_both!(closing_a_parent_closes_its_open_sub_community, |app| {
    let owner = app.member("Cal Closer").await;
    let mut o = app.signed_in(&owner).await;
    make(&mut o, "parent", "public", "request").await;
    let page = make_sub(&mut o, "parent", "child", "public", "open").await;
    assert_eq!(
        page.location().as_deref(),
        Some("/communities/child?done=created")
    );
    let child = o.follow(&page).await;
    assert_eq!(
        child.texts(".govuk-breadcrumbs__list-item"),
        vec!["Communities", "Community parent", "Community child"]
    );
    let parent = o.get("/communities/parent").await;
    assert_eq!(parent.texts("#subcommunities a"), vec!["Community child"]);

    let page = o
        .post(
            "/communities/parent/visibility",
            &[("visibility", "members")],
        )
        .await;
    assert_eq!(
        page.location().as_deref(),
        Some("/communities/parent?done=visibility&closed=1")
    );
    let home = o.follow(&page).await;
    assert!(
        home.text(".govuk-notification-banner--success")
            .contains("1 sub-community was closed to match")
    );
    assert_eq!(
        o.get("/communities/child").await.text(".app-visibility"),
        "Members only"
    );
    let mut anon = app.browser();
    assert!(
        anon.get("/communities/child")
            .await
            .texts("#activity")
            .is_empty()
    );
});

test_both!(an_archived_community_refuses_joining, |app| {
    let owner = app.member("Arch Owner").await;
    let member = app.member("Jo Joiner").await;
    let mut o = app.signed_in(&owner).await;
    make(&mut o, "archive-me", "public", "open").await;
    let page = o.post("/communities/archive-me/archive", &[]).await;
    assert_eq!(
        page.location().as_deref(),
        Some("/communities/archive-me?done=archived")
    );
    let home = o.follow(&page).await;
    assert_eq!(
        home.text("#archived .govuk-notification-banner__heading"),
        "This community is archived: read-only."
    );
    assert!(!home.texts("#reopen").is_empty());

    let mut m = app.signed_in(&member).await;
    let home = m.get("/communities/archive-me").await;
    assert!(home.texts("#join").is_empty());
    assert!(home.text("#archived").contains("read-only"));
    let page = m.post("/communities/archive-me/join", &[]).await;
    assert_eq!(page.status, 409);
    assert!(
        page.text("main")
            .contains("This community is archived, so it is read-only.")
    );
    assert_eq!(o.get("/communities/archive-me/settings").await.status, 409);

    o.post("/communities/archive-me/reopen", &[]).await;
    let page = m.post("/communities/archive-me/join", &[]).await;
    assert_eq!(
        page.location().as_deref(),
        Some("/communities/archive-me?done=joined")
    );
});

test_both!(deleting_needs_the_web_address_typed, |app| {
    let owner = app.member("Del Owner").await;
    let member = app.member("Del Member").await;
    let mut o = app.signed_in(&owner).await;
    make(&mut o, "doomed", "public", "open").await;
    make_sub(&mut o, "doomed", "doomed-sub", "public", "open").await;
    let mut m = app.signed_in(&member).await;
    m.get("/communities/doomed").await;
    m.post("/communities/doomed/join", &[]).await;
    assert_eq!(m.get("/communities/doomed/delete").await.status, 403);

    let page = o.get("/communities/doomed/delete").await;
    assert_eq!(page.h1(), "Delete Community doomed");
    assert_eq!(
        page.texts("#deletion-summary li"),
        vec![
            "Community doomed and its 2 members' memberships",
            "the sub-community Community doomed-sub"
        ]
    );
    assert_eq!(page.attrs("input#confirm", "name"), vec!["confirm"]);
    let wrong = o
        .post("/communities/doomed/delete", &[("confirm", "doom")])
        .await;
    assert_eq!(wrong.status, 422);
    assert_eq!(wrong.error_summary(), vec!["Type doomed to confirm"]);
    assert_eq!(wrong.attrs("#confirm", "value"), vec!["doom"]);
    assert!(wrong.text("title").starts_with("Error: Delete"));
    assert_eq!(o.get("/communities/doomed").await.status, 200);

    let page = o
        .post("/communities/doomed/delete", &[("confirm", "doomed")])
        .await;
    assert_eq!(
        page.location().as_deref(),
        Some("/communities?done=deleted")
    );
    let dir = o.follow(&page).await;
    assert!(
        dir.text(".govuk-notification-banner--success")
            .contains("The community has been deleted")
    );
    assert_eq!(o.get("/communities/doomed").await.status, 404);
    assert_eq!(o.get("/communities/doomed-sub").await.status, 404);
});

test_both!(
    a_secret_community_is_exactly_as_missing_as_a_missing_one,
    |app| {
        let owner = app.member("Sec Owner").await;
        let outsider = app.member("Out Sider").await;
        let mut o = app.signed_in(&owner).await;
        make(&mut o, "hush", "secret", "invitation").await;
        assert_eq!(o.get("/communities/hush").await.status, 200);

        for (signed_in, mut b) in [
            (true, app.signed_in(&outsider).await),
            (false, app.browser()),
        ] {
            for tail in [
                "",
                "/members",
                "/audit",
                "/request",
                "/settings",
                "/delete",
                "/visibility",
            ] {
                let secret = b.get(&format!("/communities/hush{tail}")).await;
                let missing = b.get(&format!("/communities/no-such-place{tail}")).await;
                if signed_in {
                    assert_eq!(secret.status, 404, "{tail}");
                }
                assert_eq!(secret.status, missing.status, "{tail}");
                assert_eq!(
                    without_csrf(&secret.body),
                    without_csrf(&missing.body),
                    "{tail}"
                );
            }
            let secret = b.post("/communities/hush/join", &[]).await;
            let missing = b.post("/communities/no-such-place/join", &[]).await;
            assert_eq!(secret.status, missing.status);
            assert_eq!(without_csrf(&secret.body), without_csrf(&missing.body));
        }
        let mut b = app.signed_in(&outsider).await;
        let page = b.get("/communities/hush").await;
        assert_eq!(page.status, 404);
        assert_eq!(page.h1(), "Page not found");
    }
);

test_both!(the_directory_lists_what_the_viewer_may_see, |app| {
    let owner = app.member("Dir Owner").await;
    let outsider = app.member("Dir Outsider").await;
    let mut o = app.signed_in(&owner).await;
    make(&mut o, "dir-public", "public", "open").await;
    make(&mut o, "dir-members", "members", "open").await;
    make(&mut o, "dir-private", "private", "request").await;
    make(&mut o, "dir-secret", "secret", "invitation").await;

    let names = |p: &Page| {
        let mut n = p.texts("#results h2 a");
        n.sort();
        n
    };
    let mut b = app.signed_in(&outsider).await;
    let dir = b.get("/communities?sort=name").await;
    assert_eq!(
        names(&dir),
        vec![
            "Community dir-members",
            "Community dir-private",
            "Community dir-public"
        ]
    );
    assert_eq!(dir.text("#result-count"), "3 communities");
    assert_eq!(
        dir.texts(".app-visibility"),
        vec!["Members only", "Private", "Public"]
    );
    assert!(!dir.body.contains("dir-secret"));
    // A private one shows outsiders its name and purpose, not its members.
    assert_eq!(dir.texts(".app-member-count"), vec!["1 member", "1 member"]);
    // Searching cannot find it either.
    let found = b.get("/communities?q=dir-secret").await;
    assert!(found.texts("#results h2 a").is_empty());
    assert!(found.text("#empty").contains("No communities match"));

    let mine = o.get("/communities").await;
    assert_eq!(names(&mine).len(), 4);
    assert!(names(&mine).contains(&"Community dir-secret".to_string()));
    // Filters: visibility and tags.
    let only = o.get("/communities?visibility=private").await;
    assert_eq!(names(&only), vec!["Community dir-private"]);
    assert!(
        o.get("/communities")
            .await
            .texts("#popular-tags a")
            .contains(&"housing".to_string())
    );
    let tagged = b.get("/communities?tag=housing").await;
    assert_eq!(names(&tagged).len(), 3);
    let none = b.get("/communities?tag=nothing-like-it").await;
    assert!(none.text("#empty").contains("No communities match"));
});

test_both!(the_directory_pages_through_many_communities, |app| {
    let owner = app.member("Many Owner").await;
    let mut o = app.signed_in(&owner).await;
    for i in 0..23 {
        make(&mut o, &format!("many-{i:02}"), "public", "open").await;
    }
    let mut anon = app.browser();
    let first = anon.get("/communities?sort=name").await;
    assert_eq!(first.text("#result-count"), "23 communities");
    let names = first.texts("#results h2 a");
    assert_eq!(names.len(), 20);
    assert_eq!(names[0], "Community many-00");
    assert_eq!(first.texts(".govuk-pagination__item a"), vec!["1", "2"]);
    assert_eq!(
        first.attrs(".govuk-pagination__item--current a", "aria-current"),
        vec!["page"]
    );
    let next = first.attrs(".govuk-pagination__next a", "href");
    assert_eq!(next, vec!["/communities?sort=name&page=2"]);
    let second = anon.get(&next[0]).await;
    assert_eq!(
        second.texts("#results h2 a"),
        vec![
            "Community many-20",
            "Community many-21",
            "Community many-22"
        ]
    );
    assert_eq!(
        second.attrs(".govuk-pagination__prev a", "href"),
        vec!["/communities?sort=name&page=1"]
    );
    assert!(second.texts(".govuk-pagination__next").is_empty());
    assert!(second.text("title").contains("page 2 of 2"));
    // A nonsense page number is the first page, not an error.
    assert_eq!(
        anon.get("/communities?page=abc")
            .await
            .texts("#results h2 a")
            .len(),
        20
    );
});

test_both!(new_communities_wait_in_the_admin_queue_when_asked, |app| {
    let admin = app.admin("Ada Admin").await;
    let member = app.member("Quinn Queue").await;
    let mut a = app.signed_in(&admin).await;
    let index = a.get("/admin").await;
    assert_eq!(
        index.attrs("#admin-sections a", "href"),
        vec![
            "/admin/communities",
            "/admin/flags",
            "/admin/service-areas",
            "/admin/sources"
        ]
    );
    let page = a.get("/admin/communities").await;
    assert!(
        page.text("#no-pending")
            .contains("No communities are waiting")
    );
    assert!(page.attrs("#require_approval[checked]", "value").is_empty());
    let page = a
        .post(
            "/admin/communities/settings",
            &[("require_approval", "yes")],
        )
        .await;
    assert_eq!(
        page.location().as_deref(),
        Some("/admin/communities?done=settings")
    );
    assert_eq!(
        a.follow(&page)
            .await
            .attrs("#require_approval[checked]", "value"),
        vec!["yes"]
    );

    let mut m = app.signed_in(&member).await;
    let page = create(&mut m, "queued", "public", "open").await;
    assert_eq!(
        page.location().as_deref(),
        Some("/communities/new/requested")
    );
    let waiting = m.follow(&page).await;
    assert_eq!(waiting.h1(), "Your community is waiting for approval");
    assert!(
        waiting
            .text("main")
            .contains("an administrator will review")
            || waiting
                .text("main")
                .contains("A site administrator will review")
    );
    assert_eq!(m.get("/communities/queued").await.status, 404);

    let queue = a.get("/admin/communities").await;
    assert!(queue.text("#pending").contains("Community queued"));
    // Members cannot approve.
    assert_eq!(
        m.post("/admin/communities/queued/approve", &[])
            .await
            .status,
        403
    );
    let page = a.post("/admin/communities/queued/approve", &[]).await;
    assert_eq!(
        page.location().as_deref(),
        Some("/admin/communities?done=approved")
    );
    assert!(
        a.follow(&page)
            .await
            .text("#no-pending")
            .contains("No communities")
    );
    assert_eq!(
        a.post("/admin/communities/queued/approve", &[])
            .await
            .status,
        409
    );

    let home = m.get("/communities/queued").await;
    assert_eq!(home.status, 200);
    assert_eq!(home.text("#my-role"), "You are the owner");
    let mail = app.emails_to(&member.email).await;
    assert!(
        mail.iter()
            .any(|e| e.subject == "Your community Community queued" && e.body.contains("is ready"))
    );

    // Switching it off lets the next one through at once.
    a.post("/admin/communities/settings", &[]).await;
    let page = create(&mut m, "straight", "public", "open").await;
    assert_eq!(
        page.location().as_deref(),
        Some("/communities/straight?done=created")
    );
});

test_both!(break_glass_is_recorded_for_the_facilitators_to_see, |app| {
    let admin = app.admin("Bea Admin").await;
    let owner = app.member("Gil Guard").await;
    let mut o = app.signed_in(&owner).await;
    make(&mut o, "guarded", "private", "request").await;

    let mut a = app.signed_in(&admin).await;
    // Metadata only on the admin page, and nothing inside without a grant.
    let meta = a.get("/admin/communities?slug=guarded").await;
    assert_eq!(meta.text("#found-name"), "Community guarded");
    assert!(meta.text("#metadata").contains("Private"));
    assert!(!meta.body.contains("housing officers"));
    let missing = a.get("/admin/communities?slug=nowhere").await;
    assert!(
        missing
            .text("#not-found")
            .contains("No community has the web address")
    );
    assert_eq!(a.get("/communities/guarded/members").await.status, 404);
    assert!(
        a.get("/communities/guarded")
            .await
            .texts("#activity")
            .is_empty()
    );
    // Members cannot ask for access.
    assert_eq!(
        o.get("/admin/communities/guarded/break-glass").await.status,
        403
    );

    let form = a.get("/admin/communities/guarded/break-glass").await;
    assert_eq!(form.h1(), "Break-glass access");
    assert_eq!(form.attrs("#minutes", "value"), vec!["60"]);
    let short = a
        .post(
            "/admin/communities/guarded/break-glass",
            &[("reason", "because"), ("minutes", "60")],
        )
        .await;
    assert_eq!(short.status, 422);
    assert_eq!(
        short.error_summary(),
        vec!["Explain why you need access, in at least 20 characters"]
    );
    assert_eq!(short.attrs("#minutes", "value"), vec!["60"]);
    let reason = "Police request 4471 about a safeguarding concern";
    let page = a
        .post(
            "/admin/communities/guarded/break-glass",
            &[("reason", reason), ("minutes", "30")],
        )
        .await;
    assert_eq!(
        page.location().as_deref(),
        Some("/communities/guarded?done=access")
    );
    let home = a.follow(&page).await;
    assert!(
        home.text("#break-glass")
            .contains("recorded in its audit log")
    );
    assert!(!home.texts("#activity").is_empty());
    assert_eq!(a.get("/communities/guarded/members").await.status, 200);

    // The facilitator sees the grant, its reason and the pages opened, and was emailed.
    let audit = o.get("/communities/guarded/audit").await;
    assert_eq!(audit.status, 200);
    let grant = audit.text("tr[data-action='break_glass.grant']");
    assert!(
        grant.contains("Site administrator Bea Admin was given read access for 30 minutes"),
        "{grant}"
    );
    assert!(grant.contains(reason));
    let views = audit.texts("tr[data-action='break_glass.view']");
    assert!(
        views
            .iter()
            .any(|v| v.contains("opened the community home page")),
        "{views:?}"
    );
    assert!(
        views.iter().any(|v| v.contains("opened the members list")),
        "{views:?}"
    );
    let mail = app.emails_to(&owner.email).await;
    assert!(
        mail.iter()
            .any(|m| m.subject.contains("has been given access") && m.body.contains(reason))
    );
});

test_both!(settings_are_saved_or_explained, |app| {
    let owner = app.member("Set Owner").await;
    let member = app.member("Set Member").await;
    let mut o = app.signed_in(&owner).await;
    make(&mut o, "settled", "private", "request").await;
    let form = o.get("/communities/settled/settings").await;
    assert_eq!(form.h1(), "Settings");
    assert_eq!(form.attrs("#name", "value"), vec!["Community settled"]);
    assert_eq!(form.attrs("#tags", "value"), vec!["homelessness, housing"]);
    assert_eq!(
        form.attrs("input[name=join_policy][checked]", "value"),
        vec!["request"]
    );
    assert_eq!(
        form.attrs("input[name=tools][checked]", "value"),
        vec!["forum", "wiki"]
    );
    assert!(
        form.attrs("#slug", "value").is_empty(),
        "the web address is not a setting"
    );

    let bad = o
        .post(
            "/communities/settled/settings",
            &[
                ("name", " "),
                ("purpose", "Kept purpose"),
                ("join_policy", "open"),
                ("tags", "a, b"),
                ("tools", "blog"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(
        bad.error_summary(),
        vec![
            "Enter a name for the community",
            "People join a private community by request or invitation"
        ]
    );
    assert_eq!(bad.error_links(), vec!["#name", "#join_policy"]);
    assert_eq!(bad.text("#purpose"), "Kept purpose");
    assert_eq!(
        bad.attrs("input[name=tools][checked]", "value"),
        vec!["blog"]
    );

    let page = o
        .post(
            "/communities/settled/settings",
            &[
                ("name", "Settled in"),
                ("purpose", "New purpose"),
                ("join_policy", "invitation"),
                ("tags", "Planning"),
                ("tools", "events"),
            ],
        )
        .await;
    assert_eq!(
        page.location().as_deref(),
        Some("/communities/settled?done=settings")
    );
    let home = o.follow(&page).await;
    assert_eq!(home.h1(), "Settled in");
    assert_eq!(home.text("#purpose"), "New purpose");
    assert_eq!(home.texts("#tags a"), vec!["planning"]);
    assert_eq!(home.text("#tools"), "Events calendar");

    // Only facilitators see or save settings.
    let mut m = app.signed_in(&member).await;
    assert_eq!(m.get("/communities/settled/settings").await.status, 403);
    let refused = m
        .post("/communities/settled/settings", &[("name", "Mine now")])
        .await;
    assert_eq!(refused.status, 403);
});

test_both!(a_request_declined_with_a_reason, |app| {
    let owner = app.member("Dee Decider").await;
    let asker = app.member("Ray Refused").await;
    let mut o = app.signed_in(&owner).await;
    make(&mut o, "choosy", "members", "request").await;
    let mut r = app.signed_in(&asker).await;
    r.get("/communities/choosy/request").await;
    r.post("/communities/choosy/request", &[("message", "")])
        .await;

    let queue = o.get("/communities/choosy/requests").await;
    let decline = queue.attrs("form[action$='/decline']", "action")[0].clone();
    let long = "y".repeat(1001);
    let page = o.post(&decline, &[("reason", &long)]).await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.error_summary(),
        vec!["Reason must be 1,000 characters or fewer"]
    );
    assert_eq!(page.error_links(), vec!["#reason"]);
    assert_eq!(page.text("textarea#reason").len(), 1001);
    assert_eq!(page.attrs("details[open]", "class").len(), 1);

    let page = o
        .post(
            &decline,
            &[("reason", "This group is for enforcement officers only.")],
        )
        .await;
    assert_eq!(
        page.location().as_deref(),
        Some("/communities/choosy/requests?done=declined")
    );
    let mail = app.emails_to(&asker.email).await;
    assert!(
        mail.iter().any(
            |m| m.body.contains("was declined") && m.body.contains("enforcement officers only")
        )
    );
    let home = r.get("/communities/choosy").await;
    assert!(home.texts("#asked").is_empty());
    assert!(home.texts("#my-role").is_empty());
});

test_both!(moving_a_community_from_the_page, |app| {
    let owner = app.member("Moe Ving").await;
    let mut o = app.signed_in(&owner).await;
    make(&mut o, "outer-ring", "private", "request").await;
    make(&mut o, "inner-ring", "private", "request").await;
    let form = o.get("/communities/inner-ring/move").await;
    assert_eq!(form.h1(), "Move this community");
    let moved = o
        .post("/communities/inner-ring/move", &[("parent", "outer-ring")])
        .await;
    assert_eq!(moved.location().as_deref(), Some("/communities/inner-ring"));
    let home = o.follow(&moved).await;
    assert!(
        home.text(".govuk-breadcrumbs").contains("outer-ring")
            || home.text(".govuk-breadcrumbs").contains("Outer")
    );
    // Into its own sub-community: a cycle, refused with the error summary, value kept.
    let refused = o
        .post("/communities/outer-ring/move", &[("parent", "inner-ring")])
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.error_links(), vec!["#parent"]);
    assert_eq!(refused.attrs("#parent", "value"), vec!["inner-ring"]);
    // Someone who does not run it cannot move it.
    let other = app.member("Not Runner").await;
    let mut n = app.signed_in(&other).await;
    assert_eq!(n.get("/communities/inner-ring/move").await.status, 403);
});
