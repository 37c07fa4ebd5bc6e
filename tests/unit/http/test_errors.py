"""Error pages: browsers get HTML with the status and headers; a redirect stays a redirect."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from truceline.app import create_app

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.mark.parametrize("page", ["/requests", "/community"])
def test_a_browser_sent_to_sign_in_gets_the_redirect_with_its_location(
    engine: Engine, page: str
) -> None:
    """Pages raise the sign-in redirect from their access dependency; the error pages
    rendered it as an HTML page with status 303 and no Location, a dead end in a browser."""
    client = TestClient(create_app(), base_url="https://testserver")
    answer = client.get(page, headers=BROWSER, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/login?next={page}"


def test_a_browser_asking_for_a_missing_page_gets_the_html_error_page(engine: Engine) -> None:
    client = TestClient(create_app(), base_url="https://testserver")
    answer = client.get("/incidents/NO-SUCH-CODE", headers=BROWSER)
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")
