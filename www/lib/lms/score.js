// The one number an LMS stores for an attempt, and pass or fail against its mastery score.
//
// An adaptive test gives every learner different questions, chosen to be answered right about
// half the time, so the share of right answers says little about skill. The score is instead
// where the ability estimate sits in the population the banks are scaled to (θ ~ N(0, 1)):
// Φ(θ̂), averaged over the test's domains. A score of 0.70 reads "above 70% of that
// population"; with the bundled banks' levels, Practitioner starts at 0.31 (θ = −0.5),
// Advanced at 0.69 (θ = 0.5) and Expert at 0.93 (θ = 1.5).

/**
 * Φ(x), the standard normal distribution function, from the complementary error function in
 * Numerical Recipes' Chebyshev form (erfc, fractional error below 1.2e-7 everywhere).
 */
/** @param {number} x */
export function normalCdf(x) {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * Math.exp(poly);
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/**
 * The attempt's score from the engine's report: the mean of Φ(θ̂) over its domains, 0..1,
 * rounded to two decimals so that every LMS (SCORM 1.2 stores a whole percent) keeps the same
 * value, and a pass decided here is the pass the LMS would compute.
 * @param {{ domains: { theta: number }[] }} report
 */
export function attemptScore(report) {
  const domains = report.domains.filter((d) => Number.isFinite(d.theta));
  if (domains.length === 0) return 0;
  const mean = domains.reduce((sum, d) => sum + normalCdf(d.theta), 0) / domains.length;
  return Math.round(mean * 100) / 100;
}

/**
 * Passed, failed, or null when there is no pass mark. Both numbers are 0..1 and compared as
 * given (a cmi5 mastery score may have more decimals than the score: 0.72 fails 0.7249), with a
 * tolerance far below a hundredth so that 0.7 against 0.70 is never lost to binary fractions.
 * @param {number} scaled
 * @param {number | null | undefined} masteryScore
 */
export function passes(scaled, masteryScore) {
  if (masteryScore === null || masteryScore === undefined) return null;
  return scaled >= masteryScore - 1e-9;
}
