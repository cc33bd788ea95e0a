use clap::Parser;
use rounds_server::cli::{serve, Cli, Command};
use rounds_server::demo::{demo_staff, seed, DEMO_PASSWORD};
use rounds_server::error::AppError;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let cli = Cli::parse();
    let result = async {
        match cli.command {
            Command::Serve(args) => serve(args.open()?, args.listen).await,
            Command::Init(args) => rounds_server::first_start::run(args).await,
            Command::Demo(args) => {
                let state = args.open()?;
                // The blocking client may not run on the async runtime's threads.
                let adopting = state.clone();
                std::thread::spawn(move || rounds_server::demo::price_list::adopt(&adopting))
                    .join()
                    .map_err(|_| AppError::Internal("adopting the demo price list panicked".into()))??;
                let company = state.company();
                if state.db(move |db| seed(db, &company.rules, &company.calendar)).await? {
                    println!("已生成演示数据 / demo data seeded in {}", args.data_dir.display());
                }
                println!(
                    "登录 / sign in at http://{} with any of these users, password “{DEMO_PASSWORD}”:",
                    args.listen
                );
                for (username, name, role, estates) in demo_staff() {
                    println!("  {username:<13} {name} ({}) {}", role.label().en, estates.join(", "));
                }
                serve(state, args.listen).await
            }
        }
    }
    .await;
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}
