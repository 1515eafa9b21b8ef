// The engine for Node.js: `import { Bank, Session } from "skillcat/node"`, ready on import (no
// init call), for scoring on a server, simulations and scripts. It is the browser's engine,
// pkg/skillcat.js with the same pkg/skillcat_bg.wasm, instantiated synchronously from the file.

import { readFileSync } from "node:fs";

import { initSync } from "./pkg/skillcat.js";

initSync({ module: readFileSync(new URL("./pkg/skillcat_bg.wasm", import.meta.url)) });

export { Bank, Session } from "./pkg/skillcat.js";
