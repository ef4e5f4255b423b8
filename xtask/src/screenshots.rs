//! `cargo xtask screenshots`: pictures of the web console for the CLI's README. Starts
//! `live-webhook serve` with a spool in front of a small app that refuses some webhooks,
//! sends it a mix of the documented samples, and has headless Chromium (through
//! ChromeDriver) take `docs/console-desktop.png` (1280 × 900) and `docs/console-phone.png`
//! (390 × 844, a phone's width). Loopback only.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, ExitCode, Stdio};
use std::thread;
use std::time::Duration;

use fantoccini::{ClientBuilder, Locator};
use test_servers::WebDriver;

use crate::harness::TOKEN;

pub(crate) fn run() -> ExitCode {
    match take() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("screenshots: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Answers 200 with the protocol's ack, except 503 for a body naming `unlucky`, and a
/// refusal for a gift naming `forbidden`.
fn app(listener: &TcpListener) {
    for stream in listener.incoming().flatten() {
        thread::spawn(move || answer(stream));
    }
}

fn answer(stream: TcpStream) {
    let mut reader = BufReader::new(stream);
    loop {
        let mut length = 0usize;
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length.min(1 << 20)];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let body = String::from_utf8_lossy(&body);
        let (status, text) = if body.contains("unlucky") {
            ("503 Service Unavailable", "{}")
        } else if body.contains("forbidden") {
            (
                "200 OK",
                r#"{"ActionStatus":"OK","ErrorCode":102150,"ErrorInfo":"gift refused"}"#,
            )
        } else {
            (
                "200 OK",
                r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#,
            )
        };
        let reply = format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{text}",
            text.len()
        );
        if reader.get_mut().write_all(reply.as_bytes()).is_err() {
            return;
        }
    }
}

fn free_address() -> Result<String, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.to_string())
        .map_err(|error| error.to_string())
}

