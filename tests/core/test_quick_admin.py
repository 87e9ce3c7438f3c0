"""The admin list's quick renderings write exactly what Django's templates write (issue 24)."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.utils import ErrorList
from django.urls import reverse
from django.utils.safestring import mark_safe

from cohort_site.core.admin import QUICK_INPUTS
from tests.factories import StaffFactory

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
