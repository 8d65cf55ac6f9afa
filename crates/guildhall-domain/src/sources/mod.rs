//! Key sources: trusted websites (RSS or Atom feeds and sitemaps) that
//! facilitators register for their community and administrators for the whole
//! service, fetched in the background and searchable beside community content.
//!
//! Registering and removing is here; fetching is `run` (with `fetch` the
//! HTTP client, `address` the rule about which addresses may be fetched and
//! `parse` the readers of feeds, sitemaps and pages).

pub mod address;
pub mod fetch;
pub mod parse;
mod run;

pub use run::{
    Fetch, LEASE_SECONDS, MAX_CHILD_SITEMAPS, MAX_PAGES, Outcome, fetch_all, fetch_due,
    retry_after, work,
};

use crate::Ctx;
use crate::communities;
use crate::error::{Error, FieldErrors, Result};
use crate::policy::Admin;
use crate::policy::community::{self as rule, Seen};
use guildhall_core::{CommunityId, MemberId, Viewer, now};
use guildhall_store::sources::{NewSource, SourceRow};
use url::Url;

pub const MAX_NAME: usize = 100;
pub const MAX_URL: usize = 2_000;
/// The most sources one community (or the whole service) may have.
pub const MAX_SOURCES: usize = 100;

/// What a source's address holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An RSS or Atom feed: its entries become items.
    Feed,
    /// A sitemap: each page it lists becomes an item, with its main text.
    Sitemap,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Feed, Kind::Sitemap];

    pub fn parse(s: &str) -> Option<Kind> {
        match s.trim() {
            "feed" => Some(Kind::Feed),
            "sitemap" => Some(Kind::Sitemap),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Feed => "feed",
            Kind::Sitemap => "sitemap",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Feed => "A news feed (RSS or Atom)",
            Kind::Sitemap => "A sitemap",
        }
    }

    pub fn hint(self) -> &'static str {
        match self {
            Kind::Feed => "Each new article or announcement in the feed becomes a search result",
            Kind::Sitemap => {
                "Each page the sitemap lists becomes a search result, found by its text (up to 50 new pages each time it is fetched)"
            }
        }
    }
}

/// A source as typed into the form (or sent to the API).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceForm {
    pub name: String,
    pub url: String,
    pub kind: String,
}

struct Checked {
    name: String,
    url: String,
    kind: Kind,
}

/// Checks a source's name, address and kind; every problem at once.
fn check(form: &SourceForm, allow_private: bool) -> Result<Checked> {
    let mut errors = FieldErrors::new();
    let name = parse::collapse(&form.name);
    if name.is_empty() {
        errors.add("name", "Enter a name for the source");
    } else if name.chars().count() > MAX_NAME {
        errors.add(
            "name",
            format!("The name must be {MAX_NAME} characters or fewer"),
        );
    }
    let url = check_url(form.url.trim(), allow_private).unwrap_or_else(|message| {
        errors.add("url", message);
        String::new()
    });
    let kind = Kind::parse(&form.kind);
    if kind.is_none() {
        errors.add("kind", "Select whether the address is a feed or a sitemap");
    }
    errors.into_result()?;
    Ok(Checked {
        name,
        url,
        kind: kind.unwrap_or(Kind::Feed),
    })
}

/// A web address as it will be fetched, or what is wrong with it.
fn check_url(typed: &str, allow_private: bool) -> Result<String, String> {
    if typed.is_empty() {
        return Err("Enter the web address of the feed or sitemap".into());
    }
    if typed.chars().count() > MAX_URL {
        return Err(format!(
            "The web address must be {} characters or fewer",
            "2,000"
        ));
    }
    let mut url = match Url::parse(typed) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            return Err("Enter a web address that starts with http:// or https://".into());
        }
        Err(_) => {
            return Err(
                "Enter a web address in the correct format, like https://www.example.org/feed.xml"
                    .into(),
            );
        }
    };
    if !matches!(url.scheme(), "http" | "https") {
        return Err("Enter a web address that starts with http:// or https://".into());
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(
            "Enter a web address in the correct format, like https://www.example.org/feed.xml"
                .into(),
        );
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("Enter a web address without a user name or password".into());
    }
    if address::check(&url, allow_private).is_err() {
        return Err(
            "Enter the address of a public website: Guildhall does not fetch from private or local networks"
                .into(),
        );
    }
    url.set_fragment(None);
    Ok(url.to_string())
}

