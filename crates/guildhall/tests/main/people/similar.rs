//! "People like me" on a small world where the right answer is known, and
//! the communities recommended from it: rare things shared count most,
//! reasons name only what the viewer may see, a private community the viewer
//! is not in is never counted, secret and joined communities are never
//! suggested.

use super::finder::{Person, person, suspend};
use crate::leaks::world::viewer_of;
use axum::http::Method;
use guildhall_domain::communities::{self, CommunityForm};
use guildhall_domain::core::Viewer;
use guildhall_domain::core::profile::Field;
use guildhall_domain::people::recommend::{self, Join};
use guildhall_domain::people::similar::{self, Likeness, Options};
use guildhall_testkit::*;

const LEEDS: &str = "E08000035";
const KENT: &str = "E10000016";
const DEVON: &str = "E10000008";
const MANCHESTER: &str = "E08000003";
const BIRMINGHAM: &str = "E08000025";
const BRISTOL: &str = "E06000023";

async fn community(
    app: &TestApp,
    owner: &Viewer,
    slug: &str,
    visibility: &str,
    join_policy: &str,
    tags: &str,
) {
    let form = CommunityForm {
        slug: slug.into(),
        name: format!("Community {slug}"),
        purpose: "Sharing what works.".into(),
        visibility: visibility.into(),
        join_policy: join_policy.into(),
        tags: tags.into(),
        tools: vec!["forum".into()],
    };
    communities::create_community(&app.ctx, owner, &form, None)
        .await
        .expect("community");
}

/// `by` invites `who` into `slug`, who accepts.
async fn invite(app: &TestApp, by: &Viewer, slug: &str, who: &TestMember) {
    let who_v = viewer_of(&app.ctx, who.id).await;
    communities::invite(&app.ctx, by, slug, &who.email)
        .await
        .unwrap();
    let invitation = communities::pending_invitations(&app.ctx, &who_v)
        .await
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    communities::respond_to_invitation(&app.ctx, &who_v, invitation.id, true)
        .await
        .unwrap();
}

const TARA: Person = Person {
    name: "Tara Target",
    org: LEEDS,
    job: "Housing options manager",
    areas: &["Homelessness", "Housing"],
    expertise: &["rough sleeping", "temporary accommodation"],
    responsibilities: "Temporary accommodation placements and rough sleeping outreach",
    hidden: &[],
};

/// The world: Tara, her colleague Cora (the same work, the same council),
/// Rory (rough sleeping in Kent), three people sharing only housing, Hal
/// (whose matching fields are hidden), Sam (suspended) and Vera (who shares
/// nothing). Tara and Rory share a public and a private community.
struct World {
    tara: TestMember,
    rory: TestMember,
    vera: TestMember,
}

async fn world(app: &TestApp) -> World {
    let tara = person(app, TARA).await;
    person(
        app,
        Person {
            name: "Cora Colleague",
            ..TARA
        },
    )
    .await;
    let rory = person(
        app,
        Person {
            name: "Rory Rare",
            org: KENT,
            job: "Outreach lead",
            areas: &["Homelessness"],
            expertise: &["rough sleeping"],
            responsibilities: "Street outreach",
            hidden: &[],
        },
    )
    .await;
    for (name, org) in [
        ("Hugo Manchester", MANCHESTER),
        ("Hugo Birmingham", BIRMINGHAM),
        ("Hugo Devon", DEVON),
    ] {
        person(
            app,
            Person {
                name,
                org,
                job: "Lettings officer",
                areas: &["Housing"],
                ..Person::default()
            },
        )
        .await;
    }
    person(
        app,
        Person {
            name: "Hal Hidden",
            org: DEVON,
            job: "Clerk",
            areas: &["Homelessness"],
            expertise: &["temporary accommodation", "rough sleeping"],
            responsibilities: "Temporary accommodation placements",
            hidden: &[
                Field::ServiceAreas,
                Field::Expertise,
                Field::Responsibilities,
                Field::Organisation,
            ],
        },
    )
    .await;
    let sam = person(
        app,
        Person {
            name: "Sam Suspended",
            org: KENT,
            ..TARA
        },
    )
    .await;
    suspend(app, sam.id).await;
    let vera = person(
        app,
        Person {
            name: "Vera Viewer",
            org: BRISTOL,
            job: "Policy officer",
            ..Person::default()
        },
    )
    .await;
    let tara_v = viewer_of(&app.ctx, tara.id).await;
    let rory_v = viewer_of(&app.ctx, rory.id).await;
    community(app, &tara_v, "homelessness-network", "public", "open", "").await;
    communities::join(&app.ctx, &rory_v, "homelessness-network")
        .await
        .unwrap();
    community(
        app,
        &tara_v,
        "outreach-circle",
        "private",
        "request",
        "rough sleeping",
    )
    .await;
    invite(app, &tara_v, "outreach-circle", &rory).await;
    World { tara, rory, vera }
}

