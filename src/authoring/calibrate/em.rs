//! The Bock–Aitkin EM algorithm on a fixed quadrature: the E-step (expected counts per item and
//! node from each learner's posterior) and the loop that alternates it with the M-step.

use super::mstep::ItemModel;
use crate::irt::Params;

/// Learners per E-step chunk at least; at most [`MAX_CHUNKS`] chunks.
const CHUNK_LEARNERS: usize = 2048;
/// Chunks are summed in a fixed order, so results are the same bit for bit whatever the number
/// of threads (one on WebAssembly).
const MAX_CHUNKS: usize = 8;

/// The latent distribution: N(0, 1) on equally spaced nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct Quadrature {
    pub nodes: Vec<f64>,
    /// ln of the normalised weights.
    pub log_weights: Vec<f64>,
}

impl Quadrature {
    /// `points` equally spaced nodes on [−`bound`, `bound`], both ends included, with weights
    /// proportional to the standard normal density and summing to 1.
    ///
    /// # Formula
    ///
    /// θₖ = −B + 2B·k/(K − 1), A(θₖ) = φ(θₖ) / Σⱼ φ(θⱼ): the discrete "quadrature weights" of
    /// Bock & Aitkin (1981), §3, for a fixed N(0, 1) latent distribution.
    pub fn new(points: usize, bound: f64) -> Self {
        let points = points.max(2);
        let step = 2.0 * bound / (points - 1) as f64;
        let nodes: Vec<f64> = (0..points).map(|k| -bound + k as f64 * step).collect();
        let raw: Vec<f64> = nodes.iter().map(|t| -0.5 * t * t).collect();
        let total = crate::irt::log_sum_exp(&raw);
        let log_weights = raw.iter().map(|w| w - total).collect();
        Self { nodes, log_weights }
    }

    /// The number of nodes.
    pub fn points(&self) -> usize {
        self.nodes.len()
    }
}

/// The responses as a sparse learner × item matrix (rows in learner order): each cell is
/// `item << 1 | correct`, with items numbered as in the bank.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Design {
    /// Row j is `cells[starts[j]..starts[j + 1]]`.
    pub starts: Vec<usize>,
    pub cells: Vec<u32>,
}

