//! Small dense symmetric matrices for the joint posterior: the Cholesky factor, the inverse, and
//! the check that a correlation matrix is one (unit diagonal, symmetric, entries in (−1, 1),
//! positive definite), naming the pair at fault.
//!
//! Matrices are `k × k` row-major slices; k is the number of domains of a test (a handful), so
//! the O(k³) algorithms here cost nothing next to one pass over an item bank.

use crate::error::show_float;

/// How far apart `m[i][j]` and `m[j][i]` may be for a matrix to count as symmetric: rounding in
/// a file written by another program, not a real difference.
pub const SYMMETRY_TOLERANCE: f64 = 1e-12;

/// The lower-triangular Cholesky factor L of a symmetric positive-definite `k × k` matrix
/// (A = L Lᵀ), or `Err(j)`: the first column where a pivot is not positive, so that the leading
/// (j + 1) × (j + 1) block is not positive definite while the j × j one is.
///
/// # Formula
///
/// L_jj = √(A_jj − Σ_{m<j} L_jm²), L_ij = (A_ij − Σ_{m<j} L_im L_jm) / L_jj for i > j
/// (Golub & Van Loan, *Matrix Computations*, 4th ed., algorithm 4.2.1).
pub fn cholesky(a: &[f64], k: usize) -> Result<Vec<f64>, usize> {
    let mut l = vec![0.0; k * k];
    for j in 0..k {
        let pivot = a[j * k + j] - (0..j).map(|m| l[j * k + m] * l[j * k + m]).sum::<f64>();
        // Not `pivot <= 0.0`: a NaN pivot fails too.
        if !(pivot > 0.0 && pivot.is_finite()) {
            return Err(j);
        }
        let root = pivot.sqrt();
        l[j * k + j] = root;
        for i in j + 1..k {
            let dot: f64 = (0..j).map(|m| l[i * k + m] * l[j * k + m]).sum();
            l[i * k + j] = (a[i * k + j] - dot) / root;
        }
    }
    Ok(l)
}

/// The inverse of a symmetric positive-definite matrix from its Cholesky factor `l`.
pub fn inverse_from_cholesky(l: &[f64], k: usize) -> Vec<f64> {
    // Columns of L⁻¹ by forward substitution, then A⁻¹ = L⁻ᵀ L⁻¹.
    let mut l_inv = vec![0.0; k * k];
    for c in 0..k {
        for i in c..k {
            let identity = if i == c { 1.0 } else { 0.0 };
            let dot: f64 = (c..i).map(|m| l[i * k + m] * l_inv[m * k + c]).sum();
            l_inv[i * k + c] = (identity - dot) / l[i * k + i];
        }
    }
    let mut inverse = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..=i {
            let value: f64 = (i..k).map(|m| l_inv[m * k + i] * l_inv[m * k + j]).sum();
            inverse[i * k + j] = value;
            inverse[j * k + i] = value;
        }
    }
    inverse
}

/// Why a correlation matrix is not one: the cell `[row][column]` at fault and the message.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrelationProblem {
    pub row: usize,
    pub column: usize,
    pub message: String,
}

/// The first problem of a `k × k` correlation matrix (row-major), in this order: a cell that is
/// not finite, a diagonal cell that is not 1, an off-diagonal cell outside (−1, 1), a cell that
/// differs from its mirror image, then a matrix that is not positive definite, blamed on the
/// pair whose correlation cannot hold together with the others.
pub fn check_correlations(matrix: &[f64], k: usize) -> Result<(), CorrelationProblem> {
    let problem = |row, column, message: String| {
        Err(CorrelationProblem {
            row,
            column,
            message,
        })
    };
    for i in 0..k {
        for j in 0..k {
            let value = matrix[i * k + j];
            if !value.is_finite() {
                return problem(i, j, "must be a finite number".into());
            }
            if i == j && value != 1.0 {
                return problem(
                    i,
                    j,
                    format!(
                        "must be 1 (a domain correlates perfectly with itself), not {}",
                        show_float(value)
                    ),
                );
            }
            if i != j && !(-1.0 < value && value < 1.0) {
                let why = if value.abs() == 1.0 {
                    ": two domains that correlate perfectly are one domain"
                } else {
                    ""
                };
                return problem(
                    i,
                    j,
                    format!(
                        "must be between -1 and 1 (exclusive), not {}{why}",
                        show_float(value)
                    ),
                );
            }
        }
    }
    for i in 0..k {
        for j in 0..i {
            let (value, mirror) = (matrix[i * k + j], matrix[j * k + i]);
            if (value - mirror).abs() > SYMMETRY_TOLERANCE {
                return problem(
                    i,
                    j,
                    format!(
                        "{} differs from correlations[{j}][{i}] ({}); the matrix must \
                         be symmetric",
                        show_float(value),
                        show_float(mirror)
                    ),
                );
            }
        }
    }
    match cholesky(matrix, k) {
        Ok(_) => Ok(()),
        Err(column) => {
            let (row, zero_fixes) = blame(matrix, k, column);
            let value = matrix[row * k + column];
            let hint = if zero_fixes {
                "; at 0 it would fit"
            } else {
                ""
            };
            problem(
                row,
                column,
                format!(
                    "{} does not fit the other correlations of these two domains: the \
                     matrix is not positive definite (no abilities can correlate like this){hint}",
                    show_float(value)
                ),
            )
        }
    }
}

