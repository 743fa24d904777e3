//! Exact conversions between decimals and `f64`, for the size of the wasm: they give the same
//! results as `str::parse::<f64>` and `format!("{:.14e}")` (both correctly rounded, ties to
//! even) with a few small big-integer helpers instead of core's dec2flt and flt2dec (about
//! 10 KB of wasm). The tests compare them with std on many values.

use std::cmp::Ordering;

/// A non-negative big integer, least significant 32-bit limb first, no zero limb at the top.
type Big = Vec<u32>;

fn mul_add(a: &mut Big, m: u32, add: u32) {
    let mut carry = u64::from(add);
    for x in a.iter_mut() {
        let t = u64::from(*x) * u64::from(m) + carry;
        *x = t as u32;
        carry = t >> 32;
    }
    if carry > 0 {
        a.push(carry as u32);
    }
}

fn mul_pow10(a: &mut Big, mut k: u64) {
    while k > 0 {
        let step = k.min(9);
        mul_add(a, 10u32.pow(step as u32), 0);
        k -= step;
    }
}

fn shl(a: &Big, n: u64) -> Big {
    let (limbs, bits) = ((n / 32) as usize, (n % 32) as u32);
    let mut out = vec![0; limbs];
    let mut carry = 0u32;
    for &x in a {
        out.push(x << bits | carry);
        carry = if bits == 0 { 0 } else { x >> (32 - bits) };
    }
    if carry > 0 {
        out.push(carry);
    }
    out
}

fn bit_len(a: &Big) -> i64 {
    a.last().map_or(0, |top| 32 * a.len() as i64 - i64::from(top.leading_zeros()))
}

fn cmp(a: &Big, b: &Big) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.iter().rev().cmp(b.iter().rev()))
}

/// a -= b, for a >= b.
fn sub(a: &mut Big, b: &Big) {
    let mut borrow = 0i64;
    for (i, x) in a.iter_mut().enumerate() {
        let t = i64::from(*x) - i64::from(b.get(i).copied().unwrap_or(0)) - borrow;
        *x = t as u32;
        borrow = i64::from(t < 0);
    }
    while a.last() == Some(&0) {
        a.pop();
    }
}

/// num × 2^e, as a pair whose ratio is it (the shift goes to the side that keeps it whole).
fn scale2(num: &Big, den: &Big, e: i64) -> (Big, Big) {
    if e >= 0 {
        (shl(num, e as u64), den.clone())
    } else {
        (num.clone(), shl(den, e.unsigned_abs()))
    }
}

/// The quotient num / den rounded to the nearest integer, ties to even (it must be below 2^63).
fn div_round(mut num: Big, den: &Big) -> u64 {
    let mut q = 0u64;
    let top = (bit_len(&num) - bit_len(den)).clamp(-1, 62);
    for i in (0..=top).rev() {
        let d = shl(den, i as u64);
        if cmp(&num, &d) != Ordering::Less {
            sub(&mut num, &d);
            q |= 1 << i;
        }
    }
    match cmp(&shl(&num, 1), den) {
        Ordering::Greater => q + 1,
        Ordering::Equal => q + (q & 1),
        Ordering::Less => q,
    }
}

