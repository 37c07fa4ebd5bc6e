"""The pages and the map API on both back ends, as the public and as a signed-in mediator."""

from __future__ import annotations

from fastapi.testclient import TestClient

from support_web import SECRET_TITLE
from truceline.agreements.pages.labels import FINDING_COLOURS
from truceline.incidents.pages.visibility import coarsen
from truceline.verification.pages.labels import STATE_COLOURS


def test_public_dashboard_counts_only_released_incidents(client: TestClient) -> None:
    page = client.get("/?date_from=2025-10-01&date_to=2025-10-31")
    assert page.status_code == 200
    assert 'data-count="incidents">2<' in page.text  # TL-0001 and TL-0003: released, determined
    assert SECRET_TITLE not in page.text
    assert "Allegations filed by the parties" not in page.text


def test_mediator_dashboard_counts_all_incidents_and_allegations(mediator: TestClient) -> None:
    page = mediator.get("/?date_from=2025-10-01&date_to=2025-10-31")
    assert 'data-count="incidents">4<' in page.text
    assert "Allegations filed by the parties" in page.text
    assert "<svg" in page.text and "Pakistani forces" in page.text


def test_dashboard_summary_fragment_follows_party_filter(mediator: TestClient) -> None:
    fragment = mediator.get("/dashboard/summary?date_from=2025-10-01&date_to=2025-10-31&party=AF")
    assert fragment.text.lstrip().startswith('<section id="summary"')
    assert 'data-count="incidents">3<' in fragment.text  # TL-0001, TL-0003, TL-0004 involve AF


def test_unreleased_incident_does_not_exist_for_the_public(
    client: TestClient, mediator: TestClient
) -> None:
    assert client.get("/incidents/TL-0002").status_code == 404
    assert mediator.get("/public/incidents/TL-0002").status_code == 404
    assert SECRET_TITLE in mediator.get("/incidents/TL-0002").text


def test_mediator_sees_reports_verbatim_with_grades_and_protected_reporter(
    mediator: TestClient,
) -> None:
    page = mediator.get("/incidents/TL-0001").text
    assert "Allegation about TL-0001: homes were hit after the truce began." in page
    assert "په کلي کې دوه کورونه ویجاړ شول" in page
    assert ">B2<" in page and ">C3<" in page
    assert "Reporter Gul Khan" not in page
    assert "identity protected" in page


def test_public_incident_page_hides_report_texts_and_exact_place(client: TestClient) -> None:
    page = client.get("/public/incidents/TL-0001").text
    assert "homes were hit" not in page
    assert "Village TL-0001" not in page
    lat, lon = coarsen(32.93, 69.17)
    assert f'data-lat="{lat}"' in page and f'data-lon="{lon}"' in page
    assert "rounded for the public to a grid of 5 km" in page


def test_public_list_shows_released_determined_only_even_to_a_mediator(
    mediator: TestClient,
) -> None:
    page = mediator.get("/public").text
    assert "TL-0001" in page and "TL-0003" in page
    assert "TL-0002" not in page and "TL-0004" not in page
    assert "TL-0005" not in page  # released, but its verification is not finished


