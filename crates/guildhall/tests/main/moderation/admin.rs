//! Site administrators' queue: public and members-only communities only.

use super::*;

test_both!(administrators_see_flags_of_open_communities_only, |app| {
    let owner = app.member("Olu Owner").await;
    let sam = app.member("Sam Writer").await;
    let rita = app.member("Rita Reporter").await;
    let admin = app.admin("Ada Admin").await;
    let mut flags = Vec::new();
    for visibility in ["public", "members", "private", "secret"] {
        let slug = format!("c-{visibility}");
        let id = community(&app, &owner, &slug, visibility).await;
        add(&app, id, &sam, "member").await;
        add(&app, id, &rita, "member").await;
        let (tid, _) = topic(
            &app,
            &owner,
            &slug,
            &format!("Title {visibility}zz"),
            "Hello",
        )
        .await;
        let reply = reply(&app, &sam, tid, &format!("Text {visibility}qq")).await;
        let v = viewer(&app, &rita).await;
        let (_, flag) = guildhall_domain::moderation::flag_message(
            &app.ctx,
            &v,
            reply,
            &format!("Reason {visibility}ww"),
        )
        .await
        .expect("flag");
        flags.push((visibility, id, flag.0));
    }
    let mut ada = app.signed_in(&admin).await;
    let home = ada.get("/admin").await;
    assert!(
        home.attrs("#admin-sections a", "href")
            .contains(&"/admin/flags".to_string())
    );
    let page = ada.get("/admin/flags").await;
    assert_eq!(page.status, 200, "{}", page.body);
    for open in ["public", "members"] {
        assert!(page.body.contains(&format!("Reason {open}ww")), "{open}");
        assert!(page.body.contains(&format!("Text {open}qq")), "{open}");
    }
    for closed in ["private", "secret"] {
        for canary in [
            format!("Reason {closed}ww"),
            format!("Text {closed}qq"),
            format!("Title {closed}zz"),
            format!("c-{closed}"),
        ] {
            assert!(
                !page.body.contains(&canary),
                "{canary} leaked to /admin/flags"
            );
        }
    }
    assert_eq!(page.texts(".app-flag").len(), 2);

    // Acting on a private or secret community's flag: as if it did not exist.
    for (visibility, _, flag) in &flags[2..] {
        let page = ada
            .post(
                &format!("/admin/flags/{flag}"),
                &[("action", "dismiss"), ("reason", "")],
            )
            .await;
        assert_eq!(page.status, 404, "{visibility}");
    }
    let (_, public_id, public_flag) = flags[0];
    let (_, members_id, members_flag) = flags[1];
    let page = ada
        .post(
            &format!("/admin/flags/{members_flag}"),
            &[("action", "hide"), ("reason", "")],
        )
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(page.error_summary(), vec!["Enter a reason"]);
    let page = ada
        .post(
            &format!("/admin/flags/{members_flag}"),
            &[("action", "hide"), ("reason", "Unlawful content")],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(page.location().as_deref(), Some("/admin/flags?done=hidden"));
    let page = ada
        .post(
            &format!("/admin/flags/{public_flag}"),
            &[("action", "dismiss"), ("reason", "")],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert!(ada.follow(&page).await.texts(".app-flag").is_empty());

    // In each community's audit log, and the site's.
    let log = audit(&app, members_id).await;
    assert!(log.iter().any(|(a, s, d)| a == "message.hide"
        && s == "Site administrator Ada Admin hid a reply"
        && d.contains("Unlawful content")));
    let log = audit(&app, public_id).await;
    assert!(
        log.iter()
            .any(|(a, s, _)| a == "flag.dismiss" && s.starts_with("Site administrator Ada Admin"))
    );
    let site = app.ctx.store.recent_audit(20).await.expect("site audit");
    assert!(
        site.iter()
            .any(|r| r.action == "message.hide" && r.subject_id == Some(members_id.0))
    );
    assert!(
        site.iter()
            .any(|r| r.action == "flag.dismiss" && r.subject_id == Some(public_id.0))
    );
    assert!(site.iter().all(|r| !r.detail.contains("Unlawful content")));

    // Members and facilitators are not administrators.
    let mut olu = app.signed_in(&owner).await;
    assert_eq!(olu.get("/admin/flags").await.status, 403);
    let page = olu
        .post(
            &format!("/admin/flags/{}", flags[2].2),
            &[("action", "dismiss")],
        )
        .await;
    assert_eq!(page.status, 403);
});
