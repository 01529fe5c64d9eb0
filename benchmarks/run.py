"""peelparse's benchmark: every figure beside a baseline measured in the same run.

    python benchmarks/run.py            # the full run: 12,000 pages, about 25 MB
    python benchmarks/run.py --quick    # a few hundred pages, for CI (figures only, no verdicts)

It builds a corpus from the fixture pages (blank-line text, compact text and HTML), then
reports, as the median of several repeats:

- text parsing throughput beside a bare line reader (split into lines, one compiled regex per
  line: the floor of any line-based reader), and the ratio;
- the same ratio on one complete real page (the seed page, 96 lines, 6.5 kB), parsed many times:
  the figure of issue 13, free of the per-page cost that dominates the corpus's short excerpts;
- HTML parsing throughput beside lxml parsing the same bytes alone, and the ratio;
- the command line end to end (``--format jsonl``) with ``--jobs 1`` and ``--jobs 2``;
- the command line's peak memory (RSS) on 100 pages and on all pages;
- the peak memory (RSS) of parsing one page of each of the worst shapes (short lines split by
  ``\r``, ``<br>``, text and ``<br>``, ``<p>`` after ``<p>``), per MB of input, beside the
  bound of issue 11 (50 times the input plus 100 MB);
- ``import peelparse`` time beside ``python -c pass``.

Each target (issues 5 and 13) is printed with ``ok`` or ``MISSED``; ``--check`` turns a miss
into exit status 1.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import peelparse

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"

#: The baseline's one regex per line: about what any line classifier must at least do.
BASELINE_LINE = re.compile(r"[ \t]*(?:•|-|[0-9]+\.)[ \t]|Last updated |Questions for |[0-9]{1,2}$")


def compact(text: str) -> str:
    """The compact rendering of a blank-line page: no blank lines, '- ' bullets, no chrome."""
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = line.strip()
        if not stripped or stripped in ("Skip to content", "Good", "Requires improvement"):
            continue
        lines.append("- " + stripped[2:] if stripped.startswith("• ") else stripped)
    return "\n".join(lines)


def build_corpus(pages: int) -> tuple[list[str], list[bytes]]:
    """``pages`` pages, two thirds text (both renderings), one third HTML.

    Every third text page is the complete seed page (6.5 kB), the others the fixture excerpts
    (like most saved pages, under 2 kB), so the corpus averages well over 2 kB a page.
    """
    texts: list[str] = []
    htmls: list[bytes] = []
    sources = sorted(FIXTURES.glob("*.txt"))
    base_text = [p.read_bytes().decode("utf-8") for p in sources]
    base_html = [(FIXTURES / "html" / f"{p.stem}.html").read_bytes() for p in sources]
    seed = seed_page()
    index = 0
    while len(texts) + len(htmls) < pages:
        text = seed if index % 3 == 0 else base_text[index % len(base_text)]
        round_ = index // len(base_text)
        texts.append(text if round_ % 2 == 0 else compact(text))
        if len(texts) + len(htmls) < pages and index % 2 == 0:
            htmls.append(base_html[index % len(base_html)])
        index += 1
    return texts, htmls


def seed_page() -> str:
    """The complete real page (Cheshire PEEL 2017 Effectiveness) the fixtures start from."""
    return (FIXTURES / "peel-2017__cheshire__effectiveness.txt").read_text(encoding="utf-8")


def median_time(function: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def baseline(texts: list[str]) -> None:
    match = BASELINE_LINE.match
    for text in texts:
        for line in text.split("\n"):
            match(line)


def parse_all(pages: list[str] | list[bytes]) -> None:
    parse = peelparse.parse
    for page in pages:
        parse(page)


def lxml_only(pages: list[bytes]) -> None:
    from lxml import etree

    parser = etree.HTMLParser(no_network=True)
    for page in pages:
        etree.fromstring(page, parser)


def megabytes(pages: list[str] | list[bytes]) -> float:
    return sum(len(p.encode("utf-8") if isinstance(p, str) else p) for p in pages) / 1e6


def write_files(texts: list[str], htmls: list[bytes], folder: Path) -> None:
    for number, text in enumerate(texts):
        (folder / f"page-{number:05d}.txt").write_text(text, encoding="utf-8")
    for number, markup in enumerate(htmls):
        (folder / f"page-{number:05d}.html").write_bytes(markup)


def run_cli(folder: Path, jobs: int) -> tuple[float, int]:
    """Wall time and peak RSS (kB, largest process) of the CLI over ``folder``."""
    script = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=False)\n"
        "print(time.perf_counter() - t, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    command = [
        sys.executable,
        "-c",
        script,
        sys.executable,
        "-m",
        "peelparse",
        "extract",
        str(folder),
        "--format",
        "jsonl",
        "--jobs",
        str(jobs),
        "--quiet",
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), int(out[1])


#: One page of a hostile shape, parsed in a fresh process that prints its peak RSS (bytes).
WORST_SHAPE = """
import resource, sys
import peelparse
from lxml import etree
unit, size = sys.argv[1], int(sys.argv[2])
if size:
    html = unit.startswith("<") or unit.endswith(">")
    page = (("<html><body>" if html else "") + unit * (size // len(unit))).encode("utf-8")
    peelparse.parse(page, format="html" if html else "text")
else:  # the idle process: everything imported, one small page of each kind parsed
    peelparse.parse(b"<html><body><p>Kent PEEL 2017</p>")
    peelparse.parse(b"Kent PEEL 2017")
try:  # VmHWM: ru_maxrss would carry the parent's peak across fork and exec
    with open("/proc/self/status") as status:
        print(next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")) * 1024)
except OSError:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"""
#: The shapes, and the size (bytes) each is measured at in a full run.
WORST_SHAPES = {"ab\r": 2_500_000, "<br>": 1_000_000, "x<br>": 1_000_000, "<p>x": 1_000_000}


def worst_shape_peak(unit: str, size: int) -> int:
    """Peak RSS (bytes) of a process parsing ``size`` bytes of ``unit`` repeated."""
    command = [sys.executable, "-c", WORST_SHAPE, unit, str(size)]
    return int(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def import_time(statement: str, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--quick", action="store_true", help="a few hundred pages, 1 repeat")
    options.add_argument("--pages", type=int, default=None, help="corpus size (default 12000)")
    options.add_argument("--repeats", type=int, default=None, help="repeats per figure")
    options.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = options.parse_args(argv)
    pages = args.pages or (300 if args.quick else 12_000)
    repeats = args.repeats or (1 if args.quick else 5)
    texts, htmls = build_corpus(pages)
    print(
        f"peelparse {peelparse.__version__} benchmark on {platform.node() or 'this machine'}: "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print(
        f"corpus: {len(texts) + len(htmls)} pages, {megabytes(texts) + megabytes(htmls):.1f} "
        f"MB ({len(texts)} text, {len(htmls)} HTML); median of {repeats} repeats"
    )
    verdicts: list[bool] = []

    def verdict(
        name: str, value: float, target: float, unit: str = "", higher: bool = True
    ) -> None:
        met = value >= target if higher else value <= target
        verdicts.append(met)
        sign = ">=" if higher else "<="
        mark = "ok" if met else "MISSED"
        print(f"  target {name}: {value:.2f}{unit} ({sign} {target}{unit}) {mark}")

    def throughput(
        label: str, pages: Any, base_name: str, base: Callable[[], object], target: float
    ) -> None:
        """peelparse over ``pages`` beside ``base`` over the same pages, and their ratio."""
        size = megabytes(pages)
        base_time = median_time(base, repeats)
        ours = median_time(lambda: parse_all(pages), repeats)
        print(
            f"{label + ':':10} {base_name:8} {size / base_time:7.1f} MB/s "
            f"{len(pages) / base_time:9.0f} pages/s | peelparse {size / ours:6.1f} MB/s "
            f"{len(pages) / ours:7.0f} pages/s"
        )
        verdict(f"{label} peelparse/{base_name}", base_time / ours, target)

    parse_all(texts[:50])  # warm up: first calls import lazily loaded modules
    parse_all(htmls[:10])
    lxml_only(htmls[:10])
    throughput("text", texts, "baseline", lambda: baseline(texts), 0.3)
    real = [seed_page()] * (100 if args.quick else 2_000)
    throughput("real page", real, "baseline", lambda: baseline(real), 0.15)
    throughput("HTML", htmls, "lxml", lambda: lxml_only(htmls), 0.5)

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "all"
        small = Path(scratch) / "small"
        folder.mkdir()
        small.mkdir()
        write_files(texts, htmls, folder)
        for path in sorted(folder.iterdir())[:100]:
            shutil.copy(path, small / path.name)
        cli_repeats = max(1, repeats // 2)
        one = statistics.median(run_cli(folder, 1)[0] for _ in range(cli_repeats))
        two = statistics.median(run_cli(folder, 2)[0] for _ in range(cli_repeats))
        count = len(texts) + len(htmls)
        print(f"cli:   --jobs 1 {count / one:7.0f} pages/s | --jobs 2 {count / two:7.0f} pages/s")
        verdict("CLI speed-up --jobs 2/--jobs 1", one / two, 1.7, "x")
        rss_small = run_cli(small, 1)[1] / 1024
        rss_all = run_cli(folder, 1)[1] / 1024
        print(f"rss:   100 pages {rss_small:6.1f} MB | {count} pages {rss_all:6.1f} MB")
        verdict("RSS growth 100 → all pages", rss_all - rss_small, 50, " MB", higher=False)

    idle = worst_shape_peak("", 0)
    print(f"memory: a process that has parsed one small page peaks at {idle / 2**20:.0f} MB")
    for unit, full_size in WORST_SHAPES.items():
        size = full_size // 10 if args.quick else full_size
        peak = worst_shape_peak(unit, size)
        per_mb = (peak - idle) / size
        print(
            f"memory: {size / 1e6:4.2f} MB of {unit!r:7} peak {peak / 2**20:5.0f} MB, "
            f"{per_mb:5.1f} MB per MB of input beyond the idle process"
        )
        bound = round((50 * size + 100 * 2**20) / 2**20)
        verdict(f"peak RSS on {unit!r}", peak / 2**20, bound, " MB", higher=False)

    bare = import_time("pass", repeats * 2 + 1)
    loaded = import_time("import peelparse", repeats * 2 + 1)
    print(f"import: python -c pass {bare * 1000:.0f} ms | import peelparse {loaded * 1000:.0f} ms")
    verdict("import peelparse adds", (loaded - bare) * 1000, 50, " ms", higher=False)
    lxml_loaded = subprocess.run(
        [sys.executable, "-c", "import sys, peelparse; print('lxml' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"import: lxml imported by 'import peelparse': {lxml_loaded}")
    if args.quick:
        print("(quick run: figures only; targets are meant for the full run)")
        return 0
    return 1 if args.check and not all(verdicts) else 0


if __name__ == "__main__":
    sys.exit(main())
