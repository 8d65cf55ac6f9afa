//! The directory at size: counts stop at 1,000, pages still work.

use axum::http::Method;
use guildhall_domain::seed::{SeedPlan, seed};
use guildhall_testkit::*;

test_both!(a_large_directory_says_more_than_a_thousand, |app| {
    seed(&app.ctx, SeedPlan::people(50, 1400, 7)).await.unwrap();
    let mut b = app.browser();
    let list = b
        .api(Method::GET, "/api/v1/communities", None, None)
        .await
        .json();
    assert_eq!(list["total"], 1000);
    assert_eq!(list["more"], true);
    assert_eq!(list["pages"], 50);
    assert_eq!(list["items"].as_array().unwrap().len(), 20);
    let page = b.get("/communities").await;
    assert!(
        page.text("#result-count")
            .starts_with("More than 1000 communities"),
        "{}",
        page.text("#result-count")
    );
    // A narrow search is counted exactly.
    let some = b
        .api(Method::GET, "/api/v1/communities?q=licensing", None, None)
        .await
        .json();
    assert_eq!(some["more"], false);
    assert!(some["total"].as_i64().unwrap() < 1000);
});
