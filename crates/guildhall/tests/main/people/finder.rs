//! The people finder: words and filters, keyset pages, hidden fields never
//! matched, suspended members gone, any punctuation answered; the page and
//! the API.

use crate::leaks::world::viewer_of;
use axum::http::Method;
use guildhall_domain::accounts::{self, NewMemberInput};
use guildhall_domain::core::profile::Field;
use guildhall_domain::core::{MemberId, OrganisationId, ServiceAreaId, Viewer};
use guildhall_domain::people::finder::{self, FinderQuery};
use guildhall_domain::people::terms::Source;
use guildhall_domain::policy;
use guildhall_domain::store::people::ProfileChanges;
use guildhall_testkit::*;

/// A member to build, with their profile.
#[derive(Default, Clone, Copy)]
pub(super) struct Person<'a> {
    pub name: &'a str,
    /// The organisation's code in the register.
    pub org: &'a str,
    pub job: &'a str,
    /// Service area names.
    pub areas: &'a [&'a str],
    pub expertise: &'a [&'a str],
    pub responsibilities: &'a str,
    /// Fields shown to nobody (beyond the email address).
    pub hidden: &'a [Field],
}

/// Creates an active member with this profile, indexed as saving it would.
pub(super) async fn person(app: &TestApp, p: Person<'_>) -> TestMember {
    let email = format!("{}@example.gov.uk", p.name.to_lowercase().replace(' ', "."));
    let id = accounts::create_member(
        &app.ctx,
        &NewMemberInput {
            email: email.clone(),
            name: p.name.into(),
            organisation_code: p.org.into(),
            job_title: p.job.into(),
            is_admin: false,
            password: Some(PASSWORD.into()),
        },
    )
    .await
    .expect("member");
    set_profile(app, id, p).await;
    TestMember {
        id,
        email,
        name: p.name.into(),
        password: PASSWORD.into(),
    }
}

/// Saves a profile and its index terms straight into the store.
pub(super) async fn set_profile(app: &TestApp, id: MemberId, p: Person<'_>) {
    let store = &app.ctx.store;
    let all = store.service_areas().await.unwrap();
    let areas: Vec<ServiceAreaId> = p
        .areas
        .iter()
        .map(|name| {
            all.iter()
                .find(|a| a.name == *name)
                .unwrap_or_else(|| panic!("no service area {name}"))
                .id
        })
        .collect();
    let expertise: Vec<String> = p.expertise.iter().map(|t| t.to_string()).collect();
    let hidden = p
        .hidden
        .iter()
        .fold(Field::Email.bit(), |bits, f| bits | f.bit());
    let mut row = store.profile_of(id).await.unwrap();
    row.job_title = p.job.into();
    row.responsibilities = p.responsibilities.into();
    row.hidden_fields = hidden;
    row.public_fields = 0;
    let terms = Source {
        profile: &row,
        areas: &areas,
        expertise: &expertise,
    }
    .index_terms();
    store
        .save_profile(
            id,
            &ProfileChanges {
                job_title: p.job,
                responsibilities: p.responsibilities,
                bio: "",
                contact: "",
                public_fields: 0,
                hidden_fields: hidden,
                service_areas: &areas,
                expertise: &expertise,
            },
            &terms,
        )
        .await
        .unwrap();
}

pub(super) async fn organisation(app: &TestApp, code: &str) -> OrganisationId {
    app.ctx.store.organisation_by_code(code).await.unwrap().id
}

pub(super) async fn area(app: &TestApp, name: &str) -> ServiceAreaId {
    let all = app.ctx.store.service_areas().await.unwrap();
    all.into_iter().find(|a| a.name == name).unwrap().id
}

pub(super) async fn suspend(app: &TestApp, member: MemberId) {
    let admin = app.admin("Ada Admin").await;
    let admin_v = viewer_of(&app.ctx, admin.id).await;
    accounts::suspend_member(&app.ctx, policy::admin(&admin_v).unwrap(), member)
        .await
        .unwrap();
}

async fn names(app: &TestApp, viewer: &Viewer, query: &FinderQuery) -> Vec<String> {
    finder::search(&app.ctx, viewer, query)
        .await
        .unwrap()
        .people
        .into_iter()
        .map(|p| p.name)
        .collect()
}

