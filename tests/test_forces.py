"""The force registry: the 43 names and keys, every spelling that names a force, and the
names that must not resolve (fire and rescue services, other police services, sentences)."""

from __future__ import annotations

import doctest
import re

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from peelparse import forces
from peelparse.forces import FORCES, Force, force_id, lookup, slug

#: The contract, written out by hand: short name, force_id, official names, country.
EXPECTED: list[tuple[str, str, tuple[str, ...], str]] = [
    ("Avon and Somerset", "avon-and-somerset", ("Avon and Somerset Constabulary",), "England"),
    ("Bedfordshire", "bedfordshire", ("Bedfordshire Police",), "England"),
    ("Cambridgeshire", "cambridgeshire", ("Cambridgeshire Constabulary",), "England"),
    ("Cheshire", "cheshire", ("Cheshire Constabulary",), "England"),
    ("City of London", "city-of-london", ("City of London Police",), "England"),
    ("Cleveland", "cleveland", ("Cleveland Police",), "England"),
    ("Cumbria", "cumbria", ("Cumbria Constabulary",), "England"),
    ("Derbyshire", "derbyshire", ("Derbyshire Constabulary",), "England"),
    ("Devon and Cornwall", "devon-and-cornwall", ("Devon and Cornwall Police",), "England"),
    ("Dorset", "dorset", ("Dorset Police",), "England"),
    ("Durham", "durham", ("Durham Constabulary",), "England"),
    ("Dyfed-Powys", "dyfed-powys", ("Dyfed-Powys Police",), "Wales"),
    ("Essex", "essex", ("Essex Police",), "England"),
    ("Gloucestershire", "gloucestershire", ("Gloucestershire Constabulary",), "England"),
    ("Greater Manchester", "greater-manchester", ("Greater Manchester Police",), "England"),
    ("Gwent", "gwent", ("Gwent Police",), "Wales"),
    (
        "Hampshire",
        "hampshire",
        ("Hampshire Constabulary", "Hampshire and Isle of Wight Constabulary"),
        "England",
    ),
    ("Hertfordshire", "hertfordshire", ("Hertfordshire Constabulary",), "England"),
    ("Humberside", "humberside", ("Humberside Police",), "England"),
    ("Kent", "kent", ("Kent Police",), "England"),
    ("Lancashire", "lancashire", ("Lancashire Constabulary",), "England"),
    ("Leicestershire", "leicestershire", ("Leicestershire Police",), "England"),
    ("Lincolnshire", "lincolnshire", ("Lincolnshire Police",), "England"),
    ("Merseyside", "merseyside", ("Merseyside Police",), "England"),
    ("Metropolitan", "metropolitan", ("Metropolitan Police Service",), "England"),
    ("Norfolk", "norfolk", ("Norfolk Constabulary",), "England"),
    ("North Wales", "north-wales", ("North Wales Police",), "Wales"),
    ("North Yorkshire", "north-yorkshire", ("North Yorkshire Police",), "England"),
    ("Northamptonshire", "northamptonshire", ("Northamptonshire Police",), "England"),
    ("Northumbria", "northumbria", ("Northumbria Police",), "England"),
    ("Nottinghamshire", "nottinghamshire", ("Nottinghamshire Police",), "England"),
    ("South Wales", "south-wales", ("South Wales Police",), "Wales"),
    ("South Yorkshire", "south-yorkshire", ("South Yorkshire Police",), "England"),
    ("Staffordshire", "staffordshire", ("Staffordshire Police",), "England"),
    ("Suffolk", "suffolk", ("Suffolk Constabulary",), "England"),
    ("Surrey", "surrey", ("Surrey Police",), "England"),
    ("Sussex", "sussex", ("Sussex Police",), "England"),
    ("Thames Valley", "thames-valley", ("Thames Valley Police",), "England"),
    ("Warwickshire", "warwickshire", ("Warwickshire Police",), "England"),
    ("West Mercia", "west-mercia", ("West Mercia Police",), "England"),
    ("West Midlands", "west-midlands", ("West Midlands Police",), "England"),
    ("West Yorkshire", "west-yorkshire", ("West Yorkshire Police",), "England"),
    ("Wiltshire", "wiltshire", ("Wiltshire Police",), "England"),
]

NAMES = [(force, name) for force in FORCES for name in (force.name, *force.official_names)]

# -- the registry ------------------------------------------------------------------------------


def test_the_43_forces_exactly() -> None:
    assert len(FORCES) == 43
    assert [(f.name, f.id, f.official_names, f.country) for f in FORCES] == EXPECTED


def test_forces_are_sorted_by_name_with_unique_names_and_ids() -> None:
    assert [f.name for f in FORCES] == sorted(f.name for f in FORCES)
    assert len({f.name for f in FORCES}) == len({f.id for f in FORCES}) == 43


@pytest.mark.parametrize("force", FORCES, ids=lambda f: f.id)
def test_id_is_the_slug_of_the_name(force: Force) -> None:
    assert force.id == slug(force.name)


