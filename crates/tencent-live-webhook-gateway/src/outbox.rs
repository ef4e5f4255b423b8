//! Where the spool's worker hands what it stored: the app over HTTP, or a broker; and the
//! broker connection, on a runtime of its own that lives as long as the gateway.

use tencent_live_webhook_publish::{BrokerUrl, PublishConfig, Publisher};
use tencent_live_webhook_spool::{Attempt, Destination, HttpDestination, Outcome};

use crate::error::GatewayError;
use crate::options::PublishOptions;

/// The spool's destination.
pub(crate) enum SpoolTarget {
    /// `--forward-to`.
    Http(HttpDestination),
    /// `--publish`: the spool is the broker's outbox.
    Broker(Publisher),
}

impl Destination for SpoolTarget {
    async fn deliver(&self, attempt: Attempt) -> Outcome {
        match self {
            SpoolTarget::Http(http) => http.deliver(attempt).await,
            SpoolTarget::Broker(publisher) => publisher.deliver(attempt).await,
        }
    }

    fn describe(&self) -> String {
        match self {
            SpoolTarget::Http(http) => http.describe(),
            SpoolTarget::Broker(publisher) => publisher.describe(),
        }
    }
}

/// A connected publisher and the runtime its connection lives on (its tasks run there,
/// whichever framework's runtime publishes through it).
pub(crate) struct Broker {
    pub(crate) runtime: tokio::runtime::Runtime,
    pub(crate) publisher: Publisher,
}

impl Broker {
    /// Connects to the broker of `--publish`; a refused password or an unreachable broker
    /// stops the start with a message that names the broker without its password.
    pub(crate) fn connect(
        options: &PublishOptions,
        dedup_window: std::time::Duration,
    ) -> Result<Option<Broker>, GatewayError> {
        let Some(text) = &options.publish else {
            return Ok(None);
        };
        let url: BrokerUrl = text
            .as_str()
            .parse()
            .map_err(|error| GatewayError::Usage(format!("--publish: {error}")))?;
        let config = PublishConfig::default()
            .topic(options.topic.clone())
            .nats_stream(options.nats_stream.clone())
            .dedup_window(dedup_window)
            .timeout(options.publish_timeout);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("gateway-broker")
            .enable_all()
            .build()
            .map_err(|error| {
                GatewayError::Io(format!("cannot start the broker client: {error}"))
            })?;
        let publisher = runtime
            .block_on(Publisher::connect(&url, &config))
            .map_err(|error| GatewayError::Io(error.to_string()))?;
        Ok(Some(Broker { runtime, publisher }))
    }
}
