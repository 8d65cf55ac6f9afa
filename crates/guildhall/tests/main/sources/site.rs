//! A website on loopback for the fetcher to visit: an RSS feed (with an
//! ETag), an Atom feed (with Last-Modified), a sitemap and a sitemap index,
//! pages with main text, a robots.txt that forbids /private/, and the
//! troublemakers: a 500, a feed that breaks on demand, one that answers too
//! late, one that sends 50 MB, a page that is not a feed and a redirect loop.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request the site received.
#[derive(Debug, Clone)]
pub struct Hit {
    pub path: String,
    pub if_none_match: Option<String>,
    pub if_modified_since: Option<String>,
    pub user_agent: String,
}

#[derive(Clone)]
struct Shared {
    base: String,
    hits: Arc<Mutex<Vec<Hit>>>,
    broken: Arc<AtomicBool>,
}

pub struct Site {
    pub addr: SocketAddr,
    shared: Shared,
}

pub const RSS_ETAG: &str = "\"rss-v1\"";
pub const ATOM_LAST_MODIFIED: &str = "Fri, 27 Nov 2026 09:05:00 GMT";

impl Site {
    pub async fn start() -> Site {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("address");
        let shared = Shared {
            base: format!("http://{addr}"),
            hits: Arc::default(),
            broken: Arc::default(),
        };
        let app = Router::new()
            .route("/robots.txt", get(robots))
            .route("/feed.rss", get(rss))
            .route("/feed.atom", get(atom))
            .route("/flaky.rss", get(flaky))
            .route("/sitemap.xml", get(sitemap))
            .route("/sitemap-index.xml", get(sitemap_index))
            .route("/pages/allocations", get(allocations))
            .route("/pages/temporary-accommodation", get(temporary))
            .route("/private/draft-policy", get(draft))
            .route("/broken.rss", get(broken))
            .route("/slow.rss", get(slow))
            .route("/huge.rss", get(huge))
            .route("/not-a-feed", get(not_a_feed))
            .route("/loop", get(|| async { Redirect::temporary("/loop") }))
            .layer(middleware::from_fn_with_state(shared.clone(), record))
            .with_state(shared.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Site { addr, shared }
    }

    /// The full address of `path` on the site.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.shared.base)
    }

    /// The same address by name (`localhost`), not by IP address.
    pub fn named_url(&self, path: &str) -> String {
        format!("http://localhost:{}{path}", self.addr.port())
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.shared.hits.lock().expect("hits").clone()
    }

    pub fn hits_of(&self, path: &str) -> Vec<Hit> {
        self.hits().into_iter().filter(|h| h.path == path).collect()
    }

    /// Makes /flaky.rss answer 500 (or work again).
    pub fn break_flaky(&self, broken: bool) {
        self.shared.broken.store(broken, Ordering::SeqCst);
    }
}

async fn record(State(s): State<Shared>, request: Request, next: Next) -> Response {
    let h = request.headers();
    let value = |name| {
        h.get(name)
            .and_then(|v: &header::HeaderValue| v.to_str().ok())
            .map(str::to_string)
    };
    let hit = Hit {
        path: request.uri().path().to_string(),
        if_none_match: value(header::IF_NONE_MATCH),
        if_modified_since: value(header::IF_MODIFIED_SINCE),
        user_agent: value(header::USER_AGENT).unwrap_or_default(),
    };
    s.hits.lock().expect("hits").push(hit);
    next.run(request).await
}

fn xml(body: String) -> Response {
    ([(header::CONTENT_TYPE, "application/xml")], body).into_response()
}

fn html(body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

async fn robots() -> &'static str {
    "User-agent: *\nDisallow: /private/\n"
}

pub fn rss_body(base: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Housing news</title><link>{base}/</link><description>News</description>
<item><title>New homelessness code of guidance</title><link>{base}/news/code-of-guidance</link>
<description>&lt;p&gt;The &lt;strong&gt;updated&lt;/strong&gt; code for councils.&lt;/p&gt;&lt;script&gt;track()&lt;/script&gt;</description>
<pubDate>Fri, 27 Nov 2026 09:05:00 GMT</pubDate></item>
<item><title>Rough sleeping funding announced</title><link>/news/funding</link>
<description>Money for winter shelters.</description><pubDate>Thu, 26 Nov 2026 12:00:00 GMT</pubDate></item>
</channel></rss>"#
    )
}

