//! Registration, verification, sign-in, reset and change of password, from
//! the outside: through the pages and the emails, as a person would.

use guildhall_testkit::*;

const NEW_PASSWORD: &str = "lighthouse marmalade trombone";

fn registration<'a>(email: &'a str, password: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", "Priya Shah"),
        ("email", email),
        ("password", password),
        ("organisation", "E08000035"),
        ("job_title", "Homelessness prevention officer"),
    ]
}

/// Registers through the page and returns the verification link's path.
async fn register(app: &TestApp, b: &mut Browser, email: &str) -> String {
    let page = b
        .submit("/register", &registration(email, NEW_PASSWORD))
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let mail = app.emails_to(email).await;
    let last = mail.last().expect("a verification email");
    assert!(
        last.subject.contains("Confirm your email"),
        "{}",
        last.subject
    );
    last.link("http://guildhall.test/verify-email/")
        .expect("a verification link")
}

test_both!(
    registration_journey_ends_on_the_signed_in_home_page,
    |app| {
        let mut b = app.browser();
        let page = b.get("/register").await;
        assert_eq!(page.status, 200);
        assert!(
            page.texts("#organisation option")
                .iter()
                .any(|o| o == "Leeds"),
            "the register is in the select"
        );

        let link = register(&app, &mut b, "priya.shah@leeds.gov.uk").await;
        // Opening the link shows a button; it does not use the token up.
        let confirm = b.get(&link).await;
        assert_eq!(confirm.h1(), "Confirm your email address");
        let done = b.post(&link, &[]).await;
        assert_eq!(done.status, 200, "{}", done.body);
        assert!(
            done.text(".govuk-panel__title")
                .contains("Email address confirmed")
        );
        assert!(done.body.contains("You can now use Guildhall"));

        let signed = b
            .submit(
                "/sign-in",
                &[
                    ("email", "Priya.Shah@leeds.gov.uk"),
                    ("password", NEW_PASSWORD),
                ],
            )
            .await;
        assert_eq!(signed.status, 303);
        assert_eq!(signed.location().as_deref(), Some("/"));
        let home = b.follow(&signed).await;
        assert_eq!(home.h1(), "Welcome, Priya Shah");
        assert!(home.text("#signed-in-as").contains("Priya Shah"));
        assert!(home.body.contains("Homelessness prevention officer, Leeds"));
        assert!(home.attrs("link[rel=stylesheet]", "href")[0].starts_with("/assets/guildhall.css"));
    }
);

test_both!(a_verification_link_works_once, |app| {
    let mut b = app.browser();
    let link = register(&app, &mut b, "once@leeds.gov.uk").await;
    assert_eq!(b.post(&link, &[]).await.status, 200);
    let again = b.post(&link, &[]).await;
    assert_eq!(again.status, 422);
    assert!(
        again
            .body
            .contains("This link has expired or has already been used")
    );
    let made_up = b.post("/verify-email/not-a-real-token", &[]).await;
    assert_eq!(made_up.status, 422);
});

test_both!(
    an_expired_verification_link_is_refused,
    |raw| raw.verify_token_seconds = 1,
    |app| {
        let mut b = app.browser();
        let link = register(&app, &mut b, "late@leeds.gov.uk").await;
        tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
        let page = b.post(&link, &[]).await;
        assert_eq!(page.status, 422);
        assert!(page.body.contains("This link has expired"));
        // Still unverified: signing in works but shows the pending banner.
        let signed = b
            .submit(
                "/sign-in",
                &[("email", "late@leeds.gov.uk"), ("password", NEW_PASSWORD)],
            )
            .await;
        let home = b.follow(&signed).await;
        assert!(
            home.text(".govuk-notification-banner")
                .contains("Confirm your email address")
        );
    }
);

