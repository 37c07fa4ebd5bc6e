"""Explanations as catalogue messages with named placeholders, rendered at read time (pure).

A finding's explanation is kept as *parts*, not as rendered English: each part
is a ``Msg`` (a catalogue message id, the English source sentence, with named
``%(name)s`` placeholders) and its arguments. An argument is

- another ``Msg`` (a translated phrase),
- ``Words``: a list read as "a, b and c" in the reader's language,
- ``Text``: a text that is *data* (an agreement's clause, its title), translated
  in the agreement profile rather than in the catalogues, or
- a plain ``str``: a value that is never translated (a code, an id, a date),
  which the renderer isolates so that it keeps its direction inside
  right-to-left text (``<bdi>`` in pages, FSI/PDI in PDFs and plain text).

``render`` turns parts into text for one reader; English with no isolation is
the ``explanation`` stored and sent by the API, byte for byte as before.
``to_json``/``from_json`` store parts beside it, so pages and reports render
a finding in the reader's language without running the rules again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple, Protocol, Union

#: Unicode first-strong isolate and pop-directional isolate (UAX #9).
FSI = "\u2068"
PDI = "\u2069"


class Msg(NamedTuple):
    """A catalogue message (its English source is the id) with named arguments.

    Parts are named tuples, not dataclasses: a million findings are built in a run,
    and tuples are built and hashed (memoised rendering) in C.
    """

    id: str
    args: tuple[tuple[str, Arg], ...] = ()
    #: Upper-case the first letter of the rendered text (English sentence starts).
    capital: bool = False


class Words(NamedTuple):
    """Items read as a list ("a, b and c"); ``semicolons`` lists whole phrases ("a; b")."""

    items: tuple[Arg, ...]
    semicolons: bool = False


class Text(NamedTuple):
    """A text translated as data (agreement profile), found by ``key``; ``english`` is the original."""

    key: str
    english: str


class Lower(NamedTuple):
    """A phrase shown in lower case inside an English sentence (no effect in Arabic script)."""

    inner: Arg


Arg = Union[str, Msg, Words, Text, Lower]  # noqa: UP007 (a runtime alias of a forward ref)
Parts = tuple[Arg, ...]


def msg(message_id: str, *, capital: bool = False, **args: Arg) -> Msg:
    """A ``Msg`` with its arguments in a canonical order (so equal messages hash alike)."""
    return Msg(message_id, tuple(sorted(args.items())), capital)


def N_(message: str) -> str:
    """Marks a message for the catalogues (``make i18n`` extracts it) without translating it."""
    return message


# The glue of lists, in the catalogues like every other part.
LIST_EMPTY = N_("nothing")
LIST_PAIR = N_("%(first)s and %(last)s")
LIST_MORE = N_("%(first)s, %(next)s")
LIST_SEMICOLON = N_("%(first)s; %(next)s")


class Reader(Protocol):
    """What a rendering needs to know about its reader."""

    def gettext(self, message: str) -> str: ...

    def text(self, key: str) -> str | None:
        """The reader's translation of a data text, or None to keep the original."""
        ...


