# The two commands a newcomer needs are `make demo` and `make test`; both set up what they need.
.PHONY: test check bench

## Every test layer: formatting, lints, and all tests.
test: check
	cargo test --locked

## Formatting and lints (part of `make test`).
check:
	cargo fmt --check
	cargo clippy --all-targets --locked -- -D warnings

## Benchmarks print figures; they are not tests and do not run in CI.
bench:
	cargo bench --bench engine --locked
