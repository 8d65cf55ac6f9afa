//! `guildhall seed`'s progress bars (one per phase, on standard error, hidden
//! when that is not a terminal) and its summary (on standard output; the
//! bench script reads its sign-in and forum lines).

use guildhall_domain::seed::{Progress, SEED_PASSWORD, SeedReport};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use std::fmt::Write;
use std::sync::Mutex;

/// A bar for each phase, left on screen with its time when it ends.
pub struct Bars {
    all: MultiProgress,
    current: Mutex<Option<ProgressBar>>,
}

impl Bars {
    pub fn new() -> Bars {
        Bars {
            all: MultiProgress::new(),
            current: Mutex::new(None),
        }
    }

    fn current(&self) -> Option<ProgressBar> {
        self.current.lock().ok().and_then(|c| c.clone())
    }

    /// Takes any unfinished bar off the screen (after an error).
    pub fn clear(&self) {
        if let Some(bar) = self.current() {
            bar.finish_and_clear();
        }
    }
}

impl Default for Bars {
    fn default() -> Self {
        Bars::new()
    }
}

impl Progress for Bars {
    fn start(&self, phase: &'static str, total: u64) {
        let template = if total > 0 {
            "{prefix:>14} {bar:40} {pos}/{len} ({per_sec}, {eta} left)"
        } else {
            "{prefix:>14} {spinner} {elapsed}"
        };
        let bar = self.all.add(ProgressBar::new(total));
        bar.set_style(
            ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_prefix(phase);
        if total == 0 {
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
        }
        if let Ok(mut current) = self.current.lock() {
            *current = Some(bar);
        }
    }

    fn advance(&self, done: u64) {
        if let Some(bar) = self.current() {
            bar.set_position(done.min(bar.length().unwrap_or(u64::MAX)));
        }
    }

    fn finish(&self, _phase: &'static str, seconds: f64) {
        if let Some(bar) = self.current.lock().ok().and_then(|mut c| c.take()) {
            bar.set_style(
                ProgressStyle::with_template("{prefix:>14} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.finish_with_message(format!("done in {seconds:.1} s"));
        }
    }
}

/// 1234567 -> "1,234,567".
fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

fn mib(bytes: i64) -> String {
    format!("{:.1} MiB", bytes as f64 / 1_048_576.0)
}

/// What the seed did, for standard output.
pub fn summary(report: &SeedReport, search_index_bytes: u64) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "rows:");
    for (table, rows) in &report.rows {
        let _ = writeln!(out, "  {table:<24}{:>12}", thousands(*rows));
    }
    let _ = writeln!(out, "time:");
    for p in &report.phases {
        let _ = writeln!(
            out,
            "  {:<24}{:>10.1} s{}",
            p.name,
            p.seconds,
            if p.rows > 0 && p.seconds > 0.0 {
                format!(
                    "  ({} rows, {} a second)",
                    thousands(p.rows as i64),
                    thousands((p.rows as f64 / p.seconds) as i64)
                )
            } else {
                String::new()
            }
        );
    }
    let _ = writeln!(out, "  {:<24}{:>10.1} s", "in all", report.seconds);
    let _ = writeln!(
        out,
        "database size: {}; search index: {} ({} documents)",
        mib(report.database_bytes),
        mib(search_index_bytes as i64),
        thousands(report.search_documents as i64)
    );
    let _ = writeln!(
        out,
        "the people index: {} members, {} terms, {} postings",
        thousands(report.index.members as i64),
        thousands(report.index.terms as i64),
        thousands(report.index.postings as i64)
    );
    let forum = &report.forum;
    if forum.topic_id > 0 {
        let _ = writeln!(
            out,
            "largest forum: /communities/{}/forum ({} topics)",
            forum.community_slug,
            thousands(forum.community_topics)
        );
        let _ = writeln!(
            out,
            "busiest public forum: /communities/{}/forum; its busiest topic: /topics/{} ({} replies)",
            forum.community_slug, forum.topic_id, forum.topic_replies
        );
    }
    if !report.admin_email.is_empty() {
        let _ = writeln!(
            out,
            "sign in as {} (a site administrator; every seeded member has the same password) with the password {:?}",
            report.admin_email, SEED_PASSWORD
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(2_000_000), "2,000,000");
        assert_eq!(thousands(-12345), "-12,345");
    }
}