fn words(q: &str) -> FinderQuery {
    FinderQuery {
        q: q.into(),
        ..FinderQuery::default()
    }
}

const LEEDS: &str = "E08000035";
const KENT: &str = "E10000016";
const DEVON: &str = "E10000008";
const MANCHESTER: &str = "E08000003";

test_both!(the_finder_matches_words_and_filters, |app| {
    let viewer = person(
        &app,
        Person {
            name: "Vera Viewer",
            org: LEEDS,
            job: "Policy officer",
            ..Person::default()
        },
    )
    .await;
    let v = viewer_of(&app.ctx, viewer.id).await;
    person(
        &app,
        Person {
            name: "Rory Rough",
            org: KENT,
            job: "Outreach lead",
            areas: &["Homelessness"],
            expertise: &["rough sleeping"],
            responsibilities: "Street outreach for people sleeping rough",
            ..Person::default()
        },
    )
    .await;
    person(
        &app,
        Person {
            name: "Devi Devon",
            org: DEVON,
            job: "Homelessness prevention officer",
            areas: &["Homelessness", "Housing"],
            responsibilities: "Prevention duty casework",
            ..Person::default()
        },
    )
    .await;
    person(
        &app,
        Person {
            name: "Manny Manchester",
            org: MANCHESTER,
            job: "Planning officer",
            areas: &["Planning"],
            ..Person::default()
        },
    )
    .await;
    // Everything that would match is hidden from members.
    person(
        &app,
        Person {
            name: "Hal Hidden",
            org: KENT,
            job: "Clerk",
            areas: &["Homelessness"],
            expertise: &["rough sleeping"],
            responsibilities: "Rough sleeping counts",
            hidden: &[
                Field::Organisation,
                Field::Region,
                Field::ServiceAreas,
                Field::Expertise,
                Field::Responsibilities,
            ],
        },
    )
    .await;

    // Words of the job title, responsibilities, expertise and name, stemmed.
    assert_eq!(
        names(&app, &v, &words("rough sleeping")).await,
        ["Rory Rough"]
    );
    assert_eq!(names(&app, &v, &words("Sleeps")).await, ["Rory Rough"]);
    assert_eq!(names(&app, &v, &words("prevention")).await, ["Devi Devon"]);
    assert_eq!(
        names(&app, &v, &words("manchester")).await,
        ["Manny Manchester"]
    );
    assert_eq!(names(&app, &v, &words("hidden")).await, ["Hal Hidden"]);
    // Every word must match.
    assert!(
        names(&app, &v, &words("outreach planning"))
            .await
            .is_empty()
    );
    assert!(names(&app, &v, &words("zebra")).await.is_empty());

    // Filters alone, and with words.
    let by_area = FinderQuery {
        service_area: Some(area(&app, "Homelessness").await),
        ..FinderQuery::default()
    };
    assert_eq!(
        names(&app, &v, &by_area).await,
        ["Rory Rough", "Devi Devon"]
    );
    let by_org = FinderQuery {
        organisation: Some(organisation(&app, KENT).await),
        ..FinderQuery::default()
    };
    assert_eq!(names(&app, &v, &by_org).await, ["Rory Rough"]);
    let by_kind = FinderQuery {
        kind: Some("county council".into()),
        ..FinderQuery::default()
    };
    assert_eq!(
        names(&app, &v, &by_kind).await,
        ["Rory Rough", "Devi Devon"]
    );
    let by_kind_and_words = FinderQuery {
        q: "prevention".into(),
        kind: Some("County council".into()),
        ..FinderQuery::default()
    };
    assert_eq!(names(&app, &v, &by_kind_and_words).await, ["Devi Devon"]);
    let by_region = FinderQuery {
        region: Some("South West".into()),
        ..FinderQuery::default()
    };
    assert_eq!(names(&app, &v, &by_region).await, ["Devi Devon"]);
    let wrong_region = FinderQuery {
        q: "rough".into(),
        region: Some("North West".into()),
        ..FinderQuery::default()
    };
    assert!(names(&app, &v, &wrong_region).await.is_empty());

    // Hal's hidden fields match nothing: not his expertise, responsibilities,
    // service area, organisation or region.
    for q in [
        words("counts"),
        FinderQuery {
            q: "clerk".into(),
            service_area: Some(area(&app, "Homelessness").await),
            ..FinderQuery::default()
        },
        FinderQuery {
            q: "clerk".into(),
            organisation: Some(organisation(&app, KENT).await),
            ..FinderQuery::default()
        },
        FinderQuery {
            q: "clerk".into(),
            region: Some("South East".into()),
            ..FinderQuery::default()
        },
    ] {
        assert!(names(&app, &v, &q).await.is_empty(), "{q:?}");
    }
    assert_eq!(names(&app, &v, &words("clerk")).await, ["Hal Hidden"]);

    // Suspended members vanish.
    let rory = app
        .ctx
        .store
        .profile_by_handle("rory-rough")
        .await
        .unwrap()
        .unwrap();
    suspend(&app, rory.id).await;
    assert!(names(&app, &v, &words("rough sleeping")).await.is_empty());
    assert_eq!(names(&app, &v, &by_area).await, ["Devi Devon"]);

    // Visitors may not search.
    assert!(matches!(
        finder::search(&app.ctx, &Viewer::Anonymous, &words("rough")).await,
        Err(guildhall_domain::Error::Unauthenticated)
    ));
});