impl Design {
    pub fn learners(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn row(&self, learner: usize) -> &[u32] {
        &self.cells[self.starts[learner]..self.starts[learner + 1]]
    }
}

/// ln P and ln Q of every item at every node: item i's ln Q at node k is at `(2i)·K + k`, its
/// ln P at `(2i + 1)·K + k`, so a cell code times K finds its row.
pub fn log_table(params: &[Params], quad: &Quadrature) -> Vec<f64> {
    let mut table = Vec::with_capacity(params.len() * 2 * quad.points());
    for item in params {
        for correct in [false, true] {
            table.extend(quad.nodes.iter().map(|&t| item.log_prob(t, correct)));
        }
    }
    table
}

/// The posterior of one learner over the nodes, from the responses to `active` items, written
/// into `weights` (normalised); returns the learner's marginal log-likelihood, or `None` when
/// no response is to an active item.
///
/// # Formula
///
/// ln L̃ⱼ(θₖ) = ln A(θₖ) + Σᵢ [xᵢⱼ ln Pᵢ(θₖ) + (1 − xᵢⱼ) ln Qᵢ(θₖ)] over the items learner j
/// answered; the posterior is L̃ⱼ(θₖ)/Σₖ L̃ⱼ(θₖ) and the marginal likelihood Σₖ L̃ⱼ(θₖ).
/// An incomplete design enters only through which items are summed: responses missing by
/// design, as in adaptive testing, are ignorable (Mislevy & Wu, 1996, ETS RR-96-30).
pub fn posterior(
    row: &[u32],
    active: &[bool],
    table: &[f64],
    quad: &Quadrature,
    weights: &mut [f64],
) -> Option<f64> {
    if !log_posterior(row, active, table, quad, weights) {
        return None;
    }
    let top = weights.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut total = 0.0;
    for w in weights.iter_mut() {
        *w = (*w - top).exp();
        total += *w;
    }
    weights.iter_mut().for_each(|w| *w /= total);
    Some(top + total.ln())
}

/// ln L̃ⱼ(θₖ) of [`posterior`], unnormalised, written into `log_weights`; `false` when no
/// response is to an active item (the log prior is written all the same).
pub fn log_posterior(
    row: &[u32],
    active: &[bool],
    table: &[f64],
    quad: &Quadrature,
    log_weights: &mut [f64],
) -> bool {
    let k = quad.points();
    log_weights.copy_from_slice(&quad.log_weights);
    let mut any = false;
    for &cell in row {
        if !active[(cell >> 1) as usize] {
            continue;
        }
        any = true;
        let offset = cell as usize * k;
        for (w, t) in log_weights.iter_mut().zip(&table[offset..offset + k]) {
            *w += t;
        }
    }
    any
}

/// The E-step: per item and node, the expected number of respondents at the node who answered
/// wrong (`counts[(2i)·K + k]`) and right (`counts[(2i + 1)·K + k]`); returns the marginal
/// log-likelihood of the data.
///
/// # Formula
///
/// r̄ᵢₖ = Σⱼ xᵢⱼ πⱼₖ and n̄ᵢₖ = Σⱼ πⱼₖ over the learners j who answered item i, with πⱼₖ the
/// posterior of [`posterior`]. Reference: Bock & Aitkin (1981), eqs. 5–6; Baker & Kim (2004),
/// §6.3.
pub fn expected_counts(
    design: &Design,
    active: &[bool],
    table: &[f64],
    quad: &Quadrature,
    counts: &mut Vec<f64>,
) -> f64 {
    let learners = design.learners();
    let chunks = learners.div_ceil(CHUNK_LEARNERS).clamp(1, MAX_CHUNKS);
    let per_chunk = learners.div_ceil(chunks).max(1);
    let size = active.len() * 2 * quad.points();
    let work = |chunk: usize| -> (Vec<f64>, f64) {
        let mut local = vec![0.0; size];
        let mut weights = vec![0.0; quad.points()];
        let mut loglik = 0.0;
        let k = quad.points();
        let end = ((chunk + 1) * per_chunk).min(learners);
        for learner in (chunk * per_chunk).min(end)..end {
            let row = design.row(learner);
            let Some(ll) = posterior(row, active, table, quad, &mut weights) else {
                continue;
            };
            loglik += ll;
            for &cell in row {
                if active[(cell >> 1) as usize] {
                    let offset = cell as usize * k;
                    for (c, w) in local[offset..offset + k].iter_mut().zip(&weights) {
                        *c += w;
                    }
                }
            }
        }
        (local, loglik)
    };
    let parts = run_chunks(chunks, &work);
    counts.clear();
    counts.resize(size, 0.0);
    let mut loglik = 0.0;
    for (local, ll) in parts {
        for (c, l) in counts.iter_mut().zip(&local) {
            *c += l;
        }
        loglik += ll;
    }
    loglik
}

/// Runs `work` on chunks `0..chunks` (on threads where there are any) and returns the results
/// in chunk order.
pub(crate) fn run_chunks<T: Send>(chunks: usize, work: &(dyn Fn(usize) -> T + Sync)) -> Vec<T> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(chunks);
        if threads > 1 {
            let mut results: Vec<Option<T>> = (0..chunks).map(|_| None).collect();
            std::thread::scope(|scope| {
                let handles: Vec<_> = (0..threads)
                    .map(|t| {
                        scope.spawn(move || {
                            (t..chunks)
                                .step_by(threads)
                                .map(|c| (c, work(c)))
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                for handle in handles {
                    // A worker only panics if `work` does, and `work` does not.
                    if let Ok(done) = handle.join() {
                        for (c, result) in done {
                            results[c] = Some(result);
                        }
                    }
                }
            });
            if results.iter().all(Option::is_some) {
                return results.into_iter().flatten().collect();
            }
        }
    }
    (0..chunks).map(work).collect()
}

/// What one EM run did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// E-steps done (each one pass over the responses), extrapolations included.
    pub iterations: usize,
    pub converged: bool,
    /// The largest change of a, b or c in the last plain EM step.
    pub max_change: f64,
    /// Marginal log-likelihood plus log priors at the final parameters.
    pub log_posterior: f64,
}

/// The settings of one EM run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    pub max_iterations: usize,
    pub tolerance: f64,
    /// SQUAREM acceleration (see [`run`]).
    pub accelerate: bool,
}

/// The largest SQUAREM step length |α|.
const MAX_ALPHA: f64 = 16.0;

/// The data and scratch space of an EM run.
struct Em<'a> {
    quad: &'a Quadrature,
    design: &'a Design,
    active: &'a [bool],
    counts: Vec<f64>,
    n: Vec<f64>,
}

