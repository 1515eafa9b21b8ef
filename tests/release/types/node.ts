// Compiled (never run) by tests/release/package.test.mjs: typed use of the engine in Node.

import { Bank, type BankJson, type Report, Session } from "skillcat/node";

export function score(json: BankJson, responses: boolean[]): Report {
  const bank = Bank.fromJson(json, "bank.json");
  const session = new Session([bank], { mode: "assessment", seed: 7 });
  for (const correct of responses) {
    const item = session.next();
    if (!item) break;
    session.recordScore(item.id, correct);
  }
  return session.report();
}

// @ts-expect-error the Node entry is initialised on import: it has no init function
import init from "skillcat/node";
