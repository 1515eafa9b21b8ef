# The two commands a newcomer needs are `make demo` and `make test`; both set up what they need.
.PHONY: test check bench

## Every test layer: formatting, lints, and all tests. First the tools the tests need (below),
## so that a missing one stops the run at once, before any build.
test: test-tools check
	cargo test --locked
	$(MAKE) --no-print-directory test-wasm
	$(MAKE) --no-print-directory test-e2e
	$(MAKE) --no-print-directory test-release

## Formatting, lints and the API documentation without broken links (part of `make test`): Rust,
## then the shell (check-www).
check:
	cargo fmt --check
	cargo clippy --all-targets --locked -- -D warnings
	RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --locked --quiet
	$(MAKE) --no-print-directory check-www

## The shell (www/): Biome's formatter and linter (biome.jsonc; `biome check --write .` fixes the
## formatting), then tsc's strict type check of its JSDoc (tsconfig.json, and tsconfig.node.json
## for the demo server), against the engine's generated www/pkg/skillcat.d.ts.
.PHONY: check-www
BIOME := tests/node_modules/.bin/biome
TSC := tests/node_modules/.bin/tsc
check-www: npm www-pkg
	@[ -x $(BIOME) ] && [ -x $(TSC) ] || { echo "make check needs Biome and TypeScript from tests/package.json: run make npm" >&2; exit 1; }
	$(BIOME) check --error-on-warnings .
	$(TSC) -p tsconfig.json
	$(TSC) -p tsconfig.node.json

## Benchmarks print figures; they are not tests and do not run in CI.
bench:
	cargo bench --bench engine --locked
	cargo bench --bench calibrate --locked

## Coverage-guided fuzzing of every parser that takes untrusted input (fuzz/: the bank reader and
## validator, saved-state restore, config, each importer, the Markdown subset): FUZZ_S seconds per
## target, seeded from the fixtures; prints executions, peak memory and findings per target and
## the total. Findings go to fuzz/regressions/, which `make test` replays. Not part of `make test`.
FUZZ_S ?= 60
FUZZ_TOOLCHAIN = nightly-2026-05-20
CARGO_FUZZ_VERSION = 0.13.2
.PHONY: fuzz fuzz-tools
fuzz: fuzz-tools
	RUSTUP_TOOLCHAIN=$(FUZZ_TOOLCHAIN) python3 fuzz/run.py $(FUZZ_S)

fuzz-tools:
	@rustup run $(FUZZ_TOOLCHAIN) rustc --version >/dev/null 2>&1 || rustup toolchain install $(FUZZ_TOOLCHAIN) --profile minimal
	@cargo fuzz --version 2>/dev/null | grep -q "$(CARGO_FUZZ_VERSION)" || cargo install cargo-fuzz --version $(CARGO_FUZZ_VERSION) --locked

## The profile study committed in docs/profile-study/: the seven bundled banks as separate
## tests and as one joint test, true = assumed rho = 0.5 and 0.7, 1,000 simulees, 20 questions
## per domain; text, JSON and HTML. Figures only; not a test (a few minutes).
.PHONY: profile-study profile-figures
PROFILE_STUDY = target/release/skillcat simulate $(PACKAGE_BANKS) --simulees 1000
profile-study:
	cargo build --quiet --release --locked --bin skillcat
	for rho in 0.5 0.7; do \
	  $(PROFILE_STUDY) --true-rho $$rho --assumed-rho $$rho --se none \
	    --json docs/profile-study/rho-$$rho.json --report docs/profile-study/rho-$$rho.html \
	    > docs/profile-study/rho-$$rho.txt || exit 1; \
	done

## The joint test's figures of the README (rho = 0.6): questions to reach seven 20-question
## tests' mean SE and RMSE at 140 questions; a misspecified prior (assumed 0.6, true 0.3); level
## accuracy with the level-certainty stop (0.8) and the default rule.
profile-figures:
	cargo build --quiet --release --locked --bin skillcat
	$(PROFILE_STUDY) --true-rho 0.6 --assumed-rho 0.6 --se none
	$(PROFILE_STUDY) --true-rho 0.3 --assumed-rho 0.6 --se none
	$(PROFILE_STUDY) --true-rho 0.6 --assumed-rho 0.6 --level-certainty 0.8

## The WebAssembly engine against jsCAT in one Node process (tests/bench/jscat.mjs): median
## time per adaptive step and the ratio. Figures only; neither `make test` nor CI runs it.
.PHONY: bench-js
bench-js: wasm-node npm tests/bench/node_modules/.package-lock.json
	node tests/bench/jscat.mjs

