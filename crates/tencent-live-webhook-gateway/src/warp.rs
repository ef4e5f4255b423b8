//! `serve --framework warp`.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use tencent_live_webhook_warp::{TrtcCallback, Webhook};
use warp::Filter;
use warp::http::{Method, StatusCode};

use crate::answer::Answer;
use crate::pipeline::{Accepted, State, sign_header};
use crate::serving::{Serving, Shutdown, serve_on_tokio};

/// Serves the filter through the shared hyper loop: path and method first, then the TRTC
/// or the Live extractor by path, then the pipeline.
pub(super) fn run(
    serving: Serving,
    ready: impl FnOnce(SocketAddr),
    shutdown: Shutdown,
) -> io::Result<()> {
    serve_on_tokio(serving, ready, shutdown, |config, state| {
        let gate_state = Arc::clone(&state);
        // Path and method first, with the same refusal and log line as the others.
        let gate = warp::path::full()
            .and(warp::method())
            .and_then(move |full: warp::path::FullPath, method: Method| {
                let refusal = gate_state.not_a_webhook(full.as_str(), method == Method::POST);
                async move {
                    match refusal {
                        None => Ok(()),
                        Some(reply) => Err(warp::reject::custom(NotAWebhook(reply))),
                    }
                }
            })
            .untuple_one();
        let counting = Arc::clone(&state);
        // The TRTC path goes to the TRTC extractor, any other to the Live one; the branch
        // not taken rejects with "not found", which warp ranks below the other's refusal.
        let trtc = on_trtc_path(Arc::clone(&state), true)
            .and(warp::header::headers_cloned())
            .and(tencent_live_webhook_warp::trtc_callback(config.clone()))
            .map(|headers: warp::http::HeaderMap, callback: TrtcCallback| {
                let sign = sign_header(headers.get("sign").map(warp::http::HeaderValue::as_bytes));
                Accepted::trtc(callback.into_parts(), sign)
            });
        let live = on_trtc_path(Arc::clone(&state), false)
            .and(tencent_live_webhook_warp::webhook(config))
            .map(|webhook: Webhook| Accepted::live(webhook.into_parts()));
        let routes = warp::any()
            .map(std::time::Instant::now)
            .and(gate)
            .and(trtc.or(live).unify())
            .then(move |started: std::time::Instant, accepted: Accepted| {
                let state = Arc::clone(&state);
                async move {
                    let answer = state.handle(accepted).await;
                    state.took(started);
                    json(answer)
                }
            })
            .recover(move |rejection| {
                let state = Arc::clone(&counting);
                async move {
                    let (response, ours) = recover(rejection).await;
                    // Path and method refusals were counted when they were made.
                    if !ours {
                        state.refused(response.status().as_u16());
                    }
                    Ok::<_, std::convert::Infallible>(response)
                }
            });
        // warp's own `serve` has no header deadline and no connection limit: serve its
        // filter through the shared hyper loop instead.
        warp::service(routes)
    })
}

/// Passes requests whose path is (or, with `trtc` false, is not) the TRTC path.
fn on_trtc_path(
    state: Arc<State>,
    trtc: bool,
) -> impl Filter<Extract = (), Error = warp::Rejection> + Clone {
    warp::path::full()
        .and_then(move |full: warp::path::FullPath| {
            let taken = state.is_trtc(full.as_str()) == trtc;
            async move {
                if taken {
                    Ok(())
                } else {
                    Err(warp::reject::not_found())
                }
            }
        })
        .untuple_one()
}

/// A request refused before the webhook filter: its answer.
#[derive(Debug)]
struct NotAWebhook(Answer);

impl warp::reject::Reject for NotAWebhook {}

fn json(answer: Answer) -> warp::reply::Response {
    let mut response = warp::http::Response::new(answer.body.into());
    *response.status_mut() =
        StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        warp::http::header::CONTENT_TYPE,
        warp::http::HeaderValue::from_static("application/json"),
    );
    response
}

/// The answer to a rejection, and whether it is a path or method refusal of ours.
async fn recover(rejection: warp::Rejection) -> (warp::reply::Response, bool) {
    if let Some(NotAWebhook(answer)) = rejection.find::<NotAWebhook>() {
        return (json(answer.clone()), true);
    }
    // The adapter's own refusals, logged by it; anything else warp found is a 400.
    let response = match tencent_live_webhook_warp::recover_all(rejection).await {
        Ok(response) => warp::Reply::into_response(response),
        Err(never) => match never {},
    };
    (response, false)
}
