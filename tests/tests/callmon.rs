//! Callmon (call statistics, vendors and connections, Call Monitor profiles) through the
//! generated client against the SOAP::Lite server. Every value is checked against
//! `tests/server/data/callmon.json` or the behaviour `tests/server/README.md` documents.

use serde_json::Value;
use telinta_api::callmon::{
    ConnectionInfo, CustomerStatsByDays, DeleteProfileRequest, GetConnectionInfoRequest,
    GetConnectionListRequest, GetConnectionStatsRequest, GetConnectionStatsResponse,
    GetConnectionsStatsRequest, GetCustomerStatsByDaysRequest, GetCustomerStatsEachdayRequest,
    GetCustomerStatsLastdaysRequest, GetCustomerStatsRequest, GetCustomersStatsRequest,
    GetVendorInfoRequest, GetVendorListRequest, GetVendorStatsByDaysRequest, LoadProfileRequest,
    ProfileInfo, SaveProfileRequest, VendorInfo,
};
use telinta_api::chrono::{DateTime, NaiveDateTime, Utc};
use telinta_api::{Client, Credentials, Decimal, Error, Realm, Session};
use telinta_e2e::{SoapLiteServer, LOGIN, TOKEN};

// ---------------------------------------------------------------------------------------------
// Data file and assertion helpers

fn data() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("server/data/callmon.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The records of `data[key]` whose `by` member is `id`, in file order.
fn rows<'a>(data: &'a Value, key: &str, by: &str, id: i64) -> Vec<&'a Value> {
    data[key]
        .as_array()
        .unwrap_or_else(|| panic!("data file: no array '{key}'"))
        .iter()
        .filter(|r| r[by].as_i64() == Some(id))
        .collect()
}

fn one<'a>(data: &'a Value, key: &str, by: &str, id: i64) -> &'a Value {
    let found = rows(data, key, by, id);
    assert_eq!(found.len(), 1, "data file: one {key} with {by} {id}");
    found[0]
}

/// PortaBilling's zone-less `YYYY-MM-DD HH:MM:SS`, read as UTC.
fn utc(text: &str) -> DateTime<Utc> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .and_utc()
}

fn dec(text: &str) -> Decimal {
    text.parse()
        .unwrap_or_else(|e| panic!("{text} is not a decimal: {e}"))
}

/// Compares members of a decoded structure with the data file's record, by member name. `str`:
/// `Option<String>` against a JSON string (JSON null = None); `int`: `Option<i64>`; `dec`:
/// `Option<Decimal>` whose text must be the data file's text exactly; `date`:
/// `Option<DateTime<Utc>>` against `YYYY-MM-DD HH:MM:SS` read as UTC.
macro_rules! assert_members {
    (@one str, $got:expr, $want:expr, $ctx:expr, $f:ident) => {
        assert_eq!(
            $got.$f.as_deref(),
            $want[stringify!($f)].as_str(),
            "{} {}",
            $ctx,
            stringify!($f)
        );
    };
    (@one int, $got:expr, $want:expr, $ctx:expr, $f:ident) => {
        assert_eq!(
            $got.$f,
            $want[stringify!($f)].as_i64(),
            "{} {}",
            $ctx,
            stringify!($f)
        );
    };
    (@one dec, $got:expr, $want:expr, $ctx:expr, $f:ident) => {
        assert_eq!(
            $got.$f.map(|d: Decimal| d.to_string()).as_deref(),
            $want[stringify!($f)].as_str(),
            "{} {} (exact decimal text)",
            $ctx,
            stringify!($f)
        );
    };
    (@one date, $got:expr, $want:expr, $ctx:expr, $f:ident) => {
        assert_eq!(
            $got.$f,
            $want[stringify!($f)].as_str().map(utc),
            "{} {}",
            $ctx,
            stringify!($f)
        );
    };
    ($got:expr, $want:expr, $ctx:expr, $kind:ident [$($f:ident),* $(,)?]) => {
        $(
            assert!(
                $want.get(stringify!($f)).is_some(),
                "data file: {} has no member {}",
                $ctx,
                stringify!($f)
            );
            assert_members!(@one $kind, $got, $want, $ctx, $f);
        )*
    };
}

fn assert_by_days(got: &CustomerStatsByDays, want: &Value) {
    let ctx = format!(
        "CustomerStatsByDays {} {}",
        want["i_customer"], want["date"]
    );
    assert_members!(got, want, ctx, int[i_customer, calls, acd, asr]);
    assert_members!(got, want, ctx, str[name]);
    assert_members!(got, want, ctx, date[date]);
    assert_members!(got, want, ctx, dec[pay, profit]);
}

fn assert_vendor(got: &VendorInfo, want: &Value) {
    let ctx = format!("VendorInfo {}", want["i_vendor"]);
    assert_members!(
        got,
        want,
        ctx,
        int[i_vendor, i_acl, i_time_zone, i_billing_period, i_customer]
    );
    assert_members!(got, want, ctx, dec[opening_balance, offset_threshold]);
    assert_members!(
        got,
        want,
        ctx,
        str[
            name, iso_4217, i_lang, companyname, salutation, firstname, midinit, lastname,
            baddr1, baddr2, baddr3, baddr4, baddr5, city, state, zip, country, note, cont1,
            phone1, faxnum, phone2, cont2, login, password, email, out_date_format,
            out_time_format, out_date_time_format, in_date_format, in_time_format,
        ]
    );
}

