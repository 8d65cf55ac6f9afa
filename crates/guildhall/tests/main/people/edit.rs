//! Editing one's own profile: bad input on the page and in the API, partial
//! changes through the API, pending members, and photos (resized,
//! re-encoded without metadata, shown only to whom the owner allows).

use super::profile::{area_id, edit_profile, handle_of};
use crate::leaks::world::viewer_of;
use axum::http::Method;
use guildhall_domain::core::{MemberStatus, Viewer};
use guildhall_domain::people::edit::{self, ProfileInput};
use guildhall_testkit::*;
use serde_json::json;
use std::io::Cursor;

test_both!(bad_input_is_named_and_what_was_typed_kept, |app| {
    let pia = app.member("Pia Profile").await;
    let mut p = app.signed_in(&pia).await;
    let long_title = "x".repeat(201);
    let housing = area_id(&app, "Housing").await;
    let page = edit_profile(
        &mut p,
        &[
            ("job_title", &long_title),
            ("service_areas", &housing),
            ("service_areas", "999999"),
            ("responsibilities", "Keep this text"),
            ("expertise", "a, b, c, d, e, f, g, h, i, j, k"),
            ("audience_bio", "nobody"),
            ("audience_name", "nobody"),
        ],
    )
    .await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(page.layout_title().starts_with("Error: "));
    assert_eq!(
        page.error_summary(),
        vec![
            "Job title must be 200 characters or fewer",
            "Choose service areas from the list",
            "Enter 10 areas of expertise or fewer",
            "Your name is always shown to members",
        ]
    );
    assert_eq!(
        page.error_links(),
        vec!["#job_title", "#service_areas", "#expertise", "#audiences"]
    );
    for id in ["job_title", "service_areas", "expertise", "audiences"] {
        assert_eq!(page.attrs(&format!("#{id}"), "id").len(), 1, "#{id} exists");
    }
    // What was typed is kept.
    assert_eq!(page.attrs("#job_title", "value"), vec![long_title.clone()]);
    assert_eq!(page.text("#responsibilities"), "Keep this text");
    assert_eq!(
        page.attrs("input[name=service_areas][checked]", "value"),
        vec![housing.clone()]
    );
    assert_eq!(
        page.attrs("#audience-bio option[selected]", "value"),
        vec!["nobody"]
    );
    // Nothing was saved.
    let row = app.ctx.store.profile_of(pia.id).await.unwrap();
    assert_eq!(row.responsibilities, "");
    assert!(row.profiled_at.is_none());
});

trait Title {
    fn layout_title(&self) -> String;
}

impl Title for Page {
    fn layout_title(&self) -> String {
        self.text("title")
    }
}