/// The `f64` nearest to `digits × 10^exp10` (`digits`: decimal digit values, most significant
/// first, any number of them), as `str::parse` gives it: ties to even, infinity above the
/// largest float, zero or a subnormal below the smallest normal one.
pub fn decimal_to_f64(digits: &[u8], exp10: i64) -> f64 {
    let lead = digits.iter().take_while(|d| **d == 0).count();
    let digits = &digits[lead..];
    if digits.is_empty() {
        return 0.0;
    }
    // 800 digits decide the rounding of any decimal (a halfway point between two floats has at
    // most 767 significant digits); what is cut off only counts as a nonzero sticky digit.
    let kept = digits.len().min(800);
    let mut m: Big = Vec::new();
    for &d in &digits[..kept] {
        mul_add(&mut m, 10, u32::from(d));
    }
    let mut n = kept as i64;
    let mut e10 = exp10.saturating_add((digits.len() - kept) as i64);
    if digits[kept..].iter().any(|d| *d != 0) {
        mul_add(&mut m, 10, 1);
        n += 1;
        e10 -= 1;
    }
    // value < 10^(e10 + n)
    if e10.saturating_add(n) > 310 {
        return f64::INFINITY;
    }
    if e10.saturating_add(n) < -330 {
        return 0.0;
    }
    // Exact in f64, so one correctly rounded multiplication or division (as std's fast path).
    if n <= 15 && e10.abs() <= 22 {
        let mut v = 0.0;
        for &d in &digits[..kept] {
            v = v * 10.0 + f64::from(d);
        }
        let mut p = 1.0;
        for _ in 0..e10.abs() {
            p *= 10.0;
        }
        return if e10 < 0 { v / p } else { v * p };
    }
    let (mut num, mut den) = (m, vec![1]);
    if e10 >= 0 {
        mul_pow10(&mut num, e10 as u64);
    } else {
        mul_pow10(&mut den, e10.unsigned_abs());
    }
    // 2^e <= value < 2^(e+1)
    let mut e = bit_len(&num) - bit_len(&den);
    let (a, b) = scale2(&num, &den, -e);
    if cmp(&a, &b) == Ordering::Less {
        e -= 1;
    }
    if e > 1023 {
        return f64::INFINITY;
    }
    // value / 2^lsb rounded: 53 bits for a normal float, fewer for a subnormal one.
    let lsb = (e - 52).max(-1074);
    let (a, b) = scale2(&num, &den, -lsb);
    let q = div_round(a, &b);
    // q × 2^lsb: adding q's bits above the 52 of the fraction carries into the exponent.
    let bits = if q < 1 << 52 { q } else { (((lsb + 1075) as u64) << 52) + q - (1 << 52) };
    f64::from_bits(bits)
}

/// `s.parse::<f64>().ok()`: an optional sign, then `inf`, `infinity` or `nan` (any case), or
/// digits with an optional point and exponent (`12`, `1.5`, `.5`, `5.`, `1e-3`, `2E+8`).
pub fn parse_f64(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let (neg, rest) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    let v = if rest.eq_ignore_ascii_case(b"inf") || rest.eq_ignore_ascii_case(b"infinity") {
        f64::INFINITY
    } else if rest.eq_ignore_ascii_case(b"nan") {
        f64::NAN
    } else {
        let mut digits = Vec::new();
        let mut frac = 0i64;
        let mut i = 0;
        let mut seen_point = false;
        while i < rest.len() {
            match rest[i] {
                c @ b'0'..=b'9' => {
                    digits.push(c - b'0');
                    frac += i64::from(seen_point);
                }
                b'.' if !seen_point => seen_point = true,
                _ => break,
            }
            i += 1;
        }
        if digits.is_empty() {
            return None;
        }
        let mut e = 0i64;
        if i < rest.len() && (rest[i] == b'e' || rest[i] == b'E') {
            i += 1;
            let eneg = i < rest.len() && rest[i] == b'-';
            if i < rest.len() && (rest[i] == b'-' || rest[i] == b'+') {
                i += 1;
            }
            let start = i;
            while i < rest.len() && rest[i].is_ascii_digit() {
                e = (e * 10 + i64::from(rest[i] - b'0')).min(1 << 40);
                i += 1;
            }
            if i == start {
                return None;
            }
            if eneg {
                e = -e;
            }
        }
        if i != rest.len() {
            return None;
        }
        decimal_to_f64(&digits, e - frac)
    };
    Some(if neg { -v } else { v })
}

