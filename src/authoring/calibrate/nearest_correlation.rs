//! The nearest correlation matrix: correlations estimated pair by pair need not be positive
//! definite together, and a prior covariance must be.
//!
//! # Formula
//!
//! Higham's alternating projections with Dykstra's correction (Higham, N. J. (2002). Computing
//! the nearest correlation matrix—a problem from finance. *IMA Journal of Numerical Analysis*,
//! 22(3), 329–343, Algorithm 3.3), with the projection onto the positive semidefinite cone
//! replaced by the one onto {X : λ_min(X) ≥ δ}:
//!
//! R = Y − ΔS; X = V·max(Λ, δ)·Vᵀ (R = VΛVᵀ); ΔS = X − R; Y = X with unit diagonal;
//!
//! repeated until Y and X agree. The result is the nearest (in the Frobenius norm) symmetric
//! matrix with unit diagonal and eigenvalues at least δ, up to the stopping tolerance. The
//! eigendecomposition is the cyclic Jacobi method (Golub & Van Loan, *Matrix Computations*,
//! 4th ed., §8.5), exact enough and short for the few domains of a profile.

/// Iterations of the projections at most.
const MAX_PROJECTIONS: usize = 1000;
/// The projections stop when no entry of Y and X differs by more than this.
const PROJECTION_TOLERANCE: f64 = 1e-12;
/// Jacobi sweeps at most (each usually squares the off-diagonal norm).
const MAX_SWEEPS: usize = 100;

/// `matrix` itself when its smallest eigenvalue is at least `min_eigenvalue`, otherwise the
/// nearest correlation matrix whose eigenvalues all are (see the module's formula).
/// `matrix` must be square and symmetric with a unit diagonal.
pub fn nearest_correlation(matrix: &[Vec<f64>], min_eigenvalue: f64) -> Vec<Vec<f64>> {
    let (values, _) = symmetric_eigen(matrix);
    if values.iter().all(|&v| v >= min_eigenvalue) {
        return matrix.to_vec();
    }
    let n = matrix.len();
    let mut y = matrix.to_vec();
    let mut correction = vec![vec![0.0; n]; n];
    for _ in 0..MAX_PROJECTIONS {
        let r: Vec<Vec<f64>> = (0..n)
            .map(|i| (0..n).map(|j| y[i][j] - correction[i][j]).collect())
            .collect();
        let x = eigenvalue_floor(&r, min_eigenvalue);
        for i in 0..n {
            for j in 0..n {
                correction[i][j] = x[i][j] - r[i][j];
            }
        }
        let mut next = x.clone();
        for (i, row) in next.iter_mut().enumerate() {
            row[i] = 1.0;
        }
        let change = (0..n)
            .flat_map(|i| (0..n).map(move |j| (i, j)))
            .map(|(i, j)| (next[i][j] - x[i][j]).abs())
            .fold(0.0, f64::max);
        y = next;
        if change < PROJECTION_TOLERANCE {
            break;
        }
    }
    // Exactly symmetric.
    let unsymmetric = y.clone();
    for (i, row) in y.iter_mut().enumerate() {
        for (j, value) in row.iter_mut().enumerate() {
            *value = 0.5 * (unsymmetric[i][j] + unsymmetric[j][i]);
        }
    }
    y
}

/// V·max(Λ, floor)·Vᵀ for the symmetric matrix VΛVᵀ.
fn eigenvalue_floor(matrix: &[Vec<f64>], floor: f64) -> Vec<Vec<f64>> {
    let (values, vectors) = symmetric_eigen(matrix);
    let n = matrix.len();
    let mut out = vec![vec![0.0; n]; n];
    for (k, &value) in values.iter().enumerate() {
        let value = value.max(floor);
        for i in 0..n {
            for j in 0..n {
                out[i][j] += value * vectors[i][k] * vectors[j][k];
            }
        }
    }
    out
}