## One adaptive step of a joint session (7 domains × 500 items, a profile, the adaptive order)
## in the WebAssembly build in Node (tests/bench/joint.mjs). Figures only; not a test.
.PHONY: bench-joint
bench-joint: wasm-node
	node tests/bench/joint.mjs

## The same benchmark on a build with WebAssembly SIMD (simd128) turned on, to compare with
## `make bench-js`: the shipped build is scalar, as SIMD did not pay (README, "Measured").
## BENCH_SIZES and BENCH_REPS apply (e.g. BENCH_SIZES=500,100000).
.PHONY: bench-simd
bench-simd: npm tests/bench/node_modules/.package-lock.json | wasm-tools
	CARGO_TARGET_DIR=target/simd RUSTFLAGS="-C target-feature=+simd128" \
	  $(WASM_PACK) --target nodejs --out-dir target/wasm-node-simd
	$(WASM_OPT) --enable-simd target/wasm-node-simd/skillcat_bg.wasm -o target/wasm-node-simd/skillcat_bg.wasm
	SKILLCAT_WASM_NODE=target/wasm-node-simd node tests/bench/jscat.mjs

# jsCAT and its ~460 packages are the benchmark's alone (tests/bench/package.json): the tests
# and CI never install them.
tests/bench/node_modules/.package-lock.json: tests/bench/package-lock.json
	npm ci --prefix tests/bench --no-audit --no-fund
	@touch $@

## Time from navigation to the quiz's intro and to its first question in headless Chromium
## (tests/bench/first-question.mjs): medians of 10 runs. Figures only; not a test.
.PHONY: bench-browser
bench-browser: www-pkg npm
	node tests/bench/first-question.mjs

## The same from the release folder (`make dist`), served as it is by a plain static server:
## figures only; not a test.
.PHONY: bench-release
bench-release: dist npm chromium
	node tests/bench/first-question.mjs --release

## The browser demo: builds the WebAssembly package, then serves www/ and quizbanks/ at
## http://127.0.0.1:8080/ until Ctrl-C (DEMO_PORT=… for another port, DEMO_CSP=1 for the
## strict Content-Security-Policy header).
.PHONY: demo
DEMO_PORT ?= 8080
demo: wasm
	node www/serve.mjs --port $(DEMO_PORT) $(if $(DEMO_CSP),--csp)

# --- What users install without a toolchain: the bank catalog, the npm package, the release ---

.PHONY: catalog npm-package dist test-release
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
# JSON files of quizbanks/ that are not banks (as in src/authoring/catalog.rs).
NOT_BANKS := %schema.json index.json profile.json

## The bank catalog quizbanks/index.json, from the banks in quizbanks/: run it after adding,
## removing or changing a bank (tests/cli_catalog.rs fails while it is out of date).
catalog:
	cargo run --quiet --locked --bin skillcat -- catalog quizbanks

## The npm package target/npm/skillcat-$(VERSION).tgz (release/build.mjs, `npm pack`): the element,
## its modules, the engine checked against its size budget, types, banks, schema and licences.
npm-package: wasm
	node release/build.mjs npm

## The release folder dist/skillcat-$(VERSION)/ and its zip: the element, the engine, the banks
## and catalog, the demo, the example pages and README-deploy.md, for any static web server.
dist: wasm npm
	node release/build.mjs dist

