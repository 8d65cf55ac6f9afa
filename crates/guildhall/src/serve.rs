//! `guildhall serve`: migrate, start the job workers, serve until a signal,
//! then drain in-flight requests and the job in hand, and exit 0.

use anyhow::{Context, Result};
use axum::Router;
use guildhall_domain::{Config, Ctx, jobs};
use guildhall_web::AppState;
use std::future::Future;
use std::net::SocketAddr;
use tokio::net::TcpListener;
use tokio::sync::watch;

pub async fn serve(config: Config) -> Result<()> {
    let addr = config.addr;
    let ctx = Ctx::open(config)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    guildhall_domain::people::index::upgrade(&ctx)
        .await
        .map_err(|e| anyhow::anyhow!("upgrading the people index: {e}"))?;
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening on {addr}"))?;
    tracing::info!(addr = %listener.local_addr()?, backend = ?ctx.store.backend(), "Guildhall is ready");
    let app = guildhall_web::router(AppState::new(ctx.clone()));
    run(ctx, app, listener, shutdown_signal()).await
}

/// Serves `app` on `listener` until `shutdown` completes, then lets in-flight
/// requests finish. Public so tests can drive a real server with their own
/// routes and shutdown trigger.
pub async fn run(
    ctx: Ctx,
    app: Router,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let (stop_tx, stop_rx) = watch::channel(false);
    let workers: Vec<_> = (0..ctx.config.job_workers)
        .map(|_| tokio::spawn(jobs::work(ctx.clone(), stop_rx.clone())))
        .collect();
    // Key sources are fetched by one loop per instance beside the job
    // workers (each source is claimed before it is fetched).
    let sources = (ctx.config.job_workers > 0).then(|| {
        tokio::spawn(guildhall_domain::sources::work(
            ctx.clone(),
            stop_rx.clone(),
        ))
    });
    let follower = tokio::spawn(guildhall_domain::search::follow::run_forever(ctx.clone()));
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .context("serving HTTP")?;
    tracing::info!("stopped accepting requests; finishing background work");
    let _ = stop_tx.send(true);
    for worker in workers {
        let _ = worker.await;
    }
    if let Some(sources) = sources {
        let _ = sources.await;
    }
    follower.abort();
    ctx.store.close().await;
    tracing::info!("shut down cleanly");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("signal received: shutting down");
}
