"""One input never stops a batch (issue 11): every killer input is one error record (or a
record with a diagnostic), the good records around it are intact, and no traceback reaches
the user, through ``parse_many`` and through the command line.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import peelparse
from helpers import HTML, SEED
from peelparse.batch import pool
from peelparse.batch.discovery import discover, read_manifest
from peelparse.batch.tasks import DEFAULT_MAX_BYTES, ErrorCode, Input, Task, run_task
from peelparse.cli import main
from peelparse.diagnostics import Code

SEED_HTML = HTML / "peel-2017__cheshire__effectiveness.html"
GOOD_ID = "peel-2017/cheshire/effectiveness"
URL = "https://www.justiceinspectorates.gov.uk/hmicfrs/peel-2017/cheshire/effectiveness/"
#: Codecs Python knows that are not text encodings a page can declare.
NOT_TEXT_CODECS = ["rot13", "hex", "base64", "zlib", "bz2", "uu", "idna", "punycode", "undefined"]


def cli(argv: list[str]) -> tuple[int, str, str]:
    """Run the command line in-process; a traceback would escape as an exception."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as leaving:
            status = leaving.code if isinstance(leaving.code, int) else 2
    return status, out.getvalue(), err.getvalue()


def records(out: str) -> list[dict[str, object]]:
    """JSON Lines records (split on ``\n`` only: a record may hold U+0085 or U+2028)."""
    return [json.loads(line) for line in out.split("\n") if line]


def error_code(record: dict[str, object]) -> object:
    error = record.get("error")
    return error.get("code") if isinstance(error, dict) else None


def meta_page(charset: str) -> bytes:
    """The seed page's HTML declaring ``charset``, with one byte that is not UTF-8."""
    markup = SEED_HTML.read_bytes().replace(b'<meta charset="utf-8">', b"")
    return markup.replace(b"<head>", f'<head><meta charset="{charset}">'.encode()).replace(
        b"Cheshire Constabulary", b"Cheshire Constabulary \xa0", 1
    )


# ------------------------------------------------------------------------ the killer inputs


@pytest.mark.parametrize("charset", NOT_TEXT_CODECS)
def test_a_declared_codec_that_is_no_text_encoding_is_ignored(charset: str) -> None:
    report = peelparse.parse(meta_page(charset))
    assert report.id == GOOD_ID
    fallback = [d for d in report.diagnostics if d.code == "encoding-fallback"]
    assert len(fallback) == 1
    assert f"declared charset '{charset}'" in fallback[0].message
    assert "read as windows-1252" in fallback[0].message  # the byte 0xA0 is not UTF-8


def test_a_url_python_rejects_is_misuse_in_parse_and_a_label_as_source() -> None:
    with pytest.raises(ValueError, match=r"'http://\[::1' is not a URL"):
        peelparse.parse("x", url="http://[::1")
    with pytest.raises(ValueError, match="surrogate"):
        peelparse.parse("x", url="http://example.org/\udcff")
    report = peelparse.parse(SEED.read_text("utf-8"), source="http://[::1/peel-2017/kent/")
    assert (report.source, report.force, report.diagnostics) == (
        "http://[::1/peel-2017/kent/",
        "Cheshire",  # from the text: the malformed source gave no hint, so no url-conflict
        (),
    )


def test_a_manifest_row_or_url_option_with_a_bad_url_is_an_error_record(tmp_path: Path) -> None:
    manifest = tmp_path / "pages.tsv"
    manifest.write_text(f"{SEED}\thttp://[::1\n{SEED}\t{URL}\n", encoding="utf-8")
    first, second = peelparse.parse_many(read_manifest(str(manifest)), jobs=1)
    assert first.error is not None
    assert (first.error.code, "Invalid IPv6 URL" in first.error.message) == ("bad-url", True)
    assert second.report is not None
    assert second.report.id == GOOD_ID
    status, out, err = cli(["extract", str(SEED), "--url", "http://[::1", "--format", "jsonl"])
    assert (status, error_code(records(out)[0])) == (1, "bad-url")
    assert "Traceback" not in err


