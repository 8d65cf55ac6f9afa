//! The leak harness's world: six communities full of canaries, and the
//! people who look at them.
//!
//! Every community carries distinct canary strings of each kind, so that a
//! response containing one says exactly what leaked from where:
//!
//! | kind      | where it lives                                  | who may see it                  |
//! |-----------|-------------------------------------------------|---------------------------------|
//! | name      | the community's name                            | those it is listed to; admins on /admin pages |
//! | slug      | its web address                                 | the same                        |
//! | purpose   | its purpose                                     | those it is listed to           |
//! | tag       | one of its tags                                 | those it is listed to           |
//! | content   | the name of its resident member (member lists, activity, audit summaries) | its readers |
//! | facilitator content | a pending invitation's address (audit detail, members page) and a join request's message; a hidden reply's text and the reason it was hidden | its facilitators |
//! | post      | a forum topic's title and text, a reply, a blog post and a comment (written by the resident) | its readers, visitors too where public |
//! | draft     | a draft blog post's title and text (its author, the resident, is no viewer) | nobody |
//! | hidden    | the resident's profile fields set to "nobody" (responsibilities, expertise, contact, email) | nobody |
//!
//! The resident's profile also carries their content canary in fields shown
//! to members (bio, job title), which visitors must never see.

use guildhall_domain::Ctx;
use guildhall_domain::communities::{self, CommunityForm};
use guildhall_domain::core::{
    CommunityId, MemberId, MemberStatus, MessageId, ThreadId, Viewer, ViewerMember, now,
};
use guildhall_domain::crypto::random_token;
use guildhall_domain::forum;
use guildhall_domain::store::members::NewMember;
use guildhall_domain::store::threads::NewThread;
use guildhall_testkit::{Browser, PASSWORD, TestApp, TestMember};

/// What a viewer may see of a community, from the design's visibility table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// It does not exist for them.
    None,
    /// Name and purpose (a private community to a non-member).
    Listed,
    /// Everything in it.
    Read,
    /// Everything, and the facilitators' side.
    Facilitate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Name,
    Slug,
    Purpose,
    Tag,
    Content,
    FacilitatorContent,
    Post,
    Draft,
    Hidden,
}

impl Kind {
    const ALL: [Kind; 9] = [
        Kind::Name,
        Kind::Slug,
        Kind::Purpose,
        Kind::Tag,
        Kind::Content,
        Kind::FacilitatorContent,
        Kind::Post,
        Kind::Draft,
        Kind::Hidden,
    ];

    fn token(self) -> &'static str {
        match self {
            Kind::Name => "name",
            Kind::Slug => "slug",
            Kind::Purpose => "purp",
            Kind::Tag => "tag",
            Kind::Content => "cont",
            Kind::FacilitatorContent => "fcont",
            Kind::Post => "post",
            Kind::Draft => "draft",
            Kind::Hidden => "nobody",
        }
    }

    /// May a viewer at `level` see this kind of canary? `admin_metadata`:
    /// a site administrator on an /admin page, who may see any community's
    /// name and address (never its purpose, members or activity).
    pub fn allowed(self, level: Level, admin_metadata: bool) -> bool {
        match self {
            Kind::Name | Kind::Slug => level >= Level::Listed || admin_metadata,
            Kind::Purpose | Kind::Tag => level >= Level::Listed,
            Kind::Content | Kind::Post => level >= Level::Read,
            Kind::FacilitatorContent => level >= Level::Facilitate,
            Kind::Draft | Kind::Hidden => false,
        }
    }
}

/// The communities: (key, visibility, joining, parent).
pub const SPECS: [(&str, &str, &str, Option<&str>); 6] = [
    ("pub", "public", "open", None),
    ("mem", "members", "open", None),
    ("priv", "private", "request", None),
    ("sec", "secret", "invitation", None),
    // A private sub-community of the public one.
    ("sub", "private", "request", Some("pub")),
    // A secret sub-community of the private one that its owner, Olive, has
    // left: her and Fay's view of `priv` must not reveal it.
    ("hid", "secret", "invitation", Some("priv")),
];

