//! Passwords: Argon2id (m = 19 MiB, t = 2, p = 1, as OWASP advises), 10 to 128
//! characters, no composition rules, not one of the commonly used ones.

use crate::error::{Error, FieldErrors, Result};
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use std::collections::HashSet;
use std::sync::LazyLock;

pub const MIN_LENGTH: usize = 10;
pub const MAX_LENGTH: usize = 128;

/// Passwords of 10 or more characters from a published list (see passwords/README.md).
static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../../../passwords/common-passwords.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
});

/// A hash to check against when there is no account, so that an unknown email
/// takes as long to refuse as a wrong password.
pub(crate) static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password("not a real password, only for timing").unwrap_or_default());

fn argon2() -> Argon2<'static> {
    #[allow(clippy::expect_used)]
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checks a new password against the rules; errors name `field`.
pub fn check_new_password(password: &str, field: &'static str) -> Result<()> {
    let length = password.chars().count();
    let message = if password.is_empty() {
        "Enter a password"
    } else if length < MIN_LENGTH {
        "Password must be 10 characters or more"
    } else if length > MAX_LENGTH {
        "Password must be 128 characters or fewer"
    } else if COMMON.contains(password.to_lowercase().as_str()) {
        "This password is too common. Choose one that is harder to guess, like three random words"
    } else {
        return Ok(());
    };
    Err(FieldErrors::one(field, message))
}

pub fn hash_password(password: &str) -> Result<String> {
    argon2()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("hashing password: {e}")))
}

/// Whether `password` matches the stored `hash`. A malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    argon2()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

/// Hashing takes tens of milliseconds of CPU: keep it off the async threads.
pub(crate) async fn hash_blocking(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
}

pub(crate) async fn verify_blocking(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        assert!(check_new_password("", "p").is_err());
        assert!(check_new_password("short", "p").is_err());
        assert!(check_new_password(&"x".repeat(129), "p").is_err());
        assert!(check_new_password("correct horse battery", "p").is_ok());
        assert!(
            check_new_password("ééééééééééé", "p").is_ok(),
            "characters, not bytes"
        );
    }

    #[test]
    fn common_passwords_are_refused() {
        assert!(COMMON.len() > 500);
        let common = COMMON.iter().next().copied().unwrap_or_default();
        assert!(check_new_password(common, "p").is_err());
        assert!(check_new_password(&common.to_uppercase(), "p").is_err());
    }

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash_password("correct horse battery").expect("hash");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong horse battery", &h));
        assert!(!verify_password("x", "not a hash"));
    }
}
