"""The 43 territorial police forces of England and Wales, and every spelling that names one.

Pages, addresses and users name a force in many ways ("Kent", "Kent Police", "KENT",
"kent", "Devon & Cornwall", "the Metropolitan Police Service’s", "dyfed-powys"); records key
it by one ``force_id``. :func:`lookup` folds a spelling to a key and reads that from a table:
one pass over at most a hundred characters, and ``None`` for anything that is not one of the
43 (a fire and rescue service of the same county, British Transport Police, a sentence that
mentions a force).

>>> lookup("Devon & Cornwall Police").name
'Devon and Cornwall'
>>> force_id("the Metropolitan Police Service’s")
'metropolitan'
>>> force_id("Hampshire and Isle of Wight Constabulary")
'hampshire'
>>> lookup("Kent Fire and Rescue Service") is None
True
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Literal

import regex
from attrs import frozen

__all__ = ["FORCES", "Force", "force_id", "lookup", "slug"]


@frozen(kw_only=True)
class Force:
    """One force: the name PEEL titles print, its record key, its official names, its country."""

    name: str
    id: str
    official_names: tuple[str, ...]
    country: Literal["England", "Wales"]


_NON_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """``text`` lower-cased, runs of characters other than ``[a-z0-9]`` turned into ``-``.

    This is how a force's name becomes its ``force_id`` and the force part of a record id.
    """
    return _NON_ALPHANUMERIC.sub("-", text.lower()).strip("-")


def _force(name: str, *official_names: str, country: Literal["England", "Wales"]) -> Force:
    return Force(name=name, id=slug(name), official_names=official_names, country=country)


#: The 43 forces, sorted by name. Official names are oldest first: a renamed force keeps its
#: short name and its key (Hampshire became "Hampshire and Isle of Wight Constabulary" in 2022).
FORCES: tuple[Force, ...] = (
    _force("Avon and Somerset", "Avon and Somerset Constabulary", country="England"),
    _force("Bedfordshire", "Bedfordshire Police", country="England"),
    _force("Cambridgeshire", "Cambridgeshire Constabulary", country="England"),
    _force("Cheshire", "Cheshire Constabulary", country="England"),
    _force("City of London", "City of London Police", country="England"),
    _force("Cleveland", "Cleveland Police", country="England"),
    _force("Cumbria", "Cumbria Constabulary", country="England"),
    _force("Derbyshire", "Derbyshire Constabulary", country="England"),
    _force("Devon and Cornwall", "Devon and Cornwall Police", country="England"),
    _force("Dorset", "Dorset Police", country="England"),
    _force("Durham", "Durham Constabulary", country="England"),
    _force("Dyfed-Powys", "Dyfed-Powys Police", country="Wales"),
    _force("Essex", "Essex Police", country="England"),
    _force("Gloucestershire", "Gloucestershire Constabulary", country="England"),
    _force("Greater Manchester", "Greater Manchester Police", country="England"),
    _force("Gwent", "Gwent Police", country="Wales"),
    _force(
        "Hampshire",
        "Hampshire Constabulary",
        "Hampshire and Isle of Wight Constabulary",
        country="England",
    ),
    _force("Hertfordshire", "Hertfordshire Constabulary", country="England"),
    _force("Humberside", "Humberside Police", country="England"),
    _force("Kent", "Kent Police", country="England"),
    _force("Lancashire", "Lancashire Constabulary", country="England"),
    _force("Leicestershire", "Leicestershire Police", country="England"),
    _force("Lincolnshire", "Lincolnshire Police", country="England"),
    _force("Merseyside", "Merseyside Police", country="England"),
    _force("Metropolitan", "Metropolitan Police Service", country="England"),
    _force("Norfolk", "Norfolk Constabulary", country="England"),
    _force("North Wales", "North Wales Police", country="Wales"),
    _force("North Yorkshire", "North Yorkshire Police", country="England"),
    _force("Northamptonshire", "Northamptonshire Police", country="England"),
    _force("Northumbria", "Northumbria Police", country="England"),
    _force("Nottinghamshire", "Nottinghamshire Police", country="England"),
    _force("South Wales", "South Wales Police", country="Wales"),
    _force("South Yorkshire", "South Yorkshire Police", country="England"),
    _force("Staffordshire", "Staffordshire Police", country="England"),
    _force("Suffolk", "Suffolk Constabulary", country="England"),
    _force("Surrey", "Surrey Police", country="England"),
    _force("Sussex", "Sussex Police", country="England"),
    _force("Thames Valley", "Thames Valley Police", country="England"),
    _force("Warwickshire", "Warwickshire Police", country="England"),
    _force("West Mercia", "West Mercia Police", country="England"),
    _force("West Midlands", "West Midlands Police", country="England"),
    _force("West Yorkshire", "West Yorkshire Police", country="England"),
    _force("Wiltshire", "Wiltshire Police", country="England"),
)

# The longest real spelling ("the Hampshire and Isle of Wight Constabulary’s") has 46
# characters; anything much longer is a sentence, and refusing it unread bounds the work that a
# hostile page can cause.
_MAX_SPELLING = 100

# Apostrophes as pages and keyboards write them, folded to ASCII before possessives are read.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
# White space, punctuation, symbols, control and format characters separate words; the
# apostrophe stays in a word until possessives are read. Letters, marks and digits of any
# script are word characters, so "Kenté" is one word that is not "Kent", and so are lone
# surrogates and unassigned code points. Inputs are short: the class needs no time limit.
_SEPARATORS = regex.compile(r"[\p{Z}\p{P}\p{S}\p{Cc}\p{Cf}--']+", regex.V1)
# Longest first, so that "Police Service" goes as a whole.
_SUFFIXES: tuple[tuple[str, ...], ...] = (
    ("police", "service"),
    ("police", "force"),
    ("police",),
    ("constabulary",),
)


def _key(spelling: str) -> str:
    """The words of ``spelling`` joined by ``-``, case kept, without "the", suffix, possessive.

    Only a spelling's words count: case, white space, punctuation and ``&`` for "and" do not.
    A spelling with no words, or too long to be a name, gives ``""``, which is no key.
    """
    text = spelling.strip()
    if not text or len(text) > _MAX_SPELLING:
        return ""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).replace("&", " and ")
    words = [word for word in _SEPARATORS.split(text) if word]
    if not words:
        return ""
    last = words[-1].lower()
    if last.endswith("'s"):  # Kent Police's
        words[-1] = words[-1][:-2]
    elif last.endswith("s'"):  # North Wales'
        words[-1] = words[-1][:-1]
    # Any other apostrophe is a quotation mark: ‘Kent Police’.
    words = [part for word in words for part in word.split("'") if part]
    if len(words) > 1 and words[0].lower() == "the":
        words = words[1:]
    folded = tuple(word.lower() for word in words)
    for suffix in _SUFFIXES:
        if len(folded) > len(suffix) and folded[-len(suffix) :] == suffix:
            words = words[: -len(suffix)]
            break
    return "-".join(words)


#: Spellings in use besides the short and official names, by force id.
_ALIASES = {
    "hampshire-and-the-isle-of-wight": "hampshire",
    "met": "metropolitan",
    # The Welsh forces' own names in Welsh; the site also links Welsh versions of their reports.
    "heddlu-dyfed-powys": "dyfed-powys",
    "heddlu-gwent": "gwent",
    "heddlu-gogledd-cymru": "north-wales",
    "heddlu-de-cymru": "south-wales",
}


def _table() -> dict[str, Force]:
    """Every force under the lower-cased key of each of its names and aliases."""
    by_id = {force.id: force for force in FORCES}
    table = {key: by_id[id_] for key, id_ in _ALIASES.items()}
    for force in FORCES:
        for name in (force.name, *force.official_names):
            table[_key(name).lower()] = force
    return table


_BY_KEY = _table()
# Matched with case kept: "MPs" are Members of Parliament, not the Metropolitan Police Service.
_INITIALISMS = {"MPS": _BY_KEY["metropolitan"]}


#: The spellings pages print most (short names, official names, ids), read without folding.
_AS_PRINTED = {
    spelling: force
    for force in FORCES
    for spelling in (force.name, force.id, *force.official_names)
}


def lookup(spelling: str) -> Force | None:
    """The force ``spelling`` names, or None when it names none of the 43.

    The whole of ``spelling`` must be the name: a sentence that mentions a force is None.
    """
    if not isinstance(spelling, str):
        raise TypeError(f"lookup() takes a str, not {type(spelling).__name__}")
    printed = _AS_PRINTED.get(spelling)
    if printed is not None:
        return printed
    if len(spelling) > _MAX_SPELLING:  # long: padded, or no name at all; not worth caching
        return _folded_lookup(spelling)
    return _cached_lookup(spelling)


def _folded_lookup(spelling: str) -> Force | None:
    key = _key(spelling)
    return _INITIALISMS.get(key) or _BY_KEY.get(key.lower())


#: Pages repeat their spellings, so each short one is folded once.
_cached_lookup = functools.lru_cache(maxsize=4096)(_folded_lookup)


def force_id(spelling: str) -> str | None:
    """The ``force_id`` of the force ``spelling`` names, or None."""
    force = lookup(spelling)
    return None if force is None else force.id