impl Em<'_> {
    /// Marginal log-likelihood plus log priors of the active items at their current
    /// parameters; leaves the expected counts in `self.counts`.
    fn e_step(&mut self, items: &[ItemModel]) -> f64 {
        let params: Vec<Params> = items.iter().map(|item| item.params).collect();
        let table = log_table(&params, self.quad);
        let loglik = expected_counts(
            self.design,
            self.active,
            &table,
            self.quad,
            &mut self.counts,
        );
        loglik
            + items
                .iter()
                .zip(self.active)
                .filter(|(_, on)| **on)
                .map(|(item, _)| item.log_prior(&item.params))
                .sum::<f64>()
    }

    /// One EM step in place: returns the log posterior before it and the largest change.
    fn step(&mut self, items: &mut [ItemModel]) -> (f64, f64) {
        let log_posterior = self.e_step(items);
        let k = self.quad.points();
        let mut change = 0.0f64;
        for (i, item) in items.iter_mut().enumerate() {
            if !self.active[i] {
                continue;
            }
            let wrong = &self.counts[2 * i * k..(2 * i + 1) * k];
            let right = &self.counts[(2 * i + 1) * k..(2 * i + 2) * k];
            self.n.clear();
            self.n.extend(wrong.iter().zip(right).map(|(w, r)| w + r));
            let before = item.params;
            item.maximize(&self.quad.nodes, &self.n, right);
            let after = item.params;
            change = change
                .max((after.a - before.a).abs())
                .max((after.b - before.b).abs())
                .max((after.c - before.c).abs());
        }
        (log_posterior, change)
    }
}

/// The working parameters of the active items, concatenated.
fn working(items: &[ItemModel], active: &[bool]) -> Vec<f64> {
    items
        .iter()
        .zip(active)
        .filter(|(_, on)| **on)
        .flat_map(|(item, _)| item.working())
        .collect()
}

fn set_working(items: &mut [ItemModel], active: &[bool], phi: &[f64]) {
    let mut chunks = phi.chunks_exact(3);
    for (item, _) in items.iter_mut().zip(active).filter(|(_, on)| **on) {
        if let Some(chunk) = chunks.next() {
            item.set_working([chunk[0], chunk[1], chunk[2]]);
        }
    }
}

