//! Configuration: defaults, then an optional TOML file, then `GUILDHALL_*`
//! environment variables and `DATABASE_URL`. Validated once at start-up.

use crate::error::{Error, Result};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// A value kept out of logs and `Debug` output.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() { "\"\"" } else { "\"***\"" })
    }
}

/// A limit of `hits` in each window of `seconds`, written `HITS/SECONDS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub hits: i64,
    pub seconds: i64,
}

impl Limit {
    pub fn parse(s: &str) -> Option<Limit> {
        let (hits, seconds) = s.split_once('/')?;
        let hits = hits.trim().parse().ok()?;
        let seconds = seconds.trim().parse().ok()?;
        (hits > 0 && seconds > 0).then_some(Limit { hits, seconds })
    }
}

/// Everything read from outside, as written. `Config::load` checks it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct RawConfig {
    pub addr: String,
    pub data_dir: PathBuf,
    pub database_url: Option<Secret>,
    pub database_max_connections: u32,
    pub database_cache_mb: u32,
    pub database_mmap_mb: u32,
    pub base_url: Option<String>,
    pub allowed_email_domains: String,
    pub smtp_url: Option<Secret>,
    pub mail_from: String,
    pub log_format: String,
    pub max_body_bytes: usize,
    pub session_idle_seconds: i64,
    pub session_absolute_seconds: i64,
    pub verify_token_seconds: i64,
    pub reset_token_seconds: i64,
    pub rate_limit_sign_in_account: String,
    pub rate_limit_sign_in_ip: String,
    pub rate_limit_register_ip: String,
    pub rate_limit_reset_account: String,
    pub rate_limit_reset_ip: String,
    pub rate_limit_api_account: String,
    pub rate_limit_api_ip: String,
    pub trust_forwarded_for: bool,
    pub job_workers: usize,
    /// Key sources may be fetched from private, loopback and link-local
    /// addresses (tests set it; never in production).
    pub sources_allow_private: bool,
    /// Time limit for connecting to a key source and for its whole answer.
    pub sources_timeout_seconds: u64,
    /// Pause between two requests to the same host while fetching sources.
    pub sources_host_delay_ms: u64,
    /// How often each key source is fetched when it works.
    pub sources_interval_seconds: i64,
    /// Where the search index lives: a directory, "memory", or empty for
    /// `search` under `data_dir`. Each app instance needs its own.
    pub search_index: String,
    /// How stale the search index may be when a search starts, in ms.
    pub search_refresh_ms: u64,
}

