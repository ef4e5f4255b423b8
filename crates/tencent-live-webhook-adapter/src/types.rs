//! The types every adapter crate defines for its framework, with all that does not depend
//! on the framework.

/// Defines, in an adapter crate, the types every adapter exposes, with all that does not
/// depend on the framework, and re-exports the names they share: the core crate,
/// [`WebhookConfig`](crate::WebhookConfig), [`Intercepted`](crate::Intercepted),
/// [`Framing`](crate::Framing), [`TrtcHeaders`](crate::TrtcHeaders),
/// [`Source`](crate::Source), [`PeerAddr`](crate::PeerAddr) and [`IpNet`](crate::IpNet).
/// The types:
///
/// - `Webhook`, the extracted value: `Deref` to the core
///   [`Webhook`](tencent_live_webhook::Webhook), `into_inner()`, and the request's exact
///   query and body (`raw_query()`, `raw_body()`, `into_parts()`);
/// - `WebhookRejection`, what is answered instead of calling the handler: `Deref` to
///   [`Intercepted`](crate::Intercepted), `into_inner()`, `Display`, `Error`;
/// - `WebhookReply`, a core [`Reply`](tencent_live_webhook::Reply) to answer with:
///   `From<Reply>`;
/// - `TrtcCallback`, the extracted TRTC callback: `Deref` to the core
///   [`trtc::Callback`](tencent_live_webhook::trtc::Callback), `into_inner()`, the exact
///   body (`raw_body()`, `into_parts()`);
/// - `TrtcAck`, the answer TRTC expects: HTTP 200 with `{"code":0}`;
/// - `WebhookFailure`, a failure of the handler's own (a webhook that could not be kept),
///   with `From<AppendError>` when the adapter has a `spool` feature.
///
/// Rust's orphan rule wants a framework's traits implemented on the adapter's own types;
/// the adapter implements them (extractor, response) next to this macro.
#[macro_export]
macro_rules! adapter_types {
    () => {
        pub use $crate::tencent_live_webhook;
        pub use $crate::{
            Framing, Intercepted, IpNet, PeerAddr, Source, TrtcHeaders, WebhookConfig,
        };

        /// A verified, decoded webhook: use it as a handler argument.
        ///
        /// Dereferences to the core
        /// [`Webhook`]($crate::tencent_live_webhook::Webhook): metadata, the typed event,
        /// or, for a body that did not fit, the error and the raw body. The request's
        /// exact query string and body stay available, to forward or keep what arrived.
        #[derive(Clone)]
        pub struct Webhook {
            webhook: $crate::tencent_live_webhook::Webhook,
            raw_query: ::std::string::String,
            raw_body: ::std::vec::Vec<u8>,
            received_at_ms: u64,
        }

        impl Webhook {
            fn new(
                webhook: $crate::tencent_live_webhook::Webhook,
                raw_query: &str,
                raw_body: ::std::vec::Vec<u8>,
                received_at_ms: u64,
            ) -> Webhook {
                Webhook {
                    webhook,
                    raw_query: raw_query.to_owned(),
                    raw_body,
                    received_at_ms,
                }
            }

            $crate::notification_methods!(
                "webhook (what a spool stores and a queue carries), its id hashed once",
                live,
                webhook,
                raw_query,
                raw_body
            );

            /// The core webhook.
            pub fn into_inner(self) -> $crate::tencent_live_webhook::Webhook {
                self.webhook
            }

            /// The query string exactly as it arrived (still percent-encoded, `Sign`
            /// included): a receiver behind this one can verify it again.
            pub fn raw_query(&self) -> &str {
                &self.raw_query
            }

            /// The body exactly as it arrived.
            pub fn raw_body(&self) -> &[u8] {
                &self.raw_body
            }

            /// The core webhook, the raw query string and the raw body.
            pub fn into_parts(
                self,
            ) -> (
                $crate::tencent_live_webhook::Webhook,
                ::std::string::String,
                ::std::vec::Vec<u8>,
            ) {
                (self.webhook, self.raw_query, self.raw_body)
            }
        }

        impl ::std::ops::Deref for Webhook {
            type Target = $crate::tencent_live_webhook::Webhook;
            fn deref(&self) -> &Self::Target {
                &self.webhook
            }
        }

        impl ::std::fmt::Debug for Webhook {
            // The query holds the Sign, a credential for as long as the request is fresh.
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Webhook")
                    .field("webhook", &self.webhook)
                    .field("raw_body_len", &self.raw_body.len())
                    .finish_non_exhaustive()
            }
        }

        /// What is answered instead of calling the handler: a refusal with the core's
        /// status and JSON body, or the ack to Tencent's connectivity probe.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct WebhookRejection(pub $crate::Intercepted);

        impl WebhookRejection {
            /// What happened.
            pub fn into_inner(self) -> $crate::Intercepted {
                self.0
            }
        }

        impl ::std::ops::Deref for WebhookRejection {
            type Target = $crate::Intercepted;
            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        impl ::std::fmt::Display for WebhookRejection {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl ::std::error::Error for WebhookRejection {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                Some(&self.0)
            }
        }

        /// A core [`Reply`]($crate::tencent_live_webhook::Reply) to answer with: HTTP 200
        /// with the protocol's JSON. Return it from a handler: `Reply::ack().into()`.
        #[derive(Debug, Clone, PartialEq)]
        pub struct WebhookReply(pub $crate::tencent_live_webhook::Reply);

        impl From<$crate::tencent_live_webhook::Reply> for WebhookReply {
            fn from(reply: $crate::tencent_live_webhook::Reply) -> Self {
                WebhookReply(reply)
            }
        }

        /// A verified, decoded TRTC callback (room, media, recording events): use it as a
        /// handler argument, with [`WebhookConfig::trtc`] configured.
        ///
        /// Dereferences to the core
        /// [`trtc::Callback`]($crate::tencent_live_webhook::trtc::Callback); the body's
        /// exact bytes stay available.
        #[derive(Debug, Clone)]
        pub struct TrtcCallback {
            callback: $crate::tencent_live_webhook::trtc::Callback,
            raw_body: ::std::vec::Vec<u8>,
            received_at_ms: u64,
        }

        impl TrtcCallback {
            fn new(
                callback: $crate::tencent_live_webhook::trtc::Callback,
                raw_body: ::std::vec::Vec<u8>,
                received_at_ms: u64,
            ) -> TrtcCallback {
                TrtcCallback {
                    callback,
                    raw_body,
                    received_at_ms,
                }
            }

            $crate::notification_methods!(
                "callback (its id is the event id)",
                trtc,
                callback,
                raw_body
            );

            /// The core callback.
            pub fn into_inner(self) -> $crate::tencent_live_webhook::trtc::Callback {
                self.callback
            }

            /// The body exactly as it arrived (what the `Sign` covers).
            pub fn raw_body(&self) -> &[u8] {
                &self.raw_body
            }

            /// The core callback and the raw body.
            pub fn into_parts(
                self,
            ) -> (
                $crate::tencent_live_webhook::trtc::Callback,
                ::std::vec::Vec<u8>,
            ) {
                (self.callback, self.raw_body)
            }
        }

        impl ::std::ops::Deref for TrtcCallback {
            type Target = $crate::tencent_live_webhook::trtc::Callback;
            fn deref(&self) -> &Self::Target {
                &self.callback
            }
        }

        /// The answer TRTC expects once a callback is handled: HTTP 200 with
        /// `{"code":0}`. Return it from a handler.
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct TrtcAck;

        /// A failure of the handler's own, answered with an HTTP status and the
        /// protocol's JSON failure (its `ErrorCode` is the status), as `application/json`:
        /// for a webhook that could not be kept, so that it is never answered 200. With
        /// the `spool` feature, a spool's `AppendError` converts into it (503), so a
        /// handler can use `?` on `Spool::append`.
        #[derive(Debug, Clone, PartialEq)]
        pub struct WebhookFailure {
            /// The HTTP status.
            pub status: u16,
            /// The body: `ActionStatus` FAIL, `ErrorCode` the status.
            pub reply: $crate::tencent_live_webhook::Reply,
        }

        impl WebhookFailure {
            /// A failure with this status and explanation.
            pub fn new(status: u16, info: impl ::std::fmt::Display) -> WebhookFailure {
                WebhookFailure {
                    status,
                    reply: $crate::tencent_live_webhook::Reply::failure(
                        u32::from(status),
                        ::std::string::ToString::to_string(&info),
                    ),
                }
            }
        }

        impl ::std::fmt::Display for WebhookFailure {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.reply.error_info())
            }
        }

        impl ::std::error::Error for WebhookFailure {}

        /// A notification that cannot be made (a body that is not UTF-8): 500.
        impl From<$crate::tencent_live_webhook::EnvelopeError> for WebhookFailure {
            fn from(error: $crate::tencent_live_webhook::EnvelopeError) -> WebhookFailure {
                WebhookFailure::new(500, error)
            }
        }

        #[cfg(feature = "spool")]
        impl From<::tencent_live_webhook_spool::AppendError> for WebhookFailure {
            fn from(error: ::tencent_live_webhook_spool::AppendError) -> WebhookFailure {
                WebhookFailure::new(error.status(), error)
            }
        }
    };
}

/// The methods both extracted types have: when the body was in, and the value as a
/// [`Notification`](tencent_live_webhook::Notification) made by the constructor `$make`
/// from the fields `$part`, then the arrival time.
#[doc(hidden)]
#[macro_export]
macro_rules! notification_methods {
    ($what:literal, $make:ident, $($part:ident),+) => {
        /// When its body was in, Unix milliseconds, by the configuration's clock.
        pub fn received_at_ms(&self) -> u64 {
            self.received_at_ms
        }

        #[doc = concat!(
            "The ", $what, ", as a [`Notification`]",
            "($crate::tencent_live_webhook::Notification); the body is kept without a copy."
        )]
        pub fn into_notification(
            self,
        ) -> ::std::result::Result<
            $crate::tencent_live_webhook::Notification,
            $crate::tencent_live_webhook::EnvelopeError,
        > {
            $crate::tencent_live_webhook::Notification::$make(
                $(self.$part,)+
                self.received_at_ms,
            )
        }
    };
}
