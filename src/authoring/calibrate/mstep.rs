//! The M-step: one item's parameters maximise its expected complete-data log-posterior, given
//! the expected counts of the E-step, by Fisher scoring with step-halving.

use crate::bank::Model;
use crate::irt::Params;

/// Bounds that keep estimates inside the bank format (0 < a ≤ 10, |b| ≤ 10, c < 0.5) and away
/// from the edges where a likelihood without priors can run off.
pub const A_BOUNDS: (f64, f64) = (0.01, 10.0);
pub const B_BOUNDS: (f64, f64) = (-10.0, 10.0);
pub const C_BOUNDS: (f64, f64) = (1e-4, 0.45);

/// Newton iterations per M-step, halvings per iteration, and the largest step on the working
/// scale (ln a, b, logit c).
const MAX_NEWTON: usize = 25;
const MAX_HALVINGS: usize = 30;
const MAX_STEP: f64 = 1.0;
/// An M-step stops when no working parameter moves more than this.
const NEWTON_TOLERANCE: f64 = 1e-9;

/// The priors of one item, each on the scale it is stated on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemPrior {
    /// ln a ~ N(mean, sd²).
    pub log_a: Option<(f64, f64)>,
    /// b ~ N(mean, sd²).
    pub b: Option<(f64, f64)>,
    /// c ~ Beta(α, β), α, β ≥ 1.
    pub c: Option<(f64, f64)>,
}

/// One item being estimated: its model, current parameters and priors.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemModel {
    pub model: Model,
    pub params: Params,
    pub prior: ItemPrior,
}

/// The working parameters φ: (ln a, b, logit c), of which the model frees the first `dim`
/// (1PL: b only, stored in slot 0; see [`ItemModel::working`]).
type Working = [f64; 3];

impl ItemModel {
    /// An item with its parameters brought into the model (1PL: a = 1; 1PL and 2PL: c = 0;
    /// d = 1 always) and into the bounds.
    pub fn new(model: Model, start: Params, prior: ItemPrior) -> Self {
        let mut params = Params {
            a: start.a.clamp(A_BOUNDS.0, A_BOUNDS.1),
            b: start.b.clamp(B_BOUNDS.0, B_BOUNDS.1),
            c: start.c.clamp(C_BOUNDS.0, C_BOUNDS.1),
            d: 1.0,
        };
        if !params.a.is_finite() {
            params.a = 1.0;
        }
        if !params.b.is_finite() {
            params.b = 0.0;
        }
        if !params.c.is_finite() {
            params.c = 0.2;
        }
        match model {
            Model::OnePl => (params.a, params.c) = (1.0, 0.0),
            Model::TwoPl => params.c = 0.0,
            _ => {}
        }
        Self {
            model,
            params,
            prior,
        }
    }

    fn dim(&self) -> usize {
        match self.model {
            Model::OnePl => 1,
            Model::TwoPl => 2,
            _ => 3,
        }
    }

    /// Sets the parameters from working ones, clamped into the bounds.
    pub fn set_working(&mut self, phi: Working) {
        self.params = self.with(phi);
    }

    /// The working parameters; slots the model does not use are 0.
    pub fn working(&self) -> Working {
        let p = self.params;
        match self.model {
            Model::OnePl => [p.b, 0.0, 0.0],
            Model::TwoPl => [p.a.ln(), p.b, 0.0],
            _ => [p.a.ln(), p.b, (p.c / (1.0 - p.c)).ln()],
        }
    }

    fn with(&self, phi: Working) -> Params {
        let clamp = |x: f64, (lo, hi): (f64, f64)| x.clamp(lo, hi);
        match self.model {
            Model::OnePl => Params::two_pl(1.0, clamp(phi[0], B_BOUNDS)),
            Model::TwoPl => Params::two_pl(clamp(phi[0].exp(), A_BOUNDS), clamp(phi[1], B_BOUNDS)),
            _ => Params::three_pl(
                clamp(phi[0].exp(), A_BOUNDS),
                clamp(phi[1], B_BOUNDS),
                clamp(1.0 / (1.0 + (-phi[2]).exp()), C_BOUNDS),
            ),
        }
    }

