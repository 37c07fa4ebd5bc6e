"""Hand-curated gazetteer entries: border crossings and names in Arabic script.

Nothing here comes from a data set: the crossings are public knowledge (their
names are in every account of the October 2025 clashes) and their coordinates
are approximate, good to a few kilometres (``CROSSING_UNCERTAINTY_KM``); a test
checks that each lies within that distance of the Natural Earth line. The
Arabic-script names are the usual Pashto, Dari or Urdu spellings, added so that
a description written in those scripts finds the place.

To add a crossing or a post, append a ``CuratedPlace``; to add a spelling, extend
``SCRIPT_NAMES`` under the place's English name. Rebuild the gazetteer afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

CURATED_SOURCE = "curated: public knowledge, approximate coordinates"
CROSSING_UNCERTAINTY_KM = 12.0


@dataclass(frozen=True)
class CuratedPlace:
    """A crossing or post with its names in Latin and Arabic script."""

    key: str
    name: str
    lat: float
    lon: float
    country: str
    admin1: str
    admin2: str | None
    kind: str
    names: tuple[str, ...]


CROSSINGS: tuple[CuratedPlace, ...] = (
    CuratedPlace(
        "torkham",
        "Torkham",
        34.104,
        71.092,
        "PK",
        "Khyber Pakhtunkhwa",
        "Khyber agency",
        "crossing",
        ("Torkham border crossing", "Torkham Gate", "Torkhum", "Torkham crossing", "تورخم"),
    ),
    CuratedPlace(
        "friendship-gate",
        "Friendship Gate (Chaman–Spin Boldak)",
        30.985,
        66.425,
        "AF",
        "Kandahar",
        None,
        "crossing",
        (
            "Friendship Gate",
            "Bab-e-Dosti",
            "Bab e Dosti",
            "Chaman border crossing",
            "Spin Boldak border crossing",
            "Chaman-Spin Boldak crossing",
            "باب دوستی",
        ),
    ),
    CuratedPlace(
        "angoor-adda",
        "Angoor Adda",
        32.317,
        69.367,
        "PK",
        "Khyber Pakhtunkhwa",
        "South Waziristan",
        "crossing",
        ("Angor Adda", "Angur Adda", "Angoor Adda border crossing", "انگور اډه", "انگور اڈہ"),
    ),
    CuratedPlace(
        "ghulam-khan",
        "Ghulam Khan",
        33.165,
        69.835,
        "PK",
        "Khyber Pakhtunkhwa",
        "North Waziristan",
        "crossing",
        ("Ghulam Khan border crossing", "Gulam Khan", "غلام خان"),
    ),
    CuratedPlace(
        "kharlachi",
        "Kharlachi",
        33.87,
        69.96,
        "PK",
        "Khyber Pakhtunkhwa",
        "Kurram agency",
        "crossing",
        ("Kharlachi border crossing", "Kharlachi crossing", "خرلاچی"),
    ),
    CuratedPlace(
        "terimangal",
        "Terimangal",
        33.70,
        69.98,
        "PK",
        "Khyber Pakhtunkhwa",
        "Kurram agency",
        "crossing",
        ("Teri Mangal", "Tari Mangal", "تری منگل"),
    ),
    CuratedPlace(
        "gursal",
        "Gursal",
        34.78,
        71.23,
        "PK",
        "Khyber Pakhtunkhwa",
        "Bajaur agency",
        "crossing",
        ("Gursal border crossing", "Gursal Bajaur", "گرسل"),
    ),
    CuratedPlace(
        "nawa-pass",
        "Nawa Pass",
        34.72,
        71.28,
        "PK",
        "Khyber Pakhtunkhwa",
        "Bajaur agency",
        "crossing",
        ("Nawa Top", "Nawa Kandao", "نوا پاس"),
    ),
    CuratedPlace(
        "arandu",
        "Arandu",
        35.33,
        71.52,
        "PK",
        "Khyber Pakhtunkhwa",
        "Chitral district",
        "crossing",
        ("Arandu border crossing", "Arundu", "ارندو"),
    ),
)

#: Arabic-script spellings keyed by the English name the build gives the place.
SCRIPT_NAMES: dict[str, tuple[str, ...]] = {
    "Afghanistan": ("افغانستان",),
    "Pakistan": ("پاکستان",),
    "Khost": ("خوست",),
    "Paktika": ("پکتیکا",),
    "Paktia": ("پکتیا",),
    "Kunar": ("کونړ", "کنر"),
    "Nangarhar": ("ننگرهار", "ننګرهار"),
    "Kandahar": ("کندهار", "قندهار"),
    "Helmand": ("هلمند",),
    "Nimruz": ("نیمروز",),
    "Zabul": ("زابل",),
    "Nuristan": ("نورستان",),
    "Kabul": ("کابل",),
    "Badakhshan": ("بدخشان",),
    "Logar": ("لوگر",),
    "Ghazni": ("غزنی",),
    "Laghman": ("لغمان",),
    "Khyber Pakhtunkhwa": ("خیبر پختونخوا",),
    "Balochistan": ("بلوچستان",),
    "Punjab": ("پنجاب",),
    "Sindh": ("سندھ",),
    "Gilgit-Baltistan": ("گلگت بلتستان",),
    "Azad Jammu and Kashmir": ("آزاد کشمیر",),
    "Islamabad": ("اسلام آباد",),
    "North Waziristan": ("شمالی وزیرستان", "شمالي وزیرستان"),
    "South Waziristan": ("جنوبی وزیرستان", "جنوبي وزیرستان"),
    "Kurram": ("کرم",),
    "Bajaur": ("باجوڑ", "باجوړ"),
    "Khyber": ("خیبر",),
    "Mohmand": ("مہمند", "مومند"),
    "Orakzai": ("اورکزئی",),
    "Chitral": ("چترال",),
    "Kech": ("کیچ",),
}
