//! A browser for in-process tests: keeps cookies, finds CSRF tokens in the
//! pages it reads, and sends forms as a browser would.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, header};
use http_body_util::BodyExt;
use scraper::{Html, Selector};
use std::collections::BTreeMap;
use tower::ServiceExt;

pub struct Browser {
    router: Router,
    cookies: BTreeMap<String, String>,
    csrf: Option<String>,
    /// Sent with every request (e.g. `X-Forwarded-For`).
    pub extra_headers: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }

    /// The trimmed text of every element matching `selector`.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let selector = Selector::parse(selector).expect("selector");
        self.html()
            .select(&selector)
            .map(|e| {
                e.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    pub fn text(&self, selector: &str) -> String {
        self.texts(selector).join(" ")
    }

    /// The value attribute of every element matching `selector`.
    pub fn attrs(&self, selector: &str, attr: &str) -> Vec<String> {
        let selector = Selector::parse(selector).expect("selector");
        self.html()
            .select(&selector)
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    pub fn h1(&self) -> String {
        self.text("h1")
    }

    /// The messages in the GOV.UK error summary.
    pub fn error_summary(&self) -> Vec<String> {
        self.texts(".govuk-error-summary__list a")
    }

    /// The `href`s of the error summary's links (each `#field`).
    pub fn error_links(&self) -> Vec<String> {
        self.attrs(".govuk-error-summary__list a", "href")
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }

    pub fn location(&self) -> Option<String> {
        self.header("location")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl Browser {
    pub fn new(router: Router) -> Browser {
        Browser {
            router,
            cookies: BTreeMap::new(),
            csrf: None,
            extra_headers: Vec::new(),
        }
    }

    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies.get(name).map(String::as_str)
    }

    pub fn set_cookie(&mut self, name: &str, value: &str) {
        self.cookies.insert(name.into(), value.into());
    }

    pub fn forget_cookies(&mut self) {
        self.cookies.clear();
        self.csrf = None;
    }

    /// Sends a request and keeps what it sets.
    pub async fn request(
        &mut self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Page {
        let mut builder = Request::builder().method(method).uri(path);
        if !self.cookies.is_empty() {
            let cookie = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            builder = builder.header(header::COOKIE, cookie);
        }
        if let Some(ct) = content_type {
            builder = builder.header(header::CONTENT_TYPE, ct);
        }
        for (k, v) in &self.extra_headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        let page = self
            .send(builder.body(Body::from(body)).expect("request"))
            .await;
        for set in page.headers.get_all(header::SET_COOKIE) {
            let Ok(set) = set.to_str() else { continue };
            let Some((pair, attributes)) = set.split_once(';').or(Some((set, ""))) else {
                continue;
            };
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            if value.is_empty() || attributes.contains("Max-Age=0") {
                self.cookies.remove(name.trim());
            } else {
                self.cookies.insert(name.trim().into(), value.trim().into());
            }
            self.csrf = None;
        }
        if let Some(token) = page
            .attrs("input[name=csrf_token]", "value")
            .into_iter()
            .next()
        {
            self.csrf = Some(token);
        }
        page
    }

    pub async fn get(&mut self, path: &str) -> Page {
        self.request(Method::GET, path, None, Vec::new()).await
    }

    /// A form post as a browser sends it, with the CSRF token from the last
    /// page read (fetching one first if needed).
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        if self.csrf.is_none() {
            self.get("/forgot-password").await;
        }
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        let csrf = self.csrf.clone().unwrap_or_default();
        all.push(("csrf_token", &csrf));
        self.post_raw(path, &all).await
    }

    /// A form post with exactly these fields (no CSRF token added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = serde_urlencoded::to_string(fields).expect("form");
        self.request(
            Method::POST,
            path,
            Some("application/x-www-form-urlencoded"),
            body.into_bytes(),
        )
        .await
    }

    /// Opens the page at `path`, then posts its form back to `path`.
    pub async fn submit(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let page = self.get(path).await;
        assert!(page.status < 400, "GET {path} gave {}", page.status);
        self.post(path, fields).await
    }

    /// Follows a redirect.
    pub async fn follow(&mut self, page: &Page) -> Page {
        let to = page
            .location()
            .unwrap_or_else(|| panic!("no redirect: {} {}", page.status, page.body));
        self.get(&to).await
    }

    /// An API call with a bearer token and an optional JSON body.
    pub async fn api(
        &mut self,
        method: Method,
        path: &str,
        token: Option<&str>,
        json: Option<serde_json::Value>,
    ) -> Page {
        match json {
            Some(j) => {
                self.api_raw(
                    method,
                    path,
                    token,
                    Some("application/json"),
                    j.to_string().into_bytes(),
                )
                .await
            }
            None => self.api_raw(method, path, token, None, Vec::new()).await,
        }
    }

    /// An API call with any body and content type (for malformed input).
    pub async fn api_raw(
        &mut self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Page {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        if let Some(ct) = content_type {
            builder = builder.header(header::CONTENT_TYPE, ct);
        }
        for (k, v) in &self.extra_headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        self.send(builder.body(Body::from(body)).expect("request"))
            .await
    }

    /// Sends a request through the router and reads the whole response.
    async fn send(&self, request: Request<Body>) -> Page {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("response");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Page {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }
}
