"""No Docker engine runs here, so the compose file is checked for shape: it parses and wires what the README says."""

from pathlib import Path

import yaml
from django.conf import settings


def load_compose() -> dict:
    return yaml.safe_load(Path(settings.BASE_DIR, "docker-compose.yml").read_text())


def test_compose_defines_the_stack_with_healthchecks():
    compose = load_compose()

    assert sorted(compose["services"]) == ["beat", "db", "mailpit", "redis", "web", "worker"]
    assert sorted(name for name, service in compose["services"].items() if "healthcheck" in service) == [
        "db",
        "mailpit",
        "redis",
        "web",
        "worker",
    ]


def test_compose_app_services_share_one_environment():
    services = load_compose()["services"]

    environments = [services[name]["environment"] for name in ("web", "worker", "beat")]

    assert environments[0] is environments[1] is environments[2]
    assert environments[0]["DATABASE_URL"] == "postgres://cohort:${POSTGRES_PASSWORD:-cohort}@db:5432/cohort"
    assert (
        environments[0]["REDIS_URL"] == "redis://:${REDIS_PASSWORD:?set REDIS_PASSWORD in .env}@redis:6379/0"
    )
    assert environments[0]["EMAIL_URL"] == "${EMAIL_URL:-smtp://mailpit:1025}"
