//! One HTTP/1.1 connection: hyper serves it, the reaper (see `reaper`) tells
//! it when to finish or close, and its answers say `Connection: close` once
//! the server is closing.

use super::activity::{Activity, DROP, FINISH, Tracked};
use super::protocol_errors;
use super::shared::Shared;
use axum::Router;
use axum::http::{HeaderValue, Request, Response, header};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use pin_project_lite::pin_project;
use std::convert::Infallible;
use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use tokio::net::TcpStream;
use tokio::sync::OwnedSemaphorePermit;
use tower::Service;

/// Serves `stream` on a task of its own; the connection's slot is given back
/// when it closes.
pub fn spawn(stream: TcpStream, app: Router, shared: Arc<Shared>, slot: OwnedSemaphorePermit) {
    let peer = stream
        .peer_addr()
        .unwrap_or_else(|_| ([0, 0, 0, 0], 0).into());
    // Answers are small and written whole: do not wait to fill a packet.
    let _ = stream.set_nodelay(true);
    let activity = Arc::new(Activity::new(peer));
    tokio::spawn(async move {
        let id = shared.register(Arc::clone(&activity));
        let service = PerConnection {
            app,
            activity: Arc::clone(&activity),
            shared: Arc::clone(&shared),
        };
        let io = TokioIo::new(Tracked::new(stream, Arc::clone(&activity)));
        let connection = http1::Builder::new()
            .keep_alive(true)
            .serve_connection(io, service);
        drive(connection, &activity).await;
        shared.unregister(id);
        drop(slot);
    });
}

type Connection = http1::Connection<TokioIo<Tracked<TcpStream>>, PerConnection>;

/// Polls the connection to its end, following the reaper's commands (see
/// `reaper`): no timer of its own, so a request costs no timer bookkeeping.
async fn drive(connection: Connection, activity: &Activity) {
    let mut connection = pin!(connection);
    let mut registered = None;
    let mut finishing = false;
    let result = std::future::poll_fn(|cx| {
        match activity.poll_command(cx.waker(), &mut registered) {
            DROP => return Poll::Ready(Ok(())),
            FINISH if !finishing => {
                finishing = true;
                // Closes at once when idle; else after the answer being
                // written, with `Connection: close`.
                connection.as_mut().graceful_shutdown();
            }
            _ => {}
        }
        connection.as_mut().poll(cx)
    })
    .await;
    if let Err(error) = result {
        protocol_errors::report(&error, activity.peer);
    }
}

/// The router, as hyper calls it for one connection: notes each request's
/// start and end, and marks answers `Connection: close` once the server is
/// closing.
#[derive(Clone)]
struct PerConnection {
    app: Router,
    activity: Arc<Activity>,
    shared: Arc<Shared>,
}

impl hyper::service::Service<Request<Incoming>> for PerConnection {
    type Response = Response<axum::body::Body>;
    type Error = Infallible;
    type Future = Answer<<Router as Service<Request<Incoming>>>::Future>;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        self.activity.request_started(&request);
        Answer {
            inner: self.app.clone().call(request),
            activity: Arc::clone(&self.activity),
            shared: Arc::clone(&self.shared),
        }
    }
}

pin_project! {
    struct Answer<F> {
        #[pin]
        inner: F,
        activity: Arc<Activity>,
        shared: Arc<Shared>,
    }
}

impl<F, B> Future for Answer<F>
where
    F: Future<Output = Result<Response<B>, Infallible>>,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut result = ready!(this.inner.poll(cx));
        this.activity.request_finished();
        if this.shared.is_closing()
            && let Ok(response) = result.as_mut()
        {
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        Poll::Ready(result)
    }
}
