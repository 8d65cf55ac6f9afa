//! The HTTP client that fetches key sources, politely and safely: http and
//! https only; no private or loopback address (checked for the address as
//! written, on each redirect, and for every address a name resolves to, so
//! the connection goes only to an address that was checked); redirects
//! capped; a time limit for connecting and one for the whole response; a
//! size limit, read as it streams; robots.txt obeyed; a pause between
//! requests to the same host; ETag and Last-Modified sent back.

use super::address::{self, Refusal};
use crate::config::Config;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{
    ACCEPT, CONTENT_TYPE, ETAG, HeaderMap, HeaderValue, IF_MODIFIED_SINCE, IF_NONE_MATCH,
    LAST_MODIFIED,
};
use reqwest::{StatusCode, redirect};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use url::Url;

/// The name robots.txt files address us by.
pub const ROBOT: &str = "Guildhall";
pub const MAX_REDIRECTS: usize = 5;
/// The largest response read: 5 MB.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;

/// How the fetcher behaves, from the configuration.
#[derive(Debug, Clone)]
pub struct Options {
    pub allow_private: bool,
    pub timeout: Duration,
    pub host_delay: Duration,
    pub max_bytes: usize,
    pub user_agent: String,
}

impl Options {
    pub fn from_config(config: &Config) -> Options {
        Options {
            allow_private: config.sources_allow_private,
            timeout: Duration::from_secs(config.sources_timeout_seconds),
            host_delay: Duration::from_millis(config.sources_host_delay_ms),
            max_bytes: MAX_BYTES,
            user_agent: format!(
                "{ROBOT}/{} (key sources; +{})",
                env!("CARGO_PKG_VERSION"),
                config.base_url
            ),
        }
    }
}

/// Why a fetch failed, worded for the facilitator who sees it on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    Refused(Refusal),
    Status(u16),
    Timeout(u64),
    TooLarge(usize),
    TooManyRedirects,
    Unreachable,
    DisallowedByRobots,
    RobotsUnreadable(String),
    Unreadable(String),
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Refused(r) => write!(f, "{r}"),
            FetchError::Status(code) => {
                let reason = StatusCode::from_u16(*code)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                    .unwrap_or("");
                let status = format!("{code} {reason}");
                write!(f, "The site answered {}", status.trim_end())
            }
            FetchError::Timeout(seconds) => write!(
                f,
                "The site did not answer within {seconds} {}",
                if *seconds == 1 { "second" } else { "seconds" }
            ),
            FetchError::TooLarge(bytes) => write!(
                f,
                "The response was larger than {} MB",
                bytes / (1024 * 1024)
            ),
            FetchError::TooManyRedirects => {
                write!(f, "The site redirected more than {MAX_REDIRECTS} times")
            }
            FetchError::Unreachable => f.write_str("The site could not be reached"),
            FetchError::DisallowedByRobots => {
                f.write_str("The site's robots.txt asks robots not to fetch this address")
            }
            FetchError::RobotsUnreadable(why) => write!(
                f,
                "The site's robots.txt could not be read ({why}), so nothing was fetched"
            ),
            FetchError::Unreadable(what) => f.write_str(what),
        }
    }
}

/// What a fetch brought back.
#[derive(Debug)]
pub enum Fetched {
    /// 304: nothing changed since the validators sent.
    NotModified,
    Body(Body),
}

#[derive(Debug)]
pub struct Body {
    /// Where the response came from, after redirects.
    pub url: Url,
    pub bytes: Vec<u8>,
    pub content_type: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// The validators of an earlier response, sent back to ask "changed since?".
#[derive(Debug, Clone, Copy, Default)]
pub struct Validators<'a> {
    pub etag: Option<&'a str>,
    pub last_modified: Option<&'a str>,
}

/// A host's robots.txt, as this fetch run read it.
enum Robots {
    Rules(Box<texting_robots::Robot>),
    AllowAll,
    Unreadable(String),
}

