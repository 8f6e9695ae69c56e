//! The reference document's "DID API Python example", in Rust, through the generated client,
//! against the SOAP::Lite server: login -> get_countries -> get_states -> get_ratecenters ->
//! get_numbers -> order_number -> cancel_number -> logout. Every value is checked against the
//! data the server serves.

use telinta_api::didapi::{
    DidapiCancelNumberRequest, DidapiOrderNumberRequest, GetDidapiCountriesListRequest,
    GetDidapiNumbersListRequest, GetDidapiRatecentersListRequest, GetDidapiStatesListRequest,
};
use telinta_api::{Decimal, ExposeSecret, Realm, Session};
use telinta_e2e::{DidData, Number, SoapLiteServer, USER_ID};

fn listed(numbers: &[telinta_api::didapi::DidapiNumber]) -> Vec<String> {
    numbers
        .iter()
        .map(|n| n.number.clone().unwrap_or_default())
        .collect()
}

fn expected(numbers: &[&Number]) -> Vec<String> {
    numbers.iter().map(|n| n.number.clone()).collect()
}

#[tokio::test]
async fn did_api_flow_as_in_the_reference_document() {
    let server = SoapLiteServer::start();
    let data = DidData::load();

    let session = Session::login(server.config(Realm::Admin), &SoapLiteServer::credentials())
        .await
        .expect("login");
    let id = session.id().expect("a session id");
    assert_eq!(
        id.expose_secret().len(),
        32,
        "SOAP::Lite server issues 32 hex chars"
    );
    assert_eq!(session.ping().await.expect("ping"), USER_ID);

    let did = session.client().didapi();

    // get countries
    let countries = did
        .get_countries(&GetDidapiCountriesListRequest {})
        .await
        .expect("get_countries")
        .countries;
    let got: Vec<_> = countries
        .iter()
        .map(|c| {
            (
                c.package.clone().unwrap(),
                c.value.clone().unwrap(),
                c.name.clone().unwrap(),
            )
        })
        .collect();
    let want: Vec<_> = data
        .countries
        .iter()
        .map(|c| (c.package.clone(), c.value.clone(), c.name.clone()))
        .collect();
    assert_eq!(got, want);
    let country = countries[0].value.clone().unwrap();

    // get states
    let states = did
        .get_states(&GetDidapiStatesListRequest {
            country: Some(country.clone()),
        })
        .await
        .expect("get_states")
        .states;
    let got: Vec<_> = states
        .iter()
        .map(|s| (s.value.clone().unwrap(), s.name.clone().unwrap()))
        .collect();
    let want: Vec<_> = data.states[&country]
        .iter()
        .map(|s| (s.value.clone(), s.name.clone()))
        .collect();
    assert_eq!(got, want);
    let state = states[0].value.clone().unwrap();

    // get ratecenters
    let ratecenters = did
        .get_ratecenters(&GetDidapiRatecentersListRequest {
            country: Some(country.clone()),
            state: Some(state.clone()),
        })
        .await
        .expect("get_ratecenters")
        .ratecenters;
    let got: Vec<_> = ratecenters
        .iter()
        .map(|r| {
            (
                r.value.clone().unwrap(),
                r.name.clone().unwrap(),
                r.city_id.unwrap(),
            )
        })
        .collect();
    let want: Vec<_> = data.ratecenters[&format!("{country}/{state}")]
        .iter()
        .map(|r| (r.value.clone(), r.name.clone(), r.city_id))
        .collect();
    assert_eq!(got, want);
    let ratecenter = ratecenters[0].value.clone().unwrap();

    // get numbers
    let numbers_request = GetDidapiNumbersListRequest {
        country: Some(country.clone()),
        state: Some(state.clone()),
        ratecenter: Some(ratecenter.clone()),
    };
    let numbers = did
        .get_numbers(&numbers_request)
        .await
        .expect("get_numbers")
        .numbers;
    let in_data = data.numbers_in(&country, &state, &ratecenter);
    assert!(
        in_data.len() >= 2,
        "the data has numbers in the first ratecenter"
    );
    assert_eq!(listed(&numbers), expected(&in_data));
    for (got, want) in numbers.iter().zip(&in_data) {
        assert_eq!(got.package.as_deref(), Some(want.package.as_str()));
        assert_eq!(got.country.as_deref(), Some(want.country.as_str()));
        // Non-ASCII cities arrive as xsd:base64Binary (SOAP::Lite autotyping).
        assert_eq!(got.city.as_deref(), Some(want.city.as_str()));
        assert_eq!(got.area_code.as_deref(), Some(want.area_code.as_str()));
        // Monthly fees arrive as xsd:int or xsd:float (a string in the WSDL; an exact decimal
        // by override): `0.123456789` stays exact.
        assert_eq!(got.monthly, Some(want.monthly.parse::<Decimal>().unwrap()));
        assert_eq!(got.monthly.unwrap().to_string(), want.monthly);
        assert_eq!(got.city_id, Some(want.city_id));
        assert_eq!(got.error, None, "xsi:nil error member");
    }
    let first = &numbers[0];

    // order number
    let order = did
        .order_number(&DidapiOrderNumberRequest {
            country: Some(country.clone()),
            ratecenter: Some(ratecenter.clone()),
            number: first.number.clone(),
            package: first.package.clone(),
            ..Default::default()
        })
        .await
        .expect("order_number")
        .result
        .expect("order result");
    assert_eq!(order.number, first.number);
    assert_eq!(order.monthly, first.monthly);
    assert_eq!(order.code, Some(0));

    let after_order = did
        .get_numbers(&numbers_request)
        .await
        .expect("get_numbers")
        .numbers;
    assert_eq!(
        listed(&after_order),
        expected(&in_data[1..]),
        "ordered number is gone"
    );

    // Ordering it again is refused by the server.
    let again = did
        .order_number(&DidapiOrderNumberRequest {
            number: first.number.clone(),
            ..Default::default()
        })
        .await
        .expect_err("a number cannot be ordered twice");
    let fault = again.fault().expect("a SOAP fault");
    assert_eq!(
        fault.code_path(),
        "Server.DIDAPI.order_number.not_available"
    );

    // cancel number
    let cancel = did
        .cancel_number(&DidapiCancelNumberRequest {
            package: first.package.clone(),
            number: first.number.clone(),
        })
        .await
        .expect("cancel_number")
        .result
        .expect("cancel result");
    assert_eq!(cancel.number, first.number);

    let after_cancel = did
        .get_numbers(&numbers_request)
        .await
        .expect("get_numbers")
        .numbers;
    assert_eq!(
        listed(&after_cancel),
        expected(&in_data),
        "cancelled number is back"
    );

    // logout: the session is gone on the server
    session.logout().await.expect("logout");
    let err = did
        .get_countries(&GetDidapiCountriesListRequest {})
        .await
        .expect_err("no session after logout");
    let fault = err.fault().expect("a SOAP fault");
    assert!(fault.is_auth_failure());
}

#[tokio::test]
async fn get_numbers_without_filters_lists_every_number_with_its_fee() {
    let server = SoapLiteServer::start();
    let data = DidData::load();
    let session = Session::login(server.config(Realm::Admin), &SoapLiteServer::credentials())
        .await
        .expect("login");
    let numbers = session
        .client()
        .didapi()
        .get_numbers(&GetDidapiNumbersListRequest::default())
        .await
        .expect("get_numbers")
        .numbers;
    assert!(data.numbers.len() >= 100);
    assert_eq!(numbers.len(), data.numbers.len());
    for (got, want) in numbers.iter().zip(&data.numbers) {
        assert_eq!(got.number.as_deref(), Some(want.number.as_str()));
        assert_eq!(got.city.as_deref(), Some(want.city.as_str()));
        assert_eq!(
            got.monthly.map(|m| m.to_string()).as_deref(),
            Some(want.monthly.as_str())
        );
    }
    assert!(
        data.numbers.iter().any(|n| n.monthly.len() > 8),
        "the data holds a fee with many decimals"
    );
}
