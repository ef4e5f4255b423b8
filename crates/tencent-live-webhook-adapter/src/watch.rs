//! Puts back the `Content-Length` hyper hides.
//!
//! hyper answers a request that has both `Content-Length` and `Transfer-Encoding` by
//! dropping `Content-Length`, reading the body as chunked and closing the connection
//! afterwards. Safe for hyper itself, but the adapters refuse such requests outright, like
//! actix-web does, since a proxy in front may have framed the same bytes differently.
//! [`Watched`] watches the bytes a connection sends for request heads that carry both
//! headers; [`Framing::restore`] gives the matching request its `Content-Length` back, and
//! the adapter then refuses it (400) like any other.
//!
//! Heads are found line by line: a blank line ends one. Body bytes cannot be mistaken for
//! these headers: a JSON body never has a line that starts with a header name and a colon,
//! and chunk-size lines are hex digits.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use hyper::Request;
use hyper::header::{CONTENT_LENGTH, HeaderValue, TRANSFER_ENCODING};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The longest line start looked at: `transfer-encoding:` plus a `Content-Length` value.
const LINE_PREFIX: usize = 64;

/// What the watcher found, shared with the connection's service.
#[derive(Debug, Default)]
pub(crate) struct Framing {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// The start of the line being read (at most [`LINE_PREFIX`] bytes), lowercased.
    line: Vec<u8>,
    /// The `Content-Length` value of the head being read.
    head_content_length: Option<Vec<u8>>,
    /// Whether the head being read has `Transfer-Encoding`.
    head_transfer_encoding: bool,
    /// Heads with `Transfer-Encoding` seen in the bytes so far.
    te_heads_read: u64,
    /// The first of those that also had `Content-Length`: its ordinal and value (hyper
    /// closes the connection after it, so no later one is served).
    ambiguous: Option<(u64, Vec<u8>)>,
    /// Requests with `Transfer-Encoding` the service has seen.
    te_requests_served: u64,
}

impl Framing {
    fn scan(&self, bytes: &[u8]) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        // Line by line; of each line only its start is looked at, so a body without line
        // breaks costs one search for `\n`.
        let mut rest = bytes;
        while let Some(at) = rest.iter().position(|&byte| byte == b'\n') {
            state.keep_start(rest.get(..at).unwrap_or_default());
            state.end_line();
            rest = rest.get(at + 1..).unwrap_or_default();
        }
        state.keep_start(rest);
    }

    /// Gives `request` back the `Content-Length` hyper dropped, if it was one of the
    /// ambiguous ones.
    pub(crate) fn restore<B>(&self, request: &mut Request<B>) {
        if !request.headers().contains_key(TRANSFER_ENCODING) {
            return;
        }
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.te_requests_served += 1;
        let ordinal = state.te_requests_served;
        if let Some((_, value)) = state.ambiguous.as_ref().filter(|(at, _)| *at == ordinal) {
            let value = HeaderValue::from_bytes(value).unwrap_or(HeaderValue::from_static("0"));
            request.headers_mut().insert(CONTENT_LENGTH, value);
        }
    }
}

impl State {
    /// Adds to the current line what fits of its first [`LINE_PREFIX`] bytes, lowercased.
    fn keep_start(&mut self, part: &[u8]) {
        let room = LINE_PREFIX.saturating_sub(self.line.len());
        let kept = part.get(..room.min(part.len())).unwrap_or_default();
        self.line.extend(kept.iter().map(u8::to_ascii_lowercase));
    }

    fn end_line(&mut self) {
        let mut line = std::mem::take(&mut self.line);
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if line.is_empty() {
            // The end of a head (or a blank line in a body, where nothing was seen).
            if self.head_transfer_encoding {
                self.te_heads_read += 1;
                if let Some(value) = self.head_content_length.take()
                    && self.ambiguous.is_none()
                {
                    self.ambiguous = Some((self.te_heads_read, value));
                }
            }
            self.head_content_length = None;
            self.head_transfer_encoding = false;
        } else if let Some(value) = line.strip_prefix(b"content-length:".as_slice()) {
            self.head_content_length = Some(value.trim_ascii().to_vec());
        } else if line.starts_with(b"transfer-encoding:") {
            self.head_transfer_encoding = true;
        }
        line.clear();
        self.line = line;
    }
}

/// A connection whose incoming bytes are watched for ambiguous heads.
pub(crate) struct Watched<T> {
    io: T,
    framing: Arc<Framing>,
}

impl<T> Watched<T> {
    pub(crate) fn new(io: T) -> (Watched<T>, Arc<Framing>) {
        let framing = Arc::new(Framing::default());
        (
            Watched {
                io,
                framing: Arc::clone(&framing),
            },
            framing,
        )
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Watched<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.io).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = polled {
            self.framing.scan(&buf.filled()[before..]);
        }
        polled
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Watched<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bytes: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, bytes)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(te: bool) -> Request<()> {
        let mut builder = Request::post("/");
        if te {
            builder = builder.header(TRANSFER_ENCODING, "chunked");
        }
        builder.body(()).unwrap()
    }

    fn restored(framing: &Framing, te: bool) -> Option<String> {
        let mut request = request(te);
        framing.restore(&mut request);
        request
            .headers()
            .get(CONTENT_LENGTH)
            .map(|value| value.to_str().unwrap().to_owned())
    }

    #[test]
    fn only_the_ambiguous_head_gets_its_length_back_in_any_split_or_case() {
        let stream: &[u8] = b"POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\
            2\r\n{}\r\n0\r\n\r\n\
            POST /b HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}\
            POST /c HTTP/1.1\nCONTENT-LENGTH:  7 \nTransfer-Encoding: chunked\n\n0\r\n\r\n";
        for split in [1, 2, 5, 17, stream.len()] {
            let framing = Framing::default();
            for piece in stream.chunks(split) {
                framing.scan(piece);
            }
            assert_eq!(restored(&framing, true), None, "split {split}: /a");
            assert_eq!(restored(&framing, false), None, "split {split}: /b");
            assert_eq!(
                restored(&framing, true).as_deref(),
                Some("7"),
                "split {split}: /c"
            );
        }
    }

    #[test]
    fn json_bodies_with_blank_lines_and_long_lines_do_not_count() {
        let framing = Framing::default();
        framing.scan(b"POST / HTTP/1.1\r\nContent-Length: 60\r\n\r\n{\r\n\r\n\"content-length:\": 1,\r\n\"x\":\"");
        framing.scan(&[b'a'; 500]);
        framing.scan(b"\"}\r\n");
        framing.scan(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        assert_eq!(restored(&framing, true), None);
    }
}
