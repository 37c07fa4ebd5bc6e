"""The words the reader looks for: event triggers, casualty words, forces, targets (pure data).

Event types are the project's taxonomy (``events.taxonomy``); the triggers are
tried in order, most specific first ("suicide attack" before "attack"), so a
sentence gets the narrowest type its words support. Force names map the ways
statements name each party's forces to the party; armed groups are read from
the registry's aliases (``designations/profile_data.yaml``). To teach the
reader a word, add it here and a sentence to the tests.
"""

from __future__ import annotations

import re

#: (event type, trigger pattern), most specific first.
EVENT_TRIGGERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("suicide_bomb", r"\bsuicide\s+(?:attack|bomb\w*|blast|attacker|car\s+bomb)|\bfidayeen\b"),
        (
            "airspace_violation",
            r"\b(?:violat\w+\s+(?:its|the|our|afghan|pakistani)\s+airspace|airspace\s+violation)",
        ),
        (
            "air_drone_strike",
            r"\bair\s?-?strikes?\b|\bairstrikes?\b|\bdrone\b|\bair\s+raids?\b|\bjets?\b|\baerial\s+(?:bombard\w+|strikes?|attacks?)|\bbombed\s+from\s+the\s+air",
        ),
        (
            "cross_border_fire",
            r"\bcross-?border\s+(?:fire|firing|shelling|attacks?)|\b(?:fired|firing|shell\w*)\b[^.]{0,30}?\bacross\s+the\s+(?:border|line)|\bunprovoked\s+firing\b|\bborder\s+(?:posts?|checkposts?)\s+(?:came\s+under|were\s+attacked)",
        ),
        ("incursion", r"\bincursions?\b|\bcrossed\s+into\b|\bintru(?:sion|ded)\b"),
        (
            "remote_explosive_landmine_ied",
            r"\bIEDs?\b|\broadside\s+bomb|\blandmines?\b|\bimprovised\s+explosive|\bremote[- ]controlled\b|\bbomb\s+(?:blast|explosion)|\bblasts?\b|\bexplosions?\b|\bbombing\b",
        ),
        (
            "shelling_artillery_missile_attack",
            r"\bshell(?:ing|ed|s)\b|\bartillery\b|\bmortars?\b|\brockets?\b|\bmissiles?\b",
        ),
        (
            "armed_clash",
            r"\bclash(?:es|ed)?\b|\bgun\s?fights?\b|\bfire\s?fights?\b|\bexchange[sd]?\s+(?:of\s+)?fire\b|\bfighting\b|\bencounters?\b|\bintelligence[- ]based\s+operations?\b|\bIBOs?\b|\bambush\w*\b|\bbattles?\b|\btrade[sd]?\s+fire\b|\bshoot-?outs?\b|\bshooting\b|\bfiring\b|\bfeuding\b",
        ),
        ("grenade", r"\bgrenades?\b"),
        ("abduction_forced_disappearance", r"\babduct\w*|\bkidnap\w*"),
        (
            "arrests",
            r"\barrest\w*|\bdetain\w*|\bapprehend\w*|\btaken\s+into\s+custody\b|\bcaptured\b",
        ),
        (
            "crossing_closure",
            r"\b(?:closed|shut)\s+(?:the\s+)?(?:\w+\s+)?(?:border\s+)?crossings?\b|\bcrossings?\s+(?:was|were|remained|remains)\s+(?:closed|shut)",
        ),
        ("military_buildup", r"\bbuild-?up\b|\bdeploy(?:ed|ment)\s+of\s+(?:additional\s+)?troops"),
        (
            "attack",
            r"\battack\w*|\bgunmen\b|\bgunned\s+down\b|\bshot\s+dead\b|\bopened\s+fire\b|\btargeted\s+killing|\bassassinat\w*|\bstorm\w*",
        ),
        # Pashto, Dari and Urdu statements: the commonest words for the same events.
        ("suicide_bomb", r"انتحاري|انتحاری|خودکش"),
        (
            "air_drone_strike",
            r"هوايي\s*برید|هوایی\s*برید|حمله\s*هوایی|حملات\s*هوایی|فضائی\s*حمل|ډرون|درون|ڈرون|بمبار",
        ),
        ("remote_explosive_landmine_ied", r"چاودن|انفجار|دھماک|ماین"),
        ("armed_clash", r"نښت|درگیری|جھڑپ|جگړ"),
        ("arrests", r"ونیول|نیول\s*شو|گرفتار|بازداشت"),
        ("attack", r"برید|حمله|حملہ|حملے"),
    )
)

