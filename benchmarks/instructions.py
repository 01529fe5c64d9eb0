"""Instructions per page, counted by valgrind: a figure that machine load cannot move.

    python benchmarks/instructions.py                 # 600-page corpus (400 text pages), 3 passes
    python benchmarks/instructions.py --pages 300 --passes 1
    python benchmarks/instructions.py --src /tmp/old/src   # another checkout's peelparse

Wall-clock figures on a shared two-core VM drift by a factor of two; the number of instructions
a workload executes does not. Each workload runs in its own ``valgrind --tool=callgrind``
subprocess: the text pages of ``run.py``'s corpus through ``peelparse.parse``, the same pages
through ``run.py``'s ``baseline()`` (split into lines, one regex a line), and an empty
workload. Every subprocess builds the corpus, imports peelparse and parses every page once
before the workload (so imports and first-call caches are not counted); the empty workload's
count is subtracted from the others. What is printed is instructions (valgrind's ``Ir``) per
text page, for peelparse and the baseline, and their ratio (baseline / peelparse: the same
ratio as ``run.py``'s time-based one, without the noise).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKLOADS = ("none", "baseline", "parse")
_COLLECTED = re.compile(r"Collected : ([0-9]+)")


def _workload(name: str, pages: int, passes: int) -> None:
    """Run inside valgrind: set up, then run ``name`` ``passes`` times over the text pages."""
    sys.path.insert(1, str(HERE))
    from run import baseline, build_corpus, parse_all

    texts, _ = build_corpus(pages)
    parse_all(texts)  # imports, lazy names and caches are set up before the count matters
    baseline(texts)
    for _ in range(passes):
        if name == "parse":
            parse_all(texts)
        elif name == "baseline":
            baseline(texts)


def count(name: str, pages: int, passes: int, src: str | None) -> int:
    """Instructions executed by one subprocess running workload ``name``."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (src, env.get("PYTHONPATH"))))
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        str(Path(__file__).resolve()),
        "--run",
        name,
        "--pages",
        str(pages),
        "--passes",
        str(passes),
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    found = _COLLECTED.search(done.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(found[1])


def text_pages(pages: int) -> int:
    sys.path.insert(1, str(HERE))
    from run import build_corpus

    return len(build_corpus(pages)[0])


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--pages", type=int, default=600, help="corpus size (2/3 are text)")
    options.add_argument("--passes", type=int, default=3, help="passes over the text pages")
    options.add_argument("--src", help="put this src folder first on the path (old code)")
    options.add_argument("--run", choices=WORKLOADS, help=argparse.SUPPRESS)
    args = options.parse_args(argv)
    if args.run is not None:
        _workload(args.run, args.pages, args.passes)
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: no instruction counts")
        return 1
    counted = {name: count(name, args.pages, args.passes, args.src) for name in WORKLOADS}
    runs = text_pages(args.pages) * args.passes
    ours = (counted["parse"] - counted["none"]) / runs
    base = (counted["baseline"] - counted["none"]) / runs
    print(f"instructions per text page ({runs} parses, valgrind Ir):")
    print(f"  baseline   {base:12,.0f}")
    print(f"  peelparse  {ours:12,.0f}")
    print(f"  ratio      {base / ours:12.3f}   (baseline / peelparse)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
