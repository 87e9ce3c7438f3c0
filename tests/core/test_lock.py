"""The lock files say exactly what a fresh clone installs. pyproject.toml keeps the ranges; `make lock` resolves
them (for Python 3.11 to 3.13) into the locks. These tests fail when the two disagree, and when what is installed
here is not what the lock says."""

import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from django.conf import settings
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(settings.BASE_DIR)
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
# Each lock and the extras it resolves (the build backend is in each, so the project installs without a network).
LOCKS = {
    "requirements.lock": (),
    "requirements-dev.lock": ("dev",),
    "requirements-bench.lock": ("dev", "bench"),
}
DIRECT_MARK = "cohort-site (pyproject.toml)"


def lock_pins(name: str) -> list[tuple[Requirement, bool, int]]:
    """(pin, whether pyproject.toml asked for it directly, number of hashes) for each pinned line."""
    pins = []
    lines = (ROOT / name).read_text().splitlines()
    for index, line in enumerate(lines):
        if not line or line[0] in " #":
            continue
        requirement = Requirement(line.rstrip(" \\"))
        following = []
        for later in lines[index + 1 :]:
            if later and later[0] not in " #":
                break
            following.append(later)
        hashes = sum(1 for later in following if later.strip().startswith("--hash=sha256:"))
        direct = any(DIRECT_MARK in later for later in following)
        pins.append((requirement, direct, hashes))
    return pins


def asked_for(extras: tuple[str, ...]) -> list[Requirement]:
    wanted = [*PYPROJECT["project"]["dependencies"], *PYPROJECT["build-system"]["requires"]]
    for extra in extras:
        wanted += PYPROJECT["project"]["optional-dependencies"][extra]
    return [Requirement(text) for text in wanted]


@pytest.mark.parametrize(("lock", "extras"), LOCKS.items())
def test_lock_pins_every_requirement_within_its_range(lock, extras):
    pins: dict[str, list[Requirement]] = {}
    for pin, _direct, _hashes in lock_pins(lock):
        pins.setdefault(canonicalize_name(pin.name), []).append(pin)

    out_of_range = []
    for requirement in asked_for(extras):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} is in pyproject.toml but not in {lock}: run make lock"
        for pin in pins[name]:
            (pinned,) = [spec.version for spec in pin.specifier]
            if not requirement.specifier.contains(pinned, prereleases=True):
                out_of_range.append(f"{pin.name}=={pinned} is outside {requirement}")
    assert out_of_range == []


@pytest.mark.parametrize(("lock", "extras"), LOCKS.items())
def test_lock_holds_no_direct_requirement_pyproject_dropped(lock, extras):
    asked = {canonicalize_name(requirement.name) for requirement in asked_for(extras)}
    direct = {canonicalize_name(pin.name) for pin, is_direct, _hashes in lock_pins(lock) if is_direct}

    assert sorted(direct - asked) == []


@pytest.mark.parametrize("lock", LOCKS)
def test_every_pin_is_exact_and_hashed(lock):
    loose = [str(pin) for pin, _direct, hashes in lock_pins(lock) if hashes == 0 or "==" not in str(pin)]

    assert loose == []


def test_locks_agree_on_every_shared_version():
    versions: dict[tuple[str, str], set[str]] = {}
    for lock in LOCKS:
        for pin, _direct, _hashes in lock_pins(lock):
            versions.setdefault((canonicalize_name(pin.name), str(pin.marker)), set()).add(str(pin.specifier))

    assert {key: found for key, found in versions.items() if len(found) > 1} == {}


def test_installed_packages_are_the_dev_locks():
    """What `make test` installed is what requirements-dev.lock pins, for this Python."""
    differ = []
    for pin, _direct, _hashes in lock_pins("requirements-dev.lock"):
        if pin.marker is not None and not pin.marker.evaluate():
            continue
        (pinned,) = [spec.version for spec in pin.specifier]
        try:
            installed = version(pin.name)
        except PackageNotFoundError:
            installed = None
        if installed != pinned:
            differ.append((pin.name, pinned, installed))

    assert differ == []
