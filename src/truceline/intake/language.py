"""Offline language identification of report text (py3langid plus a script tie-breaker).

py3langid's Naive Bayes model knows Pashto (``ps``), Persian (``fa``, which
covers Dari), Urdu (``ur``) and English (``en``). On very short Arabic-script
texts it can confuse the three, so letters that only one of them uses decide
when the model is unsure:

- Pashto: ټ ډ ړ ږ ښ ګ ڼ ۍ ې ځ څ (``PASHTO_LETTERS``);
- Urdu: ٹ ڈ ڑ ں ے ھ (``URDU_LETTERS``).

Persian/Dari has no letter of its own here (پ چ ژ گ are shared with Urdu or
Pashto), so an unsure ``ps`` or ``ur`` verdict on a text with neither set of
letters becomes ``fa``: almost any Pashto sentence has one of its letters, and
almost any Urdu sentence has ے, ں or ھ. To support another language, add it to
``CANDIDATE_LANGUAGES``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

#: Languages a report on the Afghanistan–Pakistan border is plausibly written in.
CANDIDATE_LANGUAGES: tuple[str, ...] = ("en", "ps", "fa", "ur", "ar", "hi", "tr", "ru", "fr", "de")

PASHTO_LETTERS = frozenset("ټډړږښګڼۍېځڅ")
URDU_LETTERS = frozenset("ٹڈڑںےھ")
PS_FA_UR = frozenset({"ps", "fa", "ur"})

#: Below this model confidence the script letters decide among ps/fa/ur.
TIE_BREAK_CONFIDENCE = 0.98
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
    if code in PS_FA_UR and confidence < TIE_BREAK_CONFIDENCE:
        by_script = language_from_script(text)
        if by_script != code:
            return DetectedLanguage(by_script, round(confidence, 4), "script letters")
    return DetectedLanguage(code, round(confidence, 4), "py3langid")


def language_from_script(text: str) -> str:
    """``ps`` or ``ur`` when letters only that language uses dominate, else ``fa``."""
    pashto = sum(ch in PASHTO_LETTERS for ch in text)
    urdu = sum(ch in URDU_LETTERS for ch in text)
    if pashto > urdu:
        return "ps"
    if urdu > pashto:
        return "ur"
    return "fa"
