"""The README shows the product as it is: its screenshots exist, are linked, and are newer than their pages."""

import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Each screenshot and the templates that draw its page: a change to one of them needs a new screenshot
# (`make screenshots`).
PAGES = {
    "programme-page.png": ["templates/applications/programme_detail.html"],
    "member-dashboard.png": ["templates/dashboards/member.html"],
    "manager-dashboard.png": ["templates/dashboards/manager.html"],
}


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def last_commit_time(path: str) -> int:
    out = subprocess.run(
        ["git", "log", "-1", "--format=%ct", "--", path], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    return int(out or 0)


def test_readme_links_each_screenshot_and_each_is_a_full_width_png():
    readme = (ROOT / "README.md").read_text()

    for name in PAGES:
        assert f"(docs/screenshots/{name})" in readme
        assert png_size(ROOT / "docs" / "screenshots" / name) == (1280, 900)


def test_each_screenshot_is_newer_than_its_pages_templates():
    if not shutil.which("git") or not (ROOT / ".git").exists():
        pytest.skip("needs the git history (a clone, not an export)")
    stale = [
        f"{name} is older than {template}: run make screenshots"
        for name, templates in PAGES.items()
        for template in templates
        if last_commit_time(f"docs/screenshots/{name}") < last_commit_time(template)
    ]
    assert stale == []
