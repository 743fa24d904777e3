//! DynamoDB numbers: exact decimals of at most 38 significant digits, magnitude between
//! 1E-130 and 9.99..E+125, stored in canonical form (so `1.50` equals `1.5`).

use crate::model::error::{AwsError, Result};
use std::cmp::Ordering;
use std::fmt;

/// value = sign × 0.d₁d₂…dₙ × 10^exp, with d₁ ≠ 0 and dₙ ≠ 0; zero has no digits.
///
/// The digits are kept inline, two to a byte (`len` of them, the first in the high half of
/// `packed[0]`; the unused halves are zero, so equal numbers have equal fields): a number
/// needs no allocation of its own, and is no bigger than the boxed digits were.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Number {
    neg: bool,
    len: u8,
    /// Between `MIN_EXP` and `MAX_EXP`.
    exp: i16,
    packed: [u8; MAX_DIGITS / 2],
}

/// A number's digits, one per byte (read as a slice).
struct Digits {
    len: u8,
    buf: [u8; MAX_DIGITS],
}

impl std::ops::Deref for Digits {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.buf.get(..usize::from(self.len)).unwrap_or_default()
    }
}

impl fmt::Debug for Number {
    /// As `#[derive(Debug)]` wrote the boxed form: `Number { neg, digits: [..], exp }`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Number")
            .field("neg", &self.neg)
            .field("digits", &&*self.digits())
            .field("exp", &self.exp)
            .finish()
    }
}

const MAX_DIGITS: usize = 38;
const MAX_EXP: i32 = 126; // 0.d × 10^126 < 1E126
const MIN_EXP: i32 = -129; // 0.1 × 10^-129 = 1E-130

fn not_numeric(s: &str) -> AwsError {
    if s.is_empty() {
        AwsError::validation("The parameter cannot be converted to a numeric value")
    } else {
        AwsError::validation(format!("The parameter cannot be converted to a numeric value: {s}"))
    }
}

fn too_many_digits() -> AwsError {
    AwsError::validation("Attempting to store more than 38 significant digits in a Number")
}

impl Number {
    pub fn zero() -> Number {
        Number { neg: false, len: 0, exp: 0, packed: [0; MAX_DIGITS / 2] }
    }

    /// Parses the AWS wire form (`"-12.5"`, `"1E3"`, `"0025.50"`), validating digits and range.
    pub fn parse(s: &str) -> Result<Number> {
        match Number::parse_plain(s.as_bytes()) {
            Some(n) => Ok(n),
            None => Number::parse_any(s),
        }
    }

