//! The TypeScript shapes of what crosses the boundary (bank files, settings, results), declared
//! once and emitted into the generated `.d.ts` next to the classes' own declarations.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPESCRIPT: &str = r#"
/** A bank file (format `skillcat-bank/1`) as `JSON.parse` gives it; see `quizbanks/schema.json`. */
export interface BankJson {
  $schema?: string;
  format: "skillcat-bank/1";
  id: string;
  title: string;
  description: string;
  version: string;
  /** What changed in each version and why, newest first. */
  changelog?: { version: string; date: string; changes: string[] }[];
  /** A BCP 47 language tag. */
  language: string;
  topics: Topic[];
  /** Proficiency levels from lowest to highest. */
  levels: Level[];
  items: ItemJson[];
}

export interface Topic { id: string; title: string; weight?: number }

export interface Level { name: string; description?: string; min_theta?: number }

export type ItemType = "single" | "multiple" | "true_false";

export interface Reference { citation: string; url?: string }

/** An item as written in a bank file. */
export interface ItemJson {
  id: string;
  topic: string;
  type: ItemType;
  stem: string;
  options: { text: string; feedback?: string }[];
  /** Zero-based indices of the correct options. */
  key: number[];
  explanation?: string;
  references?: Reference[];
  /** When the item was last checked against its sources: `YYYY-MM-DD`. */
  reviewed?: string;
  /** The moving rule or document the item's facts depend on. */
  watch?: string;
  status?: "draft" | "pretest" | "active" | "retired";
  enemies?: string[];
  difficulty?: "easy" | "medium" | "hard";
  irt?: { model: "1PL" | "2PL" | "3PL" | "4PL"; a?: number; b: number; c?: number; d?: number };
  exposure?: number;
  tags?: string[];
}

/** A skill-profile file as `JSON.parse` gives it; see `quizbanks/profile.schema.json`. */
export interface ProfileJson {
  $schema?: string;
  id: string;
  title: string;
  version: string;
  /** Where the numbers come from. */
  source: string;
  /** Bank ids, in the order of the matrix's rows and columns. */
  domains: string[];
  /** The correlation matrix, row by row: symmetric, 1 on the diagonal, positive definite. */
  correlations: number[][];
}

/** Session settings; every field is optional and defaults as documented in the README. */
export interface SessionConfig {
  /** `practice` (default) gives feedback after each answer; `assessment` reveals nothing until the end. */
  mode?: "practice" | "assessment";
  /** Seeds every random choice (a whole number up to 2^53 − 1). */
  seed?: number;
  stop?: StopRule;
  selection?: SelectionConfig;
  estimator?: EstimatorConfig;
  /** `adaptive`: the domain whose next item most reduces the unfinished domains' posterior variance. */
  order?: "roundRobin" | "blocked" | "adaptive";
  /** At most this many pretest items per domain (default 2). */
  pretestItems?: number;
  /** The banks' correlations, row by row in bank order; makes the estimates joint (EAP only). */
  correlations?: number[][] | null;
  /** Takes the correlations among this session's banks from a profile (instead of `correlations`). */
  profile?: Profile | null;
}

/** When a domain stops (defaults: maxItems 20, minItems 5, se 0.3, no cut, confidence 0.95, no levelCertainty). */
export interface StopRule {
  maxItems?: number;
  minItems?: number;
  /** `null` turns the precision rule off. */
  se?: number | null;
  cut?: number | null;
  confidence?: number;
  /** Stop once one level has at least this posterior probability, in (0, 1]; `null` (default) off. */
  levelCertainty?: number | null;
}

export interface SelectionConfig {
  criterion?: "maxInfo" | "kullbackLeibler" | "random";
  randomesque?: number;
  sympsonHetter?: boolean;
  contentBalancing?: boolean;
}

export interface EstimatorConfig {
  method?: "eap" | "map" | "mle" | "wle";
  priorMean?: number;
  priorSd?: number;
  gridPoints?: number;
  minTheta?: number;
  maxTheta?: number;
}

/** An item as shown: never its key, feedback or explanation. */
export interface ItemView {
  id: string;
  /** The bank id. */
  domain: string;
  topic: string;
  type: ItemType;
  /** Markdown subset, to be rendered as inert text. */
  stem: string;
  options: { text: string }[];
  /** One-based position in the test. */
  position: number;
  /** The most items the test can have from here. */
  maxLength: number;
}

/** The result of an answer; in assessment mode only `item`, `recorded`, `finished` and `chosen`. */
export interface Feedback {
  item: string;
  recorded: boolean;
  finished: boolean;
  correct?: boolean;
  key?: number[];
  chosen: number[];
  optionFeedback?: (string | null)[];
  explanation?: string;
  references?: Reference[];
}

export interface DomainEstimate {
  domain: string;
  theta: number;
  se: number;
  level: string | null;
  /** Scored items answered. */
  answered: number;
  /** The posterior probability of each of the bank's levels, in the bank's order; sums to 1. */
  levelProbabilities: LevelProbability[];
}

/** How likely one level is, given the answers (and the profile's prior, in a joint session). */
export interface LevelProbability { name: string; probability: number }

export type StopReason = "maxItems" | "precision" | "classified" | "poolExhausted" | "levelCertainty";

export interface Report {
  finished: boolean;
  domains: DomainReport[];
  review: ReviewEntry[];
}

export interface DomainReport {
  domain: string;
  title: string;
  theta: number;
  se: number;
  /** The 95% interval theta ± 1.96·se. */
  interval: [number, number];
  level: string | null;
  /** The posterior probability of each level, in the order of `levels`; sums to 1. */
  levelProbabilities: LevelProbability[];
  levels: { name: string; minTheta: number | null }[];
  answered: number;
  correct: number;
  shareCorrect: number;
  stopReason: StopReason | null;
  topics: TopicReport[];
}

export interface TopicReport {
  topic: string;
  title: string;
  answered: number;
  correct: number;
  /** The right answers the learner's other answers in the domain predict for this topic. */
  expected: number;
  /** Descriptive: (correct − expected) / the predictive SD. */
  z: number;
  /** Exact two-sided p-value of `correct` (null without answers). */
  pValue: number | null;
  /** Benjamini–Hochberg over the domain's topics at q = 0.1; "tooFewItems" when the topic
   *  has too few answers for even all right or all wrong to stand out. */
  verdict: "strength" | "gap" | "asExpected" | "tooFewItems";
}

export interface ReviewEntry {
  item: string;
  domain: string;
  topic: string;
  type: ItemType;
  stem: string;
  options: string[];
  chosen: number[] | null;
  correct?: boolean;
  scored: boolean;
  key?: number[];
  optionFeedback?: (string | null)[];
  explanation?: string;
  references?: Reference[];
}

/** One step of the test: candidates, random draws, response and estimate. */
export interface Step {
  index: number;
  domain: string;
  item: string;
  pretest: boolean;
  thetaBefore: number;
  topic?: string;
  eligible: number;
  candidates: { item: string; value: number }[];
  draws: Draw[];
  response?: number[];
  correct?: boolean;
  estimate?: { theta: number; se: number };
  /** With `order: "adaptive"`: each unfinished domain's value; the largest was asked. */
  domainValues?: { domain: string; value: number }[];
}

export type Draw =
  | { kind: "randomesque"; u: number; among: number; chosen: number }
  | { kind: "sympsonHetter"; item: string; u: number; k: number; administered: boolean }
  | { kind: "pretest"; u: number; chance: number; among: number; chosen: number };
"#;
