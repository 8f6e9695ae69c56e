//! Async client for Telinta's PortaBilling SOAP API.
//!
//! The service modules ([`session`], [`didapi`], ...) are generated from the WSDL snapshots in
//! `wsdl-snapshots/` by `cargo xtask codegen`: one structure per XML structure, one async
//! method per operation. The rest of the crate is the hand-written runtime they use: the SOAP
//! 1.1 rpc/encoded envelope ([`encoding`]), the `auth_info` header and sessions ([`Session`]),
//! endpoints per realm ([`Config`], [`Realm`]) and typed errors ([`Error`], [`Fault`]).
//!
//! ```no_run
//! use telinta_api::{didapi, Config, Credentials, Realm, Session};
//!
//! # async fn run() -> Result<(), telinta_api::Error> {
//! let session = Session::login(
//!     Config::telinta(Realm::Admin),
//!     &Credentials::password("api-login", "api-password"),
//! )
//! .await?;
//! let countries = session
//!     .client()
//!     .didapi()
//!     .get_countries(&didapi::GetDidapiCountriesListRequest {})
//!     .await?;
//! for country in &countries.countries {
//!     println!("{:?} {:?}", country.value, country.name);
//! }
//! session.logout().await?;
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

mod auth;
mod client;
pub mod encoding;
mod envelope;
mod error;
mod scalars;
// Generated code is formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
mod generated;

pub use auth::Session;
pub use chrono;
pub use client::{Client, Config, Credentials, Realm, TELINTA_HOST};
pub use envelope::{decode_response, decode_response_with, encode_request, Response};
pub use error::{Error, Fault, Operation, TransportKind};
pub use generated::*;
pub use rust_decimal::Decimal;
pub use scalars::parse_date_time;
pub use secrecy::{ExposeSecret, SecretString};

/// The README's examples are compiled as doctests, so they stay correct.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