fn assert_connection(got: &ConnectionInfo, want: &Value) {
    let ctx = format!("ConnectionInfo {}", want["i_connection"]);
    assert_members!(
        got,
        want,
        ctx,
        int[
            i_connection, i_vendor, i_node, i_tariff, i_env, capacity, i_vendor_acc, i_oli,
            rtpp_level, i_service_type,
        ]
    );
    assert_members!(
        got,
        want,
        ctx,
        str[
            vendor_name, description, call_origin, call_type, port, cld_translation_rule,
            remote_ip, outgoing_cld_translation_rule, sip, h323, cli_translation_rule,
            clir_method,
        ]
    );
    assert_members!(got, want, ctx, dec[asr]);
    assert!(want.get("CLD").is_some(), "data file: {ctx} has no CLD");
    assert_eq!(got.cld.as_deref(), want["CLD"].as_str(), "{ctx} CLD");
}

fn assert_profiles(got: &[ProfileInfo], want: &[(i64, &str, &str, &str)]) {
    let got: Vec<_> = got
        .iter()
        .map(|p| {
            (
                p.i_profile.expect("i_profile"),
                p.name.clone().expect("name"),
                p.login.clone().expect("login"),
                p.data.expect("data"),
                p.ts.expect("ts"),
            )
        })
        .collect();
    let want: Vec<_> = want
        .iter()
        .map(|&(id, name, login, stamp)| {
            (
                id,
                name.to_owned(),
                login.to_owned(),
                utc(stamp),
                utc(stamp),
            )
        })
        .collect();
    assert_eq!(got, want);
}

/// A documented application fault of Callmon: code, string, not an authentication failure.
fn assert_app_fault(err: &Error, method: &str, reason: &str, string: &str) {
    let fault = err
        .fault()
        .unwrap_or_else(|| panic!("expected a SOAP fault, got {err:?}"));
    assert_eq!(
        fault.code_path(),
        format!("Server.Callmon.{method}.{reason}")
    );
    assert_eq!(fault.code, format!("soap:Server.Callmon.{method}.{reason}"));
    assert_eq!(fault.string, string);
    assert!(!fault.is_auth_failure(), "{fault:?} is not an auth failure");
    assert_eq!(
        err.operation().map(|o| o.to_string()),
        Some(format!("Callmon/{method}"))
    );
}

async fn login(server: &SoapLiteServer, realm: Realm) -> Session {
    Session::login(server.config(realm), &SoapLiteServer::credentials())
        .await
        .expect("login")
}

// ---------------------------------------------------------------------------------------------
// Access to Customer Information

#[tokio::test]
async fn get_customer_stats_of_a_customer_and_of_a_reseller() {
    let server = SoapLiteServer::start();
    let data = data();
    let session = login(&server, Realm::Admin).await;
    let callmon = session.client().callmon();

    // (request i_direct_customer, request i_customer) -> the customer whose record comes back
    for (direct, customer, expected) in [
        (None, Some(1001), 1001),
        (Some(1002), None, 1002),
        (Some(1002), Some(1003), 1003),
        (Some(1002), Some(1004), 1004),
    ] {
        let stats = callmon
            .get_customer_stats(&GetCustomerStatsRequest {
                i_direct_customer: direct,
                i_customer: customer,
                max_calls_per_week: Some(100_000),
                groupby: None,
            })
            .await
            .expect("get_customer_stats")
            .customer_stats
            .expect("one CustomerStats structure");
        let want = one(&data, "customer_stats", "i_customer", expected);
        let ctx = format!("CustomerStats of {expected}");
        assert_members!(
            stats,
            want,
            ctx,
            int[
                callsperhour, callsperday, callsperweek, sucperhour, sucperday, sucperweek,
                durationperday, durationperhour, durationperweek,
            ]
        );
        assert_members!(
            stats,
            want,
            ctx,
            dec[
                payperhour, payperday, payperweek, profitperhour, profitperday,
                profitperweek,
            ]
        );
    }

    // Declared xsd:int in the WSDL, an amount by override: exact, 10 decimals.
    let acme = callmon
        .get_customer_stats(&GetCustomerStatsRequest {
            i_customer: Some(1001),
            ..Default::default()
        })
        .await
        .expect("get_customer_stats")
        .customer_stats
        .expect("CustomerStats");
    assert_eq!(acme.payperhour, Some(dec("12.3400000001")));
    assert_eq!(acme.payperhour.unwrap().to_string(), "12.3400000001");
    assert_eq!(acme.callsperhour, Some(373));
}

