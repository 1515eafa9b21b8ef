// Compiled (never run) by `make test-wasm`: the generated `.d.ts` must type the API, so these
// uses compile and the `@ts-expect-error` lines do not.

import {
  Bank,
  Profile,
  type ProfileJson,
  type BankJson,
  type DomainEstimate,
  type Feedback,
  type ItemView,
  type LevelProbability,
  type Report,
  Session,
  type SessionConfig,
  type Step,
} from "../../target/wasm-node/skillcat.js";

declare const json: BankJson;

const bank: Bank = Bank.fromJson(json, "cybersecurity.json");
const title: string = bank.title;
const count: number = bank.itemCount;
const cut: number | undefined = bank.levels[1]?.min_theta;
const weight: number | undefined = bank.topics[0]?.weight;

const config: SessionConfig = { mode: "practice", seed: 7, stop: { maxItems: 20, se: 0.3 } };
const session = new Session([bank], config);
for (let item: ItemView | null = session.next(); item; item = session.next()) {
  const stem: string = item.stem;
  const options: string[] = item.options.map((option) => option.text);
  const feedback: Feedback = session.answer(item.id, [0]);
  const explanation: string | undefined = feedback.explanation;
  void [stem, options, explanation];
}
session.recordScore("cyb-1", true);
const estimates: DomainEstimate[] = session.estimates();
const level: string | null = estimates[0].level;
const likely: { name: string; probability: number } = estimates[0].levelProbabilities[0];
const reported: LevelProbability[] = session.report().domains[0].levelProbabilities;
const report: Report = session.report();
const interval: [number, number] = report.domains[0].interval;
const steps: Step[] = session.log();
const draw = steps[0].draws[0];
const u: number = draw.u;
const finished: boolean = session.isFinished;
const answered: number = session.answered + session.maxLength;
const saved: string = session.save();
const restored: Session = Session.restore([bank], saved);
const blocked = new Session([bank], { order: "blocked", estimator: { method: "wle" } });
void [title, count, cut, weight, level, likely, reported, interval, u, finished, answered, restored, blocked];

// @ts-expect-error a level's probability is a number
const percent: string = estimates[0].levelProbabilities[0].probability;
declare const profileJson: ProfileJson;
const profile: Profile = Profile.fromJson(profileJson, "profile.json");
const matrix: number[][] = profile.correlationsFor(["cloud", "regulation"]);
const joint = new Session([bank], { profile, order: "adaptive", stop: { levelCertainty: 0.8 } });
const direct = new Session([bank], { correlations: [[1]], stop: { levelCertainty: null } });
const values: { domain: string; value: number }[] | undefined = joint.log()[0]?.domainValues;
void [matrix, direct, values];
// @ts-expect-error a profile comes from Profile.fromJson
new Session([bank], { profile: profileJson });
// @ts-expect-error domain orders are named
new Session([bank], { order: "joint" });
// @ts-expect-error the options are indices
session.answer("cyb-1", ["a"]);
// @ts-expect-error `maxItems` belongs under `stop`
new Session([bank], { maxItems: 5 });
// @ts-expect-error modes are named
new Session([bank], { mode: "exam" });
// @ts-expect-error banks come from Bank.fromJson
new Session([json]);
// @ts-expect-error the bank file's format is fixed
Bank.fromJson({ ...json, format: "skillcat-bank/2" });
// @ts-expect-error `next()` may return null
session.next().id;
