"""A live app on 127.0.0.1 with the demo data, and headless Debian Chromium to drive it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from assetmap.ingest.pipeline import import_file
from assetmap.store.db import make_engine, make_sessionmaker, upgrade
from tests.conftest import ROOT, fresh_database

ARTIFACTS = ROOT / "tests" / "artifacts"

DEMO = ROOT / "geodata" / "demo"


def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def demo_database_url() -> str:
    """A committed database holding the demo data (browsers need a real server)."""
    url = fresh_database("assetmap_browser")
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    for layer, name in (("areas", "areas.geojson"), ("services", "services.geojson"),
                        ("assets", "assets.geojson"), ("links", "links.csv")):
        import_file(sessions, layer, DEMO / name)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def live_server(demo_database_url):
    from assetmap.web import create_app

    app = create_app({"DATABASE_URL": demo_database_url, "TESTING": True})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under tests/artifacts/ for people to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
