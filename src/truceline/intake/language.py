"""Offline language identification of report text (py3langid plus letters and little words).

py3langid's Naive Bayes model knows Pashto (``ps``), Persian (``fa``, which
covers Dari), Urdu (``ur``) and English (``en``). On short Arabic-script texts
(a text message) it confuses the three, so the letters that only one of them
uses decide whenever they are present:

- Pashto: ټ ډ ړ ږ ښ ګ ڼ ۍ ې ځ څ (``PASHTO_LETTERS``);
- Urdu: ٹ ڈ ڑ ں ے ۓ ہ ۂ ھ (``URDU_LETTERS``): ہ (heh goal) and ے (yeh barree)
  are the commonest, so "جگہ چمن ۲ زخمی" is Urdu.

Persian/Dari has no letter of its own (پ چ ژ گ are shared), and a Pashto text
typed on a Persian keyboard loses its letters (ډزې → دزی). Without specific
letters, a few function words that only one language uses decide
(``MARKER_WORDS``: Pashto په, ته, شول; Dari در, است, شد; Urdu میں, سے, ہوئے),
then the model; an unsure ``ps`` or ``ur`` verdict with neither letters nor
words becomes ``fa``. A Latin-script text the model is unsure of is English,
the one language of the four written in Latin letters. Accuracy and the
confusion matrix on 880 labelled messages: ``benchmarks/eval_langid.py``. To
support another language, add it to ``CANDIDATE_LANGUAGES``.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

#: Languages a report on the Afghanistan–Pakistan border is plausibly written in.
CANDIDATE_LANGUAGES: tuple[str, ...] = ("en", "ps", "fa", "ur", "ar", "hi", "tr", "ru", "fr", "de")

PASHTO_LETTERS = frozenset("ټډړږښګڼۍېځڅ")
URDU_LETTERS = frozenset("ٹڈڑںےۓہۂھ")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Function words only one of the three languages uses, as typed (any keyboard).
MARKER_WORDS: dict[str, frozenset[str]] = {
    "ps": _words("په ته شول شوي وشوی وشوه کړل کړی باندی نن پرون ولسوالی مره ماشومان ژوبل تپیان"),
    "fa": _words("در است شد شدند را از بالای اثر کرد کردند می امروز دیشب کشته مجروح"),
    "ur": _words("میں کے سے پر ہوئے ہوئی ہوا هوئی هوئے گئے نے کا ہے ہیں والے"),
}
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")
PS_FA_UR = frozenset({"ps", "fa", "ur"})

#: Below this model confidence an Arabic-script text with no specific letter or word is ``fa``.
TIE_BREAK_CONFIDENCE = 0.98
#: Below this confidence a Latin-script text is taken as English.
LATIN_CONFIDENCE = 0.9
#: Texts shorter than this (in letters) are reported as undetermined.
MIN_LETTERS = 3


@dataclass(frozen=True)
class DetectedLanguage:
    """An ISO 639-1 code (``und`` when undetermined), the confidence and how it was decided."""

    code: str
    confidence: float
    method: str


#: Loading the model takes a second of CPU: under load, many request threads used to
#: load it at once on a cold worker (each holding a database transaction open meanwhile).
_LOADING = threading.Lock()


def _identifier() -> LanguageIdentifier:
    with _LOADING:
        return _load_identifier()


@lru_cache(maxsize=1)
def _load_identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(CANDIDATE_LANGUAGES))
    return identifier


def detect_language(text: str) -> DetectedLanguage:
    """Identify the language of ``text``, offline."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < MIN_LETTERS:
        return DetectedLanguage("und", 0.0, "too short")
    code, confidence = _identifier().classify(text)
    code, confidence = str(code), float(confidence)
    if ARABIC_SCRIPT.search(text):
        by_letters = specific_letters(text)
        if by_letters is not None:
            return DetectedLanguage(by_letters, round(confidence, 4), "script letters")
        by_words = marker_words(text)
        if by_words is not None:
            method = "py3langid" if by_words == code else "function words"
            return DetectedLanguage(by_words, round(confidence, 4), method)
        if code in ("ps", "ur") and confidence < TIE_BREAK_CONFIDENCE:
            return DetectedLanguage("fa", round(confidence, 4), "script letters")
    elif code != "en" and confidence < LATIN_CONFIDENCE:
        return DetectedLanguage("en", round(confidence, 4), "latin script")
    return DetectedLanguage(code, round(confidence, 4), "py3langid")


def specific_letters(text: str) -> str | None:
    """``ps`` or ``ur`` when letters only that language uses dominate, else None."""
    pashto = sum(ch in PASHTO_LETTERS for ch in text)
    urdu = sum(ch in URDU_LETTERS for ch in text)
    if pashto > urdu:
        return "ps"
    if urdu > pashto:
        return "ur"
    return None


def marker_words(text: str) -> str | None:
    """The language whose function words a text uses most, when one clearly does."""
    words = re.findall("[\u0600-\u06ff]+", text.replace("\u200c", " "))
    counts = {lang: sum(w in markers for w in words) for lang, markers in MARKER_WORDS.items()}
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    if ranked[0][1] > ranked[1][1]:
        return ranked[0][0]
    return None


def language_from_script(text: str) -> str:
    """``ps`` or ``ur`` when letters only that language uses dominate, else ``fa``."""
    return specific_letters(text) or "fa"
