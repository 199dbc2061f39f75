"""How long loading question packs takes, and how much of that is YAML parsing.

Run from the repository root:  python benchmarks/load_packs.py

It writes a corpus of generated, valid questions (20 packs of 1,000 by default)
to a temporary folder, then times, best of 5 runs each:

  (a) project loader  bot.questions.load_packs on the corpus: read, parse with
                      positions, refuse aliases, validate every field, check ids
                      and question text across packs;
  (b) safe_load       yaml.safe_load on the same files (pure-Python parser);
  (c) CSafeLoader     yaml.load(..., Loader=yaml.CSafeLoader) on the same files
                      (libyaml's C parser, if PyYAML was built with it);
  (d) shipped bank    bot.questions.load_packs on the repository's questions/.
  (e) warm start      bot.questions.cache.load_packs_cached on the corpus with a valid
                      cache (what the bot does at start when no pack changed): read
                      and hash every pack, check and read the cache;
  (f) cold + cache    the same with no cache yet: a full load plus writing the cache.

Every timing includes reading and decoding the files. The ratios compare (a)
with (b) and (c): "project / CSafeLoader = 1.6x" means validation and position
tracking cost 60% on top of the fastest plain parse. The "C loader in use"
lines say whether libyaml is available and which loader the project uses; if
it is not, (a) runs on the pure-Python parser and (c) is skipped.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # benchmark this checkout even if another copy is installed

from bot.questions import load_packs  # noqa: E402
from bot.questions.cache import load_packs_cached  # noqa: E402
from bot.questions.yamlsource import SafeLoader as ProjectLoader  # noqa: E402

DIFFICULTIES = ("easy", "medium", "hard")
WORDS = ("river", "castle", "comet", "violin", "glacier", "lantern", "falcon", "harbor", "meadow", "quartz")


def generated_question(pack: int, number: int) -> dict[str, object]:
    """One valid question whose text is unique across the whole corpus."""
    word = WORDS[number % len(WORDS)]
    answer = f"Answer {pack}-{number}"
    return {
        "id": f"bench{pack:02d}-{number:04d}",
        "question": f"In benchmark pack {pack}, which {word} is described by clue number {number}?",
        "choices": [answer, f"Decoy A {number}", f"Decoy B {number}", f"Decoy C {number}"],
        "answer": answer,
        "category": f"Benchmark {pack:02d}",
        "difficulty": DIFFICULTIES[number % 3],
        "explanation": (
            f"Clue {number} points at the {word} because the generator says so. "
            "This sentence is here so the explanation is as long as a real one, about two hundred characters."
        ),
        "learn_more": f"https://en.wikipedia.org/wiki/{word.capitalize()}",
        "tags": ["benchmark", word],
    }


def write_corpus(folder: Path, packs: int, per_pack: int) -> list[Path]:
    """Write ``packs`` pack files of ``per_pack`` questions each; return their paths."""
    paths = []
    for pack in range(packs):
        document = {
            "pack": {"name": f"Benchmark {pack:02d}", "description": "Generated questions.", "author": "benchmark", "license": "CC0"},
            "questions": [generated_question(pack, n) for n in range(per_pack)],
        }
        path = folder / f"bench-{pack:02d}.yaml"
        path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=1_000_000), encoding="utf-8")
        paths.append(path)
    return paths


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """The fastest of ``repeat`` runs, in seconds (garbage collected before each)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def parse_all(paths: list[Path], loader: type) -> None:
    """Read and parse every file with a plain PyYAML loader."""
    for path in paths:
        yaml.load(path.read_bytes().decode("utf-8-sig"), Loader=loader)


def check_corpus(folder: Path, expected: int) -> None:
    """Stop if the generated corpus does not load cleanly (timing error paths would be meaningless)."""
    report = load_packs([folder])
    if report.errors or len(report.questions) != expected:
        sys.exit(f"generated corpus did not validate: {len(report.questions)} of {expected} loaded; {report.errors[:3]}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Time question pack loading.")
    parser.add_argument("--packs", type=int, default=20, help="pack files in the corpus (default 20)")
    parser.add_argument("--per-pack", type=int, default=1000, help="questions per pack (default 1000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement; the best is shown (default 5)")
    args = parser.parse_args()
    total = args.packs * args.per_pack
    has_c = bool(getattr(yaml, "__with_libyaml__", False)) and hasattr(yaml, "CSafeLoader")

    print(f"Python {sys.version.split()[0]}, PyYAML {yaml.__version__}")
    print(f"libyaml C loader available: {'yes' if has_c else 'no'}")
    print(f"C loader in use by the project loader: {'yes' if ProjectLoader is getattr(yaml, 'CSafeLoader', None) else 'no'} ({ProjectLoader.__name__})")
    with tempfile.TemporaryDirectory(prefix="trivia-bench-") as tmp:
        folder = Path(tmp)
        paths = write_corpus(folder, args.packs, args.per_pack)
        size = sum(p.stat().st_size for p in paths)
        check_corpus(folder, total)
        print(f"corpus: {total:,} questions in {len(paths)} files, {size / 1024 / 1024:.1f} MiB; best of {args.repeat}\n")

        project = best_of(args.repeat, lambda: load_packs([folder]))
        plain = best_of(args.repeat, lambda: parse_all(paths, yaml.SafeLoader))
        fast = best_of(args.repeat, lambda: parse_all(paths, yaml.CSafeLoader)) if has_c else None
        cache_file = folder / "cache" / "question-bank.cache"

        def cold_with_cache() -> None:
            cache_file.unlink(missing_ok=True)
            load_packs_cached([folder], cache_file)

        cold = best_of(args.repeat, cold_with_cache)
        warm = best_of(args.repeat, lambda: load_packs_cached([folder], cache_file))
        if load_packs_cached([folder], cache_file).questions != load_packs([folder]).questions:
            sys.exit("the warm start did not give the questions a fresh load gives")

    shipped_dir = ROOT / "questions"
    shipped_count = len(load_packs([shipped_dir]).questions)
    shipped = best_of(args.repeat, lambda: load_packs([shipped_dir]))

    rows = [
        ("(a) project loader, corpus", project, total),
        ("(b) yaml.safe_load (pure Python), corpus", plain, total),
        ("(c) yaml.load CSafeLoader, corpus", fast, total),
        ("(d) project loader, shipped questions/", shipped, shipped_count),
        ("(e) warm start from the cache, corpus", warm, total),
        ("(f) cold start writing the cache, corpus", cold, total),
    ]
    for label, seconds, count in rows:
        if seconds is None:
            print(f"{label:<44} skipped (no libyaml)")
        else:
            print(f"{label:<44} {seconds * 1000:9.1f} ms  {seconds / count * 1e6:7.1f} µs/question  ({count:,} questions)")
    print()
    print(f"project loader / safe_load   = {project / plain:.2f}x")
    if fast is not None:
        print(f"project loader / CSafeLoader = {project / fast:.2f}x")
        print(f"safe_load / CSafeLoader      = {plain / fast:.2f}x")
        print(f"cold + cache / CSafeLoader   = {cold / fast:.2f}x")
        print(f"warm start / CSafeLoader     = {warm / fast:.2f}x")
    print(f"warm start                   = {warm:.3f} s (goal: at most 0.5 s)")


if __name__ == "__main__":
    main()