def test_force_is_frozen_and_keyword_only() -> None:
    kent = FORCES[19]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        kent.name = "Essex"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Force("Kent", "kent", ("Kent Police",), "England")  # type: ignore[misc]


def test_welsh_forces() -> None:
    assert {f.name for f in FORCES if f.country == "Wales"} == {
        "Dyfed-Powys",
        "Gwent",
        "North Wales",
        "South Wales",
    }


def test_module_docstring_examples_run() -> None:
    failures, tried = doctest.testmod(forces, verbose=False)
    assert tried > 0
    assert failures == 0


# -- spellings that resolve --------------------------------------------------------------------


@pytest.mark.parametrize(("force", "name"), NAMES, ids=[name for _, name in NAMES])
def test_every_name_and_its_slug_resolve(force: Force, name: str) -> None:
    assert lookup(name) is force
    assert lookup(slug(name)) is force
    assert force_id(name) == force.id


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("KENT", "kent"),
        ("kent", "kent"),
        ("  Kent\n", "kent"),
        ("North \t  Wales", "north-wales"),
        ("North\u00a0Wales\u00a0Police", "north-wales"),
        ("Devon & Cornwall", "devon-and-cornwall"),
        ("Avon & Somerset Constabulary", "avon-and-somerset"),
        ("Avon&Somerset", "avon-and-somerset"),
        ("Dyfed Powys", "dyfed-powys"),
        ("dyfed-powys", "dyfed-powys"),
        ("Dyfed–Powys", "dyfed-powys"),
        ("north_wales", "north-wales"),
        ("avon-and-somerset", "avon-and-somerset"),
        ("metropolitan-police-service", "metropolitan"),
        ("hampshire-and-isle-of-wight", "hampshire"),
        ("city-of-london-police", "city-of-london"),
        ("devon-and-cornwall", "devon-and-cornwall"),
        ("Kent Police", "kent"),
        ("Kent Constabulary", "kent"),
        ("Kent Police Service", "kent"),
        ("Kent Police Force", "kent"),
        ("Durham Constabulary", "durham"),
        ("Durham Police", "durham"),
        ("Metropolitan Police Service", "metropolitan"),
        ("Metropolitan Police", "metropolitan"),
        ("the Metropolitan Police Service", "metropolitan"),
        ("The City of London Police", "city-of-london"),
        ("the Met", "metropolitan"),
        ("Met", "metropolitan"),
        ("the Met’s", "metropolitan"),
        ("Met Police", "metropolitan"),
        ("MPS", "metropolitan"),
        ("the MPS’s", "metropolitan"),
        ("Kent Police’s", "kent"),
        ("Kent Police's", "kent"),
        ("Cheshire Constabulary's", "cheshire"),
        ("Kent Police‘s", "kent"),
        ("Kent Policeʼs", "kent"),
        ("KENT POLICE'S", "kent"),
        ("North Wales’", "north-wales"),
        ("‘Kent Police’", "kent"),
        ("Hampshire and Isle of Wight", "hampshire"),
        ("Hampshire and Isle of Wight (Constabulary)", "hampshire"),
        ("Hampshire & Isle of Wight Constabulary", "hampshire"),
        ("Hampshire and the Isle of Wight Constabulary", "hampshire"),
        ("hampshire-and-isle-of-wight-constabulary", "hampshire"),
        ("Heddlu Dyfed-Powys", "dyfed-powys"),
        ("Heddlu Gwent", "gwent"),
        ("Heddlu Gogledd Cymru", "north-wales"),
        ("Heddlu De Cymru", "south-wales"),
        ("Ｋｅｎｔ", "kent"),
    ],
)
def test_spellings_in_use_resolve(spelling: str, expected: str) -> None:
    assert force_id(spelling) == expected


# -- spellings that do not ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        "",
        "   ",
        "\u00a0",
        "-",
        "'s",
        "the",
        "Police",
        "the Police Service",
        "Constabulary",
        "Nottinghamshire Fire and Rescue Service",
        "Nottinghamshire FRS",
        "Hampshire and Isle of Wight Fire and Rescue Service",
        "Kent Fire and Rescue",
        "Kent Fire & Rescue Service",
        "British Transport Police",
        "Police Scotland",
        "Police Service of Northern Ireland",
        "PSNI",
        "Civil Nuclear Constabulary",
        "Ministry of Defence Police",
        "National Crime Agency",
        "Isle of Wight",
        "Kent County Council",
        "Kentish",
        "Kents",
        "Kenté",
        "Kent\u0301",
        "Kentα Police",
        "Kent2",
        "London",
        "Manchester",
        "Wales",
        "Yorkshire",
        "Dyfed",
        "Cornwall",
        "the force’s",
        "the force",
        "MPs",
        "Met Office",
        "Kent Kent",
        "Kent Police Police",
        "the the Kent",
        "Kent’s Police",
        "Police Kent",
        "Kent PEEL 2017",
        "kent-2021-22",
        "https://www.justiceinspectorates.gov.uk/hmicfrs/peel-2017/kent/",
        "Kent Police is outstanding at keeping people safe.",
        "Read my assessment of Kent below.",
        "Kent and Essex",
    ],
)
def test_what_is_not_one_of_the_43_is_refused(spelling: str) -> None:
    assert lookup(spelling) is None
    assert force_id(spelling) is None


