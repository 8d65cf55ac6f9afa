//! The same checks on the domain functions the pages and the API call: what
//! a viewer gets back (in full, before any template picks fields) holds no
//! canary they may not see, and a secret community they may not see answers
//! as a missing one. A leak found here names its cause.
//!
//! `community_metadata` is left out: it gives administrators the whole row
//! and the page shows only the metadata (the HTTP sweep checks the page).

use super::world::{self, Level, World};
use guildhall_domain::communities::{self, CommunityForm, DirectoryInput};
use guildhall_domain::core::Viewer;
use guildhall_domain::{Ctx, Error};
use guildhall_testkit::*;
use std::fmt::Debug;

fn show<T: Debug>(r: &Result<T, Error>) -> String {
    format!("{r:#?}")
}

/// What each read surface answers for `slug`, as text.
async fn surfaces(
    ctx: &Ctx,
    viewer: &Viewer,
    slug: &str,
    mark: &str,
    tag: &str,
    invitation: i64,
) -> Vec<(&'static str, String)> {
    vec![
        ("load", show(&communities::load(ctx, viewer, slug).await)),
        ("show", show(&communities::show(ctx, viewer, slug).await)),
        (
            "members",
            show(&communities::members(ctx, viewer, slug, 1).await),
        ),
        (
            "audit_log",
            show(&communities::audit_log(ctx, viewer, slug, 1).await),
        ),
        (
            "subcommunities",
            show(&communities::subcommunities(ctx, viewer, slug).await),
        ),
        (
            "request_queue",
            show(&communities::request_queue(ctx, viewer, slug).await),
        ),
        (
            "deletion_summary",
            show(&communities::deletion_summary(ctx, viewer, slug).await),
        ),
        (
            "directory?q",
            show(
                &communities::directory(
                    ctx,
                    viewer,
                    &DirectoryInput {
                        q: mark.into(),
                        ..DirectoryInput::default()
                    },
                )
                .await,
            ),
        ),
        (
            "directory?tag",
            show(
                &communities::directory(
                    ctx,
                    viewer,
                    &DirectoryInput {
                        tag: tag.into(),
                        ..DirectoryInput::default()
                    },
                )
                .await,
            ),
        ),
        (
            // Nobody in the world is the invitee, so this changes nothing.
            "respond_to_invitation",
            show(&communities::respond_to_invitation(ctx, viewer, invitation, false).await),
        ),
    ]
}

pub async fn run(app: &TestApp) {
    let ctx = &app.ctx;
    let world = world::build(app).await;
    let mut findings = Vec::new();
    let missing_mark = world::mark();
    let missing_slug = format!("zq-none-slug-{missing_mark}");
    let missing_tag = format!("zq-none-tag-{missing_mark}");
    let missing_invitation = 987_654_323;
    for person in &world.people {
        // Surfaces without a community.
        for (what, text) in [
            (
                "my_communities",
                show(&communities::my_communities(ctx, &person.viewer).await),
            ),
            (
                "pending_invitations",
                show(&communities::pending_invitations(ctx, &person.viewer).await),
            ),
            (
                "directory",
                show(
                    &communities::directory(ctx, &person.viewer, &DirectoryInput::default()).await,
                ),
            ),
            (
                "pending_communities",
                show(&communities::pending_communities(ctx, &person.viewer).await),
            ),
        ] {
            findings.extend(scan(&world, person, what, &text.to_lowercase(), None));
        }
        findings.extend(search_sweep(ctx, &world, person).await);
        for (i, c) in world.communities.iter().enumerate() {
            let answers =
                surfaces(ctx, &person.viewer, &c.slug, &c.mark, &c.tag, c.invitation).await;
            // Asked again for each community, right after it: what is kept
            // for a minute (the directory's popular tags) may have been
            // renewed since an answer asked earlier in a slow run.
            let absent = surfaces(
                ctx,
                &person.viewer,
                &missing_slug,
                &missing_mark,
                &missing_tag,
                missing_invitation,
            )
            .await;
            for ((what, text), (_, missing)) in answers.iter().zip(&absent) {
                let text = text.to_lowercase();
                findings.extend(scan(&world, person, what, &text, Some(i)));
                if c.secret && person.levels[i] == Level::None {
                    let same = |t: &str, slug: &str, mark: &str, tag: &str, inv: i64| {
                        whole_number(
                            &t.replace(slug, "{slug}")
                                .replace(tag, "{tag}")
                                .replace(mark, "{mark}"),
                            inv,
                            "{invitation}",
                        )
                    };
                    let a = same(&text, &c.slug, &c.mark, &c.tag, c.invitation);
                    let b = same(
                        &missing.to_lowercase(),
                        &missing_slug,
                        &missing_mark,
                        &missing_tag,
                        missing_invitation,
                    );
                    if let Some((x, y)) = a.lines().zip(b.lines()).find(|(x, y)| x != y) {
                        findings.push(format!(
                            "EXISTS {}: {what}({}) answers unlike a missing community: {x:?} vs {y:?}",
                            person.key, c.key,
                        ));
                    } else if a != b {
                        findings.push(format!(
                            "EXISTS {}: {what}({}) answers longer or shorter than a missing community",
                            person.key, c.key,
                        ));
                    }
                }
            }
        }
    }
    findings.sort();
    findings.dedup();
    assert!(
        findings.is_empty(),
        "{} findings:\n{}",
        findings.len(),
        findings.join("\n")
    );
}

