//! `rounds-server init`: a company's first start on an empty data directory
//! (SQLite, or a PostgreSQL database). It creates the first director, who
//! then signs in to the console and sets up the rest. A server that already
//! has accounts is refused and left exactly as it was.
//!
//! The password is never taken from the command line, where other users of
//! the machine and the shell's history would see it: it comes from a file
//! (`--password-file`), from `ROUNDS_INIT_PASSWORD`, or from standard input
//! (typed unseen when that is a terminal).

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

use clap::Args;
use rounds_core::message::ErrorCode;
use rounds_core::{RecordId, Role, Staff};

use crate::admin::passwords::check_new_password;
use crate::cli::ServeArgs;
use crate::error::AppError;
use crate::phone::auth::hash_password;
use crate::state::Db;

/// Where a script may hand the first password over instead of a file.
pub const PASSWORD_ENV: &str = "ROUNDS_INIT_PASSWORD";

/// Shorter passwords are refused: the director may do everything.
pub use rounds_core::admin::MIN_PASSWORD_CHARS;

#[derive(Debug, Args, Clone)]
pub struct InitArgs {
    /// The first director's sign-in name.
    #[arg(long)]
    pub username: String,
    /// The director's name as colleagues see it (e.g. 刘洋).
    #[arg(long)]
    pub name: String,
    /// A file whose first line is the password (otherwise
    /// `ROUNDS_INIT_PASSWORD`, otherwise standard input).
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
    /// Where the data lives, as `serve` will be started on it.
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// The first director as the command was given it.
pub struct FirstDirector {
    pub username: String,
    pub name: String,
    pub password: String,
}

impl InitArgs {
    /// The director to create, the password read from where it was given.
    pub fn director(&self) -> Result<FirstDirector, AppError> {
        let password = match (&self.password_file, std::env::var(PASSWORD_ENV)) {
            (Some(path), _) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    AppError::refused(
                        ErrorCode::Invalid,
                        format!("无法读取密码文件 {}:{e}", path.display()),
                        format!("cannot read the password file {}: {e}", path.display()),
                    )
                })?;
                text.lines().next().unwrap_or_default().to_owned()
            }
            (None, Ok(password)) => password,
            (None, Err(_)) => read_password()?,
        };
        Ok(FirstDirector {
            username: self.username.trim().to_owned(),
            name: self.name.trim().to_owned(),
            password,
        })
    }

    /// What the new director is told: where to sign in, and as whom.
    pub fn sign_in_text(&self, staff: &Staff) -> String {
        let mut serve = format!(
            "rounds-server serve --data-dir {} --listen {}",
            self.serve.data_dir.display(),
            self.serve.listen
        );
        if let Some(url) = &self.serve.database {
            serve.push_str(&format!(" --database {url}"));
        }
        format!(
            "已创建服务中心主任账号 / created the service-centre director account: {} ({})\n\
             启动服务器 / start the server:\n  {serve}\n\
             然后打开网页控制台登录 / then sign in to the office console at http://{}/\n  \
             用户名 / username: {}",
            self.username.trim(),
            staff.name,
            self.serve.listen,
            self.username.trim(),
        )
    }
}

/// From the terminal without echo (asked twice), or one line of a pipe.
fn read_password() -> Result<String, AppError> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("密码 / password: ")?;
        let again = rpassword::prompt_password("再输一次 / again: ")?;
        if first != again {
            return Err(AppError::invalid(
                "password",
                "两次输入的密码不一致",
                "the two passwords differ",
            ));
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// The whole command: refuses a server with accounts before asking for the
/// password, creates the director, and says how to sign in.
pub async fn run(args: InitArgs) -> Result<(), AppError> {
    let state = args.serve.open()?;
    state.db(refuse_if_in_use).await?;
    let director = args.director()?;
    let staff = state.db(move |db| init(db, &director)).await?;
    println!("{}", args.sign_in_text(&staff));
    Ok(())
}

fn refuse_if_in_use(db: &mut Db) -> Result<(), AppError> {
    let existing = db.staff_count()?;
    if existing > 0 {
        return Err(AppError::refused(
            ErrorCode::Conflict,
            format!("此服务器已有 {existing} 个账号,初始化只用于空的数据目录;未做任何更改"),
            format!(
                "this server already has {existing} account(s): init is only for an empty data directory; nothing was changed"
            ),
        ));
    }
    Ok(())
}

/// Creates the first director, unless the server has accounts already (then
/// nothing is written).
pub fn init(db: &mut Db, director: &FirstDirector) -> Result<Staff, AppError> {
    let FirstDirector {
        username,
        name,
        password,
    } = director;
    if username.is_empty() || username.chars().any(char::is_whitespace) {
        return Err(AppError::invalid(
            "username",
            "用户名不能为空,也不能含空格",
            "the username must not be empty or contain spaces",
        ));
    }
    if name.is_empty() {
        return Err(AppError::invalid("name", "请填写姓名", "enter the name"));
    }
    check_new_password("password", password)?;
    refuse_if_in_use(db)?;
    let staff = Staff {
        id: format!("s-{}", RecordId::new()),
        name: name.clone(),
        role: Role::Director,
        // No estates exist yet; the director adds them.
        estates: vec![],
    };
    db.put_staff(&staff, username, &hash_password(password)?)?;
    Ok(staff)
}