@pytest.mark.parametrize(
    "spelling",
    [
        "\ud800",
        "Kent\udfff",
        "\x00\x01\x1b[31m",
        "\u200b\u202e\ufeff",
        "K" * 1_000_000,
        "Kent " * 200_000,
        "&" * 1_000_000,
        "'s" * 500_000,
    ],
    ids=[
        "lone-surrogate",
        "trailing-surrogate",
        "controls",
        "format-chars",
        "1MB-letters",
        "1MB-words",
        "1MB-ampersands",
        "1MB-possessives",
    ],
)
def test_hostile_input_is_refused_without_raising(spelling: str) -> None:
    assert lookup(spelling) is None


def test_white_space_at_the_ends_is_ignored_whatever_its_length() -> None:
    padding = " \u00a0\t\n" * 250_000
    assert force_id(padding + "Kent Police" + padding) == "kent"


def test_a_name_too_long_to_be_one_is_refused_unread() -> None:
    assert lookup("Kent" + " " * 200 + "Police") is None


def test_bytes_are_a_type_error() -> None:
    with pytest.raises(TypeError, match="bytes"):
        lookup(b"Kent")  # type: ignore[arg-type]


# -- properties --------------------------------------------------------------------------------

SUFFIXES = ["Police", "Constabulary", "Police Service", "Police Force"]
FIRE_SUFFIXES = [
    "Fire and Rescue Service",
    "Fire & Rescue Service",
    "Fire and Rescue",
    "Fire and Rescue Authority",
    "FRS",
    "Fire Service",
    "Fire Brigade",
]
SEPARATORS = [" ", "  ", "-", "_", " - ", "\u00a0", "\t", "\n", "\u202f", "\u2013"]
PADDING = ["", " ", "\n", "\t ", "\u00a0", "\u3000"]


def stem(name: str) -> str:
    """A name without its Police/Constabulary suffix: "Hampshire and Isle of Wight"."""
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if name.endswith(" " + suffix):
            return name[: -len(suffix) - 1]
    return name


def stems(force: Force) -> list[str]:
    return sorted({force.name, *(stem(name) for name in force.official_names)})


@st.composite
def dressed(draw: st.DrawFn, name: str) -> str:
    """``name`` as people and pages write it: any case, & for and, any separators, "the",
    a possessive, white space around, or slugged."""
    words = [word for word in re.split("[ -]", name) if word]
    if draw(st.booleans()):
        words.insert(0, draw(st.sampled_from(["the", "The", "THE"])))
    if draw(st.booleans()):
        text = slug(" ".join(words))
    else:
        words = ["&" if word == "and" and draw(st.booleans()) else word for word in words]
        text = words[0]
        for word in words[1:]:
            text += draw(st.sampled_from(SEPARATORS)) + word
        case = draw(st.sampled_from(["as is", "lower", "upper", "mixed"]))
        if case == "lower":
            text = text.lower()
        elif case == "upper":
            text = text.upper()
        elif case == "mixed":
            flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
            text = "".join(c.upper() if f else c.lower() for c, f in zip(text, flips, strict=True))
    possessives = ["'s", "’s"] + (["'", "’"] if text.lower().endswith("s") else [])
    text += draw(st.sampled_from(["", *possessives]))
    return draw(st.sampled_from(PADDING)) + text + draw(st.sampled_from(PADDING))


@st.composite
def force_spellings(draw: st.DrawFn) -> tuple[Force, str]:
    force = draw(st.sampled_from(FORCES))
    name = draw(st.sampled_from(stems(force)))
    suffix = draw(st.sampled_from(["", *SUFFIXES]))
    return force, draw(dressed(f"{name} {suffix}".strip()))


@st.composite
def fire_and_rescue_spellings(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from([name for force in FORCES for name in stems(force)]))
    return draw(dressed(f"{name} {draw(st.sampled_from(FIRE_SUFFIXES))}"))


@given(force_spellings())
def test_any_spelling_of_a_force_resolves_to_it(case: tuple[Force, str]) -> None:
    force, spelling = case
    assert force_id(spelling) == force.id


@given(fire_and_rescue_spellings())
def test_fire_and_rescue_services_never_resolve(spelling: str) -> None:
    assert lookup(spelling) is None


@given(st.text())
def test_lookup_never_raises(text: str) -> None:
    assert lookup(text) in (None, *FORCES)


@given(st.text())
def test_slug_is_a_clean_idempotent_key(text: str) -> None:
    key = slug(text)
    assert re.fullmatch("([a-z0-9]+(-[a-z0-9]+)*)?", key)
    assert slug(key) == key


def test_the_registry_is_an_attribute_after_a_plain_import() -> None:
    import subprocess
    import sys

    script = "import peelparse; print(peelparse.forces.lookup('Kent Police').id)"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (result.returncode, result.stdout, result.stderr) == (0, "kent\n", "")