/// The eigenvalues of a symmetric matrix and its eigenvectors (column k of the second
/// matrix belongs to eigenvalue k), by cyclic Jacobi rotations.
pub fn symmetric_eigen(matrix: &[Vec<f64>]) -> (Vec<f64>, Vec<Vec<f64>>) {
    let n = matrix.len();
    let mut a = matrix.to_vec();
    let mut v: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect();
    for _ in 0..MAX_SWEEPS {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        let scale: f64 = a.iter().flatten().map(|x| x * x).sum();
        if off <= 1e-30 * scale.max(f64::MIN_POSITIVE) {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if a[p][q] == 0.0 {
                    continue;
                }
                // The rotation that zeroes a[p][q] (Golub & Van Loan, Algorithm 8.5.1).
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for row in a.iter_mut() {
                    let (akp, akq) = (row[p], row[q]);
                    row[p] = c * akp - s * akq;
                    row[q] = s * akp + c * akq;
                }
                let (row_p, row_q) = (a[p].clone(), a[q].clone());
                for (k, (apk, aqk)) in row_p.into_iter().zip(row_q).enumerate() {
                    a[p][k] = c * apk - s * aqk;
                    a[q][k] = s * apk + c * aqk;
                }
                for row in v.iter_mut() {
                    let (vkp, vkq) = (row[p], row[q]);
                    row[p] = c * vkp - s * vkq;
                    row[q] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..n).map(|i| a[i][i]).collect(), v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(a: &[Vec<f64>], b: &[Vec<f64>]) -> Vec<Vec<f64>> {
        let n = a.len();
        (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| (0..n).map(|k| a[i][k] * b[k][j]).sum())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn jacobi_reconstructs_the_matrix_from_its_eigenpairs() {
        let m = vec![
            vec![1.0, 0.9, 0.7],
            vec![0.9, 1.0, 0.3],
            vec![0.7, 0.3, 1.0],
        ];
        let (values, vectors) = symmetric_eigen(&m);
        let diag: Vec<Vec<f64>> = (0..3)
            .map(|i| {
                (0..3)
                    .map(|j| if i == j { values[i] } else { 0.0 })
                    .collect()
            })
            .collect();
        let vt: Vec<Vec<f64>> = (0..3)
            .map(|i| (0..3).map(|j| vectors[j][i]).collect())
            .collect();
        let back = product(&product(&vectors, &diag), &vt);
        for i in 0..3 {
            for j in 0..3 {
                assert!((back[i][j] - m[i][j]).abs() < 1e-12);
            }
        }
        assert!((values.iter().sum::<f64>() - 3.0).abs() < 1e-12);
    }

    #[test]
    fn a_positive_definite_matrix_is_returned_unchanged() {
        let m = vec![vec![1.0, 0.5], vec![0.5, 1.0]];
        assert_eq!(nearest_correlation(&m, 0.01), m);
    }

    #[test]
    fn an_indefinite_matrix_becomes_the_nearest_valid_correlation_matrix() {
        // Higham (2002), §4: the nearest correlation matrix of this one (eigenvalue −0.41)
        // has off-diagonals 0.7607, 0.1573, 0.7607 (δ = 0).
        let m = vec![
            vec![1.0, 1.0, 0.0],
            vec![1.0, 1.0, 1.0],
            vec![0.0, 1.0, 1.0],
        ];
        let near = nearest_correlation(&m, 1e-12);
        assert!((near[0][1] - 0.7607).abs() < 1e-4, "{near:?}");
        assert!((near[0][2] - 0.1573).abs() < 1e-4, "{near:?}");
        assert!((near[1][2] - 0.7607).abs() < 1e-4, "{near:?}");
        let with_floor = nearest_correlation(&m, 0.05);
        let (values, _) = symmetric_eigen(&with_floor);
        assert!(values.iter().all(|&v| v >= 0.05 - 1e-9), "{values:?}");
        assert!((0..3).all(|i| with_floor[i][i] == 1.0));
    }
}