    /// The log prior density of the parameters, up to a constant.
    ///
    /// # Formula
    ///
    /// ln π = −(ln a − μₐ)²/(2σₐ²) − (b − μ_b)²/(2σ_b²) + (α − 1) ln c + (β − 1) ln(1 − c),
    /// each term present when the model has the parameter and the prior is set. The prior on a
    /// is the normal density of ln a (the scale a is estimated on), so its mode is a = e^μₐ.
    /// Reference: Mislevy (1986), "Bayes modal estimation in item response models",
    /// Psychometrika 51(2); Baker & Kim (2004), ch. 7.
    pub fn log_prior(&self, params: &Params) -> f64 {
        let mut total = 0.0;
        if self.model != Model::OnePl {
            if let Some((mean, sd)) = self.prior.log_a {
                total -= (params.a.ln() - mean).powi(2) / (2.0 * sd * sd);
            }
        }
        if let Some((mean, sd)) = self.prior.b {
            total -= (params.b - mean).powi(2) / (2.0 * sd * sd);
        }
        if self.dim() == 3 {
            if let Some((alpha, beta)) = self.prior.c {
                total += (alpha - 1.0) * params.c.ln() + (beta - 1.0) * (-params.c).ln_1p();
            }
        }
        total
    }

    /// The expected complete-data log-posterior of the item at `params`.
    ///
    /// # Formula
    ///
    /// Σₖ [rₖ ln P(θₖ) + (nₖ − rₖ) ln Q(θₖ)] + ln π, with nₖ the expected number of the item's
    /// respondents at node θₖ and rₖ the expected number of them who answered correctly (the
    /// "artificial data" of the E-step). Reference: Bock & Aitkin (1981), "Marginal maximum
    /// likelihood estimation of item parameters: application of an EM algorithm",
    /// Psychometrika 46(4), eq. 11; Baker & Kim (2004), ch. 6.
    pub fn objective(&self, params: &Params, nodes: &[f64], n: &[f64], r: &[f64]) -> f64 {
        let mut total = self.log_prior(params);
        for ((&theta, &n), &r) in nodes.iter().zip(n).zip(r) {
            if n > 0.0 {
                total += r * params.log_prob(theta, true) + (n - r) * params.log_prob(theta, false);
            }
        }
        total
    }

    /// The gradient g and the information matrix H (negative expected Hessian) of
    /// [`objective`](Self::objective) on the working scale φ = (ln a, b, logit c).
    ///
    /// # Formula
    ///
    /// The chain rule through P, with P′ = dP/dθ and I = P′²/(PQ) the item information of
    /// [`Params::info`]: ∂P/∂ln a = P′(θ − b), ∂P/∂b = −P′, ∂P/∂logit c = cQ. With
    /// eₖ = rₖ − nₖPₖ, gⱼ = Σₖ eₖ (∂P/∂φⱼ)/(PQ) and Hⱼₗ = Σₖ nₖ (∂P/∂φⱼ)(∂P/∂φₗ)/(PQ):
    ///
    /// - g_{ln a} = Σ e (P′/PQ)(θ − b), g_b = −Σ e P′/PQ, g_{logit c} = Σ e c/P;
    /// - H_{ln a, ln a} = Σ n I (θ − b)², H_{ln a, b} = −Σ n I (θ − b), H_{b, b} = Σ n I,
    ///   H_{ln a, logit c} = Σ n (P′c/P)(θ − b), H_{b, logit c} = −Σ n P′c/P,
    ///   H_{logit c, logit c} = Σ n c²Q/P;
    /// - priors add −(ln a − μₐ)/σₐ² to g and 1/σₐ² to H (likewise for b), and
    ///   (α − 1)(1 − c) − (β − 1)c and (α + β − 2)c(1 − c) for logit c.
    ///
    /// Every term is finite: with L the logistic, P′/PQ = aL/P ≤ a/(1 − c) and c/P ≤ 1, and
    /// PQ does not underflow while |a(θ − b)| ≤ 160 (the bounds on a and b, and the
    /// quadrature's range, keep it there). With c = 0 these are the 2PL's familiar
    /// Σ(r − nP)a(θ − b) and Σ nPQa²(θ − b)².
    /// Reference: Baker & Kim (2004), ch. 6 (Fisher scoring in the M-step), ch. 7 (priors).
    fn derivatives(&self, nodes: &[f64], n: &[f64], r: &[f64]) -> (Working, [Working; 3]) {
        let params = self.params;
        let (b, c) = (params.b, params.c);
        let mut g = [0.0; 3];
        let mut h = [[0.0; 3]; 3];
        // Slots of (ln a, b, logit c) in the working vector.
        let (ia, ib, ic) = match self.model {
            Model::OnePl => (None, 0, None),
            Model::TwoPl => (Some(0), 1, None),
            _ => (Some(0), 1, Some(2)),
        };
        for ((&theta, &n), &r) in nodes.iter().zip(n).zip(r) {
            if n <= 0.0 {
                continue;
            }
            let response = params.response(theta);
            let (p, q, dp) = (response.p, response.q, response.dp);
            let info = params.info(theta);
            let e = r - n * p;
            let score = dp / (p * q);
            let d = theta - b;
            g[ib] -= e * score;
            h[ib][ib] += n * info;
            if let Some(ia) = ia {
                g[ia] += e * score * d;
                h[ia][ia] += n * info * d * d;
                h[ia][ib] -= n * info * d;
            }
            if let Some(ic) = ic {
                g[ic] += e * c / p;
                h[ic][ic] += n * c * c * q / p;
                h[ib][ic] -= n * dp * c / p;
                if let Some(ia) = ia {
                    h[ia][ic] += n * dp * c / p * d;
                }
            }
        }
        if let Some(ia) = ia {
            if let Some((mean, sd)) = self.prior.log_a {
                g[ia] -= (params.a.ln() - mean) / (sd * sd);
                h[ia][ia] += 1.0 / (sd * sd);
            }
            h[ib][ia] = h[ia][ib];
        }
        if let Some((mean, sd)) = self.prior.b {
            g[ib] -= (b - mean) / (sd * sd);
            h[ib][ib] += 1.0 / (sd * sd);
        }
        if let Some(ic) = ic {
            if let Some((alpha, beta)) = self.prior.c {
                g[ic] += (alpha - 1.0) * (1.0 - c) - (beta - 1.0) * c;
                h[ic][ic] += (alpha + beta - 2.0) * c * (1.0 - c);
            }
            h[ic][ib] = h[ib][ic];
            if let Some(ia) = ia {
                h[ic][ia] = h[ia][ic];
            }
        }
        (g, h)
    }

