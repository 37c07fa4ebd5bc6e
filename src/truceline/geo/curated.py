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
        (
            "Torkham border crossing",
            "Torkham Gate",
            "Torkhum",
            "Torkham crossing",
            "تورخم",
            "طورخم",
        ),
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


def _sector(key: str, name: str, lat: float, lon: float, admin2: str, *names: str) -> CuratedPlace:
    admin1 = "Punjab" if admin2 in ("Sialkot", "Narowal") else "Azad Jammu and Kashmir"
    return CuratedPlace(key, name, lat, lon, "PK", admin1, admin2, "area", names)


#: Sectors of the Line of Control (and of the Sialkot "working boundary"), named as
#: military statements and news reports name them; points on the Pakistani side of
#: each sector, approximate (about 10 km). "Line of Control" alone names no sector and
#: is not a place: a description that says only that gets no match rather than the
#: middle of a 700 km line.
LOC_SECTORS: tuple[CuratedPlace, ...] = (
    _sector("loc-kel", "Kel sector", 34.83, 74.35, "Neelum", "Kel sub-sector"),
    _sector("loc-athmuqam", "Athmuqam sector", 34.58, 73.90, "Neelum", "Athmuqam sub-sector"),
    _sector("loc-neelum", "Neelum sector", 34.60, 73.93, "Neelum", "Neelum valley sector"),
    _sector("loc-leepa", "Leepa sector", 34.31, 73.93, "Hattian", "Lipa sector", "Leepa valley"),
    _sector("loc-chakothi", "Chakothi sector", 34.10, 73.88, "Hattian", "Chakoti sector"),
    _sector("loc-pandu", "Pandu sector", 34.17, 73.75, "Hattian", "Pando sector"),
    _sector("loc-hajipir", "Haji Pir sector", 33.98, 74.03, "Poonch", "Hajipeer sector"),
    _sector("loc-abbaspur", "Abbaspur sector", 33.81, 74.00, "Poonch"),
    _sector("loc-hajira", "Hajira sector", 33.77, 73.90, "Poonch"),
    _sector("loc-rawalakot", "Rawalakot sector", 33.86, 73.77, "Poonch", "Rawla sector"),
    _sector("loc-poonch", "Poonch sector", 33.80, 73.85, "Poonch"),
    _sector("loc-battal", "Battal sector", 33.63, 73.97, "Kotli", "Batal sector"),
    _sector("loc-nakyal", "Nakyal sector", 33.46, 74.06, "Kotli", "Nakial sector"),
    _sector(
        "loc-khuiratta",
        "Khuiratta sector",
        33.36,
        74.00,
        "Kotli",
        "Khoi Ratta sector",
        "Khui Ratta sector",
    ),
    _sector("loc-kotli", "Kotli sector", 33.50, 73.95, "Kotli", "Kotali sector"),
    _sector("loc-bhimber", "Bhimber sector", 32.98, 74.08, "Bhimber", "Bhimbher sector"),
    _sector("loc-barnala", "Barnala sector", 33.06, 74.02, "Bhimber", "Barnal sector"),
    _sector("loc-chamb", "Chamb sector", 32.93, 74.25, "Bhimber", "Chhamb sector"),
    _sector("loc-shingo", "Shingo sector", 34.75, 75.80, "Kharmang", "Shingo sub-sector"),
    _sector("loc-sialkot", "Sialkot sector", 32.50, 74.60, "Sialkot", "Chaprar sector"),
    _sector("loc-shakargarh", "Shakargarh sector", 32.26, 75.16, "Narowal"),
)


def _town(key: str, name: str, lat: float, lon: float, *names: str) -> CuratedPlace:
    return CuratedPlace(key, name, lat, lon, "PK", "Sindh", "Karachi", "area", names)


#: The towns of Karachi (the city's 18 towns of 2001-2011 and their usual names), which
#: GeoNames' cities500 lacks; reports name them without the city ("Orangi town").
#: Approximate centres (about 3 km).
KARACHI_TOWNS: tuple[CuratedPlace, ...] = (
    _town("karachi-orangi", "Orangi", 24.95, 66.99, "Orangi town", "اورنگی"),
    _town("karachi-korangi", "Korangi", 24.83, 67.13, "Korangi town", "کورنگی"),
    _town("karachi-baldia", "Baldia", 24.92, 66.96, "Baldia town"),
    _town("karachi-landhi", "Landhi", 24.85, 67.20, "Landhi town"),
    _town("karachi-malir", "Malir", 24.89, 67.20, "Malir town"),
    _town("karachi-lyari", "Lyari", 24.87, 66.99, "Lyari town", "لیاری"),
    _town("karachi-gadap", "Gadap", 25.03, 67.13, "Gadap town"),
    _town("karachi-keamari", "Keamari", 24.83, 66.98, "Kemari", "Keamari town"),
    _town("karachi-site", "SITE town", 24.90, 67.00, "S.I.T.E.", "SITE area"),
    _town("karachi-gulshan", "Gulshan-e-Iqbal", 24.92, 67.10, "Gulshan e Iqbal"),
    _town("karachi-north-nazimabad", "North Nazimabad", 24.94, 67.04),
    _town("karachi-new-karachi", "New Karachi", 24.99, 67.07, "New Karachi town"),
    _town("karachi-shah-faisal", "Shah Faisal town", 24.88, 67.15, "Shah Faisal colony"),
    _town("karachi-bin-qasim", "Bin Qasim", 24.80, 67.35, "Bin Qasim town", "Port Qasim"),
    _town("karachi-sohrab-goth", "Sohrab Goth", 24.95, 67.09),
    _town("karachi-liaquatabad", "Liaquatabad", 24.91, 67.04, "Liaquatabad town"),
    _town("karachi-jamshed", "Jamshed town", 24.88, 67.05),
    _town("karachi-saddar", "Saddar town", 24.86, 67.03, "Saddar Karachi"),
)

#: Places other sources lack whose name another, far-off place shares.
OTHER_PLACES: tuple[CuratedPlace, ...] = (
    CuratedPlace(
        "rustam-mardan",
        "Rustam",
        34.33,
        72.35,
        "PK",
        "Khyber Pakhtunkhwa",
        "Mardan",
        "populated_place",
        ("Rustam village", "Rustam tehsil", "رستم"),
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
    "Barmal": ("برمل",),
    "Asadabad": ("اسعد آباد", "اسعدآباد"),
    "Spin Boldak": ("سپین بولدک",),
    "Chaman": ("چمن",),
    "Mastung": ("مستونگ",),
}
