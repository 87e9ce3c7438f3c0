"""No Docker engine runs here, so the compose file is checked for shape: it parses and wires what the README says."""

from pathlib import Path

import yaml
from django.conf import settings


def load_compose() -> dict:
    return yaml.safe_load(Path(settings.BASE_DIR, "docker-compose.yml").read_text())


def test_compose_defines_the_stack_with_healthchecks():
    compose = load_compose()

    assert sorted(compose["services"]) == ["backup", "beat", "db", "mailpit", "redis", "web", "worker"]
    assert sorted(name for name, service in compose["services"].items() if "healthcheck" in service) == [
        "backup",
        "db",
        "mailpit",
        "redis",
        "web",
        "worker",
    ]


def test_compose_app_services_share_one_environment():
    services = load_compose()["services"]

    environments = [services[name]["environment"] for name in ("web", "worker", "beat", "backup")]

    assert environments[0] is environments[1] is environments[2] is environments[3]
    assert environments[0]["DATABASE_URL"] == "postgres://cohort:${POSTGRES_PASSWORD:-cohort}@db:5432/cohort"
    assert (
        environments[0]["REDIS_URL"] == "redis://:${REDIS_PASSWORD:?set REDIS_PASSWORD in .env}@redis:6379/0"
    )
    assert environments[0]["EMAIL_URL"] == "${EMAIL_URL:-smtp://mailpit:1025}"


def test_web_healthcheck_asks_readiness_not_liveness():
    compose = load_compose()

    assert compose["services"]["web"]["healthcheck"]["test"][-1].endswith(
        "urlopen('http://127.0.0.1:8000/readyz')"
    )


def test_compose_backup_service_backs_up_nightly_into_its_volume_from_the_app_image():
    compose = load_compose()
    backup, web = compose["services"]["backup"], compose["services"]["web"]

    assert (backup["image"], backup["build"]) == (web["image"], web["build"])
    assert backup["command"] == "python manage.py backup --nightly"
    assert backup["volumes"] == ["media:/app/var/media", "backups:/app/var/backups"]
    assert backup["environment"]["BACKUP_DIR"] == "/app/var/backups"
    assert backup["environment"]["MEDIA_ROOT"] == "/app/var/media"
    assert sorted(compose["volumes"]) == ["backups", "media", "pgdata", "redisdata"]
    # The health check looks for an archive of the last 26 hours, named as backup names them.
    assert "-name 'cohort-*.tar.gz' -mmin -1560" in backup["healthcheck"]["test"][1]


def test_image_has_pg_dump_of_the_db_services_major_version():
    """An older pg_dump refuses a newer server: the client the Dockerfile installs is the db image's version."""
    dockerfile = Path(settings.BASE_DIR, "Dockerfile").read_text()
    db_major = load_compose()["services"]["db"]["image"].removeprefix("postgres:").split(".")[0]

    assert f"ARG PG_MAJOR={db_major}\n" in dockerfile
    assert "apt-get install -y --no-install-recommends postgresql-client-${PG_MAJOR}" in dockerfile
    assert "mkdir -p /app/var/media /app/var/backups && chown -R cohort /app/var" in dockerfile
