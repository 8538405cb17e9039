//! Connections of the preview that close when nothing moves on them: a
//! client that opens connections and sends nothing (or stops reading) would
//! otherwise hold each open for as long as the preview runs.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{Instant, Sleep};

/// How long a connection may stay without a byte read or written. The
/// event stream writes a keep-alive every 15 s, well within it.
const IDLE: Duration = Duration::from_secs(60);

/// The idle limit; tests shorten it with `AYNI_IDLE_TIMEOUT_MS`.
fn idle_limit() -> Duration {
    std::env::var("AYNI_IDLE_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map(Duration::from_millis)
        .unwrap_or(IDLE)
}

/// A listener whose connections end after [`IDLE`] without traffic.
pub struct IdleListener {
    inner: TcpListener,
    limit: Duration,
}

impl IdleListener {
    pub fn new(inner: TcpListener) -> IdleListener {
        IdleListener {
            inner,
            limit: idle_limit(),
        }
    }
}

impl axum::serve::Listener for IdleListener {
    type Io = IdleStream;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (stream, addr) = axum::serve::Listener::accept(&mut self.inner).await;
        let limit = self.limit;
        let timer = Box::pin(tokio::time::sleep(limit));
        (
            IdleStream {
                stream,
                limit,
                timer,
            },
            addr,
        )
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

/// A connection that reports its end once it has been idle too long.
pub struct IdleStream {
    stream: TcpStream,
    limit: Duration,
    timer: Pin<Box<Sleep>>,
}

impl IdleStream {
    /// What a read or write that `polled` the stream reports: bytes moved
    /// restart the idle timer, and waiting past it ends the connection.
    fn watch<T>(
        &mut self,
        cx: &mut Context<'_>,
        polled: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        match polled {
            Poll::Pending if self.timer.as_mut().poll(cx).is_ready() => {
                Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "idle")))
            }
            Poll::Pending => Poll::Pending,
            ready => {
                self.timer.as_mut().reset(Instant::now() + self.limit);
                ready
            }
        }
    }
}

impl AsyncRead for IdleStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        self.watch(cx, polled)
    }
}

impl AsyncWrite for IdleStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write(cx, buf);
        self.watch(cx, polled)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