@dataclass
class Rendering:
    """How to render for one reader: translations, and how to isolate and escape values."""

    reader: Reader
    isolate: Callable[[str], str] = lambda value: value
    escape: Callable[[str], str] = lambda value: value
    #: Every data text that fell back to its English original (with ``check_fallback``);
    #: catalogue messages are checked against the catalogues themselves (``message_ids``).
    untranslated: list[str] = field(default_factory=list)
    #: Keys of the data texts that were shown translated.
    texts_used: list[str] = field(default_factory=list)
    check_fallback: bool = False

    def render(self, parts: Iterable[Arg]) -> str:
        return " ".join(self.arg(part) for part in parts)

    def arg(self, arg: Arg) -> str:
        if isinstance(arg, str):
            return self.isolate(self.escape(arg))
        if isinstance(arg, Msg):
            return self._msg(arg)
        if isinstance(arg, Words):
            return self._words(arg)
        if isinstance(arg, Text):
            return self._text(arg)
        return self.arg(arg.inner).lower()

    def _msg(self, message: Msg) -> str:
        template = self._translate(message.id)
        values = {name: self.arg(value) for name, value in message.args}
        text = self.escape(template) % values if values else self.escape(template)
        return text[:1].upper() + text[1:] if message.capital else text

    def _words(self, words: Words) -> str:
        items = [self.arg(item) for item in words.items]
        if not items:
            return self.escape(self._translate(LIST_EMPTY))
        joiner = self.escape(self._translate(LIST_SEMICOLON if words.semicolons else LIST_MORE))
        text = items[0]
        for item in items[1:-1]:
            text = joiner % {"first": text, "next": item}
        if len(items) > 1:
            last = LIST_SEMICOLON if words.semicolons else LIST_PAIR
            key = "next" if words.semicolons else "last"
            text = self.escape(self._translate(last)) % {"first": text, key: items[-1]}
        return text

    def _text(self, text: Text) -> str:
        translated = self.reader.text(text.key)
        if translated is None:
            if self.check_fallback:
                self.untranslated.append(text.key)
            return self.isolate(self.escape(text.english))
        self.texts_used.append(text.key)
        return self.escape(translated)

    def _translate(self, message_id: str) -> str:
        return self.reader.gettext(message_id)


class _English:
    def gettext(self, message: str) -> str:
        return message

    def text(self, key: str) -> str | None:
        return None


ENGLISH: Reader = _English()


@lru_cache(maxsize=65536)
def english(arg: Arg) -> str:
    """The English text of one part, as stored and sent by the API (memoised: parts repeat)."""
    return Rendering(ENGLISH).arg(arg)


def english_of(parts: Iterable[Arg]) -> str:
    return " ".join(english(part) for part in parts)


def to_json(arg: Arg) -> Any:
    """A part as JSON: strings stay strings, the rest are small tagged objects."""
    if isinstance(arg, str):
        return arg
    if isinstance(arg, Msg):
        out: dict[str, Any] = {"m": arg.id, "a": {k: to_json(v) for k, v in arg.args}}
        if arg.capital:
            out["c"] = True
        return out
    if isinstance(arg, Words):
        return {"w": [to_json(i) for i in arg.items], "s": arg.semicolons}
    if isinstance(arg, Text):
        return {"t": arg.key, "en": arg.english}
    return {"lower": to_json(arg.inner)}


def from_json(data: Any) -> Arg:
    """The inverse of ``to_json``; raises ``ValueError`` on anything else."""
    if isinstance(data, str):
        return data
    if isinstance(data, dict):
        if "m" in data:
            args = data.get("a") or {}
            return Msg(
                str(data["m"]),
                tuple(sorted((str(k), from_json(v)) for k, v in args.items())),
                bool(data.get("c")),
            )
        if "w" in data:
            return Words(tuple(from_json(i) for i in data["w"]), bool(data.get("s")))
        if "t" in data:
            return Text(str(data["t"]), str(data.get("en", "")))
        if "lower" in data:
            return Lower(from_json(data["lower"]))
    raise ValueError(f"not an explanation part: {data!r}")


def parts_from_json(data: Any) -> Parts:
    if not isinstance(data, list):
        raise ValueError("explanation parts must be a list")
    return tuple(from_json(item) for item in data)


def parts_to_json(parts: Iterable[Arg]) -> list[Any]:
    return [to_json(part) for part in parts]


def message_ids(parts: Iterable[Arg]) -> set[str]:
    """Every catalogue message id used by ``parts`` (lists' glue included), for tests."""
    found: set[str] = set()

    def walk(arg: Arg) -> None:
        if isinstance(arg, Msg):
            found.add(arg.id)
            for _, value in arg.args:
                walk(value)
        elif isinstance(arg, Words):
            found.update({LIST_EMPTY, LIST_PAIR, LIST_MORE, LIST_SEMICOLON})
            for item in arg.items:
                walk(item)
        elif isinstance(arg, Lower):
            walk(arg.inner)

    for part in parts:
        walk(part)
    return found


def isolate_unicode(value: str) -> str:
    """A value wrapped in FSI…PDI, for plain text and PDFs."""
    return f"{FSI}{value}{PDI}"


def texts_lookup(texts: Mapping[str, str]) -> Callable[[str], str | None]:
    return texts.get
