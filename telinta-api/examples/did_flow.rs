//! The reference document's "DID API Python example" against a real PortaBilling server:
//! login, countries, states, ratecenters, numbers, and (only when asked) order and cancel.
//!
//! ```sh
//! TELINTA_LOGIN=... TELINTA_PASSWORD=... cargo run -p telinta-api --example did_flow
//! ```
//!
//! Environment:
//! - `TELINTA_LOGIN` and `TELINTA_PASSWORD` (or `TELINTA_TOKEN`): the API user.
//! - `TELINTA_BASE_URL` (default `https://mybilling.telinta.com`), `TELINTA_REALM`
//!   (`admin`, default, or `reseller`).
//! - `TELINTA_ORDER=yes` to really order the first number and cancel it again. Ordering a DID
//!   may be billed: it is off unless you set this.

use std::env;
use std::process::ExitCode;

use telinta_api::didapi::{
    DidapiCancelNumberRequest, DidapiOrderNumberRequest, GetDidapiCountriesListRequest,
    GetDidapiNumbersListRequest, GetDidapiRatecentersListRequest, GetDidapiStatesListRequest,
};
use telinta_api::{Config, Credentials, Realm, Session};

fn var(name: &str) -> Option<String> {
    env::var(name).ok().filter(|v| !v.is_empty())
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

    let session = Session::login(Config::new(&base_url, realm)?, &credentials).await?;
    println!("Started session (user {})", session.ping().await?);
    let did = session.client().didapi();

    let countries = did
        .get_countries(&GetDidapiCountriesListRequest {})
        .await?
        .countries;
    let country = countries.first().ok_or("no countries")?;
    println!("Country: {}", country.value.as_deref().unwrap_or("?"));

    let states = did
        .get_states(&GetDidapiStatesListRequest {
            country: country.value.clone(),
        })
        .await?
        .states;
    let state = states.first().ok_or("no states")?;
    println!("State: {}", state.value.as_deref().unwrap_or("?"));

    let ratecenters = did
        .get_ratecenters(&GetDidapiRatecentersListRequest {
            country: country.value.clone(),
            state: state.value.clone(),
        })
        .await?
        .ratecenters;
    let ratecenter = ratecenters.first().ok_or("no ratecenters")?;
    println!("Ratecenter: {}", ratecenter.value.as_deref().unwrap_or("?"));

    let numbers = did
        .get_numbers(&GetDidapiNumbersListRequest {
            country: country.value.clone(),
            state: state.value.clone(),
            ratecenter: ratecenter.value.clone(),
        })
        .await?
        .numbers;
    let number = numbers.first().ok_or("no numbers")?;
    println!(
        "Number: {} ({} a month)",
        number.number.as_deref().unwrap_or("?"),
        number
            .monthly
            .map(|m| m.to_string())
            .unwrap_or_else(|| "?".into())
    );

    if var("TELINTA_ORDER").as_deref() == Some("yes") {
        let order = did
            .order_number(&DidapiOrderNumberRequest {
                country: country.value.clone(),
                ratecenter: ratecenter.value.clone(),
                number: number.number.clone(),
                package: number.package.clone(),
                ..Default::default()
            })
            .await?;
        println!("Order: {:?}", order.result);
        let cancel = did
            .cancel_number(&DidapiCancelNumberRequest {
                package: number.package.clone(),
                number: number.number.clone(),
            })
            .await?;
        println!("Cancel: {:?}", cancel.result);
    } else {
        println!("(not ordering: set TELINTA_ORDER=yes to order and cancel this number)");
    }

    session.logout().await?;
    Ok(())
}
