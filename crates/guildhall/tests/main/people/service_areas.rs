//! Service areas: administrators add, rename and remove them (each change in
//! the audit log); nobody else may.

use super::profile::{area_id, edit_profile, handle_of};
use guildhall_testkit::*;

async fn audit_actions(app: &TestApp) -> Vec<(String, String)> {
    app.ctx
        .store
        .recent_audit(20)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.action.starts_with("service_area."))
        .map(|a| (a.action, a.detail))
        .collect()
}

test_both!(administrators_add_rename_and_remove_service_areas, |app| {
    let ada = app.admin("Ada Admin").await;
    let pia = app.member("Pia Profile").await;
    let mut a = app.signed_in(&ada).await;
    let admin = a.get("/admin").await;
    assert_eq!(
        admin.attrs("#admin-service-areas-link", "href"),
        vec!["/admin/service-areas"]
    );
    let list = a.get("/admin/service-areas").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert_eq!(list.h1(), "Service areas");
    let names = list.texts("#service-areas tbody tr td:first-child");
    assert_eq!(names.len(), 28);
    assert_eq!(names[0], "Adult social care");

    // Add one; a second with the same name, or none, is refused.
    let added = a
        .post(
            "/admin/service-areas",
            &[("name", "  Coastal   protection ")],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let list = a.follow(&added).await;
    assert_eq!(
        list.texts(".govuk-notification-banner__heading"),
        vec!["The service area has been added"]
    );
    assert!(
        list.texts("#service-areas td")
            .contains(&"Coastal protection".to_string())
    );
    let again = a
        .post("/admin/service-areas", &[("name", "Coastal protection")])
        .await;
    assert_eq!(again.status, 422);
    assert_eq!(
        again.error_summary(),
        vec!["There is already a service area called Coastal protection"]
    );
    assert_eq!(again.attrs("#name", "value"), vec!["Coastal protection"]);
    let empty = a.post("/admin/service-areas", &[("name", " ")]).await;
    assert_eq!(
        empty.error_summary(),
        vec!["Enter the name of the service area"]
    );

    // A member chooses it; it counts them.
    let coastal = area_id(&app, "Coastal protection").await;
    let mut p = app.signed_in(&pia).await;
    let saved = edit_profile(&mut p, &[("service_areas", &coastal)]).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let row = app
        .ctx
        .store
        .service_areas()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.name == "Coastal protection")
        .unwrap();
    assert_eq!(row.members, 1);

    // Rename it: the member keeps it under the new name.
    let path = format!("/admin/service-areas/{coastal}");
    let form = a.get(&path).await;
    assert_eq!(form.h1(), "Rename Coastal protection");
    assert_eq!(form.attrs("#name", "value"), vec!["Coastal protection"]);
    let taken = a.post(&path, &[("name", "Housing")]).await;
    assert_eq!(
        taken.error_summary(),
        vec!["There is already a service area called Housing"]
    );
    let renamed = a
        .post(&path, &[("name", "Coast and flood protection")])
        .await;
    assert_eq!(renamed.status, 303, "{}", renamed.body);
    let handle = handle_of(&app, &pia).await;
    let profile = a.get(&format!("/people/{handle}")).await;
    assert_eq!(
        profile.texts("#service-areas li"),
        vec!["Coast and flood protection"]
    );

    // Remove it, after a question: gone from the list, the profile and
    // the people index (postings and what "people like me" compares).
    let term = format!("a:{coastal}");
    let index = app.ctx.store.people_index_snapshot().await.unwrap();
    let pia_id = pia.id.0;
    let compared = |index: &guildhall_domain::store::seed::PeopleIndexSnapshot| {
        index
            .likeness
            .iter()
            .any(|(m, terms)| *m == pia_id && terms.contains(&term))
    };
    assert!(compared(&index), "{index:?}");
    let confirm = a.get(&format!("{path}/delete")).await;
    assert_eq!(confirm.h1(), "Remove Coast and flood protection?");
    assert_eq!(
        confirm.attrs("form[action$='/delete']", "action"),
        vec![format!("{path}/delete")]
    );
    let removed = a.post(&format!("{path}/delete"), &[]).await;
    assert_eq!(removed.status, 303);
    let list = a.follow(&removed).await;
    assert!(!list.body.contains("Coast and flood protection"));
    let profile = a.get(&format!("/people/{handle}")).await;
    assert!(profile.texts("#service-areas li").is_empty());
    let index = app.ctx.store.people_index_snapshot().await.unwrap();
    assert!(!compared(&index), "{index:?}");
    assert!(!index.postings.iter().any(|(t, _)| *t == term));
    assert!(index.likeness.iter().any(|(m, _)| *m == pia_id));
    assert_eq!(a.get(&path).await.status, 404);
    assert_eq!(a.post(&format!("{path}/delete"), &[]).await.status, 404);
    assert_eq!(a.get("/admin/service-areas/not-a-number").await.status, 404);

    // Each change is in the site's audit log, shown on the admin page.
    assert_eq!(
        audit_actions(&app).await,
        vec![
            (
                "service_area.remove".to_string(),
                "Coast and flood protection (shown by 1 member)".to_string()
            ),
            (
                "service_area.rename".to_string(),
                "Coastal protection -> Coast and flood protection".to_string()
            ),
            (
                "service_area.add".to_string(),
                "Coastal protection".to_string()
            ),
        ]
    );
    assert!(a.get("/admin").await.body.contains("service_area.rename"));
});

test_both!(only_administrators_manage_service_areas, |app| {
    let pia = app.member("Pia Member").await;
    let housing = area_id(&app, "Housing").await;
    let mut p = app.signed_in(&pia).await;
    assert_eq!(p.get("/admin/service-areas").await.status, 403);
    assert_eq!(
        p.post("/admin/service-areas", &[("name", "Mine")])
            .await
            .status,
        403
    );
    let path = format!("/admin/service-areas/{housing}");
    assert_eq!(p.get(&path).await.status, 403);
    assert_eq!(p.post(&path, &[("name", "Mine")]).await.status, 403);
    assert_eq!(p.post(&format!("{path}/delete"), &[]).await.status, 403);
    let mut visitor = app.browser();
    assert_eq!(visitor.get("/admin/service-areas").await.status, 303);
    let names: Vec<String> = app
        .ctx
        .store
        .service_areas()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(names.len(), 28);
    assert!(names.contains(&"Housing".to_string()) && !names.contains(&"Mine".to_string()));
    assert!(audit_actions(&app).await.is_empty());
});