test_both!(the_api_changes_only_the_fields_given, |app| {
    let pia = app.member("Pia Api").await;
    let token = app.token(&pia).await;
    let mut b = app.browser();
    let patch = |body| {
        let token = token.clone();
        let mut b = app.browser();
        async move {
            b.api(
                Method::PATCH,
                "/api/v1/me/profile",
                Some(&token),
                Some(body),
            )
            .await
        }
    };
    let saved = patch(json!({
        "responsibilities": "Licensing of houses in multiple occupation.",
        "service_areas": ["Licensing", "housing"],
        "expertise": ["HMO licensing", "s.257: conversions", " Enforcement "],
        "audiences": {"contact": "nobody", "name": "everyone"},
    }))
    .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let json = saved.json();
    assert_eq!(json["job_title"], "Housing officer", "kept");
    assert_eq!(json["service_areas"], json!(["Housing", "Licensing"]));
    assert_eq!(
        json["expertise"],
        json!(["hmo licensing", "s.257: conversions", "enforcement"])
    );
    assert_eq!(json["audiences"]["contact"], "nobody");
    assert_eq!(json["audiences"]["name"], "everyone");
    assert_eq!(json["audiences"]["email"], "nobody", "kept");
    // A second change leaves the first alone.
    let saved = patch(json!({"bio": "Ten years in _private sector housing_."})).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let json = saved.json();
    assert_eq!(
        json["responsibilities"],
        "Licensing of houses in multiple occupation."
    );
    assert_eq!(json["service_areas"], json!(["Housing", "Licensing"]));
    assert!(
        json["bio_html"]
            .as_str()
            .is_some_and(|h| h.contains("<em>private sector housing</em>"))
    );
    // Bad input: a problem body naming each field; nothing changes.
    let bad = patch(json!({
        "job_title": "",
        "service_areas": [999999, "Underwater basket weaving"],
        "expertise": ["x".repeat(51)],
        "bio": "y".repeat(5001),
        "audiences": {"shoe_size": "members", "name": "nobody"},
    }))
    .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(
        bad.header("content-type").as_deref(),
        Some("application/problem+json")
    );
    let problem = bad.json();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        vec![
            "job_title",
            "service_areas",
            "expertise",
            "bio",
            "audiences"
        ]
    );
    assert_eq!(
        problem["errors"][1]["message"],
        "Choose service areas from the list"
    );
    let row = app.ctx.store.profile_of(pia.id).await.unwrap();
    assert_eq!(row.job_title, "Housing officer");
    // Wrong shapes and no token.
    let wrong = patch(json!({"expertise": "not a list"})).await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    let anon = b
        .api(Method::PATCH, "/api/v1/me/profile", None, Some(json!({})))
        .await;
    assert_eq!(anon.status, 401);
});

test_both!(a_pending_member_may_edit_their_own_profile, |app| {
    let pia = app.member("Pia Pending").await;
    let Viewer::Member(mut m) = viewer_of(&app.ctx, pia.id).await else {
        panic!("a member")
    };
    for status in [MemberStatus::Unverified, MemberStatus::AwaitingApproval] {
        m.status = status;
        let viewer = Viewer::Member(m.clone());
        let mut input = edit::current(&app.ctx, &viewer).await.unwrap();
        input.responsibilities = format!("Written while {}", status.as_str());
        edit::save(&app.ctx, &viewer, &input).await.unwrap();
        assert_eq!(
            app.ctx
                .store
                .profile_of(pia.id)
                .await
                .unwrap()
                .responsibilities,
            input.responsibilities
        );
    }
    for status in [MemberStatus::Suspended, MemberStatus::Rejected] {
        m.status = status;
        let viewer = Viewer::Member(m.clone());
        assert!(
            edit::save(&app.ctx, &viewer, &ProfileInput::default())
                .await
                .is_err()
        );
    }
    assert!(
        edit::current(&app.ctx, &Viewer::Anonymous).await.is_err(),
        "visitors have no profile"
    );
});

/// A PNG of the given size, made here.
fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

/// A JPEG carrying EXIF metadata with a GPS position.
fn jpeg_with_gps() -> Vec<u8> {
    let image = image::RgbImage::from_fn(64, 48, |x, _| image::Rgb([(x * 3) as u8, 90, 30]));
    let mut plain = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut plain, image::ImageFormat::Jpeg)
        .unwrap();
    let plain = plain.into_inner();
    // A big-endian TIFF: IFD0 points to a GPS IFD holding a latitude
    // reference and a marker text that must not survive.
    let mut tiff: Vec<u8> = vec![b'M', b'M', 0, 42, 0, 0, 0, 8];
    tiff.extend([0, 1, 0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0]);
    tiff.extend([0, 1, 0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0, 0, 0, 0, 0]);
    tiff.extend(b"GPS-SECRET-53.8008N");
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let length = (app1.len() + 2) as u16;
    let mut out = plain[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(length.to_be_bytes());
    out.extend(app1);
    out.extend(&plain[2..]);
    out
}