fn names(found: &Likeness) -> Vec<&str> {
    found
        .people
        .iter()
        .map(|s| s.person.name.as_str())
        .collect()
}

fn reason(found: &Likeness, name: &str) -> String {
    found
        .people
        .iter()
        .find(|s| s.person.name == name)
        .map(|s| s.reasons.sentence())
        .unwrap_or_else(|| panic!("{name} not ranked"))
}

test_both!(rare_shared_expertise_ranks_first_with_reasons, |app| {
    let w = world(&app).await;
    let tara_v = viewer_of(&app.ctx, w.tara.id).await;
    let vera_v = viewer_of(&app.ctx, w.vera.id).await;

    // Tara, leaving out her own council: Rory first (rare expertise,
    // homelessness, outreach), then those sharing housing and the kind of
    // council, then housing alone. Hal's hidden fields count for nothing;
    // Sam is suspended; Vera shares nothing.
    let mine = Options {
        exclude_own_organisation: true,
        page: 1,
    };
    let found = similar::like(&app.ctx, &tara_v, "tara-target", &mine)
        .await
        .unwrap();
    assert!(found.own && found.excluded_own_organisation);
    assert_eq!(
        names(&found),
        [
            "Rory Rare",
            "Hugo Manchester",
            "Hugo Birmingham",
            "Hugo Devon"
        ]
    );
    assert_eq!(
        reason(&found, "Rory Rare"),
        "Shares: homelessness, rough sleeping, outreach; 2 communities in common"
    );
    assert_eq!(
        reason(&found, "Hugo Manchester"),
        "Shares: housing; also works at a metropolitan district"
    );
    assert_eq!(reason(&found, "Hugo Devon"), "Shares: housing");

    // With her own council: Cora, who does the same work, comes first.
    let all = similar::like(&app.ctx, &tara_v, "tara-target", &Options::default())
        .await
        .unwrap();
    assert_eq!(names(&all)[..2], ["Cora Colleague", "Rory Rare"]);
    assert!(!names(&all).contains(&"Tara Target"), "never oneself");

    // Vera looks at people like Tara: the private community she is not in
    // is neither counted nor named.
    let theirs = similar::like(&app.ctx, &vera_v, "tara-target", &mine)
        .await
        .unwrap();
    assert!(!theirs.own);
    assert_eq!(names(&theirs)[0], "Rory Rare");
    assert_eq!(
        reason(&theirs, "Rory Rare"),
        "Shares: homelessness, rough sleeping, outreach; 1 community in common"
    );
    for s in &theirs.people {
        let r = s.reasons.sentence();
        assert!(
            !r.contains("outreach-circle") && !r.contains("2 communities"),
            "{r}"
        );
        assert_ne!(s.person.name, "Hal Hidden");
        assert_ne!(s.person.name, "Sam Suspended");
    }

    // People like Hal: only his job title is shown, and nobody shares it;
    // his organisation is hidden, so leaving it out is not offered.
    let hal = similar::like(&app.ctx, &vera_v, "hal-hidden", &mine)
        .await
        .unwrap();
    assert!(hal.people.is_empty(), "{:?}", names(&hal));
    assert!(!hal.can_exclude && !hal.excluded_own_organisation);

    // Unknown or suspended: missing. Visitors: sign in.
    for handle in ["nobody-here", "sam-suspended"] {
        assert!(matches!(
            similar::like(&app.ctx, &tara_v, handle, &mine).await,
            Err(guildhall_domain::Error::NotFound)
        ));
    }
    assert!(matches!(
        similar::like(&app.ctx, &Viewer::Anonymous, "tara-target", &mine).await,
        Err(guildhall_domain::Error::Unauthenticated)
    ));
});