/// Bock–Aitkin EM until no parameter (a, b or c) moves more than `tolerance` in a plain EM
/// step, or `max_iterations` E-steps; `progress` hears about every E-step (iteration, max
/// change, log posterior at the parameters the E-step used).
///
/// # Formula: SQUAREM
///
/// With F the EM map (an E-step, then the M-step of every item) on the working parameters φ
/// (ln a, b, logit c): φ₁ = F(φ₀), φ₂ = F(φ₁), r = φ₁ − φ₀, v = φ₂ − 2φ₁ + φ₀,
/// α = −max(1, min(‖r‖/‖v‖, 16)), and the next point is F(φ₀ − 2αr + α²v). The extrapolated
/// point is kept only when its log posterior is at least that of φ₁; otherwise the run goes on
/// from φ₂, as plain EM would. α = −1 gives φ₂ exactly. Reference: Varadhan & Roland (2008),
/// "Simple and globally convergent methods for accelerating the convergence of any EM
/// algorithm", Scandinavian Journal of Statistics 35(2), scheme S3.
pub fn run(
    quad: &Quadrature,
    design: &Design,
    active: &[bool],
    items: &mut [ItemModel],
    settings: Settings,
    progress: &mut dyn FnMut(usize, f64, f64),
) -> Summary {
    let mut em = Em {
        quad,
        design,
        active,
        counts: Vec::new(),
        n: Vec::with_capacity(quad.points()),
    };
    let mut summary = Summary {
        iterations: 0,
        converged: false,
        max_change: 0.0,
        log_posterior: f64::NEG_INFINITY,
    };
    let mut step = |items: &mut [ItemModel], summary: &mut Summary| -> f64 {
        let (log_posterior, change) = em.step(items);
        summary.iterations += 1;
        summary.max_change = change;
        progress(summary.iterations, change, log_posterior);
        summary.converged = change < settings.tolerance;
        log_posterior
    };
    let done =
        |summary: &Summary| summary.converged || summary.iterations >= settings.max_iterations;
    while !done(&summary) {
        let phi0 = working(items, active);
        step(items, &mut summary);
        if done(&summary) || !settings.accelerate {
            continue;
        }
        let phi1 = working(items, active);
        let l1 = step(items, &mut summary);
        if done(&summary) {
            continue;
        }
        let phi2 = working(items, active);
        let r: Vec<f64> = phi1.iter().zip(&phi0).map(|(x1, x0)| x1 - x0).collect();
        let v: Vec<f64> = phi2
            .iter()
            .zip(&phi1)
            .zip(&phi0)
            .map(|((x2, x1), x0)| x2 - 2.0 * x1 + x0)
            .collect();
        let norm = |x: &[f64]| x.iter().map(|e| e * e).sum::<f64>().sqrt();
        let ratio = norm(&r) / norm(&v);
        let alpha = -(if ratio.is_finite() {
            ratio.clamp(1.0, MAX_ALPHA)
        } else {
            1.0
        });
        if alpha == -1.0 {
            continue;
        }
        let jump: Vec<f64> = phi0
            .iter()
            .zip(&r)
            .zip(&v)
            .map(|((x0, r), v)| x0 - 2.0 * alpha * r + alpha * alpha * v)
            .collect();
        set_working(items, active, &jump);
        let l_jump = step(items, &mut summary);
        if !(l_jump.is_finite() && l_jump >= l1) {
            set_working(items, active, &phi2);
            summary.converged = false;
        }
    }
    summary.log_posterior = em.e_step(items);
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quadrature_weights_sum_to_one_and_are_symmetric() {
        let quad = Quadrature::new(61, 6.0);
        let total: f64 = quad.log_weights.iter().map(|w| w.exp()).sum();
        assert!((total - 1.0).abs() < 1e-14);
        assert!((quad.nodes[30]).abs() < 1e-15);
        assert!((quad.log_weights[0] - quad.log_weights[60]).abs() < 1e-15);
        let variance: f64 = quad
            .nodes
            .iter()
            .zip(&quad.log_weights)
            .map(|(t, w)| t * t * w.exp())
            .sum();
        // The grid's discretisation and its tails beyond ±6 take 4e-8 off the variance.
        assert!((variance - 1.0).abs() < 1e-7, "{variance}");
    }

    #[test]
    fn expected_counts_add_up_to_the_number_of_responses() {
        let quad = Quadrature::new(21, 4.0);
        let params = [Params::two_pl(1.0, 0.0), Params::two_pl(1.5, 1.0)];
        let design = Design {
            starts: vec![0, 2, 3, 3, 5],
            cells: vec![1, 2, 0, 3, 2],
        };
        let mut counts = Vec::new();
        let table = log_table(&params, &quad);
        let ll = expected_counts(&design, &[true, true], &table, &quad, &mut counts);
        assert!(ll.is_finite() && ll < 0.0);
        let k = quad.points();
        let sum = |from: usize| counts[from * k..(from + 1) * k].iter().sum::<f64>();
        // Item 0: one wrong (learner 1) and one right (learner 0); item 1: two wrong, one right.
        assert!((sum(0) - 1.0).abs() < 1e-12 && (sum(1) - 1.0).abs() < 1e-12);
        assert!((sum(2) - 2.0).abs() < 1e-12 && (sum(3) - 1.0).abs() < 1e-12);
    }
}
