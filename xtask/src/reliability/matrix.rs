//! The bad-input matrix: raw requests, each with the answer it must get.
//!
//! Every row runs on a fresh connection against one server. After each row a request to
//! an unknown path marks the end of the row in the log, and a genuine webhook must still
//! be answered and printed; so each row's log lines and output lines are exactly known.

use std::collections::BTreeSet;
use std::time::Duration;

use tencent_live_webhook::samples::ALL as SAMPLES;
use tencent_live_webhook::{Command, Sign, Token, signed_query};

use super::http::{Connection, Response};
use super::server::{APP, Server, TOKEN};

/// The arguments of the server the matrix runs against.
pub(crate) const SERVER_ARGS: &[&str] = &[
    "--path",
    "/live",
    "--limit",
    "4096",
    "--body-timeout",
    "1s",
    "--header-timeout",
    "2s",
    "--log-refusals-per-sec",
    "1000000",
];

/// How many log lines a row writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Logged {
    /// None: accepted.
    Nothing,
    /// Exactly one line: a refusal, or the probe.
    One,
    /// Refused by the HTTP layer before any handler: one line where our code refused it
    /// (warp, axum), none where the framework's parser did (actix).
    ByParserOrUs,
    /// Refused by the HTTP parser on every framework: no line.
    ByParser,
}

/// How the row talks.
#[derive(Debug, Clone)]
enum Mode {
    /// Writes everything, reads the answers (several when pipelined).
    Send,
    /// Writes the head with `Expect: 100-continue` and waits: the refusal must come
    /// without `100 Continue`.
    ExpectRefused,
    /// Writes the head, must get `100 Continue`, then writes the body.
    ExpectContinue(Vec<u8>),
    /// Writes a HEAD request: the answer has no body.
    Head,
    /// Writes the head and the first `n` body bytes, then trickles one byte every 300 ms.
    Trickle(usize),
}

struct Row {
    name: String,
    bytes: Vec<u8>,
    mode: Mode,
    /// The final statuses, in order.
    statuses: Vec<&'static [u16]>,
    /// Output lines (accepted webhooks).
    printed: usize,
    logged: Logged,
    /// Text the output line must contain, exactly.
    prints: Option<String>,
}

fn row(name: impl Into<String>, bytes: Vec<u8>, status: &'static [u16]) -> Row {
    Row {
        name: name.into(),
        bytes,
        mode: Mode::Send,
        statuses: vec![status],
        printed: 0,
        logged: Logged::One,
        prints: None,
    }
}

impl Row {
    fn accepted(mut self) -> Row {
        self.printed = 1;
        self.logged = Logged::Nothing;
        self
    }
    fn logged(mut self, logged: Logged) -> Row {
        self.logged = logged;
        self
    }
    fn mode(mut self, mode: Mode) -> Row {
        self.mode = mode;
        self
    }
    fn prints(mut self, text: &str) -> Row {
        self.prints = Some(text.to_owned());
        self
    }
}

/// Builds requests signed at `now`.
pub(crate) struct Signer {
    pub(crate) now: u64,
    token: Token,
    /// Every Sign made, to check none is ever echoed.
    pub(crate) signs: BTreeSet<String>,
}

impl Signer {
    pub(crate) fn new(now: u64) -> Signer {
        Signer {
            now,
            token: Token::new(TOKEN).unwrap_or_else(|_| unreachable!("the suite's token is valid")),
            signs: BTreeSet::new(),
        }
    }

    pub(crate) fn sign(&mut self, time: u64) -> String {
        let sign = Sign::compute(&self.token, time).to_string();
        self.signs.insert(sign.clone());
        sign
    }

    /// A signed query for `command` at `now`.
    pub(crate) fn query(&mut self, command: &str) -> String {
        let command: Command = command.parse().unwrap_or(Command::AfterDestroyRoom);
        let query = signed_query(APP, &command, &self.token, self.now);
        self.sign(self.now);
        query
    }

