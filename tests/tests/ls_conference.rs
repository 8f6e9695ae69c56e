//! LS_Conference (TeliCon conference rooms and their recordings) through the generated client
//! against the SOAP::Lite server: rooms added, updated, listed, fetched and deleted, recordings
//! listed and deleted, each checked against `tests/server/data/ls_conference.json` and the
//! behaviour `tests/server/README.md` documents.

use serde_json::Value;
use telinta_api::chrono::{DateTime, NaiveDateTime, Utc};
use telinta_api::common::YesNo;
use telinta_api::ls_conference::{
    AddConferenceRoomRequest, ConferenceRoomInfo, ConferenceRoomRecordingInfo,
    DeleteConferenceRoomRecordingRequest, DeleteConferenceRoomRequest,
    GetConferenceRoomInfoRequest, GetConferenceRoomListRequest, GetConferenceRoomRecordingsRequest,
    LsConferenceClient, MuteLevel, RecordMode, UpdateConferenceRoomRequest,
};
use telinta_api::{Client, Decimal, Error, Realm, Session};
use telinta_e2e::SoapLiteServer;

// ---------------------------------------------------------------------------------------------
// Data file and assertion helpers

fn data() -> Value {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("server/data/ls_conference.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn room_data(data: &Value, id: i64) -> &Value {
    data["rooms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["i_room"] == id)
        .unwrap_or_else(|| panic!("data file: no room {id}"))
}

/// PortaBilling's zone-less `YYYY-MM-DD HH:MM:SS`, read as UTC.
fn utc(text: &str) -> DateTime<Utc> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .and_utc()
}

/// `record[key]`, which the data file must have (JSON null is a value: nil).
fn member<'a>(record: &'a Value, key: &str) -> &'a Value {
    record
        .get(key)
        .unwrap_or_else(|| panic!("data file: no member {key} in {record}"))
}

fn yes_no(v: &Value) -> Option<YesNo> {
    v.as_str().map(|s| match s {
        "Y" => YesNo::Y,
        "N" => YesNo::N,
        other => panic!("data file: flag {other}"),
    })
}

/// The room as the data file holds it, as the user expects it decoded.
fn expected_room(want: &Value) -> ConferenceRoomInfo {
    ConferenceRoomInfo {
        i_room: member(want, "i_room").as_i64(),
        i_account: member(want, "i_account").as_i64(),
        name: member(want, "name").as_str().map(str::to_owned),
        i_env: member(want, "i_env").as_i64(),
        pin: member(want, "pin").as_str().map(str::to_owned),
        moderator_pin: member(want, "moderator_pin").as_str().map(str::to_owned),
        start_time: member(want, "start_time").as_str().map(utc),
        max_duration: member(want, "max_duration").as_i64(),
        wait_for_moderator: yes_no(member(want, "wait_for_moderator")),
        close_after_participants_exit: yes_no(member(want, "close_after_participants_exit")),
        announce_join_leave: yes_no(member(want, "announce_join_leave")),
        announce_name: member(want, "announce_name").as_i64(),
        play_moh: yes_no(member(want, "play_moh")),
        max_participants: member(want, "max_participants").as_i64(),
        record: member(want, "record").as_str().map(|r| match r {
            "Y" => RecordMode::Y,
            "N" => RecordMode::N,
            "A" => RecordMode::A,
            other => panic!("data file: record {other}"),
        }),
        mute: member(want, "mute").as_i64().map(|m| match m {
            0 => MuteLevel::N0,
            1 => MuteLevel::N1,
            2 => MuteLevel::N2,
            3 => MuteLevel::N3,
            other => panic!("data file: mute {other}"),
        }),
        announce_number_participants: yes_no(member(want, "announce_number_participants")),
        blocked: yes_no(member(want, "blocked")),
        i_moh: member(want, "i_moh").as_i64(),
    }
}