#[tokio::test]
async fn get_customer_stats_by_days_lists_fourteen_days_oldest_first() {
    let server = SoapLiteServer::start();
    let data = data();
    let session = login(&server, Realm::Admin).await;
    let callmon = session.client().callmon();

    for customer in [1001, 1003] {
        let days = callmon
            .get_customer_stats_by_days(&GetCustomerStatsByDaysRequest {
                i_customer: Some(customer),
            })
            .await
            .expect("get_customer_stats_by_days")
            .customer_stats_by_days;
        let want = rows(&data, "customer_stats_by_days", "i_customer", customer);
        assert_eq!(want.len(), 14);
        assert_eq!(days.len(), want.len(), "customer {customer}");
        for (got, want) in days.iter().zip(&want) {
            assert_by_days(got, want);
        }
        assert_eq!(days[0].date, Some(utc("2026-11-19 00:00:00")));
        assert_eq!(days[13].date, Some(utc("2026-12-02 00:00:00")));
    }

    let acme = callmon
        .get_customer_stats_by_days(&GetCustomerStatsByDaysRequest {
            i_customer: Some(1001),
        })
        .await
        .expect("get_customer_stats_by_days")
        .customer_stats_by_days;
    assert_eq!(acme[0].pay.unwrap().to_string(), "0.123456789");
    assert_eq!(acme[0].profit, Some(dec("-0.052534553")));
    assert_eq!(acme[1].pay.unwrap().to_string(), "654.911900", "scale kept");

    // Non-ASCII name (`name` is always an explicit xsd:string).
    let initech = callmon
        .get_customer_stats_by_days(&GetCustomerStatsByDaysRequest {
            i_customer: Some(1003),
        })
        .await
        .expect("get_customer_stats_by_days")
        .customer_stats_by_days;
    assert_eq!(initech[0].name.as_deref(), Some("Initech Téléphonie"));
}

#[tokio::test]
async fn get_customer_stats_lastdays_returns_the_last_n_days() {
    let server = SoapLiteServer::start();
    let data = data();
    let session = login(&server, Realm::Admin).await;
    let callmon = session.client().callmon();
    let all = rows(&data, "customer_stats_by_days", "i_customer", 1002);
    assert_eq!(all.len(), 14);

    // number_of_days: None = 7 (default), more than 14 gives the 14.
    for (n, expected) in [(None, 7), (Some(1), 1), (Some(3), 3), (Some(30), 14)] {
        let list = callmon
            .get_customer_stats_lastdays(&GetCustomerStatsLastdaysRequest {
                i_customer: Some(1002),
                number_of_days: n,
                ..Default::default()
            })
            .await
            .expect("get_customer_stats_lastdays")
            .list;
        assert_eq!(list.len(), expected, "number_of_days {n:?}");
        for (got, want) in list.iter().zip(&all[14 - expected..]) {
            assert_by_days(got, want);
        }
        assert_eq!(
            list.last().unwrap().date,
            Some(utc("2026-12-02 00:00:00")),
            "the newest day last"
        );
    }

    // A customer named through its reseller.
    let list = callmon
        .get_customer_stats_lastdays(&GetCustomerStatsLastdaysRequest {
            i_direct_customer: Some(1002),
            i_customer: Some(1004),
            number_of_days: Some(2),
            ..Default::default()
        })
        .await
        .expect("get_customer_stats_lastdays")
        .list;
    let want = rows(&data, "customer_stats_by_days", "i_customer", 1004);
    assert_eq!(list.len(), 2);
    assert_by_days(&list[0], want[12]);
    assert_by_days(&list[1], want[13]);
}

#[tokio::test]
async fn get_customer_stats_eachday_lists_seven_rows() {
    let server = SoapLiteServer::start();
    let data = data();
    let session = login(&server, Realm::Admin).await;
    let rows_got = session
        .client()
        .callmon()
        .get_customer_stats_eachday(&GetCustomerStatsEachdayRequest {
            i_customer: Some(1002),
            ..Default::default()
        })
        .await
        .expect("get_customer_stats_eachday")
        .customer_stats_eachday;
    let want = rows(&data, "customer_stats_eachday", "i_customer", 1002);
    assert_eq!(want.len(), 7);
    assert_eq!(rows_got.len(), 7);
    for (i, (got, want)) in rows_got.iter().zip(&want).enumerate() {
        let ctx = format!("CustomerStatsEachday #{i}");
        assert_members!(
            got,
            want,
            ctx,
            int[
                durationperday_i, asrperday_i, acdperday_i, callsperday_i, sucperday_i,
                failperday_i, durationperweek, asrperweek, acdperweek, callsperweek,
                sucperweek, failperweek,
            ]
        );
    }
    assert_eq!(rows_got[0].callsperday_i, Some(331));
    assert_eq!(rows_got[0].callsperweek, Some(18879));
}