/// `text` with `number` replaced where it stands alone (not inside another
/// word or number, such as a random tag "zq-priv-tag-4kb11s" for 11).
fn whole_number(text: &str, number: i64, with: &str) -> String {
    let needle = number.to_string();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(&needle) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + needle.len()..].chars().next();
        let alone =
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric);
        out.push_str(&rest[..at]);
        out.push_str(if alone { with } else { &needle });
        rest = &rest[at + needle.len()..];
    }
    out.push_str(rest);
    out
}

#[test]
fn whole_numbers_only_are_replaced() {
    assert_eq!(
        whole_number("/invitations/11 tag-4kb11s 11x 110 11", 11, "{i}"),
        "/invitations/{i} tag-4kb11s 11x 110 {i}"
    );
}

fn scan(
    world: &World,
    person: &world::Person,
    what: &str,
    text: &str,
    target: Option<usize>,
) -> Vec<String> {
    let mut text = text.to_string();
    if let Some(i) = target {
        let c = &world.communities[i];
        text = text.replace(&c.slug, "{slug}").replace(&c.tag, "{tag}");
    }
    let mut out = Vec::new();
    for (ci, c) in world.communities.iter().enumerate() {
        for (kind, canary) in &c.canaries {
            if let Some(at) = text.find(canary.as_str())
                && !kind.allowed(person.levels[ci], false)
            {
                let start = text[..at]
                    .char_indices()
                    .rev()
                    .nth(60)
                    .map_or(0, |(i, _)| i);
                let snippet: String = text[start..].chars().take(160).collect();
                out.push(format!(
                    "LEAK {}: {what}{} shows {}'s {kind:?}: ...{}...",
                    person.key,
                    target.map_or(String::new(), |i| format!("({})", world.communities[i].key)),
                    c.key,
                    snippet.split_whitespace().collect::<Vec<_>>().join(" ")
                ));
            }
        }
    }
    out
}

test_both!(domain_surfaces_do_not_leak, crate::leaks::limits, |app| {
    run(&app).await;
});

// Each leak the harness found, on its own, smallest world first.

fn form(slug: &str, visibility: &str, join_policy: &str) -> CommunityForm {
    CommunityForm {
        slug: slug.into(),
        name: format!("Name of {slug}"),
        purpose: "A purpose".into(),
        visibility: visibility.into(),
        join_policy: join_policy.into(),
        tags: String::new(),
        tools: Vec::new(),
    }
}

