//! `Expect: 100-continue`, answered only for requests that pass verification.

use std::future::{Ready, ready};
use std::sync::Arc;

use actix_http::body::BoxBody;
use actix_http::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderValue, TRANSFER_ENCODING};
use actix_http::{HttpMessage, Method, Request, Response, StatusCode};
use actix_service::{Service, ServiceFactory};

use crate::{Framing, WebhookConfig, WebhookRejection};

/// The expect handler of an `actix_http::HttpService`: a request that carries
/// `Expect: 100-continue` gets `100 Continue` only once its query verifies; a forged,
/// stale or oversized one is refused at once, before its sender transmits the body.
///
/// actix-web's `HttpServer` answers `100 Continue` to every request before any handler
/// runs, and takes no expect handler; serve with `actix_server` and
/// `HttpService::build().expect(..)` to use this one. Requests to other paths (when
/// [`ExpectContinue::path`] is set) and other methods are let through as usual.
///
/// ```
/// use actix_http::HttpService;
/// use actix_service::map_config;
/// use actix_web::dev::AppConfig;
/// use actix_web::{App, web};
/// use tencent_live_webhook_actix::tencent_live_webhook::{Token, Verifier};
/// use tencent_live_webhook_actix::{ExpectContinue, WebhookConfig};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let config = WebhookConfig::new(Verifier::new().app(1_400_000_000, [Token::new("secret")?]));
/// let expect = ExpectContinue::new(config.clone()).path("/live");
/// let server = actix_server::Server::build().bind("webhooks", ("127.0.0.1", 0), move || {
///     let app = App::new().app_data(config.clone()); // .route("/live", ...)
///     HttpService::build()
///         .expect(expect.clone())
///         .finish(map_config(app, |()| AppConfig::default()))
///         .tcp()
/// })?;
/// # drop(server);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct ExpectContinue {
    config: WebhookConfig,
    path: Option<Arc<str>>,
}

impl ExpectContinue {
    /// Verifies every `POST` that expects `100 Continue`.
    pub fn new(config: WebhookConfig) -> ExpectContinue {
        ExpectContinue { config, path: None }
    }

    /// Verifies only requests to this path (the webhook route); others continue as usual.
    #[must_use]
    pub fn path(mut self, path: impl Into<String>) -> ExpectContinue {
        self.path = Some(Arc::from(path.into()));
        self
    }
}

impl ServiceFactory<Request> for ExpectContinue {
    type Response = Request;
    type Error = WebhookRejection;
    type Config = ();
    type Service = ExpectContinueService;
    type InitError = ();
    type Future = Ready<Result<ExpectContinueService, ()>>;

    fn new_service(&self, (): ()) -> Self::Future {
        ready(Ok(ExpectContinueService(self.clone())))
    }
}

/// The service made by [`ExpectContinue`].
#[derive(Debug, Clone)]
pub struct ExpectContinueService(ExpectContinue);

impl Service<Request> for ExpectContinueService {
    type Response = Request;
    type Error = WebhookRejection;
    type Future = Ready<Result<Request, WebhookRejection>>;

    actix_service::always_ready!();

    fn call(&self, request: Request) -> Self::Future {
        let ExpectContinue { config, path } = &self.0;
        let ours = request.method() == Method::POST
            && path
                .as_deref()
                .is_none_or(|wanted| wanted == request.path());
        if !ours {
            return ready(Ok(request));
        }
        let headers = request.headers();
        let started = config.start_from(
            request.uri().query().unwrap_or_default(),
            Framing::new(
                headers.get(CONTENT_LENGTH).map(HeaderValue::as_bytes),
                headers.contains_key(TRANSFER_ENCODING),
            ),
            tencent_live_webhook_adapter::Source {
                peer: request.peer_addr().map(|peer| peer.ip()),
                forwarded_for: headers.get("x-forwarded-for").map(HeaderValue::as_bytes),
            },
        );
        // The handler verifies again when the body arrives; only the refusal matters here.
        ready(match started {
            Ok(_) => Ok(request),
            Err(intercepted) => Err(WebhookRejection(intercepted)),
        })
    }
}

impl From<WebhookRejection> for Response<BoxBody> {
    /// The refusal sent instead of `100 Continue`; the connection is closed, since the
    /// body the client may still send is not wanted.
    fn from(rejection: WebhookRejection) -> Response<BoxBody> {
        let status =
            StatusCode::from_u16(rejection.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Response::build(status)
            .insert_header((CONTENT_TYPE, tencent_live_webhook_adapter::JSON))
            .force_close()
            .body(rejection.body())
            .map_into_boxed_body()
    }
}