/// Adds a checked source for `community` (or the whole service).
async fn add(
    ctx: &Ctx,
    community: Option<CommunityId>,
    by: MemberId,
    form: &SourceForm,
) -> Result<SourceRow> {
    let checked = check(form, ctx.config.sources_allow_private)?;
    let taken = || {
        FieldErrors::one(
            "url",
            if community.is_some() {
                "This community already has a key source at that web address"
            } else {
                "There is already a key source for the whole service at that web address"
            },
        )
    };
    if ctx.store.source_url_taken(community, &checked.url).await? {
        return Err(taken());
    }
    if ctx.store.sources_of(community).await?.len() >= MAX_SOURCES {
        return Err(FieldErrors::one(
            "url",
            format!(
                "There can be up to {MAX_SOURCES} key sources. Remove one before you add another"
            ),
        ));
    }
    let id = ctx
        .store
        .add_source(&NewSource {
            community_id: community,
            kind: checked.kind.as_str(),
            url: &checked.url,
            name: &checked.name,
            added_by: Some(by),
            created_at: now(),
        })
        .await
        .map_err(|e| match Error::from(e) {
            Error::Conflict(_) => taken(),
            other => other,
        })?;
    Ok(ctx.store.source(id).await?)
}

/// A community the viewer runs, loaded by its web address.
async fn facilitated(ctx: &Ctx, viewer: &Viewer, slug: &str) -> Result<Seen> {
    let seen = communities::load(ctx, viewer, slug).await?;
    rule::facilitate(viewer, &seen)?;
    Ok(seen)
}

/// A community's key sources, for its facilitators.
pub async fn community_sources(
    ctx: &Ctx,
    viewer: &Viewer,
    slug: &str,
) -> Result<(Seen, Vec<SourceRow>)> {
    let seen = facilitated(ctx, viewer, slug).await?;
    let sources = ctx.store.sources_of(Some(seen.community.id)).await?;
    Ok((seen, sources))
}

/// One of a community's sources (another community's is `NotFound`).
pub async fn community_source(
    ctx: &Ctx,
    viewer: &Viewer,
    slug: &str,
    id: i64,
) -> Result<(Seen, SourceRow)> {
    let seen = facilitated(ctx, viewer, slug).await?;
    let row = ctx.store.source(id).await?;
    if row.community_id != Some(seen.community.id) {
        return Err(Error::NotFound);
    }
    Ok((seen, row))
}

/// Adds a key source to a community (its facilitators; not while archived).
pub async fn add_to_community(
    ctx: &Ctx,
    viewer: &Viewer,
    slug: &str,
    form: &SourceForm,
) -> Result<SourceRow> {
    let seen = communities::load(ctx, viewer, slug).await?;
    let f = rule::facilitate(viewer, &seen)?;
    rule::writable(&seen)?;
    let row = add(ctx, Some(seen.community.id), f.member.id, form).await?;
    communities::record(
        ctx,
        seen.community.id,
        Some(f.member.id),
        "source.add",
        &format!("{} added the key source {}", f.member.name, row.name),
        &row.url,
    )
    .await?;
    Ok(row)
}

/// Removes a community's key source and its items.
pub async fn remove_from_community(
    ctx: &Ctx,
    viewer: &Viewer,
    slug: &str,
    id: i64,
) -> Result<SourceRow> {
    let (seen, row) = community_source(ctx, viewer, slug, id).await?;
    let f = rule::facilitate(viewer, &seen)?;
    rule::writable(&seen)?;
    ctx.store.delete_source(row.id).await?;
    communities::record(
        ctx,
        seen.community.id,
        Some(f.member.id),
        "source.remove",
        &format!("{} removed the key source {}", f.member.name, row.name),
        &row.url,
    )
    .await?;
    Ok(row)
}