    /// `SdkAppid`, `Sign` and `RequestTime` only.
    pub(crate) fn bare(&mut self, time: u64) -> String {
        format!("SdkAppid={APP}&Sign={}&RequestTime={time}", self.sign(time))
    }
}

const DESTROY: &str = "Live.CallbackAfterDestroyRoom";
const ROOM: &str = r#"{"CallbackCommand":"Live.CallbackAfterDestroyRoom","RoomId":"room-1"}"#;

/// A POST to `/live?query` with `headers` and a `Content-Length` body.
pub(crate) fn post(query: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut bytes = format!(
        "POST /live?{query} HTTP/1.1\r\nHost: test\r\n{headers}Content-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// A POST with a chunked body in `chunks`.
fn chunked(query: &str, chunks: &[&[u8]]) -> Vec<u8> {
    let mut bytes =
        format!("POST /live?{query} HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n")
            .into_bytes();
    for chunk in chunks {
        bytes.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        bytes.extend_from_slice(chunk);
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(b"0\r\n\r\n");
    bytes
}

fn raw(text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

/// Every row, signed at the signer's time.
#[allow(clippy::too_many_lines)] // one table
fn rows(s: &mut Signer) -> Vec<Row> {
    let now = s.now;
    let ok = s.query(DESTROY);
    let mut rows = Vec::new();

    // Genuine webhooks in every documented shape: accepted and printed.
    for (word, body) in SAMPLES {
        rows.push(
            row(
                format!("sample {word}"),
                post(&s.query(word), "", body),
                &[200],
            )
            .accepted(),
        );
    }
    rows.extend([
        row("unknown command", post(&s.query("Live.CallbackSomethingNew"), "", br#"{"A":1}"#), &[200]).accepted(),
        row("command in the body only", post(&s.bare(now), "", ROOM.as_bytes()), &[200]).accepted(),
        row("RequestID kept", post(&format!("{ok}&RequestID=rid-7"), "", ROOM.as_bytes()), &[200]).accepted().prints("\"rid-7\""),
        row("CallbackCommand repeated with the same word", post(&format!("{ok}&CallbackCommand={DESTROY}"), "", ROOM.as_bytes()), &[200]).accepted(),
        row("pretty-printed body of an unknown command", post(&s.query("Live.CallbackSomethingNew"), "", b"{\r\n\t\"A\": [1,\n 2]\r\n}"), &[200]).accepted().prints(r#""raw":{"A":[1,2]}"#),
        row("pretty-printed body that does not fit", post(&s.query("Live.CallbackAfterCreateRoom"), "", b"{\n  \"RoomInfo\": {\"RoomId\": 5}\n}"), &[200]).accepted(),
        row("unknown parameter ignored", post(&format!("{ok}&Extra=1"), "", ROOM.as_bytes()), &[200]).accepted(),
        row("8 KiB unknown parameter", post(&format!("{ok}&Pad={}", "p".repeat(8192)), "", ROOM.as_bytes()), &[200]).accepted(),
        row("percent-encoded command", post(&s.query(DESTROY).replace("Live.Callback", "Live%2ECallback"), "", ROOM.as_bytes()), &[200]).accepted(),
        row("upper-case Sign", post(&format!("SdkAppid={APP}&CallbackCommand={DESTROY}&Sign={}&RequestTime={now}", s.sign(now).to_uppercase()), "", ROOM.as_bytes()), &[200]).accepted(),
        row("text/plain content type", post(&ok, "Content-Type: text/plain\r\n", ROOM.as_bytes()), &[200]).accepted(),
        row("chunked body", chunked(&ok, &[ROOM.as_bytes()]), &[200]).accepted(),
        row("chunked body, byte by byte", chunked(&ok, &ROOM.as_bytes().chunks(1).collect::<Vec<_>>()), &[200]).accepted(),
        row("HTTP/1.0", raw(&format!("POST /live?{ok} HTTP/1.0\r\nContent-Length: {}\r\n\r\n{ROOM}", ROOM.len())), &[200]).accepted(),
        row("absolute-form target", raw(&format!("POST http://test/live?{ok} HTTP/1.1\r\nHost: test\r\nContent-Length: {}\r\n\r\n{ROOM}", ROOM.len())), &[200]).accepted(),
        row("pretty-printed CRLF body", post(&ok, "", b"{\r\n  \"RoomId\": \"r\"\r\n}\r\n"), &[200]).accepted(),
        row(
            "integer beyond 64 bits in message content kept exactly",
            post(&s.query("Group.CallbackBeforeSendMsg"), "", br#"{"GroupId":"g","MsgBody":[{"MsgType":"TIMCustomElem","MsgContent":{"Data":123456789012345678901234567890}}]}"#),
            &[200],
        ).accepted().prints("123456789012345678901234567890"),
        row("account id beyond 64 bits: misfit, delivered", post(&s.query("Live.CallbackBeforeSendGift"), "", br#"{"RoomId":"r","GiftWater":{"From_Account":123456789012345678901234567890}}"#), &[200]).accepted(),
        row("field of the wrong type: misfit, delivered", post(&s.query("Live.CallbackAfterCreateRoom"), "", br#"{"RoomInfo":{"RoomId":5}}"#), &[200]).accepted(),
        row("connectivity probe, empty body", post(&s.bare(now), "", b""), &[200]),
        row("connectivity probe, {}", post(&s.bare(now), "", b"{}"), &[200]),
    ]);

    // The query.
    let sign = s.sign(now);
    let other_token = Sign::compute(
        &Token::new("another-token").unwrap_or_else(|_| unreachable!()),
        now,
    )
    .to_string();
    // Well past the 60 s window, whatever time the suite itself takes.
    let stale = now - 90;
    let future = now + 90;
    let q = |rest: &str| format!("SdkAppid={APP}&CallbackCommand={DESTROY}&{rest}");
    for (name, query, status) in [
        ("no query", String::new(), 403),
        ("SdkAppid only", format!("SdkAppid={APP}"), 401),
        (
            "unknown app",
            format!("SdkAppid=1400000001&CallbackCommand={DESTROY}&Sign={sign}&RequestTime={now}"),
            403,
        ),
        (
            "SdkAppid not a number",
            format!("SdkAppid=abc&Sign={sign}&RequestTime={now}"),
            400,
        ),
        (
            "SdkAppid beyond 64 bits",
            format!("SdkAppid=99999999999999999999&Sign={sign}&RequestTime={now}"),
            400,
        ),
        (
            "SdkAppid negative",
            format!("SdkAppid=-1&Sign={sign}&RequestTime={now}"),
            400,
        ),
        ("SdkAppid repeated", format!("{ok}&SdkAppid={APP}"), 400),
        ("Sign repeated", format!("{ok}&Sign={sign}"), 400),
        (
            "RequestTime repeated",
            format!("{ok}&RequestTime={now}"),
            400,
        ),
        (
            "CallbackCommand repeated with another word",
            format!("{ok}&CallbackCommand=Live.CallbackAfterCreateRoom"),
            400,
        ),
        ("Sign missing", q(&format!("RequestTime={now}")), 401),
        ("Sign empty", q(&format!("Sign=&RequestTime={now}")), 401),
        (
            "Sign 63 digits",
            q(&format!("Sign={}&RequestTime={now}", &sign[1..])),
            401,
        ),
        (
            "Sign 65 digits",
            q(&format!("Sign={sign}0&RequestTime={now}")),
            401,
        ),
        (
            "Sign not hex",
            q(&format!("Sign={}&RequestTime={now}", "z".repeat(64))),
            401,
        ),
        (
            "Sign 4 KiB",
            q(&format!("Sign={}&RequestTime={now}", "a".repeat(4096))),
            401,
        ),
        (
            "Sign of another token",
            q(&format!("Sign={other_token}&RequestTime={now}")),
            401,
        ),
        (
            "Sign of another time",
            q(&format!("Sign={sign}&RequestTime={}", now - 1)),
            401,
        ),
        ("RequestTime missing", q(&format!("Sign={sign}")), 401),
        (
            "RequestTime not a number",
            q(&format!("Sign={sign}&RequestTime=soon")),
            400,
        ),
        (
            "RequestTime negative",
            q(&format!("Sign={sign}&RequestTime=-5")),
            400,
        ),
        (
            "RequestTime beyond 64 bits",
            q(&format!("Sign={sign}&RequestTime=99999999999999999999")),
            400,
        ),
        (
            "RequestTime 90 s old",
            q(&format!("Sign={}&RequestTime={stale}", s.sign(stale))),
            401,
        ),
        (
            "RequestTime 90 s ahead",
            q(&format!("Sign={}&RequestTime={future}", s.sign(future))),
            401,
        ),
        (
            "RequestTime 0",
            q(&format!("Sign={}&RequestTime=0", s.sign(0))),
            401,
        ),
        ("broken percent-encoding", format!("{ok}&ClientIP=%zz"), 400),
        (
            "percent-encoded invalid UTF-8",
            format!("{ok}&ClientIP=%ff%fe"),
            400,
        ),
        (
            "RequestID of 129 bytes",
            format!("{ok}&RequestID={}", "r".repeat(129)),
            400,
        ),
        (
            "RequestID with a control character",
            format!("{ok}&RequestID=a%01b"),
            400,
        ),
        (
            "RequestID repeated",
            format!("{ok}&RequestID=a&RequestId=b"),
            400,
        ),
        (
            "ClientIP with a control character",
            format!("{ok}&ClientIP=1.2.3.4%0A"),
            400,
        ),
        (
            "ClientIP of 1 KiB",
            format!("{ok}&ClientIP={}", "1".repeat(1024)),
            400,
        ),
        (
            "OptPlatform of 1 KiB",
            format!("{ok}&OptPlatform={}", "x".repeat(1024)),
            400,
        ),
    ] {
        rows.push(row(
            format!("query: {name}"),
            post(&query, "", ROOM.as_bytes()),
            status_of(status),
        ));
    }

    // The body.
    let deep = format!(
        r#"{{"RoomId":"r","X":{}{}}}"#,
        "[".repeat(128),
        "]".repeat(128)
    );
    let hostile = format!(r#"{{"X":{}{}}}"#, "[".repeat(1500), "]".repeat(1500));
    for (name, body, status) in [
        ("empty", Vec::new(), 400),
        ("whitespace only", b"  \r\n ".to_vec(), 400),
        ("not JSON", b"hello".to_vec(), 400),
        ("a JSON array", b"[1,2]".to_vec(), 400),
        ("a JSON string", b"\"room\"".to_vec(), 400),
        ("cut short", br#"{"RoomId":"#.to_vec(), 400),
        (
            "text after the object",
            br#"{"RoomId":"r"} x"#.to_vec(),
            400,
        ),
        (
            "two objects",
            br#"{"RoomId":"r"}{"RoomId":"s"}"#.to_vec(),
            400,
        ),
        ("invalid UTF-8", b"{\"RoomId\":\"\xff\xfe\"}".to_vec(), 400),
        (
            "a byte-order mark",
            b"\xef\xbb\xbf{\"RoomId\":\"r\"}".to_vec(),
            400,
        ),
        ("nested 129 levels", deep.into_bytes(), 400),
        ("nested 1,500 levels", hostile.into_bytes(), 400),
        (
            "command differs from the URL",
            br#"{"CallbackCommand":"Live.CallbackAfterCreateRoom"}"#.to_vec(),
            400,
        ),
        (
            "CallbackCommand not a string",
            br#"{"CallbackCommand":5}"#.to_vec(),
            400,
        ),
        (
            "4,097 bytes",
            [b"{\"P\":\"".as_slice(), &[b'a'; 4089], b"\"}"].concat(),
            413,
        ),
        ("1 MiB", vec![b' '; 1 << 20], 413),
    ] {
        let mut row = row(
            format!("body: {name}"),
            post(&ok, "", &body),
            status_of(status),
        );
        if status == 413 {
            // Refused from the declared length: the server closes without reading it, so
            // the client may see the answer or a reset.
            row.statuses = vec![&[413]];
        }
        rows.push(row);
    }
    rows.push(row(
        "body: chunked over the limit",
        chunked(&ok, &[&[b' '; 3000], &[b' '; 3000]]),
        &[413],
    ));
    rows.push(row("body: chunked, bad chunk size", raw(&format!("POST /live?{ok} HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{ROOM}\r\n0\r\n\r\n")), &[400]).logged(Logged::ByParserOrUs));
    rows.push(row(
        "body: Content-Length larger than what is sent",
        raw(&format!(
            "POST /live?{ok} HTTP/1.1\r\nHost: test\r\nContent-Length: 500\r\n\r\n{ROOM}"
        )),
        &[408],
    ));
    rows.push(
        row(
            "body: sent slower than the deadline",
            post(&ok, "", ROOM.as_bytes()),
            &[408],
        )
        .mode(Mode::Trickle(3)),
    );
    rows.push(row(
        "body: Content-Length shorter than the body",
        raw(&format!(
            "POST /live?{ok} HTTP/1.1\r\nHost: test\r\nContent-Length: 10\r\n\r\n{ROOM}"
        )),
        &[400],
    ));

    // Framing and the request head.
    for (name, text, status, logged) in [
        (
            "Content-Length not a number",
            format!("POST /live?{ok} HTTP/1.1\r\nHost: t\r\nContent-Length: ten\r\n\r\n{ROOM}"),
            400,
            Logged::ByParser,
        ),
        (
            "Content-Length negative",
            format!("POST /live?{ok} HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n{ROOM}"),
            400,
            Logged::ByParser,
        ),
        (
            "two different Content-Lengths",
            format!(
                "POST /live?{ok} HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n{ROOM}"
            ),
            400,
            Logged::ByParser,
        ),
        (
            "Content-Length then Transfer-Encoding",
            format!(
                "POST /live?{ok} HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
            ),
            400,
            Logged::ByParserOrUs,
        ),
        (
            "Transfer-Encoding then Content-Length",
            format!(
                "POST /live?{ok} HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"
            ),
            400,
            Logged::ByParserOrUs,
        ),
        (
            "Transfer-Encoding gzip",
            format!("POST /live?{ok} HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n{ROOM}"),
            400,
            Logged::ByParser,
        ),
        (
            "HTTP/1.0 with Transfer-Encoding",
            format!("POST /live?{ok} HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
            400,
            Logged::ByParser,
        ),
        (
            "not HTTP",
            "HELLO\r\n\r\n".to_owned(),
            400,
            Logged::ByParser,
        ),
        (
            "header without a colon",
            format!(
                "POST /live?{ok} HTTP/1.1\r\nHost: t\r\nNoColon\r\nContent-Length: 2\r\n\r\n{{}}"
            ),
            400,
            Logged::ByParser,
        ),
        (
            "space before a header's colon",
            format!("POST /live?{ok} HTTP/1.1\r\nHost: t\r\nContent-Length : 2\r\n\r\n{{}}"),
            400,
            Logged::ByParser,
        ),
        (
            "unknown HTTP version",
            format!("POST /live?{ok} HTTP/3.7\r\nHost: t\r\nContent-Length: 2\r\n\r\n{{}}"),
            400,
            Logged::ByParser,
        ),
    ] {
        rows.push(row(format!("framing: {name}"), raw(&text), status_of(status)).logged(logged));
    }
    rows.push(
        row(
            "framing: 200 KiB header",
            raw(&format!(
                "POST /live?{ok} HTTP/1.1\r\nHost: t\r\nX-Pad: {}\r\nContent-Length: 2\r\n\r\n{{}}",
                "p".repeat(200 * 1024)
            )),
            &[400, 431],
        )
        .logged(Logged::ByParser),
    );

    // Methods and paths.
    for method in ["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "post"] {
        rows.push(row(
            format!("method {method}"),
            raw(&format!(
                "{method} /live?{ok} HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n"
            )),
            &[405],
        ));
    }
    rows.push(
        row(
            "method HEAD",
            raw(&format!("HEAD /live?{ok} HTTP/1.1\r\nHost: t\r\n\r\n")),
            &[405],
        )
        .mode(Mode::Head),
    );
    for path in ["/", "/other", "/live/", "/LIVE", "/live/../live"] {
        rows.push(row(
            format!("path {path}"),
            raw(&format!(
                "POST {path}?{ok} HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\n\r\n{ROOM}",
                ROOM.len()
            )),
            &[404],
        ));
    }

    // Pipelining and keep-alive.
    let first = post(&format!("{ok}&RequestID=pipe-1"), "", ROOM.as_bytes());
    let second = post(&format!("{ok}&RequestID=pipe-2"), "", ROOM.as_bytes());
    let third = post(&format!("{ok}&RequestID=pipe-3"), "", ROOM.as_bytes());
    let forged = post(
        &q(&format!("Sign={other_token}&RequestTime={now}")),
        "",
        ROOM.as_bytes(),
    );
    let mut two = row(
        "pipelined: two webhooks",
        [first.clone(), second.clone()].concat(),
        &[200],
    );
    two.statuses = vec![&[200], &[200]];
    two.printed = 2;
    two.logged = Logged::Nothing;
    rows.push(two);
    let mut three = row(
        "pipelined: three webhooks",
        [first.clone(), second, third].concat(),
        &[200],
    );
    three.statuses = vec![&[200], &[200], &[200]];
    three.printed = 3;
    three.logged = Logged::Nothing;
    rows.push(three);
    let mut mixed = row(
        "pipelined: a webhook, then a forged one",
        [first, forged.clone()].concat(),
        &[200],
    );
    mixed.statuses = vec![&[200], &[401]];
    mixed.printed = 1;
    rows.push(mixed);

    // Expect: 100-continue.
    let head = |query: &str, length: usize| {
        raw(&format!(
            "POST /live?{query} HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: {length}\r\n\r\n"
        ))
    };
    rows.push(
        row(
            "expect: forged",
            head(
                &q(&format!("Sign={other_token}&RequestTime={now}")),
                ROOM.len(),
            ),
            &[401],
        )
        .mode(Mode::ExpectRefused),
    );
    rows.push(
        row(
            "expect: unknown app",
            head(
                &format!("SdkAppid=1400000001&Sign={sign}&RequestTime={now}"),
                ROOM.len(),
            ),
            &[403],
        )
        .mode(Mode::ExpectRefused),
    );
    rows.push(
        row(
            "expect: stale",
            head(
                &q(&format!("Sign={}&RequestTime={stale}", s.sign(stale))),
                ROOM.len(),
            ),
            &[401],
        )
        .mode(Mode::ExpectRefused),
    );
    rows.push(
        row("expect: over the body limit", head(&ok, 1 << 20), &[413]).mode(Mode::ExpectRefused),
    );
    rows.push(
        row("expect: genuine", head(&ok, ROOM.len()), &[200])
            .mode(Mode::ExpectContinue(ROOM.as_bytes().to_vec()))
            .accepted(),
    );
    rows
}

fn status_of(status: u16) -> &'static [u16] {
    match status {
        400 => &[400],
        401 => &[401],
        403 => &[403],
        404 => &[404],
        405 => &[405],
        408 => &[408],
        413 => &[413],
        _ => &[200],
    }
}

/// The number of rows.
pub(crate) fn count() -> usize {
    rows(&mut Signer::new(crate::reliability::unix_now())).len()
}

/// Each row's name and the statuses it must get.
pub(crate) fn list() -> Vec<String> {
    rows(&mut Signer::new(crate::reliability::unix_now()))
        .iter()
        .map(|row| format!("{}: {:?}", row.name, row.statuses))
        .collect()
}

/// What a row did wrong, if anything.
type Failure = String;

/// Runs every row against `server`; returns the failures.
pub(crate) fn run(server: &Server, framework: &str) -> Vec<Failure> {
    let mut signer = Signer::new(crate::reliability::unix_now());
    let rows = rows(&mut signer);
    let mut failures = Vec::new();
    let mut answers = Vec::new();
    let mut log_start = server.stderr.len();
    for (index, row) in rows.iter().enumerate() {
        let printed_before = server.stdout.len();
        let result = exchange(&server.address, row);
        let mut problems = Vec::new();
        match &result {
            Ok(responses) => {
                let statuses: Vec<u16> = responses.iter().map(|r| r.status).collect();
                let wanted = row.statuses.len() == statuses.len()
                    && row
                        .statuses
                        .iter()
                        .zip(&statuses)
                        .all(|(allowed, got)| allowed.contains(got));
                if !wanted {
                    problems.push(format!("statuses {statuses:?}, wanted {:?}", row.statuses));
                }
                for response in responses {
                    if response.header("content-type") != Some("application/json")
                        && response.status != 100
                        && !matches!(row.logged, Logged::ByParser | Logged::ByParserOrUs)
                    {
                        problems.push(format!(
                            "content type {:?}",
                            response.header("content-type")
                        ));
                    }
                }
                answers.extend(responses.iter().map(|r| r.body.clone()));
            }
            Err(error) => problems.push(error.clone()),
        }
        // The end-of-row mark, then a genuine webhook: the server still serves.
        let mark = format!("/__row/{index}");
        let marked = exchange(&server.address, &row_mark(&mark));
        if !matches!(&marked, Ok(r) if r.first().is_some_and(|r| r.status == 404)) {
            problems.push(format!("end-of-row mark not answered 404: {marked:?}"));
        }
        let Some(mark_line) = server
            .stderr
            .wait_for(Duration::from_secs(5), |line| line.contains(&mark))
        else {
            failures.push(format!(
                "{framework}: {}: no log line for the end-of-row mark",
                row.name
            ));
            continue;
        };
        let logs = server.stderr.snapshot()[log_start..mark_line].to_vec();
        log_start = mark_line + 1;
        let logged_ok = match row.logged {
            Logged::Nothing | Logged::ByParser => logs.is_empty(),
            Logged::One => logs.len() == 1,
            Logged::ByParserOrUs => logs.len() <= 1,
        };
        if !logged_ok {
            problems.push(format!(
                "{} log lines ({:?}), wanted {:?}: {logs:?}",
                logs.len(),
                row.logged,
                row.logged
            ));
        }
        let check_id = format!("check-{index}");
        let check = post(
            &format!("{}&RequestID={check_id}", signer.query(DESTROY)),
            "",
            ROOM.as_bytes(),
        );
        match exchange(&server.address, &row_check(check)) {
            Ok(responses) if responses.first().is_some_and(|r| r.status == 200) => {}
            other => problems.push(format!(
                "a genuine webhook after the row was not answered 200: {other:?}"
            )),
        }
        match server.stdout.wait_for(Duration::from_secs(5), |line| {
            line.contains(&format!("\"{check_id}\""))
        }) {
            Some(line) => {
                let printed = line - printed_before;
                if printed != row.printed {
                    problems.push(format!("{printed} output lines, wanted {}", row.printed));
                }
                if let Some(text) = &row.prints {
                    let lines = server.stdout.snapshot()[printed_before..line].concat();
                    if !lines.contains(text.as_str()) {
                        problems.push(format!("output lacks {text}: {lines}"));
                    }
                }
            }
            None => problems.push("the genuine webhook after the row was not printed".into()),
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{framework}: {}: {}",
                row.name,
                problems.join("; ")
            ));
        }
    }
    // Secrets: never in an answer or a log line.
    let logs = server.stderr.snapshot().concat();
    let answers = answers.concat();
    for secret in std::iter::once(TOKEN.to_owned()).chain(signer.signs.iter().cloned()) {
        let lower = secret.to_ascii_lowercase();
        for (place, text) in [("a log line", &logs), ("an answer", &answers)] {
            if text.to_ascii_lowercase().contains(&lower) {
                failures.push(format!(
                    "{framework}: a secret ({}...) appears in {place}",
                    &secret[..6]
                ));
            }
        }
    }
    for line in server.stdout.snapshot() {
        if serde_json::from_str::<serde_json::Value>(&line).is_err() {
            failures.push(format!(
                "{framework}: an output line is not one JSON document: {line:?}"
            ));
        }
    }
    failures
}

fn row_mark(path: &str) -> Row {
    row(
        "mark",
        raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n"
        )),
        &[404],
    )
}

fn row_check(bytes: Vec<u8>) -> Row {
    row("check", bytes, &[200])
}

/// Sends a row on a fresh connection and reads its answers.
fn exchange(address: &str, row: &Row) -> Result<Vec<Response>, String> {
    let mut connection =
        Connection::open(address, Duration::from_secs(5)).map_err(|e| format!("connect: {e}"))?;
    let error = |e: std::io::Error| format!("{e}");
    match &row.mode {
        Mode::Send => {
            // Written from another thread while this one reads: a server may answer and
            // close before taking everything (a body refused from its declared length),
            // and what it answered is what counts.
            connection
                .send_in_background(row.bytes.clone())
                .map_err(error)?;
            let mut responses = Vec::new();
            for _ in 0..row.statuses.len() {
                responses.push(connection.read_final().map_err(error)?.0);
            }
            Ok(responses)
        }
        Mode::Head => {
            connection.send(&row.bytes).map_err(error)?;
            Ok(vec![connection.read_head().map_err(error)?])
        }
        Mode::ExpectRefused => {
            connection.send(&row.bytes).map_err(error)?;
            let first = connection.read().map_err(error)?;
            if first.status == 100 {
                return Err("100 Continue sent to a request about to be refused".into());
            }
            Ok(vec![first])
        }
        Mode::ExpectContinue(body) => {
            connection.send(&row.bytes).map_err(error)?;
            let first = connection.read().map_err(error)?;
            if first.status != 100 {
                return Err(format!("no 100 Continue, got {}", first.status));
            }
            connection.send(body).map_err(error)?;
            Ok(vec![connection.read_final().map_err(error)?.0])
        }
        Mode::Trickle(at_once) => {
            let split = row.bytes.len()
                - row.bytes.len().min(
                    // The body is the part after the head.
                    row.bytes
                        .windows(4)
                        .rev()
                        .position(|w| w == b"\r\n\r\n")
                        .unwrap_or(0),
                );
            let start = (split + at_once).min(row.bytes.len());
            connection.send(&row.bytes[..start]).map_err(error)?;
            for byte in &row.bytes[start..] {
                std::thread::sleep(Duration::from_millis(300));
                if connection.answered() || connection.send(std::slice::from_ref(byte)).is_err() {
                    break;
                }
            }
            Ok(vec![connection.read_final().map_err(error)?.0])
        }
    }
}
