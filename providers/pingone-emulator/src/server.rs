//! Serving the emulator over HTTP: in the foreground ([`serve`], [`serve_with_shutdown`]) or
//! in a background task ([`spawn`]) that stops on [`RunningEmulator::shutdown`] or on drop.

use std::fmt;
use std::future::Future;
use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::{Credentials, Emulator, Error};

/// Serves the emulator on `listener` until the process ends (or the server fails).
pub async fn serve(emulator: Emulator, listener: TcpListener) -> Result<(), Error> {
    serve_with_shutdown(emulator, listener, std::future::pending()).await
}

/// Serves the emulator on `listener` until `signal` completes, then finishes the requests in
/// flight and returns.
pub async fn serve_with_shutdown(
    emulator: Emulator,
    listener: TcpListener,
    signal: impl Future<Output = ()> + Send + 'static,
) -> Result<(), Error> {
    axum::serve(listener, emulator.router())
        .with_graceful_shutdown(signal)
        .await
        .map_err(Error::Serve)
}

/// Binds `addr` (e.g. `"127.0.0.1:0"`) and serves the emulator in a background tokio task.
pub async fn spawn(emulator: Emulator, addr: &str) -> Result<RunningEmulator, Error> {
    let bind_error = |source| Error::Bind {
        addr: addr.to_owned(),
        source,
    };
    let listener = TcpListener::bind(addr).await.map_err(bind_error)?;
    let local_addr = listener.local_addr().map_err(bind_error)?;
    let (stop, stopped) = oneshot::channel::<()>();
    let signal = async move {
        let _ = stopped.await;
    };
    let served = emulator.clone();
    let task = tokio::spawn(async move {
        if let Err(error) = serve_with_shutdown(served, listener, signal).await {
            tracing::error!(%error, "emulator server stopped");
        }
    });
    Ok(RunningEmulator {
        emulator,
        local_addr,
        stop: Some(stop),
        task: Some(task),
    })
}

/// An emulator serving in the background. Dropping it stops the server abruptly; prefer
/// [`RunningEmulator::shutdown`].
pub struct RunningEmulator {
    emulator: Emulator,
    local_addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningEmulator {
    /// The base URL, e.g. `http://127.0.0.1:4567`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.local_addr)
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Credentials of the seeded admin worker, with this server's URLs.
    pub fn credentials(&self) -> Credentials {
        self.emulator.credentials(&self.base_url())
    }

    /// The emulator being served.
    pub fn emulator(&self) -> &Emulator {
        &self.emulator
    }

    /// Stops accepting connections, finishes the requests in flight, and waits for the server.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

impl fmt::Debug for RunningEmulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunningEmulator")
            .field("local_addr", &self.local_addr)
            .finish_non_exhaustive()
    }
}
