//! `serve --config FILE`: a TOML file with the same keys as the flags (`forward-to =
//! "http://127.0.0.1:3000/tencent"`, `spool = "spool.db"`), turned into the arguments it
//! stands for, so that the one parser checks them all alike. Flags given on the command
//! line and set environment variables win over the file: a key whose flag is on the
//! command line, lists included, is left out whole.

use std::ffi::OsString;
use std::path::Path;

use crate::error::GatewayError;

/// The arguments a configuration file stands for, to be put beside the command line's
/// own, `given`: each key is the long flag it names (with `-` or `_` between words); a
/// string, number or date is its value, `true` sets a switch (`false` leaves it unset), an
/// array repeats the flag. A key that names no flag of `command`, or a table, is refused
/// with its name. A key whose flag is in `given` (by its name or an alias), or takes its
/// value from an environment variable that is set, is left out: the command line and the
/// environment win.
///
/// ```
/// use clap::{Arg, ArgAction, Command};
/// use tencent_live_webhook_gateway::config_file::file_arguments;
///
/// let serve = Command::new("serve")
///     .arg(Arg::new("forward-to").long("forward-to"))
///     .arg(Arg::new("token").long("token").action(ArgAction::Append))
///     .arg(Arg::new("no-verify").long("no-verify").action(ArgAction::SetTrue));
/// let toml = "forward_to = 'http://127.0.0.1:3000/'\ntoken = ['old', 'new']\nno-verify = false";
/// let args = file_arguments(&serve, toml, "serve.toml".as_ref(), &[])?;
/// assert_eq!(args, ["--forward-to=http://127.0.0.1:3000/", "--token=old", "--token=new"]);
/// // A token on the command line replaces the file's list.
/// let args = file_arguments(&serve, toml, "serve.toml".as_ref(), &["--token".into(), "t".into()])?;
/// assert_eq!(args, ["--forward-to=http://127.0.0.1:3000/"]);
/// assert!(file_arguments(&serve, "forward = 1", "serve.toml".as_ref(), &[]).is_err());
/// # Ok::<(), tencent_live_webhook_gateway::GatewayError>(())
/// ```
pub fn file_arguments(
    command: &clap::Command,
    text: &str,
    path: &Path,
    given: &[OsString],
) -> Result<Vec<OsString>, GatewayError> {
    let given_names: Vec<&str> = given
        .iter()
        .filter_map(|argument| argument.to_str()?.strip_prefix("--"))
        .map(|flag| flag.split_once('=').map_or(flag, |(name, _)| name))
        .collect();
    let usage = |message: String| GatewayError::Usage(format!("{}: {message}", path.display()));
    let table: toml::Table = text
        .parse()
        .map_err(|error: toml::de::Error| usage(error.message().to_owned()))?;
    let mut arguments = Vec::new();
    for (key, value) in &table {
        let flag = key.replace('_', "-");
        let Some(arg) = command
            .get_arguments()
            .find(|arg| arg.get_long() == Some(flag.as_str()) && flag != "config")
        else {
            return Err(usage(format!("{key:?} is not an option of serve")));
        };
        let on_command_line = given_names.iter().any(|name| {
            arg.get_long() == Some(name)
                || arg
                    .get_all_aliases()
                    .is_some_and(|aliases| aliases.contains(name))
        });
        let from_environment = arg
            .get_env()
            .is_some_and(|variable| std::env::var_os(variable).is_some());
        if on_command_line || from_environment {
            continue;
        }
        let values = match value {
            toml::Value::Array(items) => items.iter().collect(),
            single => vec![single],
        };
        for value in values {
            match value {
                toml::Value::Boolean(true) => arguments.push(OsString::from(format!("--{flag}"))),
                toml::Value::Boolean(false) => {}
                toml::Value::String(text) => {
                    arguments.push(OsString::from(format!("--{flag}={text}")));
                }
                toml::Value::Integer(number) => {
                    arguments.push(OsString::from(format!("--{flag}={number}")));
                }
                toml::Value::Float(number) => {
                    arguments.push(OsString::from(format!("--{flag}={number}")));
                }
                toml::Value::Datetime(time) => {
                    arguments.push(OsString::from(format!("--{flag}={time}")));
                }
                toml::Value::Array(_) | toml::Value::Table(_) => {
                    return Err(usage(format!(
                        "{key:?} takes a value or a list of values, not a table"
                    )));
                }
            }
        }
    }
    Ok(arguments)
}

/// Reads `path` for [`file_arguments`]. A file that holds a secret (a token, a TRTC key,
/// the admin token, a broker URL) and that other local users may read is named in a
/// warning on standard error: `chmod 600` it.
pub fn read(
    command: &clap::Command,
    path: &Path,
    given: &[OsString],
) -> Result<Vec<OsString>, GatewayError> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| GatewayError::Io(format!("cannot read {}: {error}", path.display())))?;
    let arguments = file_arguments(command, &text, path, given)?;
    let secret = arguments.iter().any(|argument| {
        let argument = argument.to_string_lossy();
        ["--token=", "--trtc-key=", "--admin-token=", "--publish="]
            .iter()
            .any(|flag| argument.starts_with(flag))
    });
    if secret && crate::secret::readable_by_others(path) {
        eprintln!(
            "warning: {} holds secrets and other users may read it: chmod 600 it",
            path.display()
        );
    }
    Ok(arguments)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Arg, ArgAction, Command};

    fn serve() -> Command {
        Command::new("serve")
            .arg(Arg::new("spool").long("spool"))
            .arg(Arg::new("limit").long("limit"))
            .arg(Arg::new("config").long("config"))
            .arg(Arg::new("color").long("color").action(ArgAction::SetTrue))
    }

    fn arguments(text: &str) -> Result<Vec<String>, String> {
        file_arguments(
            &serve(),
            text,
            Path::new("s.toml"),
            &["--limit".into(), "1".into()],
        )
        .map(|arguments| {
            arguments
                .into_iter()
                .map(|argument| argument.into_string().unwrap())
                .collect()
        })
        .map_err(|error| error.to_string())
    }

    #[test]
    fn values_become_the_flags_they_name() {
        assert_eq!(
            arguments("spool = 'a b.db'\ncolor = true").unwrap(),
            ["--color", "--spool=a b.db"]
        );
        // `--limit` is on the command line: the file's is left out.
        assert_eq!(arguments("limit = 65536").unwrap(), Vec::<String>::new());
        assert_eq!(arguments("color = false").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn unknown_keys_tables_and_bad_toml_are_refused_by_name() {
        let unknown = arguments("spoool = 'x'").unwrap_err();
        assert!(unknown.contains("\"spoool\" is not an option"), "{unknown}");
        assert!(unknown.starts_with("s.toml: "), "{unknown}");
        let table = arguments("[spool]\npath = 'x'").unwrap_err();
        assert!(table.contains("not a table"), "{table}");
        assert!(arguments("spool = ").is_err());
        // The file cannot name another file.
        assert!(arguments("config = 'other.toml'").is_err());
    }
}