/// A private community, its facilitator Fay, and a secret sub-community that
/// Olive created, gave to Sam and left.
async fn secret_child(app: &TestApp) -> (Viewer, Viewer) {
    let ctx = &app.ctx;
    let olive = world::viewer_of(ctx, app.member("Olive Owner").await.id).await;
    let fay = world::viewer_of(ctx, app.member("Fay Facilitator").await.id).await;
    let sam = app.member("Sam Secret").await;
    let ada = world::viewer_of(ctx, app.admin("Ada Admin").await.id).await;
    communities::create_community(ctx, &olive, &form("parent", "private", "invitation"), None)
        .await
        .expect("parent");
    let fay_id = fay.member_id().expect("Fay");
    communities::invite(ctx, &olive, "parent", &fay.member().expect("Fay").email)
        .await
        .expect("invite");
    let invitation = communities::pending_invitations(ctx, &fay)
        .await
        .expect("list")[0]
        .id;
    communities::respond_to_invitation(ctx, &fay, invitation, true)
        .await
        .expect("accept");
    communities::set_role(ctx, &olive, "parent", fay_id, "facilitator")
        .await
        .expect("facilitator");
    communities::create_community(
        ctx,
        &olive,
        &form("hidden-child", "secret", "invitation"),
        Some("parent"),
    )
    .await
    .expect("secret child");
    communities::transfer_as_admin(ctx, &ada, "hidden-child", &sam.email)
        .await
        .expect("Sam owns it");
    communities::leave(ctx, &olive, "hidden-child")
        .await
        .expect("Olive leaves");
    (olive, fay)
}

test_both!(
    a_secret_subcommunity_is_not_named_in_its_parents_audit_log,
    |app| {
        let (_, fay) = secret_child(&app).await;
        assert!(matches!(
            communities::load(&app.ctx, &fay, "hidden-child").await,
            Err(Error::NotFound)
        ));
        let (_, log) = communities::audit_log(&app.ctx, &fay, "parent", 1)
            .await
            .expect("Fay reads the parent's log");
        let text = format!("{log:?}");
        assert!(
            !text.contains("Name of hidden-child") && !text.contains("hidden-child"),
            "the parent's audit log names a secret sub-community its facilitator cannot see \
             (domain/src/communities/create.rs records `subcommunity.create` with the name and slug): {text}"
        );
    }
);

test_both!(
    deleting_names_only_subcommunities_the_owner_can_see,
    |app| {
        let (olive, _) = secret_child(&app).await;
        assert!(matches!(
            communities::load(&app.ctx, &olive, "hidden-child").await,
            Err(Error::NotFound)
        ));
        let lines = communities::deletion_summary(&app.ctx, &olive, "parent")
            .await
            .expect("Olive owns the parent");
        assert!(
            !lines.iter().any(|l| l.contains("Name of hidden-child")),
            "the delete page names a secret sub-community its owner cannot see \
         (domain/src/communities/settings.rs `deletion_summary`): {lines:?}"
        );
    }
);

test_both!(an_invitation_to_someone_else_answers_as_missing, |app| {
    let ctx = &app.ctx;
    let olive = world::viewer_of(ctx, app.member("Olive Owner").await.id).await;
    let eve = world::viewer_of(ctx, app.member("Eve Elsewhere").await.id).await;
    communities::create_community(ctx, &olive, &form("quiet", "secret", "invitation"), None)
        .await
        .expect("secret");
    communities::invite(ctx, &olive, "quiet", "someone@leeds.gov.uk")
        .await
        .expect("invite");
    let id = ctx
        .store
        .community_invitations(
            communities::load(ctx, &olive, "quiet")
                .await
                .expect("quiet")
                .community
                .id,
        )
        .await
        .expect("invitations")[0]
        .id;
    for accept in [true, false] {
        let theirs = communities::respond_to_invitation(ctx, &eve, id, accept).await;
        let nobodys = communities::respond_to_invitation(ctx, &eve, id + 1000, accept).await;
        assert!(matches!(nobodys, Err(Error::NotFound)));
        assert!(
            matches!(theirs, Err(Error::NotFound)),
            "an invitation to someone else must answer as a missing one (404, never 403), or \
             its id tells that a secret community exists \
             (domain/src/communities/membership.rs `respond_to_invitation`): {theirs:?}"
        );
    }
});