    /// `parse` of the usual forms, in one pass: an optional `-`, then digits with at most one
    /// `.` (no exponent), at most 38 digits from the first non-zero one. `None` for anything
    /// else (`parse_any` then parses it, or gives its error).
    fn parse_plain(b: &[u8]) -> Option<Number> {
        let (neg, b) = match b.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, b),
        };
        let mut packed = [0u8; MAX_DIGITS / 2];
        // Digits kept (from the first non-zero one), those up to the last non-zero one,
        // zeros before the first non-zero one, digits before the point.
        let (mut len, mut sig, mut lead, mut int_len) = (0usize, 0usize, 0i32, 0i32);
        let mut point = false;
        for &c in b {
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                if c == b'.' && !point {
                    point = true;
                    continue;
                }
                return None;
            }
            int_len += i32::from(!point);
            if len == 0 && d == 0 {
                lead += 1;
                continue;
            }
            let byte = packed.get_mut(len / 2)?;
            *byte |= d << (4 - 4 * (len % 2));
            len += 1;
            if d != 0 {
                sig = len;
            }
        }
        if lead == 0 && len == 0 {
            return None; // no digit at all
        }
        if sig == 0 {
            return Some(Number::zero());
        }
        let exp = int_len - lead;
        if !(MIN_EXP..=MAX_EXP).contains(&exp) {
            return None;
        }
        // The digits after the last non-zero one are zeros: their halves are already zero.
        Some(Number { neg, len: sig as u8, exp: exp as i16, packed })
    }

    /// `parse` of any form.
    fn parse_any(s: &str) -> Result<Number> {
        let bytes = s.as_bytes();
        let mut i = 0;
        let mut neg = false;
        if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
            neg = bytes[i] == b'-';
            i += 1;
        }
        // The mantissa's digits from its first non-zero one on, kept on the stack: `lead`
        // zeros before them, `count` of them, the last non-zero one at `sig` - 1.
        let mut buf = [0u8; MAX_DIGITS];
        let (mut lead, mut count, mut sig) = (0i64, 0usize, 0usize);
        let mut int_len: i64 = 0;
        let mut seen_point = false;
        let mut any_digit = false;
        while i < bytes.len() {
            match bytes[i] {
                b'0'..=b'9' => {
                    any_digit = true;
                    let d = bytes[i] - b'0';
                    if count == 0 && d == 0 {
                        lead += 1;
                    } else {
                        if let Some(slot) = buf.get_mut(count) {
                            *slot = d;
                        }
                        count += 1;
                        if d != 0 {
                            sig = count;
                        }
                    }
                    if !seen_point {
                        int_len += 1;
                    }
                }
                b'.' if !seen_point => seen_point = true,
                _ => break,
            }
            i += 1;
        }
        if !any_digit {
            return Err(not_numeric(s));
        }
        let mut e: i64 = 0;
        if i < bytes.len() {
            if bytes[i] != b'e' && bytes[i] != b'E' {
                return Err(not_numeric(s));
            }
            i += 1;
            let mut eneg = false;
            if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
                eneg = bytes[i] == b'-';
                i += 1;
            }
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                e = (e * 10 + i64::from(bytes[i] - b'0')).min(1_000_000_000);
                i += 1;
            }
            if i == start || i != bytes.len() {
                return Err(not_numeric(s));
            }
            if eneg {
                e = -e;
            }
        }
        if sig > MAX_DIGITS {
            return Err(too_many_digits());
        }
        Number::from_parts(neg, &buf[..sig], int_len + e - lead)
    }

    /// Normalises `sign × 0.<digits> × 10^exp` and checks precision and range.
    fn from_parts(neg: bool, digits: &[u8], exp: i64) -> Result<Number> {
        let lead = digits.iter().take_while(|d| **d == 0).count();
        let digits = &digits[lead..];
        let exp = exp - lead as i64;
        let digits = &digits[..digits.iter().rposition(|d| *d != 0).map_or(0, |p| p + 1)];
        if digits.is_empty() {
            return Ok(Number::zero());
        }
        if digits.len() > MAX_DIGITS {
            return Err(too_many_digits());
        }
        if exp > i64::from(MAX_EXP) {
            return Err(AwsError::validation(
                "Number overflow. Attempting to store a number with magnitude larger than supported range",
            ));
        }
        if exp < i64::from(MIN_EXP) {
            return Err(AwsError::validation(
                "Number underflow. Attempting to store a number with magnitude smaller than supported range",
            ));
        }
        let mut packed = [0u8; MAX_DIGITS / 2];
        for (byte, pair) in packed.iter_mut().zip(digits.chunks(2)) {
            *byte = pair.iter().zip([4, 0]).fold(0, |b, (d, shift)| b | (d << shift));
        }
        Ok(Number { neg, len: digits.len() as u8, exp: exp as i16, packed })
    }

    /// The digits, unpacked.
    fn digits(&self) -> Digits {
        let mut buf = [0u8; MAX_DIGITS];
        for (pair, byte) in buf.chunks_exact_mut(2).zip(&self.packed).take(usize::from(self.len).div_ceil(2)) {
            pair[0] = byte >> 4;
            pair[1] = byte & 0x0f;
        }
        Digits { len: self.len, buf }
    }

    /// The power of ten (see the type).
    fn exp(&self) -> i32 {
        i32::from(self.exp)
    }

    pub fn from_i64(v: i64) -> Number {
        // Any i64 has at most 19 digits: always valid.
        Number::parse(&v.to_string()).unwrap_or_else(|_| Number::zero())
    }

    /// The nearest DynamoDB number to a float (rounded to 15 significant digits, ties to even,
    /// as `format!("{v:.14e}")` writes it), if finite and in range.
    pub fn from_f64(v: f64) -> Option<Number> {
        if !v.is_finite() {
            return None;
        }
        if v == 0.0 {
            return Some(Number::zero());
        }
        let (q, k) = crate::support::float::round15(v.abs());
        let digits: Vec<u8> = q.to_string().bytes().map(|b| b - b'0').collect();
        Number::from_parts(v < 0.0, &digits, 15 + k).ok()
    }

    pub fn is_zero(&self) -> bool {
        self.len == 0
    }

    /// The nearest float (ties to even), as `str::parse::<f64>` gives it.
    pub fn to_f64(&self) -> f64 {
        let v =
            crate::support::float::decimal_to_f64(&self.digits(), i64::from(self.exp()) - usize::from(self.len) as i64);
        if self.neg {
            -v
        } else {
            v
        }
    }

    /// The value as an integer, if it is one and fits.
    pub fn to_i64(&self) -> Option<i64> {
        if self.is_zero() {
            return Some(0);
        }
        if self.exp() < usize::from(self.len) as i32 || self.exp() > 19 {
            return None;
        }
        self.to_string().parse().ok()
    }

    /// Size in bytes by DynamoDB's item-size rules.
    pub fn size_bytes(&self) -> usize {
        if self.is_zero() {
            return 1;
        }
        let n = usize::from(self.len);
        let power = self.exp() - 1; // power of ten of the first digit
        let mut size = 1 + n.div_ceil(2);
        if n % 2 == 0 && power.rem_euclid(2) == 0 {
            size += 1;
        }
        if self.neg {
            size += 1;
        }
        size
    }

    pub fn negated(&self) -> Number {
        if self.is_zero() {
            return self.clone();
        }
        Number { neg: !self.neg, ..self.clone() }
    }

    pub fn add(&self, other: &Number) -> Result<Number> {
        if self.is_zero() {
            return Ok(other.clone());
        }
        if other.is_zero() {
            return Ok(self.clone());
        }
        // Both as integers scaled by 10^low.
        let low_a = self.exp() - usize::from(self.len) as i32;
        let low_b = other.exp() - usize::from(other.len) as i32;
        let low = low_a.min(low_b);
        // Up to 18 digits each (the usual counters and prices), in machine integers.
        let (len_a, len_b) = (usize::from(self.len) as i32 + low_a - low, usize::from(other.len) as i32 + low_b - low);
        if len_a <= 18 && len_b <= 18 {
            let int = |n: &Number, l: i32| {
                let m = n.digits().iter().fold(0i64, |a, d| a * 10 + i64::from(*d)) * 10i64.pow((l - low) as u32);
                if n.neg {
                    -m
                } else {
                    m
                }
            };
            let sum = int(self, low_a) + int(other, low_b);
            let mut buf = [0u8; 20];
            let mut at = buf.len();
            let mut m = sum.unsigned_abs();
            while m > 0 {
                at -= 1;
                buf[at] = (m % 10) as u8;
                m /= 10;
            }
            return Number::from_parts(sum < 0, &buf[at..], (buf.len() - at) as i64 + i64::from(low));
        }
        self.add_digits(other, low_a, low_b)
    }

    /// `add` of two non-zero numbers digit by digit, for any lengths (`low_a`, `low_b`: the
    /// power of ten of each one's last digit).
    fn add_digits(&self, other: &Number, low_a: i32, low_b: i32) -> Result<Number> {
        let low = low_a.min(low_b);
        let scaled = |n: &Number, l: i32| -> Vec<u8> {
            let mut v = n.digits().to_vec();
            v.extend(std::iter::repeat_n(0u8, (l - low) as usize));
            v
        };
        let a = scaled(self, low_a);
        let b = scaled(other, low_b);
        let (neg, mag) = if self.neg == other.neg {
            (self.neg, add_mag(&a, &b))
        } else {
            match cmp_mag(&a, &b) {
                Ordering::Equal => return Ok(Number::zero()),
                Ordering::Greater => (self.neg, sub_mag(&a, &b)),
                Ordering::Less => (other.neg, sub_mag(&b, &a)),
            }
        };
        let len = mag.len() as i64;
        Number::from_parts(neg, &mag, len + i64::from(low))
    }

    pub fn sub(&self, other: &Number) -> Result<Number> {
        self.add(&other.negated())
    }

    fn cmp_abs(&self, other: &Number) -> Ordering {
        match (self.is_zero(), other.is_zero()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        // The packed digits compare as the digit sequences do (the unused halves are zero, and
        // a last digit is never zero).
        self.exp.cmp(&other.exp).then_with(|| self.packed.cmp(&other.packed))
    }
}

