//! The text of the emails accounts send. Plain English, plain text.

use crate::Ctx;

pub(crate) fn verify(ctx: &Ctx, name: &str, token: &str, needs_approval: bool) -> (String, String) {
    let link = format!("{}/verify-email/{token}", ctx.config.base_url);
    let hours = ctx.config.verify_token_seconds / 3600;
    let after = if needs_approval {
        "Your email address is not on a public sector domain we recognise, so a site administrator \
         will also check your account before you can use Guildhall. We will email you when they have."
    } else {
        "You can then sign in and start using Guildhall."
    };
    (
        "Confirm your email address for Guildhall".into(),
        format!(
            "Hello {name},\n\nConfirm your email address by opening this link:\n\n{link}\n\n\
             The link works once and expires in {hours} hours.\n\n{after}\n\n\
             If you did not register for Guildhall, you can ignore this email.\n"
        ),
    )
}

pub(crate) fn already_registered(ctx: &Ctx, name: &str) -> (String, String) {
    let base = &ctx.config.base_url;
    (
        "You already have a Guildhall account".into(),
        format!(
            "Hello {name},\n\nSomeone tried to register for Guildhall with this email address, \
             but you already have an account.\n\nSign in: {base}/sign-in\n\n\
             If you have forgotten your password, reset it: {base}/forgot-password\n\n\
             If this was not you, you can ignore this email. Your account has not changed.\n"
        ),
    )
}

pub(crate) fn reset(ctx: &Ctx, name: &str, token: &str) -> (String, String) {
    let link = format!("{}/reset-password/{token}", ctx.config.base_url);
    let minutes = ctx.config.reset_token_seconds / 60;
    (
        "Reset your Guildhall password".into(),
        format!(
            "Hello {name},\n\nYou asked to reset your Guildhall password. Choose a new one here:\n\n{link}\n\n\
             The link works once and expires in {minutes} minutes.\n\n\
             If you did not ask for this, you can ignore this email. Your password has not changed.\n"
        ),
    )
}

pub(crate) fn approved(ctx: &Ctx, name: &str) -> (String, String) {
    (
        "Your Guildhall account is ready".into(),
        format!(
            "Hello {name},\n\nA site administrator has approved your account. You can now sign in:\n\n{}/sign-in\n",
            ctx.config.base_url
        ),
    )
}

pub(crate) fn password_changed(ctx: &Ctx, name: &str) -> (String, String) {
    (
        "Your Guildhall password has changed".into(),
        format!(
            "Hello {name},\n\nThe password for your Guildhall account has just changed, and any other \
             places you were signed in have been signed out.\n\n\
             If you did not do this, reset your password now: {}/forgot-password\n",
            ctx.config.base_url
        ),
    )
}
