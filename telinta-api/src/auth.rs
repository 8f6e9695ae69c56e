//! Sessions: `Session/login` opens one and its id goes into every later `auth_info` header;
//! `ping` checks it; `logout` ends it.

use secrecy::SecretString;

use crate::client::{Client, Config, Credentials};
use crate::encoding::DecodeError;
use crate::error::{Error, Operation};
use crate::session::{LoginRequest, LogoutRequest, PingRequest};

/// A logged-in client. Service clients come from [`Session::client`]
/// (`session.client().didapi()`).
#[derive(Debug, Clone)]
pub struct Session {
    client: Client,
}

fn missing(operation: &'static str, url: &reqwest::Url, member: &str) -> Error {
    Error::Decode {
        operation: Operation {
            service: "Session",
            name: operation,
        },
        url: url.to_string(),
        source: DecodeError::missing(member),
    }
}

/// `Session/login`: the new session's id.
pub(crate) async fn login_id(client: &Client, credentials: &Credentials) -> Result<String, Error> {
    let (password, token) = credentials.expose();
    let request = LoginRequest {
        login: Some(credentials.login().to_string()),
        password: password.map(str::to_string),
        token: token.map(str::to_string),
    };
    let response = client.session().login(&request).await?;
    response
        .session_id
        .filter(|id| !id.is_empty())
        .ok_or_else(|| missing("login", client.config().endpoint(), "session_id"))
}

impl Session {
    /// Calls `Session/login` with a password or an API token and keeps the session id.
    ///
    /// # Errors
    ///
    /// Wrong credentials give [`Error::Fault`] with the server's fault code and string.
    pub async fn login(config: Config, credentials: &Credentials) -> Result<Session, Error> {
        let client = Client::new(config)?;
        let session_id = login_id(&client, credentials).await?;
        client.set_session_id(session_id);
        client.remember_for_relogin(credentials);
        Ok(Session { client })
    }

    /// A session opened earlier (its id stored by the caller), without calling the server.
    pub fn resume(config: Config, session_id: impl Into<String>) -> Result<Session, Error> {
        let client = Client::new(config.with_session_id(session_id))?;
        Ok(Session { client })
    }

    /// The client that sends this session's id.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The session id, to store and [`resume`](Session::resume) later.
    pub fn id(&self) -> Option<SecretString> {
        self.client.session_id()
    }

    fn id_string(&self) -> Option<String> {
        use secrecy::ExposeSecret;
        self.client
            .session_id()
            .map(|s| s.expose_secret().to_string())
    }

    /// `Session/ping`: the id of the user logged in to this session.
    ///
    /// # Errors
    ///
    /// An expired or logged-out session gives [`Error::Fault`].
    pub async fn ping(&self) -> Result<i64, Error> {
        let response = self
            .client
            .session()
            .ping(&PingRequest {
                session_id: self.id_string(),
            })
            .await?;
        response
            .user_id
            .ok_or_else(|| missing("ping", self.client.config().endpoint(), "user_id"))
    }

    /// `Session/logout`: ends the session on the server; the client then sends no `auth_info`
    /// (and no longer logs in again by itself).
    pub async fn logout(&self) -> Result<(), Error> {
        self.client
            .session()
            .logout(&LogoutRequest {
                session_id: self.id_string(),
            })
            .await?;
        self.client.clear_auth();
        self.client.forget_relogin();
        Ok(())
    }
}