/// Magnitudes as most-significant-first digit vectors.
fn cmp_mag(a: &[u8], b: &[u8]) -> Ordering {
    let a = strip_leading(a);
    let b = strip_leading(b);
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn strip_leading(a: &[u8]) -> &[u8] {
    let lead = a.iter().take_while(|d| **d == 0).count();
    &a[lead..]
}

fn add_mag(a: &[u8], b: &[u8]) -> Vec<u8> {
    let n = a.len().max(b.len());
    let mut out = vec![0u8; n + 1];
    let mut carry = 0u8;
    for i in 0..n {
        let da = if i < a.len() { a[a.len() - 1 - i] } else { 0 };
        let db = if i < b.len() { b[b.len() - 1 - i] } else { 0 };
        let s = da + db + carry;
        out[n - i] = s % 10;
        carry = s / 10;
    }
    out[0] = carry;
    out
}

/// a - b for a >= b.
fn sub_mag(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; a.len()];
    let mut borrow = 0i8;
    for i in 0..a.len() {
        let da = a[a.len() - 1 - i] as i8;
        let db = if i < b.len() { b[b.len() - 1 - i] as i8 } else { 0 };
        let mut d = da - db - borrow;
        borrow = 0;
        if d < 0 {
            d += 10;
            borrow = 1;
        }
        out[a.len() - 1 - i] = d as u8;
    }
    out
}

