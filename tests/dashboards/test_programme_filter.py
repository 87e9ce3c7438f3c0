"""The manager's dashboard shows one programme (`?programme=<slug>`): its pipeline, groups and what is waiting."""

import pytest
from django.urls import reverse

from cohort_site.core.programme_filter import UNKNOWN_PROGRAMME
from tests.factories import StaffFactory
from tests.programme_pair import programme_rows, two_programmes

DASHBOARD = reverse("dashboards:manager")


def dashboard(client, query: str = ""):
    client.force_login(StaffFactory())
    return client.get(f"{DASHBOARD}?{query}" if query else DASHBOARD)


def actions_of(response) -> list[tuple[int, str, str]]:
    return [(a.count, a.label, a.url) for a in response.context["actions"]]


def test_one_programme_shows_only_its_pipeline_groups_and_actions(client, db):
    _, older = two_programmes()

    response = dashboard(client, "programme=older")

    assert response.status_code == 200
    assert [p.programme.title for p in response.context["pipelines"]] == ["Older programme"]
    assert [c.cohort.name for c in response.context["pipelines"][0].cohorts] == ["Older programme group"]
    offers = (
        f"/admin/applications/application/?status__exact=offered&programme__id__exact={older.programme.pk}"
    )
    assert actions_of(response) == [
        (1, "emails failed to send", "/staff/outbox/?status=failed&programme=older"),
        (1, "offers not answered yet", offers),
        (1, "expenses to review", "/staff/expenses/?programme=older"),
        (1, "learning entries waiting for sharing approval", "/learning/manage/?programme=older"),
    ]
    page = response.content.decode()
    assert "<h1>Dashboard: Older programme</h1>" in page
    assert "Newer programme" in page  # only as a choice of the select
    assert page.count("Newer programme") == 1


def test_all_programmes_shows_both_and_counts_both(client, db):
    two_programmes()

    for query in ("", "programme="):
        response = dashboard(client, query)

        assert [p.programme.title for p in response.context["pipelines"]] == [
            "Newer programme",
            "Older programme",
        ]
        assert actions_of(response) == [
            (2, "emails failed to send", "/staff/outbox/?status=failed"),
            (2, "offers not answered yet", "/admin/applications/application/?status__exact=offered"),
            (2, "expenses to review", "/staff/expenses/"),
            (2, "learning entries waiting for sharing approval", "/learning/manage/"),
        ]
        assert response.context["programme_filter"].programme is None


def test_the_select_offers_every_programme_newest_first_with_all_programmes(client, db):
    two_programmes()

    form = dashboard(client, "programme=newer").context["programme_filter"].form

    assert list(form.fields["programme"].choices) == [
        ("", "All programmes"),
        ("newer", "Newer programme"),
        ("older", "Older programme"),
    ]
    page = dashboard(client, "programme=newer").content.decode()
    assert 'for="programme-filter-programme" class="form-label">\n                Programme\n' in page
    assert '<option value="newer" selected>Newer programme</option>' in page
    assert '<button type="submit" class="btn btn-outline-primary">Show</button>' in page


def test_an_unknown_programme_says_so_beside_the_select_and_shows_all(client, db):
    two_programmes()

    response = dashboard(client, "programme=renamed-long-ago")

    assert response.status_code == 200
    assert response.context["programme_filter"].form.errors == {"programme": [UNKNOWN_PROGRAMME]}
    assert [p.programme.title for p in response.context["pipelines"]] == [
        "Newer programme",
        "Older programme",
    ]
    assert UNKNOWN_PROGRAMME in response.content.decode()


def test_the_staff_navigation_keeps_the_programme_and_all_programmes_clears_it(client, db):
    two_programmes()

    chosen = dashboard(client, "programme=older").content.decode()
    cleared = dashboard(client, "programme=").content.decode()

    for url in ("/staff/", "/staff/outbox/", "/staff/expenses/", "/staff/schedule/"):
        assert f'href="{url}?programme=older"' in chosen
        assert f'href="{url}?programme=older"' not in cleared
        assert f'href="{url}"' in cleared


def test_a_reviewer_still_gets_404_with_a_programme_chosen(client, db):
    from applications.models import ProgrammeReviewer

    newer, _ = two_programmes()
    reviewer = StaffFactory()
    ProgrammeReviewer.objects.create(programme=newer.programme, user=reviewer)
    client.force_login(reviewer)

    assert client.get(f"{DASHBOARD}?programme=newer").status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_the_filtered_dashboard_costs_no_more_than_the_unfiltered(
    client, db, count, django_assert_num_queries
):
    rows = [programme_rows(f"Programme {n}", f"programme-{n}", opened_days_ago=n + 1) for n in range(count)]
    client.force_login(StaffFactory())
    client.get(DASHBOARD)  # content types and the like, cached per process

    # 21 as tests/dashboards/test_manager.py (the budget's 20 and whether this staff account reviews a programme);
    # one fewer with a programme chosen: the sharing events proposed belong to the network, not to a programme.
    with django_assert_num_queries(21):
        unfiltered = client.get(DASHBOARD)
    with django_assert_num_queries(20):
        filtered = client.get(f"{DASHBOARD}?programme={rows[-1].programme.slug}")

    assert len(unfiltered.context["pipelines"]) == count
    assert [p.programme for p in filtered.context["pipelines"]] == [rows[-1].programme]
