//! Credentials never show: not in `Debug`, not in error messages, not in `tracing` output.
//! The only test of this binary: tracing caches per call site whether anyone listens, so a test
//! running beside it without the capturing subscriber would silence its events.

use std::io::Write;
use std::sync::{Arc, Mutex};

use telinta_api::didapi::GetDidapiCountriesListRequest;
use telinta_api::{Credentials, ExposeSecret, Realm, Session};
use telinta_e2e::{SoapLiteServer, LOGIN, PASSWORD, TOKEN};

/// Collects everything the tracing subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn no_secret_in_logs_errors_or_debug_output() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = SoapLiteServer::start();
    let mut shown = Vec::new();
    let mut session_ids = Vec::new();

    // Wrong password, then the right one, then a token.
    let err = Session::login(
        server.config(Realm::Admin),
        &Credentials::password(LOGIN, "Wr0ng-Pa55"),
    )
    .await
    .unwrap_err();
    shown.push(format!("{err} {err:?}"));
    for credentials in [
        Credentials::password(LOGIN, PASSWORD),
        Credentials::token(LOGIN, TOKEN),
    ] {
        let config = server.config(Realm::Admin).with_relogin(true);
        shown.push(format!("{config:?} {credentials:?}"));
        let session = Session::login(config, &credentials).await.unwrap();
        session_ids.push(session.id().unwrap().expose_secret().to_string());
        shown.push(format!("{session:?} {:?}", session.client()));
        let did = session.client().didapi();
        let countries = did
            .get_countries(&GetDidapiCountriesListRequest {})
            .await
            .unwrap();
        shown.push(format!("{countries:?}"));
        session.logout().await.unwrap();
        let err = did
            .get_countries(&GetDidapiCountriesListRequest {})
            .await
            .unwrap_err();
        shown.push(format!("{err} {err:?}"));
        let err = session.ping().await.unwrap_err();
        shown.push(format!("{err} {err:?}"));
    }

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("SOAP call"),
        "the client logs its calls: {logs}"
    );
    let everything = format!("{logs}\n{}", shown.join("\n"));
    for secret in [PASSWORD, TOKEN, "Wr0ng-Pa55"]
        .iter()
        .map(|s| s.to_string())
        .chain(session_ids)
    {
        assert!(
            !everything.contains(&secret),
            "secret {secret:?} shows in:\n{everything}"
        );
    }
}