impl Ord for Number {
    fn cmp(&self, other: &Number) -> Ordering {
        match (self.neg, other.neg) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_abs(other),
            (true, true) => other.cmp_abs(self),
        }
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Number) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Number {
    /// Length in bytes of the canonical text ([`Number::push_text`]).
    pub fn text_len(&self) -> usize {
        let n = usize::from(self.len);
        let body = if self.is_zero() {
            1
        } else if self.exp() <= 0 {
            2 + (-self.exp()) as usize + n
        } else if self.exp() as usize >= n {
            self.exp() as usize
        } else {
            n + 1
        };
        body + usize::from(self.neg)
    }

    /// Appends the canonical plain-decimal text (what `Display` writes) to `out`.
    pub fn push_text(&self, out: &mut Vec<u8>) {
        if self.is_zero() {
            out.push(b'0');
            return;
        }
        out.reserve(self.text_len());
        if self.neg {
            out.push(b'-');
        }
        let n = usize::from(self.len);
        // Digits `from..to` as text, read from their halves of `packed` (no unpacking).
        let text = |from: usize, to: usize, out: &mut Vec<u8>| {
            out.extend((from..to).map(|i| b'0' + self.packed.get(i / 2).map_or(0, |b| (b >> (4 - 4 * (i % 2))) & 0x0f)))
        };
        if self.exp() <= 0 {
            out.extend_from_slice(b"0.");
            out.extend(std::iter::repeat_n(b'0', (-self.exp()) as usize));
            text(0, n, out);
        } else if self.exp() as usize >= n {
            text(0, n, out);
            out.extend(std::iter::repeat_n(b'0', self.exp() as usize - n));
        } else {
            let point = self.exp() as usize;
            text(0, point, out);
            out.push(b'.');
            text(point, n, out);
        }
    }
}

