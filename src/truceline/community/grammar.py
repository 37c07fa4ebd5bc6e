"""The short-message grammar's vocabulary: keywords in English, Pashto, Dari and Urdu (pure data).

A community report sent as a text message is a handful of fields in any order::

    [REPORT] PLACE <name> EVENT <number> KILLED <number> INJURED [TIME <when>]

Every keyword below may be written in Latin letters or in Arabic script, and
numbers in ASCII, Arabic-Indic or Persian digits; ``docs/community.md``
documents the grammar with examples. The parser (``community.sms``) reads
this table only, so a new keyword or a new language is one line here.

Each entry maps a spelling to ``(field, value, languages)``; ``languages``
records which languages use the spelling, which is how the parser guesses the
sender's language for its reply. Spellings are written already normalised
(``community.sms.normalise``): lower case, Arabic ``ي``/``ك`` as Persian
``ی``/``ک``, no diacritics.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("en", "ps", "fa", "ur")

EN, PS, FA, UR = "en", "ps", "fa", "ur"


@dataclass(frozen=True)
class Keyword:
    field: (
        str  # report place place_after event killed injured civilians day part hour_marker counter
    )
    value: str | int
    languages: frozenset[str]


def _entries(field: str, value: str | int, spellings: dict[str, str]) -> dict[str, Keyword]:
    """``spellings`` maps each spelling to the languages (space-separated codes) using it."""
    return {
        spelling: Keyword(field, value, frozenset(langs.split()))
        for spelling, langs in spellings.items()
    }


REPORT = _entries(
    "report",
    "report",
    {"r": "en", "rep": "en", "report": "en ur", "rapor": "ps", "raport": "ps", "gozaresh": "fa",
     "gozarish": "fa", "راپور": "ps", "گزارش": "fa", "رپورٹ": "ur", "رپورٹ:": "ur"},
)  # fmt: skip

PLACE = _entries(
    "place",
    "place",
    {"p": "en", "place": "en", "at": "en", "loc": "en", "location": "en", "village": "en",
     "dzay": "ps", "zay": "ps", "dzai": "ps", "ځای": "ps", "کلی": "ps", "kali": "ps",
     "jai": "fa", "jay": "fa", "mahal": "fa", "جای": "fa", "محل": "fa", "قریه": "fa",
     "in": "en", "په": "ps", "pa": "ps", "در": "fa", "dar": "fa",
     "jagah": "ur", "jaga": "ur", "maqam": "ur", "جگہ": "ur", "مقام": "ur", "گاؤں": "ur"},
)  # fmt: skip

#: Words that follow a place name ("Chaman میں", "Barmal کې"): the words before are the place.
PLACE_POSTPOSITIONS = _entries(
    "place_after", "place", {"کې": "ps", "کی": "ps", "ke": "ps", "میں": "ur", "mein": "ur"}
)

EVENTS: dict[str, dict[str, str]] = {
    "shelling_artillery_missile_attack": {
        "shelling": "en", "shell": "en", "shells": "en", "artillery": "en", "mortar": "en",
        "mortars": "en", "rocket": "en", "rockets": "en", "missile": "en",
        "top": "ps", "topona": "ps", "topuna": "ps", "توپ": "ps fa", "توپونه": "ps", "هاوان": "ps fa",
        "راکټ": "ps", "راکټونه": "ps", "raket": "ps fa", "golabari": "fa ur", "gola bari": "ur", "khumpara": "fa",
        "گلوله باری": "fa", "گلولهباری": "fa", "توپخانه": "fa", "خمپاره": "fa", "راکت": "fa",
        "گولہ باری": "ur", "گولہباری": "ur", "مارٹر": "ur", "راکٹ": "ur",
    },
    "cross_border_fire": {
        "firing": "en ur", "fire": "en", "gunfire": "en", "shooting": "en", "crossfire": "en",
        "dze": "ps", "daze": "ps", "dazi": "ps", "ډزې": "ps", "ډزی": "ps", "ډز": "ps",
        "tirandazi": "fa", "shelik": "fa", "shalik": "fa", "تیراندازی": "fa", "شلیک": "fa",
        "fayring": "ur", "فائرنگ": "ur", "فائیرنگ": "ur", "فایرنگ": "ur",
    },
    "air_drone_strike": {
        "drone": "en ur", "drones": "en", "airstrike": "en", "air strike": "en", "bombing": "en",
        "jet": "en", "jets": "en", "ډرون": "ps", "بمبار": "ps", "بمباری": "ps ur", "bambari": "ps ur",
        "هوایی برید": "ps", "پهپاد": "fa", "bombaran": "fa", "بمباران": "fa", "حمله هوایی": "fa",
        "ڈرون": "ur", "فضائی حملہ": "ur",
    },
    "remote_explosive_landmine_ied": {
        "ied": "en", "blast": "en", "explosion": "en", "mine": "en", "landmine": "en",
        "bomb": "en", "chawdana": "ps", "chaudana": "ps", "چاودنه": "ps", "ماین": "ps fa",
        "infijar": "fa", "enfejar": "fa", "انفجار": "fa", "dhamaka": "ur", "dhamaka.": "ur",
        "دھماکہ": "ur", "دھماکا": "ur", "بارودی سرنگ": "ur",
    },
    "armed_clash": {
        "clash": "en", "clashes": "en", "fighting": "en", "battle": "en",
        "jagra": "ps", "nakhta": "ps", "جګړه": "ps", "جگړه": "ps", "نښته": "ps",
        "dargiri": "fa", "جنگ": "fa ur", "jang": "fa ur", "درگیری": "fa",
        "jharap": "ur", "larai": "ur", "جھڑپ": "ur", "لڑائی": "ur",
    },
    "incursion": {
        "incursion": "en", "raid": "en", "crossed": "en", "ننوتل": "ps", "nanawatal": "ps",
        "tajawoz": "fa", "تجاوز": "fa", "darandazi": "ur", "دراندازی": "ur",
    },
    "crossing_closure": {
        "closed": "en", "closure": "en", "band": "ps ur", "بند": "ps ur", "بنده": "ps",
        "basta": "fa",
        "بسته": "fa",
    },
    "abduction_forced_disappearance": {
        "abduction": "en", "abducted": "en", "kidnap": "en", "kidnapped": "en",
        "takhtawal": "ps", "تښتول": "ps", "تښتونه": "ps", "robudan": "fa", "ربودن": "fa",
        "آدم ربایی": "fa", "aghwa": "ur", "اغوا": "ur",
    },
}  # fmt: skip

KILLED = _entries(
    "killed",
    "killed",
    {"k": "en", "killed": "en", "kill": "en", "dead": "en", "died": "en", "deaths": "en",
     "mra": "ps", "mri": "ps", "mrey": "ps", "wajal": "ps", "مړه": "ps", "مړ": "ps", "مړی": "ps", "وژل": "ps",
     "koshta": "fa", "kushta": "fa", "کشته": "fa", "جان باخته": "fa",
     "halak": "ur", "halaak": "ur", "ہلاک": "ur", "jaan bahaq": "ur", "جاں بحق": "ur"},
)  # fmt: skip

INJURED = _entries(
    "injured",
    "injured",
    {"w": "en", "inj": "en", "injured": "en", "wounded": "en", "hurt": "en",
     "tapi": "ps", "tapee": "ps", "ټپی": "ps", "ټپیان": "ps",
     "zakhmi": "fa ur", "زخمی": "fa ur", "majruh": "fa", "مجروح": "fa", "زخمیان": "fa"},
)  # fmt: skip

CIVILIANS = _entries(
    "civilians",
    "civilians",
    {"civ": "en", "civilian": "en", "civilians": "en", "civilian(s)": "en",
     "ملکی": "ps fa", "ملکیان": "ps", "ملکي": "ps", "ghair nizami": "fa", "غیرنظامی": "fa",
     "غیر نظامی": "fa", "عام شہری": "ur", "shehri": "ur", "شہری": "ur"},
)  # fmt: skip

DAYS = _entries("day", 0, {"today": "en", "nan": "ps", "نن": "ps", "emroz": "fa", "امروز": "fa",
                           "aaj": "ur", "aj": "ur", "آج": "ur"})  # fmt: skip
DAYS |= _entries("day", 1, {"yesterday": "en", "yday": "en", "parun": "ps", "پرون": "ps",
                            "diruz": "fa", "دیروز": "fa", "kal": "ur", "کل": "ur"})  # fmt: skip
DAYS |= _entries("day", -1, {"now": "en", "os": "ps", "اوس": "ps", "alan": "fa", "الان": "fa",
                             "abhi": "ur", "ابھی": "ur"})  # fmt: skip

#: Parts of the day, as the hour they stand for.
PARTS_OF_DAY = _entries("part", 8, {"morning": "en", "sahar": "ps fa", "sahar.": "fa",
                                    "سهار": "ps", "صبح": "fa ur", "subah": "ur"})  # fmt: skip
PARTS_OF_DAY |= _entries("part", 13, {"afternoon": "en", "noon": "en", "dopahar": "ur",
                                      "دوپہر": "ur", "غرمه": "ps", "ظهر": "fa"})  # fmt: skip
PARTS_OF_DAY |= _entries("part", 18, {"evening": "en", "mazigar": "ps", "ماښام": "ps",
                                      "شام": "fa ur", "sham": "fa ur"})  # fmt: skip
PARTS_OF_DAY |= _entries("part", 22, {"night": "en", "shpa": "ps", "شپه": "ps", "shab": "fa",
                                      "شب": "fa", "raat": "ur", "رات": "ur"})  # fmt: skip

#: Words next to an hour: "TIME 14:30", "ساعت ۳", "3 بجے".
HOUR_MARKERS = _entries("hour_marker", "before", {"t": "en", "time": "en", "at:": "en",
                        "saat": "ps fa", "ساعت": "ps fa", "وخت": "ps", "waqt": "ps ur",
                        "zaman": "fa", "زمان": "fa", "وقت": "fa ur"})  # fmt: skip
HOUR_MARKERS |= _entries("hour_marker", "after", {"baje": "ur", "bje": "ur", "بجے": "ur",
                                                  "bajay": "ur", "oclock": "en", "h": "en"})  # fmt: skip
HOUR_MARKERS |= _entries("hour_marker", "pm", {"pm": "en"})
HOUR_MARKERS |= _entries("hour_marker", "am", {"am": "en"})


#: Words counting people ("5 تنه مړه", "2 نفر کشته"): a count keyword reads the number before them.
COUNTERS = _entries("counter", "people", {"people": "en", "persons": "en", "person": "en",
                    "تنه": "ps", "کسان": "ps", "کسه": "ps", "tana": "ps", "نفر": "fa", "nafar": "fa",
                    "افراد": "fa ur", "afrad": "ur", "لوگ": "ur", "log": "ur", "افراد:": "ur"})  # fmt: skip


def build_lexicon() -> dict[str, Keyword]:
    """Every keyword spelling, normalised, mapped to what it means."""
    lexicon: dict[str, Keyword] = {}
    for table in (REPORT, PLACE, PLACE_POSTPOSITIONS, KILLED, INJURED, CIVILIANS, DAYS, COUNTERS):
        lexicon.update(table)
    lexicon.update(PARTS_OF_DAY)
    lexicon.update(HOUR_MARKERS)
    for event_type, spellings in EVENTS.items():
        lexicon.update(_entries("event", event_type, spellings))
    return lexicon


#: Field names as a reply names them, in each language.
FIELD_NAMES: dict[str, dict[str, str]] = {
    "place": {EN: "PLACE", PS: "ځای", FA: "جای", UR: "جگہ"},
    "event": {EN: "EVENT", PS: "پېښه", FA: "رویداد", UR: "واقعہ"},
}

#: One complete example per language, quoted in replies that ask for more.
EXAMPLES: dict[str, str] = {
    EN: "P Chaman SHELLING 2 KILLED 3 INJURED T 14:30",
    PS: "ځای برمل توپ ۲ مړه ۳ ټپي نن ساعت ۱۴",
    FA: "جای دند پټان گلوله باری ۲ کشته ۳ زخمی امروز ساعت ۱۴",
    UR: "جگہ چمن گولہ باری ۲ ہلاک ۳ زخمی آج ۲ بجے",
}
