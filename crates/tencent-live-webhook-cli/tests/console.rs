//! The web console of `serve`: in headless Chromium (Debian's, through ChromeDriver and
//! WebDriver) the page follows live traffic, opens a webhook, retries a dead one, and shows
//! a hostile message as text; over plain HTTP, the admin token and the CSRF token.

mod common;

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::app::App;
use common::{APP, Serving, TOKEN, TempDir, agent, free_address, live_webhook, run, send, text};
use fantoccini::{Client, ClientBuilder, Locator};
use test_servers::WebDriver;

const OK: &str = r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#;
const XSS: &str = "<img src=x onerror=alert(1)>";

async fn browser(driver: &WebDriver) -> Client {
    // Both rustls providers are compiled into the tests' graph: pick one (the WebDriver
    // is plain HTTP on loopback anyway).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        serde_json::from_str(&driver.chrome_options()).unwrap(),
    );
    ClientBuilder::rustls()
        .unwrap()
        .capabilities(capabilities)
        .connect(&driver.url())
        .await
        .expect("cannot start a browser session")
}

/// Waits until the page's element `id` has text for which `done` holds; its text.
async fn wait_text(client: &Client, id: &str, done: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let seen = match client.find(Locator::Id(id)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if done(&seen) {
            return seen;
        }
        assert!(Instant::now() < deadline, "#{id} still says {seen:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The state column of the rows, top (newest) first.
async fn states(client: &Client) -> Vec<String> {
    let mut states = Vec::new();
    for cell in client
        .find_all(Locator::Css("#rows tr td:nth-child(5)"))
        .await
        .unwrap_or_default()
    {
        states.push(cell.text().await.unwrap_or_default());
    }
    states
}

/// Waits until the state column reads `expected`.
async fn wait_states(client: &Client, expected: &[&str]) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while states(client).await != expected {
        assert!(Instant::now() < deadline, "{:?}", states(client).await);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The text of the page's element `id`, as it is now.
async fn text_of(client: &Client, id: &str) -> String {
    client
        .find(Locator::Id(id))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Clicks the page's element `id`.
async fn click(client: &Client, id: &str) {
    client
        .find(Locator::Id(id))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// A header of an answer, as text.
fn header(answer: &ureq::http::Response<ureq::Body>, name: &str) -> String {
    answer
        .headers()
        .get(name)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned()
}

/// GET `url` and read its JSON.
fn get_json(agent: &ureq::Agent, url: &str) -> serde_json::Value {
    agent
        .get(url)
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .map(|text| serde_json::from_str(&text).unwrap())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_follows_traffic_retries_a_dead_webhook_and_runs_no_message_text() {
    // An app that fails until told otherwise.
    let healthy = Arc::new(AtomicBool::new(false));
    let app = App::down_until(&healthy);
    let directory = TempDir::new("console");
    let spool = directory.join("spool.db");
    let admin = free_address();
    let serving = Serving::start(&[
        "--token",
        TOKEN,
        "--framework",
        "axum",
        "--format",
        "json",
        "--spool",
        spool.to_str().unwrap(),
        "--forward-to",
        &format!("http://{}/hook", app.address),
        "--retry-schedule",
        "100ms",
        "--admin-listen",
        &admin,
    ]);
    let driver = WebDriver::start();
    let client = browser(&driver).await;
    client.goto(&format!("http://{admin}/")).await.unwrap();
    wait_text(&client, "status", |text| text.starts_with("updated")).await;
    assert_eq!(text_of(&client, "received").await, "0");

    // Traffic arrives: the counters and the list follow without a reload.
    let url = serving.url.clone();
    let sent = tokio::task::spawn_blocking(move || send(&url, &["--command", "AfterDestroyRoom"]))
        .await
        .unwrap();
    assert!(sent.status.success(), "{}", text(&sent.stderr));
    wait_text(&client, "received", |text| text == "1").await;
    // The app fails the first attempt and the one retry of the schedule: dead.
    wait_states(&client, &["dead"]).await;
    wait_text(&client, "dead", |text| text == "1").await;
    let chart_bars = client.find_all(Locator::Css("#chart rect")).await.unwrap();
    assert!(
        !chart_bars.is_empty(),
        "the chart shows the minute's webhook"
    );

    // Open it: the fields, the body, the attempt that failed; the Sign is masked.
    client
        .find(Locator::Css("#rows tr"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(&client, "body", |text| text.contains("\"RoomId\"")).await;
    let query = text_of(&client, "query").await;
    assert!(query.contains("Sign=***"), "{query}");
    let attempts = client.find_all(Locator::Css("#attempts tr")).await.unwrap();
    assert_eq!(attempts.len(), 2, "both failed attempts are listed");

    // The app is fixed; Retry from the page; delivered.
    healthy.store(true, Ordering::SeqCst);
    click(&client, "retry-one").await;
    wait_states(&client, &["delivered"]).await;
    wait_text(&client, "dead", |text| text == "0").await;

    // A message whose text is HTML: shown as text, run as nothing.
    let body = format!(
        r#"{{"CallbackCommand":"Group.CallbackAfterSendMsg","GroupId":"@TGS#room","From_Account":"u1","MsgBody":[{{"MsgType":"TIMTextElem","MsgContent":{{"Text":"{XSS}"}}}}]}}"#
    );
    let file = common::TempFile::new("console-xss.json", body.as_bytes());
    let url = serving.url.clone();
    let path = file.path().to_owned();
    let sent = tokio::task::spawn_blocking(move || send(&url, &["--body", &path]))
        .await
        .unwrap();
    assert!(sent.status.success(), "{}", text(&sent.stderr));
    wait_text(&client, "received", |text| text == "2").await;
    let rows = client.find_all(Locator::Css("#rows tr")).await.unwrap();
    rows[0].click().await.unwrap();
    let shown = wait_text(&client, "body", |text| text.contains("onerror")).await;
    assert!(shown.contains(XSS), "{shown}");
    // Nothing ran: no alert, no image element anywhere in the page.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(client.get_alert_text().await.is_err(), "an alert fired");
    assert!(
        client
            .find_all(Locator::Css("img"))
            .await
            .unwrap()
            .is_empty()
    );
    // The exact text is there too.
    click(&client, "exact").await;
    wait_text(&client, "body", |text| text == body).await;

    client.close().await.unwrap();
    drop(serving);
}

/// Waits a moment, then adds what `serving` wrote on stderr meanwhile to `logged`.
fn thread_sleep_then_collect(serving: &Serving, logged: &mut Vec<String>) {
    std::thread::sleep(Duration::from_millis(300));
    logged.extend(serving.stderr.try_iter());
}

/// `serve` with an admin listener on every interface, guarded by `token`.
fn serve_guarded(token: &str) -> (Serving, String) {
    let port = TcpListener::bind("0.0.0.0:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut command = live_webhook();
    command
        .env("LIVE_WEBHOOK_ADMIN_TOKEN", token)
        .args([
            "serve",
            "--sdkappid",
            APP,
            "--listen",
            "127.0.0.1:0",
            "--token",
            TOKEN,
        ])
        .args(["--admin-listen", &format!("0.0.0.0:{port}")]);
    (Serving::spawn(command), format!("http://127.0.0.1:{port}"))
}

#[test]
fn beyond_loopback_the_console_needs_its_token_and_posts_need_the_page_token() {
    // No token, not loopback: refused at start.
    let refused = run(&[
        "serve",
        "--sdkappid",
        APP,
        "--token",
        TOKEN,
        "--admin-listen",
        "0.0.0.0:0",
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("LIVE_WEBHOOK_ADMIN_TOKEN"));

    let token = "console-token-0123456789";
    let (serving, admin) = serve_guarded(token);
    let agent = agent();
    for path in ["/", "/api/summary", "/api/webhooks"] {
        let answer = agent.get(format!("{admin}{path}")).call().unwrap();
        assert_eq!(answer.status(), 401, "{path}");
    }
    let wrong = agent
        .get(format!("{admin}/api/summary"))
        .header("Authorization", "Bearer console-token-wrong-000")
        .call()
        .unwrap();
    assert_eq!(wrong.status(), 401);
    // Metrics and health stay open.
    assert_eq!(
        agent
            .get(format!("{admin}/metrics"))
            .call()
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        agent
            .get(format!("{admin}/healthz"))
            .call()
            .unwrap()
            .status(),
        200
    );
    // With the token: the page (and its CSP), the API.
    let mut page = agent
        .get(format!("{admin}/"))
        .header("Authorization", format!("Bearer {token}"))
        .call()
        .unwrap();
    assert_eq!(page.status(), 200);
    let policy = header(&page, "content-security-policy");
    assert!(
        policy.contains("default-src 'none'") && policy.contains("script-src 'self'"),
        "{policy}"
    );
    let html = page.body_mut().read_to_string().unwrap();
    let csrf = common::csrf_of(&html);
    assert_eq!(csrf.len(), 32);
    // Opening /?token= sets a strict, HTTP-only cookie and drops the token from the URL.
    let no_redirects: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let login = no_redirects
        .get(format!("{admin}/?token={token}"))
        .call()
        .unwrap();
    assert_eq!(login.status(), 303);
    let cookie = header(&login, "set-cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    // The cookie holds a session id, not the token.
    let session = cookie
        .split(';')
        .next()
        .unwrap()
        .strip_prefix("live_webhook_admin=")
        .unwrap();
    assert_eq!(session.len(), 32, "{cookie}");
    assert!(!cookie.contains(token), "{cookie}");
    let with_cookie = agent
        .get(format!("{admin}/api/summary"))
        .header("Cookie", cookie.split(';').next().unwrap())
        .call()
        .unwrap();
    assert_eq!(with_cookie.status(), 200);
    // The token itself in the cookie, or a made-up session: refused.
    for forged in [token, "0123456789abcdef0123456789abcdef"] {
        let refused = agent
            .get(format!("{admin}/api/summary"))
            .header("Cookie", format!("live_webhook_admin={forged}"))
            .call()
            .unwrap();
        assert_eq!(refused.status(), 401, "{forged}");
    }
    let wrong_login = no_redirects
        .get(format!("{admin}/?token=console-token-guessed-00"))
        .call()
        .unwrap();
    assert_eq!(wrong_login.status(), 401);
    // Four failures: the wrong bearer, the two cookies, the wrong ?token=. Requests that
    // offered nothing are not logins.
    let metrics = agent
        .get(format!("{admin}/metrics"))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert!(
        metrics
            .lines()
            .any(|line| line == "live_webhook_console_failed_logins_total 4"),
        "{metrics}"
    );
    // Logged, without the token, at most once per interval.
    let mut logged = Vec::new();
    while !logged
        .iter()
        .any(|line: &String| line.contains("wrong admin token"))
    {
        let line = serving
            .stderr
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("no line about the failed logins: {logged:?}"));
        logged.push(line);
    }
    thread_sleep_then_collect(&serving, &mut logged);
    let failed: Vec<&String> = logged
        .iter()
        .filter(|line| line.contains("wrong admin token or unknown session"))
        .collect();
    assert_eq!(failed.len(), 1, "{logged:?}");
    assert!(
        logged
            .iter()
            .all(|line| !line.contains(token) && !line.contains("console-token-guessed")),
        "{logged:?}"
    );
    // A cross-site POST carries the cookie but cannot know the page's token: refused.
    let forged = agent
        .post(format!("{admin}/api/retry-dead"))
        .header("Cookie", cookie.split(';').next().unwrap())
        .header("Origin", "https://evil.example")
        .send_empty()
        .unwrap();
    assert_eq!(forged.status(), 403);
    // With it, the request goes through (and says a spool is needed for retries).
    let allowed = agent
        .post(format!("{admin}/api/retry-dead"))
        .header("Authorization", format!("Bearer {token}"))
        .header("X-Live-Webhook-Csrf", &csrf)
        .send_empty()
        .unwrap();
    assert_eq!(allowed.status(), 409);
}

#[test]
fn without_a_spool_the_console_keeps_the_last_webhooks_in_memory() {
    let admin = free_address();
    let serving = Serving::start(&[
        "--token",
        TOKEN,
        "--admin-listen",
        &admin,
        "--format",
        "json",
    ]);
    for _ in 0..3 {
        assert!(
            send(&serving.url, &["--command", "AfterDestroyRoom"])
                .status
                .success()
        );
    }
    let agent = agent();
    let listed = get_json(
        &agent,
        &format!("http://{admin}/api/webhooks?state=answered"),
    );
    assert_eq!(listed.as_array().unwrap().len(), 3);
    let id = listed[0]["id"].as_str().unwrap();
    let detail = get_json(&agent, &format!("http://{admin}/api/webhooks/{id}"));
    assert!(detail["query"].as_str().unwrap().contains("Sign=***"));
    assert!(detail["body"].as_str().unwrap().contains("RoomId"));
    let summary = get_json(&agent, &format!("http://{admin}/api/summary"));
    assert_eq!(summary["received"], 3);
    assert_eq!(summary["spool"], false);
    let unknown = agent
        .get(format!("http://{admin}/api/webhooks/nope"))
        .call()
        .unwrap();
    assert_eq!(unknown.status(), 404);
}

/// Sends `request` (a whole HTTP/1.1 request) to `address`; the answer's status and text.
fn raw(address: &str, request: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    (status, answer)
}

fn get_as(address: &str, host: &str, path: &str) -> (u16, String) {
    raw(
        address,
        &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    )
}

#[test]
fn the_console_answers_only_its_own_names_and_changes_only_from_its_own_page() {
    use std::fmt::Write as _;
    let admin = free_address();
    let port = admin.rsplit(':').next().unwrap();
    let _serving = Serving::start(&[
        "--token",
        TOKEN,
        "--admin-listen",
        &admin,
        "--admin-host",
        "console.test",
    ]);
    // A page that rebinds its own name to 127.0.0.1 sends that name: refused.
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_owned(),
        format!("localhost.evil.example:{port}"),
    ] {
        for path in ["/", "/api/summary", "/api/webhooks"] {
            let (status, answer) = get_as(&admin, &host, path);
            assert_eq!(status, 403, "{host}{path}: {answer}");
            assert!(answer.contains("--admin-host"), "{answer}");
            assert!(!answer.contains("csrf"), "{answer}");
        }
    }
    // No Host at all (HTTP/1.0): refused too.
    let (status, _) = raw(&admin, "GET /api/summary HTTP/1.0\r\n\r\n");
    assert_eq!(status, 403);
    // The bound address, localhost and the listed name: answered.
    let mut csrf = String::new();
    for host in [
        admin.clone(),
        format!("localhost:{port}"),
        format!("Console.Test:{port}"),
    ] {
        let (status, page) = get_as(&admin, &host, "/");
        assert_eq!(status, 200, "{host}: {page}");
        csrf = common::csrf_of(&page);
    }
    // Load balancers' endpoints answer any Host, never cached, never sniffed.
    for path in ["/metrics", "/healthz", "/readyz"] {
        let (status, answer) = get_as(&admin, "lb.internal.example", path);
        assert_eq!(status, 200, "{path}: {answer}");
        let head = answer.to_ascii_lowercase();
        assert!(head.contains("cache-control: no-store"), "{path}: {answer}");
        assert!(
            head.contains("x-content-type-options: nosniff"),
            "{path}: {answer}"
        );
    }
    // HEAD is answered like GET, without a body, on every console route.
    for path in [
        "/",
        "/console.js",
        "/console.css",
        "/api/summary",
        "/api/webhooks",
        "/metrics",
        "/healthz",
        "/readyz",
    ] {
        let (status, answer) = raw(
            &admin,
            &format!("HEAD {path} HTTP/1.1\r\nHost: {admin}\r\nConnection: close\r\n\r\n"),
        );
        assert_eq!(status, 200, "HEAD {path}: {answer}");
        let (_, body) = answer.split_once("\r\n\r\n").unwrap();
        assert!(body.is_empty(), "HEAD {path}: {body}");
    }
    // A state change from another site's page is refused even with the page's token; from
    // the console's own page, or from a script (no Origin), it goes through (and says a
    // spool is needed).
    let post = |origin: Option<&str>, site: Option<&str>| {
        let mut request = format!(
            "POST /api/purge?state=dead HTTP/1.1\r\nHost: {admin}\r\nX-Live-Webhook-Csrf: {csrf}\r\nContent-Length: 0\r\nConnection: close\r\n"
        );
        if let Some(origin) = origin {
            let _ = write!(request, "Origin: {origin}\r\n");
        }
        if let Some(site) = site {
            let _ = write!(request, "Sec-Fetch-Site: {site}\r\n");
        }
        request.push_str("\r\n");
        raw(&admin, &request)
    };
    for (origin, site) in [
        (Some("http://evil.example".to_owned()), None),
        (Some(format!("http://evil.example:{port}")), None),
        (Some("null".to_owned()), None),
        (None, Some("cross-site")),
    ] {
        let (status, answer) = post(origin.as_deref(), site);
        assert_eq!(status, 403, "{origin:?} {site:?}: {answer}");
        assert!(answer.contains("another site"), "{answer}");
    }
    let own = format!("http://{admin}");
    for (origin, site) in [(Some(own.as_str()), Some("same-origin")), (None, None)] {
        let (status, answer) = post(origin, site);
        assert_eq!(status, 409, "{origin:?}: {answer}");
    }
}

#[test]
fn a_sign_key_written_escaped_is_masked_in_the_console_and_in_spool_show() {
    let app = App::start_on(TcpListener::bind("127.0.0.1:0").unwrap(), |_| {
        ("200 OK".into(), OK.into())
    });
    let directory = TempDir::new("mask");
    let spool = directory.join("spool.db");
    let spool = spool.to_str().unwrap();
    let admin = free_address();
    let serving = Serving::start(&[
        "--token",
        TOKEN,
        "--format",
        "json",
        "--spool",
        spool,
        "--forward-to",
        &format!("http://{}/hook", app.address),
        "--admin-listen",
        &admin,
    ]);
    let query = common::signed(
        &"Live.CallbackAfterDestroyRoom".parse().unwrap(),
        common::now(),
    );
    let sign = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("Sign="))
        .unwrap()
        .to_owned();
    // Verification decodes keys: `%53ign` is the signature, and is accepted.
    let escaped = query.replace("Sign=", "%53ign=");
    let body = r#"{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"r1"}"#;
    let address = serving.url.strip_prefix("http://").unwrap();
    let (status, answer) = raw(
        address,
        &format!(
            "POST /?{escaped} HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    );
    assert_eq!(status, 200, "{answer}");
    let id = serving.next_line()["spool"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let agent = agent();
    let detail = get_json(&agent, &format!("http://{admin}/api/webhooks/{id}"));
    let shown = detail["query"].as_str().unwrap();
    assert!(shown.contains("%53ign=***"), "{shown}");
    assert!(!shown.contains(&sign), "{shown}");
    for format in ["human", "json"] {
        let show = run(&["spool", "--spool", spool, "--format", format, "show", &id]);
        assert!(show.status.success(), "{}", text(&show.stderr));
        let printed = text(&show.stdout);
        assert!(printed.contains("%53ign=***"), "{format}: {printed}");
        assert!(!printed.contains(&sign), "{format}: {printed}");
    }
    drop(serving);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trtc_events_have_names_and_a_row_opens_its_detail_in_view() {
    const KEY: &str = "consoleTrtcKey2026";
    let admin = free_address();
    let mut command = live_webhook();
    command
        .env("LIVE_WEBHOOK_TRTC_KEY", KEY)
        .args(["serve", "--sdkappid", APP, "--listen", "127.0.0.1:0"])
        .args([
            "--token",
            TOKEN,
            "--format",
            "json",
            "--admin-listen",
            &admin,
        ]);
    let serving = Serving::spawn(command);
    // Enough rows that the detail, below the list, starts out of view.
    for _ in 0..30 {
        let sent = send(&serving.url, &["--command", "AfterDestroyRoom"]);
        assert!(sent.status.success(), "{}", text(&sent.stderr));
    }
    let trtc_url = format!("{}/trtc", serving.url);
    let sent = tokio::task::spawn_blocking(move || {
        run(&[
            "send",
            "--trtc",
            "--url",
            &trtc_url,
            "--sdkappid",
            APP,
            "--trtc-key",
            KEY,
            "--command",
            "1-103",
        ])
    })
    .await
    .unwrap();
    assert!(sent.status.success(), "{}", text(&sent.stderr));
    // The API names it and gives its room as Tencent wrote it.
    let listed = get_json(&agent(), &format!("http://{admin}/api/webhooks"));
    let newest = &listed[0];
    assert_eq!(newest["command"], "trtc:1:103");
    assert_eq!(newest["name"], "user entered (1/103)");
    assert!(
        !newest["room"].as_str().unwrap().starts_with("trtc:"),
        "{newest}"
    );

    let driver = WebDriver::start();
    let client = browser(&driver).await;
    client.set_window_size(1000, 600).await.unwrap();
    client.goto(&format!("http://{admin}/")).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let first_command = loop {
        let cells = client
            .find_all(Locator::Css("#rows tr td:nth-child(2)"))
            .await
            .unwrap_or_default();
        if cells.len() >= 31 {
            break cells[0].text().await.unwrap();
        }
        assert!(Instant::now() < deadline, "{} rows", cells.len());
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(first_command, "user entered (1/103)");
    let in_view = "const box = document.getElementById(arguments[0]).getBoundingClientRect();\
                   return box.top < window.innerHeight && box.bottom > 0;";
    let scrolled = "return window.scrollY;";
    assert_eq!(
        client.execute(scrolled, vec![]).await.unwrap(),
        serde_json::json!(0)
    );
    client
        .find(Locator::Css("#rows tr"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(&client, "body", |text| text.contains("EventGroupId")).await;
    assert_eq!(
        client
            .execute(in_view, vec![serde_json::json!("detail")])
            .await
            .unwrap(),
        serde_json::json!(true),
        "the detail opens where the eye is"
    );
    // It is below the 31 rows of a 600-pixel window: the page scrolled to it.
    let now = client.execute(scrolled, vec![]).await.unwrap();
    assert!(now.as_f64().is_some_and(|y| y > 0.0), "scrollY {now}");
    let fields = text_of(&client, "fields").await;
    assert!(fields.contains("user entered (1/103)"), "{fields}");
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chart_gives_each_command_a_colour_and_a_pattern_and_has_axes() {
    let admin = free_address();
    let serving = Serving::start(&["--token", TOKEN, "--admin-listen", &admin]);
    let url = serving.url.clone();
    tokio::task::spawn_blocking(move || {
        for command in [
            "AfterDestroyRoom",
            "AfterDestroyRoom",
            "AfterCreateRoom",
            "BeforeSendGift",
        ] {
            let sent = send(&url, &["--command", command]);
            assert!(sent.status.success(), "{}", text(&sent.stderr));
        }
        // A refusal: the wrong token.
        let refused = run(&[
            "send",
            "--url",
            &url,
            "--sdkappid",
            APP,
            "--token",
            "not-the-token",
            "--command",
            "AfterDestroyRoom",
        ]);
        assert!(
            text(&refused.stdout).starts_with("HTTP 401"),
            "{}",
            text(&refused.stdout)
        );
    })
    .await
    .unwrap();
    let driver = WebDriver::start();
    let client = browser(&driver).await;
    client.goto(&format!("http://{admin}/")).await.unwrap();
    // Three commands and the refusals, each in the legend with its own colour and pattern.
    let deadline = Instant::now() + Duration::from_secs(20);
    let legend = loop {
        let items = client
            .find_all(Locator::Css("#legend > span"))
            .await
            .unwrap_or_default();
        if items.len() >= 4 {
            let mut legend = Vec::new();
            for item in items {
                legend.push((
                    item.text().await.unwrap(),
                    item.attr("data-colour").await.unwrap().unwrap(),
                    item.attr("data-pattern").await.unwrap().unwrap(),
                ));
            }
            break legend;
        }
        assert!(Instant::now() < deadline, "{} legend items", items.len());
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let names: Vec<&str> = legend.iter().map(|(name, _, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Live.CallbackAfterCreateRoom",
            "Live.CallbackAfterDestroyRoom",
            "Live.CallbackBeforeSendGift",
            "refused"
        ]
    );
    let colours: std::collections::BTreeSet<&str> = legend
        .iter()
        .map(|(_, colour, _)| colour.as_str())
        .collect();
    let patterns: std::collections::BTreeSet<&str> = legend
        .iter()
        .map(|(_, _, pattern)| pattern.as_str())
        .collect();
    assert_eq!(colours.len(), 4, "a colour each: {legend:?}");
    assert_eq!(
        patterns.len(),
        4,
        "a pattern each, for readers without colour: {legend:?}"
    );
    // Every bar is drawn in its command's style.
    let bars = client
        .find_all(Locator::Css("#chart rect[data-command]"))
        .await
        .unwrap();
    assert!(bars.len() >= 4, "{} bars", bars.len());
    // A count axis from 0 and a time axis from an hour ago to now.
    let mut counts = Vec::new();
    for label in client
        .find_all(Locator::Css("#chart text.axis-count"))
        .await
        .unwrap()
    {
        counts.push(label.text().await.unwrap());
    }
    assert_eq!(counts.first().map(String::as_str), Some("0"), "{counts:?}");
    assert!(counts.len() >= 2, "{counts:?}");
    let mut times = Vec::new();
    for label in client
        .find_all(Locator::Css("#chart text.axis-time"))
        .await
        .unwrap()
    {
        times.push(label.text().await.unwrap());
    }
    assert_eq!(times, ["−60 min", "−45 min", "−30 min", "−15 min", "now"]);
    client.close().await.unwrap();
}

/// The rows of `GET /api/webhooks?state=STATE` as (state, name) pairs, newest first.
fn listed(agent: &ureq::Agent, admin: &str, state: &str) -> Vec<(String, String)> {
    let rows = get_json(agent, &format!("http://{admin}/api/webhooks?state={state}"));
    rows.as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let name = row["name"].as_str().unwrap_or_default();
            let shown = if name.is_empty() {
                row["what"].as_str().unwrap_or_default()
            } else {
                name
            };
            (row["state"].as_str().unwrap().to_owned(), shown.to_owned())
        })
        .collect()
}

/// `serve` with a spool in `directory`, forwarding to `app`, its console on `admin`.
fn serve_spooled(directory: &TempDir, app: &App, admin: &str) -> Serving {
    Serving::start(&[
        "--token",
        TOKEN,
        "--format",
        "json",
        "--spool",
        &directory.spool(),
        "--forward-to",
        &format!("http://{}/hook", app.address),
        "--admin-listen",
        admin,
    ])
}

/// What the list tests send: the same webhook twice (the second a duplicate), a gift the
/// app refuses, and a forgery naming a command.
fn send_every_kind(url: &str) {
    for _ in 0..2 {
        let sent = send(url, &["--command", "AfterDestroyRoom"]);
        assert!(sent.status.success(), "{}", text(&sent.stderr));
    }
    let gift = br#"{"CallbackCommand":"Live.CallbackBeforeSendGift","Operator_Account":"forbidden","RoomId":"r1","GiftWater":{"From_Account":"a","To_Account":["b"],"Time":1703589922,"GiftId":"g","Count":1,"Coins":5}}"#;
    let file = common::TempFile::new("rows-gift.json", gift);
    let sent = send(url, &["--body", file.path()]);
    assert!(sent.status.success(), "{}", text(&sent.stderr));
    let forged = run(&[
        "send",
        "--url",
        url,
        "--sdkappid",
        APP,
        "--token",
        "not-the-token",
        "--command",
        "AfterCreateRoom",
    ]);
    assert!(!forged.status.success());
}

#[test]
fn with_a_spool_the_list_also_shows_gifts_answered_by_the_app_duplicates_and_refusals() {
    let app = App::start();
    let directory = TempDir::new("rows");
    let admin = free_address();
    let serving = serve_spooled(&directory, &app, &admin);
    // Spooled, a duplicate, a gift forwarded with the app's answer sent back, a forgery;
    // then a request that is no webhook at all.
    send_every_kind(&serving.url);
    let agent = agent();
    let stray = agent
        .get(format!(
            "{}/wp-login/{}?%3Cb%3E",
            serving.url,
            "a".repeat(300)
        ))
        .call()
        .unwrap();
    assert_eq!(stray.status(), 405);

    // The spooled one reaches the app in its own time.
    let deadline = Instant::now() + Duration::from_secs(20);
    while listed(&agent, &admin, "delivered").is_empty() {
        assert!(Instant::now() < deadline, "never delivered");
        std::thread::sleep(Duration::from_millis(100));
    }
    let all = listed(&agent, &admin, "all");
    assert_eq!(
        all,
        [
            ("refused", "request"),
            ("refused", "Live.CallbackAfterCreateRoom"),
            ("answered", "Live.CallbackBeforeSendGift"),
            ("duplicate", "Live.CallbackAfterDestroyRoom"),
            ("delivered", "Live.CallbackAfterDestroyRoom"),
        ]
        .map(|(state, name)| (state.to_owned(), name.to_owned())),
        "the default listing is the same as state=all"
    );
    assert_eq!(listed(&agent, &admin, ""), all);
    assert_eq!(listed(&agent, &admin, "refused").len(), 2);
    assert_eq!(listed(&agent, &admin, "duplicate").len(), 1);
    assert_eq!(listed(&agent, &admin, "delivered").len(), 1);
    assert!(listed(&agent, &admin, "failed").is_empty());
    let unknown = agent
        .get(format!("http://{admin}/api/webhooks?state=spooled"))
        .call()
        .unwrap();
    assert_eq!(unknown.status(), 400);

    // The gift: the decision and the status the app's answer sent back.
    let rows = get_json(&agent, &format!("http://{admin}/api/webhooks"));
    let gift_row = &rows[2];
    assert_eq!(
        gift_row["decision"],
        "rejected with code 102150 (\"gift refused\")"
    );
    assert_eq!(gift_row["last_status"], 200);
    let seen = gift_row["seen"].as_u64().unwrap();
    let detail = get_json(&agent, &format!("http://{admin}/api/seen/{seen}"));
    assert_eq!(detail["answered_by"], "the app");
    assert_eq!(detail["went"], "app");
    assert!(detail["query"].as_str().unwrap().contains("Sign=***"));
    assert!(detail["body"].as_str().unwrap().contains("forbidden"));

    // The forgery: why, and nothing of what it sent.
    let forgery = &rows[1];
    assert_eq!(forgery["last_status"], 401);
    assert!(
        forgery["last_error"]
            .as_str()
            .unwrap()
            .contains("Sign does not match"),
        "{forgery}"
    );
    assert_eq!(forgery["client"], "127.0.0.1");
    let seen = forgery["seen"].as_u64().unwrap();
    let detail = get_json(&agent, &format!("http://{admin}/api/seen/{seen}"));
    assert!(detail.get("query").is_none() && detail.get("body").is_none());
    // The stray request: the start of its path only.
    let path = rows[0]["path"].as_str().unwrap();
    assert!(
        path.starts_with("/wp-login/aaa") && path.len() == 128,
        "{path}"
    );
    assert_eq!(rows[0]["last_status"], 405);

    // The summary offers every state to filter by; unknown rows are 404s.
    let summary = get_json(&agent, &format!("http://{admin}/api/summary"));
    assert_eq!(summary["refused"], 2);
    assert_eq!(summary["states"].as_array().unwrap().len(), 7);
    for path in ["/api/seen/999999", "/api/seen/x", "/api/seen/-1"] {
        let answer = agent.get(format!("http://{admin}{path}")).call().unwrap();
        assert_eq!(answer.status(), 404, "{path}");
    }
    drop(serving);
}

#[test]
fn refusals_have_their_own_ring_and_cannot_push_webhooks_out_of_the_console() {
    let admin = free_address();
    let serving = Serving::start(&[
        "--token",
        TOKEN,
        "--format",
        "json",
        "--admin-listen",
        &admin,
    ]);
    let sent = send(&serving.url, &["--command", "AfterDestroyRoom"]);
    assert!(sent.status.success(), "{}", text(&sent.stderr));
    let agent = agent();
    // Far more forgeries than the ring holds (200), over keep-alive connections.
    let forged = format!("{}/?SdkAppid={APP}&RequestTime=1&Sign=00", serving.url);
    for _ in 0..300 {
        let answer = agent.post(&forged).send("{}").unwrap();
        assert_eq!(answer.status(), 401);
    }
    let refused = listed(&agent, &admin, "refused");
    assert_eq!(refused.len(), 200, "the list shows at most 200 rows");
    let answered = listed(&agent, &admin, "answered");
    assert_eq!(answered.len(), 1, "the webhook is still there");
    let summary = get_json(&agent, &format!("http://{admin}/api/summary"));
    assert_eq!(summary["refused"], 300, "every refusal is counted");
    assert_eq!(
        summary["states"],
        serde_json::json!(["answered", "failed", "duplicate", "refused"])
    );
}

/// Picks `value` in the page's select `id` (the page listens for its change).
async fn choose(client: &Client, id: &str, value: &str) {
    client
        .find(Locator::Css(&format!("#{id} option[value=\"{value}\"]")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// The text of every cell in column `column` (1-based) of the list, top first.
async fn column(client: &Client, column: usize) -> Vec<String> {
    let mut cells = Vec::new();
    for cell in client
        .find_all(Locator::Css(&format!("#rows tr td:nth-child({column})")))
        .await
        .unwrap_or_default()
    {
        cells.push(cell.text().await.unwrap_or_default());
    }
    cells
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_lists_refusals_duplicates_and_the_apps_decisions_and_filters_them_by_state() {
    let app = App::start();
    let directory = TempDir::new("page-rows");
    let admin = free_address();
    let serving = serve_spooled(&directory, &app, &admin);
    let url = serving.url.clone();
    tokio::task::spawn_blocking(move || send_every_kind(&url))
        .await
        .unwrap();

    let driver = WebDriver::start();
    let client = browser(&driver).await;
    client.goto(&format!("http://{admin}/")).await.unwrap();
    // Every row, newest first, each with its state; the spooled one once delivered.
    wait_states(&client, &["refused", "answered", "duplicate", "delivered"]).await;
    let decisions = column(&client, 6).await;
    assert!(
        decisions[1].starts_with("rejected with code 102150"),
        "{decisions:?}"
    );
    assert_eq!(column(&client, 8).await[0], "401");

    // The filter offers every state; refused ones alone.
    let mut offered = Vec::new();
    for option in client
        .find_all(Locator::Css("#state option"))
        .await
        .unwrap()
    {
        offered.push(option.attr("value").await.unwrap().unwrap_or_default());
    }
    assert_eq!(
        offered,
        [
            "",
            "pending",
            "delivered",
            "dead",
            "answered",
            "failed",
            "duplicate",
            "refused"
        ]
    );
    choose(&client, "state", "refused").await;
    wait_states(&client, &["refused"]).await;
    // A refusal opens with its reason and without a query or body.
    client
        .find(Locator::Css("#rows tr"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(&client, "fields", |text| {
        text.contains("Sign does not match")
    })
    .await;
    let fields = text_of(&client, "fields").await;
    assert!(
        fields.contains("reason") && fields.contains("127.0.0.1"),
        "{fields}"
    );
    assert!(text_of(&client, "query").await.starts_with("(not kept"));

    // Back to every row: the gift shows who answered and what it decided.
    choose(&client, "state", "").await;
    wait_states(&client, &["refused", "answered", "duplicate", "delivered"]).await;
    let rows = client.find_all(Locator::Css("#rows tr")).await.unwrap();
    rows[1].click().await.unwrap();
    let fields = wait_text(&client, "fields", |text| text.contains("answered by")).await;
    for wanted in [
        "status sent back",
        "200",
        "the app",
        "rejected with code 102150",
    ] {
        assert!(fields.contains(wanted), "{wanted} missing: {fields}");
    }
    wait_text(&client, "body", |text| text.contains("forbidden")).await;
    let selected = client
        .find_all(Locator::Css("#rows tr.selected"))
        .await
        .unwrap();
    assert_eq!(selected.len(), 1, "only the opened row is marked");

    client.close().await.unwrap();
    drop(serving);
}