impl fmt::Display for Number {
    /// Canonical plain-decimal form, as DynamoDB returns numbers.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = Vec::with_capacity(self.text_len());
        self.push_text(&mut s);
        f.write_str(std::str::from_utf8(&s).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        Number::parse(s).unwrap()
    }

    #[test]
    fn digits_are_kept_inline_in_as_little_room_as_the_boxed_ones_took() {
        assert!(std::mem::size_of::<Number>() <= 24);
        assert!(std::mem::size_of::<crate::model::value::AttributeValue>() <= 32);
        let max = "9.9999999999999999999999999999999999999E+125";
        assert_eq!(n(max).to_string(), format!("99999999999999999999999999999999999999{}", "0".repeat(88)));
        assert_eq!(
            n("-1234567890123456789012345678901234567.8").to_string(),
            "-1234567890123456789012345678901234567.8"
        );
        assert!(n("12345678901234567890123456789012345678") > n("12345678901234567890123456789012345677"));
        assert!(n("0.12") < n("0.123") && n("0.123") < n("0.13"));
    }

    /// The one-pass parser of the usual forms gives what the general one gives.
    #[test]
    fn plain_numbers_parse_as_any_numbers_do() {
        let mut r = crate::support::rng::Rng::new(3);
        let alphabet = b"0000123456789..-+eE";
        let mut tried = 0;
        for _ in 0..50_000 {
            let len = 1 + r.below(45) as usize;
            let s: String = (0..len).map(|_| alphabet[r.below(alphabet.len() as u64) as usize] as char).collect();
            if let Some(p) = Number::parse_plain(s.as_bytes()) {
                tried += 1;
                assert_eq!(Ok(p), Number::parse_any(&s).map_err(|e| e.message), "{s}");
            }
        }
        for s in ["0", "-0", "00", "0.0", ".5", "5.", "-.5", "007", "1.50", "100", "0.001", "123.45", "-99"] {
            assert_eq!(Number::parse_plain(s.as_bytes()), Number::parse_any(s).ok(), "{s}");
            assert!(Number::parse_plain(s.as_bytes()).is_some(), "{s}");
        }
        let long = format!("1{}", "0".repeat(37));
        assert_eq!(Number::parse_plain(long.as_bytes()), Number::parse_any(&long).ok());
        for s in ["", ".", "-", "1e3", "+1", "1.2.3", "1234567890123456789012345678901234567890"] {
            assert_eq!(Number::parse_plain(s.as_bytes()), None, "{s}");
        }
        assert!(tried > 300, "{tried}");
    }

    #[test]
    fn canonical_forms_trim_zeros_and_expand_exponents() {
        assert_eq!(n("0025.50").to_string(), "25.5");
        assert_eq!(n("1.50"), n("1.5"));
        assert_eq!(n("1E3").to_string(), "1000");
        assert_eq!(n("1.5e-3").to_string(), "0.0015");
        assert_eq!(n("-0").to_string(), "0");
        assert_eq!(n("+7").to_string(), "7");
        assert_eq!(n(".5").to_string(), "0.5");
        assert_eq!(n("100").to_string(), "100");
    }

    #[test]
    fn rejects_non_numbers_with_aws_message() {
        let e = Number::parse("abc").unwrap_err();
        assert_eq!(e.message, "The parameter cannot be converted to a numeric value: abc");
        assert_eq!(Number::parse("").unwrap_err().message, "The parameter cannot be converted to a numeric value");
        for bad in ["1e", "--1", "1.2.3", " 1", "1 ", "e5", ".", "0x10", "NaN", "Infinity"] {
            assert!(Number::parse(bad).is_err(), "{bad}");
        }
    }