async fn rss(State(s): State<Shared>, headers: HeaderMap) -> Response {
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == RSS_ETAG.as_bytes())
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let mut response = xml(rss_body(&s.base));
    response
        .headers_mut()
        .insert(header::ETAG, header::HeaderValue::from_static(RSS_ETAG));
    response
}

async fn atom(State(s): State<Shared>, headers: HeaderMap) -> Response {
    if headers
        .get(header::IF_MODIFIED_SINCE)
        .is_some_and(|v| v.as_bytes() == ATOM_LAST_MODIFIED.as_bytes())
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let base = &s.base;
    let mut response = xml(format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Planning updates</title><id>urn:planning</id>
<updated>2026-11-25T08:00:00Z</updated>
<entry><title type="html">&lt;em&gt;Permitted development&lt;/em&gt; changes</title><id>urn:planning:1</id>
<link rel="alternate" href="{base}/planning/permitted-development"/>
<published>2026-11-25T08:00:00Z</published><updated>2026-11-25T09:00:00Z</updated>
<summary>What changes for householders.</summary></entry>
<entry><title>Local plan deadlines</title><id>urn:planning:2</id>
<link href="{base}/planning/local-plans"/><updated>2026-11-24T08:00:00Z</updated>
<content type="html">&lt;p&gt;Councils have until &lt;b&gt;June&lt;/b&gt;.&lt;/p&gt;</content></entry>
</feed>"#
    ));
    response.headers_mut().insert(
        header::LAST_MODIFIED,
        header::HeaderValue::from_static(ATOM_LAST_MODIFIED),
    );
    response
}

async fn flaky(State(s): State<Shared>) -> Response {
    if s.broken.load(Ordering::SeqCst) {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    xml(rss_body(&s.base))
}

async fn sitemap(State(s): State<Shared>) -> Response {
    let base = &s.base;
    xml(format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>{base}/pages/allocations</loc><lastmod>2026-11-20</lastmod></url>
  <url><loc>{base}/pages/temporary-accommodation</loc><lastmod>2026-11-21T10:00:00+00:00</lastmod></url>
  <url><loc>{base}/private/draft-policy</loc></url>
  <url><loc>http://elsewhere.example/pages/other</loc></url>
</urlset>"#
    ))
}

async fn sitemap_index(State(s): State<Shared>) -> Response {
    xml(format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>{}/sitemap.xml</loc></sitemap>
</sitemapindex>"#,
        s.base
    ))
}

async fn allocations() -> Response {
    html(
        r#"<!doctype html><html lang="en"><head><title>Allocations guidance</title>
<script>var tracking = "script canary";</script><style>body { color: red }</style></head>
<body><header>Site header canary</header><nav>Home | News | nav canary</nav>
<main><h1>Allocations</h1><p>Councils must publish an   allocation scheme.</p>
<ul><li>Reasonable preference</li><li>Local connection</li></ul></main>
<footer>Footer canary</footer></body></html>"#,
    )
}

async fn temporary() -> Response {
    html(
        r#"<!doctype html><html><head><title>Temporary accommodation</title></head>
<body><nav>Menu</nav><article><h1>Temporary accommodation</h1>
<p>Placements out of area must be notified.</p></article><aside>Related links</aside></body></html>"#,
    )
}

async fn draft() -> Response {
    html(
        "<html><head><title>Draft policy</title></head><body><main>draft canary</main></body></html>",
    )
}

async fn broken() -> Response {
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

async fn slow(State(s): State<Shared>) -> Response {
    tokio::time::sleep(Duration::from_secs(5)).await;
    xml(rss_body(&s.base))
}

async fn huge() -> Response {
    let chunk = Bytes::from(vec![b'x'; 64 * 1024]);
    // 800 chunks of 64 KB: 50 MB, with no Content-Length to warn of it.
    let stream =
        futures_util::stream::iter((0..800).map(move |_| Ok::<_, std::io::Error>(chunk.clone())));
    (
        [(header::CONTENT_TYPE, "application/rss+xml")],
        Body::from_stream(stream),
    )
        .into_response()
}

async fn not_a_feed() -> Response {
    html("<html><body><p>Welcome to our website</p></body></html>")
}
