//! Receiving a Live webhook: the query and the framing checked before the body, then the
//! body read under the limit and the deadline and decoded.

use bytes::Buf;
use futures_util::Stream;
use tencent_live_webhook::{Incoming, Received, Rejection, Webhook, WebhookQuery};

use crate::body::read_chunks;
use crate::refusal_log::Refused;
use crate::{Framing, Intercepted, Source, WebhookConfig};

impl WebhookConfig {
    /// Checks the request's framing, then verifies the query and the declared
    /// `Content-Length` at the clock's time, before any body byte is read. A refusal is
    /// logged.
    pub fn start(&self, raw_query: &str, framing: Framing<'_>) -> Result<Incoming, Intercepted> {
        self.start_from(raw_query, framing, Source::default())
    }

    /// [`start`](Self::start) for a request from `source`: a client outside
    /// [`allow_from`](Self::allow_from) is refused first, and a refusal's log line names
    /// the client.
    pub fn start_from(
        &self,
        raw_query: &str,
        framing: Framing<'_>,
        source: Source<'_>,
    ) -> Result<Incoming, Intercepted> {
        let (client, admitted) = self.admit(framing, source);
        let started = admitted.and_then(|()| {
            self.receiver
                .start(raw_query, framing.content_length, self.now())
        });
        started.map_err(|rejection| {
            let command = WebhookQuery::parse(raw_query)
                .ok()
                .and_then(|query| query.command());
            let hint = match &rejection {
                Rejection::Verify(error) => self.receiver.verifier().hint(raw_query, error),
                _ => None,
            };
            self.refused(
                rejection,
                Refused::LiveWebhook {
                    command,
                    hint: hint.as_deref(),
                    client,
                },
            )
        })
    }

    /// Reads the body of a verified request chunk by chunk under the receiver's limit and
    /// the body deadline, then decodes it.
    ///
    /// The adapter turns its framework's body errors into a [`Rejection`] first
    /// ([`Rejection::BodyUnreadable`], or [`Rejection::BodyOverServerLimit`] when a
    /// framework limit stopped the body). Reading stops at the first refused chunk. A
    /// refusal is logged; a connectivity probe is logged at `info` and comes back as
    /// [`Intercepted::Probe`], to be answered without calling the handler.
    ///
    /// The webhook comes back with the body's exact bytes.
    ///
    /// Needs a Tokio runtime with its timer (actix-web, axum and warp all run on one).
    pub async fn receive_body<B: Buf>(
        &self,
        incoming: Incoming,
        body: impl Stream<Item = Result<B, Rejection>>,
    ) -> Result<(Webhook, Vec<u8>), Intercepted> {
        let command = incoming.verified().command();
        let read = async move {
            let mut incoming = incoming;
            read_chunks(body, |part| incoming.push(part)).await?;
            incoming.finish_with_body()
        };
        let received = tokio::time::timeout(self.body_timeout, read)
            .await
            .unwrap_or(Err(Rejection::BodyTimeout));
        match received {
            Ok((Received::Webhook(webhook), body)) => Ok((webhook, body)),
            Ok((Received::Probe(probe), _)) => {
                tracing::info!(
                    sdk_app_id = probe.sdk_app_id(),
                    "answered Tencent's connectivity probe"
                );
                Err(Intercepted::Probe(probe))
            }
            Err(rejection) => Err(self.refused(
                rejection,
                Refused::LiveWebhook {
                    command,
                    hint: None,
                    client: None,
                },
            )),
        }
    }
}
