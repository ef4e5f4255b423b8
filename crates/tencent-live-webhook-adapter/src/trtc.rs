//! Receiving a TRTC callback: the framing and the `Sign` and `SdkAppId` headers checked
//! before the body, the signature over the body once it is in.

use bytes::Buf;
use futures_util::Stream;
use tencent_live_webhook::{Rejection, trtc};

use crate::body::read_chunks;
use crate::refusal_log::Refused;
use crate::{Framing, Intercepted, Source, TrtcHeaders, WebhookConfig};

impl WebhookConfig {
    /// Checks a TRTC callback's framing and its `Sign` and `SdkAppId` headers before any
    /// body byte is read (the signature itself covers the body, so it is checked once the
    /// body is in: [`receive_trtc_body`](Self::receive_trtc_body)). A refusal is logged;
    /// without [`trtc`](Self::trtc), the answer is [`Intercepted::NotConfigured`].
    pub fn start_trtc(
        &self,
        headers: TrtcHeaders<'_>,
        framing: Framing<'_>,
        source: Source<'_>,
    ) -> Result<trtc::Incoming, Intercepted> {
        let Some(receiver) = &self.trtc else {
            tracing::error!("TRTC callback received, but no TRTC verifier is configured");
            return Err(Intercepted::NotConfigured);
        };
        let (client, admitted) = self.admit(framing, source);
        let started = admitted.and_then(|()| {
            receiver.start(headers.sdk_app_id, headers.sign, framing.content_length)
        });
        started.map_err(|rejection| self.refused(rejection, Refused::TrtcCallback { client }))
    }

    /// Reads a TRTC callback's body under the limit and the deadline, then verifies it at
    /// the clock's time and decodes it. A refusal is logged. The callback comes back with
    /// the body's exact bytes.
    ///
    /// Needs a Tokio runtime with its timer (actix-web, axum and warp all run on one).
    pub async fn receive_trtc_body<B: Buf>(
        &self,
        incoming: trtc::Incoming,
        body: impl Stream<Item = Result<B, Rejection>>,
    ) -> Result<(trtc::Callback, Vec<u8>), Intercepted> {
        // An `Incoming` comes only from `start_trtc`, which needs the receiver.
        let Some(receiver) = &self.trtc else {
            return Err(Intercepted::NotConfigured);
        };
        let read = async move {
            let mut incoming = incoming;
            read_chunks(body, |part| incoming.push(part)).await?;
            Ok(incoming)
        };
        let received = tokio::time::timeout(self.body_timeout, read)
            .await
            .unwrap_or(Err(Rejection::BodyTimeout))
            .and_then(|incoming| receiver.finish(incoming, self.now_ms()));
        received
            .map_err(|rejection| self.refused(rejection, Refused::TrtcCallback { client: None }))
    }
}