/// One fetch run's client: it remembers each host's robots.txt and when it
/// last asked each host, for the length of the run.
pub struct Fetcher {
    client: reqwest::Client,
    options: Options,
    robots: HashMap<String, Robots>,
    last_request: HashMap<String, Instant>,
}

/// Resolves host names as usual, then keeps only public addresses (unless
/// private ones are allowed); none left is a refusal.
struct GuardedResolver {
    allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let usable: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| allow_private || address::is_public(a.ip()))
                .collect();
            if usable.is_empty() {
                return Err(Box::new(Refusal::Private) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(usable.into_iter()) as Addrs)
        })
    }
}

/// TLS on rustls with the ring provider and the Mozilla roots.
fn tls() -> Result<rustls::ClientConfig, crate::Error> {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| crate::Error::Internal(format!("TLS: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

impl Fetcher {
    pub fn new(options: Options) -> Result<Fetcher, crate::Error> {
        let allow_private = options.allow_private;
        let policy = redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > MAX_REDIRECTS {
                attempt.error(TooManyRedirects)
            } else if let Err(refusal) = address::check(attempt.url(), allow_private) {
                attempt.error(refusal)
            } else {
                attempt.follow()
            }
        });
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls()?)
            .dns_resolver(GuardedResolver { allow_private })
            .no_proxy()
            .redirect(policy)
            .connect_timeout(options.timeout)
            .timeout(options.timeout)
            .user_agent(options.user_agent.clone())
            .build()
            .map_err(|e| crate::Error::Internal(format!("HTTP client: {e}")))?;
        Ok(Fetcher {
            client,
            options,
            robots: HashMap::new(),
            last_request: HashMap::new(),
        })
    }

    /// Fetches `url` if its site's robots.txt allows us, sending back the
    /// validators of the last response.
    pub async fn get(
        &mut self,
        url: &Url,
        validators: Validators<'_>,
        accept: &str,
    ) -> Result<Fetched, FetchError> {
        address::check(url, self.options.allow_private).map_err(FetchError::Refused)?;
        self.robots_allow(url).await?;
        self.send(url, validators, accept).await
    }

    /// Whether the site's robots.txt lets us fetch `url` (read once per host
    /// per run). A missing robots.txt (4xx) allows everything; one that
    /// cannot be read (5xx, no answer) allows nothing (RFC 9309).
    pub async fn robots_allow(&mut self, url: &Url) -> Result<(), FetchError> {
        let key = origin(url);
        if !self.robots.contains_key(&key) {
            let robots = self.read_robots(url).await;
            self.robots.insert(key.clone(), robots);
        }
        match self.robots.get(&key) {
            Some(Robots::Rules(robot)) if !robot.allowed(url.as_str()) => {
                Err(FetchError::DisallowedByRobots)
            }
            Some(Robots::Unreadable(why)) => Err(FetchError::RobotsUnreadable(why.clone())),
            _ => Ok(()),
        }
    }

    async fn read_robots(&mut self, url: &Url) -> Robots {
        let Ok(robots_url) = url.join("/robots.txt") else {
            return Robots::AllowAll;
        };
        match self
            .send(&robots_url, Validators::default(), "text/plain")
            .await
        {
            Ok(Fetched::Body(body)) => {
                match texting_robots::Robot::new(ROBOT, &body.bytes) {
                    Ok(robot) => Robots::Rules(Box::new(robot)),
                    // Unparsable rules are no rules.
                    Err(_) => Robots::AllowAll,
                }
            }
            Ok(Fetched::NotModified) => Robots::AllowAll,
            Err(FetchError::Status(code)) if (400..500).contains(&code) => Robots::AllowAll,
            Err(e) => Robots::Unreadable(e.to_string()),
        }
    }

    /// One request, after the pause the host is owed; the body read up to
    /// the size limit.
    async fn send(
        &mut self,
        url: &Url,
        validators: Validators<'_>,
        accept: &str,
    ) -> Result<Fetched, FetchError> {
        self.pause_for(url).await;
        let mut headers = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_str(accept) {
            headers.insert(ACCEPT, v);
        }
        if let Some(v) = validators.etag.and_then(|e| HeaderValue::from_str(e).ok()) {
            headers.insert(IF_NONE_MATCH, v);
        }
        if let Some(v) = validators
            .last_modified
            .and_then(|e| HeaderValue::from_str(e).ok())
        {
            headers.insert(IF_MODIFIED_SINCE, v);
        }
        let outcome = self.client.get(url.clone()).headers(headers).send().await;
        self.last_request.insert(host_key(url), Instant::now());
        let mut response = outcome.map_err(|e| self.classify(&e))?;
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            return Err(FetchError::Status(status.as_u16()));
        }
        let max = self.options.max_bytes;
        if response.content_length().is_some_and(|n| n > max as u64) {
            return Err(FetchError::TooLarge(max));
        }
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        let etag = header(ETAG);
        let last_modified = header(LAST_MODIFIED);
        let content_type = header(CONTENT_TYPE).unwrap_or_default();
        let final_url = response.url().clone();
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.classify(&e))? {
            if bytes.len() + chunk.len() > max {
                return Err(FetchError::TooLarge(max));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(Fetched::Body(Body {
            url: final_url,
            bytes,
            content_type,
            etag,
            last_modified,
        }))
    }

    /// Waits until the host has had its pause since our last request.
    async fn pause_for(&self, url: &Url) {
        if let Some(last) = self.last_request.get(&host_key(url)) {
            let due = *last + self.options.host_delay;
            let now = Instant::now();
            if due > now {
                tokio::time::sleep(due - now).await;
            }
        }
    }

    fn classify(&self, e: &reqwest::Error) -> FetchError {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
        while let Some(err) = source {
            if let Some(refusal) = err.downcast_ref::<Refusal>() {
                return FetchError::Refused(*refusal);
            }
            if err.downcast_ref::<TooManyRedirects>().is_some() {
                return FetchError::TooManyRedirects;
            }
            source = err.source();
        }
        if e.is_timeout() {
            FetchError::Timeout(self.options.timeout.as_secs().max(1))
        } else if e.is_redirect() {
            FetchError::TooManyRedirects
        } else {
            FetchError::Unreachable
        }
    }
}