test_both!(an_address_off_the_allow_list_waits_for_approval, |app| {
    let admin = app.admin("Ada Admin").await;
    let mut b = app.browser();
    let page = b
        .submit(
            "/register",
            &registration("priya@example.org", NEW_PASSWORD),
        )
        .await;
    assert_eq!(
        page.location().as_deref(),
        Some("/register/check-email?next=approval")
    );
    let next = b.follow(&page).await;
    assert!(
        next.body
            .contains("an administrator will check your account")
    );
    let link = app.emails_to("priya@example.org").await[0]
        .link("http://guildhall.test/verify-email/")
        .unwrap();
    let done = b.post(&link, &[]).await;
    assert!(
        done.body
            .contains("An administrator will now check your account")
    );

    // Signed in, but pending: the service says so and refuses member-only pages.
    let signed = b
        .submit(
            "/sign-in",
            &[("email", "priya@example.org"), ("password", NEW_PASSWORD)],
        )
        .await;
    let home = b.follow(&signed).await;
    assert!(
        home.text(".govuk-notification-banner")
            .contains("An administrator is checking your account")
    );
    assert_eq!(b.get("/account/tokens").await.status, 403);

    // The administrator approves; the member is told and can use the service.
    let mut a = app.signed_in(&admin).await;
    let queue = a.get("/admin").await;
    assert!(queue.text("#awaiting").contains("priya@example.org"));
    let id = app
        .ctx
        .store
        .member_by_email("priya@example.org")
        .await
        .unwrap()
        .unwrap()
        .id;
    let approved = a.post(&format!("/admin/members/{id}/approve"), &[]).await;
    assert_eq!(approved.status, 303);
    assert!(
        !a.get("/admin")
            .await
            .text("#awaiting")
            .contains("priya@example.org")
    );
    let mail = app.emails_to("priya@example.org").await;
    assert!(mail.iter().any(|m| m.subject.contains("account is ready")));
    assert_eq!(
        b.get("/account/tokens").await.status,
        200,
        "approval takes effect on the next request"
    );
    // Approving twice is a clear conflict, not a crash.
    let twice = a.post(&format!("/admin/members/{id}/approve"), &[]).await;
    assert_eq!(twice.status, 409);
});

test_both!(
    registration_answers_alike_for_known_and_unknown_addresses,
    |app| {
        let known = app.member("Known Person").await;
        let mut b = app.browser();
        let first = b
            .submit("/register", &registration(&known.email, NEW_PASSWORD))
            .await;
        let second = b
            .submit(
                "/register",
                &registration("unknown.person@leeds.gov.uk", NEW_PASSWORD),
            )
            .await;
        assert_eq!(first.status, second.status);
        assert_eq!(first.location(), second.location());
        assert_eq!(first.body, second.body);
        // The difference goes to the inbox: the owner is told they already have an account.
        let mail = app.emails_to(&known.email).await;
        assert_eq!(mail.len(), 1);
        assert!(mail[0].subject.contains("already have"));
        assert!(
            mail[0]
                .link("http://guildhall.test/verify-email/")
                .is_none()
        );
    }
);

test_both!(
    sign_in_answers_alike_for_unknown_address_and_wrong_password,
    |app| {
        let known = app.member("Sam Known").await;
        let mut b = app.browser();
        let wrong = b
            .submit(
                "/sign-in",
                &[
                    ("email", &known.email),
                    ("password", "not the password at all"),
                ],
            )
            .await;
        let unknown = b
            .submit(
                "/sign-in",
                &[
                    ("email", "nobody@leeds.gov.uk"),
                    ("password", "not the password at all"),
                ],
            )
            .await;
        assert_eq!(wrong.status, 422);
        assert_eq!(wrong.status, unknown.status);
        assert_eq!(wrong.error_summary(), unknown.error_summary());
        assert_eq!(
            wrong.error_summary(),
            vec!["Enter a correct email address and password"]
        );
        // What was typed is kept, except the password.
        assert_eq!(wrong.attrs("#email", "value"), vec![known.email.clone()]);
        assert!(wrong.attrs("#password", "value").is_empty());
    }
);