def test_incident_list_filters_and_paginates(mediator: TestClient) -> None:
    page = mediator.get("/incidents?state=reported").text
    assert "TL-0004" in page and "TL-0003" not in page and "TL-0001" not in page
    fragment = mediator.get("/incidents?actor=PK", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<section id="incident-table">')
    assert "TL-0001" in fragment.text and "TL-0003" not in fragment.text


def test_map_returns_incidents_inside_the_box_only(mediator: TestClient) -> None:
    data = mediator.get("/api/map/incidents?bbox=68,32,71,34").json()
    codes = {f["properties"]["code"] for f in data["features"]}
    assert codes == {"TL-0001", "TL-0002"}
    assert data["total"] == 2 and data["truncated"] is False


def test_public_map_points_are_coarsened_and_boxes_test_the_coarse_point(
    client: TestClient,
) -> None:
    exact_box = "69.165,32.925,69.175,32.935"  # around TL-0001's exact point only
    assert client.get(f"/api/map/incidents?bbox={exact_box}").json()["features"] == []
    data = client.get("/api/map/incidents?bbox=60,25,75,38").json()
    points = {f["properties"]["code"]: f["geometry"]["coordinates"] for f in data["features"]}
    assert set(points) == {"TL-0001", "TL-0003"}
    lat, lon = coarsen(32.93, 69.17)
    assert points["TL-0001"] == [round(lon, 4), round(lat, 4)]
    assert "title" not in data["features"][0]["properties"]


def test_map_view_public_forces_the_public_view(mediator: TestClient) -> None:
    data = mediator.get("/api/map/incidents?view=public").json()
    assert {f["properties"]["code"] for f in data["features"]} == {"TL-0001", "TL-0003"}


def test_border_distance_filter_keeps_incidents_near_the_boundary(mediator: TestClient) -> None:
    data = mediator.get("/api/map/incidents?max_border_km=30").json()
    codes = {f["properties"]["code"] for f in data["features"]}
    assert "TL-0003" in codes  # Spin Boldak, a few km from the line
    assert "TL-0005" not in codes  # Kabul, about 85 km away


def test_bad_bbox_is_rejected_with_its_name(client: TestClient) -> None:
    response = client.get("/api/map/incidents?bbox=1,2,3")
    assert response.status_code == 422
    assert "bbox" in response.json()["detail"]


def test_pashto_page_is_right_to_left_and_remembered_in_a_cookie(client: TestClient) -> None:
    response = client.get("/?lang=ps")
    assert '<html lang="ps" dir="rtl">' in response.text
    assert "ډشبورډ" in response.text
    assert response.cookies.get("lang") == "ps"
    again = client.get("/")
    assert '<html lang="ps" dir="rtl">' in again.text


def test_dari_page_keeps_utc_until_kabul_time_is_chosen(mediator: TestClient) -> None:
    page = mediator.get("/incidents/TL-0001?lang=prs").text
    assert '<html lang="fa-AF" dir="rtl">' in page
    assert "۱۶:۳۰ \u2068UTC\u2069" in page  # choosing Dari does not switch to Kabul time
    kabul = mediator.get("/incidents/TL-0001?lang=prs&tz=Asia/Kabul").text
    assert "۲۱:۰۰" in kabul  # 16:30 UTC is 21:00 in Kabul
    assert "(UTC+4:30)" in kabul and "UTC+۰۴:۳۰" not in kabul


def test_pages_are_gzip_compressed(client: TestClient) -> None:
    response = client.get("/api/map/provinces", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["cache-control"].startswith("public")


def test_static_assets_come_from_the_packages(client: TestClient) -> None:
    for path in (
        "/static/leaflet/leaflet.js",
        "/static/markercluster/leaflet.markercluster.js",
        "/static/htmx/htmx.min.js",
        "/static/app/js/map.js",
        "/static/app/css/truceline.css",
    ):
        assert client.get(path).status_code == 200, path


def test_browsers_get_an_html_error_page_and_the_api_keeps_json(client: TestClient) -> None:
    page = client.get("/incidents/NOPE?lang=ur", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert '<html lang="ur" dir="rtl">' in page.text
    api = client.get("/api/map/incidents?bbox=1", headers={"Accept": "text/html"})
    assert api.status_code == 422 and "bbox" in api.json()["detail"]


def test_public_cannot_filter_by_alleged_perpetrator(
    client: TestClient, mediator: TestClient
) -> None:
    data = client.get("/api/map/incidents?actor=PK").json()
    assert {f["properties"]["code"] for f in data["features"]} == {"TL-0001", "TL-0003"}
    assert 'name="actor"' not in client.get("/public").text
    assert 'name="actor"' in mediator.get("/incidents").text


def test_summary_fragment_puts_the_filters_in_the_address_bar(client: TestClient) -> None:
    fragment = client.get("/dashboard/summary?party=PK&state=&max_border_km=30")
    assert fragment.headers["HX-Replace-Url"] == "/?party=PK&max_border_km=30"


def test_a_determined_incident_is_ringed_in_its_findings_colour(
    mediator: TestClient, client: TestClient
) -> None:
    staff = {f["properties"]["code"]: f["properties"] for f in mediator.get("/api/map/incidents").json()["features"]}  # fmt: skip
    public = {f["properties"]["code"]: f["properties"] for f in client.get("/api/map/incidents").json()["features"]}  # fmt: skip
    assert staff["TL-0001"]["finding"] == public["TL-0001"]["finding"]
    assert staff["TL-0001"]["ring"] == FINDING_COLOURS[staff["TL-0001"]["finding"]]
    assert staff["TL-0001"]["colour"] == STATE_COLOURS["determined"]  # the fill stays the state
    assert "finding" not in staff["TL-0004"]  # reported: no verified finding to show
    assert "finding" not in staff["TL-0003"]  # refuted, not determined


def test_the_dashboard_counts_in_the_database_without_loading_incidents(
    mediator: TestClient,
) -> None:
    from sqlalchemy import event

    from truceline.incidents.models import Incident

    loaded: list[int] = []

    def count(target: Incident, _context: object) -> None:
        loaded.append(target.id)

    event.listen(Incident, "load", count)
    try:
        page = mediator.get("/?date_from=2025-10-01&date_to=2025-10-31")
        fragment = mediator.get("/dashboard/summary?date_from=2025-10-01&date_to=2025-10-31")
    finally:
        event.remove(Incident, "load", count)
    assert 'data-count="incidents">4<' in page.text and 'data-count="incidents">4<' in fragment.text
    assert loaded == []