#: Casualty words: what happened to the people counted before (or after) them.
CASUALTY_AFTER = {
    "killed": re.compile(
        r"^\s*(?:\w+\s+){0,4}?(?:were\s+|was\s+|have\s+been\s+|had\s+been\s+)?(?:killed|dead|died|martyred|slain|lost\s+their\s+lives|perished)\b",
        re.I,
    ),
    "injured": re.compile(
        r"^\s*(?:\w+\s+){0,4}?(?:were\s+|was\s+|have\s+been\s+)?(?:injured|wounded|hurt)\b", re.I
    ),
    "captured": re.compile(
        r"^\s*(?:\w+\s+){0,4}?(?:were\s+|was\s+|have\s+been\s+)?(?:arrested|detained|captured|apprehended)\b",
        re.I,
    ),
}
CASUALTY_BEFORE = {
    "killed": re.compile(
        r"\b(?:killing|kills|killed|kill|left|martyring|shot\s+dead|gunned\s+down|claimed\s+the\s+lives\s+of|death\s+toll\s+(?:rose\s+to|of|at))\s+(?:at\s+least\s+|up\s+to\s+)?$",
        re.I,
    ),
    "injured": re.compile(
        r"\b(?:wounding|injuring|wounded|injured|injures|wounds)\s+(?:at\s+least\s+)?$", re.I
    ),
    "captured": re.compile(
        r"\b(?:arrested|detained|captured|apprehended|arresting|capturing)\s+(?:at\s+least\s+)?$",
        re.I,
    ),
}
#: Casualty words of Pashto, Dari and Urdu statements, after the number ("۱۰ ملکي وګړي ووژل شول").
CASUALTY_WORDS_OTHER = {
    "killed": re.compile(
        r"^\s*(?:\S+\s+){0,3}?(?:ووژل|وژل|مړه|کشته|ہلاک|جاں\s*بحق|شہید|شهید|جان\s*باختند)"
    ),
    "injured": re.compile(r"^\s*(?:\S+\s+){0,3}?(?:ټپي|زخمی|زخمي|مجروح)"),
    "captured": re.compile(r"^\s*(?:\S+\s+){0,3}?(?:ونیول|نیول|گرفتار|بازداشت)"),
}
#: A "quantity" that is really a time, a date, a distance or an age, never a count of people.
NOT_PEOPLE = re.compile(
    r"^\s*(?:-|\s)?(?:km|kilometres?|kilometers?|miles?|hours?|days?|years?|am|pm|gmt|pkt|per\s?cent|%|metres?|meters?|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*)\b",
    re.I,
)

#: Who the victims are, read from the words after a count.
TARGET_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "security_forces",
        re.compile(
            r"\b(?:soldiers?|troops|security\s+(?:personnel|forces|officials)|police\w*|personnel|officers?|army|border\s+guards?|frontier\s+corps|FC|levies|checkposts?|check\s+posts?|posts?|camp|garrison)\b",
            re.I,
        ),
    ),
    (
        "civilians",
        re.compile(
            r"\b(?:civilians?|women|children|villagers|residents|people|homes?|houses?|family|families|worshippers|passengers|students|labou?rers|refugees|market)\b",
            re.I,
        ),
    ),
    (
        "militants",
        re.compile(
            r"\b(?:militants?|terrorists?|insurgents?|khawarij|khwarij|fighters|hideouts?|rebels|extremists)\b",
            re.I,
        ),
    ),
    (
        "critical_infrastructure",
        re.compile(
            r"\b(?:bridge|power\s+(?:station|plant|lines?|pylons?)|dam|pipeline|railway|telecom\w*|grid|hospital|school|airport)\b",
            re.I,
        ),
    ),
)

