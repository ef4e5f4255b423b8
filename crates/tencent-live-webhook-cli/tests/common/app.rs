//! A small app for `serve --forward-to` and `send` to talk to, over HTTP/1.1 or TLS.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::Duration;

use super::WAIT;

/// What the test app saw of one request.
pub(crate) struct Seen {
    pub(crate) method: String,
    pub(crate) target: String,
    pub(crate) content_type: String,
    /// Every header, names in lowercase.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Seen {
    /// The value of header `name` (lowercase).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(seen, _)| seen == name)
            .map(|(_, value)| value.as_str())
    }

    /// The query string of the request target.
    pub(crate) fn query(&self) -> &str {
        self.target.split_once('?').map_or("", |(_, query)| query)
    }
}

/// A small app behind the gateway, over keep-alive HTTP/1.1. Its answer depends on the
/// body: `forbidden` rejects the gift with code 102150, `refuse` rejects with code 1,
/// `rewrite` replaces the message, `teapot` answers 418 with the protocol's FAIL, `slow`
/// answers after 3 s, `garbage` answers HTML; anything else is acked.
pub(crate) struct App {
    pub(crate) address: String,
    pub(crate) seen: Receiver<Seen>,
    /// Connections accepted so far.
    pub(crate) connections: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl App {
    pub(crate) fn start() -> App {
        App::start_on(TcpListener::bind("127.0.0.1:0").unwrap(), app_answer)
    }

    /// An app on `listener` that answers each request with `answer` (status line, body).
    pub(crate) fn start_on(
        listener: TcpListener,
        answer: impl Fn(&Seen) -> (String, String) + Send + Sync + 'static,
    ) -> App {
        let answer = std::sync::Arc::new(answer);
        let address = listener.local_addr().unwrap().to_string();
        let (sender, seen) = mpsc::channel();
        let connections: std::sync::Arc<std::sync::atomic::AtomicUsize> = std::sync::Arc::default();
        let counter = std::sync::Arc::clone(&connections);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { break };
                counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let sender = sender.clone();
                let answer = std::sync::Arc::clone(&answer);
                thread::spawn(move || {
                    serve_connection(stream, &move |request: Seen| {
                        let answer = answer(&request);
                        let _ = sender.send(request);
                        answer
                    });
                });
            }
        });
        App {
            address,
            seen,
            connections,
        }
    }

    /// An app that answers 503 until `up` is set, then the protocol's ack.
    pub(crate) fn down_until(up: &std::sync::Arc<std::sync::atomic::AtomicBool>) -> App {
        let up = std::sync::Arc::clone(up);
        App::start_on(TcpListener::bind("127.0.0.1:0").unwrap(), move |_| {
            if up.load(std::sync::atomic::Ordering::SeqCst) {
                (
                    "200 OK".into(),
                    r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#.into(),
                )
            } else {
                ("503 Service Unavailable".into(), "{}".into())
            }
        })
    }

    /// The same app over TLS, with a certificate for 127.0.0.1 from a CA made here; the
    /// CA's certificate (PEM) comes back too.
    pub(crate) fn start_tls() -> (App, String) {
        let (config, authority) = tls_config();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let (sender, seen) = mpsc::channel();
        serve_tls(listener, config, move |request| {
            let answer = app_answer(&request);
            let _ = sender.send(request);
            answer
        });
        let app = App {
            address,
            seen,
            connections: std::sync::Arc::default(),
        };
        (app, authority)
    }

    pub(crate) fn next(&self) -> Seen {
        self.seen
            .recv_timeout(WAIT)
            .expect("the app got no request")
    }

    pub(crate) fn nothing_more(&self) {
        assert!(
            self.seen.recv_timeout(Duration::from_millis(300)).is_err(),
            "the app got a request it should not have"
        );
    }
}

/// The certificate of 127.0.0.1 from a CA made here, as a rustls server configuration,
/// and the CA's certificate (PEM) for the client to trust.
pub(crate) fn tls_config() -> (std::sync::Arc<rustls::ServerConfig>, String) {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
    let mut authority = CertificateParams::new(Vec::new()).unwrap();
    authority.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let authority = CertifiedIssuer::self_signed(authority, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let certificate = CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .unwrap()
        .signed_by(&key, &authority)
        .unwrap();
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![certificate.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .unwrap();
    (std::sync::Arc::new(config), authority.pem())
}

/// Answers every connection to `listener` over TLS with `handler`, each on its own thread.
pub(crate) fn serve_tls(
    listener: TcpListener,
    config: std::sync::Arc<rustls::ServerConfig>,
    handler: impl Fn(Seen) -> (String, String) + Send + Sync + 'static,
) {
    let handler = std::sync::Arc::new(handler);
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { break };
            let connection = rustls::ServerConnection::new(std::sync::Arc::clone(&config)).unwrap();
            let handler = std::sync::Arc::clone(&handler);
            thread::spawn(move || {
                serve_connection(rustls::StreamOwned::new(connection, stream), &*handler);
            });
        }
    });
}

/// The test app's answer to `request`: status line and body.
pub(crate) fn app_answer(request: &Seen) -> (String, String) {
    let text = String::from_utf8_lossy(&request.body);
    let (status, answer) = if text.contains("forbidden") {
        (
            "200 OK",
            r#"{"ActionStatus":"OK","ErrorCode":102150,"ErrorInfo":"gift refused"}"#,
        )
    } else if text.contains("refuse") {
        (
            "200 OK",
            r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":""}"#,
        )
    } else if text.contains("rewrite") {
        (
            "200 OK",
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"***"}}]}"#,
        )
    } else if text.contains("silence-me") {
        (
            "200 OK",
            r#"{"ActionStatus":"OK","ErrorCode":2,"ErrorInfo":""}"#,
        )
    } else if text.contains("c2c-no-links") {
        (
            "200 OK",
            r#"{"ActionStatus":"OK","ErrorCode":120001,"ErrorInfo":"no links"}"#,
        )
    } else if text.contains("teapot") {
        (
            "418 I'm a teapot",
            r#"{"ActionStatus":"FAIL","ErrorCode":1,"ErrorInfo":"short and stout"}"#,
        )
    } else if text.contains("slow") {
        thread::sleep(Duration::from_secs(3));
        (
            "200 OK",
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#,
        )
    } else if text.contains("garbage") {
        ("200 OK", "<html>oops</html>")
    } else {
        (
            "200 OK",
            r#"{ "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "" }"#,
        )
    };
    (status.to_owned(), answer.to_owned())
}

/// Reads HTTP/1.1 requests off `stream`, keep-alive, and answers each with `handler`.
pub(crate) fn serve_connection(
    stream: impl Read + Write,
    handler: &dyn Fn(Seen) -> (String, String),
) {
    let mut reader = BufReader::new(stream);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut words = request_line.split_whitespace();
        let method = words.next().unwrap_or_default().to_owned();
        let target = words.next().unwrap_or_default().to_owned();
        let (mut length, mut content_type) = (0, String::new());
        let mut headers = Vec::new();
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').unwrap();
            headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().unwrap(),
                "content-type" => value.trim().clone_into(&mut content_type),
                _ => {}
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let (status, answer) = handler(Seen {
            method,
            target,
            content_type,
            headers,
            body,
        });
        let response = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{answer}",
            answer.len()
        );
        let writer = reader.get_mut();
        if writer
            .write_all(response.as_bytes())
            .and_then(|()| writer.flush())
            .is_err()
        {
            return;
        }
    }
}
