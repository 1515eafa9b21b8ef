// Every sentence the shell itself says, in one place, so a translation is one more object of
// the same shape. Bank text (titles, stems, options, feedback) comes from the banks instead.

const number = (/** @type {string} */ locale, /** @type {number} */ value, /** @type {number} */ digits = 2) =>
  new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);

const percent = (/** @type {string} */ locale, /** @type {number} */ share) =>
  new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(share);

const list = (/** @type {string} */ locale, /** @type {string[]} */ items) =>
  new Intl.ListFormat(locale, { style: "long", type: "conjunction" }).format(items);

/** A probability as a whole percent that never reads as certain: "under 1%", "over 99%". */
const likely = (/** @type {string} */ locale, /** @type {number} */ p) =>
  p < 0.005 ? "under 1%" : p > 0.995 ? "over 99%" : percent(locale, p);

/** @typedef {typeof en} Strings the shape every translation has */

export const en = {
  locale: "en",
  loading: "Loading the quiz…",
  loadFailed: "The quiz could not be loaded.",
  engineFailed: (/** @type {string} */ file, /** @type {string} */ message) => `The quiz engine (${file}) could not be loaded: ${message}`,
  settingsFailed: "This quiz is set up incorrectly:",
  retry: "Try again",

  introHeading: (/** @type {string[]} */ titles) => `Skill check: ${list("en", titles)}`,
  domainsHeading: (/** @type {number} */ count) => (count === 1 ? "The domain" : `The ${count} domains`),
  /** How long the test can be, and what can end a domain early (only what the settings do). */
  lengthFact: (
    /** @type {number} */ max,
    /** @type {number} */ perDomain,
    /** @type {number} */ domains,
    /** @type {number | null} */ certainty,
  ) =>
    `Up to ${max} questions, at most ${perDomain} ${domains > 1 ? "per domain " : ""}counting toward your result. The test adapts to your answers. ${
      certainty === null
        ? "It ends a domain early only once it has measured your ability very precisely, which short tests rarely reach."
        : `It ends a domain early once one level is at least ${percent("en", certainty)} likely.`
    }`,
  profileFact: (/** @type {string} */ title) =>
    `The domains are measured together (${title}): related skills go together, so your answers in one domain also inform the others and the test needs fewer questions.`,
  modeFact: {
    practice: "Practice: after each answer you see whether it was right, with an explanation and sources.",
    assessment: "Assessment: you see your results, the right answers and explanations once you finish.",
  },
  start: "Start",
  startFresh: "Start a new quiz",
  resumed: (/** @type {number} */ n) => `Welcome back: continuing where you left off, after ${n} ${n === 1 ? "answer" : "answers"}.`,
  restoreFailed: (/** @type {string} */ message) =>
    `Your saved progress cannot be used, probably because the questions have changed since you started (${message}). You can start a new quiz.`,
  banksUpdated: (/** @type {string} */ versions) =>
    `The questions have been updated since you started (now ${versions}), so your saved progress cannot be used. You can start a new quiz.`,
  memoryOnly: "Your browser is not letting this page store data, so your progress will not survive a reload.",
  sessionEnded: "This session has ended",
  sessionEndedHelp: "Your answers so far are recorded. To go on, open this activity again from your course.",
  lmsNotRecording: (/** @type {string} */ mode) =>
    `The course was opened to ${mode === "review" ? "review" : "browse"}: your answers and results are not recorded.`,
  lmsUnavailable: (/** @type {string} */ reason) =>
    `Your progress is not being recorded: this quiz expected a learning management system but could not reach it (${reason}). You can still take it here.`,

  questionHeading: (/** @type {number} */ n, /** @type {number} */ max) => `Question ${n} of up to ${max}`,
  chooseOne: "Choose one answer.",
  chooseAll: "Choose all answers that apply.",
  trueFalse: "Is the statement true or false?",
  submit: "Submit answer",
  chooseFirst: "Choose an answer before you submit.",
  saved: "Answer saved.",

  correct: "Correct",
  incorrect: "Incorrect",
  recorded: "Answer recorded.",
  yourAnswer: "Your answer",
  correctAnswer: "Correct answer",
  notChosen: "Not chosen",
  explanation: "Explanation",
  references: "Sources",
  opensNewTab: "(opens in a new tab)",
  next: "Next question",
  seeResults: "See your results",
  unscored: "A trial question: it does not count toward your result.",

  resultsHeading: "Your results",
  notFinished: "The test is not finished yet.",
  outcome: (/** @type {number} */ score, /** @type {number} */ mastery, /** @type {boolean} */ passed) =>
    `Score ${score} out of 100 (pass mark ${mastery}): ${passed ? "passed" : "not passed yet"}.`,
  level: "Level",
  noLevel: "No level",
  /** The headline, hedged by how likely the most likely level is (lib/levels.js). */
  levelHeadline: {
    likely: (/** @type {string} */ name, /** @type {number} */ p) => `Most likely ${name} (${likely("en", p)})`,
    probable: (/** @type {string} */ name, /** @type {number} */ p, /** @type {string} */ other) =>
      `Probably ${name} (${likely("en", p)}), possibly ${other}`,
    unclear: (/** @type {string} */ low, /** @type {string} */ high) => `Between ${low} and ${high}: not clear yet`,
  },
  /** "Advanced: 64% likely; Practitioner 21%, Expert 15%." */
  levelOdds: (
    /** @type {import("../pkg/skillcat.js").LevelProbability} */ top,
    /** @type {import("../pkg/skillcat.js").LevelProbability[]} */ others,
  ) =>
    `${top.name}: ${likely("en", top.probability)} likely${
      others.length ? `; ${others.map((o) => `${o.name} ${likely("en", o.probability)}`).join(", ")}` : ""
    }.`,
  levelMeaning: "What this level means",
  answeredShare: (/** @type {number} */ answered, /** @type {number} */ correct, /** @type {number} */ share) =>
    `${answered} ${answered === 1 ? "question" : "questions"} answered, ${correct} correct (${percent("en", share)}).`,
  estimate: "Your estimate",
  yourLevel: "your level",
  interval: "95% interval",
  chartLabel: (/** @type {string} */ title) => `Proficiency profile: ${title}`,
  chartSummary: (
    /** @type {string} */ title,
    /** @type {string} */ odds,
    /** @type {number} */ theta,
    /** @type {number} */ low,
    /** @type {number} */ high,
  ) =>
    `${title}: ${odds} Ability estimate ${number("en", theta)} on a scale where 0 is average, with a 95% interval from ${number("en", low)} to ${number("en", high)}.`,
  probability: "Chance",
  formatProbability: (/** @type {number} */ p) => likely("en", p),
  posterior: "How likely each level is (shaded area)",
  axisLabel: "Ability (0 = average)",
  chartTable: "The profile as a table",
  band: "Level",
  bandFrom: "From",
  bandTo: "Up to",
  below: "—",
  value: "Value",
  formatNumber: (/** @type {number} */ value) => number("en", value),
  strengths: "Strengths",
  gaps: "To work on",
  noStrengths: "No topic stood out above your other answers.",
  noGaps: "No topic stood out below your other answers.",
  topicsUnjudged: "Not enough answers to judge topics: each topic had too few questions for a difference to stand out from chance.",
  topicsMethod:
    "A topic is a strength or a gap only when its right answers differ from what your other answers predict by more than chance would explain, across all topics at once (false-discovery rate 10%).",
  topicsHeading: "Topics",
  topic: "Topic",
  rightAnswers: "Right answers",
  verdict: "Result",
  /** "3 of 3 right where about 1.6 were expected". */
  topicCount: (/** @type {number} */ correct, /** @type {number} */ answered, /** @type {number} */ expected) =>
    `${correct} of ${answered} right where about ${number("en", expected, 1)} ${expected >= 0.95 && expected < 1.05 ? "was" : "were"} expected`,
  verdicts: {
    strength: "Strength",
    gap: "To work on",
    asExpected: "No clear difference",
    tooFewItems: "Too few questions to tell",
  },
  stopReasons: {
    maxItems: "The test reached its maximum length.",
    precision: "The test stopped once it had measured your level precisely enough.",
    classified: "The test stopped once your level was clear.",
    levelCertainty: "This domain ended early: one level had become likely enough.",
    poolExhausted: "The test used every available question.",
  },

  progressHeading: "Your progress over time",
  progressNote:
    "Your finished results are kept in this browser only (the latest 20 per domain), so that you can follow your progress. Each point is an estimate with its 95% interval.",
  progressFirst: (/** @type {string[]} */ titles) =>
    `This is your first saved result for ${list("en", titles)}: later results will show your progress here.`,
  trendLabel: (/** @type {string} */ title) => `Progress over time: ${title}`,
  trendTable: "Your results as a table",
  trendWhen: "When",
  trendEstimate: "Ability (95% interval)",
  trendLevel: (/** @type {string} */ name, /** @type {number} */ p) => `${name} (${likely("en", p)} likely)`,
  trendSummary: (
    /** @type {string} */ title,
    /** @type {number} */ n,
    /** @type {string} */ firstDate,
    /** @type {string} */ first,
    /** @type {string} */ lastDate,
    /** @type {string} */ last,
  ) => `${title}: ${n} results, from ${firstDate}, ${first}, to ${lastDate}, ${last}.`,
  estimateWithInterval: (/** @type {number} */ theta, /** @type {number} */ low, /** @type {number} */ high) =>
    `${number("en", theta)} (${number("en", low)} to ${number("en", high)})`,
  formatDate: (/** @type {number} */ ms) => new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" }).format(new Date(ms)),
  clearHistory: "Clear my saved results",
  clearHistoryConfirm: "Clear every result saved in this browser? This cannot be undone.",
  confirmClearHistory: "Yes, clear them",
  historyCleared: "Your saved results have been cleared.",

  review: "Review your answers",
  returnToCourse: "Return to the course",
  reviewHeading: "Review",
  reviewJump: "Go to a domain",
  reviewDomain: (/** @type {string} */ title, /** @type {number} */ n) => `${title}: ${n} ${n === 1 ? "question" : "questions"}`,
  reviewItem: (/** @type {number} */ n, /** @type {string} */ domain, /** @type {string} */ topic) => `Question ${n}: ${domain}, ${topic}`,
  noAnswer: "No answer recorded.",
  backToResults: "Back to your results",
  back: "Back",

  startOver: "Start over",
  startOverConfirm: "Start over? Your answers so far will be cleared.",
  confirmStartOver: "Yes, start over",
  cancel: "Cancel",
};