impl Default for RawConfig {
    fn default() -> Self {
        RawConfig {
            addr: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            database_max_connections: 16,
            database_cache_mb: 4,
            database_mmap_mb: 65536,
            base_url: None,
            allowed_email_domains: "gov.uk,gov.wales,gov.scot,nhs.net,police.uk".into(),
            smtp_url: None,
            mail_from: "Guildhall <no-reply@guildhall.localhost>".into(),
            log_format: "text".into(),
            max_body_bytes: 2 * 1024 * 1024,
            session_idle_seconds: 8 * 3600,
            session_absolute_seconds: 7 * 24 * 3600,
            verify_token_seconds: 48 * 3600,
            reset_token_seconds: 3600,
            rate_limit_sign_in_account: "10/900".into(),
            rate_limit_sign_in_ip: "50/900".into(),
            rate_limit_register_ip: "20/3600".into(),
            rate_limit_reset_account: "5/3600".into(),
            rate_limit_reset_ip: "20/3600".into(),
            rate_limit_api_account: "1200/60".into(),
            rate_limit_api_ip: "2400/60".into(),
            trust_forwarded_for: false,
            job_workers: 2,
            sources_allow_private: false,
            sources_timeout_seconds: 10,
            sources_host_delay_ms: 1000,
            sources_interval_seconds: 6 * 3600,
            search_index: String::new(),
            search_refresh_ms: 500,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    pub sign_in_account: Limit,
    pub sign_in_ip: Limit,
    pub register_ip: Limit,
    pub reset_account: Limit,
    pub reset_ip: Limit,
    pub api_account: Limit,
    pub api_ip: Limit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// The checked configuration, passed in state; no globals.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: Secret,
    pub database_max_connections: u32,
    /// SQLite's page cache per connection, in MB (each of the
    /// `database_max_connections`, and the one that writes, keeps its own).
    pub database_cache_mb: u32,
    /// How much of the SQLite file is read through a memory map, in MB
    /// (0: none). Pages read that way are the kernel's file cache, shared
    /// by every connection, and are not copied into each connection's cache.
    pub database_mmap_mb: u32,
    /// Where links in emails point, without a trailing slash.
    pub base_url: String,
    /// Whether the service is reached over https (secure cookies, HSTS).
    pub https: bool,
    pub allowed_email_domains: Vec<String>,
    pub smtp_url: Option<Secret>,
    pub mail_from: String,
    pub outbox_dir: PathBuf,
    pub log_format: LogFormat,
    pub max_body_bytes: usize,
    pub session_idle_seconds: i64,
    pub session_absolute_seconds: i64,
    pub verify_token_seconds: i64,
    pub reset_token_seconds: i64,
    pub rate_limits: RateLimits,
    pub trust_forwarded_for: bool,
    pub job_workers: usize,
    pub sources_allow_private: bool,
    pub sources_timeout_seconds: u64,
    pub sources_host_delay_ms: u64,
    pub sources_interval_seconds: i64,
    /// The search index's directory; `None` keeps it in memory.
    pub search_index: Option<PathBuf>,
    pub search_refresh_ms: u64,
}

impl Config {
    /// Reads defaults, then `file` if given, then the environment.
    pub fn load(file: Option<&Path>) -> Result<Config> {
        let mut figment = Figment::from(Serialized::defaults(RawConfig::default()));
        if let Some(file) = file {
            if !file.exists() {
                return Err(Error::Internal(format!(
                    "configuration file {} not found",
                    file.display()
                )));
            }
            figment = figment.merge(Toml::file(file));
        }
        figment = figment
            .merge(Env::prefixed("GUILDHALL_").ignore(&["config"]))
            .merge(Env::raw().only(&["DATABASE_URL"]));
        let raw: RawConfig = figment
            .extract()
            .map_err(|e| Error::Internal(format!("configuration: {e}")))?;
        Config::check(raw)
    }

    /// Checks raw settings and fills in derived ones.
    pub fn check(raw: RawConfig) -> Result<Config> {
        let bad = |what: &str| Error::Internal(format!("configuration: {what}"));
        let addr: SocketAddr = raw
            .addr
            .parse()
            .map_err(|_| bad(&format!("addr {:?} is not HOST:PORT", raw.addr)))?;
        let database_url = match raw.database_url {
            Some(url) if !url.0.trim().is_empty() => url,
            _ => Secret(format!(
                "sqlite:{}",
                raw.data_dir.join("guildhall.db").display()
            )),
        };
        let base_url = raw
            .base_url
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| format!("http://{addr}"))
            .trim_end_matches('/')
            .to_string();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(bad("base_url must start with http:// or https://"));
        }
        let allowed_email_domains: Vec<String> = raw
            .allowed_email_domains
            .split(',')
            .map(|d| d.trim().trim_start_matches('.').to_ascii_lowercase())
            .filter(|d| !d.is_empty())
            .collect();
        let limit = |name: &str, value: &str| {
            Limit::parse(value).ok_or_else(|| bad(&format!("{name} {value:?} is not HITS/SECONDS")))
        };
        let rate_limits = RateLimits {
            sign_in_account: limit(
                "rate_limit_sign_in_account",
                &raw.rate_limit_sign_in_account,
            )?,
            sign_in_ip: limit("rate_limit_sign_in_ip", &raw.rate_limit_sign_in_ip)?,
            register_ip: limit("rate_limit_register_ip", &raw.rate_limit_register_ip)?,
            reset_account: limit("rate_limit_reset_account", &raw.rate_limit_reset_account)?,
            reset_ip: limit("rate_limit_reset_ip", &raw.rate_limit_reset_ip)?,
            api_account: limit("rate_limit_api_account", &raw.rate_limit_api_account)?,
            api_ip: limit("rate_limit_api_ip", &raw.rate_limit_api_ip)?,
        };
        let log_format = match raw.log_format.as_str() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => return Err(bad(&format!("log_format {other:?} is not text or json"))),
        };
        for (name, value) in [
            ("session_idle_seconds", raw.session_idle_seconds),
            ("session_absolute_seconds", raw.session_absolute_seconds),
            ("verify_token_seconds", raw.verify_token_seconds),
            ("reset_token_seconds", raw.reset_token_seconds),
        ] {
            if value <= 0 {
                return Err(bad(&format!("{name} must be more than 0")));
            }
        }
        if raw.sources_timeout_seconds == 0 || raw.sources_interval_seconds <= 0 {
            return Err(bad(
                "sources_timeout_seconds and sources_interval_seconds must be more than 0",
            ));
        }
        if raw.max_body_bytes < 1024 {
            return Err(bad("max_body_bytes must be at least 1024"));
        }
        let search_index = match raw.search_index.trim() {
            "" => Some(raw.data_dir.join("search")),
            "memory" => None,
            dir => Some(PathBuf::from(dir)),
        };
        Ok(Config {
            addr,
            https: base_url.starts_with("https://"),
            outbox_dir: raw.data_dir.join("outbox"),
            data_dir: raw.data_dir,
            database_url,
            database_max_connections: raw.database_max_connections.max(1),
            database_cache_mb: raw.database_cache_mb,
            database_mmap_mb: raw.database_mmap_mb,
            base_url,
            allowed_email_domains,
            smtp_url: raw.smtp_url.filter(|s| !s.0.trim().is_empty()),
            mail_from: raw.mail_from,
            log_format,
            max_body_bytes: raw.max_body_bytes,
            session_idle_seconds: raw.session_idle_seconds,
            session_absolute_seconds: raw.session_absolute_seconds,
            verify_token_seconds: raw.verify_token_seconds,
            reset_token_seconds: raw.reset_token_seconds,
            rate_limits,
            trust_forwarded_for: raw.trust_forwarded_for,
            job_workers: raw.job_workers,
            sources_allow_private: raw.sources_allow_private,
            sources_timeout_seconds: raw.sources_timeout_seconds,
            sources_host_delay_ms: raw.sources_host_delay_ms,
            sources_interval_seconds: raw.sources_interval_seconds,
            search_index,
            search_refresh_ms: raw.search_refresh_ms,
        })
    }

    /// Whether an address on `domain` is verified by email alone (no approval):
    /// the domain is allow-listed or a subdomain of one that is.
    pub fn domain_allowed(&self, domain: &str) -> bool {
        let domain = domain.to_ascii_lowercase();
        self.allowed_email_domains
            .iter()
            .any(|d| domain == *d || domain.ends_with(&format!(".{d}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_check() {
        let c = Config::check(RawConfig::default()).expect("defaults are valid");
        assert_eq!(c.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(c.base_url, "http://127.0.0.1:8080");
        assert!(c.database_url.0.starts_with("sqlite:"));
        assert!(!c.https);
        assert_eq!(c.database_mmap_mb, 65536);
    }

    #[test]
    fn subdomains_of_allowed_domains_are_allowed() {
        let c = Config::check(RawConfig::default()).expect("defaults are valid");
        assert!(c.domain_allowed("gov.uk"));
        assert!(c.domain_allowed("leeds.GOV.uk"));
        assert!(!c.domain_allowed("notgov.uk"));
        assert!(!c.domain_allowed("gov.uk.evil.com"));
    }

    #[test]
    fn bad_values_are_named() {
        let raw = RawConfig {
            rate_limit_sign_in_ip: "ten".into(),
            ..RawConfig::default()
        };
        let e = Config::check(raw).expect_err("bad limit");
        assert!(e.to_string().contains("rate_limit_sign_in_ip"));
    }

    #[test]
    fn secrets_are_masked_in_debug() {
        let s = Secret("smtp://user:pw@host".into());
        assert_eq!(format!("{s:?}"), "\"***\"");
    }
}
