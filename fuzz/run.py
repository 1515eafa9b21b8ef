#!/usr/bin/env python3
"""Runs every fuzz target for FUZZ_S seconds (`make fuzz FUZZ_S=…`) and prints, per target,
the executions, the peak memory and what was found, then the total.

Each target starts from a corpus seeded with the repository's real files (fixtures, bundled
banks, saved states); libFuzzer keeps growing it in fuzz/corpus/ (not committed). An input that
crashes, leaks, runs over 1 s or over the memory limit is written to fuzz/regressions/<target>/,
which `make test` replays (tests/fuzz_regressions.rs): commit it with the fix.

Usage: fuzz/run.py SECONDS [TARGET…]   (from the repository root)
"""

import json
import pathlib
import re
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
TARGETS = sorted(p.stem for p in (ROOT / "fuzz" / "fuzz_targets").glob("*.rs"))
# Generous for a parser, tight enough to catch quadratic blow-ups; libFuzzer's own default
# memory cap is 2 GiB.
TIMEOUT_S = 1
RSS_LIMIT_MB = 2048


def files(folder, *suffixes):
    return [p for p in sorted((FIXTURES / folder).rglob("*")) if p.is_file() and p.suffix in suffixes]


def bank_files():
    banks = files("banks", ".json")
    return banks + [p for p in sorted((ROOT / "quizbanks").glob("*.json")) if "schema" not in p.name]


def saved_states():
    return files("sessions/states", ".json")


def configs():
    """The config objects of the saved-state fixtures, each as its own seed."""
    seeds = []
    for path in saved_states():
        try:
            config = json.loads(path.read_text()).get("config")
        except (ValueError, AttributeError):
            continue
        if config is not None:
            seeds.append(json.dumps(config).encode())
    return seeds


def markdown_texts():
    """Stems and explanations of the bundled banks: the Markdown the subset really sees."""
    texts = []
    for path in sorted((ROOT / "quizbanks").glob("*.json")):
        bank = json.loads(path.read_text())
        for item in bank.get("items", [])[:40]:
            texts.append(item.get("stem", "").encode())
            texts.append(item.get("explanation", "").encode())
    return texts


SEEDS = {
    "bank": bank_files,
    "saved_state": saved_states,
    "config": configs,
    "gift": lambda: files("convert/gift", ".gift", ".txt"),
    "aiken": lambda: files("convert/aiken", ".txt", ".aiken"),
    "csv": lambda: files("convert/csv", ".csv", ".tsv"),
    "moodle": lambda: files("convert/moodle", ".xml"),
    "qti_item": lambda: files("convert/qti", ".xml"),
    "qti_zip": lambda: files("convert/qti", ".zip"),
    "markdown": markdown_texts,
}


def seed(target):
    corpus = ROOT / "fuzz" / "corpus" / target
    corpus.mkdir(parents=True, exist_ok=True)
    seeds = SEEDS[target]()
    for n, item in enumerate(seeds):
        data = item if isinstance(item, bytes) else item.read_bytes()
        (corpus / f"seed-{n:04}").write_bytes(data)
    return corpus, len(seeds)


def run(target, seconds):
    corpus, seeds = seed(target)
    regressions = ROOT / "fuzz" / "regressions" / target
    regressions.mkdir(parents=True, exist_ok=True)
    command = [
        "cargo", "fuzz", "run", "--release", target, str(corpus), "--",
        f"-max_total_time={seconds}", f"-timeout={TIMEOUT_S}", f"-rss_limit_mb={RSS_LIMIT_MB}",
        f"-artifact_prefix={regressions}/", "-print_final_stats=1",
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    log = done.stderr
    runs = re.findall(r"Done (\d+) runs", log)
    rss = re.findall(r"stat::peak_rss_mb:\s+(\d+)", log)
    found = re.findall(r"(ERROR: libFuzzer: [^\n]*|SUMMARY: [^\n]*|Test unit written to [^\n]*)", log)
    if done.returncode != 0 and not found:
        found = [log.strip().splitlines()[-1] if log.strip() else f"exit status {done.returncode}"]
    return {
        "target": target,
        "seeds": seeds,
        "runs": int(runs[-1]) if runs else 0,
        "peak_rss_mb": int(rss[-1]) if rss else None,
        "found": found,
    }


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    seconds = int(sys.argv[1])
    targets = sys.argv[2:] or TARGETS
    unknown = [t for t in targets if t not in SEEDS]
    if unknown:
        sys.exit(f"unknown fuzz target(s): {', '.join(unknown)}; the targets are {', '.join(TARGETS)}")
    if shutil.which("cargo-fuzz") is None:
        sys.exit("cargo-fuzz is not installed: `make fuzz-tools` installs it (and the nightly toolchain)")
    results = []
    print(f"{'target':<12} {'seeds':>6} {'executions':>12} {'exec/s':>8} {'peak MB':>8}  found")
    for target in targets:
        result = run(target, seconds)
        results.append(result)
        rate = result["runs"] // max(seconds, 1)
        found = "; ".join(result["found"]) or "nothing"
        print(f"{target:<12} {result['seeds']:>6} {result['runs']:>12,} {rate:>8,} "
              f"{result['peak_rss_mb'] or '?':>8}  {found}", flush=True)
    total = sum(r["runs"] for r in results)
    crashed = [r["target"] for r in results if r["found"]]
    print(f"{'total':<12} {'':>6} {total:>12,}  in {seconds} s per target; "
          f"{len(crashed)} target(s) found something{': ' + ', '.join(crashed) if crashed else ''}")
    sys.exit(1 if crashed else 0)


if __name__ == "__main__":
    main()
