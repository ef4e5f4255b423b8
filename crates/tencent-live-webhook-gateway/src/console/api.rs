//! The console's HTTP side: the page, its assets, and the JSON API the page calls (also
//! for scripts: documented in the CLI's README).

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use serde::Serialize;
use tencent_live_webhook::mask_sign;
use tencent_live_webhook_spool::Purge;

use super::auth::{COOKIE, Offered, SESSION_SECONDS, offered};
use super::state::{Filter, Seen};
use super::window::Row;
use super::{Console, Record};

const PAGE: &str = include_str!("../../assets/console.html");
const SCRIPT: &str = include_str!("../../assets/console.js");
const STYLE: &str = include_str!("../../assets/console.css");

/// What the page may load and run: its own script and style, its own API, nothing else.
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
     connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The header a state-changing request carries the page's token in.
pub(crate) const CSRF_HEADER: &str = "x-live-webhook-csrf";

/// Entries a listing returns at most.
const LIST_LIMIT: usize = 200;

type Answer = Response<Full<Bytes>>;

fn respond(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Answer {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    response
}

fn json(status: StatusCode, value: &impl Serialize) -> Answer {
    let body = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
    respond(status, "application/json", body)
}

fn error(status: StatusCode, message: &str) -> Answer {
    json(status, &serde_json::json!({ "error": message }))
}

/// The console's answer to `request`, or `None` when the path is not the console's.
pub(crate) async fn answer(
    console: &Console,
    request: &Request<Incoming>,
    peer: Option<std::net::IpAddr>,
    now_ms: u64,
) -> Option<Answer> {
    let path = request.uri().path();
    // HEAD is answered as GET (hyper sends no body for it).
    let method = if request.method() == Method::HEAD {
        &Method::GET
    } else {
        request.method()
    };
    let is_api = path.starts_with("/api/");
    if !(path == "/" || path == "/console.js" || path == "/console.css" || is_api) {
        return None;
    }
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok());
    if !console.hosts.allows(host) {
        return Some(error(
            StatusCode::FORBIDDEN,
            "the console answers only to an IP address, localhost and the names given with --admin-host",
        ));
    }
    // Assets hold no data: served to anyone, so that the login redirect can load them.
    match (method, path) {
        (&Method::GET, "/console.js") => {
            return Some(respond(
                StatusCode::OK,
                "text/javascript; charset=utf-8",
                SCRIPT,
            ));
        }
        (&Method::GET, "/console.css") => {
            return Some(respond(StatusCode::OK, "text/css; charset=utf-8", STYLE));
        }
        _ => {}
    }
    if path == "/"
        && method == Method::GET
        && let Some(token) = &console.token
        && let Some(given) = query_value(request, "token")
    {
        // Opened with ?token=: open a session, keep its id in a cookie only this site
        // sends, and drop the token from the address bar.
        if !token.matches(&given) {
            console.failed_login(peer, now_ms);
            return Some(error(StatusCode::UNAUTHORIZED, "wrong admin token"));
        }
        let Ok(session) = console.sessions.open(now_ms) else {
            return Some(error(
                StatusCode::SERVICE_UNAVAILABLE,
                "no randomness for a session id",
            ));
        };
        let mut response = respond(StatusCode::SEE_OTHER, "text/plain; charset=utf-8", "");
        let cookie = format!(
            "{COOKIE}={session}; HttpOnly; SameSite=Strict; Path=/; Max-Age={SESSION_SECONDS}"
        );
        if let Ok(cookie) = HeaderValue::from_str(&cookie) {
            response.headers_mut().insert(header::SET_COOKIE, cookie);
        }
        response
            .headers_mut()
            .insert(header::LOCATION, HeaderValue::from_static("/"));
        return Some(response);
    }
    if let Some(token) = &console.token {
        let admitted = match offered(request.headers()) {
            Offered::Token(given) => Some(token.matches(given)),
            Offered::Session(id) => Some(console.sessions.is_open(id, now_ms)),
            Offered::Nothing => None,
        };
        if admitted != Some(true) {
            if admitted == Some(false) {
                console.failed_login(peer, now_ms);
            }
            return Some(error(
                StatusCode::UNAUTHORIZED,
                "the admin token is needed: open /?token=TOKEN, or send Authorization: Bearer TOKEN",
            ));
        }
    }
    Some(match (method, path) {
        (&Method::GET, "/") => {
            let page = PAGE.replace("{{csrf}}", &console.csrf);
            let mut response = respond(StatusCode::OK, "text/html; charset=utf-8", page);
            response
                .headers_mut()
                .insert("content-security-policy", HeaderValue::from_static(POLICY));
            response
        }
        (&Method::GET, "/api/summary") => summary(console, now_ms).await,
        (&Method::GET, "/api/webhooks") => {
            let command = query_value(request, "command").filter(|value| !value.is_empty());
            let state = query_value(request, "state").filter(|value| !value.is_empty());
            list(console, command.as_deref(), state.as_deref()).await
        }
        (&Method::GET, _) if path.starts_with("/api/webhooks/") => {
            detail(console, &path["/api/webhooks/".len()..]).await
        }
        (&Method::GET, _) if path.starts_with("/api/seen/") => {
            seen_detail(console, &path["/api/seen/".len()..])
        }
        (&Method::POST, _) => {
            if !own_origin(request, host.unwrap_or_default()) {
                return Some(error(
                    StatusCode::FORBIDDEN,
                    "a request from another site's page is refused",
                ));
            }
            let csrf = request
                .headers()
                .get(CSRF_HEADER)
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default();
            let same: bool =
                subtle::ConstantTimeEq::ct_eq(csrf.as_bytes(), console.csrf.as_bytes()).into();
            if !same {
                return Some(error(
                    StatusCode::FORBIDDEN,
                    "missing or wrong X-Live-Webhook-Csrf header (the page's token)",
                ));
            }
            change(console, path, request).await
        }
        _ => error(StatusCode::NOT_FOUND, "not found"),
    })
}

