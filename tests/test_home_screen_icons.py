"""A phone's tab and home screen get the product's icon (issue 11), and production
serves static files compressed."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.test import Client
from PIL import Image

from tests.process_support import run_django_script

ROOT = Path(__file__).resolve().parent.parent


def _static(href: str) -> Path:
    found = finders.find(href.removeprefix("/static/"))
    assert found, href
    return Path(str(found))


def test_every_page_names_a_favicon_a_home_screen_icon_and_a_manifest(db: None) -> None:
    html = Client().get("/accounts/login/").content.decode()
    links = dict(re.findall(r'<link rel="(icon|apple-touch-icon|manifest)" href="([^"]+)"', html))
    assert set(links) == {"icon", "apple-touch-icon", "manifest"}

    assert _static(links["icon"]).read_text().lstrip().startswith("<svg")
    with Image.open(_static(links["apple-touch-icon"])) as touch:
        assert (touch.format, touch.size) == ("PNG", (180, 180))

    manifest_path = _static(links["manifest"])
    manifest = json.loads(manifest_path.read_text())
    assert manifest["start_url"] == "/"
    sizes = {}
    for icon in manifest["icons"]:
        path = manifest_path.parent / icon["src"]
        assert path.exists(), icon
        if icon["type"] == "image/png":
            with Image.open(path) as image:
                sizes[icon["sizes"]] = image.size
    assert sizes == {"192x192": (192, 192), "512x512": (512, 512)}


def test_favicon_ico_leads_to_the_icon_for_pages_that_link_none(db: None) -> None:
    """Browsers ask for /favicon.ico on their own (the printable reports link no
    icon): the product's icon answers, not a 404 in the console."""
    client = Client()
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get("/accounts/login/").content.decode()
    assert f'<link rel="icon" href="{response["Location"]}"' in icon
    assert _static(response["Location"]).read_text().lstrip().startswith("<svg")
    assert client.post("/favicon.ico").status_code == 405


def test_production_serves_static_files_compressed() -> None:
    """With DEBUG off, collectstatic writes .gz and .br beside each file (WhiteNoise)."""
    env = {key: value for key, value in os.environ.items() if key != "STATIC_MANIFEST"}
    env.update(DEBUG="0", DJANGO_SETTINGS_MODULE="congress.settings")
    printed = run_django_script(
        "from django.conf import settings; from whitenoise.compress import Compressor; "
        "print(settings.STORAGES['staticfiles']['BACKEND'], Compressor(quiet=True).use_brotli)",
        env,
    )
    assert printed.split() == [
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "True",
    ]