#[tokio::test]
async fn get_customers_stats_rows_min_calls_and_total() {
    let server = SoapLiteServer::start();
    let data = data();
    let session = login(&server, Realm::Admin).await;
    let callmon = session.client().callmon();
    let all: Vec<&Value> = data["customers_stats"].as_array().unwrap().iter().collect();
    let check = |got: &[telinta_api::callmon::CustomersStats], want: &[&Value]| {
        assert_eq!(got.len(), want.len());
        for (got, want) in got.iter().zip(want) {
            let ctx = format!("CustomersStats {}", want["i_customer"]);
            assert_members!(got, want, ctx, int[calls, successful_calls, failed_calls]);
            assert_members!(got, want, ctx, dec[charge, profit, duration]);
        }
    };

    // Every customer, dates given (checked but not filtering).
    let every = callmon
        .get_customers_stats(&GetCustomersStatsRequest {
            i_env: Some(46),
            from_date: Some(utc("2026-11-01 00:00:00")),
            to_date: Some(utc("2026-12-02 23:59:59")),
            iso_3166_1_a2: Some("US".into()),
            ..Default::default()
        })
        .await
        .expect("get_customers_stats")
        .customers_stats;
    check(&every, &all);
    assert_eq!(every[0].duration.unwrap().to_string(), "8730614.4");

    // One customer.
    let only = callmon
        .get_customers_stats(&GetCustomersStatsRequest {
            i_customer: Some(1004),
            ..Default::default()
        })
        .await
        .expect("get_customers_stats")
        .customers_stats;
    check(&only, &[one(&data, "customers_stats", "i_customer", 1004)]);

    // min_calls 1 drops customer 1003 (all zero).
    let active = callmon
        .get_customers_stats(&GetCustomersStatsRequest {
            min_calls: Some(1),
            ..Default::default()
        })
        .await
        .expect("get_customers_stats")
        .customers_stats;
    let want: Vec<&Value> = all
        .iter()
        .copied()
        .filter(|r| r["i_customer"] != 1003)
        .collect();
    check(&active, &want);

    // total Y: one row, exact sums.
    let total = callmon
        .get_customers_stats(&GetCustomersStatsRequest {
            total: Some("Y".into()),
            ..Default::default()
        })
        .await
        .expect("get_customers_stats")
        .customers_stats;
    assert_eq!(total.len(), 1);
    let sum = |k: &str| -> Decimal { all.iter().map(|r| dec(r[k].as_str().unwrap())).sum() };
    let isum = |k: &str| -> i64 { all.iter().map(|r| r[k].as_i64().unwrap()).sum() };
    let t = &total[0];
    assert_eq!(t.calls, Some(isum("calls")));
    assert_eq!(t.successful_calls, Some(isum("successful_calls")));
    assert_eq!(t.failed_calls, Some(isum("failed_calls")));
    assert_eq!(t.charge, Some(sum("charge")));
    assert_eq!(t.charge.unwrap().to_string(), "39.56384946");
    assert_eq!(t.profit.unwrap().to_string(), "4.912273887");
    assert_eq!(t.duration.unwrap().to_string(), "21362012.3");
    assert_eq!(t.calls, Some(225_850));
}

// ---------------------------------------------------------------------------------------------
// Access to Vendor Information

