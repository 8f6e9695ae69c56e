//! Faults and authentication against the SOAP::Lite server: typed faults carrying the server's
//! code and string, never a panic, never a credential in an error.

use telinta_api::didapi::{GetDidapiCountriesListRequest, GetDidapiStatesListRequest};
use telinta_api::{Client, Credentials, Error, ExposeSecret, Realm, Session};
use telinta_e2e::{SoapLiteServer, LOGIN, PASSWORD, TOKEN, USER_ID};

#[tokio::test]
async fn wrong_password_is_a_typed_fault_without_the_password() {
    let server = SoapLiteServer::start();
    let wrong = "not-the-password-123";
    let err = Session::login(
        server.config(Realm::Admin),
        &Credentials::password(LOGIN, wrong),
    )
    .await
    .expect_err("wrong password");
    let Error::Fault {
        operation, fault, ..
    } = &err
    else {
        panic!("expected a fault, got {err:?}");
    };
    assert_eq!(operation.to_string(), "Session/login");
    assert_eq!(fault.code, "soap:Server.Session.auth_failed");
    assert_eq!(
        fault.string,
        "Authentication failed: invalid login or password"
    );
    assert!(fault.is_auth_failure());
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("Session/login"), "{shown}");
    assert!(!shown.contains(wrong), "the password leaks: {shown}");
}

#[tokio::test]
async fn login_with_an_api_token() {
    let server = SoapLiteServer::start();
    let session = Session::login(
        server.config(Realm::Admin),
        &Credentials::token(LOGIN, TOKEN),
    )
    .await
    .expect("token login");
    assert_eq!(session.ping().await.expect("ping"), USER_ID);
}

#[tokio::test]
async fn calls_after_logout_fail_with_the_session_fault() {
    let server = SoapLiteServer::start();
    let session = Session::login(server.config(Realm::Admin), &SoapLiteServer::credentials())
        .await
        .expect("login");
    let stored = session.id().expect("session id");
    session.logout().await.expect("logout");

    // The client forgot the id: the server gets no auth_info.
    let err = session
        .client()
        .didapi()
        .get_countries(&GetDidapiCountriesListRequest {})
        .await
        .expect_err("no auth_info after logout");
    let fault = err.fault().expect("fault");
    assert_eq!(fault.code, "soap:Server.Session.check_auth.auth_failed");
    assert_eq!(fault.string, "Authentification failed");

    // A process that kept the old id and resumes it is refused the same way.
    use telinta_api::ExposeSecret;
    let resumed = Session::resume(server.config(Realm::Admin), stored.expose_secret()).unwrap();
    let err = resumed
        .client()
        .didapi()
        .get_countries(&GetDidapiCountriesListRequest {})
        .await
        .expect_err("logged-out session id");
    assert_eq!(
        err.fault().unwrap().code_path(),
        "Server.Session.check_auth.auth_failed"
    );
    assert!(!err.to_string().contains(stored.expose_secret()), "{err}");
    let err = resumed
        .ping()
        .await
        .expect_err("ping of a logged-out session");
    assert_eq!(
        err.fault().unwrap().code_path(),
        "Server.Session.alive_check.session_expired"
    );
}

#[tokio::test]
async fn a_resumed_session_works_without_logging_in_again() {
    let server = SoapLiteServer::start();
    let first = Session::login(server.config(Realm::Admin), &SoapLiteServer::credentials())
        .await
        .expect("login");
    use telinta_api::ExposeSecret;
    let id = first.id().unwrap().expose_secret().to_string();
    let second = Session::resume(server.config(Realm::Reseller), id).unwrap();
    let countries = second
        .client()
        .didapi()
        .get_countries(&GetDidapiCountriesListRequest {})
        .await
        .expect("get_countries with a resumed session");
    assert_eq!(
        countries.countries.len(),
        telinta_e2e::DidData::load().countries.len()
    );
}

#[tokio::test]
async fn login_and_password_in_auth_info_without_a_session() {
    let server = SoapLiteServer::start();
    let client = Client::new(server.config(Realm::Admin)).unwrap();
    client.set_credentials(Credentials::password(LOGIN, PASSWORD));
    let countries = client
        .didapi()
        .get_countries(&GetDidapiCountriesListRequest {})
        .await
        .expect("header credentials");
    assert_eq!(countries.countries[0].value.as_deref(), Some("US"));
    client.set_credentials(Credentials::password(LOGIN, "wrong"));
    let err = client
        .didapi()
        .get_countries(&GetDidapiCountriesListRequest {})
        .await
        .expect_err("wrong header password");
    assert!(err.fault().unwrap().is_auth_failure());
}

#[tokio::test]
async fn an_application_fault_is_not_an_auth_failure() {
    let server = SoapLiteServer::start();
    let session = Session::login(server.config(Realm::Admin), &SoapLiteServer::credentials())
        .await
        .expect("login");
    let err = session
        .client()
        .didapi()
        .get_states(&GetDidapiStatesListRequest {
            country: Some("XX".into()),
        })
        .await
        .expect_err("unknown country");
    let fault = err.fault().unwrap();
    assert_eq!(fault.code_path(), "Server.DIDAPI.get_states.not_found");
    assert_eq!(fault.string, "Unknown country 'XX'");
    assert!(!fault.is_auth_failure());
    assert_eq!(err.operation().unwrap().to_string(), "DIDAPI/get_states");
}

#[tokio::test]
async fn a_closed_port_is_a_transport_error_naming_the_url() {
    // Bind and drop a listener: the port is then (almost certainly) closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config =
        telinta_api::Config::new(&format!("http://127.0.0.1:{port}"), Realm::Admin).unwrap();
    let err = Session::login(config, &SoapLiteServer::credentials())
        .await
        .expect_err("nothing listens");
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.to_string().contains("Connection refused"), "{err}");
    assert!(
        err.to_string()
            .contains(&format!("http://127.0.0.1:{port}/soap/")),
        "{err}"
    );
    assert!(!err.to_string().contains(PASSWORD));
}

#[tokio::test]
async fn an_expired_session_is_renewed_once_when_relogin_is_enabled() {
    let server = SoapLiteServer::start();
    let credentials = SoapLiteServer::credentials();
    let session = Session::login(server.config(Realm::Admin).with_relogin(true), &credentials)
        .await
        .unwrap();
    let first = session.id().unwrap().expose_secret().to_string();
    // Another process logs the same session out (the server forgets it).
    Session::resume(server.config(Realm::Admin), first.clone())
        .unwrap()
        .logout()
        .await
        .unwrap();

    let countries = session
        .client()
        .didapi()
        .get_countries(&GetDidapiCountriesListRequest {})
        .await
        .expect("re-login and retry");
    assert!(!countries.countries.is_empty());
    let second = session.id().unwrap().expose_secret().to_string();
    assert_ne!(first, second, "a new session was opened");

    // Without relogin the same situation is the fault.
    let plain = Session::login(server.config(Realm::Admin), &credentials)
        .await
        .unwrap();
    let id = plain.id().unwrap().expose_secret().to_string();
    Session::resume(server.config(Realm::Admin), id)
        .unwrap()
        .logout()
        .await
        .unwrap();
    let err = plain
        .client()
        .didapi()
        .get_countries(&GetDidapiCountriesListRequest {})
        .await
        .unwrap_err();
    assert!(err.fault().unwrap().is_auth_failure());
}
