//! The scalar types users expect for PortaBilling values: amounts as exact decimals
//! ([`Decimal`]), dates and times as chrono values. PortaBilling writes date-times as
//! `YYYY-MM-DD HH:MM:SS` without a zone (UTC), SOAP::Lite and newer releases the ISO `T` form;
//! both are read, zone-less means UTC, and `YYYY-MM-DD HH:MM:SS` (UTC) is what is sent.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rust_decimal::Decimal;

use crate::encoding::{Decode, DecodeError, Encode, Node, Writer};

impl Encode for Decimal {
    fn encode(&self, w: &mut Writer, name: &str, xsi_type: &str) {
        w.leaf(name, xsi_type, &self.to_string())
    }
}

/// Exact: `0.123456789` stays `0.123456789` (a float would not). Exponent forms (`1e-05`,
/// which SOAP::Lite writes for small floats) are accepted too.
impl Decode for Decimal {
    fn decode(node: &mut Node<'_, '_>) -> Result<Self, DecodeError> {
        let text = node.scalar("a decimal number")?;
        Decimal::from_str(text)
            .or_else(|_| Decimal::from_scientific(text))
            .map_err(|_| DecodeError::expected("a decimal number", text))
    }
}

impl Encode for NaiveDate {
    fn encode(&self, w: &mut Writer, name: &str, xsi_type: &str) {
        w.leaf(name, xsi_type, &self.format("%Y-%m-%d").to_string())
    }
}

impl Decode for NaiveDate {
    fn decode(node: &mut Node<'_, '_>) -> Result<Self, DecodeError> {
        let text = node.scalar("a date (YYYY-MM-DD)")?;
        // `2026-12-03`, and `2026-12-03Z`/`2026-12-03+02:00` (xsd:date may carry a zone).
        let date = text.get(..10).unwrap_or(text);
        let rest = text.get(10..).unwrap_or("");
        let zone_only = rest.is_empty()
            || rest == "Z"
            || (rest.len() == 6 && (rest.starts_with('+') || rest.starts_with('-')));
        match NaiveDate::parse_from_str(date, "%Y-%m-%d") {
            Ok(d) if zone_only => Ok(d),
            _ => Err(DecodeError::expected("a date (YYYY-MM-DD)", text)),
        }
    }
}

impl Encode for NaiveTime {
    fn encode(&self, w: &mut Writer, name: &str, xsi_type: &str) {
        w.leaf(name, xsi_type, &self.format("%H:%M:%S").to_string())
    }
}

impl Decode for NaiveTime {
    fn decode(node: &mut Node<'_, '_>) -> Result<Self, DecodeError> {
        let text = node.scalar("a time (HH:MM:SS)")?;
        NaiveTime::parse_from_str(text, "%H:%M:%S%.f")
            .map_err(|_| DecodeError::expected("a time (HH:MM:SS)", text))
    }
}

impl Encode for DateTime<Utc> {
    fn encode(&self, w: &mut Writer, name: &str, xsi_type: &str) {
        w.leaf(
            name,
            xsi_type,
            &self.format("%Y-%m-%d %H:%M:%S").to_string(),
        )
    }
}

/// Parses the date-time forms PortaBilling and SOAP::Lite write.
pub fn parse_date_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt.with_timezone(&Utc));
    }
    let bare = text.strip_suffix('Z').unwrap_or(text);
    for format in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(bare, format) {
            return Some(naive.and_utc());
        }
    }
    // `2026-12-03 10:00:00+02` (TransferTo): an offset of whole hours.
    if let Some((head, sign, hours)) = text
        .len()
        .checked_sub(3)
        .and_then(|i| Some((text.get(..i)?, text.get(i..i + 1)?, text.get(i + 1..)?)))
    {
        if (sign == "+" || sign == "-")
            && hours.bytes().all(|b| b.is_ascii_digit())
            && head.contains(':')
        {
            if let Some(dt) = parse_date_time(&format!("{head}{sign}{hours}:00")) {
                return Some(dt);
            }
        }
    }
    // `2026-12-03 10:00:00+02:00` and `...+0200`.
    for format in [
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(text, format) {
            return Some(dt.with_timezone(&Utc));
        }
    }
    // A bare date is midnight UTC.
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|n| n.and_utc())
}

