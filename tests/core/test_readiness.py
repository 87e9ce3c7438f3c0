"""/readyz says whether this process can do its work (a real outage: tests/conftest.py's private_redis)."""

from django.urls import reverse


def test_readyz_answers_ok_with_everything_up(client, db):
    response = client.get(reverse("core:readyz"))

    assert response.status_code == 200
    assert response.json()["ready"] is True
    assert response.json()["checks"]["database"] == "ok"


def test_readyz_names_what_is_down(client, db, site_on):
    assert client.get(reverse("core:readyz")).json() == {
        "ready": True,
        "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
    }
    site_on()  # Redis stops

    response = client.get(reverse("core:readyz"))

    assert response.status_code == 503
    assert response.json() == {
        "ready": False,
        "checks": {
            "database": "ok",
            "cache": "unreachable: ConnectionError",
            "broker": "unreachable: OperationalError",
        },
    }
    assert client.get(reverse("core:healthz")).status_code == 200  # alive, just not ready
