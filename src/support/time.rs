//! Simulated time helpers: epoch milliseconds to and from ISO-8601 UTC, without any clock.

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn parts(ms: u64) -> (i64, u32, u32, u64, u64, u64, u64) {
    let secs = ms / 1000;
    let (y, mo, d) = civil_from_days((secs / 86_400) as i64);
    let rem = secs % 86_400;
    (y, mo, d, rem / 3600, rem % 3600 / 60, rem % 60, ms % 1000)
}

/// `2026-01-01T00:00:00.000` (a stream label: milliseconds, no zone).
pub fn label(ms: u64) -> String {
    let (y, mo, d, h, mi, s, milli) = parts(ms);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}")
}

/// `2026-01-01T00:00:00Z` (whole seconds).
pub fn iso_seconds(ms: u64) -> String {
    let (y, mo, d, h, mi, s, _) = parts(ms);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// `2026-01-01T00:00:00.000Z` (milliseconds).
pub fn iso_millis(ms: u64) -> String {
    format!("{}Z", label(ms))
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]` into epoch milliseconds (UTC, ≥ 1970).
pub fn parse_iso(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u64> {
        let t = s.get(r)?;
        if t.is_empty() || !t.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    };
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || (b[10] != b'T' && b[10] != b't' && b[10] != b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (y, mo, d, h, mi, sec) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || d == 0 || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let days_in_month = [
        31,
        if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if d > days_in_month[(mo - 1) as usize] {
        return None;
    }
    let mut i = 19;
    let mut millis = 0u64;
    if i < b.len() && b[i] == b'.' {
        let start = i + 1;
        i = start;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
        let frac = &s[start..i.min(start + 3)];
        millis = frac.parse::<u64>().ok()? * 10u64.pow(3 - frac.len() as u32);
    }
    let mut offset_secs: i64 = 0;
    match &s[i..] {
        "" | "Z" | "z" => {}
        tz if tz.len() == 6 && (tz.starts_with('+') || tz.starts_with('-')) && tz.as_bytes()[3] == b':' => {
            let oh = num(i + 1..i + 3)? as i64;
            let om = num(i + 4..i + 6)? as i64;
            offset_secs = (oh * 3600 + om * 60) * if tz.starts_with('-') { -1 } else { 1 };
        }
        _ => return None,
    }
    let days = days_from_civil(y as i64, mo as u32, d as u32);
    let secs = days * 86_400 + (h * 3600 + mi * 60 + sec) as i64 - offset_secs;
    if secs < 0 {
        return None;
    }
    Some(secs as u64 * 1000 + millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_utc() {
        let ms = parse_iso("2026-01-01T00:00:00Z").unwrap();
        assert_eq!(ms / 1000, 1_767_225_600);
        assert_eq!(label(ms + 291), "2026-01-01T00:00:00.291");
        assert_eq!(iso_seconds(ms + 86_399_999), "2026-01-01T23:59:59Z");
        assert_eq!(parse_iso("2024-06-20T16:00:00.123Z"), Some(1_718_899_200_123));
        assert_eq!(parse_iso("2024-02-29T00:00:00+01:00"), Some(1_709_161_200_000));
        assert_eq!(iso_millis(1_573_690_429_717), "2019-11-14T00:13:49.717Z");
    }

    #[test]
    fn rejects_malformed_times() {
        for bad in [
            "",
            "2026-01-01",
            "2026-01-01T00:00:00+0\u{e9}\u{e9}",
            "2026-01-01T00:00:00\u{e9}",
            "2026-13-01T00:00:00Z",
            "2025-02-29T00:00:00Z",
            "2026-01-01T00:00:00X",
            "yyyy-01-01T00:00:00Z",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }
}
