//! Serde round trips and wire forms of the scalar types.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use headout_client::runtime::{ToParam, path_segment};
use headout_client::{Decimal, EpochMillis, EpochSeconds, Id, LocalTime, Offset};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[test]
fn id_keeps_its_form() {
    let ids: Vec<Id> = serde_json::from_str(r#"[512, "2844", "SKU-9", -3]"#).unwrap();
    assert_eq!(
        ids,
        [
            Id::Number(512),
            Id::Text("2844".into()),
            Id::Text("SKU-9".into()),
            Id::Number(-3)
        ]
    );
    assert_eq!(
        serde_json::to_string(&ids).unwrap(),
        r#"[512,"2844","SKU-9",-3]"#
    );
    assert_eq!(ids[0].to_string(), "512");
    assert_eq!(ids[1].as_str(), "2844");
    assert_eq!(ids[1].as_i64(), Some(2844));
    assert_eq!(ids[2].as_i64(), None);
    assert!(ids[0].is_number() && !ids[1].is_number());
    assert!(serde_json::from_str::<Id>("1.5").is_err());
    assert!(serde_json::from_str::<Id>("true").is_err());
    assert!(serde_json::from_str::<Id>("18446744073709551615").is_err());
}

#[test]
fn ids_compare_by_text() {
    assert_eq!(Id::from(2844), Id::from("2844"));
    assert_eq!(Id::from(7_i32), Id::from(String::from("7")));
    assert_ne!(Id::from(7), Id::from("07"));
    assert_ne!(Id::from("a"), Id::from("b"));
    let set: HashSet<Id> = [Id::from(1), Id::from("1"), Id::from("x")]
        .into_iter()
        .collect();
    assert_eq!(set.len(), 2);
    let mut sorted = vec![Id::from("b"), Id::from(10), Id::from("a"), Id::from("9")];
    sorted.sort();
    assert_eq!(
        sorted,
        [Id::from(9), Id::from(10), Id::from("a"), Id::from("b")]
    );
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Price {
    #[serde(with = "headout_client::runtime::money_serde")]
    amount: Decimal,
    #[serde(default, with = "headout_client::runtime::money_serde_opt")]
    original: Option<Decimal>,
}

#[test]
fn money_keeps_cents() {
    for text in [
        "77.08",
        "0.1",
        "19.99",
        "100",
        "0",
        "-12.5",
        "123456789.12",
        "0.07",
    ] {
        let from_number: Price = serde_json::from_str(&format!(r#"{{"amount": {text}}}"#)).unwrap();
        let from_string: Price =
            serde_json::from_str(&format!(r#"{{"amount": "{text}"}}"#)).unwrap();
        let exact: Decimal = text.parse().unwrap();
        assert_eq!(from_number.amount, exact, "{text}");
        assert_eq!(from_number.amount.to_string(), text);
        assert_eq!(from_string.amount, exact, "{text}");
        // Written back as a JSON number with the same digits.
        let written = serde_json::to_string(&from_number).unwrap();
        assert_eq!(written, format!(r#"{{"amount":{text},"original":null}}"#));
        let value: serde_json::Value = serde_json::from_str(&written).unwrap();
        assert!(value["amount"].is_number());
    }
    // Sums stay exact: the reason money is a decimal.
    let a: Price = serde_json::from_value(json!({"amount": 0.1})).unwrap();
    let b: Price = serde_json::from_value(json!({"amount": 0.2})).unwrap();
    assert_eq!((a.amount + b.amount).to_string(), "0.3");
    // 100.50 has no fractional zero to keep on the wire; it reads back equal.
    let price = Price {
        amount: "100.50".parse().unwrap(),
        original: Some("120".parse().unwrap()),
    };
    let written = serde_json::to_string(&price).unwrap();
    assert_eq!(written, r#"{"amount":100.5,"original":120}"#);
    assert_eq!(serde_json::from_str::<Price>(&written).unwrap(), price);
    assert!(serde_json::from_str::<Price>(r#"{"amount": "12,5"}"#).is_err());
    assert!(serde_json::from_str::<Price>(r#"{"amount": null}"#).is_err());
    assert_eq!(
        serde_json::from_str::<Price>(r#"{"amount": "1e2", "original": null}"#)
            .unwrap()
            .amount,
        Decimal::from(100)
    );
}

#[test]
fn optional_money() {
    let missing: Price = serde_json::from_str(r#"{"amount": 1}"#).unwrap();
    assert_eq!(missing.original, None);
    let present: Price = serde_json::from_str(r#"{"amount": 1, "original": 19.99}"#).unwrap();
    assert_eq!(present.original, Some("19.99".parse().unwrap()));
    let string: Price = serde_json::from_str(r#"{"amount": 1, "original": "77.08"}"#).unwrap();
    assert_eq!(string.original.unwrap().to_string(), "77.08");
}

#[test]
fn local_time_is_hours_and_minutes() {
    let t: LocalTime = serde_json::from_str("\"09:30\"").unwrap();
    assert_eq!(t.0, NaiveTime::from_hms_opt(9, 30, 0).unwrap());
    assert_eq!(serde_json::to_string(&t).unwrap(), "\"09:30\"");
    let with_seconds: LocalTime = serde_json::from_str("\"18:05:00\"").unwrap();
    assert_eq!(with_seconds, LocalTime::from_hm(18, 5).unwrap());
    assert_eq!(with_seconds.to_param(), "18:05");
    let odd: LocalTime = serde_json::from_str("\"18:05:07\"").unwrap();
    assert_eq!(serde_json::to_string(&odd).unwrap(), "\"18:05:07\"");
    assert!(serde_json::from_str::<LocalTime>("\"25:00\"").is_err());
    assert!(serde_json::from_str::<LocalTime>("\"9h30\"").is_err());
    assert!(serde_json::from_str::<LocalTime>("930").is_err());
}

#[test]
fn epoch_timestamps() {
    let seconds: EpochSeconds = serde_json::from_str("1705314600").unwrap();
    assert_eq!(
        seconds.to_datetime().unwrap().to_rfc3339(),
        "2024-01-15T10:30:00+00:00"
    );
    assert_eq!(serde_json::to_string(&seconds).unwrap(), "1705314600");
    let millis: EpochMillis = serde_json::from_str("1705314600250").unwrap();
    assert_eq!(
        millis.to_datetime().unwrap().timestamp_millis(),
        1_705_314_600_250
    );
    assert_eq!(serde_json::to_string(&millis).unwrap(), "1705314600250");
    assert_eq!(EpochMillis::from(millis.to_datetime().unwrap()), millis);
    assert_eq!(EpochSeconds::from(seconds.to_datetime().unwrap()), seconds);
    // Lenient forms some encoders produce.
    assert_eq!(
        serde_json::from_str::<EpochMillis>("1.7052E12").unwrap(),
        EpochMillis(1_705_200_000_000)
    );
    assert_eq!(
        serde_json::from_str::<EpochSeconds>("\"1705314600\"").unwrap(),
        seconds
    );
    assert!(serde_json::from_str::<EpochSeconds>("1.5").is_err());
    assert!(serde_json::from_str::<EpochSeconds>("\"soon\"").is_err());
    assert_eq!(EpochSeconds(i64::MAX).to_datetime(), None);
    assert_eq!(seconds.to_param(), "1705314600");
}

#[test]
fn dates_use_the_api_formats() {
    #[derive(Serialize, Deserialize)]
    struct Slot {
        date: NaiveDate,
        start: NaiveDateTime,
    }
    let slot: Slot =
        serde_json::from_str(r#"{"date": "2024-01-15", "start": "2024-01-15T10:30:00"}"#).unwrap();
    assert_eq!(
        serde_json::to_string(&slot).unwrap(),
        r#"{"date":"2024-01-15","start":"2024-01-15T10:30:00"}"#
    );
    assert_eq!(slot.date.to_param(), "2024-01-15");
    assert_eq!(slot.start.to_param(), "2024-01-15T10:30:00");
}

#[test]
fn params_have_one_text_form() {
    assert_eq!(true.to_param(), "true");
    assert_eq!(42_i32.to_param(), "42");
    assert_eq!((-7_i64).to_param(), "-7");
    assert_eq!(7_u64.to_param(), "7");
    assert_eq!(2.5_f64.to_param(), "2.5");
    assert_eq!("x".to_param(), "x");
    assert_eq!(String::from("y").to_param(), "y");
    assert_eq!(vec!["EN", "FR"].to_param(), "EN,FR");
    assert_eq!(vec![1_u32, 2, 3].to_param(), "1,2,3");
    assert_eq!(Vec::<u32>::new().to_param(), "");
    assert_eq!("19.990".parse::<Decimal>().unwrap().to_param(), "19.990");
    assert_eq!(Id::from(5).to_param(), "5");
    assert_eq!(Offset::Cursor("abc".into()).to_param(), "abc");
    assert_eq!((&&7_u32).to_param(), "7");
    assert_eq!(path_segment(&"Zürich 1/2"), "Z%C3%BCrich%201%2F2");
    assert_eq!(path_segment("a-b.c_d~e"), "a-b.c_d~e");
}

#[test]
fn offsets_serialize_as_integers_or_strings() {
    assert_eq!(serde_json::to_string(&Offset::Index(20)).unwrap(), "20");
    assert_eq!(
        serde_json::to_string(&Offset::from("c1")).unwrap(),
        "\"c1\""
    );
    assert_eq!(
        serde_json::from_str::<Offset>("40").unwrap(),
        Offset::from(40)
    );
    assert_eq!(
        serde_json::from_str::<Offset>("\"z\"").unwrap(),
        Offset::from("z".to_owned())
    );
    assert!(serde_json::from_str::<Offset>("-1").is_err());
}