    /// The parse this replaces (the mantissa collected in a `Vec`, zeros stripped after).
    fn old_parse(s: &str) -> Result<Number> {
        let t = s.strip_prefix(['+', '-']).unwrap_or(s);
        let neg = s.starts_with('-');
        let (m, e) = match t.find(['e', 'E']) {
            Some(p) => (&t[..p], Some(&t[p + 1..])),
            None => (t, None),
        };
        let int_len = m.find('.').unwrap_or(m.len()) as i64;
        let digits: Vec<u8> = m.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0').collect();
        let well_formed =
            !digits.is_empty() && m.bytes().all(|b| b.is_ascii_digit() || b == b'.') && m.matches('.').count() <= 1;
        let e = match e {
            None => Some(0),
            Some(e) => {
                let d = e.strip_prefix(['+', '-']).unwrap_or(e);
                (!d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| d.bytes().fold(0i64, |a, b| (a * 10 + i64::from(b - b'0')).min(1_000_000_000)))
                    .map(|v| if e.starts_with('-') { -v } else { v })
            }
        };
        match (well_formed, e) {
            (true, Some(e)) => Number::from_parts(neg, &digits, int_len + e),
            _ => Err(not_numeric(s)),
        }
    }

    #[test]
    fn parse_matches_the_vec_based_one() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let pieces =
            ["0", "00", "1", "9", "5", "000000000000000000000", "123456789", ".", "e", "E", "-", "+", "7", "0"];
        for _ in 0..50_000 {
            let s: String = (0..1 + next(12)).map(|_| pieces[next(pieces.len() as u64) as usize]).collect();
            let (a, b) = (Number::parse(&s), old_parse(&s));
            assert_eq!(format!("{a:?}"), format!("{b:?}"), "{s}");
        }
    }

    #[test]
    fn precision_and_range_limits() {
        assert!(Number::parse(&"1".repeat(38)).is_ok());
        assert_eq!(
            Number::parse(&"1".repeat(39)).unwrap_err().message,
            "Attempting to store more than 38 significant digits in a Number"
        );
        // Trailing zeros are not significant.
        assert!(Number::parse(&format!("1{}", "0".repeat(50))).is_ok());
        assert!(Number::parse("9.9999999999999999999999999999999999999E+125").is_ok());
        assert!(Number::parse("1E126").unwrap_err().message.starts_with("Number overflow"));
        assert!(Number::parse("1E-130").is_ok());
        assert!(Number::parse("-1E-130").is_ok());
        assert!(Number::parse("9E-131").unwrap_err().message.starts_with("Number underflow"));
        assert!(Number::parse("1E999999999999999999999").unwrap_err().message.starts_with("Number overflow"));
    }

    #[test]
    fn ordering_is_numeric() {
        let mut v = [n("10"), n("-2.5"), n("0"), n("9.99"), n("-10"), n("0.001")];
        v.sort();
        let s: Vec<String> = v.iter().map(|x| x.to_string()).collect();
        assert_eq!(s, ["-10", "-2.5", "0", "0.001", "9.99", "10"]);
    }

    #[test]
    fn exact_addition_and_subtraction() {
        assert_eq!(n("0.1").add(&n("0.2")).unwrap().to_string(), "0.3");
        assert_eq!(n("5").sub(&n("7")).unwrap().to_string(), "-2");
        assert_eq!(n("1E20").add(&n("1")).unwrap().to_string(), "100000000000000000001");
        assert_eq!(n("2.5").add(&n("-2.5")).unwrap().to_string(), "0");
        assert_eq!(n("99").add(&n("1")).unwrap().to_string(), "100");
        assert!(n("1E125").add(&n("1")).is_err(), "more than 38 digits");
    }

    #[test]
    fn small_sums_match_the_digit_by_digit_ones() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let mut random = |len: u64| {
            let digits: String = (0..1 + next(len)).map(|_| char::from(b'0' + next(10) as u8)).collect();
            let sign = if next(2) == 0 { "-" } else { "" };
            n(&format!("{sign}{digits}E{}", next(40) as i64 - 20))
        };
        for _ in 0..20_000 {
            let (a, b) = (random(19), random(19));
            let want = slow_add(&a, &b);
            assert_eq!(format!("{:?}", a.add(&b)), format!("{want:?}"), "{a} + {b}");
        }
    }

    /// `Number::add` without its machine-integer path.
    fn slow_add(x: &Number, y: &Number) -> Result<Number> {
        if x.is_zero() {
            return Ok(y.clone());
        }
        if y.is_zero() {
            return Ok(x.clone());
        }
        x.add_digits(y, x.exp() - usize::from(x.len) as i32, y.exp() - usize::from(y.len) as i32)
    }

    #[test]
    fn sizes_follow_the_dynamodb_rule() {
        for (s, size) in [("42", 2), ("101", 3), ("25.5", 3), ("1.2", 3), ("-7", 3), ("1000", 2), ("0", 1)] {
            assert_eq!(n(s).size_bytes(), size, "{s}");
        }
    }

    /// The std-based conversions these replace (src/float.rs): the new ones must give the
    /// same results for every number.
    fn old_to_f64(x: &Number) -> f64 {
        x.to_string().parse().unwrap_or(0.0)
    }
    fn old_from_f64(v: f64) -> Option<Number> {
        if !v.is_finite() {
            return None;
        }
        Number::parse(&format!("{v:.14e}")).ok()
    }

    #[test]
    fn float_conversions_match_the_std_based_ones() {
        let mut x: u64 = 0x853c_49e6_748f_ea9b;
        let mut next = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let mut cases: Vec<Number> = [
            "0",
            "1",
            "-1",
            "0.1",
            "0.5",
            "1E-130",
            "-1E-130",
            "9.9999999999999999999999999999999999999E+125",
            "-9.9999999999999999999999999999999999999E+125",
            "1E125",
            "1.7976931348623157",
            "9007199254740993",
            "9007199254740992.5",
            "12345678901234567890123456789012345678",
            "0.30000000000000004",
            "1700000000",
            "1E22",
            "1E23",
            "123456789012345E22",
            "1234567890123456E-22",
            "99999999999999999999999999999999999999",
        ]
        .iter()
        .map(|s| n(s))
        .collect();
        for _ in 0..100_000 {
            let len = 1 + next(38) as usize;
            let digits: String = (0..len).map(|_| char::from(b'1' + next(9) as u8)).collect();
            let e = next(256) as i64 - 130 - len as i64;
            let sign = if next(2) == 0 { "-" } else { "" };
            if let Ok(v) = Number::parse(&format!("{sign}{digits}E{e}")) {
                cases.push(v);
            }
        }
        for c in &cases {
            assert_eq!(c.text_len(), c.to_string().len(), "{c}");
            let v = c.to_f64();
            assert_eq!(v.to_bits(), old_to_f64(c).to_bits(), "{c}");
            assert_eq!(Number::from_f64(v), old_from_f64(v), "{c}");
            // Averages as the rule language computes them.
            for d in [3.0, 7.0, 1e6 + 1.0] {
                assert_eq!(Number::from_f64(v / d), old_from_f64(v / d), "{c} / {d}");
            }
        }
        // 9.999999999999999e125, the largest DynamoDB magnitude, is the same f64 as 1e126.
        for v in [0.0, -0.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, f64::MAX, 5e-324, 1e-131, 1e126] {
            assert_eq!(Number::from_f64(v), old_from_f64(v), "{v}");
        }
    }
}