test_both!(the_similar_page_and_api, |app| {
    let w = world(&app).await;

    // One's own: "People like you", leaving out one's own council by default.
    let mut t = app.signed_in(&w.tara).await;
    let page = t.get("/people/tara-target/similar").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.h1(), "People like you");
    assert_eq!(page.attrs("#exclude[checked]", "id"), ["exclude"]);
    assert_eq!(page.texts("#results h2 a")[0], "Rory Rare");
    assert!(
        !page
            .texts("#results h2 a")
            .contains(&"Cora Colleague".to_string())
    );
    assert_eq!(
        page.texts("#results .app-reasons")[0],
        "Shares: homelessness, rough sleeping, outreach; 2 communities in common"
    );
    // Unticked, the colleague is back.
    let page = t.get("/people/tara-target/similar?options=1").await;
    assert!(page.attrs("#exclude[checked]", "id").is_empty());
    assert_eq!(page.texts("#results h2 a")[0], "Cora Colleague");

    // Someone else's: "People like Tara Target", nothing private.
    let mut v = app.signed_in(&w.vera).await;
    let page = v.get("/people/tara-target/similar").await;
    assert_eq!(page.h1(), "People like Tara Target");
    assert!(!page.body.contains("2 communities"));
    assert!(!page.body.contains("outreach-circle"));
    assert_eq!(v.get("/people/nobody-here/similar").await.status, 404);
    assert_eq!(
        app.browser()
            .get("/people/tara-target/similar")
            .await
            .status,
        303
    );

    // The API.
    let token = app.token(&w.vera).await;
    let page = v
        .api(
            Method::GET,
            "/api/v1/people/tara-target/similar?exclude_own_organisation=true",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let json = page.json();
    assert_eq!(json["target"]["handle"], "tara-target");
    assert_eq!(json["items"][0]["person"]["handle"], "rory-rare");
    assert_eq!(json["items"][0]["reasons"]["communities_in_common"], 1);
    assert_eq!(
        json["items"][0]["reasons"]["shared"],
        serde_json::json!(["homelessness", "rough sleeping", "outreach"])
    );
    assert!(!page.body.contains("Hal Hidden"));
    let bad = v
        .api(
            Method::GET,
            "/api/v1/people/tara-target/similar?exclude_own_organisation=maybe",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(bad.status, 400);
    let anon = app
        .browser()
        .api(
            Method::GET,
            "/api/v1/people/tara-target/similar",
            None,
            None,
        )
        .await;
    assert_eq!(anon.status, 401);
    let doc = v.get("/api/v1/openapi.json").await.json();
    for path in [
        "/api/v1/people",
        "/api/v1/people/{handle}/similar",
        "/api/v1/me/recommended-communities",
    ] {
        assert!(
            doc["paths"][path]["get"].is_object(),
            "{path} is documented"
        );
    }
    let missing = v
        .api(
            Method::GET,
            "/api/v1/people/nobody-here/similar",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(missing.status, 404);
});

test_both!(communities_are_recommended_with_reasons, |app| {
    let w = world(&app).await;
    let nina = person(
        &app,
        Person {
            name: "Nina New",
            org: BRISTOL,
            job: "Rough sleeping coordinator",
            areas: &["Homelessness", "Housing"],
            expertise: &["rough sleeping"],
            responsibilities: "Outreach and temporary accommodation",
            hidden: &[],
        },
    )
    .await;
    let nina_v = viewer_of(&app.ctx, nina.id).await;
    let rory_v = viewer_of(&app.ctx, w.rory.id).await;
    // Someone nothing like Nina, who starts two communities.
    let olly = person(
        &app,
        Person {
            name: "Olly Owner",
            org: LEEDS,
            job: "Finance manager",
            ..Person::default()
        },
    )
    .await;
    let olly_v = viewer_of(&app.ctx, olly.id).await;
    // Tagged with one of her service areas, members-only.
    community(&app, &olly_v, "housing-forum", "members", "open", "Housing").await;
    // A secret one people like her are in, tagged too: never suggested.
    community(
        &app,
        &rory_v,
        "secret-squad",
        "secret",
        "invitation",
        "housing, rough sleeping",
    )
    .await;
    // One she has joined already: never suggested.
    community(&app, &olly_v, "already-in", "public", "open", "housing").await;
    communities::join(&app.ctx, &nina_v, "already-in")
        .await
        .unwrap();

    let found = recommend::communities(&app.ctx, &nina_v).await.unwrap();
    let mut slugs: Vec<&str> = found.iter().map(|r| r.community.slug.as_str()).collect();
    slugs.sort();
    assert_eq!(
        slugs,
        ["homelessness-network", "housing-forum", "outreach-circle"],
        "never secret, never joined"
    );
    assert!(
        found.windows(2).all(|p| p[0].score >= p[1].score),
        "best first"
    );
    let by = |slug: &str| found.iter().find(|r| r.community.slug == slug).unwrap();
    assert_eq!(
        by("homelessness-network").reasons,
        ["2 people like you are members"]
    );
    assert_eq!(by("homelessness-network").join, Join::AtOnce);
    // Private: who is in it is not told; it is suggested for its tag, to ask.
    assert_eq!(
        by("outreach-circle").reasons,
        ["About rough sleeping, one of your areas of expertise"]
    );
    assert_eq!(by("outreach-circle").join, Join::Ask);
    assert_eq!(
        by("housing-forum").reasons,
        ["About housing, one of your service areas"]
    );
    assert_eq!(by("housing-forum").join, Join::AtOnce);

    // The API says the same.
    let token = app.token(&nina).await;
    let mut b = app.browser();
    let page = b
        .api(
            Method::GET,
            "/api/v1/me/recommended-communities",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let json = page.json();
    assert_eq!(json["items"].as_array().unwrap().len(), 3);
    for item in json["items"].as_array().unwrap() {
        let way_in = if item["slug"] == "outreach-circle" {
            "ask"
        } else {
            "join"
        };
        assert_eq!(item["way_in"], way_in, "{item}");
    }
    assert!(!page.body.contains("secret-squad") && !page.body.contains("already-in"));
    let anon = b
        .api(
            Method::GET,
            "/api/v1/me/recommended-communities",
            None,
            None,
        )
        .await;
    assert_eq!(anon.status, 401);
});
