//! Times as GOV.UK writes them.

use time::OffsetDateTime;

/// A stored time as GOV.UK writes dates: "27 November 2026 at 9:05am" (UTC).
pub fn date_time(ts: i64) -> String {
    let Ok(t) = OffsetDateTime::from_unix_timestamp(ts) else {
        return String::new();
    };
    let (hour, suffix) = match t.hour() {
        0 => (12, "am"),
        h @ 1..=11 => (h, "am"),
        12 => (12, "pm"),
        h => (h - 12, "pm"),
    };
    format!(
        "{} {} {} at {}:{:02}{}",
        t.day(),
        t.month(),
        t.year(),
        hour,
        t.minute(),
        suffix
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn gov_uk_style() {
        assert_eq!(
            super::date_time(1_795_770_300),
            "27 November 2026 at 9:05am"
        );
    }
}
