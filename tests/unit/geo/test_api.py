from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from truceline.app import create_app


def test_point_endpoint_describes_a_point_and_refuses_impossible_latitudes(engine: Engine) -> None:
    client = TestClient(create_app())
    body = client.get("/api/geo/point", params={"lat": 32.93, "lon": 69.17}).json()
    assert (body["country"], body["admin1"]) == ("AF", "Paktika")
    refused = client.get("/api/geo/point", params={"lat": 95, "lon": 69.17})
    assert refused.status_code == 422 and "lat" in refused.text


def test_locate_endpoint_returns_matches_best_first(engine: Engine) -> None:
    client = TestClient(create_app())
    body = client.get("/api/geo/locate", params={"q": "near Torkham border crossing"}).json()
    assert body["matches"][0]["name"] == "Torkham"


def test_map_layers_name_their_source_and_say_de_facto() -> None:
    client = TestClient(create_app())
    boundary = client.get("/api/geo/layers/boundary.geojson")
    assert boundary.headers["content-type"] == "application/geo+json"
    line = boundary.json()["features"][0]["properties"]
    assert line["de_facto"] is True and "Natural Earth" in line["label"]
    provinces = client.get("/api/geo/layers/provinces.geojson").json()
    assert len(provinces["features"]) == 34 and "Natural Earth" in provinces["attribution"]


def test_pakistan_layer_has_every_district_and_province_with_its_source() -> None:
    client = TestClient(create_app())
    for path in ("/api/geo/layers/pakistan.geojson", "/api/map/pakistan"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/geo+json")
        assert len(response.content) < 300_000  # simplified for phones
        data = response.json()
        assert "geoBoundaries" in data["attribution"] and "public domain" in data["attribution"]
        kinds = [f["properties"]["kind"] for f in data["features"]]
        assert kinds.count("district") == 126 and kinds.count("province") == 7
        provinces = {
            f["properties"]["name"]
            for f in data["features"]
            if f["properties"]["kind"] == "province"
        }
        assert {"Balochistan", "Khyber Pakhtunkhwa", "Punjab", "Sindh"} <= provinces
        assert all(
            f["properties"]["id"].startswith("geoboundaries:PAK-ADM2-60131773:")
            for f in data["features"]
        )
