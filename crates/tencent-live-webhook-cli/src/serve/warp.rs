//! `serve --framework warp`.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use tencent_live_webhook_warp::{Webhook, WebhookRejection, WebhookReply};
use warp::Filter;

use super::{Serving, Shutdown, bind, failure_status, tokio_runtime};

pub(super) fn run(
    serving: Serving,
    ready: impl FnOnce(SocketAddr),
    shutdown: Shutdown,
) -> io::Result<()> {
    tokio_runtime()?.block_on(async move {
        let stop = shutdown.listen()?;
        let listener = bind(serving.listen)?;
        let address = listener.local_addr()?;
        let state = Arc::new(serving.state);
        let path_state = Arc::clone(&state);
        let path = warp::path::full()
            .and_then(move |full: warp::path::FullPath| {
                let wanted = path_state.path_matches(full.as_str());
                async move {
                    if wanted {
                        Ok(())
                    } else {
                        Err(warp::reject::not_found())
                    }
                }
            })
            .untuple_one();
        let routes = path
            .and(tencent_live_webhook_warp::webhook(serving.config))
            .map(
                move |webhook: Webhook| match state.accept(webhook.into_inner()) {
                    Ok(reply) => warp::Reply::into_response(WebhookReply(reply)),
                    Err(failure) => {
                        let status = failure_status(&failure);
                        let mut response = warp::Reply::into_response(WebhookReply(failure));
                        *response.status_mut() = warp::http::StatusCode::from_u16(status)
                            .unwrap_or(warp::http::StatusCode::INTERNAL_SERVER_ERROR);
                        response
                    }
                },
            )
            .recover(recover);
        ready(address);
        // warp's own `serve` has no header deadline and no connection limit: serve its
        // filter through the shared hyper loop instead.
        let service = warp::service(routes);
        super::hyper::serve(
            listener,
            service,
            &serving.limits,
            serving.max_connections,
            stop,
        )
        .await
    })
}

async fn recover(
    rejection: warp::Rejection,
) -> Result<warp::http::Response<String>, std::convert::Infallible> {
    let ours = rejection.find::<WebhookRejection>().is_some();
    let response = tencent_live_webhook_warp::recover_all(rejection).await?;
    if !ours {
        // Webhook refusals were logged by the adapter; log the rest as the others do.
        tracing::warn!(
            status = response.status().as_u16(),
            "refused request that is not a webhook"
        );
    }
    Ok(response)
}
