"""Write ``langid_messages.jsonl``: short SMS-style reports labelled en, ps, fa (Dari), ur.

    .venv/bin/python benchmarks/data/make_langid_messages.py

The phrases below were written for this set (no text is copied from anywhere):
places of the Afghanistan–Pakistan border as each language spells them, event
words, casualty words, times of day, and sentence frames from a two-word alert
to a three-clause report. Messages are drawn from these with a fixed seed, so
the file is the same on every run. To be realistic about what phones send,
some messages use ASCII digits, some Eastern Arabic-Indic (۲) or Arabic-Indic
(٢) digits, and a share are typed on another language's keyboard: Pashto
without its own letters (ډ → د, ښ → ش ...), Urdu with the Persian heh (ہ → ه).
Those are the hard cases of language identification and are counted as such.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

PER_LANGUAGE = 220
OUT = Path(__file__).with_name("langid_messages.jsonl")

PLACES = {
    "en": ["Khost", "Paktika", "Kunar", "Nangarhar", "Spin Boldak", "Torkham", "Chaman",
           "Kurram", "Bajaur", "North Waziristan", "Angoor Adda", "Miranshah", "Parachinar",
           "Dand-e-Patan", "Barmal", "Asadabad", "Zhob", "Landi Kotal", "Mohmand", "Lalpur",
           "Dangam", "Ghulam Khan", "Tirah", "Shkin"],
    "ps": ["خوست", "پکتیکا", "کونړ", "ننګرهار", "سپین بولدک", "تورخم", "چمن", "کرم", "باجوړ",
           "شمالي وزیرستان", "انګور اډه", "میرانشاه", "پاړاچنار", "ډنډ پټان", "برمل", "اسعداباد",
           "ژوب", "لنډي کوتل", "مومند", "لالپوره", "ډنګام", "غلام خان", "تیراه", "شکین"],
    "fa": ["خوست", "پکتیکا", "کنر", "ننگرهار", "سپین بولدک", "تورخم", "چمن", "کرم", "باجور",
           "وزیرستان شمالی", "انگور اده", "میرانشاه", "پاراچنار", "دند پتان", "برمل", "اسعدآباد",
           "ژوب", "لندی کوتل", "مهمند", "لعلپور", "دنگام", "غلام خان", "تیراه", "شکین"],
    "ur": ["خوست", "پکتیکا", "کنڑ", "ننگرہار", "سپین بولدک", "طورخم", "چمن", "کرم", "باجوڑ",
           "شمالی وزیرستان", "انگور اڈہ", "میران شاہ", "پاراچنار", "ڈنڈ پٹان", "برمل", "اسد آباد",
           "ژوب", "لنڈی کوتل", "مہمند", "لال پورہ", "ڈنگام", "غلام خان", "تیراہ", "شکین"],
}  # fmt: skip

WORDS = {
    "en": {
        "event": ["firing", "shelling", "airstrike", "drone strike", "blast", "clash",
                  "rocket attack", "mortar fire", "heavy firing", "cross border firing",
                  "attack on check post", "IED blast", "exchange of fire"],
        "killed": ["killed", "dead", "kld", "martyred", "died"],
        "injured": ["injured", "wounded", "inj", "hurt"],
        "who": ["civilians", "ppl", "children", "soldiers", "people", "villagers", "women"],
        "time": ["this morning", "last night", "tonight", "at 3am", "around 9 pm", "today",
                 "since morning", "yesterday evening", "at dawn", "now"],
        "where": ["near", "in", "at", "outside", "close to"],
        "object": ["house", "school", "mosque", "check post", "market", "bazaar", "clinic",
                   "border gate", "shop"],
        "other": ["pls send help", "road closed", "families leaving", "still going on",
                  "gate closed", "no ambulance", "pls confirm", "situation tense"],
    },
    "ps": {
        "event": ["ډزې", "د توپونو ډزې", "هوايي برید", "ډرون برید", "چاودنه", "نښته",
                  "راکټي برید", "د هاوان ډزې", "درنې ډزې", "د پولې ها خوا ډزې", "په پوسته برید",
                  "ماین چاودنه", "د ډزو تبادله"],
        "killed": ["مړه", "ووژل شول", "شهیدان شول", "مړه شوي", "وژل شوي دي"],
        "injured": ["ټپیان", "ټپي شول", "ټپیان شوي", "ژوبل شول"],
        "who": ["ملکي خلک", "کسان", "ماشومان", "سرتیري", "خلک", "کلیوال", "ښځې"],
        "time": ["نن سهار", "پرون شپه", "نن شپه", "د شپې درې بجې", "د ماښام نهه بجې", "نن",
                 "له سهاره", "پرون ماښام", "سهار وختي", "اوس"],
        "where": ["په {place} کې", "د {place} سیمه کې", "{place} ته نږدې", "د {place} ولسوالۍ کې",
                  "په {place} کی"],
        "object": ["کور", "ښوونځی", "جومات", "پوسته", "بازار", "دوکان", "روغتون", "دروازه",
                   "کلي"],
        "other": ["مرسته ولېږئ", "لاره بنده ده", "کورنۍ کډه کوي", "لا روانې دي", "دروازه بنده ده",
                  "امبولانس نشته", "مهرباني وکړئ تایید یې کړئ", "حالات خراب دي"],
    },
    "fa": {
        "event": ["تیراندازی", "گلوله باری", "حمله هوایی", "حمله درون", "انفجار", "درگیری",
                  "حمله راکتی", "شلیک هاوان", "تیراندازی شدید", "تیراندازی از آن سوی مرز",
                  "حمله بر پاسگاه", "انفجار ماین", "تبادله آتش"],
        "killed": ["کشته شدند", "جان باختند", "شهید شدند", "کشته", "فوت کردند"],
        "injured": ["زخمی شدند", "زخمی", "مجروح شدند", "مجروح"],
        "who": ["غیرنظامیان", "نفر", "کودکان", "سربازان", "مردم", "اهالی قریه", "زنان"],
        "time": ["امروز صبح", "دیشب", "امشب", "ساعت سه شب", "حدود ساعت نه شب", "امروز",
                 "از صبح", "دیروز عصر", "صبح وقت", "همین حالا"],
        "where": ["در {place}", "در ساحه {place}", "نزدیک {place}", "در ولسوالی {place}",
                  "در منطقه {place}"],
        "object": ["خانه", "مکتب", "مسجد", "پاسگاه", "بازار", "دکان", "شفاخانه", "دروازه مرزی",
                   "قریه"],
        "other": ["لطفا کمک بفرستید", "سرک بسته است", "خانواده ها فرار می کنند", "هنوز ادامه دارد",
                  "دروازه بسته است", "امبولانس نیست", "لطفا تایید کنید", "وضعیت متشنج است"],
    },
    "ur": {
        "event": ["فائرنگ", "گولہ باری", "فضائی حملہ", "ڈرون حملہ", "دھماکہ", "جھڑپ", "راکٹ حملہ",
                  "مارٹر فائر", "شدید فائرنگ", "سرحد پار سے فائرنگ", "چوکی پر حملہ",
                  "بارودی سرنگ کا دھماکہ", "فائرنگ کا تبادلہ"],
        "killed": ["ہلاک", "جاں بحق", "شہید ہو گئے", "ہلاک ہوئے", "مارے گئے"],
        "injured": ["زخمی", "زخمی ہوئے", "زخمی ہو گئے", "گھائل"],
        "who": ["شہری", "افراد", "بچے", "اہلکار", "لوگ", "گاؤں والے", "خواتین"],
        "time": ["آج صبح", "کل رات", "آج رات", "رات تین بجے", "تقریباً نو بجے", "آج",
                 "صبح سے", "کل شام", "فجر کے وقت", "ابھی"],
        "where": ["{place} میں", "{place} کے علاقے میں", "{place} کے قریب", "تحصیل {place} میں",
                  "{place} کے پاس"],
        "object": ["گھر", "اسکول", "مسجد", "چوکی", "بازار", "دکان", "ہسپتال", "سرحدی دروازہ",
                   "گاؤں"],
        "other": ["مدد بھیجیں", "سڑک بند ہے", "خاندان نقل مکانی کر رہے ہیں", "ابھی جاری ہے",
                  "گیٹ بند ہے", "ایمبولینس نہیں", "براہ کرم تصدیق کریں", "صورتحال کشیدہ ہے"],
    },
}  # fmt: skip

#: Sentence frames per language; {where} already holds the place.
FRAMES = {
    "en": ["{event} {where} {place}", "{place} {event} {n} {killed}",
           "{event} {where} {place} {time}, {n} {who} {killed}",
           "{place}: {n} {killed} {m} {injured}", "{time} {event} {where} {place} {object}",
           "{n} {who} {injured} in {event} {where} {place}", "{place} {event} {time} {other}",
           "{event} hit {object} in {place}, {n} {injured}", "{place} {n} {injured}",
           "{event} {time} {place} {n} {who} {killed} {m} {injured} {other}",
           "{place} {object} destroyed by {event}", "urgent {event} {place}"],
    "ps": ["{where} {event}", "{place} {event} {n} {killed}",
           "{time} {where} {event} وشوې، {n} {who} {killed}", "{place} {n} {killed} {m} {injured}",
           "{time} {where} {object} باندې {event}", "{where} په {event} کې {n} {who} {injured}",
           "{where} {event} {time} {other}", "{event} {object} ولګېده، {n} {injured}",
           "{place} {n} {injured}", "{time} {where} {event} {n} {who} {killed} {m} {injured} {other}",
           "{where} {object} په {event} کې وران شو", "بیړني {event} {place}"],
    "fa": ["{event} {where}", "{place} {event} {n} {killed}",
           "{time} {where} {event} شد، {n} {who} {killed}", "{place} {n} {killed} {m} {injured}",
           "{time} {where} بالای {object} {event}", "{where} در اثر {event} {n} {who} {injured}",
           "{event} {where} {time} {other}", "{event} به {object} اصابت کرد، {n} {injured}",
           "{place} {n} {injured}", "{time} {where} {event} {n} {who} {killed} {m} {injured} {other}",
           "{object} {where} در اثر {event} تخریب شد", "فوری {event} {place}"],
    "ur": ["{where} {event}", "{place} {event} {n} {killed}",
           "{time} {where} {event}، {n} {who} {killed}", "{place} {n} {killed} {m} {injured}",
           "{time} {where} {object} پر {event}", "{where} {event} سے {n} {who} {injured}",
           "{where} {event} {time} {other}", "{event} {object} پر لگا، {n} {injured}",
           "{place} {n} {injured}", "{time} {where} {event} {n} {who} {killed} {m} {injured} {other}",
           "{where} {event} سے {object} تباہ", "فوری {event} {place}"],
}  # fmt: skip

EASTERN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
#: Pashto typed on a Persian keyboard, Urdu with the Persian heh and yeh.
PASHTO_ON_PERSIAN = str.maketrans("ټډړږښګڼۍېځڅ", "تدرژشگنییزچ")
URDU_ON_PERSIAN = str.maketrans("ہۂےۓ", "ههیی")


def number(rng: random.Random, language: str) -> str:
    value = str(rng.choice([1, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9, 11, 12, 15, 20]))
    if language == "en":
        return value
    style = rng.random()
    if style < 0.45:
        return value.translate(EASTERN)
    if style < 0.55:
        return value.translate(ARABIC)
    return value


def message(rng: random.Random, language: str) -> str:
    words = WORDS[language]
    place = rng.choice(PLACES[language])
    where = rng.choice(words["where"])
    fields = {key: rng.choice(values) for key, values in words.items()}
    fields["where"] = where.format(place=place) if "{place}" in where else where
    text = rng.choice(FRAMES[language]).format(
        place=place, n=number(rng, language), m=number(rng, language), **fields
    )
    if language == "en" and rng.random() < 0.3:
        text = text.lower()
    if language == "ps" and rng.random() < 0.12:
        text = text.translate(PASHTO_ON_PERSIAN)
    if language == "ur" and rng.random() < 0.12:
        text = text.translate(URDU_ON_PERSIAN)
    return " ".join(text.split())


def main() -> None:
    rng = random.Random(20261204)
    rows: list[dict[str, str]] = []
    for language in ("en", "ps", "fa", "ur"):
        seen: set[str] = set()
        while len(seen) < PER_LANGUAGE:
            text = message(rng, language)
            if text not in seen:
                seen.add(text)
                rows.append(
                    {"id": f"{language}-{len(seen):03d}", "language": language, "text": text}
                )
    with OUT.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} messages written to {OUT}")


if __name__ == "__main__":
    main()
