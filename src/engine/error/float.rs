//! Floats in messages about JavaScript values, as Rust's `{}` shows them, without `std`'s
//! float formatting (only the WebAssembly build needs it; tests hold it to `format!`).
//! Measured on 2026-12-08: `x.to_string()` in its place makes the learner's `.wasm` 20,024
//! bytes larger raw and 7,903 gzip, four times the gzip left in its budget.

/// A float as Rust's `{}` displays it (`1.5`, `-1`, `4294967296`, `0.0000001`, `NaN`, `inf`),
/// for messages, without `std`'s float formatting (about 20 KB of WebAssembly): the shortest
/// digits that read back as the same float, from serde_json, laid out in plain decimal.
///
/// serde_json breaks a tie between two shortest digit strings (a float exactly halfway
/// between them) to the even one, `std` upward: `2138302387407363.25` is `…363.3` here.
pub(crate) fn display_float(x: f64) -> String {
    let Some(number) = serde_json::Number::from_f64(x) else {
        return if x.is_nan() {
            "NaN".to_string()
        } else if x > 0.0 {
            "inf".to_string()
        } else {
            "-inf".to_string()
        };
    };
    let (mut digits, mut exponent) = decimal(&number.to_string());
    if is_tie_above(x.abs(), digits, exponent) {
        digits += 1;
        while digits % 10 == 0 {
            digits /= 10;
            exponent += 1;
        }
    }
    // Plain decimal: the digits with the point `point` places from their start, padded with
    // zeros on either side as needed.
    let text = digits.to_string();
    let point = text.len() as i32 + exponent;
    let mut out = String::from(if x.is_sign_negative() { "-" } else { "" });
    if digits == 0 {
        out.push('0');
    } else if point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', point.unsigned_abs() as usize));
        out.push_str(&text);
    } else {
        for (i, digit) in text.chars().enumerate() {
            if i as i32 == point {
                out.push('.');
            }
            out.push(digit);
        }
        out.extend(std::iter::repeat_n(
            '0',
            (point - text.len() as i32).max(0) as usize,
        ));
    }
    out
}

/// serde_json's text of a float (`-12.5`, `0.3`, `1e-7`, `1.8446744073709552e+19`) as
/// DIGITS × 10^exponent, DIGITS without trailing zeros (0 for zero). The text has at most 17
/// significant digits, so DIGITS fits.
fn decimal(text: &str) -> (u64, i32) {
    let (mut digits, mut exponent, mut fraction) = (0u64, 0i32, false);
    let mut bytes = text.bytes();
    for byte in bytes.by_ref() {
        match byte {
            b'0'..=b'9' => {
                digits = digits * 10 + u64::from(byte - b'0');
                exponent -= i32::from(fraction);
            }
            b'.' => fraction = true,
            b'e' => break,
            _ => {} // the sign
        }
    }
    let (mut power, mut negative) = (0i32, false);
    for byte in bytes {
        match byte {
            b'0'..=b'9' => power = power * 10 + i32::from(byte - b'0'),
            b'-' => negative = true,
            _ => {} // `+`
        }
    }
    exponent += if negative { -power } else { power };
    while digits != 0 && digits % 10 == 0 {
        digits /= 10;
        exponent += 1;
    }
    (digits, exponent)
}

/// Whether `x` (positive and finite) is exactly halfway between DIGITS × 10^exponent and the
/// next number with as many digits.
///
/// # Formula
///
/// The midpoint is N × 10^j with N = 10·DIGITS + 5 (odd) and j = exponent − 1; `x` is m × 2^e
/// with m odd. Equal values have equal powers of two and equal odd parts: e = j, and
/// m = N · 5^j (j ≥ 0) or m · 5^(−j) = N (j < 0).
fn is_tie_above(x: f64, digits: u64, exponent: i32) -> bool {
    let Some(odd) = digits.checked_mul(10).and_then(|d| d.checked_add(5)) else {
        return false;
    };
    let j = exponent - 1;
    let bits = x.to_bits();
    let biased = (bits >> 52) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (m, e) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | 1 << 52, biased - 1075)
    };
    if m == 0 {
        return false;
    }
    let (m, e) = (m >> m.trailing_zeros(), e + m.trailing_zeros() as i32);
    if e != j {
        return false;
    }
    let Some(power) = 5u128.checked_pow(j.unsigned_abs()) else {
        return false;
    };
    if j >= 0 {
        u128::from(odd).checked_mul(power) == Some(u128::from(m))
    } else {
        u128::from(m).checked_mul(power) == Some(u128::from(odd))
    }
}

#[cfg(test)]
mod tests {
    use super::display_float;
    use proptest::prelude::*;

    #[test]
    fn floats_display_as_rust_displays_them() {
        let values = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            1.5,
            0.3,
            0.1 + 0.2,
            1e-7,
            1e15,
            1e16,
            1e21,
            4294967296.0,
            18446744073709552000.0,
            // Exactly halfway between two shortest digit strings (written as sums, since
            // the literals would have more digits than a float keeps).
            2138302387407363.0 + 0.25,
            -(34900697272382.0 + 0.8125),
            0.5,
            9.5,
            0.125,
            123456789.0,
            -12.5,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            f64::EPSILON,
            5e-324,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for x in values {
            assert_eq!(display_float(x), format!("{x}"), "{x:e}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn any_float_displays_as_rust_displays_it(bits in any::<u64>()) {
            let x = f64::from_bits(bits);
            prop_assert_eq!(display_float(x), format!("{x}"));
        }

        #[test]
        fn everyday_floats_display_as_rust_displays_them(x in -1e9f64..1e9, scale in -12i32..12) {
            let x = x * 10f64.powi(scale);
            prop_assert_eq!(display_float(x), format!("{x}"));
        }

        /// Short binary fractions are where ties between two shortest digit strings happen.
        #[test]
        fn binary_fractions_display_as_rust_displays_them(whole in any::<u64>(), shift in 0u32..64) {
            let x = (whole >> 12) as f64 / 2f64.powi(shift as i32);
            prop_assert_eq!(display_float(x), format!("{x}"));
            prop_assert_eq!(display_float(-x), format!("{}", -x));
        }
    }
}