impl Decode for DateTime<Utc> {
    fn decode(node: &mut Node<'_, '_>) -> Result<Self, DecodeError> {
        let text = node.scalar("a date and time (YYYY-MM-DD HH:MM:SS)")?;
        parse_date_time(text)
            .ok_or_else(|| DecodeError::expected("a date and time (YYYY-MM-DD HH:MM:SS)", text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::{decode_element, Strategy, Value};

    fn decode<T: Decode>(text: &str) -> Result<T, DecodeError> {
        let xml = format!("<v>{text}</v>");
        let streamed = decode_element::<T>(&xml, Strategy::Stream);
        let from_tree = decode_element::<T>(&xml, Strategy::Tree);
        assert_eq!(
            streamed.as_ref().err().map(ToString::to_string),
            from_tree.as_ref().err().map(ToString::to_string),
            "{xml}"
        );
        from_tree
    }

    #[test]
    fn money_round_trips_exactly() {
        let d: Decimal = decode("0.123456789").unwrap();
        assert_eq!(d.to_string(), "0.123456789");
        let d: Decimal = decode(" 12.3400000001\n").unwrap();
        assert_eq!(d.to_string(), "12.3400000001");
        let d: Decimal = decode("1e-05").unwrap();
        assert_eq!(d.to_string(), "0.00001");
        let mut w = Writer::new(Vec::new());
        Decimal::from_str("0.123456789")
            .unwrap()
            .encode(&mut w, "fee", "xsd:float");
        assert_eq!(
            String::from_utf8(w.into_inner()).unwrap(),
            r#"<fee xsi:type="xsd:float">0.123456789</fee>"#
        );
        let err = decode::<Decimal>("12,5").unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"expected a decimal number, found "12,5""#
        );
    }

    #[test]
    fn zone_less_date_times_are_utc() {
        let want = DateTime::parse_from_rfc3339("2026-12-03T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        for text in [
            "2026-12-03 10:00:00",
            "2026-12-03T10:00:00",
            "2026-12-03T10:00:00Z",
            "2026-12-03T12:00:00+02:00",
            "2026-12-03 12:00:00+0200",
            "2026-12-03 10:00:00.000",
            "2026-12-03 12:00:00+02",
            "2026-12-03 04:00:00-06",
        ] {
            assert_eq!(decode::<DateTime<Utc>>(text).unwrap(), want, "{text}");
        }
        assert_eq!(
            decode::<DateTime<Utc>>("2026-12-03").unwrap().to_rfc3339(),
            "2026-12-03T00:00:00+00:00"
        );
        assert!(decode::<DateTime<Utc>>("03/12/2026").is_err());
        let mut w = Writer::new(Vec::new());
        want.encode(&mut w, "from_date", "xsd:dateTime");
        assert_eq!(
            String::from_utf8(w.into_inner()).unwrap(),
            r#"<from_date xsi:type="xsd:dateTime">2026-12-03 10:00:00</from_date>"#
        );
    }

    #[test]
    fn dates_and_times() {
        assert_eq!(
            decode::<NaiveDate>("2026-12-03").unwrap().to_string(),
            "2026-12-03"
        );
        assert_eq!(
            decode::<NaiveDate>("2026-12-03Z").unwrap().to_string(),
            "2026-12-03"
        );
        assert!(decode::<NaiveDate>("2026-12-03 10:00:00").is_err());
        assert_eq!(
            decode::<NaiveTime>("23:59:59").unwrap().to_string(),
            "23:59:59"
        );
        assert!(decode::<Value>("x").is_ok());
    }
}
