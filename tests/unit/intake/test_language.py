from __future__ import annotations

import pytest

from truceline.intake.language import detect_language, language_from_script

SENTENCES = {
    "ps": [
        "د پاکستان پوځ نن سهار د ارګون ولسوالۍ پر کلیو توپونه وویشتل، درې ملکي وګړي ووژل شول.",
        "په برمل کې د هوايي بريد له امله څو کورونه ړنګ شول او ماشومان ټپيان شول.",
        "د سپین بولدک په سرحدي سيمه کې د شپې ډزې وشوې.",
    ],
    "fa": [
        "نیروهای پاکستانی امروز صبح روستاهای ولسوالی ارگون را با توپخانه هدف قرار دادند و سه غیرنظامی کشته شدند.",
        "در حمله هوایی بر خانه‌های مردم در برمل چندین کودک زخمی شدند.",
        "شب گذشته در منطقه مرزی سپین بولدک تیراندازی شد.",
    ],
    "ur": [
        "پاکستانی فوج نے آج صبح سرحد پار سے گولہ باری کی جس میں تین شہری ہلاک ہو گئے۔",
        "برمل میں فضائی حملے سے کئی گھر تباہ ہو گئے اور بچے زخمی ہوئے۔",
        "چمن کے سرحدی علاقے میں رات کو فائرنگ ہوئی۔",
    ],
    "en": [
        "Pakistani artillery shelled houses in Urgun district this morning, killing three civilians.",
        "An air strike destroyed several homes in Barmal and wounded children.",
        "Gunfire was exchanged overnight near the Chaman border crossing.",
    ],
}


@pytest.mark.parametrize(
    ("language", "sentence"),
    [(lang, s) for lang, sentences in SENTENCES.items() for s in sentences],
)
def test_pashto_dari_urdu_and_english_sentences_are_told_apart(
    language: str, sentence: str
) -> None:
    assert detect_language(sentence).code == language


def test_short_persian_phrase_the_model_calls_pashto_is_corrected_by_script_letters() -> None:
    detected = detect_language("حمله هوایی")
    assert detected.code == "fa"
    assert detected.method == "script letters"


def test_pashto_only_letters_decide_for_pashto_and_urdu_only_letters_for_urdu() -> None:
    assert language_from_script("ړنګ شول") == "ps"
    assert language_from_script("گولہ باری ہوئی ہے") == "ur"
    assert language_from_script("خانه") == "fa"


def test_text_without_letters_is_undetermined() -> None:
    assert detect_language("12 / 10").code == "und"


def test_urdu_heh_goal_alone_marks_urdu() -> None:
    """ہ is Urdu's; a message with no other Urdu letter used to be tagged Dari."""
    assert detect_language("جگہ چمن ۲ زخمی").code == "ur"
    assert detect_language("جگہ چمن ۲ زخمی").method == "script letters"


def test_urdu_letters_decide_even_when_the_model_is_sure_of_another_language() -> None:
    assert language_from_script("دھماکہ کرم") == "ur"
    assert detect_language("خوست ۳ زخمی ہوئے").code == "ur"


def test_pashto_typed_on_a_persian_keyboard_is_told_by_its_function_words() -> None:
    # ډزې → دزی, کې → کی: no Pashto letter is left, but په and شول are Pashto words
    detected = detect_language("نن په ننگرهار کی دزی وشوی ۲ کسان مره شول")
    assert detected.code == "ps"


def test_short_dari_report_without_specific_letters_stays_dari() -> None:
    assert detect_language("در خوست ۲ کشته شدند").code == "fa"


def test_short_latin_script_report_the_model_is_unsure_of_is_english() -> None:
    detected = detect_language("Tirah blast 3 died")
    assert detected.code == "en"
    assert detected.method == "latin script"