/// The data file's recordings that pass `keep`, in the server's order (timestamp, filename).
fn expected_recordings(data: &Value, keep: impl Fn(&Value) -> bool) -> Vec<&Value> {
    let mut list: Vec<&Value> = data["recordings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| keep(r))
        .collect();
    list.sort_by(|a, b| {
        (a["timestamp"].as_str(), a["filename"].as_str())
            .cmp(&(b["timestamp"].as_str(), b["filename"].as_str()))
    });
    list
}

fn assert_recordings(got: &[ConferenceRoomRecordingInfo], want: &[&Value]) {
    assert_eq!(
        got.iter()
            .map(|r| r.filename.clone().unwrap_or_default())
            .collect::<Vec<_>>(),
        want.iter()
            .map(|r| member(r, "filename").as_str().unwrap().to_owned())
            .collect::<Vec<_>>(),
        "recordings, in order"
    );
    for (got, want) in got.iter().zip(want) {
        let ctx = member(want, "filename").as_str().unwrap();
        assert_eq!(got.i_room, member(want, "i_room").as_i64(), "{ctx} i_room");
        assert_eq!(
            got.i_account,
            member(want, "i_account").as_i64(),
            "{ctx} i_account"
        );
        assert_eq!(
            got.timestamp,
            member(want, "timestamp").as_str().map(utc),
            "{ctx} timestamp"
        );
        assert_eq!(
            got.url_to_download.as_deref(),
            member(want, "url_to_download").as_str(),
            "{ctx} url_to_download"
        );
        // Megabytes, an exact decimal: the data file's text.
        assert_eq!(
            got.size.map(|s| s.to_string()).as_deref(),
            member(want, "size").as_str(),
            "{ctx} size"
        );
    }
}

fn room_ids(rooms: &[ConferenceRoomInfo]) -> Vec<i64> {
    rooms.iter().map(|r| r.i_room.expect("i_room")).collect()
}

/// A documented application fault of LS_Conference: code, string, not an auth failure.
fn assert_app_fault(err: &Error, method: &str, reason: &str, string: Option<&str>) {
    let fault = err
        .fault()
        .unwrap_or_else(|| panic!("expected a SOAP fault, got {err:?}"));
    assert_eq!(
        fault.code_path(),
        format!("Server.LS_Conference.{method}.{reason}")
    );
    if let Some(string) = string {
        assert_eq!(fault.string, string);
    }
    assert!(!fault.is_auth_failure(), "{fault:?} is not an auth failure");
    assert_eq!(
        err.operation().map(|o| o.to_string()),
        Some(format!("LS_Conference/{method}"))
    );
}

async fn login(server: &SoapLiteServer, realm: Realm) -> Session {
    Session::login(server.config(realm), &SoapLiteServer::credentials())
        .await
        .expect("login")
}

async fn room(conf: &LsConferenceClient, id: i64) -> ConferenceRoomInfo {
    conf.get_room_info(&GetConferenceRoomInfoRequest { i_room: Some(id) })
        .await
        .unwrap_or_else(|e| panic!("get_room_info {id}: {e}"))
        .room_info
        .expect("room_info")
}

async fn list(conf: &LsConferenceClient, account: Option<i64>) -> Vec<ConferenceRoomInfo> {
    conf.get_room_list(&GetConferenceRoomListRequest { i_account: account })
        .await
        .expect("get_room_list")
        .room_list
}

async fn recordings(
    conf: &LsConferenceClient,
    request: GetConferenceRoomRecordingsRequest,
) -> Vec<ConferenceRoomRecordingInfo> {
    conf.get_room_recordings(&request)
        .await
        .expect("get_room_recordings")
        .recordings_list
}

// ---------------------------------------------------------------------------------------------
// Rooms

#[tokio::test]
async fn get_room_info_decodes_every_member() {
    let server = SoapLiteServer::start();
    let data = data();
    let session = login(&server, Realm::Admin).await;
    let conf = session.client().ls_conference();

    for id in [801, 802, 803, 804] {
        assert_eq!(
            room(&conf, id).await,
            expected_room(room_data(&data, id)),
            "room {id}"
        );
    }

    // Every member set; `record` A, `mute` 1.
    let weekly = room(&conf, 801).await;
    assert_eq!(weekly.pin.as_deref(), Some("4821"));
    assert_eq!(weekly.moderator_pin.as_deref(), Some("9034"));
    assert_eq!(weekly.start_time, Some(utc("2026-12-07 15:00:00")));
    assert_eq!(weekly.wait_for_moderator, Some(YesNo::Y));
    assert_eq!(weekly.close_after_participants_exit, Some(YesNo::N));
    assert_eq!(weekly.record, Some(RecordMode::A));
    assert_eq!(weekly.mute, Some(MuteLevel::N1));
    assert_eq!(weekly.i_moh, Some(3));

    // PIN with a leading zero (xsd:string on the wire), non-ASCII name, nil members.
    let salle = room(&conf, 802).await;
    assert_eq!(salle.pin.as_deref(), Some("0417"));
    assert_eq!(salle.name.as_deref(), Some("Salle de réunion Montréal"));
    assert_eq!(salle.moderator_pin, None);
    assert_eq!(salle.start_time, None);
    assert_eq!(salle.max_duration, None);
    assert_eq!(salle.i_moh, None);
    assert_eq!(salle.record, Some(RecordMode::N));
    assert_eq!(salle.mute, Some(MuteLevel::N0));

    let board = room(&conf, 803).await;
    assert_eq!(board.name.as_deref(), Some("Board – Q4 review"));
    assert_eq!(board.mute, Some(MuteLevel::N2));
    assert_eq!(board.record, Some(RecordMode::Y));

    let archived = room(&conf, 804).await;
    assert_eq!(archived.blocked, Some(YesNo::Y));
    assert_eq!(archived.mute, Some(MuteLevel::N3));
}

#[tokio::test]
async fn get_room_list_of_all_rooms_and_of_an_account() {
    let server = SoapLiteServer::start();
    let data = data();
    let session = login(&server, Realm::Admin).await;
    let conf = session.client().ls_conference();

    let all = list(&conf, None).await;
    assert_eq!(room_ids(&all), [801, 802, 803, 804]);
    for got in &all {
        assert_eq!(*got, expected_room(room_data(&data, got.i_room.unwrap())));
    }
    assert_eq!(room_ids(&list(&conf, Some(50001)).await), [801, 802]);
    assert_eq!(room_ids(&list(&conf, Some(50002)).await), [803]);
    let of_50003 = list(&conf, Some(50003)).await;
    assert_eq!(of_50003, [expected_room(room_data(&data, 804))]);
}

#[tokio::test]
async fn add_room_with_defaults_and_with_every_member() {
    let server = SoapLiteServer::start();
    let session = login(&server, Realm::Admin).await;
    let conf = session.client().ls_conference();

    // The three required members only: the server fills in the documented defaults.
    let added = conf
        .add_room(&AddConferenceRoomRequest {
            room_info: Some(ConferenceRoomInfo {
                i_account: Some(50002),
                name: Some("Stand-up".into()),
                pin: Some("0099".into()),
                ..Default::default()
            }),
        })
        .await
        .expect("add_room")
        .i_room;
    assert_eq!(added, Some(805), "largest + 1");
    assert_eq!(
        room(&conf, 805).await,
        ConferenceRoomInfo {
            i_room: Some(805),
            i_account: Some(50002),
            name: Some("Stand-up".into()),
            i_env: Some(46),
            pin: Some("0099".into()),
            moderator_pin: None,
            start_time: None,
            max_duration: None,
            wait_for_moderator: Some(YesNo::N),
            close_after_participants_exit: Some(YesNo::N),
            announce_join_leave: Some(YesNo::Y),
            announce_name: Some(0),
            play_moh: Some(YesNo::Y),
            max_participants: Some(10),
            record: Some(RecordMode::N),
            mute: Some(MuteLevel::N0),
            announce_number_participants: Some(YesNo::N),
            blocked: Some(YesNo::N),
            i_moh: None,
        }
    );

    // Every member given: the room reads back exactly as sent.
    let full = ConferenceRoomInfo {
        i_room: None,
        i_account: Some(50003),
        name: Some("Réunion – équipe".into()),
        i_env: Some(46),
        pin: Some("000123".into()),
        moderator_pin: Some("0987".into()),
        start_time: Some(utc("2027-01-05 14:30:00")),
        max_duration: Some(90),
        wait_for_moderator: Some(YesNo::Y),
        close_after_participants_exit: Some(YesNo::Y),
        announce_join_leave: Some(YesNo::N),
        announce_name: Some(1),
        play_moh: Some(YesNo::N),
        max_participants: Some(50),
        record: Some(RecordMode::Y),
        mute: Some(MuteLevel::N2),
        announce_number_participants: Some(YesNo::Y),
        blocked: Some(YesNo::N),
        i_moh: Some(7),
    };
    let added = conf
        .add_room(&AddConferenceRoomRequest {
            room_info: Some(full.clone()),
        })
        .await
        .expect("add_room")
        .i_room;
    assert_eq!(added, Some(806));
    let got = room(&conf, 806).await;
    assert_eq!(
        got,
        ConferenceRoomInfo {
            i_room: Some(806),
            ..full
        }
    );
    assert_eq!(got.pin.as_deref(), Some("000123"), "leading zeros kept");

    // Listed under their accounts.
    assert_eq!(room_ids(&list(&conf, Some(50002)).await), [803, 805]);
    assert_eq!(room_ids(&list(&conf, Some(50003)).await), [804, 806]);
    assert_eq!(
        room_ids(&list(&conf, None).await),
        [801, 802, 803, 804, 805, 806]
    );
}

#[tokio::test]
async fn update_room_changes_the_given_members() {
    let server = SoapLiteServer::start();
    let data = data();
    let session = login(&server, Realm::Admin).await;
    let conf = session.client().ls_conference();

    let before = room(&conf, 802).await;
    assert_eq!(before, expected_room(room_data(&data, 802)));
    let success = conf
        .update_room(&UpdateConferenceRoomRequest {
            room_info: Some(ConferenceRoomInfo {
                i_room: Some(802),
                name: Some("Salle Montréal – 2".into()),
                moderator_pin: Some("0042".into()),
                start_time: Some(utc("2026-12-24 18:00:00")),
                max_duration: Some(45),
                record: Some(RecordMode::Y),
                mute: Some(MuteLevel::N3),
                blocked: Some(YesNo::Y),
                i_moh: Some(2),
                ..Default::default()
            }),
        })
        .await
        .expect("update_room")
        .success;
    assert_eq!(success, Some(true), "`1` on the wire");
    let after = room(&conf, 802).await;
    assert_eq!(
        after,
        ConferenceRoomInfo {
            name: Some("Salle Montréal – 2".into()),
            moderator_pin: Some("0042".into()),
            start_time: Some(utc("2026-12-24 18:00:00")),
            max_duration: Some(45),
            record: Some(RecordMode::Y),
            mute: Some(MuteLevel::N3),
            blocked: Some(YesNo::Y),
            i_moh: Some(2),
            ..before.clone()
        }
    );
    assert_eq!(after.pin.as_deref(), Some("0417"), "pin untouched");

    // Moving the room to another account.
    let success = conf
        .update_room(&UpdateConferenceRoomRequest {
            room_info: Some(ConferenceRoomInfo {
                i_room: Some(802),
                i_account: Some(50002),
                ..Default::default()
            }),
        })
        .await
        .expect("update_room")
        .success;
    assert_eq!(success, Some(true));
    assert_eq!(room_ids(&list(&conf, Some(50001)).await), [801]);
    assert_eq!(room_ids(&list(&conf, Some(50002)).await), [802, 803]);
    assert_eq!(room(&conf, 802).await.i_account, Some(50002));
}

#[tokio::test]
async fn delete_room_removes_the_room_and_its_recordings() {
    let server = SoapLiteServer::start();
    let data = data();
    let session = login(&server, Realm::Admin).await;
    let conf = session.client().ls_conference();

    assert_eq!(
        recordings(&conf, GetConferenceRoomRecordingsRequest::default())
            .await
            .len(),
        7
    );
    let success = conf
        .delete_room(&DeleteConferenceRoomRequest { i_room: Some(801) })
        .await
        .expect("delete_room")
        .success;
    assert_eq!(success, Some(true));

    assert_eq!(room_ids(&list(&conf, None).await), [802, 803, 804]);
    let err = conf
        .get_room_info(&GetConferenceRoomInfoRequest { i_room: Some(801) })
        .await
        .expect_err("deleted room");
    assert_app_fault(
        &err,
        "get_room_info",
        "not_found",
        Some("Room 801 not found"),
    );
    assert_recordings(
        &recordings(&conf, GetConferenceRoomRecordingsRequest::default()).await,
        &expected_recordings(&data, |r| r["i_room"] != 801),
    );

    let err = conf
        .delete_room(&DeleteConferenceRoomRequest { i_room: Some(801) })
        .await
        .expect_err("already deleted");
    assert_app_fault(&err, "delete_room", "not_found", Some("Room 801 not found"));
}

// ---------------------------------------------------------------------------------------------
// Recordings

#[tokio::test]
async fn get_room_recordings_filters_sorts_and_pages() {
    let server = SoapLiteServer::start();
    let data = data();
    let session = login(&server, Realm::Admin).await;
    let conf = session.client().ls_conference();

    let all = recordings(&conf, GetConferenceRoomRecordingsRequest::default()).await;
    let want_all = expected_recordings(&data, |_| true);
    assert_eq!(want_all.len(), 7);
    assert_recordings(&all, &want_all);
    assert_eq!(all[0].timestamp, Some(utc("2026-10-15 09:30:11")));

    let of_801 = recordings(
        &conf,
        GetConferenceRoomRecordingsRequest {
            i_room: Some(801),
            ..Default::default()
        },
    )
    .await;
    assert_recordings(&of_801, &expected_recordings(&data, |r| r["i_room"] == 801));
    assert_eq!(of_801.len(), 4);
    let sizes: Vec<String> = of_801.iter().map(|r| r.size.unwrap().to_string()).collect();
    assert_eq!(sizes, ["12.3400000001", "0.123456789", "48.5", "7"]);
    assert_eq!(
        of_801[1].size,
        Some("0.123456789".parse::<Decimal>().unwrap())
    );

    let of_50002 = recordings(
        &conf,
        GetConferenceRoomRecordingsRequest {
            i_account: Some(50002),
            ..Default::default()
        },
    )
    .await;
    assert_recordings(
        &of_50002,
        &expected_recordings(&data, |r| r["i_account"] == 50002),
    );
    assert!(of_50002
        .iter()
        .all(|r| r.filename.as_deref().unwrap().ends_with(".wav")));

    // Room 804 has none: an empty array (xsd:anyType[0]).
    let none = recordings(
        &conf,
        GetConferenceRoomRecordingsRequest {
            i_room: Some(804),
            ..Default::default()
        },
    )
    .await;
    assert!(none.is_empty());

    // Paging: skip 2, at most 3.
    let page = recordings(
        &conf,
        GetConferenceRoomRecordingsRequest {
            offset: Some(2),
            limit: Some(3),
            ..Default::default()
        },
    )
    .await;
    assert_recordings(&page, &want_all[2..5]);
    let past_end = recordings(
        &conf,
        GetConferenceRoomRecordingsRequest {
            offset: Some(7),
            ..Default::default()
        },
    )
    .await;
    assert!(past_end.is_empty());
}

#[tokio::test]
async fn delete_room_recording_removes_one_file() {
    let server = SoapLiteServer::start();
    let data = data();
    let session = login(&server, Realm::Admin).await;
    let conf = session.client().ls_conference();
    let file = "801_2026-11-23_150003.mp3";

    let success = conf
        .delete_room_recording(&DeleteConferenceRoomRecordingRequest {
            i_room: Some(801),
            filename: Some(file.into()),
        })
        .await
        .expect("delete_room_recording")
        .success;
    assert_eq!(success, Some(true));
    let left = recordings(
        &conf,
        GetConferenceRoomRecordingsRequest {
            i_room: Some(801),
            ..Default::default()
        },
    )
    .await;
    assert_recordings(
        &left,
        &expected_recordings(&data, |r| r["i_room"] == 801 && r["filename"] != file),
    );
    assert_eq!(left.len(), 3);

    let err = conf
        .delete_room_recording(&DeleteConferenceRoomRecordingRequest {
            i_room: Some(801),
            filename: Some(file.into()),
        })
        .await
        .expect_err("already deleted");
    assert_app_fault(
        &err,
        "delete_room_recording",
        "not_found",
        Some("Recording '801_2026-11-23_150003.mp3' of room 801 not found"),
    );
    // A file of another room.
    let err = conf
        .delete_room_recording(&DeleteConferenceRoomRecordingRequest {
            i_room: Some(803),
            filename: Some("801_2026-12-02_150001.mp3".into()),
        })
        .await
        .expect_err("not a file of room 803");
    assert_app_fault(
        &err,
        "delete_room_recording",
        "not_found",
        Some("Recording '801_2026-12-02_150001.mp3' of room 803 not found"),
    );
    // The room itself is untouched.
    assert_eq!(room(&conf, 801).await, expected_room(room_data(&data, 801)));
}

// ---------------------------------------------------------------------------------------------
// Realms, faults, authentication

#[tokio::test]
async fn reseller_realm_manages_rooms() {
    let server = SoapLiteServer::start();
    let data = data();
    let session = login(&server, Realm::Reseller).await;
    assert_eq!(session.client().config().realm(), Realm::Reseller);
    let conf = session.client().ls_conference();
    let rooms = list(&conf, Some(50001)).await;
    assert_eq!(
        rooms,
        [
            expected_room(room_data(&data, 801)),
            expected_room(room_data(&data, 802))
        ]
    );
    let added = conf
        .add_room(&AddConferenceRoomRequest {
            room_info: Some(ConferenceRoomInfo {
                i_account: Some(50001),
                name: Some("Reseller room".into()),
                pin: Some("31337".into()),
                mute: Some(MuteLevel::N1),
                ..Default::default()
            }),
        })
        .await
        .expect("add_room (reseller)")
        .i_room;
    assert_eq!(added, Some(805));
    let got = room(&conf, 805).await;
    assert_eq!(got.pin.as_deref(), Some("31337"));
    assert_eq!(got.mute, Some(MuteLevel::N1));
}

#[tokio::test]
async fn documented_faults_are_typed_and_not_auth_failures() {
    let server = SoapLiteServer::start();
    let session = login(&server, Realm::Admin).await;
    let conf = session.client().ls_conference();

    let err = conf
        .get_room_info(&GetConferenceRoomInfoRequest { i_room: Some(999) })
        .await
        .expect_err("unknown room");
    assert!(matches!(err, Error::Fault { .. }), "{err:?}");
    assert_app_fault(
        &err,
        "get_room_info",
        "not_found",
        Some("Room 999 not found"),
    );

    let err = conf
        .get_room_info(&GetConferenceRoomInfoRequest { i_room: None })
        .await
        .expect_err("no room");
    assert_app_fault(
        &err,
        "get_room_info",
        "missing_i_room",
        Some("Missing required parameter 'i_room'"),
    );

    let err = conf
        .get_room_list(&GetConferenceRoomListRequest {
            i_account: Some(99999),
        })
        .await
        .expect_err("unknown account");
    assert_app_fault(
        &err,
        "get_room_list",
        "not_found",
        Some("Account 99999 not found"),
    );

    let base = ConferenceRoomInfo {
        i_account: Some(50001),
        name: Some("Faulty".into()),
        pin: Some("4821".into()),
        ..Default::default()
    };
    let add = |info: Option<ConferenceRoomInfo>| {
        let conf = conf.clone();
        async move {
            conf.add_room(&AddConferenceRoomRequest { room_info: info })
                .await
                .expect_err("add_room refused")
        }
    };
    assert_app_fault(
        &add(None).await,
        "add_room",
        "missing_room_info",
        Some("Missing required parameter 'room_info'"),
    );
    assert_app_fault(
        &add(Some(ConferenceRoomInfo {
            pin: Some("12".into()),
            ..base.clone()
        }))
        .await,
        "add_room",
        "bad_pin",
        Some("Invalid value of 'pin': '12' (3 to 12 digits)"),
    );
    assert_app_fault(
        &add(Some(ConferenceRoomInfo {
            pin: None,
            ..base.clone()
        }))
        .await,
        "add_room",
        "missing_pin",
        Some("Missing required parameter 'pin'"),
    );
    assert_app_fault(
        &add(Some(ConferenceRoomInfo {
            moderator_pin: Some("4821".into()),
            ..base.clone()
        }))
        .await,
        "add_room",
        "bad_moderator_pin",
        Some("Invalid value of 'moderator_pin': '4821' (must differ from pin)"),
    );
    assert_app_fault(
        &add(Some(ConferenceRoomInfo {
            i_room: Some(801),
            ..base.clone()
        }))
        .await,
        "add_room",
        "bad_i_room",
        None,
    );
    assert_app_fault(
        &add(Some(ConferenceRoomInfo {
            i_account: Some(99999),
            ..base.clone()
        }))
        .await,
        "add_room",
        "not_found",
        Some("Account 99999 not found"),
    );
    // A value the server does not know, sent through `Other`.
    assert_app_fault(
        &add(Some(ConferenceRoomInfo {
            mute: Some(MuteLevel::Other("7".into())),
            ..base.clone()
        }))
        .await,
        "add_room",
        "bad_mute",
        Some("Invalid value of 'mute': '7' (max 3)"),
    );

    let err = conf
        .update_room(&UpdateConferenceRoomRequest {
            room_info: Some(ConferenceRoomInfo {
                name: Some("no id".into()),
                ..Default::default()
            }),
        })
        .await
        .expect_err("no i_room");
    assert_app_fault(
        &err,
        "update_room",
        "missing_i_room",
        Some("Missing required parameter 'i_room'"),
    );
    let err = conf
        .update_room(&UpdateConferenceRoomRequest {
            room_info: Some(ConferenceRoomInfo {
                i_room: Some(803),
                record: Some(RecordMode::Other("X".into())),
                ..Default::default()
            }),
        })
        .await
        .expect_err("bad record");
    assert_app_fault(
        &err,
        "update_room",
        "bad_record",
        Some("Invalid value of 'record': 'X' (one of Y|N|A)"),
    );

    let err = conf
        .get_room_recordings(&GetConferenceRoomRecordingsRequest {
            limit: Some(0),
            ..Default::default()
        })
        .await
        .expect_err("limit 0");
    assert_app_fault(&err, "get_room_recordings", "bad_limit", None);

    // Nothing changed.
    assert_eq!(room_ids(&list(&conf, None).await), [801, 802, 803, 804]);
    assert_eq!(room(&conf, 803).await.record, Some(RecordMode::Y));
}

#[tokio::test]
async fn a_call_without_a_session_is_an_auth_fault() {
    let server = SoapLiteServer::start();
    let client = Client::new(server.config(Realm::Admin)).expect("client");
    let err = client
        .ls_conference()
        .get_room_list(&GetConferenceRoomListRequest::default())
        .await
        .expect_err("no auth_info");
    let fault = err.fault().expect("a SOAP fault");
    assert_eq!(fault.code_path(), "Server.Session.check_auth.auth_failed");
    assert_eq!(fault.string, "Authentification failed");
    assert!(fault.is_auth_failure());
    assert_eq!(
        err.operation().map(|o| o.to_string()).as_deref(),
        Some("LS_Conference/get_room_list")
    );
}
