"""The admin list's quick renderings write exactly what Django's templates write (issue 24)."""

import re

import pytest
from django import forms
from django.contrib.admin.templatetags.admin_list import result_list
from django.forms.renderers import DjangoTemplates
from django.forms.utils import ErrorList
from django.urls import reverse
from django.utils.safestring import mark_safe

from applications.models import Application, ProgrammeReviewer
from cohort_site.core.admin import QUICK_INPUTS, quick_results
from tests.factories import ApplicationFactory, CohortFactory, ProgrammeFactory, StaffFactory

DJANGO = DjangoTemplates()
ATTRS = {
    "class": "vIntegerField",
    "min": 0,
    "max": 10,
    "aria-label": 'Score for "Ann" <&>, 0 to 10',
    "id": "id_x",
}


@pytest.mark.parametrize("widget", [forms.NumberInput, forms.HiddenInput, forms.TextInput])
@pytest.mark.parametrize("value", [None, "", 0, 7, 'a "b" <c> & d', mark_safe("<b>safe</b>")])
def test_a_plain_input_is_written_as_djangos_template_writes_it(widget, value):
    for attrs in (ATTRS, {"required": True, "disabled": False, "placeholder": None}, {}):
        assert widget().render("form-0-score", value, attrs, QUICK_INPUTS) == widget().render(
            "form-0-score", value, attrs, DJANGO
        )


def test_error_lists_are_written_as_djangos_templates_write_them():
    empty, full = (
        ErrorList(renderer=QUICK_INPUTS),
        ErrorList(["Ensure this value is at most 10."], renderer=QUICK_INPUTS),
    )

    assert (str(empty), str(full)) == (
        str(ErrorList(renderer=DJANGO)),
        str(ErrorList(["Ensure this value is at most 10."], renderer=DJANGO)),
    )
    assert (str(empty), str(full)) == (
        "",
        '<ul class="errorlist"><li>Ensure this value is at most 10.</li></ul>',
    )


def test_other_templates_still_go_through_django():
    class Form(forms.Form):
        ticked = forms.BooleanField(required=False)
        chosen = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])

    assert Form(renderer=QUICK_INPUTS).as_div() == Form(renderer=DJANGO).as_div()


def test_the_menu_of_models_is_built_where_a_page_shows_it(client, db):
    client.force_login(StaffFactory(is_superuser=True))
    applications = reverse("admin:applications_application_changelist")

    programmes = client.get(reverse("admin:applications_programme_changelist")).content.decode()
    app_index = client.get(reverse("admin:app_list", args=["applications"]))
    unknown = client.get("/admin/nothing/")

    assert 'id="nav-sidebar"' in programmes
    assert f'<a href="{applications}">Applications</a>' in programmes
    assert (app_index.status_code, app_index.context["title"], unknown.status_code) == (
        200,
        "Recruitment and selection administration",
        404,
    )
    assert 'id="nav-sidebar"' not in client.get(applications).content.decode()


def rows_as_django_writes_them(cl) -> tuple[list[list[str]], list[str]]:
    written = result_list(cl)
    return [[str(cell) for cell in row] for row in written["results"]], [
        str(field) for field in written["result_hidden_fields"]
    ]


def quick_rows(cl) -> tuple[list[list[str]], list[str]]:
    written = quick_results(cl)
    assert written is not None
    return [[str(cell) for cell in row] for row in written["results"]], [
        str(field) for field in written["result_hidden_fields"]
    ]


@pytest.mark.parametrize(
    ("query", "rows"), [({}, 3), ({"o": "-5.2"}, 3), ({"status__exact": "submitted", "q": "Bea"}, 1)]
)
def test_the_application_list_rows_are_written_as_django_writes_them(client, db, query, rows):
    programme = ProgrammeFactory(title="Relationships")
    group = CohortFactory(programme=programme, number=1, name="Group <1> & “friends”")
    ApplicationFactory(programme=programme, name='Ann "A" <b>&amp;', organisation="Leeds & Co", score=7)
    ApplicationFactory(programme=programme, name="Bea", organisation="  ", cohort=group, score=0)
    ApplicationFactory(programme=programme, name="Cal", organisation="Hull")
    client.force_login(StaffFactory(is_superuser=True))

    cl = client.get(reverse("admin:applications_application_changelist"), query).context["cl"]

    assert len(cl.result_list) == rows
    assert quick_rows(cl) == rows_as_django_writes_them(cl)


def test_a_reviewers_application_list_rows_are_written_as_django_writes_them(client, db):
    programme = ProgrammeFactory()
    reviewer = StaffFactory(organisation="Leeds Befriending")
    ProgrammeReviewer.objects.create(programme=programme, user=reviewer)
    ApplicationFactory(programme=programme, organisation="Hull Food Bank")
    ApplicationFactory(programme=programme, organisation="leeds befriending")
    client.force_login(reviewer)

    cl = client.get(reverse("admin:applications_application_changelist")).context["cl"]

    assert [row[-1] for row in quick_rows(cl)[0]] == [
        '<td class="field-same_organisation">-</td>',
        '<td class="field-same_organisation">Yes: tell the manager</td>',
    ]
    assert quick_rows(cl) == rows_as_django_writes_them(cl)


def test_typed_scores_with_errors_come_back_in_djangos_own_rows(client, db):
    application = ApplicationFactory(programme=ProgrammeFactory(), score=3)
    client.force_login(StaffFactory(is_superuser=True))
    url = reverse("admin:applications_application_changelist")
    data = {"form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 1, "_save": "Save"}

    response = client.post(url, {**data, "form-0-id": application.pk, "form-0-score": "11"})

    assert quick_results(response.context["cl"]) is None
    assert (
        '<td class="field-score"><ul class="errorlist" id="id_form-0-score_error">'
        "<li>Ensure this value is less than or equal to 10.</li></ul>"
    ) in response.content.decode()


def test_the_written_list_posts_its_scores_back(client, db):
    programme = ProgrammeFactory()
    first, second = ApplicationFactory(programme=programme, score=2), ApplicationFactory(programme=programme)
    client.force_login(StaffFactory(is_superuser=True))
    url = reverse("admin:applications_application_changelist")
    page = client.get(url).content.decode()
    sent = dict(re.findall(r'<input type="(?:hidden|number)" name="(form-[^"]+)"(?: value="([^"]*)")?', page))

    response = client.post(url, {**sent, "form-1-score": "9", "_save": "Save"})

    assert sent == {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(first.pk),
        "form-0-score": "2",
        "form-1-id": str(second.pk),
        "form-1-score": "",
    }
    assert response.status_code == 302
    assert sorted(Application.objects.values_list("pk", "score")) == [(first.pk, 2), (second.pk, 9)]
