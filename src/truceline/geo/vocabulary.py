"""Words that shape a place description, in English, Pashto, Dari and Urdu.

The geoparser never matches these as place names; it reads them as clues:
a type word after a name ("Kech district", "Datta Khel area"), a word of
nearness before one ("near Torkham"), a direction with a distance ("45 km west
of Miranshah"). All entries are already normalised (``normalize.normalize_name``).
To teach the parser a new clue, add the word to the right set here.
"""

from __future__ import annotations

from truceline.geo.gazetteer import PlaceKind
from truceline.geo.normalize import normalize_name

#: Type words and the kind of place they announce.
TYPE_WORDS: dict[str, str] = {
    "district": PlaceKind.DISTRICT,
    "distt": PlaceKind.DISTRICT,
    "agency": PlaceKind.DISTRICT,
    "province": PlaceKind.PROVINCE,
    "provinces": PlaceKind.PROVINCE,
    "tehsil": PlaceKind.AREA,
    "subdivision": PlaceKind.AREA,
    "area": PlaceKind.AREA,
    "areas": PlaceKind.AREA,
    "valley": PlaceKind.AREA,
    "region": PlaceKind.AREA,
    "sector": PlaceKind.AREA,
    "locality": PlaceKind.POPULATED_PLACE,
    "village": PlaceKind.POPULATED_PLACE,
    "villages": PlaceKind.POPULATED_PLACE,
    "town": PlaceKind.POPULATED_PLACE,
    "city": PlaceKind.POPULATED_PLACE,
    "bazaar": PlaceKind.POPULATED_PLACE,
    "crossing": PlaceKind.CROSSING,
    "gate": PlaceKind.CROSSING,
    "post": PlaceKind.POST,
    "checkpost": PlaceKind.POST,
    # Pashto, Dari, Urdu (normalised spellings)
    normalize_name("ولسوالۍ"): PlaceKind.DISTRICT,
    normalize_name("ولسوالی"): PlaceKind.DISTRICT,
    normalize_name("ضلع"): PlaceKind.DISTRICT,
    normalize_name("ولایت"): PlaceKind.PROVINCE,
    normalize_name("صوبه"): PlaceKind.PROVINCE,
    normalize_name("صوبہ"): PlaceKind.PROVINCE,
    normalize_name("کلی"): PlaceKind.POPULATED_PLACE,
    normalize_name("گاؤں"): PlaceKind.POPULATED_PLACE,
    normalize_name("قریه"): PlaceKind.POPULATED_PLACE,
    normalize_name("سیمه"): PlaceKind.AREA,
    normalize_name("علاقه"): PlaceKind.AREA,
    normalize_name("علاقہ"): PlaceKind.AREA,
}

#: Words that mean the event happened near, not at, the place that follows.
NEAR_WORDS: frozenset[str] = frozenset(
    {"near", "nearby", "outskirts", "vicinity", "around", "close", "outside", "adjoining"}
    | {normalize_name(w) for w in ("نږدې", "نزدیک", "قریب", "نزديک", "څنډه")}
)

#: Words that make a point-like place an area ("X area", "X region").
AREA_WORDS: frozenset[str] = frozenset({"area", "areas", "region", "valley", "sector", "tehsil"})

BORDER_WORDS: frozenset[str] = frozenset(
    {"border", "frontier", "boundary", "durand"}
    | {normalize_name(w) for w in ("سرحد", "پوله", "بارڈر")}
)

#: Compass words -> azimuth in degrees.
DIRECTIONS: dict[str, float] = {
    "north": 0.0,
    "northeast": 45.0,
    "east": 90.0,
    "southeast": 135.0,
    "south": 180.0,
    "southwest": 225.0,
    "west": 270.0,
    "northwest": 315.0,
}
DISTANCE_UNITS_KM: dict[str, float] = {
    "km": 1.0,
    "kms": 1.0,
    "kilometre": 1.0,
    "kilometres": 1.0,
    "kilometer": 1.0,
    "kilometers": 1.0,
    "mile": 1.609344,
    "miles": 1.609344,
}

#: Words that never start or end a place name.
STOPWORDS: frozenset[str] = frozenset(
    {
        "of",
        "in",
        "the",
        "at",
        "on",
        "and",
        "from",
        "to",
        "a",
        "an",
        "by",
        "with",
        "near",
        "nearby",
        "between",
        "into",
        "along",
        "its",
        "their",
        "said",
        "some",
        "several",
        "two",
        "three",
        "one",
        "up",
        "far",
        "about",
        "outskirts",
        "vicinity",
        "around",
        "close",
        "outside",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "north",
        "south",
        "east",
        "west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "km",
        "kms",
        "kilometres",
        "kilometers",
        "miles",
        "security",
        "check",
        "military",
        "army",
        "police",
        "camp",
        "base",
        "border",
        "crossing",
        "district",
        "agency",
        "province",
        "tehsil",
        "area",
        "areas",
        "village",
        "town",
        "city",
        "valley",
        "region",
        "post",
        "road",
        "tribal",
        "pakistani",
        "afghan",
        "part",
        "parts",
        "located",
        "side",
        "line",
        "control",
        "attack",
        "killed",
        "or",
    }
    | {normalize_name(w) for w in ("په", "د", "در", "میں", "کے", "کی", "کا", "او", "و", "از", "به")}
)
