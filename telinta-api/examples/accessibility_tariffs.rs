//! The reference document's "Simple SOAP PHP script" (Appendix A) against a real PortaBilling
//! server: list the accessibilities of a product and, for each one without a tariff, its
//! routing tariffs.
//!
//! ```sh
//! TELINTA_LOGIN=... TELINTA_PASSWORD=... TELINTA_I_PRODUCT=... \
//!     cargo run -p telinta-api --example accessibility_tariffs
//! ```
//!
//! Environment:
//! - `TELINTA_LOGIN` and `TELINTA_PASSWORD` (or `TELINTA_TOKEN`): the API user.
//! - `TELINTA_BASE_URL` (default `https://mybilling.telinta.com`), `TELINTA_REALM`
//!   (`admin`, default, or `reseller`).
//! - `TELINTA_I_PRODUCT`: the product whose accessibilities are listed (the PHP's `$i_product`).
//!
//! Output: what the PHP echoes, one `<br>` per line end, with a space between the values the
//! PHP runs together. An accessibility with a tariff is `id=<i_accessibility> i_tariff=<t>`; one
//! without is `id=<i_accessibility>`, then one `i_routing_plan=<p> i_tariff=<t>` line per routing
//! tariff and an empty line.
//!
//! `get_accessibility_list` and `get_routing_tariff_list` are deprecated in favour of
//! `Product/get_service_and_rating_list`; the script uses them, so this example does too.

use std::env;
use std::process::ExitCode;

use telinta_api::internal::{GetAccessibilityListRequest, GetRoutingTariffListRequest};
use telinta_api::{Config, Credentials, Realm, Session};

fn var(name: &str) -> Option<String> {
    env::var(name).ok().filter(|v| !v.is_empty())
}

fn show(value: Option<i64>) -> String {
    value.map_or_else(|| "?".into(), |v| v.to_string())
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

#[allow(deprecated)] // the document's script uses the deprecated Internal methods
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
    let i_product: i64 = var("TELINTA_I_PRODUCT")
        .ok_or("set TELINTA_I_PRODUCT")?
        .parse()
        .map_err(|e| format!("TELINTA_I_PRODUCT: {e}"))?;

    let session = Session::login(Config::new(&base_url, realm)?, &credentials).await?;
    let internal = session.client().internal();

    let accessibilities = internal
        .get_accessibility_list(&GetAccessibilityListRequest {
            i_product: Some(i_product),
        })
        .await?
        .accessibility_list;
    for accessibility in &accessibilities {
        let id = show(accessibility.i_accessibility);
        match accessibility.i_tariff {
            Some(i_tariff) => println!("id={id} i_tariff={i_tariff}"),
            None => {
                println!("id={id}");
                let routing_tariffs = internal
                    .get_routing_tariff_list(&GetRoutingTariffListRequest {
                        i_accessibility: accessibility.i_accessibility,
                    })
                    .await?
                    .routing_tariff_list;
                for routing_tariff in &routing_tariffs {
                    println!(
                        "i_routing_plan={} i_tariff={}",
                        show(routing_tariff.i_routing_plan),
                        show(routing_tariff.i_tariff)
                    );
                }
                println!();
            }
        }
    }

    session.logout().await?;
    Ok(())
}
