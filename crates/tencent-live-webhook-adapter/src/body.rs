//! Reading a body stream chunk by chunk.

use std::pin::pin;

use bytes::Buf;
use futures_util::{Stream, StreamExt};
use tencent_live_webhook::Rejection;

/// Feeds every chunk of `body` to `push`, stopping at the first refusal.
pub(crate) async fn read_chunks<B: Buf>(
    body: impl Stream<Item = Result<B, Rejection>>,
    mut push: impl FnMut(&[u8]) -> Result<(), Rejection>,
) -> Result<(), Rejection> {
    let mut body = pin!(body);
    while let Some(chunk) = body.next().await {
        let mut chunk = chunk?;
        while chunk.has_remaining() {
            let part = chunk.chunk();
            let taken = part.len();
            push(part)?;
            chunk.advance(taken);
        }
    }
    Ok(())
}
