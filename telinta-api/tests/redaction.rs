//! Credentials never show in `Debug` output: passwords, API tokens and session ids.

use telinta_api::common::AuthInfoStructure;
use telinta_api::session::{LoginRequest, LoginResponse, LogoutRequest, PingRequest};
use telinta_api::{Client, Config, Credentials, Realm, Session};

const PASSWORD: &str = "pa55-WORD-secret";
const TOKEN: &str = "tok-0f1e2d3c";
const SESSION: &str = "5e55101d5e55101d";

fn assert_redacted(debug: String) {
    for secret in [PASSWORD, TOKEN, SESSION] {
        assert!(
            !debug.contains(secret),
            "secret {secret:?} shows in {debug}"
        );
    }
}

#[test]
fn generated_structures_redact_secrets() {
    let login = LoginRequest {
        login: Some("api-user".into()),
        password: Some(PASSWORD.into()),
        token: Some(TOKEN.into()),
    };
    let debug = format!("{login:?}");
    assert_redacted(debug.clone());
    assert!(
        debug.contains("api-user"),
        "non-secret members still show: {debug}"
    );
    assert!(debug.contains("password: <redacted>"), "{debug}");
    assert_redacted(format!(
        "{:?}",
        LoginResponse {
            session_id: Some(SESSION.into())
        }
    ));
    assert_redacted(format!(
        "{:?}",
        PingRequest {
            session_id: Some(SESSION.into())
        }
    ));
    assert_redacted(format!(
        "{:?}",
        LogoutRequest {
            session_id: Some(SESSION.into())
        }
    ));
    let auth = AuthInfoStructure {
        session_id: Some(SESSION.into()),
        login: Some("api-user".into()),
        password: Some(PASSWORD.into()),
        token: Some(TOKEN.into()),
    };
    assert_redacted(format!("{auth:?}"));
    assert_redacted(format!("{auth:#?}"));
    // An unset secret says so.
    let none = format!("{:?}", LoginRequest::default());
    assert!(none.contains("password: None"), "{none}");
}

#[test]
fn runtime_types_redact_secrets() {
    assert_redacted(format!("{:?}", Credentials::password("api-user", PASSWORD)));
    assert_redacted(format!("{:?}", Credentials::token("api-user", TOKEN)));
    let config = Config::telinta(Realm::Admin).with_session_id(SESSION);
    assert_redacted(format!("{config:?}"));
    let client = Client::new(config.clone()).unwrap();
    assert_redacted(format!("{client:?}"));
    client.set_credentials(Credentials::password("api-user", PASSWORD));
    assert_redacted(format!("{client:?}"));
    let session = Session::resume(config, SESSION).unwrap();
    assert_redacted(format!("{session:?}"));
}

#[test]
fn endpoints_follow_the_realm() {
    assert_eq!(
        Config::telinta(Realm::Admin).endpoint().as_str(),
        "https://mybilling.telinta.com/soap/"
    );
    assert_eq!(
        Config::telinta(Realm::Reseller).endpoint().as_str(),
        "https://mybilling.telinta.com:8444/soap/"
    );
    let c = Config::new("http://127.0.0.1:8080", Realm::Reseller).unwrap();
    assert_eq!(c.endpoint().as_str(), "http://127.0.0.1:8080/soap/");
    let c = Config::new("https://billing.example.com/custom/path", Realm::Admin).unwrap();
    assert_eq!(
        c.endpoint().as_str(),
        "https://billing.example.com/custom/path"
    );
    // A port equal to the scheme's default is still an explicit port.
    let c = Config::new("https://billing.example.com:443", Realm::Reseller).unwrap();
    assert_eq!(c.endpoint().as_str(), "https://billing.example.com/soap/");
    assert_eq!(c.endpoint().port_or_known_default(), Some(443));
    let c = Config::new("http://billing.example.com:80/", Realm::Admin).unwrap();
    assert_eq!(c.endpoint().port_or_known_default(), Some(80));
    let c = Config::new("https://[::1]", Realm::Reseller).unwrap();
    assert_eq!(c.endpoint().as_str(), "https://[::1]:8444/soap/");
    let c = Config::new("https://[::1]:9000", Realm::Reseller).unwrap();
    assert_eq!(c.endpoint().as_str(), "https://[::1]:9000/soap/");
    let err = Config::new(
        "https://admin:pa55-WORD-secret@billing.example.com",
        Realm::Admin,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("must not contain a user name or password"),
        "{err}"
    );
    assert_redacted(err.to_string());
    let err = Config::new("ftp://x", Realm::Admin).unwrap_err();
    assert!(err.to_string().contains("must be http(s)://host"), "{err}");
    assert!(Config::new("not a url", Realm::Admin).is_err());
}
