"""Languages of the user interface: choosing one per request, translating, formatting.

The interface speaks English, Pashto, Dari and Urdu. Catalogues are gettext
``.po`` files in ``http/i18n/<catalogue>/LC_MESSAGES/messages.po``, compiled to
``.mo`` files that are committed beside them (``make i18n`` recompiles; a unit
test fails when a ``.mo`` is out of date with its ``.po``).

Dari uses the CLDR locale ``fa_AF`` (Persian as written in Afghanistan), shown
to browsers as ``fa-AF``; ``prs`` (the ISO 639-3 code) is accepted as an alias,
because CLDR and Babel have no ``prs`` locale.

A request's language comes from ``?lang=``, else the ``lang`` cookie, else the
``Accept-Language`` header, else English. Its time zone is a separate choice:
``?tz=``, else the ``tz`` cookie (the reader's saved choice), else UTC. Choosing
a language never changes the zone. Times are shown with their zone as people
say it: ``UTC``, ``PKT (UTC+5)``, ``AFT (UTC+4:30)``. To add a language, add a
``UILanguage`` to ``LANGUAGES`` and a catalogue folder.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal, format_percent, get_decimal_symbol
from fastapi import Depends, Request

CATALOGUE_DIR = Path(__file__).parent / "i18n"
DOMAIN = "messages"
LANG_COOKIE = "lang"
TZ_COOKIE = "tz"


@dataclass(frozen=True)
class UILanguage:
    """One interface language: its URL/HTML code, Babel locale and catalogue folder."""

    code: str
    babel_locale: str
    native_name: str
    rtl: bool


LANGUAGES: dict[str, UILanguage] = {
    "en": UILanguage("en", "en", "English", rtl=False),
    "ps": UILanguage("ps", "ps", "پښتو", rtl=True),
    "fa-AF": UILanguage("fa-AF", "fa_AF", "دری", rtl=True),
    "ur": UILanguage("ur", "ur", "اردو", rtl=True),
}
LANGUAGE_ALIASES = {"prs": "fa-AF", "fa_af": "fa-AF", "fa-af": "fa-AF", "fa": "fa-AF"}
DEFAULT_LANGUAGE = "en"


def N_(message: str) -> str:
    """Marks a string for the catalogues without translating it here."""
    return message


#: Time zones offered to users, with the label shown after each time (translated by the page):
#: the abbreviation people use and the offset, which neither zone changes during the year.
ZONES: dict[str, str] = {
    "UTC": "UTC",
    "Asia/Kabul": "AFT (UTC+4:30)",
    "Asia/Karachi": "PKT (UTC+5)",
}
DEFAULT_ZONE = "UTC"


def normalise_language(value: str | None) -> str | None:
    """The canonical code for ``value`` (``en``, ``ps``, ``fa-AF``, ``ur``), or None."""
    if not value:
        return None
    value = value.strip()
    if value in LANGUAGES:
        return value
    lowered = value.lower()
    if lowered in LANGUAGE_ALIASES:
        return LANGUAGE_ALIASES[lowered]
    primary = lowered.split("-")[0].split("_")[0]
    return primary if primary in LANGUAGES else LANGUAGE_ALIASES.get(primary)


def language_from_accept_header(header: str) -> str | None:
    """The first supported language in an ``Accept-Language`` header (in the order sent)."""
    for part in header.split(","):
        code = normalise_language(part.split(";")[0])
        if code:
            return code
    return None


@cache
def translations_for(code: str) -> gettext.NullTranslations:
    """The compiled catalogue of a language (English: the source strings themselves)."""
    language = LANGUAGES[code]
    return gettext.translation(
        DOMAIN, localedir=CATALOGUE_DIR, languages=[language.babel_locale], fallback=True
    )


@cache
def _digit_table(babel_locale: str) -> dict[int, str]:
    """Maps ASCII digits to the digits of the locale's default numbering system.

    Babel gives the numbering system's symbols but leaves the digits ASCII, so
    the digits come from CLDR's numbering system data.
    """
    locale = Locale.parse(babel_locale)
    system = locale.default_numbering_system
    base = NUMBERING_SYSTEM_ZERO.get(system)
    if base is None:
        return {}
    return {ord(str(d)): chr(base + d) for d in range(10)}


#: First digit of the numbering systems our locales use (CLDR names).
NUMBERING_SYSTEM_ZERO: dict[str, int] = {"arab": 0x0660, "arabext": 0x06F0}


@dataclass(frozen=True)
class UIContext:
    """The language and time zone a request is rendered in, with its formatters."""

    language: UILanguage
    zone: str

    @property
    def code(self) -> str:
        return self.language.code

    @property
    def direction(self) -> str:
        return "rtl" if self.language.rtl else "ltr"

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.language.babel_locale)

    def gettext(self, message: str) -> str:
        return translations_for(self.code).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return translations_for(self.code).ngettext(singular, plural, n)

    def number(self, value: float | int, digits: int = 0) -> str:
        """A number with the locale's separators and digits (e.g. ۱٬۲۳۴ in Dari)."""
        fmt = "#,##0" + ("." + "0" * digits if digits else "")
        text = format_decimal(
            value, format=fmt, locale=self.language.babel_locale, numbering_system="default"
        )
        return self.digits(text)

    def percent(self, fraction: float) -> str:
        """A fraction as a whole percentage in the locale's style and digits (0.2 → 20%)."""
        text = format_percent(fraction, format="#,##0%", locale=self.language.babel_locale)
        return self.digits(text)

    def digits(self, text: str) -> str:
        """``text`` with ASCII digits written in the locale's own digits."""
        return text.translate(_digit_table(self.language.babel_locale))

    def datetime_text(self, instant: datetime | None) -> str:
        """A date and time in the chosen zone, always followed by that zone (``… 16:30 UTC``,
        ``… 21:30 PKT (UTC+5)``); the zone is isolated (FSI…PDI) so that it keeps its order
        in right-to-left text."""
        if instant is None:
            return "—"
        zone = ZoneInfo(self.zone)
        local = instant.astimezone(zone)
        loc = self.language.babel_locale
        text = (
            f"{format_date(local, 'medium', locale=loc)} {format_time(local, 'HH:mm', locale=loc)}"
        )
        return f"{self.digits(text)} {self.isolated(self.zone_label(local))}"

    def isolated(self, text: str) -> str:
        """``text`` in Unicode isolates in right-to-left pages (unchanged in English)."""
        return f"\u2068{text}\u2069" if self.language.rtl else text

    def date_text(self, instant: datetime | None) -> str:
        """The calendar date of an instant in the chosen zone."""
        if instant is None:
            return "—"
        local = instant.astimezone(ZoneInfo(self.zone))
        return self.digits(format_date(local, "medium", locale=self.language.babel_locale))

    def day_text(self, day: date) -> str:
        """A calendar day (no time, no zone), e.g. the ends of a reporting period."""
        return self.digits(format_date(day, "medium", locale=self.language.babel_locale))

    def zone_label(self, local: datetime) -> str:
        """``PKT (UTC+5)`` (as translated) for an instant already converted to the zone;
        a zone not in ``ZONES`` reads as its offset (``UTC+3``)."""
        if self.zone in ZONES:
            return self.gettext(ZONES[self.zone])
        offset = local.utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset else 0
        sign = "+" if minutes >= 0 else "-"
        hours, mins = divmod(abs(minutes), 60)
        return f"UTC{sign}{hours}" + (f":{mins:02d}" if mins else "")

    @property
    def decimal_symbol(self) -> str:
        return get_decimal_symbol(self.language.babel_locale)


def resolve_ui_context(request: Request) -> UIContext:
    """The language and zone of a request (query string, cookie, header, default)."""
    code = (
        normalise_language(request.query_params.get("lang"))
        or normalise_language(request.cookies.get(LANG_COOKIE))
        or language_from_accept_header(request.headers.get("accept-language", ""))
        or DEFAULT_LANGUAGE
    )
    language = LANGUAGES[code]
    zone = request.query_params.get("tz") or request.cookies.get(TZ_COOKIE) or ""
    return UIContext(language=language, zone=zone if zone in ZONES else DEFAULT_ZONE)


CurrentUI = Annotated[UIContext, Depends(resolve_ui_context)]