/// The whole service's key sources.
pub async fn site_sources(ctx: &Ctx, _admin: &Admin<'_>) -> Result<Vec<SourceRow>> {
    Ok(ctx.store.sources_of(None).await?)
}

/// One of the whole service's sources (a community's is `NotFound`).
pub async fn site_source(ctx: &Ctx, _admin: &Admin<'_>, id: i64) -> Result<SourceRow> {
    let row = ctx.store.source(id).await?;
    if row.community_id.is_some() {
        return Err(Error::NotFound);
    }
    Ok(row)
}

/// Adds a key source for the whole service (its items are public).
pub async fn add_to_site(ctx: &Ctx, admin: &Admin<'_>, form: &SourceForm) -> Result<SourceRow> {
    let row = add(ctx, None, admin.member().id, form).await?;
    ctx.store
        .append_audit(
            Some(admin.member().id),
            "source.add",
            Some(row.id),
            &format!("{} ({})", row.name, row.url),
        )
        .await?;
    Ok(row)
}

/// Removes one of the whole service's key sources and its items.
pub async fn remove_from_site(ctx: &Ctx, admin: &Admin<'_>, id: i64) -> Result<SourceRow> {
    let row = site_source(ctx, admin, id).await?;
    ctx.store.delete_source(row.id).await?;
    ctx.store
        .append_audit(
            Some(admin.member().id),
            "source.remove",
            Some(row.id),
            &format!("{} ({}, {} items)", row.name, row.url, row.items),
        )
        .await?;
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(name: &str, url: &str, kind: &str) -> SourceForm {
        SourceForm {
            name: name.into(),
            url: url.into(),
            kind: kind.into(),
        }
    }

    fn errors(f: &SourceForm, allow_private: bool) -> Vec<(&'static str, String)> {
        match check(f, allow_private) {
            Err(Error::Invalid(e)) => e.0,
            Ok(_) => Vec::new(),
            Err(e) => panic!("unexpected {e}"),
        }
    }

    #[test]
    fn a_good_source_is_normalised() {
        let c = check(
            &form(
                "  GOV.UK   news ",
                " https://www.gov.uk/search/news.atom#top ",
                "feed",
            ),
            false,
        )
        .expect("valid");
        assert_eq!(c.name, "GOV.UK news");
        assert_eq!(c.url, "https://www.gov.uk/search/news.atom");
        assert_eq!(c.kind, Kind::Feed);
    }

    #[test]
    fn every_problem_is_named() {
        let e = errors(&form("", "", ""), false);
        let fields: Vec<&str> = e.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["name", "url", "kind"]);
        for (url, says) in [
            ("www.gov.uk/feed", "starts with http:// or https://"),
            ("ftp://example.org/feed", "starts with http:// or https://"),
            ("javascript:alert(1)", "starts with http:// or https://"),
            ("https://", "correct format"),
            ("https://user:pw@example.org/", "without a user name"),
            ("http://127.0.0.1/feed", "public website"),
            ("http://[::1]:8080/", "public website"),
            ("http://10.0.0.7/", "public website"),
            ("http://localhost/", "public website"),
        ] {
            let e = errors(&form("A", url, "feed"), false);
            assert!(
                e.iter().any(|(f, m)| *f == "url" && m.contains(says)),
                "{url}: {e:?}"
            );
        }
        assert!(errors(&form("A", "http://127.0.0.1:9/feed", "sitemap"), true).is_empty());
        let long = "x".repeat(MAX_NAME + 1);
        assert!(
            errors(&form(&long, "https://example.org/", "feed"), false)[0]
                .1
                .contains("100 characters")
        );
    }
}
