// Compiled (never run) by tests/release/package.test.mjs in a project that installed the npm
// tarball: an app's typed use of the element and the engine. The @ts-expect-error lines must
// fail to compile, so the declarations are precise, not `any`.

import "skillcat";
import type {
  SkillcatAnsweredDetail,
  SkillcatCompletedDetail,
  SkillcatErrorDetail,
  SkillcatQuiz,
  SkillcatQuizAttributes,
  SkillcatReadyDetail,
} from "skillcat";
import init, { Bank, type BankJson, type DomainEstimate, type Report, Session } from "skillcat/engine";

const quiz: SkillcatQuiz = document.createElement("skillcat-quiz");
const found: SkillcatQuiz | null = document.querySelector("skillcat-quiz");
quiz.startOver();

quiz.addEventListener("skillcat:ready", (event) => {
  const detail: SkillcatReadyDetail = event.detail;
  const ids: string[] = detail.banks.map((bank) => bank.id);
  const length: number = detail.expectedLength;
  // @ts-expect-error the ready event has no report
  detail.report;
});
quiz.addEventListener("skillcat:answered", (event) => {
  const detail: SkillcatAnsweredDetail = event.detail;
  const correct: boolean | undefined = detail.correct;
  const estimates: DomainEstimate[] = detail.estimates;
  const theta: number = estimates[0].theta;
  const verb: string | undefined = detail.statement?.verb.id;
  // @ts-expect-error an answer is option indices, not text
  const text: string = detail.answer;
});
document.addEventListener("skillcat:completed", (event) => {
  const detail: SkillcatCompletedDetail = event.detail;
  const report: Report = detail.report;
  const level: string | null = report.domains[0].level;
  const passed: boolean | null = detail.passed;
  // @ts-expect-error the score is a number from 0 to 1
  const score: string = detail.score;
});
found?.addEventListener("skillcat:error", (event) => {
  const detail: SkillcatErrorDetail = event.detail;
  const phase: "settings" | "load" | "answer" = detail.phase;
  const file: string | null = detail.file;
});

const attributes: SkillcatQuizAttributes = { banks: "*", mode: "assessment", "max-items": "10", "bank-base": "/quizbanks/" };
// @ts-expect-error "exam" is not a mode
const wrong: SkillcatQuizAttributes = { banks: "cloud", mode: "exam" };

async function engine(json: BankJson): Promise<number> {
  await init();
  const bank = Bank.fromJson(json, "cloud.json");
  const session = new Session([bank], { seed: 1, stop: { maxItems: 5 } });
  const item = session.next();
  if (item) session.answer(item.id, [0]);
  return session.estimates()[0].se;
}
