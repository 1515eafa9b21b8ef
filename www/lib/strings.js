// Every sentence the shell itself says, in one place, so a translation is one more object of
// the same shape. Bank text (titles, stems, options, feedback) comes from the banks instead.

const number = (locale, value, digits = 2) =>
  new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);

const percent = (locale, share) =>
  new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(share);

const list = (locale, items) => new Intl.ListFormat(locale, { style: "long", type: "conjunction" }).format(items);

export const en = {
  locale: "en",
  loading: "Loading the quiz…",
  loadFailed: "The quiz could not be loaded.",
  engineFailed: (file, message) => `The quiz engine (${file}) could not be loaded: ${message}`,
  settingsFailed: "This quiz is set up incorrectly:",
  retry: "Try again",

  introHeading: (titles) => `Skill check: ${list("en", titles)}`,
  domainsHeading: (count) => (count === 1 ? "The domain" : `The ${count} domains`),
  lengthFact: (max) =>
    `Up to ${max} questions. The test adapts to your answers and stops early once it has measured your level well enough.`,
  modeFact: {
    practice: "Practice: after each answer you see whether it was right, with an explanation and sources.",
    assessment: "Assessment: you see your results, the right answers and explanations once you finish.",
  },
  start: "Start",
  startFresh: "Start a new quiz",
  resumed: (n) => `Welcome back: continuing where you left off, after ${n} ${n === 1 ? "answer" : "answers"}.`,
  restoreFailed: (message) =>
    `Your saved progress cannot be used, probably because the questions have changed since you started (${message}). You can start a new quiz.`,
  banksUpdated: (versions) =>
    `The questions have been updated since you started (now ${versions}), so your saved progress cannot be used. You can start a new quiz.`,
  memoryOnly: "Your browser is not letting this page store data, so your progress will not survive a reload.",
  sessionEnded: "This session has ended",
  sessionEndedHelp: "Your answers so far are recorded. To go on, open this activity again from your course.",
  lmsNotRecording: (mode) =>
    `The course was opened to ${mode === "review" ? "review" : "browse"}: your answers and results are not recorded.`,
  lmsUnavailable: (reason) =>
    `Your progress is not being recorded: this quiz expected a learning management system but could not reach it (${reason}). You can still take it here.`,

  questionHeading: (n, max) => `Question ${n} of up to ${max}`,
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
  outcome: (score, mastery, passed) =>
    `Score ${score} out of 100 (pass mark ${mastery}): ${passed ? "passed" : "not passed yet"}.`,
  level: "Level",
  noLevel: "No level",
  answeredShare: (answered, correct, share) =>
    `${answered} ${answered === 1 ? "question" : "questions"} answered, ${correct} correct (${percent("en", share)}).`,
  estimate: "Your estimate",
  yourLevel: "your level",
  interval: "95% interval",
  chartLabel: (title) => `Proficiency profile: ${title}`,
  chartSummary: (title, level, theta, low, high) =>
    `${title}: estimated level ${level}; ability estimate ${number("en", theta)} on a scale where 0 is average, with a 95% interval from ${number("en", low)} to ${number("en", high)}.`,
  axisLabel: "Ability (0 = average)",
  chartTable: "The profile as a table",
  band: "Level",
  bandFrom: "From",
  bandTo: "Up to",
  below: "—",
  value: "Value",
  formatNumber: (value) => number("en", value),
  strengths: "Strengths",
  gaps: "To work on",
  noStrengths: "No topic stood out above your overall level.",
  noGaps: "No topic stood out below your overall level.",
  topicsHeading: "Topics",
  topic: "Topic",
  answered: "Answered",
  correctCount: "Correct",
  verdict: "Result",
  verdicts: {
    strength: "Strength",
    gap: "To work on",
    asExpected: "As expected",
    tooFewItems: "Too few questions to tell",
  },
  stopReasons: {
    maxItems: "The test reached its maximum length.",
    precision: "The test stopped once it had measured your level precisely enough.",
    classified: "The test stopped once your level was clear.",
    poolExhausted: "The test used every available question.",
  },

  review: "Review your answers",
  returnToCourse: "Return to the course",
  reviewHeading: "Review",
  reviewItem: (n, domain, topic) => `Question ${n}: ${domain}, ${topic}`,
  noAnswer: "No answer recorded.",
  backToResults: "Back to your results",
  back: "Back",

  startOver: "Start over",
  startOverConfirm: "Start over? Your answers so far will be cleared.",
  confirmStartOver: "Yes, start over",
  cancel: "Cancel",
};
