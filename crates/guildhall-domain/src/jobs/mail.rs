//! Email. Messages go through the jobs table, so none is lost while the mail
//! server is down. With `smtp_url` set they go by SMTP; without it (a
//! newcomer's default) each is written as an .eml file under the outbox
//! folder and its links are logged.

use crate::Ctx;
use crate::error::{Error, Result};
use lettre::message::{Mailbox, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Queues an email.
pub async fn queue(ctx: &Ctx, to: &str, subject: &str, body: String) -> Result<()> {
    let email = Email {
        to: to.to_string(),
        subject: subject.to_string(),
        body,
    };
    super::enqueue(ctx, &super::Job::Email(email)).await?;
    Ok(())
}

fn build(ctx: &Ctx, email: &Email) -> Result<Message> {
    let from: Mailbox = ctx
        .config
        .mail_from
        .parse()
        .map_err(|e| Error::Internal(format!("mail_from: {e}")))?;
    let to: Mailbox = email
        .to
        .parse()
        .map_err(|e| Error::Internal(format!("recipient {:?}: {e}", email.to)))?;
    let domain = from.email.domain().to_string();
    Message::builder()
        .message_id(Some(format!(
            "<{}@{domain}>",
            crate::crypto::random_token()
        )))
        .from(from)
        .to(to)
        .subject(&email.subject)
        .singlepart(SinglePart::plain(email.body.clone()))
        .map_err(|e| Error::Internal(format!("building email: {e}")))
}

pub(super) async fn send(ctx: &Ctx, email: &Email) -> Result<()> {
    let message = build(ctx, email)?;
    match &ctx.config.smtp_url {
        Some(url) => {
            let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url.0)
                .map_err(|e| Error::Internal(format!("smtp_url: {e}")))?
                .build();
            transport
                .send(message)
                .await
                .map_err(|e| Error::Internal(format!("sending email: {e}")))?;
        }
        None => write_to_outbox(ctx, email, &message).await?,
    }
    Ok(())
}

async fn write_to_outbox(ctx: &Ctx, email: &Email, message: &Message) -> Result<()> {
    let dir = &ctx.config.outbox_dir;
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| Error::Internal(format!("creating {}: {e}", dir.display())))?;
    let name = format!(
        "{}-{}.eml",
        guildhall_core::now(),
        &crate::crypto::random_token()[..8]
    );
    let path = dir.join(name);
    tokio::fs::write(&path, message.formatted())
        .await
        .map_err(|e| Error::Internal(format!("writing {}: {e}", path.display())))?;
    let links: Vec<&str> = email
        .body
        .split_whitespace()
        .filter(|w| w.starts_with("http://") || w.starts_with("https://"))
        .collect();
    tracing::info!(to = %email.to, subject = %email.subject, file = %path.display(), ?links,
        "email written to the outbox (no smtp_url set)");
    Ok(())
}
