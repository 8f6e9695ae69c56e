//! Queues (call queues) through the generated client against the SOAP::Lite server. The service
//! lives under `/UM/SOAP/`, not `/Porta/SOAP/`: the server dispatches by that namespace, so a
//! call that answers proves the client sends it. Values are checked against
//! `tests/server/data/queues.json`.

use serde_json::Value;
use telinta_api::chrono::NaiveTime;
use telinta_api::queues::{GetQueueCallsRequest, QueueCallInfo, QueuesClient};
use telinta_api::{Client, Error, Realm, Session};
use telinta_e2e::SoapLiteServer;

fn data() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("server/data/queues.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `record[key]`, which the data file must have.
fn member<'a>(record: &'a Value, key: &str) -> &'a Value {
    record
        .get(key)
        .unwrap_or_else(|| panic!("data file: no member {key} in {record}"))
}

/// The calls of a queue as the data file holds them, in file order, as a user expects them
/// decoded.
fn expected_calls(data: &Value, queue: i64) -> Vec<QueueCallInfo> {
    data["calls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["i_queue"] == queue)
        .map(|c| QueueCallInfo {
            i_queue: member(c, "i_queue").as_i64(),
            i_active_callleg: member(c, "i_active_callleg").as_i64(),
            i_account: member(c, "i_account").as_i64(),
            i_customer: member(c, "i_customer").as_i64(),
            cli: member(c, "CLI").as_str().map(str::to_owned),
            cld: member(c, "CLD").as_str().map(str::to_owned),
            call_type: member(c, "call_type").as_str().map(str::to_owned),
            call_origin: member(c, "call_origin").as_str().map(str::to_owned),
            connect_time: member(c, "connect_time")
                .as_str()
                .map(|t| NaiveTime::parse_from_str(t, "%H:%M:%S").unwrap()),
        })
        .collect()
}

async fn login(server: &SoapLiteServer, realm: Realm) -> Session {
    Session::login(server.config(realm), &SoapLiteServer::credentials())
        .await
        .expect("login")
}

async fn calls(queues: &QueuesClient, queue: i64) -> Vec<QueueCallInfo> {
    queues
        .get_queue_calls(&GetQueueCallsRequest {
            i_queue: Some(queue),
        })
        .await
        .unwrap_or_else(|e| panic!("get_queue_calls {queue}: {e}"))
        .queue_calls
}

fn assert_app_fault(err: &Error, reason: &str, string: &str) {
    let fault = err
        .fault()
        .unwrap_or_else(|| panic!("expected a SOAP fault, got {err:?}"));
    assert_eq!(
        fault.code_path(),
        format!("Server.Queues.get_queue_calls.{reason}")
    );
    assert_eq!(fault.string, string);
    assert!(!fault.is_auth_failure(), "{fault:?} is not an auth failure");
    assert_eq!(
        err.operation().map(|o| o.to_string()).as_deref(),
        Some("Queues/get_queue_calls")
    );
}

#[test]
fn the_queues_service_lives_under_um() {
    assert_eq!(
        telinta_api::queues::NAMESPACE,
        "https://mybilling.telinta.com/UM/SOAP/Queues"
    );
    assert!(!telinta_api::queues::NAMESPACE.contains("/Porta/"));
}

#[tokio::test]
async fn get_queue_calls_lists_the_queues_calls() {
    let server = SoapLiteServer::start();
    let data = data();
    let session = login(&server, Realm::Admin).await;
    let queues = session.client().queues();

    let support = calls(&queues, 301).await;
    assert_eq!(support.len(), 4);
    assert_eq!(support, expected_calls(&data, 301));
    // CLI: xsd:long, plain text and a leading-zero xsd:string, all kept as text.
    let cli: Vec<_> = support.iter().map(|c| c.cli.as_deref().unwrap()).collect();
    assert_eq!(
        cli,
        ["12125550143", "442071234999", "anonymous", "0033142685300"]
    );
    // connect_time: xsd:time, the time since the call started.
    assert_eq!(
        support[0].connect_time,
        Some(NaiveTime::from_hms_opt(0, 0, 41).unwrap())
    );
    assert_eq!(
        support[3].connect_time,
        Some(NaiveTime::from_hms_opt(0, 11, 58).unwrap())
    );
    assert_eq!(support[1].i_active_callleg, Some(9_120_002));

    // One call: still a list.
    let sales = calls(&queues, 302).await;
    assert_eq!(sales, expected_calls(&data, 302));
    assert_eq!(sales.len(), 1);
    assert_eq!(sales[0].cli.as_deref(), Some("15145550177"));

    // No calls: an empty array (xsd:anyType[0]).
    assert!(calls(&queues, 303).await.is_empty());
}

#[tokio::test]
async fn reseller_realm_reads_queue_calls() {
    let server = SoapLiteServer::start();
    let data = data();
    let session = login(&server, Realm::Reseller).await;
    assert_eq!(
        calls(&session.client().queues(), 301).await,
        expected_calls(&data, 301)
    );
}

#[tokio::test]
async fn documented_faults_are_typed_and_not_auth_failures() {
    let server = SoapLiteServer::start();
    let session = login(&server, Realm::Admin).await;
    let queues = session.client().queues();

    let err = queues
        .get_queue_calls(&GetQueueCallsRequest { i_queue: Some(999) })
        .await
        .expect_err("unknown queue");
    assert!(matches!(err, Error::Fault { .. }), "{err:?}");
    assert_app_fault(&err, "not_found", "Call queue 999 not found");

    let err = queues
        .get_queue_calls(&GetQueueCallsRequest { i_queue: None })
        .await
        .expect_err("no queue");
    assert_app_fault(
        &err,
        "missing_i_queue",
        "Missing required parameter 'i_queue'",
    );

    // The session is still usable.
    assert_eq!(calls(&queues, 302).await.len(), 1);
}

#[tokio::test]
async fn a_call_without_a_session_is_an_auth_fault() {
    let server = SoapLiteServer::start();
    let client = Client::new(server.config(Realm::Admin)).expect("client");
    let err = client
        .queues()
        .get_queue_calls(&GetQueueCallsRequest { i_queue: Some(301) })
        .await
        .expect_err("no auth_info");
    let fault = err.fault().expect("a SOAP fault");
    assert_eq!(fault.code_path(), "Server.Session.check_auth.auth_failed");
    assert_eq!(fault.string, "Authentification failed");
    assert!(fault.is_auth_failure());
}