    /// One M-step: Fisher scoring from the current parameters until the step is below
    /// 1e-9 on the working scale, each step halved until the objective does not decrease.
    /// The objective never decreases, so EM stays monotone (a generalised EM when the
    /// iteration limit stops it early); the parameters stay finite and inside the bounds.
    pub fn maximize(&mut self, nodes: &[f64], n: &[f64], r: &[f64]) {
        let dim = self.dim();
        let mut current = self.objective(&self.params, nodes, n, r);
        for _ in 0..MAX_NEWTON {
            let (g, h) = self.derivatives(nodes, n, r);
            let Some(mut step) = solve(&h, &g, dim) else {
                return;
            };
            let largest = step[..dim].iter().fold(0.0f64, |m, s| m.max(s.abs()));
            if !largest.is_finite() {
                return;
            }
            if largest > MAX_STEP {
                step.iter_mut().for_each(|s| *s *= MAX_STEP / largest);
            }
            let phi = self.working();
            let mut moved = false;
            for _ in 0..MAX_HALVINGS {
                let mut next = phi;
                for (x, s) in next.iter_mut().zip(&step).take(dim) {
                    *x += s;
                }
                let candidate = self.with(next);
                let value = self.objective(&candidate, nodes, n, r);
                if value >= current && value.is_finite() {
                    moved = candidate != self.params;
                    self.params = candidate;
                    current = value;
                    break;
                }
                step.iter_mut().for_each(|s| *s *= 0.5);
            }
            let size = step[..dim].iter().fold(0.0f64, |m, s| m.max(s.abs()));
            if !moved || size < NEWTON_TOLERANCE {
                return;
            }
        }
    }
}

