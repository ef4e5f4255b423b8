//! `serve --framework axum`.

use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRequest, Request, State as Extract};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use tencent_live_webhook_axum::{TrtcCallback, Webhook, WebhookConfig};

use crate::answer::Answer;
use crate::pipeline::{Accepted, State, sign_header};

#[derive(Clone)]
struct Shared {
    config: WebhookConfig,
    state: Arc<State>,
}

/// The router: every request goes to one handler, which checks the path and method
/// itself so that every framework refuses alike.
pub(super) fn router(config: WebhookConfig, state: Arc<State>) -> Router {
    Router::new()
        .fallback(dispatch)
        .with_state(Shared { config, state })
}

async fn dispatch(Extract(shared): Extract<Shared>, request: Request) -> Response {
    let started = std::time::Instant::now();
    let is_post = request.method() == Method::POST;
    if let Some(refusal) = shared.state.not_a_webhook(request.uri().path(), is_post) {
        return json(refusal);
    }
    let accepted = if shared.state.is_trtc(request.uri().path()) {
        let sign = sign_header(
            request
                .headers()
                .get("sign")
                .map(axum::http::HeaderValue::as_bytes),
        );
        TrtcCallback::from_request(request, &shared.config)
            .await
            .map(|callback| Accepted::trtc(callback.into_parts(), sign))
            .map_err(IntoResponse::into_response)
    } else {
        Webhook::from_request(request, &shared.config)
            .await
            .map(|webhook| Accepted::live(webhook.into_parts()))
            .map_err(IntoResponse::into_response)
    };
    match accepted {
        Ok(accepted) => {
            let answer = shared.state.handle(accepted).await;
            shared.state.took(started);
            json(answer)
        }
        Err(response) => {
            shared.state.refused(response.status().as_u16());
            response
        }
    }
}

fn json(answer: Answer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        answer.body,
    )
        .into_response()
}
