"""Hand-written expectations are sparse: a field left out has its contract default.

``expand`` fills the defaults in, so a test compares the complete record: any field the parser
fills that the expectation leaves out fails the test. ``sparse`` is its inverse, used only by the
regeneration switch (``PEELPARSE_REGENERATE=1``).
"""

from __future__ import annotations

from typing import Any

REPORT = {
    "schema_version": 1, "source": None, "url": None, "id": None, "kind": "unknown",
    "force": None, "force_id": None, "year": None, "cycle": None, "pillar": None,
    "title": None, "headline_question": None,
    "last_updated": None, "grade": None, "summary": [], "questions": [], "judgments": [],
    "inspector": None, "observations": [], "pillars": [], "sections": [], "diagnostics": [],
}  # fmt: skip
QUESTION = {
    "number": None, "text": None, "grade": None, "blocks": [], "areas_for_improvement": [],
    "causes_of_concern": [], "recommendations": [],
}  # fmt: skip
PILLAR = {"pillar": None, "headline_question": None, "last_updated": None, "grade": None,
          "summary": []}  # fmt: skip
SECTION = {"heading": None, "blocks": []}
LIST = {"type": "list", "lead_in": None, "items": []}
DIAGNOSTIC_KEYS = ("code", "line", "column")


def _fill(defaults: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    unknown = set(given) - set(defaults)
    if unknown:
        raise KeyError(f"expectation has unknown fields {sorted(unknown)}")
    return {key: given.get(key, value) for key, value in defaults.items()}


def _block(block: dict[str, Any]) -> dict[str, Any]:
    return _fill(LIST, block) if block["type"] == "list" else block


def expand(given: dict[str, Any], source: str) -> dict[str, Any]:
    report = _fill(REPORT, {"source": source, **given})
    report["summary"] = [_block(b) for b in report["summary"]]
    report["observations"] = [_block(b) for b in report["observations"]]
    report["questions"] = [
        {**q, "blocks": [_block(b) for b in q["blocks"]]}
        for q in (_fill(QUESTION, q) for q in report["questions"])
    ]
    report["pillars"] = [
        {**p, "summary": [_block(b) for b in p["summary"]]}
        for p in (_fill(PILLAR, p) for p in report["pillars"])
    ]
    report["sections"] = [
        {**s, "blocks": [_block(b) for b in s["blocks"]]}
        for s in (_fill(SECTION, s) for s in report["sections"])
    ]
    return report


def comparable(record: dict[str, Any]) -> dict[str, Any]:
    """A parser record with diagnostics reduced to code, line and column (messages are prose)."""
    return {
        **record,
        "diagnostics": [{k: d[k] for k in DIAGNOSTIC_KEYS} for d in record["diagnostics"]],
    }


def sparse(record: dict[str, Any], source: str) -> dict[str, Any]:
    """Drop every field equal to its default (for regenerating an expectation)."""

    def prune(data: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in data.items() if k not in defaults or defaults[k] != v}

    out = prune(comparable(record), {**REPORT, "source": source})
    out["kind"] = record["kind"]
    for key in ("summary", "observations"):
        if key in out:
            out[key] = [prune(b, LIST) | {"type": b["type"]} for b in out[key]]
    if "questions" in out:
        out["questions"] = [prune(q, QUESTION) | {"text": q["text"]} for q in out["questions"]]
    if "pillars" in out:
        out["pillars"] = [prune(p, PILLAR) for p in out["pillars"]]
    if "sections" in out:
        out["sections"] = [prune(s, SECTION) | {"heading": s["heading"]} for s in out["sections"]]
    return out
