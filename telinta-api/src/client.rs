//! The client: configuration (endpoint, realm, timeouts, TLS), the auth state that becomes the
//! `auth_info` header, and one SOAP call over HTTP.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};

use crate::encoding::{DecodeError, Strategy, Writer};
use crate::envelope::{self, AuthHeader, Outcome, ReadError, Response};
use crate::error::{Error, Operation, TransportKind};

/// Telinta's PortaBilling host.
pub const TELINTA_HOST: &str = "mybilling.telinta.com";

/// The access realm: which interface the API user belongs to. The realms serve the same
/// methods on different ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Realm {
    /// Administrator interface, HTTPS port 443.
    Admin,
    /// Reseller interface, HTTPS port 8444.
    Reseller,
}

impl Realm {
    /// The port PortaBilling serves this realm's SOAP interface on at Telinta.
    pub fn default_port(self) -> u16 {
        match self {
            Realm::Admin => 443,
            Realm::Reseller => 8444,
        }
    }
}

/// How to reach the server and how to call it.
#[derive(Clone)]
pub struct Config {
    endpoint: Url,
    realm: Realm,
    timeout: Duration,
    connect_timeout: Duration,
    session_id: Option<SecretString>,
    accept_invalid_certs: bool,
    root_certificates: Vec<reqwest::Certificate>,
    max_response_bytes: usize,
    relogin: bool,
    read_retries: u32,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("endpoint", &self.endpoint.as_str())
            .field("realm", &self.realm)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field(
                "session_id",
                &self.session_id.as_ref().map(|_| "<redacted>"),
            )
            .field("accept_invalid_certs", &self.accept_invalid_certs)
            .field("root_certificates", &self.root_certificates.len())
            .field("max_response_bytes", &self.max_response_bytes)
            .field("relogin", &self.relogin)
            .field("read_retries", &self.read_retries)
            .finish()
    }
}

impl Config {
    /// Telinta's server (`https://mybilling.telinta.com:<realm port>/soap/`).
    pub fn telinta(realm: Realm) -> Config {
        Config::new(&format!("https://{TELINTA_HOST}"), realm)
            .expect("the built-in Telinta URL is valid")
    }

    /// A PortaBilling server at `base_url` (`https://host`, `https://host:port` or a full
    /// endpoint URL ending in a path). Without an explicit port the realm's port is used; with
    /// no path, `/soap/`.
    pub fn new(base_url: &str, realm: Realm) -> Result<Config, Error> {
        let mut url = Url::parse(base_url).map_err(|e| Error::Config(format!("base URL: {e}")))?;
        // Credentials belong in `Credentials`, where they are redacted; a URL is shown in
        // errors and logs. (The message does not quote the URL, for the same reason.)
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::Config(
                "the base URL must not contain a user name or password: use Credentials".into(),
            ));
        }
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(Error::Config(format!(
                "base URL `{url}` must be http(s)://host"
            )));
        }
        // `url` forgets a port equal to the scheme's default (`https://host:443`), so look at
        // what was written.
        if !has_explicit_port(base_url) {
            url.set_port(Some(realm.default_port()))
                .map_err(|()| Error::Config(format!("base URL `{base_url}` cannot take a port")))?;
        }
        if url.path() == "/" || url.path().is_empty() {
            url.set_path("/soap/");
        }
        Ok(Config {
            endpoint: url,
            realm,
            timeout: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(30),
            session_id: None,
            accept_invalid_certs: false,
            root_certificates: Vec::new(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            relogin: false,
            read_retries: 0,
        })
    }

    /// Also trust these CA certificates (PEM, one or more), for servers with a private CA (older PortaBilling
    /// installations). The built-in roots stay trusted.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when `pem` holds no certificate.
    pub fn with_root_certificate_pem(mut self, pem: &[u8]) -> Result<Self, Error> {
        let certs = reqwest::Certificate::from_pem_bundle(pem)
            .map_err(|e| Error::Config(format!("root certificate: {e}")))?;
        if certs.is_empty() {
            return Err(Error::Config(
                "root certificate: no PEM certificate found".into(),
            ));
        }
        self.root_certificates.extend(certs);
        Ok(self)
    }

    /// Largest response body accepted (default 64 MiB); a larger one is refused with
    /// [`Error::TooLarge`] without being read whole.
    pub fn with_max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// When a call fails because the session expired (a fault [`Fault::is_auth_failure`]),
    /// log in again with the credentials [`Session::login`](crate::Session::login) was given and
    /// retry the call once. Off by default.
    ///
    /// [`Fault::is_auth_failure`]: crate::Fault::is_auth_failure
    pub fn with_relogin(mut self, relogin: bool) -> Self {
        self.relogin = relogin;
        self
    }

    /// Retry read operations (`get_*`) up to `retries` times after a connection failure, a
    /// timeout or an HTTP 502/503/504, waiting 200 ms, 400 ms, ... between tries. Nothing else
    /// is retried: a write might have happened. Off (0) by default.
    pub fn with_read_retries(mut self, retries: u32) -> Self {
        self.read_retries = retries;
        self
    }

    /// Total time allowed for one call (default 120 s).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed to connect (default 30 s).
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// A session id obtained earlier (PortaBilling sessions outlive processes), sent in
    /// `auth_info` until replaced by a login.
    pub fn with_session_id(mut self, session_id: impl Into<String>) -> Self {
        self.session_id = Some(SecretString::from(session_id.into()));
        self
    }

    /// **Dangerous**: accept any TLS certificate, including forged ones. Only for test servers
    /// with self-signed certificates; anyone on the path can then read the credentials.
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.accept_invalid_certs = accept;
        self
    }

    /// The URL requests are posted to.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// The realm the endpoint was chosen for.
    pub fn realm(&self) -> Realm {
        self.realm
    }
}