test_both!(the_finder_pages_by_member_id, |app| {
    let viewer = app.member("Vera Viewer").await;
    let v = viewer_of(&app.ctx, viewer.id).await;
    let mut made = Vec::new();
    for i in 0..45 {
        let name = format!("Pat Planner{i:02}");
        let m = person(
            &app,
            Person {
                name: &name,
                org: KENT,
                job: "Planning officer",
                areas: &["Planning"],
                ..Person::default()
            },
        )
        .await;
        made.push(m.id);
    }
    let mut query = words("planning");
    let mut seen: Vec<MemberId> = Vec::new();
    let mut pages = 0;
    loop {
        let found = finder::search(&app.ctx, &v, &query).await.unwrap();
        pages += 1;
        assert!(found.people.len() <= finder::PAGE);
        seen.extend(found.people.iter().map(|p| p.id));
        match found.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, made, "every planner once, in member order");

    // The page: a Next link that carries the filters, and no next on the last.
    let mut b = app.signed_in(&viewer).await;
    let page = b.get("/people?q=planning&kind=county+council").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.texts("#results h2 a").len(), 20);
    let next = page.attrs("#next-page", "href");
    assert_eq!(next.len(), 1);
    assert!(next[0].contains("q=planning") && next[0].contains("kind=county+council"));
    let page = b.get(&next[0]).await;
    assert_eq!(page.texts("#results h2 a")[0], "Pat Planner20");
    assert_eq!(page.attrs("#first-page", "href").len(), 1);
    let last = b.get(&page.attrs("#next-page", "href")[0]).await;
    assert_eq!(last.texts("#results h2 a").len(), 5);
    assert!(last.attrs("#next-page", "href").is_empty());

    // The API pages the same way.
    let token = app.token(&viewer).await;
    let first = b
        .api(Method::GET, "/api/v1/people?q=planning", Some(&token), None)
        .await;
    assert_eq!(first.status, 200, "{}", first.body);
    let json = first.json();
    assert_eq!(json["items"].as_array().unwrap().len(), 20);
    let after = json["next_after"].as_i64().unwrap();
    let second = b
        .api(
            Method::GET,
            &format!("/api/v1/people?q=planning&organisation=&after={after}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(second.json()["items"][0]["name"], "Pat Planner20");
});

test_both!(any_query_is_answered_and_bad_values_are_explained, |app| {
    let viewer = app.member("Vera Viewer").await;
    let mut b = app.signed_in(&viewer).await;
    for q in [
        "%22",
        "'%3B+DROP+TABLE+members%3B+--",
        "*+OR+1%3D1",
        "%28%29",
        "%25_",
        "-",
        "the+and+of",
        "%F0%9F%8F%A0",
        "a",
    ] {
        let page = b.get(&format!("/people?q={q}")).await;
        assert_eq!(page.status, 200, "{q}: {}", page.body);
        assert_eq!(page.attrs("#empty", "id").len(), 1, "{q}");
    }
    let long = "housing+".repeat(300);
    assert_eq!(b.get(&format!("/people?q={long}")).await.status, 200);

    // Nothing asked: a prompt, and the newest members.
    let page = b.get("/people").await;
    assert_eq!(page.h1(), "Find people");
    assert_eq!(page.attrs("#prompt", "id").len(), 1);
    assert_eq!(
        page.attrs("#like-me-link", "href"),
        ["/people/vera-viewer/similar"]
    );
    assert!(page.texts("#newest a").contains(&"Vera Viewer".to_string()));

    // A made-up organisation: the error summary, not a failure.
    let page = b.get("/people?organisation=leeds&service_area=x").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.error_summary(),
        [
            "Choose an organisation from the list",
            "Choose a service area from the list"
        ]
    );
    // An organisation that does not exist finds nobody.
    let page = b.get("/people?organisation=999999").await;
    assert_eq!(page.attrs("#empty", "id").len(), 1);

    // Visitors are sent to sign in; the API wants a token.
    assert_eq!(app.browser().get("/people?q=housing").await.status, 303);
    let mut anon = app.browser();
    let page = anon
        .api(Method::GET, "/api/v1/people?q=x", None, None)
        .await;
    assert_eq!(page.status, 401);
    assert_eq!(
        page.header("content-type").as_deref(),
        Some("application/problem+json")
    );
    let token = app.token(&viewer).await;
    let page = anon
        .api(
            Method::GET,
            "/api/v1/people?organisation=leeds",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(page.status, 400);
    let page = anon
        .api(
            Method::GET,
            "/api/v1/people?q=%22%27%3B--",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(page.status, 200);
});

// Two words that rarely meet: a page looks at a bounded number of the members
// holding the rarer one, stops short, and its next page goes on from there,
// so no search walks every member (at 2 million members, one did for seconds).
test_both!(a_search_walks_a_bounded_number_of_members_a_page, |app| {
    let mut made = Vec::new();
    for i in 0..6 {
        let job = if i == 4 {
            "Planning officer"
        } else {
            "Planning manager"
        };
        let name = format!("Pat Planner{i:02}");
        let m = person(
            &app,
            Person {
                name: &name,
                org: KENT,
                job,
                areas: &["Planning"],
                ..Person::default()
            },
        )
        .await;
        made.push(m.id);
    }
    let store = &app.ctx.store;
    let terms = store
        .terms(&["w:plan".to_string(), "w:offic".to_string()])
        .await
        .unwrap();
    let id = |t: &str| terms.iter().find(|r| r.term == t).expect(t).id;
    let (plan, officer) = (id("w:plan"), id("w:offic"));
    let all = [plan, officer];
    // Walking 3 planners finds no officer; the walk stopped at the third.
    let (first, stopped) = store
        .members_with_all(&all, MemberId(0), 21, 3)
        .await
        .unwrap();
    assert!(first.is_empty(), "{first:?}");
    let stop = store.nth_posting(plan, MemberId(0), 3).await.unwrap();
    assert_eq!(stop, Some(made[2]));
    assert_eq!(stopped, stop);
    // The next walk, after it, finds the officer (the fifth planner).
    let (second, _) = store.members_with_all(&all, made[2], 21, 3).await.unwrap();
    assert_eq!(second, vec![made[4]]);
    // Past the end there is nowhere to stop.
    assert_eq!(store.nth_posting(plan, made[2], 4).await.unwrap(), None);
    // A walk long enough finds them all.
    let (whole, _) = store
        .members_with_all(&[plan], MemberId(0), 21, 5000)
        .await
        .unwrap();
    assert_eq!(whole, made);
    // One term is walked to the page's end, whatever the walk: each member
    // it meets is on the page.
    let (one, stopped) = store
        .members_with_all(&[plan], MemberId(0), 21, 3)
        .await
        .unwrap();
    assert_eq!(one, made);
    assert_eq!(stopped, None);
});
