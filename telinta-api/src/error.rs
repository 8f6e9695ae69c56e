//! Errors of the client. Each names the operation (`DIDAPI/get_numbers`) and, for anything
//! that happened on the way, the endpoint URL. None of them carries a credential: session ids,
//! passwords and tokens travel only in request bodies, which errors never quote.

use std::fmt;

use crate::encoding::DecodeError;

/// The operation an error happened in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// Service name (`DIDAPI`).
    pub service: &'static str,
    /// Method name (`get_numbers`).
    pub name: &'static str,
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.service, self.name)
    }
}

/// A SOAP fault sent by the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// `faultcode` as sent, e.g. `soap:Server.Session.check_auth.auth_failed`.
    pub code: String,
    /// `faultstring`, the human-readable explanation (trailing newline removed).
    pub string: String,
    /// `faultactor`, when sent.
    pub actor: Option<String>,
    /// `detail`, as raw XML, when sent.
    pub detail: Option<String>,
}

impl Fault {
    /// The fault code without its namespace prefix: `Server.Session.check_auth.auth_failed`.
    pub fn code_path(&self) -> &str {
        self.code
            .split_once(':')
            .map_or(&self.code, |(_, rest)| rest)
    }

    /// Does this fault say the session (or the credentials) is not valid? PortaBilling signals
    /// it with a code ending in `auth_failed` or, on Telinta, the faultstring
    /// "Authentification failed".
    pub fn is_auth_failure(&self) -> bool {
        let code = self.code_path();
        code.ends_with("auth_failed")
            || code.ends_with("session_expired")
            || self.string.trim() == "Authentification failed"
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SOAP fault {}: {}", self.code, self.string)
    }
}

/// Everything a call can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a SOAP fault.
    #[error("{operation}: {fault} (from {url})")]
    Fault {
        /// The operation called.
        operation: Operation,
        /// The endpoint.
        url: String,
        /// What the server said.
        fault: Box<Fault>,
    },
    /// The request did not get an HTTP response (connection refused, TLS, timeout...).
    #[error("{operation}: request to {url} failed ({kind}): {}", chain(source))]
    Transport {
        /// The operation called.
        operation: Operation,
        /// The endpoint.
        url: String,
        /// Which part of the exchange failed.
        kind: TransportKind,
        /// What went wrong.
        #[source]
        source: reqwest::Error,
    },
    /// The server answered with an HTTP status that does not carry a SOAP answer (anything but
    /// 200, or a 500 without a SOAP fault).
    #[error("{operation}: {url} answered HTTP {status}: {body_start:?}")]
    Http {
        /// The operation called.
        operation: Operation,
        /// The endpoint.
        url: String,
        /// The HTTP status code.
        status: u16,
        /// The first bytes of the body, for diagnosis.
        body_start: String,
    },
    /// The response is not the SOAP message the operation expects.
    #[error("{operation}: unexpected response from {url}: {source}")]
    Decode {
        /// The operation called.
        operation: Operation,
        /// The endpoint.
        url: String,
        /// What was expected where.
        #[source]
        source: DecodeError,
    },
    /// The response body is larger than [`Config::with_max_response_bytes`] allows; it was not
    /// read whole.
    ///
    /// [`Config::with_max_response_bytes`]: crate::Config::with_max_response_bytes
    #[error("{operation}: response from {url} exceeds the limit of {limit} bytes")]
    TooLarge {
        /// The operation called.
        operation: Operation,
        /// The endpoint.
        url: String,
        /// The configured limit.
        limit: usize,
    },
    /// The client configuration is unusable (bad URL, TLS setup).
    #[error("invalid configuration: {0}")]
    Config(String),
}

/// Which part of an HTTP exchange failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// No connection: refused, unreachable, name not resolved.
    Connect,
    /// The TLS handshake failed (certificate not trusted, expired, wrong host...).
    Tls,
    /// The connect or total timeout of the configuration ran out.
    Timeout,
    /// The connection broke while the response was read (truncated body).
    Body,
    /// Anything else.
    Other,
}

impl TransportKind {
    pub(crate) fn of(e: &reqwest::Error) -> TransportKind {
        if e.is_timeout() {
            return TransportKind::Timeout;
        }
        // rustls errors are not exposed as types by reqwest: recognise them by their text.
        let text = chain(e).to_ascii_lowercase();
        if [
            "certificate",
            "tls",
            "handshake",
            "corrupt message",
            "invalidcontenttype",
            "fatal alert",
        ]
        .iter()
        .any(|w| text.contains(w))
        {
            return TransportKind::Tls;
        }
        if e.is_connect() {
            TransportKind::Connect
        } else if e.is_body() || e.is_decode() {
            TransportKind::Body
        } else {
            TransportKind::Other
        }
    }
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportKind::Connect => "connect",
            TransportKind::Tls => "TLS",
            TransportKind::Timeout => "timeout",
            TransportKind::Body => "reading the response",
            TransportKind::Other => "HTTP",
        })
    }
}

/// An error and its causes, `: `-separated (reqwest's own message leaves out the cause, such as
/// "Connection refused").
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

impl Error {
    /// The SOAP fault, when the server sent one.
    pub fn fault(&self) -> Option<&Fault> {
        match self {
            Error::Fault { fault, .. } => Some(fault),
            _ => None,
        }
    }

    /// Worth trying again: no connection, a timeout, or a gateway error (502, 503, 504).
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Transport { kind, .. } => {
                matches!(kind, TransportKind::Connect | TransportKind::Timeout)
            }
            Error::Http { status, .. } => matches!(status, 502..=504),
            _ => false,
        }
    }

    /// The operation the error happened in (none for configuration errors).
    pub fn operation(&self) -> Option<Operation> {
        match self {
            Error::Fault { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Http { operation, .. }
            | Error::Decode { operation, .. }
            | Error::TooLarge { operation, .. } => Some(*operation),
            Error::Config(_) => None,
        }
    }
}
