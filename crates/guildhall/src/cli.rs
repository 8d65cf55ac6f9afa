//! Command-line interface. The command names are a contract other tools rely on.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use guildhall_domain::accounts::{self, NewMemberInput};
use guildhall_domain::config::LogFormat;
use guildhall_domain::store::organisations::parse_organisations_csv;
use guildhall_domain::{Config, Ctx, Error};
use std::io::Read;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "guildhall",
    version,
    about = "Communities of practice for the public sector"
)]
pub struct Cli {
    /// A TOML configuration file (environment variables override it).
    #[arg(long, global = true, env = "GUILDHALL_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply pending migrations, then serve HTTP until SIGTERM or SIGINT.
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Administrators' tasks.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Members' profiles and the people index.
    #[command(subcommand)]
    People(PeopleCommand),
    /// The search index.
    #[command(subcommand)]
    Search(SearchCommand),
    /// Key sources: trusted websites fetched in the background.
    #[command(subcommand)]
    Sources(SourcesCommand),
    /// Fill the database with deterministic synthetic data (for demos and
    /// benchmarks): a profile's counts, any of which can be overridden.
    Seed {
        /// demo: 300 members, 12 communities and readable writing;
        /// launch: 30,000 members, 700 communities, 100,000 topics and replies;
        /// national: 2,000,000 members, 10,000 communities, 2,200,000 topics and replies.
        #[arg(long, value_enum, default_value_t = SeedProfile::Demo)]
        profile: SeedProfile,
        #[arg(long)]
        members: Option<usize>,
        #[arg(long)]
        communities: Option<usize>,
        /// Forum topics, spread over the communities.
        #[arg(long)]
        topics: Option<usize>,
        /// Forum replies, spread over the topics.
        #[arg(long)]
        replies: Option<usize>,
        /// Blog posts, spread over the communities.
        #[arg(long)]
        posts: Option<usize>,
        /// Comments, spread over the blog posts.
        #[arg(long)]
        comments: Option<usize>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// `guildhall seed --profile`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SeedProfile {
    Demo,
    Launch,
    National,
}

impl From<SeedProfile> for guildhall_domain::seed::Profile {
    fn from(p: SeedProfile) -> Self {
        use guildhall_domain::seed::Profile;
        match p {
            SeedProfile::Demo => Profile::Demo,
            SeedProfile::Launch => Profile::Launch,
            SeedProfile::National => Profile::National,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum SearchCommand {
    /// Build this instance's search index again from the database (stop the
    /// server first: it uses the same index).
    Rebuild,
}

#[derive(Debug, Subcommand)]
pub enum SourcesCommand {
    /// Fetch every key source that is due now (a running server does this
    /// every minute), and say how each went.
    Fetch {
        /// Fetch every source, due or not.
        #[arg(long)]
        all: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum PeopleCommand {
    /// Rebuild the people index (behind the people finder and "people like
    /// me") from every member's profile.
    Reindex,
    /// Time the people finder and "people like me" on this database, as
    /// members drawn at random (for benchmarks).
    TimeQueries {
        #[arg(long, default_value_t = 100)]
        samples: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a verified member and print their id.
    CreateMember {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// The organisation's code in the register, e.g. E08000035.
        #[arg(long)]
        organisation: String,
        #[arg(long, default_value = "")]
        job_title: String,
        /// Make them a site administrator.
        #[arg(long)]
        admin: bool,
        /// Read a password from standard input (else they use "reset password").
        #[arg(long)]
        password_stdin: bool,
    },
    /// Print a new personal access token for the API.
    Token {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "command line")]
        label: String,
    },
    /// Insert or update organisations from a CSV shaped like the councils register.
    ImportOrganisations { file: PathBuf },
}

pub async fn run(cli: Cli) -> Result<()> {
    let config = Config::load(cli.config.as_deref()).map_err(describe)?;
    init_logging(config.log_format);
    match cli.command {
        Command::Serve => crate::serve::serve(config).await,
        Command::Migrate => {
            let ctx = Ctx::open(config).await.map_err(describe)?;
            ctx.store.close().await;
            println!("migrations applied");
            Ok(())
        }
        Command::Seed {
            profile,
            members,
            communities,
            topics,
            replies,
            posts,
            comments,
            seed,
        } => {
            let preset = guildhall_domain::seed::Profile::from(profile).plan();
            let plan = guildhall_domain::seed::SeedPlan {
                members: members.unwrap_or(preset.members),
                communities: communities.unwrap_or(preset.communities),
                topics: topics.unwrap_or(preset.topics),
                replies: replies.unwrap_or(preset.replies),
                posts: posts.unwrap_or(preset.posts),
                comments: comments.unwrap_or(preset.comments),
                seed,
            };
            let ctx = Ctx::open(config).await.map_err(describe)?;
            let bars = crate::seed_summary::Bars::new();
            let outcome = guildhall_domain::seed::seed_with(&ctx, plan, &bars).await;
            bars.clear();
            let search_index_bytes = ctx.config.search_index.as_deref().map_or(0, dir_bytes);
            ctx.store.close().await;
            let report = outcome.map_err(describe)?;
            print!(
                "{}",
                crate::seed_summary::summary(&report, search_index_bytes)
            );
            Ok(())
        }
        Command::People(PeopleCommand::Reindex) => {
            let ctx = Ctx::open(config).await.map_err(describe)?;
            let started = std::time::Instant::now();
            let bar = IndexBar::new();
            let outcome =
                guildhall_domain::people::index::rebuild(&ctx, |done, total| bar.show(done, total))
                    .await;
            bar.finish();
            ctx.store.close().await;
            let done = outcome.map_err(describe)?;
            println!(
                "people index rebuilt: {} members, {} terms, {} postings in {:.1} s",
                done.members,
                done.terms,
                done.postings,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Search(SearchCommand::Rebuild) => {
            let ctx = Ctx::open(config).await.map_err(describe)?;
            let started = std::time::Instant::now();
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "search index {spinner} {pos} documents ({per_sec}) {msg}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            let outcome = guildhall_domain::search::rebuild(&ctx, |kind, n| {
                bar.set_message(kind.to_string());
                bar.inc(n as u64);
            })
            .await;
            let documents = bar.position();
            bar.finish_and_clear();
            ctx.store.close().await;
            outcome.map_err(describe)?;
            println!(
                "search index rebuilt: {documents} documents in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Sources(SourcesCommand::Fetch { all }) => {
            let ctx = Ctx::open(config).await.map_err(describe)?;
            let outcome = if all {
                guildhall_domain::sources::fetch_all(&ctx).await
            } else {
                guildhall_domain::sources::fetch_due(&ctx).await
            };
            ctx.store.close().await;
            let outcomes = outcome.map_err(describe)?;
            for o in &outcomes {
                match &o.result {
                    Ok(f) if f.not_modified => println!("{} ({}): not changed", o.name, o.url),
                    Ok(f) => println!(
                        "{} ({}): {} new, {} changed, {} unchanged{}{}",
                        o.name,
                        o.url,
                        f.saved.added,
                        f.saved.changed,
                        f.saved.unchanged,
                        if f.disallowed > 0 {
                            format!(", {} pages left alone for robots.txt", f.disallowed)
                        } else {
                            String::new()
                        },
                        if f.remaining > 0 {
                            format!(", {} pages left for the next fetch", f.remaining)
                        } else {
                            String::new()
                        }
                    ),
                    Err(e) => println!("{} ({}): failed: {e}", o.name, o.url),
                }
            }
            println!(
                "{} key {} fetched",
                outcomes.len(),
                if outcomes.len() == 1 {
                    "source"
                } else {
                    "sources"
                }
            );
            Ok(())
        }
        Command::People(PeopleCommand::TimeQueries { samples, seed }) => {
            let ctx = Ctx::open(config).await.map_err(describe)?;
            let outcome = crate::people_timing::time_queries(&ctx, samples, seed).await;
            ctx.store.close().await;
            outcome
        }
        Command::Admin(command) => {
            let ctx = Ctx::open(config).await.map_err(describe)?;
            let outcome = admin(&ctx, command).await;
            // Emails queued by admin commands are sent by a running server's workers.
            ctx.store.close().await;
            outcome
        }
    }
}

async fn admin(ctx: &Ctx, command: AdminCommand) -> Result<()> {
    match command {
        AdminCommand::CreateMember {
            email,
            name,
            organisation,
            job_title,
            admin,
            password_stdin,
        } => {
            let password = if password_stdin {
                let mut input = String::new();
                std::io::stdin()
                    .read_to_string(&mut input)
                    .context("reading the password from standard input")?;
                Some(input.trim_end_matches(['\r', '\n']).to_string())
            } else {
                None
            };
            let input = NewMemberInput {
                email,
                name,
                organisation_code: organisation,
                job_title,
                is_admin: admin,
                password,
            };
            let id = accounts::create_member(ctx, &input)
                .await
                .map_err(describe)?;
            println!("{id}");
        }
        AdminCommand::Token { email, label } => {
            let token = accounts::issue_token_for(ctx, &email, &label)
                .await
                .map_err(describe)?;
            println!("{token}");
        }
        AdminCommand::ImportOrganisations { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let orgs = parse_organisations_csv(&text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            if orgs.is_empty() {
                bail!("{} has no organisations", file.display());
            }
            let n = ctx.store.upsert_organisations(&orgs).await?;
            println!("{n} organisations imported");
        }
    }
    Ok(())
}

/// A progress bar for the people index's rebuild, on standard error (and
/// hidden when that is not a terminal).
struct IndexBar(indicatif::ProgressBar);

impl IndexBar {
    fn new() -> IndexBar {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "people index {bar:40} {pos}/{len} members ({per_sec}, {eta} left)",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        IndexBar(bar)
    }

    fn show(&self, done: u64, total: u64) {
        self.0.set_length(total);
        self.0.set_position(done);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// The size of the files in a directory (not its subdirectories).
fn dir_bytes(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// Field errors as a sentence for the terminal.
fn describe(e: Error) -> anyhow::Error {
    match e {
        Error::Invalid(fields) => anyhow::anyhow!(
            "{}",
            fields
                .0
                .iter()
                .map(|(f, m)| format!("{f}: {m}"))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => anyhow::anyhow!("{other}"),
    }
}

fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("GUILDHALL_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init(),
        LogFormat::Text => builder.try_init(),
    };
}