/// A body that is not a SOAP message: say what it looks like (an HTML page from a proxy or a
/// login portal is the usual case) rather than only why XML parsing stopped.
fn not_soap(text: &str, parse_error: DecodeError) -> DecodeError {
    let start = text
        .trim_start()
        .get(..15)
        .unwrap_or(text.trim_start())
        .to_ascii_lowercase();
    if start.starts_with("<!doctype html") || start.starts_with("<html") {
        let head: String = text.trim_start().chars().take(80).collect();
        DecodeError::shape(format!(
            "an HTML page, not a SOAP message (starts with {head:?})"
        ))
    } else {
        parse_error
    }
}

/// Does `url` (already known to parse) write a port in its authority?
fn has_explicit_port(url: &str) -> bool {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = after_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    // After an IPv6 literal's `]`, or anywhere in a name or IPv4 address.
    let tail = host_port.rsplit_once(']').map_or(host_port, |(_, t)| t);
    tail.rsplit_once(':')
        .is_some_and(|(_, port)| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()))
}

/// Login credentials: a login with either its password or its API token.
#[derive(Clone)]
pub struct Credentials {
    login: String,
    secret: Secret,
}

#[derive(Clone)]
enum Secret {
    Password(SecretString),
    Token(SecretString),
}

impl Credentials {
    /// A login and its password.
    pub fn password(login: impl Into<String>, password: impl Into<String>) -> Self {
        Credentials {
            login: login.into(),
            secret: Secret::Password(SecretString::from(password.into())),
        }
    }

    /// A login and its API token (PortaBilling MR50 and later).
    pub fn token(login: impl Into<String>, token: impl Into<String>) -> Self {
        Credentials {
            login: login.into(),
            secret: Secret::Token(SecretString::from(token.into())),
        }
    }

    /// The login (not secret).
    pub fn login(&self) -> &str {
        &self.login
    }

    /// (password, token): exactly one is set.
    pub(crate) fn expose(&self) -> (Option<&str>, Option<&str>) {
        match &self.secret {
            Secret::Password(p) => (Some(p.expose_secret()), None),
            Secret::Token(t) => (None, Some(t.expose_secret())),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.secret {
            Secret::Password(_) => "password",
            Secret::Token(_) => "token",
        };
        f.debug_struct("Credentials")
            .field("login", &self.login)
            .field(kind, &"<redacted>")
            .finish()
    }
}

/// What `auth_info` carries.
#[derive(Clone, Default)]
enum Auth {
    #[default]
    None,
    Session(SecretString),
    /// Login and password/token in every header, without a session.
    Credentials(Credentials),
}

/// The `auth_info` header an operation takes (generated code fills it in).
#[derive(Debug)]
pub struct HeaderSpec {
    pub name: &'static str,
    pub namespace: &'static str,
    pub xsi_type: &'static str,
}

/// What generated code tells [`Client::call`] about an operation.
#[derive(Debug)]
pub struct OperationSpec {
    pub service: &'static str,
    pub namespace: &'static str,
    pub name: &'static str,
    pub soap_action: &'static str,
    pub header: Option<HeaderSpec>,
}

/// An async client of one PortaBilling server. Cheap to clone: clones share the connection
/// pool and the session. Service clients come from its methods (`client.didapi()`,
/// `client.session()`).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    config: Config,
    auth: RwLock<Auth>,
    /// Credentials to log in again with, when [`Config::with_relogin`] is on.
    relogin: RwLock<Option<Credentials>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let auth = match &*self.read_auth() {
            Auth::None => "none",
            Auth::Session(_) => "session <redacted>",
            Auth::Credentials(_) => "credentials <redacted>",
        };
        f.debug_struct("Client")
            .field("endpoint", &self.inner.config.endpoint.as_str())
            .field("realm", &self.inner.config.realm)
            .field("auth", &auth)
            .finish()
    }
}

