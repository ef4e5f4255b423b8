//! Just enough HTTP/1.1 over a raw socket to send anything and read what comes back.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// One response: status, headers (names lowercased), body.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Response {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// A connection, read through a buffer.
pub(crate) struct Connection {
    reader: BufReader<TcpStream>,
}

impl Connection {
    pub(crate) fn open(address: &str, timeout: Duration) -> io::Result<Connection> {
        let stream = TcpStream::connect(address)?;
        stream.set_read_timeout(Some(timeout))?;
        stream.set_write_timeout(Some(timeout))?;
        let _ = stream.set_nodelay(true);
        Ok(Connection {
            reader: BufReader::new(stream),
        })
    }

    pub(crate) fn from_stream(stream: TcpStream) -> Connection {
        Connection {
            reader: BufReader::new(stream),
        }
    }

    pub(crate) fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.reader.get_mut().write_all(bytes)
    }

    /// Writes `bytes` from another thread, ignoring a server that stops reading.
    pub(crate) fn send_in_background(&mut self, bytes: Vec<u8>) -> io::Result<()> {
        let mut stream = self.reader.get_ref().try_clone()?;
        std::thread::spawn(move || {
            let _ = stream.write_all(&bytes);
        });
        Ok(())
    }

    /// Whether the server has sent something (or closed) that is waiting to be read.
    pub(crate) fn answered(&mut self) -> bool {
        if !self.reader.buffer().is_empty() {
            return true;
        }
        let stream = self.reader.get_ref();
        if stream.set_nonblocking(true).is_err() {
            return false;
        }
        let mut byte = [0; 1];
        let ready =
            !matches!(stream.peek(&mut byte), Err(ref e) if e.kind() == io::ErrorKind::WouldBlock);
        let _ = stream.set_nonblocking(false);
        ready
    }

    /// Reads one response (an interim `100 Continue` is a response too).
    pub(crate) fn read(&mut self) -> io::Result<Response> {
        let response = self.read_head()?;
        self.read_body(response)
    }

    /// Reads a response's status line and headers only (the answer to a HEAD).
    pub(crate) fn read_head(&mut self) -> io::Result<Response> {
        let mut line = String::new();
        if self.reader.read_line(&mut line)? == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "closed"));
        }
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| io::Error::other(format!("bad status line {line:?}")))?;
        let mut headers = Vec::new();
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let trimmed = line.trim_end();
            if trimmed.is_empty() {
                break;
            }
            if let Some((name, value)) = trimmed.split_once(':') {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
            }
        }
        Ok(Response {
            status,
            headers,
            body: String::new(),
        })
    }

    fn read_body(&mut self, mut response: Response) -> io::Result<Response> {
        let mut line = String::new();
        if response.status == 100 {
            return Ok(response);
        }
        let length = response
            .header("content-length")
            .and_then(|length| length.parse::<usize>().ok());
        let mut body = Vec::new();
        if let Some(length) = length {
            body.resize(length, 0);
            self.reader.read_exact(&mut body)?;
        } else if response.header("transfer-encoding") == Some("chunked") {
            loop {
                line.clear();
                self.reader.read_line(&mut line)?;
                let size = usize::from_str_radix(line.trim(), 16).map_err(io::Error::other)?;
                let mut chunk = vec![0; size + 2];
                self.reader.read_exact(&mut chunk)?;
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
        }
        response.body = String::from_utf8_lossy(&body).into_owned();
        Ok(response)
    }

    /// Reads the next final response, skipping interim ones; says whether one was skipped.
    pub(crate) fn read_final(&mut self) -> io::Result<(Response, bool)> {
        let mut interim = false;
        loop {
            let response = self.read()?;
            if response.status >= 200 {
                return Ok((response, interim));
            }
            interim = true;
        }
    }

    /// Whether the server has closed the connection (EOF or reset) within the timeout.
    pub(crate) fn closed(&mut self) -> bool {
        let mut byte = [0; 1];
        loop {
            match self.reader.read(&mut byte) {
                Ok(0) => return true,
                Ok(_) => {}
                Err(error) => {
                    return !matches!(
                        error.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    );
                }
            }
        }
    }
}