/// Whether a state-changing request comes from the console's own page, or from no page at
/// all (a script sends no `Origin`; it still needs the page's token).
fn own_origin(request: &Request<Incoming>, host: &str) -> bool {
    let headers = request.headers();
    let cross_site = headers
        .get("sec-fetch-site")
        .is_some_and(|site| site.as_bytes() == b"cross-site");
    let foreign = headers.get(header::ORIGIN).is_some_and(|origin| {
        origin
            .to_str()
            .map_or(true, |origin| !super::host::same_origin(origin, host))
    });
    !cross_site && !foreign
}

/// A query parameter's value, percent-decoded.
fn query_value(request: &Request<Incoming>, name: &str) -> Option<String> {
    let query = request.uri().query()?;
    url_decoded_pairs(query).find_map(|(key, value)| (key == name).then_some(value))
}

fn url_decoded_pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query.split('&').filter_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        Some((decode(key)?, decode(value)?))
    })
}

fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'%' => {
                let hex = text.get(at + 1..at + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                at += 3;
            }
            b'+' => {
                out.push(b' ');
                at += 1;
            }
            other => {
                out.push(other);
                at += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[derive(Serialize)]
struct Summary {
    received: u64,
    refused: u64,
    duplicates: u64,
    pending: Option<u64>,
    dead: Option<u64>,
    oldest_pending_age_s: Option<u64>,
    spool: bool,
    /// The states the list can be filtered by.
    states: &'static [&'static str],
    minutes: Vec<super::window::Minute>,
}

async fn summary(console: &Console, now_ms: u64) -> Answer {
    let (received, refused) = console.window.totals();
    let mut summary = Summary {
        received,
        refused,
        duplicates: 0,
        pending: None,
        dead: None,
        oldest_pending_age_s: None,
        spool: console.spool.is_some(),
        states: Filter::offered(console.spool.is_some()),
        minutes: console.window.minutes(now_ms),
    };
    if let Some(spool) = &console.spool {
        summary.duplicates = spool.counters().duplicates;
        match spool.stats().await {
            Ok(stats) => {
                summary.pending = Some(stats.pending);
                summary.dead = Some(stats.dead);
                summary.oldest_pending_age_s = Some(stats.oldest_pending_age_s);
            }
            Err(failed) => return error(StatusCode::SERVICE_UNAVAILABLE, &failed.to_string()),
        }
    }
    json(StatusCode::OK, &summary)
}

async fn list(console: &Console, command: Option<&str>, state: Option<&str>) -> Answer {
    let filter = match Filter::parse(state, console.spool.is_some()) {
        Ok(filter) => filter,
        Err(unknown) => return error(StatusCode::BAD_REQUEST, &unknown.to_string()),
    };
    let remembered = |state| console.window.list(command, state, LIST_LIMIT);
    let (spool, state) = match (&console.spool, filter) {
        (_, Filter::Window(state)) => return rows(&remembered(Some(state))),
        (None, _) => return rows(&remembered(None)),
        (Some(spool), Filter::Spool(state)) => (spool, Some(state)),
        (Some(spool), Filter::All) => (spool, None),
    };
    // The spool lists by state; the command is filtered here, from a larger listing.
    let entries = match spool.list(state, LIST_LIMIT * 5).await {
        Ok(entries) => entries,
        Err(failed) => return error(StatusCode::SERVICE_UNAVAILABLE, &failed.to_string()),
    };
    let entries = entries
        .into_iter()
        .filter(|entry| command.is_none_or(|command| entry.command == command))
        .take(LIST_LIMIT)
        .filter_map(|entry| serde_json::to_value(entry).ok());
    if filter != Filter::All {
        return rows(&entries.collect::<Vec<_>>());
    }
    // Every row: what the spool keeps, and what the console remembers besides (blocking
    // callbacks answered through the app, duplicates, failures, refusals), newest first.
    let mut merged: Vec<(u64, serde_json::Value)> = entries
        .map(|entry| (received_at(&entry), entry))
        .chain(
            remembered(None)
                .into_iter()
                .filter_map(|row| Some((row.received_at_ms(), serde_json::to_value(row).ok()?))),
        )
        .collect();
    // Stable: rows of the same millisecond keep each listing's own order.
    merged.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    merged.truncate(LIST_LIMIT);
    let merged: Vec<_> = merged.into_iter().map(|(_, row)| row).collect();
    rows(&merged)
}

fn received_at(entry: &serde_json::Value) -> u64 {
    entry["received_at_ms"].as_u64().unwrap_or_default()
}

/// The rows of a listing, each named as the console shows it.
fn rows<T: Serialize>(entries: &[T]) -> Answer {
    let named: Vec<serde_json::Value> = entries
        .iter()
        .filter_map(|entry| serde_json::to_value(entry).ok())
        .map(super::naming::named)
        .collect();
    json(StatusCode::OK, &named)
}

#[derive(Serialize)]
struct Detail<'a, S: Serialize> {
    #[serde(flatten)]
    summary: &'a S,
    query: String,
    body: &'a str,
    history: &'a [tencent_live_webhook_spool::AttemptRecord],
}

