"""Bytes on the wire (issue 24): pages are gzipped for browsers that ask; static files are collected hashed,
with gzip and brotli copies, and served by whitenoise compressed and cached for a year."""

import gzip
import re

import pytest
from django.core.management import call_command
from django.test import Client

from tests.factories import ProgrammeFactory, ProgrammeSectionFactory


def test_programme_page_is_gzipped_for_a_browser_that_asks(client, db):
    programme = ProgrammeFactory()
    ProgrammeSectionFactory(programme=programme, key="aims", heading="Aims", body="Kinder towns. " * 50)

    plain = client.get(programme.get_absolute_url())
    compressed = client.get(programme.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    html = gzip.decompress(compressed.content)

    assert [compressed["Content-Encoding"], compressed["Vary"]] == ["gzip", "Cookie, Accept-Encoding"]
    assert "Content-Encoding" not in plain
    # The same page (its CSRF-free body; the random padding is in the gzip header, not the HTML).
    assert html.decode().count("Kinder towns.") == 50
    assert len(compressed.content) < len(plain.content) / 3


@pytest.fixture
def collected(settings, tmp_path):
    """collectstatic as production runs it, into a folder of the test's own."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def test_static_files_are_collected_hashed_with_gzip_and_brotli_and_served_cached_for_a_year(
    collected, settings, db
):
    from django.templatetags.static import static

    names = sorted(path.name for path in (collected / "vendor" / "bootstrap").iterdir())
    hashed = [name for name in names if re.fullmatch(r"bootstrap\.min\.[0-9a-f]{12}\.css", name)]
    assert len(hashed) == 1
    assert {f"{hashed[0]}.gz", f"{hashed[0]}.br", "bootstrap.min.css"} <= set(names)
    assert "bootstrap.bundle.min.js" not in " ".join(names)

    settings.DEBUG = False
    settings.WHITENOISE_AUTOREFRESH = True  # it reads the folder collected above, not the one at start-up
    url = static("css/site.css")
    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, br")
    max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))

    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", url)
    assert [response.status_code, response["Content-Encoding"]] == [200, "br"]
    assert max_age >= 365 * 24 * 60 * 60
    assert "immutable" in response["Cache-Control"]