test_both!(
    accepting_an_invitation_does_not_name_a_secret_parent,
    |app| {
        let ctx = &app.ctx;
        let olive = world::viewer_of(ctx, app.member("Olive Owner").await.id).await;
        let eve = world::viewer_of(ctx, app.member("Eve Elsewhere").await.id).await;
        communities::create_community(ctx, &olive, &form("vault", "secret", "invitation"), None)
            .await
            .expect("secret parent");
        communities::create_community(
            ctx,
            &olive,
            &form("inner", "secret", "invitation"),
            Some("vault"),
        )
        .await
        .expect("secret child");
        communities::invite(ctx, &olive, "inner", &eve.member().expect("Eve").email)
            .await
            .expect("invite Eve to the child only");
        assert!(matches!(
            communities::load(ctx, &eve, "vault").await,
            Err(Error::NotFound)
        ));
        let invitation = communities::pending_invitations(ctx, &eve)
            .await
            .expect("Eve's invitations")[0]
            .id;
        let answer = communities::respond_to_invitation(ctx, &eve, invitation, true).await;
        assert!(answer.is_err(), "Eve is not in the parent: {answer:?}");
        assert!(
            !format!("{answer:?}").contains("Name of vault"),
            "the refusal names a secret parent Eve cannot see \
             (domain/src/communities/membership.rs `check_parent_membership`): {answer:?}"
        );
    }
);

/// Search for every canary and every community's mark as `person`: what
/// they may not read is not found, not counted in totals or facets, and not
/// in any snippet. People's profiles hold community canaries on purpose
/// (members may read profiles), so person results are left to the people
/// surfaces' checks, except for fields shown to nobody, never found at all.
async fn search_sweep(ctx: &Ctx, world: &World, person: &world::Person) -> Vec<String> {
    use guildhall_domain::search::{self, Request};
    let mut out = Vec::new();
    for (ci, c) in world.communities.iter().enumerate() {
        let mut asks: Vec<(Option<world::Kind>, String)> = vec![(None, c.mark.clone())];
        asks.extend(c.canaries.iter().map(|(k, t)| (Some(*k), t.clone())));
        for (kind, q) in asks {
            let r = search::run(
                ctx,
                &person.viewer,
                &Request {
                    q: q.clone(),
                    ..Request::default()
                },
            )
            .await;
            let Ok(r) = r else {
                out.push(format!("ERROR {}: search {q:?}: {r:?}", person.key));
                continue;
            };
            let hidden_field = kind == Some(world::Kind::Hidden);
            let counted: u64 = r
                .facets
                .iter()
                .filter(|f| hidden_field || f.kind.name != "person")
                .map(|f| f.count)
                .sum();
            let items: Vec<_> = r
                .items
                .iter()
                .filter(|i| hidden_field || i.hit.kind.name != "person")
                .collect();
            if let Some(kind) = kind
                && !kind.allowed(person.levels[ci], false)
                && (counted > 0 || !items.is_empty())
            {
                out.push(format!(
                    "LEAK {}: search({}'s {kind:?}) counts {counted} and shows {:?}",
                    person.key,
                    c.key,
                    items.iter().map(|i| &i.hit.title).collect::<Vec<_>>()
                ));
            }
            if kind == Some(world::Kind::Post) && person.levels[ci] >= Level::Read && counted == 0 {
                out.push(format!(
                    "MISSING {}: search({}'s Post) finds nothing the viewer may read",
                    person.key, c.key
                ));
            }
            let text = format!("{items:#?}").to_lowercase();
            out.extend(scan(world, person, "search", &text, None));
        }
    }
    out
}
