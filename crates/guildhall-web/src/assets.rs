//! Front-end assets embedded in the binary and served under `/assets/`.
//!
//! `build.rs` compiles GOV.UK Frontend's Sass with Guildhall's settings (Arial,
//! no GDS Transport, no crown) and copies the scripts and images; this module
//! serves them with a content type, `nosniff`, a one-day cache lifetime and a
//! content-hash ETag (304 on a matching `If-None-Match`).
//!
//! The URL constants carry `?v=<content hash>` so that a page always loads the
//! assets it was built with; the router ignores the query string.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// One embedded file.
struct Asset {
    /// Path under `/assets/`, e.g. `guildhall.css` or `images/x.svg`.
    path: &'static str,
    content_type: &'static str,
    /// Short content hash, used as the ETag.
    hash: &'static str,
    bytes: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// The Guildhall stylesheet (GOV.UK Frontend compiled with our settings).
pub const STYLESHEET: &str = concat!(
    "/assets/guildhall.css?v=",
    env!("GUILDHALL_ASSET_HASH_GUILDHALL_CSS")
);
/// GOV.UK Frontend's JavaScript (an ES module; `SCRIPT_INIT` imports it).
pub const SCRIPT_GOVUK: &str = concat!(
    "/assets/govuk-frontend.min.js?v=",
    env!("GUILDHALL_ASSET_HASH_GOVUK_FRONTEND_MIN_JS")
);
/// Our start-up module: sets the body classes and calls `initAll()`.
/// Load it with `<script type="module" src="...">`.
pub const SCRIPT_INIT: &str = concat!("/assets/init.js?v=", env!("GUILDHALL_ASSET_HASH_INIT_JS"));
/// alphagov's accessible-autocomplete (a UMD bundle setting the global
/// `accessibleAutocomplete`). `SCRIPT_INIT` loads it, as a classic script,
/// only on pages with a `select[data-app-autocomplete]`.
pub const SCRIPT_AUTOCOMPLETE: &str = concat!(
    "/assets/accessible-autocomplete.min.js?v=",
    env!("GUILDHALL_ASSET_HASH_ACCESSIBLE_AUTOCOMPLETE_MIN_JS")
);
/// accessible-autocomplete's stylesheet, loaded by `SCRIPT_INIT` with it.
pub const STYLESHEET_AUTOCOMPLETE: &str = concat!(
    "/assets/accessible-autocomplete.min.css?v=",
    env!("GUILDHALL_ASSET_HASH_ACCESSIBLE_AUTOCOMPLETE_MIN_CSS")
);
/// Guildhall's logo: white shapes for the dark header.
pub const LOGO: &str = concat!("/assets/logo.svg?v=", env!("GUILDHALL_ASSET_HASH_LOGO_SVG"));
/// Guildhall's favicon (SVG).
pub const FAVICON: &str = concat!(
    "/assets/favicon.svg?v=",
    env!("GUILDHALL_ASSET_HASH_FAVICON_SVG")
);

const CACHE_CONTROL: &str = "public, max-age=86400";

/// Routes `GET /assets/{*path}` (and `HEAD`) to the embedded files.
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/assets/{*path}", get(serve))
}

fn find(path: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.path == path)
}

async fn serve(Path(path): Path<String>, headers: HeaderMap) -> Response {
    let Some(asset) = find(&path) else {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    };
    let etag = format!("\"{}\"", asset.hash);
    let common = [
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static(CACHE_CONTROL),
        ),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::ETAG,
            // The hash is hex digits, always a valid header value.
            HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\"")),
        ),
    ];
    if if_none_match(&headers, &etag) {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (
        common,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(asset.content_type),
        )],
        asset.bytes,
    )
        .into_response()
}

