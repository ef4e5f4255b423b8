//! `live-webhook spool`: look into and manage the spool of a `serve --spool`, while it
//! runs or not.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use tencent_live_webhook_gateway::output::Format;
use tencent_live_webhook_spool::{
    EntryDetail, EntryState, EntrySummary, Purge, Spool, SpoolConfig, Stats,
};

/// Where the spool is and how to print.
#[derive(clap::Args)]
pub(crate) struct SpoolArgs {
    /// The spool file `serve --spool` writes (before or after the action)
    #[arg(long, value_name = "PATH", env = "LIVE_WEBHOOK_SPOOL", global = true)]
    spool: Option<PathBuf>,
    /// `json` (one document per line) or `human` [default: human on a terminal, json
    /// otherwise]
    #[arg(long, value_enum, global = true)]
    format: Option<Format>,
    #[command(subcommand)]
    action: SpoolAction,
}

#[derive(clap::Subcommand)]
enum SpoolAction {
    /// How many webhooks are pending, delivered and dead, and the age of the oldest pending
    Stats,
    /// The newest webhooks first
    List {
        /// Only those in this state
        #[arg(long, value_enum, default_value_t = StateFilter::All)]
        state: StateFilter,
        /// At most this many
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// One webhook with its query, exact body and every delivery attempt
    Show {
        /// Its id (as `list` prints it)
        id: String,
    },
    /// Deliver again, now: these webhooks, every dead one, every pending one, or all
    Retry {
        /// Ids of webhooks (any state)
        #[arg(required_unless_present_any = ["dead", "pending", "all"],
              conflicts_with_all = ["dead", "pending", "all"])]
        ids: Vec<String>,
        /// Every dead webhook, its schedule started afresh
        #[arg(long, conflicts_with_all = ["pending", "all"])]
        dead: bool,
        /// Every pending webhook, due now instead of at its next retry (after an outage)
        #[arg(long, conflicts_with = "all")]
        pending: bool,
        /// Every webhook not delivered: --pending and --dead together
        #[arg(long)]
        all: bool,
    },
    /// Remove delivered or dead webhooks (pending ones are never removed)
    Purge {
        /// Remove delivered webhooks
        #[arg(long, required_unless_present = "dead", conflicts_with = "dead")]
        delivered: bool,
        /// Remove dead webhooks
        #[arg(long)]
        dead: bool,
        /// Only those that finished longer ago than this (`30m`, `7d`)
        #[arg(long, value_name = "DURATION",
              value_parser = tencent_live_webhook_gateway::duration::seconds)]
        older_than: Option<Duration>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum StateFilter {
    Pending,
    Delivered,
    Dead,
    All,
}

pub(crate) fn run(args: SpoolArgs) -> ExitCode {
    // Optional for clap only (an option that may follow the action cannot be required).
    let Some(path) = args.spool.clone() else {
        return crate::usage_error("which spool? give --spool PATH or set LIVE_WEBHOOK_SPOOL");
    };
    if !path.is_file() {
        eprintln!(
            "error: no spool at {} (serve --spool creates it)",
            path.display()
        );
        return ExitCode::FAILURE;
    }
    let format = args.format.unwrap_or(if std::io::stdout().is_terminal() {
        Format::Human
    } else {
        Format::Json
    });
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        let spool = Spool::open(&path, SpoolConfig::default()).map_err(|e| e.to_string())?;
        act(&spool, args.action, format)
            .await
            .map_err(|e| e.to_string())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn act(
    spool: &Spool,
    action: SpoolAction,
    format: Format,
) -> Result<(), tencent_live_webhook_spool::SpoolError> {
    match action {
        SpoolAction::Stats => print_stats(&spool.stats().await?, format),
        SpoolAction::List { state, limit } => {
            let state = match state {
                StateFilter::Pending => Some(EntryState::Pending),
                StateFilter::Delivered => Some(EntryState::Delivered),
                StateFilter::Dead => Some(EntryState::Dead),
                StateFilter::All => None,
            };
            for entry in spool.list(state, limit).await? {
                print_summary(&entry, format);
            }
        }
        SpoolAction::Show { id } => print_detail(&spool.show(&id).await?, format),
        SpoolAction::Retry {
            ids,
            dead,
            pending,
            all,
        } => {
            let count = if all {
                spool.retry_all().await?
            } else if pending {
                spool.retry_pending().await?
            } else if dead {
                spool.retry_dead().await?
            } else {
                spool.retry(&ids).await?;
                u64::try_from(ids.len()).unwrap_or(u64::MAX)
            };
            report(format, "retried", count);
        }
        SpoolAction::Purge {
            delivered,
            dead: _,
            older_than,
        } => {
            let which = if delivered {
                Purge::Delivered
            } else {
                Purge::Dead
            };
            let count = spool.purge(which, older_than).await?;
            report(format, "purged", count);
        }
    }
    Ok(())
}

fn report(format: Format, what: &str, count: u64) {
    match format {
        Format::Json => println!("{}", serde_json::json!({ what: count })),
        Format::Human => println!("{what} {count} webhook(s)"),
    }
}

fn print_stats(stats: &Stats, format: Format) {
    match format {
        Format::Json => println!("{}", json(stats)),
        Format::Human => println!(
            "pending {}, delivered {}, dead {}, oldest pending {} s",
            stats.pending, stats.delivered, stats.dead, stats.oldest_pending_age_s
        ),
    }
}

fn print_summary(entry: &EntrySummary, format: Format) {
    match format {
        Format::Json => println!("{}", json(entry)),
        Format::Human => println!("{}", human_summary(entry)),
    }
}

fn human_summary(entry: &EntrySummary) -> String {
    let time = jiff::Timestamp::from_millisecond(i64::try_from(entry.received_at_ms).unwrap_or(0))
        .map_or_else(
            |_| "-".to_owned(),
            |time| {
                time.to_zoned(jiff::tz::TimeZone::system())
                    .strftime("%Y-%m-%d %H:%M:%S")
                    .to_string()
            },
        );
    let last = match (&entry.last_status, &entry.last_error) {
        (_, Some(error)) => format!("  last: {error}"),
        (Some(status), None) => format!("  last: HTTP {status}"),
        (None, None) => String::new(),
    };
    format!(
        "{}  {time}  {:<9}  {}  room {}  {} attempt(s){last}",
        entry.id,
        entry.state.as_str(),
        entry.command,
        entry.room.as_deref().unwrap_or("-"),
        entry.attempts,
    )
}

fn print_detail(entry: &EntryDetail, format: Format) {
    // A stored Sign may still be within its time window: never shown.
    let mut entry = entry.clone();
    entry.query = tencent_live_webhook::mask_sign(&entry.query);
    match format {
        Format::Json => println!("{}", json(&entry)),
        Format::Human => {
            println!("{}", human_summary(&entry.summary));
            println!("query: {}", entry.query);
            println!("body:  {}", entry.body);
            for attempt in &entry.history {
                let status = attempt
                    .status
                    .map_or_else(|| "-".to_owned(), |status| status.to_string());
                let outcome = if attempt.delivered {
                    "delivered".to_owned()
                } else {
                    attempt.error.clone().unwrap_or_else(|| "failed".into())
                };
                println!(
                    "attempt {} at {} ms: HTTP {status}, {outcome}",
                    attempt.attempt, attempt.at_ms
                );
            }
        }
    }
}

fn json(value: &impl serde::Serialize) -> String {
    // The spool's types are strings and numbers: serializing cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}