/// Solves H s = g for a symmetric positive semi-definite H of size `dim` (≤ 3) by Cholesky,
/// adding a small ridge when H is singular; `None` only when nothing finite comes out.
fn solve(h: &[Working; 3], g: &Working, dim: usize) -> Option<Working> {
    let scale = (0..dim)
        .map(|i| h[i][i].abs())
        .fold(0.0, f64::max)
        .max(1e-12);
    for ridge in [0.0, 1e-10, 1e-6, 1e-3] {
        let mut l = [[0.0; 3]; 3];
        let mut ok = true;
        'rows: for i in 0..dim {
            for j in 0..=i {
                let mut sum = h[i][j] + if i == j { ridge * scale } else { 0.0 };
                for (lik, ljk) in l[i].iter().zip(&l[j]).take(j) {
                    sum -= lik * ljk;
                }
                if i == j {
                    if !(sum > 0.0 && sum.is_finite()) {
                        ok = false;
                        break 'rows;
                    }
                    l[i][i] = sum.sqrt();
                } else {
                    l[i][j] = sum / l[j][j];
                }
            }
        }
        if !ok {
            continue;
        }
        let mut y = [0.0; 3];
        for i in 0..dim {
            let sum: f64 = (0..i).map(|k| l[i][k] * y[k]).sum();
            y[i] = (g[i] - sum) / l[i][i];
        }
        let mut x = [0.0; 3];
        for i in (0..dim).rev() {
            let sum: f64 = (i + 1..dim).map(|k| l[k][i] * x[k]).sum();
            x[i] = (y[i] - sum) / l[i][i];
        }
        if x.iter().all(|v| v.is_finite()) {
            return Some(x);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(item: Params) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let nodes: Vec<f64> = (0..41).map(|k| -4.0 + 0.2 * k as f64).collect();
        let n: Vec<f64> = nodes.iter().map(|t| 50.0 * (-0.5 * t * t).exp()).collect();
        // Not exactly the model's expectation, so that the gradient is not zero.
        let r: Vec<f64> = nodes
            .iter()
            .zip(&n)
            .map(|(t, n)| n * (0.9 * item.prob(*t) + 0.05))
            .collect();
        (nodes, n, r)
    }

    const PRIOR: ItemPrior = ItemPrior {
        log_a: Some((0.0, 0.5)),
        b: Some((0.0, 2.0)),
        c: Some((6.0, 16.0)),
    };

    #[test]
    fn gradient_matches_finite_differences_of_the_objective_for_every_model() {
        let start = Params::three_pl(1.3, 0.4, 0.2);
        let (nodes, n, r) = counts(Params::three_pl(0.9, -0.2, 0.15));
        for model in [Model::OnePl, Model::TwoPl, Model::ThreePl] {
            let item = ItemModel::new(model, start, PRIOR);
            let (g, _) = item.derivatives(&nodes, &n, &r);
            let phi = item.working();
            for j in 0..item.dim() {
                let h = 1e-6;
                let (mut up, mut down) = (phi, phi);
                up[j] += h;
                down[j] -= h;
                let f = |w| item.objective(&item.with(w), &nodes, &n, &r);
                let numeric = (f(up) - f(down)) / (2.0 * h);
                assert!(
                    (g[j] - numeric).abs() < 1e-5 * (1.0 + numeric.abs()),
                    "{model:?} slot {j}: {} vs {numeric}",
                    g[j]
                );
            }
        }
    }

    #[test]
    fn maximize_reaches_a_stationary_point_and_never_lowers_the_objective() {
        let (nodes, n, r) = counts(Params::three_pl(1.6, 0.8, 0.2));
        for model in [Model::OnePl, Model::TwoPl, Model::ThreePl] {
            let mut item = ItemModel::new(model, Params::three_pl(1.0, -1.0, 0.25), PRIOR);
            let before = item.objective(&item.params, &nodes, &n, &r);
            item.maximize(&nodes, &n, &r);
            let after = item.objective(&item.params, &nodes, &n, &r);
            assert!(after >= before, "{model:?}: {before} -> {after}");
            let (g, _) = item.derivatives(&nodes, &n, &r);
            assert!(
                g.iter().all(|x| x.abs() < 1e-6),
                "{model:?}: gradient {g:?}"
            );
        }
    }

    #[test]
    fn an_item_everyone_answers_right_stays_finite_and_bounded_without_priors() {
        let (nodes, n, _) = counts(Params::two_pl(1.0, 0.0));
        let none = ItemPrior {
            log_a: None,
            b: None,
            c: None,
        };
        for model in [Model::OnePl, Model::TwoPl, Model::ThreePl] {
            let mut item = ItemModel::new(model, Params::three_pl(1.0, 0.0, 0.2), none);
            item.maximize(&nodes, &n, &n);
            let p = item.params;
            assert!(
                p.a.is_finite() && p.b.is_finite() && p.c.is_finite(),
                "{p:?}"
            );
            assert!((B_BOUNDS.0..=B_BOUNDS.1).contains(&p.b), "{p:?}");
            assert!((A_BOUNDS.0..=A_BOUNDS.1).contains(&p.a), "{p:?}");
        }
    }
}
