// `skillcat/node`: the engine, initialised on import. Same classes and shapes as `skillcat/engine`
// (pkg/skillcat.d.ts), without the browser's `init`.

export { Bank, Session } from "./pkg/skillcat.js";
export type * from "./pkg/skillcat.js";