def test_leading_white_space_of_11_mb_is_read(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(b" \n" * 5_500_000 + SEED_HTML.read_bytes())
    (result,) = peelparse.parse_many([str(page)], jobs=1, max_bytes=20_000_000)
    assert result.report is not None
    assert result.report.id == GOOD_ID
    assert result.report.diagnostics == ()


def test_manifest_rows_with_nul_bad_bytes_bad_quotes_or_no_path(tmp_path: Path) -> None:
    manifest = tmp_path / "pages.csv"
    manifest.write_bytes(
        b"\xef\xbb\xbfpath,url\n"  # a BOM before the header
        + f"{SEED}\n".encode()
        + b"pa\x00ge.txt\n"
        + b"caf\xe9.txt,https://example.org/\n"
        + b'"unbalanced.txt,x\n'
        + b",https://example.org/only-a-url\n"
        + f"{SEED},{URL}\r\n".encode()
    )
    inputs = list(read_manifest(str(manifest)))
    results = list(peelparse.parse_many(inputs, jobs=1))
    assert [r.error.code if r.error else r.report.id for r in results] == [  # type: ignore[union-attr]
        GOOD_ID,
        "bad-manifest-row",
        "bad-manifest-row",
        "bad-manifest-row",
        "bad-manifest-row",
        GOOD_ID,
    ]
    assert [r.source for r in results[1:5]] == [f"{manifest}:{n}" for n in (3, 4, 5, 6)]
    assert results[2].error is not None
    assert "not UTF-8 (byte 3)" in results[2].error.message
    assert results[5].report is not None
    assert results[5].report.url == URL


def test_a_utf16_manifest_is_read(tmp_path: Path) -> None:
    manifest = tmp_path / "pages.tsv"
    manifest.write_bytes(f"path\turl\r\n{SEED}\t{URL}\r\n".encode("utf-16"))
    (good,) = peelparse.parse_many(read_manifest(str(manifest)), jobs=1)
    assert good.report is not None
    assert (good.report.id, good.report.url) == (GOOD_ID, URL)
    manifest.write_bytes(f"{SEED}\n".encode("utf-16") + b"\x00\xd8\n\x00")
    good, bad = peelparse.parse_many(read_manifest(str(manifest)), jobs=1)
    assert good.ok
    assert bad.error == peelparse.InputError("bad-manifest-row", "line 2 is not UTF-16")


@pytest.fixture
def locked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Folders named ``locked`` cannot be listed (as without permission, even for root)."""
    from peelparse.batch import discovery

    real = os.scandir

    def scandir(path: str) -> object:
        if os.path.basename(path) == "locked":
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(discovery.os, "scandir", scandir)


@pytest.mark.usefixtures("locked")
def test_folders_that_cannot_be_listed_or_loop_are_error_records(tmp_path: Path) -> None:
    root = tmp_path / "pages"
    (root / "a").mkdir(parents=True)
    (root / "locked").mkdir()
    shutil.copy(SEED, root / "a" / "page.txt")
    (root / "a" / "back").symlink_to(root, target_is_directory=True)  # a loop
    (root / "z").symlink_to(root / "a", target_is_directory=True)  # a second way in
    results = list(peelparse.parse_many(discover([str(root)]), jobs=1))
    got = [(Path(r.source).relative_to(root).as_posix(), r.error and r.error.code) for r in results]
    assert got == [
        ("a/page.txt", None),
        ("a/back", "folder-loop"),
        ("locked", "unreadable"),
        ("z", "folder-loop"),
    ]
    assert results[2].error is not None
    assert "cannot list this folder" in results[2].error.message
    status, out, err = cli(["extract", str(root), "--format", "jsonl"])
    assert status == 1
    assert [error_code(r) for r in records(out)] == [
        None,
        "folder-loop",
        "unreadable",
        "folder-loop",
    ]
    assert "3 errors" in err
    assert next(discover([str(root / "locked")])).error is not None  # given itself


def test_file_names_that_are_not_utf8_are_written_escaped(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    name = os.path.join(folder, b"caf\xe9.txt")
    with open(name, "wb") as handle:
        handle.write(SEED.read_bytes())
    status, out, _ = cli(["extract", str(tmp_path), "--format", "jsonl"])
    (record,) = records(out)
    assert status == 0
    assert record["source"] == os.path.join(str(tmp_path), "caf\\xe9.txt")


def test_a_nul_in_a_path_is_an_unreadable_input() -> None:
    (result,) = peelparse.parse_many(["pa\x00ge.txt"], jobs=1)
    assert result.error is not None
    assert result.error.code == "unreadable"


def test_html_the_parser_gives_up_on_is_an_html_unparsable_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lxml import etree

    from peelparse.input import html

    def limited() -> etree.HTMLPullParser:
        return etree.HTMLPullParser(events=("start", "end"), huge_tree=False, no_network=True)

    monkeypatch.setattr(html, "_parser", limited)  # libxml2's 10 MB limit on a text node
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>" + "a" * 10_000_001 + "</p><p>after</p>", "utf-8")
    (result,) = peelparse.parse_many([str(page)], jobs=1, max_bytes=20_000_000)
    assert result.error is not None
    assert result.error.code == "html-unparsable"
    assert "Text node too long" in result.error.message
    # Strict mode gives the same record (it gave the diagnostic's code, html-unreadable).
    (strict,) = peelparse.parse_many([str(page)], jobs=1, max_bytes=20_000_000, strict=True)
    assert strict.error == result.error
    assert strict.error.code is ErrorCode.HTML_UNPARSABLE


def test_a_failure_of_peelparse_itself_is_an_internal_error_record(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from peelparse.batch import tasks

    def broken(*args: object, **kwargs: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    def undecodable(*args: object, **kwargs: object) -> None:
        raise LookupError("unknown encoding: x")

    monkeypatch.setattr(tasks, "parse_decoded", broken)
    (result,) = peelparse.parse_many([str(SEED)], jobs=1)
    assert result.error is not None
    assert result.error.code == "internal-error"
    assert "RecursionError" in result.error.message
    monkeypatch.setattr(tasks, "decode", undecodable)
    (result,) = peelparse.parse_many([str(SEED)], jobs=1)
    assert result.error == peelparse.InputError("bad-encoding", "cannot be decoded: unknown "
                                                "encoding: x")  # fmt: skip


def test_an_input_error_code_is_an_error_code_or_a_diagnostic_code() -> None:
    assert peelparse.InputError("binary", "NUL").code is ErrorCode.BINARY  # before Code.BINARY
    assert peelparse.InputError(Code.BINARY, "NUL").code is Code.BINARY
    assert peelparse.InputError("stray-grade", "5:1: …").code is Code.STRAY_GRADE
    assert peelparse.InputError("too-large", "…") == peelparse.InputError(ErrorCode.TOO_LARGE, "…")
    with pytest.raises(ValueError, match="'nonsense' is neither an ErrorCode nor a diagnostic"):
        peelparse.InputError("nonsense", "…")


def test_error_codes_are_stable_strings() -> None:
    assert {code.value for code in ErrorCode} == {
        "unreadable",
        "binary",
        "too-large",
        "bad-url",
        "bad-encoding",
        "html-unparsable",
        "bad-manifest-row",
        "folder-loop",
        "worker-lost",
        "internal-error",
    }


# ----------------------------------------------------------------- the batch of killers


def killers(root: Path) -> dict[str, bytes]:
    """One file per killer input of issue 11 (those that are files), by name."""
    return {
        "rot13.html": meta_page("rot13"),
        "base64.html": meta_page("base64"),
        "white-space.html": b" " * 3_000_000 + SEED_HTML.read_bytes(),
        "many-bad-bytes.txt": b"Kent PEEL 2017\n" + b"ab\xff" * 200_000,
        "binary.txt": b"\x00\x01PNG" * 100,
        "declared-bad.html": meta_page("utf-8"),
        "bom-bad.html": b"\xef\xbb\xbf" + meta_page("utf-8"),
        "huge-node.html": b"<html><body><p>" + b"a" * 4_000_000 + b"</p><p>after</p>",
    }


@pytest.mark.usefixtures("locked")
def test_a_batch_of_every_killer_between_good_pages(tmp_path: Path) -> None:
    root = tmp_path / "pages"
    root.mkdir()
    names = []
    for number, (name, data) in enumerate(killers(root).items()):
        good = root / f"{number:02d}-good.txt"
        shutil.copy(SEED, good)
        (root / f"{number:02d}-{name}").write_bytes(data)
        names += [good.name, f"{number:02d}-{name}"]
    (root / "locked").mkdir()
    (root / "zz-loop").symlink_to(root, target_is_directory=True)
    manifest = tmp_path / "pages.tsv"
    manifest.write_bytes(
        f"{SEED}\thttp://[::1\n".encode() + b"bad\x00row\n" + b"caf\xe9\n" + f"{SEED}\n".encode()
    )
    for jobs in ("1", "2"):
        argv = ["extract", str(root), "--manifest", str(manifest), "--format", "jsonl"]
        status, out, err = cli([*argv, "--jobs", jobs])
        assert status == 1
        assert "Traceback" not in err
        written = records(out)
        assert len(written) == 4 + len(names) + 2
        by_source = {Path(str(r["source"])).name: r for r in written[4:]}
        for name in names:
            record = by_source[name]
            if name.endswith("-good.txt"):
                assert (record["status"], record["id"]) == ("ok", GOOD_ID)
        codes = {name.split("-", 1)[1]: error_code(by_source[name]) for name in names}
        assert codes["binary.txt"] == "binary"
        assert codes["many-bad-bytes.txt"] == "binary"
        for name in ("rot13.html", "base64.html", "white-space.html", "huge-node.html"):
            assert codes[name] is None, name
        assert codes["declared-bad.html"] is None  # read, with an invalid-utf8 diagnostic
        assert [error_code(r) for r in written[:4]] == [
            "bad-url",
            "bad-manifest-row",
            "bad-manifest-row",
            None,
        ]
        assert [error_code(r) for r in written[-2:]] == ["unreadable", "folder-loop"]


# --------------------------------------------------------------------------------- the pool


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of workers of each run that forks, as the runs start them."""
    started: list[int] = []

    class CountingRun(pool._Run):
        def results(self, chunks: Any) -> Any:
            started.append(self.jobs)
            yield from super().results(chunks)

    monkeypatch.setattr(pool, "_Run", CountingRun)
    return started


def test_never_more_workers_than_inputs(counted: list[int]) -> None:
    assert len(list(peelparse.parse_many([str(SEED)] * 2, jobs=2000))) == 2
    assert counted == [2]
    assert len(list(peelparse.parse_many([str(SEED)], jobs=8))) == 1
    assert counted == [2]  # one input: run inline, nothing forked
    assert len(list(peelparse.parse_many([str(SEED)] * 300, jobs=3))) == 300
    assert counted == [2, 3]


def test_never_more_workers_than_memory_holds(
    counted: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    budget = pool.worker_budget(DEFAULT_MAX_BYTES)
    assert budget == 100 * 1024 * 1024 + 50 * DEFAULT_MAX_BYTES
    monkeypatch.setattr(pool, "available_memory", lambda: 3 * budget + 1)
    assert len(list(peelparse.parse_many([str(SEED)] * 20, jobs=8))) == 20
    monkeypatch.setattr(pool, "available_memory", lambda: budget // 2)
    assert len(list(peelparse.parse_many([str(SEED)] * 20, jobs=8))) == 20
    monkeypatch.setattr(pool, "available_memory", lambda: None)
    assert len(list(peelparse.parse_many([str(SEED)] * 20, jobs=4))) == 20
    assert counted == [3, 4]  # the second run was inline


def test_available_memory_is_read_from_the_system() -> None:
    available = pool.available_memory()
    assert available is None or available > 0


def test_parse_many_of_one_path_is_a_type_error_at_once() -> None:
    for wrong in ("a.txt", b"a.txt", Path("a.txt"), Input("a.txt")):
        with pytest.raises(TypeError, match=r"pass a list, parse_many\(\[path\]\)"):
            peelparse.parse_many(wrong)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_bytes"):
        peelparse.parse_many([str(SEED)], max_bytes=-1)


def test_run_task_names_an_input_already_known_to_be_bad() -> None:
    bad = Input("x", error=peelparse.InputError("bad-manifest-row", "line 3 is not UTF-8"))
    result = run_task(Task(0, bad, None, "auto", False, 100))
    assert (result.source, result.error) == ("x", bad.error)


# ------------------------------------------------------------------------------------ fuzz

_SNIPPETS = [
    b"Kent PEEL 2017\n\nEfficiency\n\nLast updated 09/11/2017\nGood\n",
    b"<html><head><meta charset=rot13></head><body><p>x</p>",
    b"<meta charset='utf-16'>",
    b"<!DOCTYPE html><body><pre>  1. a\n  2. b",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xff",
    b"\xed\xa0\x80",
    b"\x00",
    b"\r",
    b"<br>",
    b"<ol><li>",
    b"<div>" * 30,
    b"\xe2\x80\xa2 item\n",
    b"<?xml version='1.0' encoding='latin-1'?>",
]
pages = st.lists(st.one_of(st.sampled_from(_SNIPPETS), st.binary(max_size=40)), max_size=12).map(
    b"".join
)
_CELLS = st.one_of(
    st.sampled_from(["http://[::1", "https://x/peel-2017/kent/", "", '"', "\x00", "#", "path"]),
    st.text(max_size=12),
)
rows = st.lists(_CELLS, min_size=1, max_size=3).map("\t".join)


#: ``FUZZ_EXAMPLES=5000 python -m pytest tests/test_isolation.py -k fuzz`` for a longer run.
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(pages, st.sampled_from([".txt", ".html", ".htm", ".dat"])), max_size=4),
    st.lists(
        st.one_of(rows.map(lambda r: r.encode("utf-8", "surrogatepass")), st.binary(max_size=20)),
        max_size=4,
    ),
    st.lists(st.text(max_size=30), max_size=2),
)
def test_fuzz_no_input_escapes_and_each_gives_one_record(
    files: list[tuple[bytes, str]], manifest_rows: list[bytes], texts: list[str]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        paths = []
        for number, (data, suffix) in enumerate(files):
            path = root / f"{number}{suffix}"
            path.write_bytes(data)
            paths.append(str(path))
        manifest = root / "manifest.tsv"
        manifest.write_bytes(b"\n".join(row.replace(b"\n", b" ") for row in manifest_rows))
        listed = list(read_manifest(str(manifest)))
        results = list(peelparse.parse_many([*paths, *listed], jobs=1))
        assert len(results) == len(paths) + len(listed)
        for result in results:
            assert (result.report is None) != (result.error is None)
            if result.report is not None:
                peelparse.to_json(result.report).encode("utf-8")
        status, out, err = cli(
            ["extract", *paths, "--manifest", str(manifest), "--format", "jsonl", "--jobs", "1"]
        )
        if paths or listed:
            assert status in (0, 1), err
            assert len(records(out)) == len(paths) + len(listed)
        else:
            assert status == 2  # nothing to read is misuse
        assert "Traceback" not in err
    for text in texts:
        for format in ("text", "html"):
            report = peelparse.parse(text, format=format)  # type: ignore[arg-type]
            peelparse.to_json(report).encode("utf-8")


def test_reading_stdin_as_text_replaces_what_cannot_be_encoded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for text, bad in (("x\udcff\n", 1), ("x\ud800\n", 3)):  # as decoded, or not escapable
        monkeypatch.setattr(sys, "stdin", io.StringIO(f"Kent PEEL 2017\n\n{text}"))
        (result,) = peelparse.parse_many(["-"], jobs=1)
        assert result.report is not None
        assert [d.code for d in result.report.diagnostics] == ["invalid-utf8"] * bad


def test_stdin_that_cannot_be_read_is_an_error_record(monkeypatch: pytest.MonkeyPatch) -> None:
    class Closed:
        def read(self, size: int) -> str:
            raise ValueError("I/O operation on closed file")

    monkeypatch.setattr(sys, "stdin", Closed())
    (result,) = peelparse.parse_many(["-"], jobs=1)
    assert result.error is not None
    assert (result.source, result.error.code) == ("-", "unreadable")


# ------------------------------------------------------------------------- the small pieces


def test_names_any_encoder_can_write() -> None:
    from peelparse.batch.tasks import printable

    assert printable("page.txt") == "page.txt"
    assert printable("caf\udce9.txt") == "caf\\xe9.txt"  # an undecodable byte of a file name
    assert printable("x\ud800y") == "x\\ud800y"  # any other lone surrogate


def test_nul_is_found_before_decoding_in_every_encoding() -> None:
    from peelparse.input.decoding import has_nul

    assert has_nul(b"ab\x00c")
    assert has_nul(b"\xef\xbb\xbfab\x00")
    assert not has_nul("Kent PEEL 2017".encode("utf-16"))  # its zero bytes are not NULs
    assert has_nul("Kent\x00".encode("utf-16-le").join([b"\xff\xfe", b""]))
    assert not has_nul(b"\xff\xfe" + "\u4100\u0042".encode("utf-16-le"))  # 00 00 across units


def test_available_memory_falls_back_to_sysconf(monkeypatch: pytest.MonkeyPatch) -> None:
    def unreadable(*args: object, **kwargs: object) -> None:
        raise OSError("no /proc here")

    monkeypatch.setattr(pool, "open", unreadable, raising=False)
    available = pool.available_memory()
    assert available is not None
    assert available > 0


def test_map_tasks_wants_a_worker() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        list(pool.map_tasks(run_task, [], 0))
    assert list(pool.map_tasks(run_task, [], None)) == []


def test_stdin_larger_than_the_limit_is_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("x" * 101))
    (result,) = peelparse.parse_many(["-"], jobs=1, max_bytes=100)
    assert result.error == peelparse.InputError(
        "too-large", "more than the limit of 100 bytes (max_bytes / --max-bytes); not read"
    )


def test_an_entry_that_cannot_be_examined_is_not_a_folder() -> None:
    from peelparse.batch.discovery import _is_folder

    class Vanishing:
        def is_dir(self) -> bool:
            raise PermissionError(13, "Permission denied")

    assert _is_folder(Vanishing()) is False  # type: ignore[arg-type]


def test_random_bytes_named_html_are_binary_not_a_page(tmp_path: Path) -> None:
    import random

    draw = random.Random(7).randrange
    noise = bytes(draw(1, 256) for _ in range(20_000))
    page = tmp_path / "noise.html"
    page.write_bytes(noise)
    (result,) = peelparse.parse_many([str(page)], jobs=1)
    assert result.error is not None
    assert result.error.code == "binary"
