//! The reference document's "TransferTo PHP example" (Appendix A) against a real PortaBilling
//! server: the TransferTo price list of the countries offered, paid by a customer.
//!
//! ```sh
//! TELINTA_LOGIN=... TELINTA_PASSWORD=... TELINTA_I_CUSTOMER=... \
//!     cargo run -p telinta-api --example transferto_pricelist
//! ```
//!
//! Environment:
//! - `TELINTA_LOGIN` and `TELINTA_PASSWORD` (or `TELINTA_TOKEN`): the API user.
//! - `TELINTA_BASE_URL` (default `https://mybilling.telinta.com`), `TELINTA_REALM`
//!   (`admin`, default, or `reseller`).
//! - `TELINTA_I_CUSTOMER`: the customer the request is made for (the PHP's `$i_customer`).
//! - `TELINTA_INFO_TYPE`: `countries` (default, the PHP's `$info_type`) or `operator`.
//! - `TELINTA_CONTENT`: the operator id `operator` needs (the PHP also sends a `content`, which
//!   `countries` ignores; the document's value is garbled, so it is not sent unless set).
//!
//! Output: what the PHP prints, the response's `country` member: for `countries`, TransferTo's
//! comma-separated list of the countries offered (index-aligned with `countryid`). A TransferTo
//! error (`error_code` other than 0, which is not a SOAP fault) is reported on stderr instead.

use std::env;
use std::process::ExitCode;

use telinta_api::internal::{TransferToInfoType, TransferToMethod, TransferToRequest};
use telinta_api::{Config, Credentials, Realm, Session};

fn var(name: &str) -> Option<String> {
    env::var(name).ok().filter(|v| !v.is_empty())
}

fn int_var(name: &str) -> Result<Option<i64>, String> {
    var(name)
        .map(|v| v.parse().map_err(|e| format!("{name}: {e}")))
        .transpose()
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let realm = match var("TELINTA_REALM").as_deref() {
        None | Some("admin") => Realm::Admin,
        Some("reseller") => Realm::Reseller,
        Some(other) => {
            return Err(format!("TELINTA_REALM must be admin or reseller, not {other}").into())
        }
    };
    let base_url =
        var("TELINTA_BASE_URL").unwrap_or_else(|| "https://mybilling.telinta.com".into());
    let login = var("TELINTA_LOGIN").ok_or("set TELINTA_LOGIN")?;
    let credentials = match (var("TELINTA_PASSWORD"), var("TELINTA_TOKEN")) {
        (Some(password), _) => Credentials::password(login, password),
        (None, Some(token)) => Credentials::token(login, token),
        (None, None) => return Err("set TELINTA_PASSWORD or TELINTA_TOKEN".into()),
    };
    let i_customer = int_var("TELINTA_I_CUSTOMER")?.ok_or("set TELINTA_I_CUSTOMER")?;
    let info_type = match var("TELINTA_INFO_TYPE").as_deref() {
        None | Some("countries") => TransferToInfoType::Countries,
        Some("operator") => TransferToInfoType::Operator,
        Some(other) => {
            return Err(
                format!("TELINTA_INFO_TYPE must be countries or operator, not {other}").into(),
            )
        }
    };
    let content = int_var("TELINTA_CONTENT")?;

    let session = Session::login(Config::new(&base_url, realm)?, &credentials).await?;
    let response = session
        .client()
        .internal()
        .transferto(&TransferToRequest {
            method: Some(TransferToMethod::Pricelist),
            i_customer: Some(i_customer),
            content,
            info_type: Some(info_type),
            ..Default::default()
        })
        .await?;
    // TransferTo's business errors are not SOAP faults: they come back as `error_code`.
    if let Some(code) = response.error_code.filter(|&code| code != 0) {
        let text = response.error_txt.as_deref().unwrap_or("");
        return Err(format!("TransferTo error {code}: {text}").into());
    }
    println!("{}", response.country.as_deref().unwrap_or(""));

    session.logout().await?;
    Ok(())
}