## The npm package and the release zip as users get them (tests/release/): the tarball's files,
## package.json and types (tsc), the engine in Node, a plain page and a fresh Vite app in
## Chromium, and the unpacked zip on a plain static server in Chromium.
test-release: npm-package dist chromium tests/release/vite-app/node_modules/.package-lock.json
	node --test --test-timeout=$(E2E_TIMEOUT) tests/release/*.test.mjs

# Vite and its ~15 packages are the Vite app's alone (tests/release/vite-app/package.json and its
# lock file); the test installs the skillcat tarball there itself, from the file.
tests/release/vite-app/node_modules/.package-lock.json: tests/release/vite-app/package-lock.json | node
	npm ci --prefix tests/release/vite-app --no-audit --no-fund --ignore-scripts
	@touch $@

## LMS packages of all seven bundled banks, one per standard, in target/packages/ (SCORM 1.2,
## SCORM 2004, cmi5; practice mode, 20 items per domain, pass mark 70): ready to upload to an LMS.
.PHONY: packages
PACKAGE_BANKS := $(filter-out $(addprefix quizbanks/,$(NOT_BANKS)),$(wildcard quizbanks/*.json))
packages: wasm
	@mkdir -p target/packages
	for format in scorm12 scorm2004 cmi5; do \
	  cargo run --quiet --release --locked --bin skillcat -- package --format $$format \
	    $(PACKAGE_BANKS) --mastery-score 70 --id skillcat-health-it --title "Health-IT skill check" \
	    -o target/packages/skillcat-$$format.zip || exit 1; \
	done

# --- WebAssembly ------------------------------------------------------------------------------

.PHONY: wasm www-pkg wasm-node test-wasm check-wasm npm wasm-tools

# The wasm-bindgen CLI must match the crate's exact pin in Cargo.toml.
WASM_BINDGEN_VERSION := $(shell sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)
# Smallest code for the WebAssembly builds only (native release builds keep the profile's "s"),
# and no unwinding code: a panic aborts (natively, release builds keep unwinding so that
# `cargo bench` can build the binary and the benchmarks against one library).
# `--mode no-install` and `--no-opt`: wasm-pack downloads nothing (`make wasm-tools` installs
# the CLI; wasm-opt comes from npm, below).
WASM_PACK := CARGO_PROFILE_RELEASE_OPT_LEVEL=z CARGO_PROFILE_RELEASE_PANIC=abort wasm-pack build --release --mode no-install --no-opt
# wasm-opt from the npm package binaryen (tests/package.json): wasm-pack's own download needs
# the network, and Debian's binaryen is too old for the features rustc emits. By default -Oz
# inlines every function that has a single caller, however large, and the merged bodies
# compress worse: inlining only those up to 20 bytes (gzip is flat from 10 to 30) costs 2 KB
# raw and saves 4 KB of gzip. `--converge` repeats the passes while the module still shrinks;
# the stripped sections are tool metadata that browsers ignore. `--low-memory-unused` and
# `--zero-filled-memory` state what holds for rustc's output (its data starts at 1 MiB, above
# the stack, so the low 1 KiB is never addressed; the module defines its memory, which starts
# zeroed) and let binaryen fold constant addresses: 500 bytes of gzip.
WASM_OPT := tests/node_modules/.bin/wasm-opt -Oz --converge \
	--one-caller-inline-max-function-size=20 --low-memory-unused --zero-filled-memory \
	--strip-debug --strip-producers --strip-target-features \
	--enable-reference-types --enable-bulk-memory --enable-nontrapping-float-to-int \
	--enable-sign-ext --enable-multivalue
WASM_SOURCES := Cargo.toml Cargo.lock $(shell find src -name '*.rs')
# Size budget of www/pkg/skillcat_bg.wasm, in bytes (250 KiB raw, 100 KiB gzip -9).
WASM_BUDGET_RAW := 256000
WASM_BUDGET_GZIP := 102400

## The browser package in www/pkg/ (ES module and TypeScript declarations), then its sizes;
## fails when the .wasm is over budget.
wasm: www-pkg
	@f=www/pkg/skillcat_bg.wasm; raw=$$(wc -c < $$f); gz=$$(gzip -9 -c $$f | wc -c); \
	br=$$(node -e 'const z = require("zlib"); const q = z.constants.BROTLI_PARAM_QUALITY; \
	  console.log(z.brotliCompressSync(require("fs").readFileSync(process.argv[1]), \
	  { params: { [q]: 11 } }).length)' $$f); \
	echo "$$f: $$raw bytes raw (budget $(WASM_BUDGET_RAW)), $$gz gzip -9 (budget $(WASM_BUDGET_GZIP)), $$br brotli -q 11"; \
	if [ $$raw -gt $(WASM_BUDGET_RAW) ] || [ $$gz -gt $(WASM_BUDGET_GZIP) ]; then \
	  echo "$$f is over its size budget" >&2; exit 1; fi

## The browser package in www/pkg/ alone, without the size budget (the browser tests use it).
www-pkg: www/pkg/skillcat_bg.wasm

www/pkg/skillcat_bg.wasm: $(WASM_SOURCES) | wasm-tools npm
	$(WASM_PACK) --target web --out-dir www/pkg
	$(WASM_OPT) $@ -o $@

## The Node.js build that the boundary tests load (target/wasm-node/), optimised as for the
## browser so that the tests run the code that ships.
wasm-node: target/wasm-node/skillcat_bg.wasm

target/wasm-node/skillcat_bg.wasm: $(WASM_SOURCES) | wasm-tools npm
	$(WASM_PACK) --target nodejs --out-dir target/wasm-node
	$(WASM_OPT) $@ -o $@

## The JavaScript boundary in Node: exact native messages, no traps, native item sequences; and
## the generated TypeScript declarations compile.
test-wasm: check-wasm wasm-node npm
	node --test tests/wasm/*.test.mjs
	tests/node_modules/.bin/tsc -p tests/wasm/tsconfig.json

## The browser tests: end-to-end in Debian's headless Chromium (tests/e2e/: keyboard quizzes,
## resume, XSS, axe-core, strict CSP, screenshots into tests/e2e/screenshots/, SCORM, cmi5 and
## xAPI against a real LRS) and the shell's modules in Node (tests/www/). `skillcat` is built
## first, so the tests' hooks only run it (packages); every test and hook that names no
## timeout gets E2E_TIMEOUT, so no file can hang. The reload-chaos tests (tests/chaos/) run
## here with 40 reloads and a fixed seed; `make chaos` runs them longer.
.PHONY: test-e2e
E2E_TIMEOUT := 120000
test-e2e: www-pkg npm chromium
	cargo build --quiet --locked --bin skillcat
	CHAOS_EVENTS=40 CHAOS_SEED=1 node --test --test-timeout=$(E2E_TIMEOUT) tests/e2e/*.test.mjs \
	  tests/www/*.test.mjs tests/chaos/*.test.mjs

## Reload chaos: CHAOS_EVENTS reloads at random moments (a new seed each run, printed;
## CHAOS_SEED=N replays one). Not part of `make test`, which runs 40 with a fixed seed.
.PHONY: chaos
CHAOS_EVENTS ?= 200
chaos: www-pkg npm chromium
	CHAOS_EVENTS=$(CHAOS_EVENTS) node --test --test-timeout=1800000 tests/chaos/*.test.mjs

## Lints of the WebAssembly-only code (src/wasm/).
check-wasm: wasm-tools
	cargo clippy --target wasm32-unknown-unknown --lib --locked -- -D warnings

## The npm dev dependencies (tests/package.json) in tests/node_modules, installed when missing
## or older than the lock file. No install scripts: none of the tools needs one, and the real
## LRS's dependencies would only build an unused native module and print notices.
npm: tests/node_modules/.package-lock.json

tests/node_modules/.package-lock.json: tests/package-lock.json | node
	npm ci --prefix tests --no-audit --no-fund --ignore-scripts
	@touch $@

tests/package-lock.json: tests/package.json | node
	npm install --prefix tests --no-audit --no-fund --ignore-scripts
	@touch $@

## The WebAssembly toolchain, each part installed only when missing (or the wrong version). The
## CLI's lock file can name a crate version the registry does not offer (webpki-roots 1.0.11 in
## a mirror that stops at 1.0.10), hence the unlocked retry.
wasm-tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
	  || rustup target add wasm32-unknown-unknown
	@command -v wasm-pack >/dev/null || cargo install wasm-pack --locked
	@[ "$$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $(WASM_BINDGEN_VERSION)" ] \
	  || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --locked \
	  || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

# --- What the tests need ----------------------------------------------------------------------
# Each is installed when missing and the machine allows it (Debian packages with apt-get, as
# root, as on CI), or `make test` stops at once with the command to run. CHROMIUM is the browser
# the e2e tests drive; SKILLCAT_CHROMIUM points both it and tests/e2e/support.mjs elsewhere.

.PHONY: test-tools node chromium rust-lints
CHROMIUM := $(or $(SKILLCAT_CHROMIUM),/usr/bin/chromium)
# $(call apt_install,PACKAGES,WHAT): apt-get as root, else a message with the command, and stop.
apt_install = if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing $(2): apt-get install $(1)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; \
	else echo "make test needs $(2); install with: sudo apt-get install $(1)" >&2; exit 1; fi

## The tools `make test` needs besides Rust: Node.js 20.11+ and npm, Chromium, rustfmt and
## clippy (the wasm toolchain and the npm packages are the wasm-tools and npm targets).
test-tools: node chromium rust-lints

# Node.js runs the WebAssembly, browser and shell tests; 20.11 is the first with --test-timeout.
node:
	@command -v node >/dev/null && command -v npm >/dev/null || { $(call apt_install,nodejs npm,Node.js and npm); }
	@node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 11) ? 0 : 1)' \
	  || { echo "make test needs Node.js 20.11 or later, found $$(node --version): install it from https://nodejs.org/ (Debian 13: apt-get install nodejs npm)" >&2; exit 1; }

chromium:
	@[ -x $(CHROMIUM) ] || [ "$(CHROMIUM)" != /usr/bin/chromium ] || { $(call apt_install,chromium,Debian's chromium for the browser tests); }
	@[ -x $(CHROMIUM) ] || { echo "make test needs a Chromium at $(CHROMIUM) (SKILLCAT_CHROMIUM); unset SKILLCAT_CHROMIUM to use Debian's: sudo apt-get install chromium" >&2; exit 1; }

rust-lints:
	@cargo fmt --version >/dev/null 2>&1 && cargo clippy --version >/dev/null 2>&1 || rustup component add rustfmt clippy