test_both!(password_reset_journey, |app| {
    let member = app.member("Reset Me").await;
    let mut other = app.signed_in(&member).await;
    let mut b = app.browser();
    let sent = b
        .submit("/forgot-password", &[("email", &member.email)])
        .await;
    assert_eq!(
        sent.location().as_deref(),
        Some("/forgot-password/check-email")
    );
    let unknown = b
        .submit("/forgot-password", &[("email", "ghost@leeds.gov.uk")])
        .await;
    assert_eq!(sent.status, unknown.status);
    assert_eq!(sent.location(), unknown.location());

    let mail = app.emails_to(&member.email).await;
    let link = mail
        .last()
        .unwrap()
        .link("http://guildhall.test/reset-password/")
        .unwrap();
    assert!(app.emails_to("ghost@leeds.gov.uk").await.is_empty());
    let form = b.get(&link).await;
    assert_eq!(form.h1(), "Choose a new password");
    let weak = b.post(&link, &[("password", "short")]).await;
    assert_eq!(weak.status, 422);
    assert_eq!(
        weak.error_summary(),
        vec!["Password must be 10 characters or more"]
    );
    let done = b.post(&link, &[("password", NEW_PASSWORD)]).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(
        done.text(".govuk-panel__title")
            .contains("Your password has been reset")
    );

    // The link is used up; the old password no longer works; other sessions ended.
    assert_eq!(b.get(&link).await.status, 403);
    assert_eq!(
        b.post(&link, &[("password", "another fine password")])
            .await
            .status,
        403
    );
    let old = b
        .submit(
            "/sign-in",
            &[("email", &member.email), ("password", &member.password)],
        )
        .await;
    assert_eq!(old.status, 422);
    let new = b
        .submit(
            "/sign-in",
            &[("email", &member.email), ("password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(new.status, 303);
    assert_eq!(
        other.get("/account").await.status,
        303,
        "the other session was ended"
    );
    assert!(
        app.emails_to(&member.email)
            .await
            .iter()
            .any(|m| m.subject.contains("password has changed"))
    );
});

test_both!(
    an_expired_reset_link_is_refused,
    |raw| raw.reset_token_seconds = 1,
    |app| {
        let member = app.member("Slow Reader").await;
        let mut b = app.browser();
        b.submit("/forgot-password", &[("email", &member.email)])
            .await;
        let link = app.emails_to(&member.email).await[0]
            .link("http://guildhall.test/reset-password/")
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
        let page = b.get(&link).await;
        assert_eq!(page.status, 403);
        assert!(page.body.contains("expired or has already been used"));
        assert_eq!(
            b.post(&link, &[("password", NEW_PASSWORD)]).await.status,
            403
        );
    }
);

test_both!(
    changing_the_password_needs_the_current_one_and_ends_other_sessions,
    |app| {
        let member = app.member("Change Mine").await;
        let mut here = app.signed_in(&member).await;
        let mut elsewhere = app.signed_in(&member).await;
        let wrong = here
            .submit(
                "/account/password",
                &[
                    ("current_password", "not my password"),
                    ("new_password", NEW_PASSWORD),
                ],
            )
            .await;
        assert_eq!(wrong.status, 422);
        assert_eq!(
            wrong.error_summary(),
            vec!["Your current password is not correct"]
        );
        assert_eq!(wrong.error_links(), vec!["#current_password"]);
        let ok = here
            .submit(
                "/account/password",
                &[
                    ("current_password", &member.password),
                    ("new_password", NEW_PASSWORD),
                ],
            )
            .await;
        assert_eq!(ok.location().as_deref(), Some("/account?done=password"));
        let account = here.follow(&ok).await;
        assert!(
            account
                .text(".govuk-notification-banner--success")
                .contains("Your password has been changed")
        );
        assert_eq!(
            elsewhere.get("/account").await.status,
            303,
            "the other session ended"
        );
    }
);

test_both!(sign_out_ends_the_session_on_the_server, |app| {
    let member = app.member("Out Going").await;
    let mut b = app.signed_in(&member).await;
    let cookie = b.cookie(guildhall_web::COOKIE_SESSION).unwrap().to_string();
    let out = b.post("/sign-out", &[]).await;
    assert_eq!(out.location().as_deref(), Some("/signed-out"));
    // Replaying the old cookie does not sign anyone in.
    let mut replay = app.browser();
    replay.set_cookie(guildhall_web::COOKIE_SESSION, &cookie);
    assert_eq!(replay.get("/account").await.status, 303);
});

test_both!(the_session_id_rotates_at_sign_in, |app| {
    let member = app.member("Rot Ate").await;
    let mut b = app.signed_in(&member).await;
    let first = b.cookie(guildhall_web::COOKIE_SESSION).unwrap().to_string();
    // Signing in again from the same browser starts a new session.
    let again = b
        .post(
            "/sign-in",
            &[("email", &member.email), ("password", &member.password)],
        )
        .await;
    assert_eq!(again.status, 303);
    let second = b.cookie(guildhall_web::COOKIE_SESSION).unwrap().to_string();
    assert_ne!(first, second);
    let mut old = app.browser();
    old.set_cookie(guildhall_web::COOKIE_SESSION, &first);
    assert_eq!(
        old.get("/account").await.status,
        303,
        "the old session ended"
    );
});

test_both!(session_cookie_is_http_only_and_same_site_lax, |app| {
    let member = app.member("Cookie Check").await;
    let mut b = app.browser();
    b.get("/sign-in").await;
    let page = b
        .post(
            "/sign-in",
            &[("email", &member.email), ("password", &member.password)],
        )
        .await;
    let set = page.header("set-cookie").unwrap();
    assert!(set.starts_with("guildhall_session="));
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/"));
});

test_both!(
    an_idle_session_expires,
    |raw| raw.session_idle_seconds = 1,
    |app| {
        let member = app.member("Idle Person").await;
        let mut b = app.signed_in(&member).await;
        assert_eq!(b.get("/account").await.status, 200);
        tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
        assert_eq!(b.get("/account").await.status, 303);
    }
);

test_both!(
    bad_registration_input_gives_the_error_summary_and_keeps_what_was_typed,
    |app| {
        let mut b = app.browser();
        let long_name = "n".repeat(101);
        let cases: Vec<(&str, &str, &str)> = vec![
            ("name", "", "Enter your full name"),
            (
                "name",
                &long_name,
                "Full name must be 100 characters or fewer",
            ),
            ("email", "", "Enter your email address"),
            (
                "email",
                "not-an-email",
                "Enter an email address in the correct format, like name@council.gov.uk",
            ),
            ("password", "", "Enter a password"),
            (
                "password",
                "tooshort",
                "Password must be 10 characters or more",
            ),
            (
                "password",
                "qwertyuiop",
                "This password is too common. Choose one that is harder to guess, like three random words",
            ),
            ("organisation", "", "Select your organisation"),
            (
                "organisation",
                "X99999999",
                "Select your organisation from the list",
            ),
            ("job_title", "", "Enter your job title"),
        ];
        for (field, value, message) in cases {
            let mut fields = registration("good.person@leeds.gov.uk", NEW_PASSWORD);
            for f in fields.iter_mut() {
                if f.0 == field {
                    f.1 = value;
                }
            }
            let page = b.submit("/register", &fields).await;
            assert_eq!(page.status, 422, "{field}={value:?}");
            assert_eq!(
                page.error_summary(),
                vec![message.to_string()],
                "{field}={value:?}"
            );
            assert_eq!(page.error_links(), vec![format!("#{field}")]);
            assert!(page.h1().contains("Register"));
            assert!(page.text("title").starts_with("Error: "));
            assert_eq!(
                page.texts(&format!("#{field}-error")).len(),
                1,
                "inline error for {field}"
            );
            // What was typed comes back (never the password).
            if field != "name" {
                assert_eq!(page.attrs("#name", "value"), vec!["Priya Shah"]);
            }
            if field != "email" {
                assert_eq!(
                    page.attrs("#email", "value"),
                    vec!["good.person@leeds.gov.uk"]
                );
            }
            if field != "organisation" {
                assert_eq!(
                    page.attrs("#organisation option[selected]", "value"),
                    vec!["E08000035"]
                );
            }
            assert!(page.attrs("#password", "value").is_empty());
        }
        // Several problems at once are all listed, in form order.
        let page = b
            .submit(
                "/register",
                &[
                    ("name", ""),
                    ("email", "x"),
                    ("password", ""),
                    ("organisation", ""),
                    ("job_title", ""),
                ],
            )
            .await;
        assert_eq!(
            page.error_links(),
            vec![
                "#name",
                "#email",
                "#organisation",
                "#job_title",
                "#password"
            ]
        );
        assert!(app.emails().await.is_empty(), "nothing was registered");
    }
);

test_both!(bad_sign_in_and_reset_input_is_explained, |app| {
    let mut b = app.browser();
    let page = b
        .submit("/sign-in", &[("email", ""), ("password", "")])
        .await;
    assert_eq!(page.error_links(), vec!["#email", "#password"]);
    let page = b.submit("/forgot-password", &[("email", "nonsense")]).await;
    assert_eq!(page.status, 422);
    assert_eq!(page.error_links(), vec!["#email"]);
    assert_eq!(page.attrs("#email", "value"), vec!["nonsense"]);
    let member = app.member("Token Maker").await;
    let mut m = app.signed_in(&member).await;
    let page = m.submit("/account/tokens", &[("label", "   ")]).await;
    assert_eq!(page.status, 422);
    assert_eq!(page.error_links(), vec!["#label"]);
});

test_both!(
    sign_in_is_rate_limited_per_account,
    |raw| raw.rate_limit_sign_in_account = "3/900".into(),
    |app| {
        let member = app.member("Guess Target").await;
        let mut b = app.browser();
        for _ in 0..3 {
            let page = b
                .submit(
                    "/sign-in",
                    &[("email", &member.email), ("password", "wrong guess number")],
                )
                .await;
            assert_eq!(page.status, 422);
        }
        let page = b
            .submit(
                "/sign-in",
                &[("email", &member.email), ("password", &member.password)],
            )
            .await;
        assert_eq!(page.status, 429);
        let retry: i64 = page.header("retry-after").unwrap().parse().unwrap();
        assert!((1..=900).contains(&retry));
        assert_eq!(page.h1(), "Too many attempts");
        assert!(page.body.contains("Try again in"));
        // Another account from the same place is not blocked by this one's limit.
        let other = app.member("Not Targeted").await;
        let fine = b
            .submit(
                "/sign-in",
                &[("email", &other.email), ("password", &other.password)],
            )
            .await;
        assert_eq!(fine.status, 303);
    }
);

test_both!(
    sign_in_is_rate_limited_per_ip,
    |raw| {
        raw.rate_limit_sign_in_ip = "2/900".into();
        raw.trust_forwarded_for = true;
    },
    |app| {
        let mut b = app.browser();
        b.extra_headers
            .push(("x-forwarded-for".into(), "203.0.113.9".into()));
        for n in 0..2 {
            let email = format!("someone{n}@leeds.gov.uk");
            assert_eq!(
                b.submit(
                    "/sign-in",
                    &[("email", &email), ("password", "whatever it is")]
                )
                .await
                .status,
                422
            );
        }
        let page = b
            .submit(
                "/sign-in",
                &[
                    ("email", "third@leeds.gov.uk"),
                    ("password", "whatever it is"),
                ],
            )
            .await;
        assert_eq!(page.status, 429);
        let mut elsewhere = app.browser();
        elsewhere
            .extra_headers
            .push(("x-forwarded-for".into(), "198.51.100.7".into()));
        let page = elsewhere
            .submit(
                "/sign-in",
                &[
                    ("email", "third@leeds.gov.uk"),
                    ("password", "whatever it is"),
                ],
            )
            .await;
        assert_eq!(page.status, 422, "a different address is not blocked");
    }
);

test_both!(
    registration_and_reset_are_rate_limited,
    |raw| {
        raw.rate_limit_register_ip = "1/3600".into();
        raw.rate_limit_reset_account = "1/3600".into();
    },
    |app| {
        let mut b = app.browser();
        assert_eq!(
            b.submit(
                "/register",
                &registration("first@leeds.gov.uk", NEW_PASSWORD)
            )
            .await
            .status,
            303
        );
        let page = b
            .submit(
                "/register",
                &registration("second@leeds.gov.uk", NEW_PASSWORD),
            )
            .await;
        assert_eq!(page.status, 429);
        assert!(page.header("retry-after").is_some());
        assert_eq!(
            b.submit("/forgot-password", &[("email", "first@leeds.gov.uk")])
                .await
                .status,
            303
        );
        assert_eq!(
            b.submit("/forgot-password", &[("email", "first@leeds.gov.uk")])
                .await
                .status,
            429
        );
    }
);

test_both!(forms_without_a_valid_csrf_token_are_refused, |app| {
    let member = app.member("Csrf Victim").await;
    let mut b = app.browser();
    b.get("/sign-in").await;
    let missing = b
        .post_raw(
            "/sign-in",
            &[("email", &member.email), ("password", &member.password)],
        )
        .await;
    assert_eq!(missing.status, 403);
    assert_eq!(missing.h1(), "You cannot do this");
    assert!(missing.body.contains("We could not accept this form"));
    let wrong = b
        .post_raw(
            "/sign-in",
            &[
                ("email", &member.email),
                ("password", &member.password),
                ("csrf_token", "forged"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 403);
    // A token from another browser does not work either.
    let mut attacker = app.browser();
    attacker.get("/sign-in").await;
    let stolen = attacker
        .get("/sign-in")
        .await
        .attrs("input[name=csrf_token]", "value")[0]
        .clone();
    let cross = b
        .post_raw(
            "/sign-in",
            &[
                ("email", &member.email),
                ("password", &member.password),
                ("csrf_token", &stolen),
            ],
        )
        .await;
    assert_eq!(cross.status, 403);
    // Signed in: sign-out and password change need the token too.
    let mut m = app.signed_in(&member).await;
    assert_eq!(m.post_raw("/sign-out", &[]).await.status, 403);
    assert_eq!(m.get("/account").await.status, 200, "still signed in");
    let token = m
        .get("/account")
        .await
        .attrs("input[name=csrf_token]", "value")[0]
        .clone();
    assert_eq!(
        m.post_raw("/sign-out", &[("csrf_token", &token)])
            .await
            .status,
        303
    );
});