#: How statements name each party's forces ("security forces" is settled by the context).
PARTY_FORCES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "PK",
        re.compile(
            r"\bPakistan(?:i)?\s+(?:army|military|forces|troops|air\s+force|jets|aircraft|security\s+forces|border\s+forces|soldiers)\b|\bPakistani\s+(?:air\s*strikes?|drones?|shelling|strikes?)\b|\bFrontier\s+Corps\b|\bPAF\b",
            re.I,
        ),
    ),
    (
        "AF",
        re.compile(
            r"\bAfghan(?:istan)?\s+(?:forces|troops|border\s+(?:forces|guards)|security\s+forces|army|military|soldiers|Taliban\s+forces)\b|\bTaliban\s+(?:forces|fighters|troops|border\s+guards)\b|\bIslamic\s+Emirate(?:'s)?\s+(?:forces|border\s+forces)\b|\bAfghan\s+Taliban\b",
            re.I,
        ),
    ),
)
#: Words that place a text on one party's side, to settle "security forces".
PARTY_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "PK",
        re.compile(
            r"\bISPR\b|\bInter-Services\s+Public\s+Relations\b|\bPakistan(?:i)?\b|\bKhyber\s+Pakhtunkhwa\b|\bBalochistan\b|\bWaziristan\b",
            re.I,
        ),
    ),
    ("AF", re.compile(r"\bAfghan(?:istan)?\b|\bIslamic\s+Emirate\b|\bKabul\b|\bMujahid\b", re.I)),
)
GENERIC_FORCES = re.compile(r"\bsecurity\s+forces\b|\bthe\s+(?:army|military)\b|\btroops\b", re.I)
#: A mention followed by one of these acted; preceded by one, it was acted upon.
AGENT_AFTER = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:carried\s+out|launched|conducted|fired|struck|strike|hit|attacked|attacks?|killed|targeted|shelled|bombed|raided|claimed|stormed|ambushed|opened\s+fire|violated|crossed|arrested|detained)\b",
    re.I,
)
#: A mention that names a weapon or a strike ("Pakistani airstrikes") is an agent in itself.
WEAPON_IN_MENTION = re.compile(r"air\s*strikes?|drones?|shelling|strikes?|jets|aircraft", re.I)
#: Where victims and targets are named: after a count, or after "attack on".
VICTIM_CONTEXT = re.compile(
    r"\b(?:on|against|targeting|targeted|hit|hitting|struck|at)\s+((?:\S+\s+){0,5})", re.I
)
AGENT_BEFORE = re.compile(r"\b(?:by|from|of)\s+(?:the\s+)?$", re.I)
VICTIM_BEFORE = re.compile(
    r"\b(?:against|on|targeting|targeted|killing|killed|attacked|at)\s+(?:the\s+|a\s+)?(?:\w+\s+)?$",
    re.I,
)

#: "A" or "an" counts one person only before a word for a person ("a child", not "a bomb").
PERSON_AFTER_ARTICLE = re.compile(
    r"^\s+(?:\w+\s+)?(?:child|boy|girl|man|woman|soldier|civilian|police\w*|officer|elder|"
    r"militant|person|resident|student|worker|journalist|driver|member|leader|commander|"
    r"trooper|guard|villager|teacher|doctor|cleric|worshipper|passenger|labou?rer)\b",
    re.IGNORECASE,
)

#: Casualty words with no number: "Taleban commander killed in Karachi" reports an event
#: even where there is no word for its kind and no count to read.
CASUALTY_MENTION = re.compile(
    r"\b(?:killed|kills?|dead|died|martyred|slain|wounded|injured|shot\s+dead|gunned\s+down)\b"
    r"|ووژل|کشته|ہلاک|شہید|شهید|زخمی|ټپي",
    re.IGNORECASE,
)

#: How wire reports name a province without naming a place in it ("northwest Pakistan").
#: Read only when no place of the text resolves more finely; the tribal areas (FATA)
#: joined Khyber Pakhtunkhwa in 2018.
REGION_PROVINCES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "Khyber Pakhtunkhwa",
        re.compile(
            r"\b(?:north-?west(?:ern)?|NW)\s+Pakistan\b|\bPakistan(?:'s)?\s+(?:north-?west|NW)\b"
            r"|\btribal\s+(?:areas?|regions?|belt|districts?)\b|\bFATA\b",
            re.IGNORECASE,
        ),
    ),
    (
        "Balochistan",
        re.compile(
            r"\b(?:south-?west(?:ern)?|SW)\s+Pakistan\b|\bPakistan(?:'s)?\s+south-?west\b",
            re.IGNORECASE,
        ),
    ),
    (
        "Azad Jammu and Kashmir",
        re.compile(
            r"\bPakistan(?:i)?(?:-(?:administered|controlled|held))?\s+Kashmir\b"
            r"|\bAzad\s+(?:Jammu\s+and\s+)?Kashmir\b|\bAJK\b",
            re.IGNORECASE,
        ),
    ),
)
#: Region names that are no place of the gazetteer and must not be matched to one by
#: spelling: "Kashmir" alone (divided by the Line of Control) is not Kashmore in Sindh.
NOT_A_PLACE = re.compile(r"\bKashmir\b", re.IGNORECASE)
