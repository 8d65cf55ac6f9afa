//! The `guildhall` binary: command-line wiring only.

use clap::Parser;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = guildhall::cli::Cli::parse();
    match guildhall::cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("guildhall: {e:#}");
            ExitCode::FAILURE
        }
    }
}