/// Who may see what: `-` none (it does not exist), `L` listed, `R` read,
/// `F` facilitate. Columns in the order of `SPECS`.
pub const EXPECTED: [(&str, &str); 9] = [
    //               pub mem priv sec sub hid
    ("anonymous", "R   L   L    -   L   -"),
    // Registered, not verified; holds a membership of `sec` in the data,
    // which counts for nothing until they are active.
    ("pending", "R   L   L    -   L   -"),
    ("outsider", "R   R   L    -   L   -"),
    ("member", "R   R   R    R   R   R"),
    ("facilitator", "F   F   F    F   F   -"),
    // Created every community; handed `hid` to its resident and left it.
    ("owner", "F   F   F    F   F   -"),
    // Was a member of priv, sec and hid; removed from priv (and so hid) and sec.
    ("removed", "R   R   L    -   L   -"),
    ("admin", "R   R   L    -   L   -"),
    // A live break-glass grant on priv; an expired one on sec.
    ("breakglass", "R   R   R    -   L   -"),
];

fn parse_levels(row: &str) -> Vec<Level> {
    row.split_whitespace()
        .map(|l| match l {
            "-" => Level::None,
            "L" => Level::Listed,
            "R" => Level::Read,
            "F" => Level::Facilitate,
            other => panic!("unknown level {other}"),
        })
        .collect()
}

pub struct Community {
    pub key: &'static str,
    pub id: CommunityId,
    pub slug: String,
    /// A random word in its name, purpose, slug and tag (the directory search).
    pub mark: String,
    pub tag: String,
    /// (kind, canary), lower case.
    pub canaries: Vec<(Kind, String)>,
    pub secret: bool,
    pub resident: MemberId,
    pub resident_email: String,
    pub resident_handle: String,
    /// A pending join request (with a canary message), if it takes requests.
    pub request: Option<i64>,
    /// A pending invitation to a canary address.
    pub invitation: i64,
    /// The resident's forum and blog writing.
    pub writing: Writing,
}

/// What the resident wrote in a community's forum and blog.
#[derive(Debug, Clone, Copy, Default)]
pub struct Writing {
    /// A question, its opening message, and a reply to it.
    pub topic: ThreadId,
    pub opening: MessageId,
    pub reply: MessageId,
    /// A reply a facilitator hid.
    pub hidden: MessageId,
    /// A published blog post and a comment on it.
    pub post: ThreadId,
    pub comment: MessageId,
    /// A draft blog post.
    pub draft: ThreadId,
    /// An open flag on the reply.
    pub flag: i64,
}

pub struct Person {
    pub key: &'static str,
    pub viewer: Viewer,
    pub member: Option<TestMember>,
    pub admin: bool,
    /// One per community, in the order of `SPECS`.
    pub levels: Vec<Level>,
}

pub struct World {
    pub communities: Vec<Community>,
    pub people: Vec<Person>,
    /// A member who belongs nowhere and is nobody's canary.
    pub bystander: MemberId,
    /// Emails sent while the world was built (the sweep checks later ones).
    pub emails_before: Vec<String>,
}

impl World {
    pub fn community(&self, key: &str) -> &Community {
        self.communities
            .iter()
            .find(|c| c.key == key)
            .unwrap_or_else(|| panic!("no community {key}"))
    }
}

pub fn email_text(e: &guildhall_testkit::SentEmail) -> String {
    format!("To: {}\nSubject: {}\n\n{}", e.to, e.subject, e.body)
}

/// A short random word in `[a-z0-9]`.
pub fn mark() -> String {
    random_token()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .take(6)
        .collect()
}

pub fn canary(key: &str, kind: Kind, mark: &str) -> String {
    format!("zq-{key}-{}-{mark}", kind.token())
}

pub async fn viewer_of(ctx: &Ctx, id: MemberId) -> Viewer {
    let m = ctx.store.member(id).await.expect("member");
    Viewer::Member(ViewerMember {
        id: m.id,
        name: m.name,
        email: m.email,
        organisation_id: m.organisation_id,
        status: MemberStatus::parse(&m.status).expect("status"),
        is_admin: m.is_admin,
    })
}

/// A member who never signs in (no password), straight into the store.
async fn resident(ctx: &Ctx, name: &str, email: &str) -> MemberId {
    let org = ctx
        .store
        .organisation_by_code("E08000035")
        .await
        .expect("Leeds");
    ctx.store
        .create_member(&NewMember {
            email,
            name,
            job_title: "Officer",
            organisation_id: org.id,
            password_hash: None,
            status: "active",
            is_admin: false,
        })
        .await
        .expect("resident")
}

