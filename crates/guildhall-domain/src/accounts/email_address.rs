use crate::error::{FieldErrors, Result};

/// An email address that has been checked and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Checks the shape `local@domain.tld` (what a person can be asked to fix),
    /// not deliverability. Errors are written for the form field `field`.
    pub fn parse(input: &str, field: &'static str) -> Result<EmailAddress> {
        let email = input.trim().to_lowercase();
        let invalid = || {
            FieldErrors::one(
                field,
                "Enter an email address in the correct format, like name@council.gov.uk",
            )
        };
        if email.is_empty() {
            return Err(FieldErrors::one(field, "Enter your email address"));
        }
        if email.len() > 254 {
            return Err(FieldErrors::one(
                field,
                "Email address must be 254 characters or fewer",
            ));
        }
        let (local, domain) = email.rsplit_once('@').ok_or_else(invalid)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if local_ok && domain_ok {
            Ok(EmailAddress(email))
        } else {
            Err(invalid())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map(|(_, d)| d).unwrap_or("")
    }
}

impl From<EmailAddress> for String {
    fn from(e: EmailAddress) -> String {
        e.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_lowercases() {
        let e = EmailAddress::parse("  Jo.Bloggs@Leeds.GOV.uk ", "email").expect("valid");
        assert_eq!(e.as_str(), "jo.bloggs@leeds.gov.uk");
        assert_eq!(e.domain(), "leeds.gov.uk");
    }

    #[test]
    fn rejects_bad_shapes() {
        for bad in [
            "",
            "jo",
            "jo@",
            "@x.uk",
            "jo@localhost",
            "jo@@x.uk",
            "j o@x.uk",
            "jo@x..uk",
            ".jo@x.uk",
            "jo@-x.uk",
        ] {
            assert!(EmailAddress::parse(bad, "email").is_err(), "{bad:?}");
        }
    }
}