async fn detail(console: &Console, id: &str) -> Answer {
    let Some(spool) = &console.spool else {
        return match console.window.find(id) {
            Some(record) => named_detail(&memory_detail(&record)),
            None => error(StatusCode::NOT_FOUND, "no such webhook"),
        };
    };
    match spool.show(id).await {
        Ok(entry) => named_detail(&Detail {
            summary: &entry.summary,
            query: mask_sign(&entry.query),
            body: &entry.body,
            history: &entry.history,
        }),
        Err(tencent_live_webhook_spool::SpoolError::NotFound(_)) => {
            error(StatusCode::NOT_FOUND, "no such webhook")
        }
        Err(failed) => error(StatusCode::SERVICE_UNAVAILABLE, &failed.to_string()),
    }
}

/// A webhook's detail, named as the console shows it.
fn named_detail(detail: &impl Serialize) -> Answer {
    match serde_json::to_value(detail) {
        Ok(value) => json(StatusCode::OK, &super::naming::named(value)),
        Err(_) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "cannot show this webhook",
        ),
    }
}

/// A remembered row's detail: a webhook with its query (`Sign` masked) and body, or a
/// refusal, which keeps neither.
fn seen_detail(console: &Console, seen: &str) -> Answer {
    let Ok(seen) = seen.parse::<Seen>() else {
        return error(StatusCode::NOT_FOUND, "no such row");
    };
    match console.window.seen(seen) {
        Some(Row::Webhook(record)) => named_detail(&memory_detail(&record)),
        Some(Row::Refusal(refusal)) => named_detail(&refusal),
        None => error(
            StatusCode::NOT_FOUND,
            "no such row (the console remembers the last webhooks and refusals only)",
        ),
    }
}

fn memory_detail(record: &Record) -> Detail<'_, Record> {
    Detail {
        summary: record,
        query: mask_sign(record.notification.query()),
        body: record.notification.body(),
        history: &[],
    }
}

async fn change(console: &Console, path: &str, request: &Request<Incoming>) -> Answer {
    let Some(spool) = &console.spool else {
        return error(
            StatusCode::CONFLICT,
            "retry and purge need a spool (serve --spool)",
        );
    };
    let done = if path == "/api/retry-dead" {
        spool
            .retry_dead()
            .await
            .map(|count| serde_json::json!({ "retried": count }))
    } else if path == "/api/retry-pending" {
        spool
            .retry_pending()
            .await
            .map(|count| serde_json::json!({ "retried": count }))
    } else if path == "/api/purge" {
        let which = match query_value(request, "state").as_deref() {
            Some("delivered") => Purge::Delivered,
            Some("dead") => Purge::Dead,
            _ => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "purge needs ?state=delivered or ?state=dead",
                );
            }
        };
        spool
            .purge(which, None)
            .await
            .map(|count| serde_json::json!({ "purged": count }))
    } else if let Some(id) = path
        .strip_prefix("/api/webhooks/")
        .and_then(|rest| rest.strip_suffix("/retry"))
    {
        spool
            .retry(&[id.to_owned()])
            .await
            .map(|()| serde_json::json!({ "retried": 1 }))
    } else {
        return error(StatusCode::NOT_FOUND, "not found");
    };
    match done {
        Ok(value) => json(StatusCode::OK, &value),
        Err(tencent_live_webhook_spool::SpoolError::NotFound(id)) => {
            error(StatusCode::NOT_FOUND, &format!("no entry {id} to retry"))
        }
        Err(failed) => error(StatusCode::CONFLICT, &failed.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_decoded() {
        assert_eq!(decode("a%20b+c%2F"), Some("a b c/".into()));
        assert_eq!(decode("%zz"), None);
    }
}
