//! How configuration values are written as text: time zones by IANA name,
//! durations as a number and one unit, so a person can edit the JSON.

/// Time zones by IANA name ("Asia/Shanghai").
pub mod tz_name {
    use chrono_tz::Tz;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(tz.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Tz, D::Error> {
        let name = String::deserialize(d)?;
        name.parse()
            .map_err(|_| D::Error::custom(format!("unknown time zone {name:?}")))
    }
}

/// Durations as a whole number and one unit: "90s", "3m", "24h", "14d".
pub mod duration_text {
    use chrono::Duration;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(*d))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let text = String::deserialize(d)?;
        parse(&text).ok_or_else(|| {
            D::Error::custom(format!(
                "{text:?} is not a duration like \"3m\", \"24h\" or \"14d\""
            ))
        })
    }

    pub fn format(d: Duration) -> String {
        let secs = d.num_seconds();
        let unit = [(86_400, 'd'), (3_600, 'h'), (60, 'm')]
            .into_iter()
            .find(|(size, _)| secs != 0 && secs % size == 0);
        match unit {
            Some((size, u)) => format!("{}{u}", secs / size),
            None => format!("{secs}s"),
        }
    }

    pub fn parse(text: &str) -> Option<Duration> {
        let text = text.trim();
        let unit = text.chars().last()?;
        let n: i64 = text[..text.len() - unit.len_utf8()].trim().parse().ok()?;
        match unit {
            's' => Duration::try_seconds(n),
            'm' => Duration::try_minutes(n),
            'h' => Duration::try_hours(n),
            'd' => Duration::try_days(n),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn duration_text_formats_and_parses() {
        assert_eq!(duration_text::format(Duration::minutes(90)), "90m");
        assert_eq!(duration_text::format(Duration::seconds(45)), "45s");
        assert_eq!(duration_text::parse("48h"), Some(Duration::hours(48)));
        assert_eq!(duration_text::parse("h"), None);
        assert_eq!(duration_text::parse("3w"), None);
    }
}