fn take() -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let built = Command::new(cargo)
        .args(["build", "--locked", "-p", "tencent-live-webhook-cli"])
        .status()
        .map_err(|error| error.to_string())?;
    if !built.success() {
        return Err("the build failed".into());
    }
    let binary = crate::target_path("debug/live-webhook");
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|error| error.to_string())?;
    let app_address = listener.local_addr().map_err(|error| error.to_string())?;
    thread::spawn(move || app(&listener));
    let directory =
        std::env::temp_dir().join(format!("live-webhook-screens-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).map_err(|error| error.to_string())?;
    let (listen, admin) = (free_address()?, free_address()?);
    let spool = directory.join("spool.db");
    let mut serve: Child = Command::new(&binary)
        .args([
            "serve",
            "--sdkappid",
            "1400000000",
            "--token",
            TOKEN,
            "--listen",
            &listen,
        ])
        .args([
            "--spool",
            &spool.to_string_lossy(),
            "--retry-schedule",
            "200ms,400ms",
        ])
        .args([
            "--forward-to",
            &format!("http://{app_address}/live"),
            "--admin-listen",
            &admin,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|error| format!("cannot start serve: {error}"))?;
    let result = (|| {
        crate::harness::wait_listening(&mut serve, &listen, Duration::from_secs(20))?;
        send_traffic(&binary, &listen, &directory)?;
        thread::sleep(Duration::from_secs(3));
        let runtime = tokio::runtime::Runtime::new().map_err(|error| error.to_string())?;
        runtime.block_on(shoot(&admin))
    })();
    let _ = serve.kill();
    let _ = serve.wait();
    let _ = std::fs::remove_dir_all(&directory);
    result
}

/// A few minutes' worth of traffic in a few seconds: samples of several commands, two
/// webhooks the app fails (they end dead), a gift it rejects, a webhook sent twice and a
/// forgery.
fn send_traffic(binary: &str, listen: &str, directory: &std::path::Path) -> Result<(), String> {
    let url = format!("http://{listen}/live");
    let commands = [
        "AfterCreateRoom",
        "AfterMemberStateChanged",
        "AfterSeatInfoChanged",
        "AfterSendMsg",
        "AfterStartBattle",
        "AfterDestroyRoom",
        "AfterCreateRoom",
        "AfterSetMetadata",
    ];
    for (n, command) in commands.iter().cycle().take(24).enumerate() {
        send(
            binary,
            &url,
            &["--command", command, "--set", &format!("EventTime={n}")],
        )?;
    }
    for n in 0..2 {
        let body = format!(
            r#"{{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"unlucky-{n}","EventTime":{n}}}"#
        );
        let file = directory.join(format!("unlucky-{n}.json"));
        std::fs::write(&file, body).map_err(|error| error.to_string())?;
        send(binary, &url, &["--body", &file.to_string_lossy()])?;
    }
    let gift = r#"{"CallbackCommand":"Live.CallbackBeforeSendGift","Operator_Account":"forbidden","RoomId":"pk-3","GiftWater":{"From_Account":"fan","To_Account":["host"],"Time":1703589922,"GiftId":"rocket","Count":1,"Coins":500}}"#;
    let file = directory.join("gift.json");
    std::fs::write(&file, gift).map_err(|error| error.to_string())?;
    send(binary, &url, &["--body", &file.to_string_lossy()])?;
    // The first sample again: the spool has it already.
    send(
        binary,
        &url,
        &["--command", commands[0], "--set", "EventTime=0"],
    )?;
    // Signed with another token: refused, and shown as such.
    let forged = Command::new(binary)
        .args(["send", "--url", &url, "--sdkappid", "1400000000"])
        .args(["--token", "not-the-token", "--command", "AfterCreateRoom"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|error| error.to_string())?;
    if forged.success() {
        return Err("a forged webhook was accepted".into());
    }
    Ok(())
}

/// `live-webhook send` to `url`, signed with the screenshots' app and token, with `extra`.
fn send(binary: &str, url: &str, extra: &[&str]) -> Result<(), String> {
    let sent = Command::new(binary)
        .args([
            "send",
            "--url",
            url,
            "--sdkappid",
            "1400000000",
            "--token",
            TOKEN,
        ])
        .args(extra)
        .stdout(Stdio::null())
        .status()
        .map_err(|error| error.to_string())?;
    if sent.success() {
        Ok(())
    } else {
        Err(format!("send {} failed", extra.join(" ")))
    }
}

async fn shoot(admin: &str) -> Result<(), String> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let driver = WebDriver::start();
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        serde_json::from_str(&driver.chrome_options()).map_err(|error| error.to_string())?,
    );
    let client = ClientBuilder::rustls()
        .map_err(|error| error.to_string())?
        .capabilities(capabilities)
        .connect(&driver.url())
        .await
        .map_err(|error| error.to_string())?;
    for (name, width, height) in [("desktop", 1280, 900), ("phone", 390, 844)] {
        client
            .set_window_size(width, height)
            .await
            .map_err(|error| error.to_string())?;
        client
            .goto(&format!("http://{admin}/"))
            .await
            .map_err(|error| error.to_string())?;
        tokio::time::sleep(Duration::from_millis(2500)).await;
        // On the desktop, a dead webhook opened, so the detail view is in the picture too.
        if name == "desktop"
            && let Ok(row) = client.find(Locator::Css("#rows tr td.state-dead")).await
        {
            let _ = row.click().await;
            tokio::time::sleep(Duration::from_millis(800)).await;
            // Opening scrolls to the detail; the picture starts at the top of the page.
            let _ = client.execute("window.scrollTo(0, 0);", vec![]).await;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let png = client
            .screenshot()
            .await
            .map_err(|error| error.to_string())?;
        let path = format!("docs/console-{name}.png");
        std::fs::write(&path, png).map_err(|error| error.to_string())?;
        println!("wrote {path}");
    }
    let _ = client.close().await;
    Ok(())
}