/// A finite, positive `v` rounded to 15 significant digits, as `format!("{v:.14e}")` writes
/// it: `(q, k)` with 10^14 <= q < 10^15 and q × 10^k the rounded value (ties to even).
pub fn round15(v: f64) -> (u64, i64) {
    let bits = v.to_bits();
    let (biased, fraction) = ((bits >> 52) & 0x7ff, bits & ((1 << 52) - 1));
    let (m, e2) = if biased == 0 { (fraction, -1074) } else { (fraction | 1 << 52, biased as i64 - 1075) };
    let mut num: Big = vec![m as u32, (m >> 32) as u32];
    while num.last() == Some(&0) {
        num.pop();
    }
    let (num, den) = scale2(&num, &vec![1], e2);
    // floor(log10 v) is floor(log2 v × log10 2) or one less.
    let log2 = bit_len(&num) - bit_len(&den);
    let mut k = (log2 * 78_913).div_euclid(1 << 18) - 15;
    loop {
        let (mut a, mut b) = (num.clone(), den.clone());
        if k >= 0 {
            mul_pow10(&mut b, k as u64);
        } else {
            mul_pow10(&mut a, k.unsigned_abs());
        }
        let q = div_round(a, &b);
        if q < 100_000_000_000_000 {
            k -= 1;
        } else if q < 1_000_000_000_000_000 {
            return (q, k);
        } else if q == 1_000_000_000_000_000 {
            return (q / 10, k + 1);
        } else {
            k += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::support::rng::Rng;

    fn same(a: Option<f64>, b: Option<f64>) -> bool {
        a.map(f64::to_bits) == b.map(f64::to_bits)
    }

    fn check_parse(s: &str) {
        let want = s.parse::<f64>().ok();
        let got = parse_f64(s);
        assert!(same(got, want), "{s:?}: got {got:?}, std {want:?}");
    }

    fn check_round15(v: f64) {
        let (q, k) = round15(v);
        let std = format!("{v:.14e}");
        let (mant, exp) = std.split_once('e').unwrap();
        let q_std: u64 = mant.replace('.', "").parse().unwrap();
        let k_std: i64 = exp.parse::<i64>().unwrap() - 14;
        assert_eq!((q, k), (q_std, k_std), "{v:e} ({std})");
    }

    #[test]
    fn parse_matches_std_on_syntax() {
        for s in [
            "",
            "+",
            "-",
            ".",
            "+.",
            "e",
            "e5",
            ".e5",
            "1e",
            "1e+",
            "1e-",
            "1.2.3",
            " 1",
            "1 ",
            "1_0",
            "0x10",
            "١",
            "inf",
            "INF",
            "-Inf",
            "+infinity",
            "InFiNiTy",
            "infinit",
            "infx",
            "nan",
            "NaN",
            "-nan",
            "+NAN",
            "nanx",
            "0",
            "-0",
            "+0",
            "0.0",
            "-0.0",
            "00000",
            ".5",
            "5.",
            "-.5",
            "+5.",
            "5.e3",
            ".5e-3",
            "1E5",
            "1e+05",
            "1e-5",
            "1.5E+10",
            "1e308",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "2e308",
            "1e309",
            "4.9e-324",
            "5e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "2.47e-324",
            "1e-324",
            "2.2250738585072011e-308",
            "2.2250738585072014e-308",
            "1e-400",
            "-1e-400",
            "1e99999999999999999999999",
            "1e-99999999999999999999999",
            "0e99999999999999999999999",
            "9007199254740993",
            "9007199254740992.5",
            "9007199254740993.0000000000000000000000000000001",
            "0.1",
            "0.2",
            "0.3",
            "123456789012345678901234567890",
            "3.14159",
            "60",
            "31536000",
            "31536000.0005",
            "0.000000000000000000000000000000000000000000000000000000000000000000000000000000001",
        ] {
            check_parse(s);
        }
        // A long digit string with a sticky digit far out.
        let mut long = "1".to_string() + &"0".repeat(1000) + "1";
        check_parse(&long);
        check_parse(&(long.clone() + "e-1001"));
        long.insert(1, '.');
        check_parse(&long);
        check_parse(&format!("9007199254740993{}1e-16", "0".repeat(900)));
        check_parse(&format!("9007199254740993{}e-16", "0".repeat(900)));
        check_parse(&format!("0.{}1", "0".repeat(5000)));
    }

    #[test]
    fn parse_matches_std_on_random_decimals() {
        let mut r = Rng::new(0x2545_f491_4f6c_dd1d);
        for _ in 0..200_000 {
            let long = r.below(4) == 0;
            let n = 1 + r.below(if long { 60 } else { 20 }) as usize;
            let digits: String = (0..n).map(|_| char::from(b'0' + r.below(10) as u8)).collect();
            let e = r.below(700) as i64 - 350;
            let s = match r.below(3) {
                0 => format!("{digits}e{e}"),
                1 => format!("-0.{digits}E{e}"),
                _ => {
                    let p = r.below(n as u64 + 1) as usize;
                    format!("{}.{}", &digits[..p], &digits[p..])
                }
            };
            check_parse(&s);
        }
        // Halfway points between neighbouring floats, and one digit either side of them.
        for _ in 0..20_000 {
            let v = f64::from_bits(r.next_u64() >> 1);
            if !v.is_finite() {
                continue;
            }
            let next = f64::from_bits(v.to_bits() + 1);
            if !next.is_finite() {
                continue;
            }
            let mid = format!("{:.800e}", (v / 2.0) + (next / 2.0));
            check_parse(&mid);
            check_parse(&format!("{v:e}"));
            check_parse(&format!("{v:.17e}"));
            check_parse(&format!("{v:.30e}"));
        }
    }

    #[test]
    fn exact_halfway_points_round_to_even() {
        // x.5 × 2^k for integers near 2^53: exactly halfway in binary, written out in full.
        for m in [(1u64 << 53) + 1, (1 << 53) + 3, (1 << 54) - 1, (1 << 53) - 1] {
            for k in [-1100i32, -1074, -1060, -60, -1, 0, 1, 60, 970, 971] {
                // m × 2^e exactly, in decimal (m odd: halfway between two floats, or beyond).
                let e = k - 1;
                let mut y: Big = vec![m as u32, (m >> 32) as u32];
                let (digits, exp10) = if e >= 0 {
                    (to_decimal(&shl(&y, e as u64)), 0)
                } else {
                    // m / 2^-e = m × 5^-e / 10^-e
                    for _ in 0..e.unsigned_abs() {
                        mul_add(&mut y, 5, 0);
                    }
                    (to_decimal(&y), i64::from(e))
                };
                check_parse(&format!("{digits}e{exp10}"));
                check_parse(&format!("{digits}1e{}", exp10 - 1));
                check_parse(&format!("{}e{exp10}", dec_minus_one(&digits)));
            }
        }
    }

    fn to_decimal(a: &Big) -> String {
        let mut x = a.clone();
        let mut out = Vec::new();
        while !x.is_empty() {
            let mut rem = 0u64;
            for limb in x.iter_mut().rev() {
                let cur = (rem << 32) | u64::from(*limb);
                *limb = (cur / 10) as u32;
                rem = cur % 10;
            }
            while x.last() == Some(&0) {
                x.pop();
            }
            out.push(b'0' + rem as u8);
        }
        if out.is_empty() {
            out.push(b'0');
        }
        out.reverse();
        String::from_utf8(out).unwrap()
    }

    fn dec_minus_one(s: &str) -> String {
        let mut b = s.as_bytes().to_vec();
        let mut i = b.len();
        while i > 0 {
            i -= 1;
            if b[i] == b'0' {
                b[i] = b'9';
            } else {
                b[i] -= 1;
                break;
            }
        }
        String::from_utf8(b).unwrap()
    }

    #[test]
    fn round15_matches_std_formatting() {
        for v in [
            1.0,
            0.1,
            0.5,
            2.5,
            10.0 / 3.0,
            2.0 / 3.0,
            1e-130,
            9.99999999999999e125,
            1e126,
            1e300,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            1e-310,
            123456789012345.0,
            1234567890123455.0,
            1234567890123465.0,
            1234567890123445.0,
            2500000000000005.0,
            9999999999999995.0,
            9999999999999996.0,
            999999999999999.4,
            999999999999999.5,
            0.30000000000000004,
            1e15,
            1e14,
            99999999999999.99,
        ] {
            check_round15(v);
        }
        let mut r = Rng::new(0xdead_beef_cafe_f00d);
        for _ in 0..100_000 {
            let v = f64::from_bits(r.next_u64() >> 1);
            if v.is_finite() && v > 0.0 {
                check_round15(v);
            }
        }
        // Integers of 16 digits ending in 5 are exact ties at 15 digits; so are many small
        // binary fractions.
        for _ in 0..20_000 {
            let i = 1_000_000_000_000_000 + r.below(8_000_000_000_000_000) / 10 * 10 + 5;
            check_round15(i as f64);
            let f = (r.below(1 << 20) as f64 + 0.5) / (1u64 << r.below(40)) as f64;
            check_round15(f);
            let a = r.below(1_000_000_000_000) as f64;
            let c = 1 + r.below(1000);
            check_round15(a / c as f64 + 1.0);
        }
    }
}