const MAX_ERROR_BODY: usize = 200;
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(4);
/// Parsed once, not per call.
const SOAP_ACTION: reqwest::header::HeaderName =
    reqwest::header::HeaderName::from_static("soapaction");
const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

impl Client {
    /// A client for `config`'s endpoint, with the session id of `config` if it has one.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the HTTP client cannot be built (TLS backend).
    pub fn new(config: Config) -> Result<Client, Error> {
        let mut builder = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .danger_accept_invalid_certs(config.accept_invalid_certs)
            .tcp_nodelay(true)
            // Keep-alive, shared by every service client; an idle connection is dropped before
            // Apache's default KeepAliveTimeout (5 s) would close it under a POST (which is not
            // retried).
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            // A SOAP endpoint does not redirect; following one could send credentials elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("telinta-api/", env!("CARGO_PKG_VERSION")));
        for cert in &config.root_certificates {
            builder = builder.add_root_certificate(cert.clone());
        }
        let http = builder
            .build()
            .map_err(|e| Error::Config(format!("HTTP client: {e}")))?;
        let auth = match &config.session_id {
            Some(id) => Auth::Session(id.clone()),
            None => Auth::None,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                config,
                auth: RwLock::new(auth),
                relogin: RwLock::new(None),
            }),
        })
    }

    /// The configuration the client was built with.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    fn read_auth(&self) -> std::sync::RwLockReadGuard<'_, Auth> {
        // A panic while holding the lock cannot leave `Auth` half-written: use it anyway.
        self.inner.auth.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write_auth(&self, auth: Auth) {
        *self.inner.auth.write().unwrap_or_else(|e| e.into_inner()) = auth;
    }

    /// Sends `session_id` in `auth_info` from now on.
    pub fn set_session_id(&self, session_id: impl Into<String>) {
        self.write_auth(Auth::Session(SecretString::from(session_id.into())));
    }

    /// Sends login and password (or token) in every `auth_info`, without opening a session.
    pub fn set_credentials(&self, credentials: Credentials) {
        self.write_auth(Auth::Credentials(credentials));
    }

    /// Sends no `auth_info` at all.
    pub fn clear_auth(&self) {
        self.write_auth(Auth::None);
    }

    /// The current session id, to store and resume later with [`Config::with_session_id`].
    pub fn session_id(&self) -> Option<SecretString> {
        match &*self.read_auth() {
            Auth::Session(id) => Some(id.clone()),
            _ => None,
        }
    }

    fn body(&self, op: &OperationSpec, encode: impl FnOnce(&mut Writer)) -> Vec<u8> {
        let auth = self.read_auth();
        let header = op.header.as_ref().and_then(|spec| {
            let members = match &*auth {
                Auth::None => return None,
                Auth::Session(id) => vec![("session_id", id.expose_secret())],
                Auth::Credentials(c) => {
                    let (password, token) = c.expose();
                    let mut m = vec![("login", c.login())];
                    m.extend(password.map(|p| ("password", p)));
                    m.extend(token.map(|t| ("token", t)));
                    m
                }
            };
            Some(AuthHeader {
                name: spec.name,
                namespace: spec.namespace,
                xsi_type: spec.xsi_type,
                members,
            })
        });
        envelope::request(
            crate::generated::TYPE_NAMESPACES,
            op.namespace,
            op.name,
            header,
            encode,
        )
    }

    /// Keeps `credentials` to log in again when the session expires (with
    /// [`Config::with_relogin`]).
    pub(crate) fn remember_for_relogin(&self, credentials: &Credentials) {
        if self.inner.config.relogin {
            *self
                .inner
                .relogin
                .write()
                .unwrap_or_else(|e| e.into_inner()) = Some(credentials.clone());
        }
    }

    /// After an explicit logout, an auth failure must stay a failure.
    pub(crate) fn forget_relogin(&self) {
        *self
            .inner
            .relogin
            .write()
            .unwrap_or_else(|e| e.into_inner()) = None;
    }

    async fn relogin(&self) -> Result<bool, Error> {
        let credentials = self
            .inner
            .relogin
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let Some(credentials) = credentials else {
            return Ok(false);
        };
        tracing::info!(
            login = credentials.login(),
            "session expired: logging in again"
        );
        // Boxed: `call` -> `relogin` -> `login` -> `call` is a recursive async call.
        let id = Box::pin(crate::auth::login_id(self, &credentials)).await?;
        self.set_session_id(id);
        Ok(true)
    }

    /// One SOAP call: encode the parts, post, and decode the response parts (or the fault).
    /// Used by the generated service clients. Retries as configured ([`Config::with_relogin`],
    /// [`Config::with_read_retries`]).
    pub(crate) async fn call<R>(
        &self,
        op: &OperationSpec,
        encode: impl Fn(&mut Writer),
        decode: impl Fn(&mut Response<'_, '_>) -> Result<R, DecodeError>,
    ) -> Result<R, Error> {
        let config = &self.inner.config;
        let mut relogged = false;
        let mut retries = 0;
        loop {
            let result = self.call_once(op, &encode, &decode).await;
            let Err(err) = &result else {
                return result;
            };
            let auth_failed = err.fault().is_some_and(|f| f.is_auth_failure());
            if auth_failed && op.header.is_some() && config.relogin && !relogged {
                relogged = true;
                if self.relogin().await? {
                    continue;
                }
            }
            if retries < config.read_retries && op.name.starts_with("get_") && err.is_transient() {
                let wait = Duration::from_millis(200 << retries.min(6));
                retries += 1;
                tracing::warn!(operation = %err.operation().map(|o| o.to_string()).unwrap_or_default(), retry = retries, "transient failure: retrying");
                tokio::time::sleep(wait).await;
                continue;
            }
            return result;
        }
    }

    async fn call_once<R>(
        &self,
        op: &OperationSpec,
        encode: &impl Fn(&mut Writer),
        decode: &impl Fn(&mut Response<'_, '_>) -> Result<R, DecodeError>,
    ) -> Result<R, Error> {
        let operation = Operation {
            service: op.service,
            name: op.name,
        };
        let url = &self.inner.config.endpoint;
        let body = self.body(op, encode);
        let started = std::time::Instant::now();
        let (status, bytes) = self.post(operation, op, body).await?;
        tracing::debug!(
            operation = %operation,
            url = %url,
            status,
            bytes = bytes.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "SOAP call"
        );
        let http_error = |bytes: &[u8]| Error::Http {
            operation,
            url: url.to_string(),
            status,
            body_start: String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_ERROR_BODY)])
                .into_owned(),
        };
        if status != 200 && status != 500 {
            return Err(http_error(&bytes));
        }
        let decode_error = |source| Error::Decode {
            operation,
            url: url.to_string(),
            source,
        };
        let text = match std::str::from_utf8(&bytes) {
            Ok(t) => t,
            Err(_) if status == 500 => return Err(http_error(&bytes)),
            Err(e) => {
                return Err(decode_error(DecodeError::xml(format!(
                    "body is not UTF-8: {e}"
                ))))
            }
        };
        match envelope::read(text, Strategy::Auto, decode) {
            Ok(Outcome::Fault(fault)) => Err(Error::Fault {
                operation,
                url: url.to_string(),
                fault: Box::new(fault),
            }),
            // A 500 that is not a SOAP fault (a proxy's page, a broken body) is an HTTP error.
            Ok(Outcome::Value(_)) | Err(_) if status == 500 => Err(http_error(&bytes)),
            Ok(Outcome::Value(value)) => Ok(value),
            Err(ReadError {
                error,
                envelope: true,
            }) => Err(decode_error(not_soap(text, error))),
            Err(ReadError { error, .. }) => Err(decode_error(error)),
        }
    }

    /// Posts the request; reads at most `max_response_bytes` of the answer.
    async fn post(
        &self,
        operation: Operation,
        op: &OperationSpec,
        body: Vec<u8>,
    ) -> Result<(u16, Vec<u8>), Error> {
        let url = &self.inner.config.endpoint;
        let limit = self.inner.config.max_response_bytes;
        let transport = |source: reqwest::Error| Error::Transport {
            operation,
            url: url.to_string(),
            kind: TransportKind::of(&source),
            source,
        };
        let mut response = self
            .inner
            .http
            .post(url.clone())
            .header(reqwest::header::CONTENT_TYPE, "text/xml; charset=utf-8")
            .header(SOAP_ACTION, format!("\"{}\"", op.soap_action))
            .body(body)
            .send()
            .await
            .map_err(transport)?;
        let status = response.status().as_u16();
        let too_large = || Error::TooLarge {
            operation,
            url: url.to_string(),
            limit,
        };
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(too_large());
        }
        let mut bytes = Vec::with_capacity(response.content_length().unwrap_or(0) as usize);
        while let Some(chunk) = response.chunk().await.map_err(transport)? {
            if bytes.len() + chunk.len() > limit {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok((status, bytes))
    }
}