#[derive(Debug)]
struct TooManyRedirects;

impl std::fmt::Display for TooManyRedirects {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("too many redirects")
    }
}

impl std::error::Error for TooManyRedirects {}

/// scheme://host:port, the unit robots.txt applies to.
fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// The host a pause is owed to (whatever the scheme or port).
fn host_key(url: &Url) -> String {
    url.host_str().unwrap_or("").to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    async fn resolve(host: &str, allow_private: bool) -> Result<Vec<SocketAddr>, String> {
        let name = Name::from_str(host).map_err(|e| e.to_string())?;
        GuardedResolver { allow_private }
            .resolve(name)
            .await
            .map(|addrs| addrs.collect())
            .map_err(|e| e.to_string())
    }

    #[tokio::test]
    async fn names_resolving_to_private_addresses_are_refused() {
        // Whatever a name is called, the addresses it resolves to decide.
        let refused = resolve("localhost", false).await.expect_err("refused");
        assert_eq!(refused, Refusal::Private.to_string());
        let allowed = resolve("localhost", true).await.expect("allowed in tests");
        assert!(allowed.iter().all(|a| a.ip().is_loopback()), "{allowed:?}");
    }

    #[test]
    fn errors_are_worded_for_people() {
        assert_eq!(
            FetchError::Status(500).to_string(),
            "The site answered 500 Internal Server Error"
        );
        assert_eq!(FetchError::Status(599).to_string(), "The site answered 599");
        assert_eq!(
            FetchError::Timeout(10).to_string(),
            "The site did not answer within 10 seconds"
        );
        assert_eq!(
            FetchError::TooLarge(MAX_BYTES).to_string(),
            "The response was larger than 5 MB"
        );
    }
}
