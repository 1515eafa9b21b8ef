// How sure a result is, in words. The engine gives, per domain, the posterior probability of
// each of the bank's levels (`levelProbabilities`, in the bank's order, summing to 1); this
// module turns them into a headline that never presents a level as certain when it is not,
// and the sentence that lists them all ("Advanced: 64% likely; Practitioner 21%, Expert 15%.").

/** At or above this the headline names one level ("Most likely Advanced (84%)"). */
export const LIKELY = 0.8;
/** At or above this (and below LIKELY) it names one and the runner-up ("Probably …, possibly …"). */
export const PROBABLE = 0.5;

/**
 * The levels from most to least likely (ties keep the bank's order); empty when the report
 * has no probabilities.
 * @param {{ name: string, probability: number }[] | undefined} probabilities
 */
export function rankLevels(probabilities) {
  return (probabilities ?? [])
    .map((level, order) => ({ ...level, order }))
    .filter((level) => Number.isFinite(level.probability))
    .sort((a, b) => b.probability - a.probability || a.order - b.order);
}

/**
 * What the results say about a domain's level.
 * @param {{ level: string | null, levelProbabilities?: { name: string, probability: number }[] }} domain
 * @param {typeof import("./strings.js").en} t
 * @returns {{ certainty: "likely" | "probable" | "unclear" | "none", headline: string, odds: string,
 *   named: string[], top: string | null }}
 *   `named`: the levels the headline names, in the bank's order (their descriptions are shown);
 *   `top`: the most likely level
 */
export function describeLevel(domain, t) {
  const ranked = rankLevels(domain.levelProbabilities);
  if (ranked.length === 0) {
    const name = domain.level ?? t.noLevel;
    return { certainty: "none", headline: name, odds: "", named: domain.level ? [domain.level] : [], top: domain.level };
  }
  const [first, second] = ranked;
  const odds = t.levelOdds(
    first,
    ranked.slice(1).filter((l) => l.probability >= 0.005),
  );
  if (first.probability >= LIKELY || !second) {
    return {
      certainty: "likely",
      headline: t.levelHeadline.likely(first.name, first.probability),
      odds,
      named: [first.name],
      top: first.name,
    };
  }
  const pair = [first, second].sort((a, b) => a.order - b.order).map((l) => l.name);
  if (first.probability >= PROBABLE) {
    return {
      certainty: "probable",
      headline: t.levelHeadline.probable(first.name, first.probability, second.name),
      odds,
      named: pair,
      top: first.name,
    };
  }
  return { certainty: "unclear", headline: t.levelHeadline.unclear(pair[0], pair[1]), odds, named: pair, top: first.name };
}