/// Whether any `If-None-Match` header matches `etag` (weak comparison, `*`).
fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    async fn get(uri: &str, if_none_match: Option<&str>) -> Response {
        let mut req = Request::get(uri);
        if let Some(tag) = if_none_match {
            req = req.header(header::IF_NONE_MATCH, tag);
        }
        router::<()>()
            .oneshot(req.body(Body::empty()).unwrap())
            .await
            .unwrap()
    }

    async fn body_text(res: Response) -> String {
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    fn header_str(res: &Response, name: header::HeaderName) -> &str {
        res.headers().get(name).unwrap().to_str().unwrap()
    }

    #[tokio::test]
    async fn assets_stylesheet_is_css_with_arial_and_no_gds_transport() {
        let res = get(STYLESHEET, None).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            header_str(&res, header::CONTENT_TYPE),
            "text/css; charset=utf-8"
        );
        assert_eq!(header_str(&res, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
        assert_eq!(header_str(&res, header::CACHE_CONTROL), CACHE_CONTROL);
        let css = body_text(res).await;
        assert!(css.contains(".govuk-header"), "GOV.UK Frontend compiled in");
        assert!(css.contains("arial"));
        assert!(!css.contains("GDS Transport"));
        assert!(!css.contains("@font-face"));
        assert!(!css.contains("crest"));
        assert!(!css.starts_with('\u{feff}'), "no byte-order mark");
    }

    #[tokio::test]
    async fn assets_scripts_are_javascript() {
        for url in [SCRIPT_GOVUK, SCRIPT_INIT] {
            let res = get(url, None).await;
            assert_eq!(res.status(), StatusCode::OK, "{url}");
            assert_eq!(
                header_str(&res, header::CONTENT_TYPE),
                "text/javascript; charset=utf-8",
                "{url}"
            );
        }
        let init = body_text(get(SCRIPT_INIT, None).await).await;
        assert!(init.contains("initAll"));
        assert!(init.contains("govuk-frontend-supported"));
        // init.js imports the same versioned bundle URL the page may preload.
        let bundle = SCRIPT_GOVUK.trim_start_matches("/assets/");
        assert!(init.contains(&format!("'./{bundle}'")), "{init}");
        let govuk = body_text(get(SCRIPT_GOVUK, None).await).await;
        assert!(govuk.contains("initAll"));
        assert!(!govuk.contains("sourceMappingURL"));
    }

    #[tokio::test]
    async fn assets_autocomplete_is_embedded_and_loaded_by_versioned_urls() {
        let res = get(SCRIPT_AUTOCOMPLETE, None).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            header_str(&res, header::CONTENT_TYPE),
            "text/javascript; charset=utf-8"
        );
        let js = body_text(res).await;
        assert!(js.contains("enhanceSelectElement"));
        assert!(js.contains("accessibleAutocomplete"), "UMD global");
        assert!(!js.contains("sourceMappingURL"));

        let res = get(STYLESHEET_AUTOCOMPLETE, None).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            header_str(&res, header::CONTENT_TYPE),
            "text/css; charset=utf-8"
        );
        let css = body_text(res).await;
        assert!(css.contains(".autocomplete__input"));
        assert!(!css.contains("sourceMappingURL"));
        assert!(!css.contains("url("), "refers to no file");

        // init.js loads both by the same versioned URLs (relative to itself).
        let init = body_text(get(SCRIPT_INIT, None).await).await;
        for url in [SCRIPT_AUTOCOMPLETE, STYLESHEET_AUTOCOMPLETE] {
            let rel = url.trim_start_matches("/assets/");
            assert!(init.contains(&format!("'./{rel}'")), "{rel} in {init}");
        }
        assert!(init.contains("select[data-app-autocomplete]"));
    }

    #[tokio::test]
    async fn assets_stylesheet_styles_the_autocomplete_in_error() {
        let css = body_text(get(STYLESHEET, None).await).await;
        assert!(css.contains(".govuk-form-group--error .autocomplete__input{"));
    }

    #[tokio::test]
    async fn assets_images_are_svg() {
        for url in [LOGO, FAVICON] {
            let res = get(url, None).await;
            assert_eq!(res.status(), StatusCode::OK, "{url}");
            assert_eq!(header_str(&res, header::CONTENT_TYPE), "image/svg+xml");
        }
    }

    #[tokio::test]
    async fn assets_etag_gives_304() {
        let res = get(STYLESHEET, None).await;
        let etag = header_str(&res, header::ETAG).to_owned();
        assert!(etag.starts_with('"') && etag.ends_with('"'));

        let res = get(STYLESHEET, Some(&etag)).await;
        assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(header_str(&res, header::ETAG), etag);
        assert!(body_text(res).await.is_empty());

        let res = get(STYLESHEET, Some(&format!("\"other\", W/{etag}"))).await;
        assert_eq!(res.status(), StatusCode::NOT_MODIFIED);

        let res = get(STYLESHEET, Some("\"other\"")).await;
        assert_eq!(res.status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn assets_unknown_path_is_404() {
        for uri in [
            "/assets/nope.css",
            "/assets/../Cargo.toml",
            "/assets/images/govuk-crest.svg",
        ] {
            assert_eq!(
                get(uri, None).await.status(),
                StatusCode::NOT_FOUND,
                "{uri}"
            );
        }
    }

    #[test]
    fn assets_every_css_url_is_embedded() {
        let css = std::str::from_utf8(find("guildhall.css").unwrap().bytes).unwrap();
        for part in css.split("url(").skip(1) {
            let url = part[..part.find(')').unwrap()].trim_matches(['"', '\'']);
            if url.starts_with("data:") {
                continue;
            }
            let rel = url.strip_prefix("/assets/").unwrap();
            assert!(find(rel).is_some(), "{url} is not embedded");
        }
    }
}