pub(crate) async fn invite_and_accept(ctx: &Ctx, by: &Viewer, slug: &str, who: &Viewer) {
    let email = &who.member().expect("a member").email;
    communities::invite(ctx, by, slug, email)
        .await
        .unwrap_or_else(|e| panic!("inviting {email} to {slug}: {e:?}"));
    let invitation = communities::pending_invitations(ctx, who)
        .await
        .expect("invitations")
        .into_iter()
        .find(|i| i.community_slug == slug)
        .expect("the invitation");
    communities::respond_to_invitation(ctx, who, invitation.id, true)
        .await
        .unwrap_or_else(|e| panic!("{email} accepting {slug}: {e:?}"));
}

async fn request_and_approve(ctx: &Ctx, by: &Viewer, slug: &str, who: &Viewer) {
    communities::request_to_join(ctx, who, slug, "Hello")
        .await
        .expect("request");
    let me = who.member_id().expect("a member");
    let (_, queue) = communities::request_queue(ctx, by, slug)
        .await
        .expect("queue");
    let request = queue.iter().find(|r| r.member_id == me).expect("request");
    communities::decide_request(ctx, by, slug, request.id, true, "")
        .await
        .expect("approve");
}

/// Creates one community of `SPECS` as `owner`, with its resident member.
async fn create(
    ctx: &Ctx,
    owner: &Viewer,
    spec: (&'static str, &'static str, &'static str, Option<&str>),
    parent_slug: Option<&str>,
) -> Community {
    let (key, visibility, join_policy, _) = spec;
    let mark = mark();
    let c = |kind| canary(key, kind, &mark);
    let slug = c(Kind::Slug);
    let tag = c(Kind::Tag);
    let form = CommunityForm {
        slug: slug.clone(),
        name: format!("Zq-{key}-name-{mark} Community"),
        purpose: format!("Purpose {}: sharing what works.", c(Kind::Purpose)),
        visibility: visibility.into(),
        join_policy: join_policy.into(),
        tags: format!("{tag}, practice"),
        tools: vec!["forum".into(), "blog".into()],
    };
    communities::create_community(ctx, owner, &form, parent_slug)
        .await
        .unwrap_or_else(|e| panic!("creating {key}: {e:?}"));
    let id = communities::load(ctx, owner, &slug)
        .await
        .expect("created")
        .community
        .id;
    let resident_email = format!("resident.{key}.{mark}@leeds.gov.uk");
    let resident_id = resident(
        ctx,
        &format!("Zq-{key}-cont-{mark} Resident"),
        &resident_email,
    )
    .await;
    Community {
        key,
        id,
        slug,
        tag,
        canaries: Kind::ALL.iter().map(|k| (*k, c(*k))).collect(),
        secret: visibility == "secret",
        resident: resident_id,
        resident_handle: {
            // Not made from the name: the name is the canary.
            let handle = format!("resident-{key}-{mark}");
            ctx.store
                .set_member_handle(resident_id, &handle)
                .await
                .expect("handle");
            handle
        },
        resident_email: {
            profile(ctx, resident_id, key, &mark).await;
            resident_email
        },
        request: None,
        invitation: 0,
        writing: Writing::default(),
        mark,
    }
}

/// The resident's profile: their content canary in fields members see, and
/// hidden canaries in fields they show to nobody.
async fn profile(ctx: &Ctx, id: MemberId, key: &str, mark: &str) {
    use guildhall_domain::core::profile::{Audience, Audiences, Field};
    use guildhall_domain::people::terms::Source;
    use guildhall_domain::store::people::ProfileChanges;
    let content = canary(key, Kind::Content, mark);
    let hidden = canary(key, Kind::Hidden, mark);
    let mut audiences = Audiences::new();
    for field in [Field::Responsibilities, Field::Expertise, Field::Contact] {
        audiences.set(field, Audience::Nobody);
    }
    let mut row = ctx.store.profile_of(id).await.expect("profile");
    row.job_title = format!("Officer {content}");
    row.responsibilities = format!("Allocations and {hidden}");
    row.bio = format!("About {content}.");
    row.contact = format!("Ask for {hidden}");
    row.public_fields = audiences.public;
    row.hidden_fields = audiences.hidden;
    let areas = [guildhall_domain::core::ServiceAreaId(4)];
    let expertise = [hidden.clone()];
    let terms = Source {
        profile: &row,
        areas: &areas,
        expertise: &expertise,
    }
    .index_terms();
    ctx.store
        .save_profile(
            id,
            &ProfileChanges {
                job_title: &row.job_title,
                responsibilities: &row.responsibilities,
                bio: &row.bio,
                contact: &row.contact,
                public_fields: row.public_fields,
                hidden_fields: row.hidden_fields,
                service_areas: &areas,
                expertise: &expertise,
            },
            &terms,
        )
        .await
        .expect("profile");
}

/// A blog post by the resident, straight into the store, its text the title again.
async fn blog_post(ctx: &Ctx, c: &Community, title: &str, state: &str) -> (ThreadId, MessageId) {
    let body = format!("Text of {title}");
    ctx.store
        .create_thread(
            &NewThread {
                community_id: c.id,
                kind: "post",
                author_id: c.resident,
                title,
                summary: "",
                state,
                is_question: false,
                tags: &[],
                body: &body,
                html: &format!("<p>{body}</p>"),
                mentions: &[],
            },
            now(),
        )
        .await
        .expect("blog post")
}

/// The resident writes in the forum and blog: a question with a reply, a reply
/// the facilitator (`moderator`) hides, a blog post with a comment, and a draft.
async fn plant_writing(ctx: &Ctx, moderator: &Viewer, c: &mut Community) {
    let who = viewer_of(ctx, c.resident).await;
    let post = canary(c.key, Kind::Post, &c.mark);
    let hidden = canary(c.key, Kind::FacilitatorContent, &c.mark);
    let draft = canary(c.key, Kind::Draft, &c.mark);
    let topic = forum::create_topic(
        ctx,
        &who,
        &c.slug,
        &forum::TopicForm {
            title: format!("Question {post}"),
            body: format!("How do you handle {post}?"),
            question: true,
        },
    )
    .await
    .expect("topic");
    let opening = ctx
        .store
        .opening_message(who.member_id().expect("resident"), topic)
        .await
        .expect("opening")
        .id;
    let (_, reply) = forum::reply(ctx, &who, topic, "topic", &format!("Reply {post}"))
        .await
        .expect("reply");
    let (_, hidden_id) = forum::reply(ctx, &who, topic, "topic", &format!("Rude {hidden}"))
        .await
        .expect("reply to hide");
    let by = moderator.member_id().expect("moderator");
    ctx.store
        .set_hidden(hidden_id, Some((by, &format!("Reason {hidden}"))), now())
        .await
        .expect("hide");
    let (post_id, _) = blog_post(ctx, c, &format!("Blog {post}"), "published").await;
    let (_, comment) = forum::reply(ctx, &who, post_id, "post", &format!("Comment {post}"))
        .await
        .expect("comment");
    let (draft_id, _) = blog_post(ctx, c, &format!("Draft {draft}"), "draft").await;
    // Administrators see reports on public and members-only communities;
    // elsewhere the reason is for facilitators only.
    let reason = if ["pub", "mem"].contains(&c.key) {
        "Off topic".to_string()
    } else {
        format!("Off topic {hidden}")
    };
    let flag = ctx
        .store
        .create_flag(reply, c.id, by, &reason, now())
        .await
        .expect("flag")
        .0;
    c.writing = Writing {
        topic,
        opening,
        reply,
        hidden: hidden_id,
        post: post_id,
        comment,
        draft: draft_id,
        flag,
    };
}

/// Facilitator content: a pending invitation to a canary address, and a
/// pending request with a canary message where requests are taken.
async fn plant_facilitator_content(
    ctx: &Ctx,
    facilitator: &Viewer,
    requester: &Viewer,
    c: &mut Community,
) {
    let secret = canary(c.key, Kind::FacilitatorContent, &c.mark);
    let email = format!("{secret}@leeds.gov.uk");
    communities::invite(ctx, facilitator, &c.slug, &email)
        .await
        .expect("canary invitation");
    c.invitation = ctx
        .store
        .community_invitations(c.id)
        .await
        .expect("invitations")
        .into_iter()
        .find(|i| i.email == email)
        .expect("the canary invitation")
        .id;
    if ["priv", "sub"].contains(&c.key) {
        communities::request_to_join(
            ctx,
            requester,
            &c.slug,
            &format!("Please let me in: {secret}"),
        )
        .await
        .expect("canary request");
        let me = requester.member_id();
        c.request = ctx
            .store
            .pending_join_requests(c.id)
            .await
            .expect("requests")
            .into_iter()
            .find(|r| Some(r.member_id) == me)
            .map(|r| r.id);
    }
}

/// Builds the world. Takes a few seconds (passwords are hashed for real).
pub async fn build(app: &TestApp) -> World {
    let ctx = &app.ctx;
    let olive = app.member("Olive Owner").await;
    let mo = app.member("Mo Member").await;
    let fay = app.member("Fay Facilitator").await;
    let otto = app.member("Otto Outsider").await;
    let rex = app.member("Rex Removed").await;
    let ada = app.admin("Ada Admin").await;
    let bea = app.admin("Bea Breakglass").await;
    let [olive_v, mo_v, fay_v, rex_v, ada_v, bea_v] = {
        let mut v = Vec::new();
        for m in [&olive, &mo, &fay, &rex, &ada, &bea] {
            v.push(viewer_of(ctx, m.id).await);
        }
        v.try_into().unwrap_or_else(|_| unreachable!())
    };
    let riley = resident(ctx, "Riley Requester", "riley.requester@leeds.gov.uk").await;
    let riley_v = viewer_of(ctx, riley).await;
    let bystander = resident(ctx, "Bo Bystander", "bo.bystander@leeds.gov.uk").await;

    // Every community but `hid`, which comes last so that its creation is
    // recent in its parent's activity.
    let mut out: Vec<Community> = Vec::new();
    for spec in &SPECS[..5] {
        let parent = spec.3.map(|p| {
            out.iter()
                .find(|c| c.key == p)
                .expect("parent first")
                .slug
                .clone()
        });
        out.push(create(ctx, &olive_v, *spec, parent.as_deref()).await);
    }
    let slug = |out: &[Community], key: &str| {
        out.iter()
            .find(|c| c.key == key)
            .map(|c| c.slug.clone())
            .expect("community")
    };
    // Open communities: everyone joins at once.
    for key in ["pub", "mem"] {
        let s = slug(&out, key);
        for who in [&mo_v, &fay_v] {
            communities::join(ctx, who, &s).await.expect("join");
        }
    }
    // Private: by request or by invitation.
    let s = slug(&out, "priv");
    request_and_approve(ctx, &olive_v, &s, &mo_v).await;
    request_and_approve(ctx, &olive_v, &s, &rex_v).await;
    invite_and_accept(ctx, &olive_v, &s, &fay_v).await;
    // Secret: by invitation only.
    let s = slug(&out, "sec");
    for who in [&mo_v, &fay_v, &rex_v] {
        invite_and_accept(ctx, &olive_v, &s, who).await;
    }
    // The private sub-community of the public one.
    let s = slug(&out, "sub");
    request_and_approve(ctx, &olive_v, &s, &mo_v).await;
    invite_and_accept(ctx, &olive_v, &s, &fay_v).await;
    for key in ["pub", "mem", "priv", "sec", "sub"] {
        communities::set_role(ctx, &olive_v, &slug(&out, key), fay.id, "facilitator")
            .await
            .expect("facilitator");
    }
    // Residents (whose names are each community's content canary).
    for c in out.iter_mut() {
        let who = viewer_of(ctx, c.resident).await;
        if ["pub", "mem"].contains(&c.key) {
            communities::join(ctx, &who, &c.slug).await.expect("join");
        } else {
            invite_and_accept(ctx, &olive_v, &c.slug, &who).await;
        }
        plant_facilitator_content(ctx, &olive_v, &riley_v, c).await;
        plant_writing(ctx, &olive_v, c).await;
    }

    // The secret sub-community of priv. An administrator makes its resident
    // an owner (no parent check: they are not in priv) and Olive leaves it.
    let priv_slug = slug(&out, "priv");
    let mut hid = create(ctx, &olive_v, SPECS[5], Some(&priv_slug)).await;
    let owner = viewer_of(ctx, hid.resident).await;
    communities::transfer_as_admin(ctx, &ada_v, &hid.slug, &hid.resident_email)
        .await
        .expect("owner by admin");
    communities::leave(ctx, &olive_v, &hid.slug)
        .await
        .expect("Olive leaves hid");
    for member in [&mo_v, &rex_v] {
        invite_and_accept(ctx, &owner, &hid.slug, member).await;
    }
    plant_facilitator_content(ctx, &owner, &riley_v, &mut hid).await;
    plant_writing(ctx, &owner, &mut hid).await;
    out.push(hid);

    // Rex is removed from priv (and so from hid) and from sec.
    for key in ["priv", "sec"] {
        communities::remove_member(ctx, &olive_v, &slug(&out, key), rex.id)
            .await
            .expect("remove Rex");
    }
    // Bea: break-glass on priv; an expired grant on sec.
    communities::break_glass(
        ctx,
        &bea_v,
        &priv_slug,
        "A safeguarding referral from the police needs checking",
        60,
    )
    .await
    .expect("break-glass");
    let at = now();
    let sec = out.iter().find(|c| c.key == "sec").expect("sec").id;
    ctx.store
        .create_grant(
            sec,
            bea.id,
            "An old safeguarding request",
            at - 7200,
            at - 3600,
        )
        .await
        .expect("expired grant");

    // Pat registers through the pages and does not verify; the data holds a
    // membership of sec for them (pending memberships count for nothing).
    let pat = TestMember {
        id: MemberId(0),
        email: "pat.pending@leeds.gov.uk".into(),
        name: "Pat Pending".into(),
        password: PASSWORD.into(),
    };
    let mut b = app.browser();
    let page = b
        .submit(
            "/register",
            &[
                ("name", &pat.name),
                ("email", &pat.email),
                ("password", &pat.password),
                ("organisation", "E08000035"),
                ("job_title", "Planning officer"),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "registering Pat: {}", page.body);
    let pat_row = ctx
        .store
        .member_by_email(&pat.email)
        .await
        .expect("lookup")
        .expect("Pat");
    assert_eq!(pat_row.status, "unverified");
    let pat = TestMember {
        id: pat_row.id,
        ..pat
    };
    ctx.store
        .add_membership(sec, pat.id, "member", now())
        .await
        .expect("pending membership");
    let pat_v = viewer_of(ctx, pat.id).await;

    let otto_v = viewer_of(ctx, otto.id).await;
    let mut people = Vec::new();
    for (key, viewer, member, admin) in [
        ("anonymous", Viewer::Anonymous, None, false),
        ("pending", pat_v, Some(pat), false),
        ("outsider", otto_v, Some(otto), false),
        ("member", mo_v, Some(mo), false),
        ("facilitator", fay_v, Some(fay), false),
        ("owner", olive_v, Some(olive), false),
        ("removed", rex_v, Some(rex), false),
        ("admin", ada_v, Some(ada), true),
        ("breakglass", bea_v, Some(bea), true),
    ] {
        let levels = EXPECTED
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, row)| parse_levels(row))
            .expect("expected levels");
        people.push(Person {
            key,
            viewer,
            member,
            admin,
            levels,
        });
    }
    let world = World {
        communities: out,
        people,
        bystander,
        emails_before: app.emails().await.iter().map(email_text).collect(),
    };
    check_levels(ctx, &world).await;
    world
}