/// Uploads a file as the photo form does (multipart, the token first).
async fn upload(b: &mut Browser, file: &[u8], name: &str, content_type: &str) -> Page {
    let form = b.get("/profile/photo").await;
    assert_eq!(form.status, 200, "{}", form.body);
    let csrf = form.attrs("input[name=csrf_token]", "value").remove(0);
    let boundary = "guildhall-test-boundary-7d1f";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"{name}\"\r\n\
         Content-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend(file);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    b.request(
        Method::POST,
        "/profile/photo",
        Some(&format!("multipart/form-data; boundary={boundary}")),
        body,
    )
    .await
}

/// A photo's bytes as served, straight from the router.
async fn photo_bytes(
    app: &TestApp,
    b: &Browser,
    handle: &str,
) -> (u16, Vec<u8>, Option<String>, Option<String>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut request = axum::http::Request::builder().uri(format!("/people/{handle}/photo"));
    let cookies: Vec<String> = ["guildhall_session"]
        .iter()
        .filter_map(|n| b.cookie(n).map(|v| format!("{n}={v}")))
        .collect();
    if !cookies.is_empty() {
        request = request.header("cookie", cookies.join("; "));
    }
    let response = app
        .router
        .clone()
        .oneshot(request.body(axum::body::Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (content_type, cache) = (header("content-type"), header("cache-control"));
    let bytes = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, bytes, content_type, cache)
}

test_both!(
    a_photo_is_made_small_and_shown_to_whom_its_owner_allows,
    |app| {
        let pia = app.member("Pia Photo").await;
        let cole = app.member("Cole Colleague").await;
        let handle = handle_of(&app, &pia).await;
        let mut p = app.signed_in(&pia).await;
        let done = upload(&mut p, &png(640, 400), "me.png", "image/png").await;
        assert_eq!(done.status, 303, "{}", done.body);
        assert_eq!(
            done.location().as_deref(),
            Some(format!("/people/{handle}?done=photo").as_str())
        );
        let c = app.signed_in(&cole).await;
        let (status, bytes, content_type, cache) = photo_bytes(&app, &c, &handle).await;
        assert_eq!(status, 200);
        assert_eq!(content_type.as_deref(), Some("image/jpeg"));
        assert!(cache.is_some_and(|c| c.starts_with("private, max-age=")));
        assert_eq!(
            image::guess_format(&bytes).ok(),
            Some(image::ImageFormat::Jpeg)
        );
        let img = image::load_from_memory(&bytes).unwrap();
        assert_eq!((img.width(), img.height()), (256, 256));
        // The profile page shows it, with alt text.
        let mut cb = app.signed_in(&cole).await;
        let page = cb.get(&format!("/people/{handle}")).await;
        assert_eq!(page.attrs("#photo", "alt"), vec!["Photo of Pia Photo"]);
        assert!(page.attrs("#photo", "src")[0].starts_with(&format!("/people/{handle}/photo?v=")));
        let served = cb.get(&page.attrs("#photo", "src")[0]).await;
        assert_eq!(
            served.header("x-content-type-options").as_deref(),
            Some("nosniff")
        );
        // Visitors do not see it (the profile is not public).
        assert_eq!(photo_bytes(&app, &app.browser(), &handle).await.0, 404);
        // Hidden from everyone: missing to others, as a missing photo is.
        edit_profile(&mut p, &[("audience_photo", "nobody")]).await;
        assert_eq!(photo_bytes(&app, &c, &handle).await.0, 404);
        assert_eq!(
            photo_bytes(&app, &p, &handle).await.0,
            200,
            "its owner sees it"
        );
        let page = cb.get(&format!("/people/{handle}")).await;
        assert!(page.texts("#photo").is_empty() && !page.body.contains("/photo?v="));
        let api = app
            .browser()
            .api(
                Method::GET,
                &format!("/api/v1/people/{handle}"),
                Some(&app.token(&cole).await),
                None,
            )
            .await;
        assert!(api.json()["photo_url"].is_null());
        // Shown to everyone (with the name): visitors see it.
        edit_profile(
            &mut p,
            &[
                ("audience_photo", "everyone"),
                ("audience_name", "everyone"),
            ],
        )
        .await;
        assert_eq!(photo_bytes(&app, &app.browser(), &handle).await.0, 200);
        // Removed: missing to everyone.
        let form = p.get("/profile/photo").await;
        assert_eq!(form.attrs("#current-photo", "alt").len(), 1);
        let removed = p.post("/profile/photo/delete", &[]).await;
        assert_eq!(removed.status, 303);
        assert_eq!(photo_bytes(&app, &p, &handle).await.0, 404);
        assert_eq!(photo_bytes(&app, &c, "nobody-here").await.0, 404);
    }
);

test_both!(a_photo_loses_its_metadata, |app| {
    let pia = app.member("Pia Gps").await;
    let handle = handle_of(&app, &pia).await;
    let original = jpeg_with_gps();
    assert!(original.windows(4).any(|w| w == b"Exif"));
    image::load_from_memory(&original).expect("the test JPEG decodes");
    let mut p = app.signed_in(&pia).await;
    let done = upload(&mut p, &original, "holiday.jpg", "image/jpeg").await;
    assert_eq!(done.status, 303, "{}", done.body);
    let (status, bytes, _, _) = photo_bytes(&app, &p, &handle).await;
    assert_eq!(status, 200);
    assert!(!bytes.windows(4).any(|w| w == b"Exif"), "EXIF kept");
    assert!(!bytes.windows(10).any(|w| w == b"GPS-SECRET"), "GPS kept");
    assert!(
        !bytes.windows(2).any(|w| w == [0xFF, 0xE1]),
        "an APP1 segment kept"
    );
});

test_both!(bad_photos_are_refused_plainly, |app| {
    let pia = app.member("Pia Bad").await;
    let mut p = app.signed_in(&pia).await;
    let too_big = vec![7u8; 5 * 1024 * 1024 + 1];
    let page = upload(&mut p, &too_big, "huge.png", "image/png").await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert_eq!(
        page.error_summary(),
        vec!["The photo must be smaller than 5 MB"]
    );
    assert_eq!(page.error_links(), vec!["#photo"]);
    assert!(page.text("#photo-error").contains("smaller than 5 MB"));
    let page = upload(
        &mut p,
        b"Dear all, minutes attached.",
        "notes.txt",
        "text/plain",
    )
    .await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.error_summary(),
        vec!["The photo must be a JPG, PNG, GIF or WebP image"]
    );
    // An image claiming to be another kind is judged by its content.
    let page = upload(&mut p, b"GIF89a not really", "fake.gif", "image/gif").await;
    assert_eq!(page.status, 422);
    let page = upload(&mut p, &[], "", "application/octet-stream").await;
    assert_eq!(page.error_summary(), vec!["Select a photo"]);
    // Far too big: refused before it is read.
    let page = upload(&mut p, &vec![0u8; 7 * 1024 * 1024], "vast.png", "image/png").await;
    assert_eq!(page.status, 413);
    assert!(app.ctx.store.photo(pia.id).await.unwrap().is_none());
    // Without the form's token: refused.
    let mut body =
        b"--b\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.png\"\r\n\r\n"
            .to_vec();
    body.extend(png(10, 10));
    body.extend(b"\r\n--b--\r\n");
    let page = p
        .request(
            Method::POST,
            "/profile/photo",
            Some("multipart/form-data; boundary=b"),
            body,
        )
        .await;
    assert_eq!(page.status, 403);
    assert!(app.ctx.store.photo(pia.id).await.unwrap().is_none());
});

test_both!(the_profile_api_is_described, |app| {
    let doc = app
        .browser()
        .api(Method::GET, "/api/v1/openapi.json", None, None)
        .await
        .json();
    let person = &doc["paths"]["/api/v1/people/{handle}"]["get"];
    assert!(person["responses"]["200"].is_object(), "{doc}");
    let patch = &doc["paths"]["/api/v1/me/profile"]["patch"];
    assert!(patch["responses"]["422"].is_object(), "{doc}");
    for schema in ["Person", "ProfileChanges", "AreaRef"] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
});
