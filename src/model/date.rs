//! Partial dates (`2014`, `2014-06`, `2014-06-12`) as learning products carry
//! them, with the wording of each interface language.

use std::fmt;

use serde::Serialize;

use crate::messages::Msg;
use crate::msg;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; the error says what is wrong.
    pub fn parse(s: &str) -> Result<Self, Msg> {
        let s = s.trim();
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize, what: &'static str| -> Result<u32, Msg> {
            if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(msg!("date.digits", value = s, len = len).word("what", what));
            }
            Ok(p.parse().unwrap_or(0))
        };
        if parts.is_empty() || parts.len() > 3 {
            return Err(msg!("date.not-a-date", value = s));
        }
        let year = num(parts[0], 4, "year")?;
        // Four digits without a leading zero: a year below 1000 can only be
        // written padded (`0000`, `0203`), which is a typo in a knowledge
        // base of development work, and year 0 marks "no date" elsewhere.
        if !(1000..=9999).contains(&year) {
            return Err(msg!("date.year", value = s, year = format!("{year:04}")));
        }
        let year = year as u16;
        let month = match parts.get(1) {
            Some(m) => {
                let m = num(m, 2, "month")?;
                if !(1..=12).contains(&m) {
                    return Err(msg!("date.month", value = s, month = m));
                }
                Some(m as u8)
            }
            None => None,
        };
        let day = match parts.get(2) {
            Some(d) => {
                let d = num(d, 2, "day")?;
                let max = days_in_month(year, month.unwrap_or(1));
                if d < 1 || d > max as u32 {
                    return Err(msg!("date.day", value = s, day = d, max = max));
                }
                Some(d as u8)
            }
            None => None,
        };
        Ok(PartialDate { year, month, day })
    }

    /// The day `days` days after 1970-01-01 (proleptic Gregorian calendar).
    pub fn from_unix_days(days: i64) -> Self {
        // Howard Hinnant's civil-from-days: eras of 400 years, March-based.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        PartialDate {
            year: year.clamp(0, 9999) as u16,
            month: Some(month as u8),
            day: Some(day as u8),
        }
    }

    /// Today's date in UTC, from the system clock.
    pub fn today() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        PartialDate::from_unix_days(secs.div_euclid(86_400))
    }

    /// `2014-06` style, as written in the source.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// A full date for feeds and sitemaps, filling missing parts with 01.
    pub fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T00:00:00Z",
            self.year,
            self.month.unwrap_or(1),
            self.day.unwrap_or(1)
        )
    }

    /// "junio de 2014", "12 de junio de 2014", "June 2014", "12 June 2014".
    pub fn display(&self, lang: &str) -> String {
        let en = lang == "en";
        match (self.month, self.day) {
            (Some(m), day) => {
                let name = if en {
                    MONTHS_EN[m as usize - 1]
                } else {
                    MONTHS_ES[m as usize - 1]
                };
                match (day, en) {
                    (Some(d), true) => format!("{d} {name} {}", self.year),
                    (Some(d), false) => format!("{d} de {name} de {}", self.year),
                    (None, true) => format!("{name} {}", self.year),
                    (None, false) => format!("{name} de {}", self.year),
                }
            }
            _ => self.year.to_string(),
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_three_precisions() {
        assert_eq!(PartialDate::parse("2014").unwrap().iso(), "2014");
        assert_eq!(PartialDate::parse("2014-06").unwrap().iso(), "2014-06");
        assert_eq!(
            PartialDate::parse("2016-02-29").unwrap().iso(),
            "2016-02-29"
        );
    }

    #[test]
    fn rejects_bad_dates_with_reason() {
        assert!(
            PartialDate::parse("2014-13")
                .unwrap_err()
                .say(crate::messages::Lang::En)
                .contains("month 13")
        );
        assert!(
            PartialDate::parse("2015-02-29")
                .unwrap_err()
                .say(crate::messages::Lang::En)
                .contains("28 days")
        );
        assert!(PartialDate::parse("14-06").is_err());
        assert!(PartialDate::parse("junio 2014").is_err());
        assert!(PartialDate::parse("2014-6").is_err());
        assert!(
            PartialDate::parse("0000")
                .unwrap_err()
                .say(crate::messages::Lang::En)
                .contains("year 0000")
        );
        assert!(PartialDate::parse("0999-01-01").is_err());
        assert!(PartialDate::parse("1000").is_ok());
    }

    #[test]
    fn days_since_epoch_to_calendar_dates() {
        let d = |n| PartialDate::from_unix_days(n).iso();
        assert_eq!(d(0), "1970-01-01");
        assert_eq!(d(59), "1970-03-01");
        assert_eq!(d(11_016), "2000-02-29");
        assert_eq!(d(11_017), "2000-03-01");
        assert_eq!(d(19_722), "2023-12-31");
        assert_eq!(d(-1), "1969-12-31");
        // Every day of four centuries round-trips through the parser.
        let mut prev = PartialDate::from_unix_days(-1);
        for n in 0..146_097 {
            let day = PartialDate::from_unix_days(n);
            assert!(day > prev, "{} after {}", day.iso(), prev.iso());
            assert_eq!(PartialDate::parse(&day.iso()), Ok(day));
            prev = day;
        }
    }

    #[test]
    fn displays_per_language() {
        let d = PartialDate::parse("2014-06").unwrap();
        assert_eq!(d.display("es"), "junio de 2014");
        assert_eq!(d.display("en"), "June 2014");
        let d = PartialDate::parse("2014-06-03").unwrap();
        assert_eq!(d.display("es"), "3 de junio de 2014");
        assert!(d < PartialDate::parse("2014-07").unwrap());
    }
}