/// The world is what the table says, as the domain's policy sees it.
async fn check_levels(ctx: &Ctx, world: &World) {
    let mut wrong = Vec::new();
    for p in &world.people {
        for (c, expected) in world.communities.iter().zip(&p.levels) {
            let actual = match communities::load(ctx, &p.viewer, &c.slug).await {
                Err(guildhall_domain::Error::NotFound) => Level::None,
                Err(e) => panic!("loading {} as {}: {e:?}", c.key, p.key),
                Ok(seen) if seen.facilitates() => Level::Facilitate,
                Ok(seen) if seen.can_read() => Level::Read,
                Ok(_) => Level::Listed,
            };
            if actual != *expected {
                wrong.push(format!(
                    "{} sees {} as {actual:?}, the table says {expected:?}",
                    p.key, c.key
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the world is not as built:\n{}",
        wrong.join("\n")
    );
}

/// A signed-in browser and an API token for each person (none for a visitor).
pub async fn sessions(app: &TestApp, world: &World) -> Vec<(Browser, Option<String>)> {
    let mut out = Vec::new();
    for p in &world.people {
        match &p.member {
            None => out.push((app.browser(), None)),
            Some(m) => {
                let browser = app.signed_in(m).await;
                out.push((browser, Some(app.token(m).await)));
            }
        }
    }
    out
}
