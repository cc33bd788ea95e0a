//! A company's first start: `rounds-server init` on an empty data directory
//! makes the first director, says where to sign in and as whom, and the
//! director then signs in to the console with the password typed in (never
//! printed). Run again, it is refused in both languages and the server's
//! accounts stay as they were; on SQLite and on PostgreSQL.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use clap::Parser;
use http_body_util::BodyExt;
use rounds_server::cli::{Cli, Command as ServerCommand};
use rounds_server::routes;
use rounds_tests::{server_binary, Backend};
use serde_json::{json, Value};
use tower::ServiceExt;

rounds_tests::on_both_backends!(an_empty_server_gets_its_first_director_once);

const PASSWORD: &str = "Guan-li-2026";

fn database_args(backend: &Backend) -> Vec<String> {
    match backend {
        Backend::Sqlite => vec![],
        Backend::Postgres { url } => vec!["--database".into(), url.clone()],
    }
}

/// `rounds-server init …` with `stdin` typed in and `env` set.
fn init(backend: &Backend, dir: &Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
    let mut child = Command::new(server_binary())
        .arg("init")
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .args(database_args(backend))
        .env_remove("ROUNDS_INIT_PASSWORD")
        .envs(env.iter().copied())
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The console's sign-in on the server `serve` would start on `dir`.
fn console_sign_in(
    backend: &Backend,
    dir: &Path,
    username: &str,
    password: &str,
) -> (StatusCode, Value) {
    let mut argv = vec![
        "rounds-server".to_string(),
        "serve".into(),
        "--data-dir".into(),
        dir.display().to_string(),
    ];
    argv.extend(database_args(backend));
    let ServerCommand::Serve(args) = Cli::try_parse_from(argv).unwrap().command else {
        unreachable!()
    };
    // Opened before the runtime starts (the PostgreSQL client blocks).
    let app = routes::router(args.open().unwrap());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let req = Request::post("/v1/console/login")
        .header("content-type", "application/json")
        .body(Body::from(
            json!({"username": username, "password": password}).to_string(),
        ))
        .unwrap();
    let answer = runtime.block_on(async move {
        let resp = app.oneshot(req).await.unwrap();
        let status = resp.status();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    });
    drop(runtime);
    answer
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn an_empty_server_gets_its_first_director_once(backend: &Backend) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");

    let first = init(
        backend,
        &data,
        &[
            "--username",
            "liuyang",
            "--name",
            "刘洋",
            "--listen",
            "127.0.0.1:8090",
        ],
        &format!("{PASSWORD}\n"),
        &[],
    );
    let (out, err) = (text(&first.stdout), text(&first.stderr));
    assert!(first.status.success(), "{out}\n{err}");
    assert!(out.contains("http://127.0.0.1:8090/"), "says where: {out}");
    assert!(
        out.contains("用户名 / username: liuyang"),
        "says as whom: {out}"
    );
    assert!(
        out.contains("rounds-server serve --data-dir"),
        "says how to start: {out}"
    );
    assert!(
        !out.contains(PASSWORD) && !err.contains(PASSWORD),
        "the password is not shown"
    );

    let (status, session) = console_sign_in(backend, &data, "liuyang", PASSWORD);
    assert_eq!(status, StatusCode::OK, "{session}");
    assert_eq!(session["staff"]["name"], "刘洋");
    assert_eq!(session["staff"]["role"], "director");

    // Again, even with another username: refused, and nobody else gets in.
    let second = init(
        backend,
        &data,
        &["--username", "intruder", "--name", "某人"],
        "",
        &[("ROUNDS_INIT_PASSWORD", "another-password")],
    );
    let err = text(&second.stderr);
    assert!(!second.status.success(), "{err}");
    assert!(err.contains("此服务器已有 1 个账号"), "{err}");
    assert!(err.contains("already has 1 account(s)"), "{err}");
    assert!(err.contains("nothing was changed"), "{err}");
    let (status, _) = console_sign_in(backend, &data, "intruder", "another-password");
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = console_sign_in(backend, &data, "liuyang", PASSWORD);
    assert_eq!(
        status,
        StatusCode::OK,
        "the director's password still works"
    );
    let count = backend.with_storage(&data, |db| db.staff_count().unwrap());
    assert_eq!(count, 1);
}

#[test]
fn a_short_password_is_refused_and_no_account_is_made() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("password");
    std::fs::write(&file, "short\n").unwrap();
    let data = dir.path().join("data");
    let out = Command::new(server_binary())
        .args([
            "init",
            "--username",
            "liuyang",
            "--name",
            "刘洋",
            "--data-dir",
        ])
        .arg(&data)
        .arg("--password-file")
        .arg(&file)
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("密码至少需要 8 个字符"), "{err}");
    assert!(err.contains("at least 8 characters"), "{err}");
    let count = Backend::Sqlite.with_storage(&data, |db| db.staff_count().unwrap());
    assert_eq!(count, 0);
}