#[tokio::test]
async fn get_vendor_list_lists_every_vendor_with_all_members() {
    let server = SoapLiteServer::start();
    let data = data();
    let session = login(&server, Realm::Admin).await;
    let list = session
        .client()
        .callmon()
        .get_vendor_list(&GetVendorListRequest { i_env: Some(46) })
        .await
        .expect("get_vendor_list")
        .list;
    let want = data["vendors"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(
        list.iter().map(|v| v.i_vendor.unwrap()).collect::<Vec<_>>(),
        [201, 202, 203]
    );
    for (got, want) in list.iter().zip(want) {
        assert_vendor(got, want);
    }
    // 201: nil members are None.
    assert_eq!(list[0].baddr3, None);
    assert_eq!(list[0].faxnum, None);
    assert_eq!(list[0].i_customer, None);
    assert_eq!(list[0].offset_threshold, None);
    assert_eq!(list[0].opening_balance, Some(Decimal::ZERO));
    // 12125550199 arrives as xsd:long; a phone number stays text.
    assert_eq!(list[0].phone1.as_deref(), Some("12125550199"));
    // 203: non-ASCII (base64Binary on the wire), negative balance.
    assert_eq!(
        list[2].companyname.as_deref(),
        Some("Québec Téléphone inc.")
    );
    assert_eq!(list[2].firstname.as_deref(), Some("Jérôme"));
    assert_eq!(list[2].lastname.as_deref(), Some("Côté"));
    assert_eq!(list[2].city.as_deref(), Some("Montréal"));
    assert_eq!(list[2].opening_balance.unwrap().to_string(), "-250.75");

    // Without i_env: the same list.
    let again = session
        .client()
        .callmon()
        .get_vendor_list(&GetVendorListRequest::default())
        .await
        .expect("get_vendor_list")
        .list;
    assert_eq!(again, list);
}

#[tokio::test]
async fn get_vendor_info_returns_one_structure() {
    let server = SoapLiteServer::start();
    let data = data();
    let session = login(&server, Realm::Admin).await;
    let callmon = session.client().callmon();
    for vendor in [201, 202, 203] {
        let info = callmon
            .get_vendor_info(&GetVendorInfoRequest {
                i_vendor: Some(vendor),
                i_env: Some(46),
            })
            .await
            .expect("get_vendor_info")
            .vendor_info
            .expect("one VendorInfo structure");
        assert_vendor(&info, one(&data, "vendors", "i_vendor", vendor));
    }
    let tv = callmon
        .get_vendor_info(&GetVendorInfoRequest {
            i_vendor: Some(202),
            i_env: None,
        })
        .await
        .expect("get_vendor_info")
        .vendor_info
        .unwrap();
    assert_eq!(tv.name.as_deref(), Some("Transatlantic Voice"));
    assert_eq!(tv.opening_balance.unwrap().to_string(), "1500.000001");
    assert_eq!(tv.offset_threshold, Some(dec("0.15")));
    assert_eq!(tv.i_customer, Some(1001));
}

#[tokio::test]
async fn get_connection_list_of_all_and_of_one_vendor() {
    let server = SoapLiteServer::start();
    let data = data();
    let session = login(&server, Realm::Admin).await;
    let callmon = session.client().callmon();

    let all = callmon
        .get_connection_list(&GetConnectionListRequest::default())
        .await
        .expect("get_connection_list")
        .list;
    let want = data["connections"].as_array().unwrap();
    assert_eq!(all.len(), 5);
    for (got, want) in all.iter().zip(want) {
        assert_connection(got, want);
    }
    // `port` 5060 arrives as xsd:int, 05061 as xsd:string: both text, zero kept.
    assert_eq!(all[0].port.as_deref(), Some("5060"));
    assert_eq!(all[4].port.as_deref(), Some("05061"));
    assert_eq!(all[0].cld.as_deref(), Some(""), "empty CLD");
    assert_eq!(all[2].cld.as_deref(), Some("0011#"));
    assert_eq!(all[0].asr.unwrap().to_string(), "0.2811123950");
    assert_eq!(all[3].vendor_name.as_deref(), Some("Québec Téléphone"));
    assert_eq!(all[0].i_oli, None);

    for (vendor, ids) in [
        (201, vec![4001, 4002]),
        (202, vec![4003]),
        (203, vec![4004, 4005]),
    ] {
        let list = callmon
            .get_connection_list(&GetConnectionListRequest {
                i_env: Some(46),
                i_vendor: Some(vendor),
            })
            .await
            .expect("get_connection_list")
            .list;
        assert_eq!(
            list.iter()
                .map(|c| c.i_connection.unwrap())
                .collect::<Vec<_>>(),
            ids
        );
        for (got, id) in list.iter().zip(&ids) {
            assert_connection(got, one(&data, "connections", "i_connection", *id));
        }
    }
}

#[tokio::test]
async fn get_connection_info_returns_the_vendors_first_connection() {
    let server = SoapLiteServer::start();
    let data = data();
    let session = login(&server, Realm::Admin).await;
    let callmon = session.client().callmon();
    for (vendor, connection) in [(201, 4001), (202, 4003), (203, 4004)] {
        let info = callmon
            .get_connection_info(&GetConnectionInfoRequest {
                i_env: Some(46),
                i_vendor: Some(vendor),
            })
            .await
            .expect("get_connection_info")
            .connection_info
            .expect("one ConnectionInfo structure");
        assert_eq!(info.i_connection, Some(connection));
        assert_connection(&info, one(&data, "connections", "i_connection", connection));
    }
}

#[tokio::test]
async fn get_vendor_stats_by_days_lists_seven_days_with_bill_time() {
    let server = SoapLiteServer::start();
    let data = data();
    let session = login(&server, Realm::Admin).await;
    let callmon = session.client().callmon();
    for connection in [4001, 4005] {
        let days = callmon
            .get_vendor_stats_by_days(&GetVendorStatsByDaysRequest {
                i_connection: Some(connection),
            })
            .await
            .expect("get_vendor_stats_by_days")
            .vendor_stats_by_days;
        let want = rows(&data, "vendor_stats_by_days", "i_connection", connection);
        assert_eq!(want.len(), 7);
        assert_eq!(days.len(), 7);
        for (i, (got, want)) in days.iter().zip(&want).enumerate() {
            let ctx = format!("VendorStatsByDays {connection} #{i}");
            assert_members!(got, want, ctx, int[i_connection, calls, acd, asr]);
            assert_members!(got, want, ctx, dec[pay, profit]);
            // Declared xsd:int, a date-time by override.
            assert_members!(got, want, ctx, date[bill_time]);
        }
        assert_eq!(days[0].bill_time, Some(utc("2026-11-26 00:00:00")));
        assert_eq!(days[6].bill_time, Some(utc("2026-12-02 00:00:00")));
    }
    let first = callmon
        .get_vendor_stats_by_days(&GetVendorStatsByDaysRequest {
            i_connection: Some(4001),
        })
        .await
        .expect("get_vendor_stats_by_days")
        .vendor_stats_by_days;
    assert_eq!(first[0].pay.unwrap().to_string(), "1.341710120");
    assert_eq!(first[1].profit, Some(dec("-0.0799404403")));
}

#[tokio::test]
async fn get_connections_stats_by_vendor_connection_min_calls_and_total() {
    let server = SoapLiteServer::start();
    let data = data();
    let session = login(&server, Realm::Admin).await;
    let callmon = session.client().callmon();
    let check = |got: &[telinta_api::callmon::ConnectionsStats], ids: &[i64]| {
        assert_eq!(got.len(), ids.len(), "rows of {ids:?}");
        for (got, id) in got.iter().zip(ids) {
            let want = one(&data, "connections_stats", "i_connection", *id);
            let ctx = format!("ConnectionsStats {id}");
            assert_members!(
                got,
                want,
                ctx,
                int[calls, successful_calls, failed_calls, duration]
            );
            assert_members!(got, want, ctx, dec[charge, profit]);
        }
    };

    let all = callmon
        .get_connections_stats(&GetConnectionsStatsRequest {
            i_env: Some(46),
            from_date: Some(utc("2026-11-26 00:00:00")),
            to_date: Some(utc("2026-12-02 00:00:00")),
            ..Default::default()
        })
        .await
        .expect("get_connections_stats")
        .connections_stats;
    check(&all, &[4001, 4002, 4003, 4004, 4005]);
    assert_eq!(all[0].charge.unwrap().to_string(), "637.119378");

    let of_vendor = callmon
        .get_connections_stats(&GetConnectionsStatsRequest {
            i_vendor: Some(203),
            i_customer: Some(1001),
            ..Default::default()
        })
        .await
        .expect("get_connections_stats")
        .connections_stats;
    check(&of_vendor, &[4004, 4005]);

    let one_connection = callmon
        .get_connections_stats(&GetConnectionsStatsRequest {
            i_connection: Some(4003),
            ..Default::default()
        })
        .await
        .expect("get_connections_stats")
        .connections_stats;
    check(&one_connection, &[4003]);

    let busy = callmon
        .get_connections_stats(&GetConnectionsStatsRequest {
            min_calls: Some(75_000),
            ..Default::default()
        })
        .await
        .expect("get_connections_stats")
        .connections_stats;
    check(&busy, &[4001, 4004, 4005]);

    let total = callmon
        .get_connections_stats(&GetConnectionsStatsRequest {
            i_vendor: Some(201),
            total: Some("1".into()),
            ..Default::default()
        })
        .await
        .expect("get_connections_stats")
        .connections_stats;
    assert_eq!(total.len(), 1);
    let t = &total[0];
    assert_eq!(t.calls, Some(132_345 + 72_330));
    assert_eq!(t.successful_calls, Some(93_964 + 58_587));
    assert_eq!(t.failed_calls, Some(38_381 + 13_743));
    assert_eq!(t.duration, Some(8_611_672 + 6_479_863));
    assert_eq!(t.charge.unwrap().to_string(), "957.353445");
    assert_eq!(t.profit.unwrap().to_string(), "887.508785");
}

#[tokio::test]
#[allow(deprecated)]
async fn deprecated_get_connection_stats_answers_empty() {
    let server = SoapLiteServer::start();
    let session = login(&server, Realm::Admin).await;
    let response = session
        .client()
        .callmon()
        .get_connection_stats(&GetConnectionStatsRequest {})
        .await
        .expect("the deprecated get_connection_stats still answers");
    assert_eq!(response, GetConnectionStatsResponse {});
}

// ---------------------------------------------------------------------------------------------
// Access to Call Monitor Configuration

#[tokio::test]
async fn save_profile_creates_then_updates_with_server_stamps() {
    let server = SoapLiteServer::start();
    let session = login(&server, Realm::Admin).await;
    let callmon = session.client().callmon();

    // New profile of the caller (login defaults to the session's, api-user). `data` and `ts`
    // are read-only: what the request says is ignored, the server's clock stamps them.
    let list = callmon
        .save_profile(&SaveProfileRequest {
            name: Some("Peak hours".into()),
            login: None,
            data: Some(utc("2001-01-01 00:00:00")),
            ts: Some(utc("2001-01-01 00:00:00")),
        })
        .await
        .expect("save_profile")
        .list;
    assert_profiles(
        &list,
        &[
            (1, "NOC wallboard", "api-user", "2026-11-30 08:15:00"),
            (2, "Fraud watch – nuit", "api-user", "2026-12-01 22:40:05"),
            (4, "Peak hours", "api-user", "2026-12-03 09:00:00"),
        ],
    );

    // Saving an existing name updates that profile (same id, new stamp).
    let list = callmon
        .save_profile(&SaveProfileRequest {
            name: Some("NOC wallboard".into()),
            ..Default::default()
        })
        .await
        .expect("save_profile")
        .list;
    assert_profiles(
        &list,
        &[
            (1, "NOC wallboard", "api-user", "2026-12-03 09:00:01"),
            (2, "Fraud watch – nuit", "api-user", "2026-12-01 22:40:05"),
            (4, "Peak hours", "api-user", "2026-12-03 09:00:00"),
        ],
    );

    // Another login: its profiles come back.
    let list = callmon
        .save_profile(&SaveProfileRequest {
            name: Some("Nuit – Québec".into()),
            login: Some("noc-viewer".into()),
            ..Default::default()
        })
        .await
        .expect("save_profile")
        .list;
    assert_profiles(
        &list,
        &[
            (3, "Reseller view", "noc-viewer", "2026-11-02 10:00:00"),
            (5, "Nuit – Québec", "noc-viewer", "2026-12-03 09:00:02"),
        ],
    );

    // The state is kept: load_profile sees the new profile.
    let loaded = callmon
        .load_profile(&LoadProfileRequest {
            i_profile: Some(4),
            ..Default::default()
        })
        .await
        .expect("load_profile")
        .list;
    assert_profiles(
        &loaded,
        &[(4, "Peak hours", "api-user", "2026-12-03 09:00:00")],
    );
}

#[tokio::test]
async fn load_profile_by_caller_id_login_name_and_date() {
    let server = SoapLiteServer::start();
    let data = data();
    let session = login(&server, Realm::Admin).await;
    let callmon = session.client().callmon();
    let p1 = (1, "NOC wallboard", "api-user", "2026-11-30 08:15:00");
    let p2 = (2, "Fraud watch – nuit", "api-user", "2026-12-01 22:40:05");
    let p3 = (3, "Reseller view", "noc-viewer", "2026-11-02 10:00:00");
    for (want, (id, name, login, stamp)) in data["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .zip([p1, p2, p3])
    {
        assert_eq!(want["i_profile"], id);
        assert_eq!(want["name"], name);
        assert_eq!(want["login"], login);
        assert_eq!(want["data"], stamp);
    }

    let load = |request: LoadProfileRequest| {
        let callmon = callmon.clone();
        async move {
            callmon
                .load_profile(&request)
                .await
                .expect("load_profile")
                .list
        }
    };
    // The caller's profiles.
    assert_profiles(&load(LoadProfileRequest::default()).await, &[p1, p2]);
    // By id, whatever its login.
    assert_profiles(
        &load(LoadProfileRequest {
            i_profile: Some(3),
            ..Default::default()
        })
        .await,
        &[p3],
    );
    // By login.
    assert_profiles(
        &load(LoadProfileRequest {
            login: Some("noc-viewer".into()),
            ..Default::default()
        })
        .await,
        &[p3],
    );
    // By (non-ASCII) name.
    assert_profiles(
        &load(LoadProfileRequest {
            name: Some("Fraud watch – nuit".into()),
            ..Default::default()
        })
        .await,
        &[p2],
    );
    // Saved since a date.
    assert_profiles(
        &load(LoadProfileRequest {
            prof_data: Some(utc("2026-12-01 00:00:00")),
            ..Default::default()
        })
        .await,
        &[p2],
    );
    // Nothing matches: an empty list.
    assert!(load(LoadProfileRequest {
        name: Some("no such profile".into()),
        ..Default::default()
    })
    .await
    .is_empty());
}

#[tokio::test]
async fn delete_profile_removes_it() {
    let server = SoapLiteServer::start();
    let session = login(&server, Realm::Admin).await;
    let callmon = session.client().callmon();

    callmon
        .delete_profile(&DeleteProfileRequest { i_profile: Some(1) })
        .await
        .expect("delete_profile (xsi:nil response)");
    let left = callmon
        .load_profile(&LoadProfileRequest::default())
        .await
        .expect("load_profile")
        .list;
    assert_profiles(
        &left,
        &[(2, "Fraud watch – nuit", "api-user", "2026-12-01 22:40:05")],
    );

    let err = callmon
        .delete_profile(&DeleteProfileRequest { i_profile: Some(1) })
        .await
        .expect_err("already deleted");
    assert_app_fault(&err, "delete_profile", "not_found", "Profile 1 not found");
    let err = callmon
        .load_profile(&LoadProfileRequest {
            i_profile: Some(1),
            ..Default::default()
        })
        .await
        .expect_err("deleted profile");
    assert_app_fault(&err, "load_profile", "not_found", "Profile 1 not found");
}

// ---------------------------------------------------------------------------------------------
// Realms, faults, authentication

#[tokio::test]
async fn reseller_realm_reads_vendor_and_customer_statistics() {
    let server = SoapLiteServer::start();
    let data = data();
    let session = login(&server, Realm::Reseller).await;
    assert_eq!(session.client().config().realm(), Realm::Reseller);
    let callmon = session.client().callmon();
    let info = callmon
        .get_vendor_info(&GetVendorInfoRequest {
            i_vendor: Some(203),
            i_env: None,
        })
        .await
        .expect("get_vendor_info (reseller)")
        .vendor_info
        .expect("VendorInfo");
    assert_vendor(&info, one(&data, "vendors", "i_vendor", 203));
    let days = callmon
        .get_customer_stats_by_days(&GetCustomerStatsByDaysRequest {
            i_customer: Some(1004),
        })
        .await
        .expect("get_customer_stats_by_days (reseller)")
        .customer_stats_by_days;
    let want = rows(&data, "customer_stats_by_days", "i_customer", 1004);
    assert_eq!(days.len(), want.len());
    for (got, want) in days.iter().zip(&want) {
        assert_by_days(got, want);
    }
}

#[tokio::test]
async fn documented_faults_are_typed_and_not_auth_failures() {
    let server = SoapLiteServer::start();
    let session = login(&server, Realm::Admin).await;
    let callmon = session.client().callmon();

    let err = callmon
        .get_vendor_info(&GetVendorInfoRequest {
            i_vendor: Some(999),
            i_env: None,
        })
        .await
        .expect_err("unknown vendor");
    assert!(matches!(err, Error::Fault { .. }), "{err:?}");
    assert_app_fault(&err, "get_vendor_info", "not_found", "Vendor 999 not found");

    let err = callmon
        .get_vendor_info(&GetVendorInfoRequest::default())
        .await
        .expect_err("no vendor");
    assert_app_fault(
        &err,
        "get_vendor_info",
        "missing_i_vendor",
        "Missing required parameter 'i_vendor'",
    );

    let err = callmon
        .get_vendor_list(&GetVendorListRequest { i_env: Some(47) })
        .await
        .expect_err("other environment");
    assert_app_fault(
        &err,
        "get_vendor_list",
        "bad_i_env",
        "Invalid value of 'i_env': '47' (this environment is 46)",
    );

    let err = callmon
        .get_customer_stats(&GetCustomerStatsRequest::default())
        .await
        .expect_err("no customer");
    assert_app_fault(
        &err,
        "get_customer_stats",
        "missing_i_customer",
        "Missing required parameter 'i_customer'",
    );

    let err = callmon
        .get_customer_stats(&GetCustomerStatsRequest {
            i_direct_customer: Some(1002),
            i_customer: Some(1001),
            ..Default::default()
        })
        .await
        .expect_err("not a customer of that reseller");
    assert_app_fault(
        &err,
        "get_customer_stats",
        "not_found",
        "Customer 1001 of reseller 1002 not found",
    );

    let err = callmon
        .get_vendor_stats_by_days(&GetVendorStatsByDaysRequest {
            i_connection: Some(4999),
        })
        .await
        .expect_err("unknown connection");
    assert_app_fault(
        &err,
        "get_vendor_stats_by_days",
        "not_found",
        "Connection 4999 not found",
    );

    let err = callmon
        .get_customer_stats_lastdays(&GetCustomerStatsLastdaysRequest {
            i_customer: Some(1001),
            number_of_days: Some(0),
            ..Default::default()
        })
        .await
        .expect_err("zero days");
    let fault = err.fault().expect("fault");
    assert_eq!(
        fault.code_path(),
        "Server.Callmon.get_customer_stats_lastdays.bad_number_of_days"
    );
    assert!(!fault.is_auth_failure());

    let err = callmon
        .save_profile(&SaveProfileRequest::default())
        .await
        .expect_err("no name");
    assert_app_fault(
        &err,
        "save_profile",
        "missing_name",
        "Missing required parameter 'name'",
    );

    // The session is still good after faults.
    assert_eq!(
        callmon
            .get_vendor_list(&GetVendorListRequest::default())
            .await
            .expect("get_vendor_list")
            .list
            .len(),
        3
    );
}

#[tokio::test]
async fn credentials_in_auth_info_work_without_a_session() {
    // login + password (or token) in every auth_info header: save_profile's default login is
    // then auth_info's login.
    let server = SoapLiteServer::start();
    let client = Client::new(server.config(Realm::Admin)).expect("client");
    client.set_credentials(Credentials::token(LOGIN, TOKEN));
    let list = client
        .callmon()
        .save_profile(&SaveProfileRequest {
            name: Some("Token profile".into()),
            ..Default::default()
        })
        .await
        .expect("save_profile with a token in auth_info")
        .list;
    assert_profiles(
        &list,
        &[
            (1, "NOC wallboard", "api-user", "2026-11-30 08:15:00"),
            (2, "Fraud watch – nuit", "api-user", "2026-12-01 22:40:05"),
            (4, "Token profile", "api-user", "2026-12-03 09:00:00"),
        ],
    );
    client.set_credentials(SoapLiteServer::credentials());
    let info = client
        .callmon()
        .get_connection_info(&GetConnectionInfoRequest {
            i_env: None,
            i_vendor: Some(201),
        })
        .await
        .expect("get_connection_info with a password in auth_info")
        .connection_info
        .expect("ConnectionInfo");
    assert_connection(&info, one(&data(), "connections", "i_connection", 4001));
}

#[tokio::test]
async fn a_call_without_a_session_is_an_auth_fault() {
    let server = SoapLiteServer::start();
    let client = Client::new(server.config(Realm::Admin)).expect("client");
    let err = client
        .callmon()
        .get_vendor_list(&GetVendorListRequest::default())
        .await
        .expect_err("no auth_info");
    let fault = err.fault().expect("a SOAP fault");
    assert_eq!(fault.code_path(), "Server.Session.check_auth.auth_failed");
    assert_eq!(fault.string, "Authentification failed");
    assert!(fault.is_auth_failure());
    assert_eq!(
        err.operation().map(|o| o.to_string()).as_deref(),
        Some("Callmon/get_vendor_list")
    );
}