/// The pair to blame when the leading (`column` + 1) block of a symmetric matrix with unit
/// diagonal is not positive definite but the one before it is: among the correlations of
/// domain `column` with an earlier domain, the largest in size whose removal (set to 0) makes
/// the block positive definite; when no single removal does, the largest in size. Returns the
/// earlier domain and whether setting the pair to 0 fixes the block.
fn blame(matrix: &[f64], k: usize, column: usize) -> (usize, bool) {
    let n = column + 1;
    let block = |zeroed: Option<usize>| {
        let mut b = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                b[i * n + j] = matrix[i * k + j];
            }
        }
        if let Some(row) = zeroed {
            b[row * n + column] = 0.0;
            b[column * n + row] = 0.0;
        }
        b
    };
    let by_size = |a: &usize, b: &usize| {
        let size = |row: usize| matrix[row * k + column].abs();
        size(*a).total_cmp(&size(*b)).then(b.cmp(a))
    };
    let fixing = (0..column)
        .filter(|&row| cholesky(&block(Some(row)), n).is_ok())
        .max_by(by_size);
    match fixing {
        Some(row) => (row, true),
        None => ((0..column).max_by(by_size).unwrap_or(0), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(a: &[f64], b: &[f64], k: usize) -> Vec<f64> {
        let mut out = vec![0.0; k * k];
        for i in 0..k {
            for j in 0..k {
                out[i * k + j] = (0..k).map(|m| a[i * k + m] * b[m * k + j]).sum();
            }
        }
        out
    }

    #[test]
    fn cholesky_and_inverse_reproduce_a_positive_definite_matrix() {
        let k = 3;
        let a = [4.0, 1.2, -0.6, 1.2, 2.0, 0.3, -0.6, 0.3, 1.5];
        let l = cholesky(&a, k).expect("positive definite");
        let mut lt = vec![0.0; 9];
        for i in 0..k {
            for j in 0..k {
                lt[j * k + i] = l[i * k + j];
            }
        }
        for (x, y) in product(&l, &lt, k).iter().zip(&a) {
            assert!((x - y).abs() < 1e-12);
        }
        let identity = product(&inverse_from_cholesky(&l, k), &a, k);
        for i in 0..k {
            for j in 0..k {
                let expected = if i == j { 1.0 } else { 0.0 };
                assert!((identity[i * k + j] - expected).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn cholesky_reports_the_first_column_that_fails() {
        // The leading 2 × 2 block is fine; the third domain cannot correlate 0.9 with the first,
        // 0.9 with the second, while those two correlate −0.9.
        let a = [1.0, -0.9, 0.9, -0.9, 1.0, 0.9, 0.9, 0.9, 1.0];
        assert_eq!(cholesky(&a, 3), Err(2));
        assert_eq!(cholesky(&[f64::NAN], 1), Err(0));
    }

    #[test]
    fn valid_correlation_matrices_pass() {
        assert_eq!(check_correlations(&[1.0], 1), Ok(()));
        let a = [1.0, 0.6, 0.3, 0.6, 1.0, 0.5, 0.3, 0.5, 1.0];
        assert_eq!(check_correlations(&a, 3), Ok(()));
    }

    #[test]
    fn each_broken_rule_is_reported_at_its_cell() {
        let base = [1.0, 0.6, 0.3, 0.6, 1.0, 0.5, 0.3, 0.5, 1.0];
        let cases: [(usize, f64, usize, usize, &str); 5] = [
            (
                4,
                0.9,
                1,
                1,
                "must be 1 (a domain correlates perfectly with itself), not 0.9",
            ),
            (5, f64::NAN, 1, 2, "must be a finite number"),
            (2, 1.0, 0, 2, "must be between -1 and 1 (exclusive), not 1"),
            (
                7,
                -1.5,
                2,
                1,
                "must be between -1 and 1 (exclusive), not -1.5",
            ),
            (7, 0.4, 2, 1, "0.4 differs from correlations[1][2] (0.5)"),
        ];
        for (cell, value, row, column, start) in cases {
            let mut m = base;
            m[cell] = value;
            let problem = check_correlations(&m, 3).unwrap_err();
            assert_eq!((problem.row, problem.column), (row, column), "{problem:?}");
            assert!(problem.message.starts_with(start), "{}", problem.message);
        }
    }

    #[test]
    fn a_matrix_that_is_not_positive_definite_names_the_pair_whose_removal_fixes_it() {
        // Domains 0 and 1 correlate 0.95, 0 and 2 0.95, but 1 and 2 only 0.1: with (0, 2) at 0
        // the matrix fits, with (1, 2) at 0 it still does not.
        let a = [1.0, 0.95, 0.95, 0.95, 1.0, 0.1, 0.95, 0.1, 1.0];
        let problem = check_correlations(&a, 3).unwrap_err();
        assert_eq!((problem.row, problem.column), (0, 2), "{problem:?}");
        assert!(
            problem.message.ends_with("; at 0 it would fit"),
            "{problem:?}"
        );
        // No single pair at 0 fixes this one: the largest correlation of the last domain.
        let b = [1.0, -0.9, 0.9, -0.9, 1.0, 0.95, 0.9, 0.95, 1.0];
        let problem = check_correlations(&b, 3).unwrap_err();
        assert_eq!((problem.row, problem.column), (1, 2), "{problem:?}");
        assert!(
            problem.message.contains("not positive definite"),
            "{problem:?}"
        );
        assert!(!problem.message.contains("at 0"), "{problem:?}");
    }
}
