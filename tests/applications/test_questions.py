"""A programme's own application questions (issue 20): asked on the form in their sections, validated by kind,
shown and changed through the private link, emailed, read by the manager (filters, CSV), exported and erased; an
answered question is hidden rather than deleted, and its rewording is recorded."""

import csv
import datetime
import io

import pytest
from django import forms
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications.enums import QuestionKind, QuestionSection
from applications.links import application_token
from applications.models import Application, Question, QuestionAnswer, QuestionLabelChange
from applications.page_cache import VERSION_KEY, public_pages_version
from applications.services import application_submit, question_delete, question_save, questions_copy
from cohort_site.core.data_subjects import DataSubject, personal_data_erase, personal_data_export
from cohort_site.core.templatetags.site_tags import error_anchor
from tests.factories import ApplicationFactory, ProgrammeFactory, QuestionFactory, StaffFactory, UserFactory

from .conftest import apply_data

pytestmark = pytest.mark.usefixtures("during_applications")


def apply_url(programme):
    return reverse("applications:apply", kwargs={"slug": programme.slug})


def field(question: Question) -> str:
    return f"question_{question.pk}"


@pytest.fixture
def staff_client(client, db):
    staff = StaffFactory(is_superuser=True, name="Zoë Cumberland")
    client.force_login(staff)
    client.staff = staff
    return client


def ask(programme, kind: str, **extra) -> Question:
    if kind in (QuestionKind.ONE_CHOICE, QuestionKind.SEVERAL_CHOICES):
        extra.setdefault("choices", "Befriending\nFood bank\nYouth work")
    return QuestionFactory(
        programme=programme, kind=kind, label=extra.pop("label", f"The {kind} one"), **extra
    )


# --- Each kind, on the form ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "extra", "posted", "stored"),
    [
        (QuestionKind.SHORT_TEXT, {}, "Kirklees", "Kirklees"),
        (QuestionKind.LONG_TEXT, {"max_length": 20}, "Two\r\nlines", "Two\nlines"),
        (QuestionKind.ONE_CHOICE, {}, "Food bank", "Food bank"),
        (QuestionKind.SEVERAL_CHOICES, {}, ["Befriending", "Youth work"], "Befriending\nYouth work"),
        (QuestionKind.YES_NO, {}, "no", "no"),
        (QuestionKind.DATE, {}, "2021-09-17", "2021-09-17"),
        (QuestionKind.DATE, {}, "17/09/2021", "2021-09-17"),
    ],
)
def test_apply_stores_a_good_answer_of_each_kind(client, programme, kind, extra, posted, stored):
    question = ask(programme, kind, **extra)

    response = client.post(apply_url(programme), apply_data(programme, **{field(question): posted}))

    assert response.status_code == 302
    assert list(QuestionAnswer.objects.values_list("question", "text")) == [(question.pk, stored)]


@pytest.mark.parametrize(
    ("kind", "extra", "posted", "message"),
    [
        (QuestionKind.SHORT_TEXT, {"required": True}, "", "Answer “Q”."),
        (
            QuestionKind.SHORT_TEXT,
            {},
            "x" * 201,
            "Please shorten this to 200 characters or fewer (it has 201).",
        ),
        (QuestionKind.SHORT_TEXT, {}, "one\ntwo", None),
        (
            QuestionKind.LONG_TEXT,
            {"max_length": 20},
            "y" * 21,
            "Please shorten this to 20 characters or fewer (it has 21).",
        ),
        (QuestionKind.LONG_TEXT, {"required": True}, "", "Answer “Q”."),
        (QuestionKind.ONE_CHOICE, {}, "Knitting", "Choose one of the answers given."),
        (QuestionKind.ONE_CHOICE, {"required": True}, "", "Choose an answer for “Q”."),
        (QuestionKind.SEVERAL_CHOICES, {}, ["Befriending", "Knitting"], "Choose from the answers given."),
        (QuestionKind.SEVERAL_CHOICES, {"required": True}, [], "Choose at least one answer for “Q”."),
        (QuestionKind.YES_NO, {}, "maybe", "Choose one of the answers given."),
        (QuestionKind.YES_NO, {"required": True}, "", "Choose an answer for “Q”."),
        (QuestionKind.DATE, {}, "31/02/2021", "Enter a real date, like 21/07/2026."),
        (QuestionKind.DATE, {"required": True}, "", "Enter a date for “Q”."),
    ],
)
def test_apply_refuses_a_bad_answer_of_each_kind_next_to_it_keeping_what_was_typed(
    client, programme, kind, extra, posted, message
):
    question = ask(programme, kind, label="Q", **extra)
    data = apply_data(programme, hopes="Ideas for our volunteers, kept", **{field(question): posted})

    response = client.post(apply_url(programme), data)

    errors = response.context["form"].errors
    if message is None:  # a line break in a one-line answer: the shared check of what text may contain
        assert list(errors) == [field(question)]
    else:
        assert errors == {field(question): [message]}
    assert Application.objects.count() == 0
    content = response.content.decode()
    assert "Ideas for our volunteers, kept" in content
    anchor = error_anchor(response.context["form"][field(question)])  # its control, or its first option
    assert f'<a class="alert-link" href="#{anchor}">' in content  # the error summary links to the question


def test_apply_form_shows_visible_questions_in_their_sections_in_order_with_hints_and_marks(
    client, programme
):
    later = ask(
        programme, QuestionKind.SHORT_TEXT, label="Your borough", order=5, section=QuestionSection.ABOUT_YOU
    )
    first = ask(
        programme,
        QuestionKind.LONG_TEXT,
        label="Your neighbourhood",
        order=1,
        section=QuestionSection.ABOUT_YOU,
        hint="Where you do most of your work.",
        required=True,
    )
    hidden = ask(programme, QuestionKind.SHORT_TEXT, label="An old question", hidden=True)
    further = ask(programme, QuestionKind.YES_NO, label="Have you been in a group before?")
    support = ask(programme, QuestionKind.DATE, label="When can you start?", section=QuestionSection.SUPPORT)

    response = client.get(apply_url(programme))

    form = response.context["form"]
    assert [name for name in form.fields if name.startswith("question_")] == [
        field(first),
        field(later),
        field(support),
        field(further),
    ]
    assert [f.name for f in form.sections()[0][2]][-2:] == [field(first), field(later)]
    assert [f.name for f in form.support_questions()] == [field(support)]
    assert [f.name for f in form.further_questions()] == [field(further)]
    widgets = {name: type(form.fields[name].widget) for name in form.fields if name.startswith("question_")}
    assert widgets == {
        field(first): forms.Textarea,
        field(later): forms.TextInput,
        field(support): forms.DateInput,
        field(further): forms.RadioSelect,
    }
    content = response.content.decode()
    assert "An old question" not in content
    assert field(hidden) not in content
    assert "Where you do most of your work. Up to 3,000 characters." in content
    assert "<legend>A few more questions</legend>" in content
    assert form.fields[field(first)].required is True


@pytest.mark.parametrize("count", [1, 3])
def test_apply_form_get_reads_the_questions_once(client, programme, django_assert_num_queries, count):
    for number in range(count):
        ask(programme, QuestionKind.ONE_CHOICE, label=f"Question {number}")
    client.force_login(UserFactory())  # signed in: the page is rendered, not taken from the cache
    client.get(apply_url(programme))  # warmed: one-off lookups

    # session, user, the programme, the member organisations, the candidate times, the questions
    with django_assert_num_queries(6):
        response = client.get(apply_url(programme))

    assert len(response.context["form"].questions) == count


def test_page_cache_is_invalidated_when_a_question_is_added_changed_or_deleted(programme):
    seen = []
    cache.set(VERSION_KEY, "before", timeout=None)
    question = ask(programme, QuestionKind.SHORT_TEXT)
    seen.append(public_pages_version())
    cache.set(VERSION_KEY, "before", timeout=None)
    question.label = "Reworded"
    question.save()
    seen.append(public_pages_version())
    cache.set(VERSION_KEY, "before", timeout=None)
    question.delete()
    seen.append(public_pages_version())

    assert [version == "before" for version in seen] == [False, False, False]


def test_confirmation_email_and_private_link_show_the_answers(
    client, programme, django_capture_on_commit_callbacks
):
    several = ask(programme, QuestionKind.SEVERAL_CHOICES, label="What do you run?")
    when = ask(programme, QuestionKind.DATE, label="When can you start?")
    data = apply_data(programme, **{field(several): ["Befriending", "Food bank"], field(when): "2021-09-06"})

    with django_capture_on_commit_callbacks(execute=True):
        client.post(apply_url(programme), data)
    application = Application.objects.get()
    page = client.get(reverse("applications:private", kwargs={"token": application_token(application)}))

    body = mail.outbox[0].body
    assert "What do you run?\nBefriending; Food bank\n" in body
    assert "When can you start?\n6 September\n" in body  # this year's date, without its year
    assert [
        row for row in page.context["answers"] if row[0] in ("What do you run?", "When can you start?")
    ] == [
        ("What do you run?", "Befriending; Food bank"),
        ("When can you start?", "6 September"),
    ]


def test_private_link_edit_shows_and_changes_answers_and_keeps_those_to_hidden_questions(
    client, programme, django_assert_num_queries
):
    kept = ask(programme, QuestionKind.SHORT_TEXT, label="Soon hidden")
    changed = ask(programme, QuestionKind.ONE_CHOICE, label="Your work")
    emptied = ask(programme, QuestionKind.SHORT_TEXT, label="Optional")
    data = {field(kept): "Kept answer", field(changed): "Befriending", field(emptied): "Something"}
    client.post(apply_url(programme), apply_data(programme, **data))
    application = Application.objects.get()
    kept.hidden = True
    kept.save()
    edit = reverse("applications:edit", kwargs={"token": application_token(application)})

    page = client.get(edit)
    response = client.post(
        edit, apply_data(programme, email=None, **{field(changed): "Youth work", field(emptied): ""})
    )

    assert page.context["form"].fields[field(changed)].initial == "Befriending"
    assert field(kept) not in page.context["form"].fields
    assert response.status_code == 302
    assert sorted(application.question_answers.values_list("question__label", "text")) == [
        ("Soon hidden", "Kept answer"),
        ("Your work", "Youth work"),
    ]


def test_service_refuses_an_answer_that_does_not_fit_its_question(programme):
    question = ask(programme, QuestionKind.ONE_CHOICE, label="Your work")
    times = {time.pk: "yes" for time in programme.candidate_times.all()}
    answers = apply_data(programme)

    with pytest.raises(ValidationError) as refused:
        application_submit(
            programme=programme,
            email="asha@example.org",
            answers=answers,
            availability=times,
            submission_token="8d8f3c1e-2f43-4a8e-9a3b-5c1d2e3f4a5b",
            question_answers={question.pk: "Knitting"},
        )

    assert refused.value.messages == ["Choose from the answers given for “Your work”."]
    assert Application.objects.count() == 0


# --- The manager's side -----------------------------------------------------------------------------------


def change_form_data(response) -> dict:
    """The admin change page's forms as a browser would post them, unchanged."""
    data: dict = {}

    def add(form):
        for bound in form:
            widget, value = bound.field.widget, bound.value()
            if isinstance(widget, forms.MultiWidget):
                parts = value if isinstance(value, list) else widget.decompress(value)
                for index, part in enumerate(parts):
                    data[f"{bound.html_name}_{index}"] = "" if part is None else str(part)
            elif isinstance(widget, forms.CheckboxInput):
                if value:
                    data[bound.html_name] = "on"
            elif value is not None:
                data[bound.html_name] = bound.field.prepare_value(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


def programme_change(staff_client, programme, **changes):
    url = reverse("admin:applications_programme_change", args=[programme.pk])
    data = change_form_data(staff_client.get(url))
    data.update(changes)
    return staff_client.post(url, data)


def test_admin_refuses_to_delete_an_answered_question_and_deletes_an_unanswered_one(staff_client, programme):
    answered = ask(programme, QuestionKind.SHORT_TEXT, label="Answered", order=1)
    unanswered = ask(programme, QuestionKind.SHORT_TEXT, label="Unanswered", order=2)
    QuestionAnswer.objects.create(
        application=ApplicationFactory(programme=programme), question=answered, text="A"
    )

    refused = programme_change(staff_client, programme, **{"questions-0-DELETE": "on"})
    deleted = programme_change(staff_client, programme, **{"questions-1-DELETE": "on"})

    assert refused.status_code == 200
    assert (
        "People have answered this question, so it cannot be deleted: tick “Hidden” to stop asking it."
        in refused.content.decode()
    )
    assert deleted.status_code == 302
    assert list(programme.questions.values_list("label", flat=True)) == ["Answered"]
    assert unanswered.pk not in Question.objects.values_list("pk", flat=True)


def test_question_delete_service_refuses_an_answered_question(programme):
    question = ask(programme, QuestionKind.SHORT_TEXT)
    QuestionAnswer.objects.create(
        application=ApplicationFactory(programme=programme), question=question, text="A"
    )

    with pytest.raises(ValidationError) as refused:
        question_delete(question=question)

    assert refused.value.messages == [
        "People have answered this question, so it cannot be deleted: tick “Hidden” to stop asking it."
    ]
    assert Question.objects.filter(pk=question.pk).exists() is True


def test_admin_records_a_rewording_once_answered_and_hides_keeping_answers(staff_client, programme):
    answered = ask(programme, QuestionKind.SHORT_TEXT, label="Where do you work?", order=1)
    fresh = ask(programme, QuestionKind.SHORT_TEXT, label="Fresh", order=2)
    QuestionAnswer.objects.create(
        application=ApplicationFactory(programme=programme), question=answered, text="A"
    )

    response = programme_change(
        staff_client,
        programme,
        **{
            "questions-0-label": "Which borough do you work in?",
            "questions-0-hidden": "on",
            "questions-1-label": "Fresh, reworded",
        },
    )

    assert response.status_code == 302
    assert list(
        QuestionLabelChange.objects.values_list("question", "old_label", "new_label", "changed_by")
    ) == [(answered.pk, "Where do you work?", "Which borough do you work in?", staff_client.staff.pk)]
    answered.refresh_from_db()
    fresh.refresh_from_db()
    assert (answered.label, answered.hidden, fresh.label) == (
        "Which borough do you work in?",
        True,
        "Fresh, reworded",
    )
    assert list(answered.answers.values_list("text", flat=True)) == ["A"]


def test_question_save_records_who_reworded_and_when(programme):
    staff = StaffFactory()
    question = ask(programme, QuestionKind.SHORT_TEXT, label="Old")
    QuestionAnswer.objects.create(
        application=ApplicationFactory(programme=programme), question=question, text="A"
    )
    when = datetime.datetime(2021, 7, 2, 9, tzinfo=datetime.UTC)

    question.label = "New"
    question_save(question=question, by=staff, now=when)

    assert list(question.label_changes.values_list("old_label", "new_label", "changed_by", "changed_at")) == [
        ("Old", "New", staff.pk, when)
    ]


def test_admin_refuses_a_choice_question_without_choices(staff_client, programme):
    ask(programme, QuestionKind.SHORT_TEXT, label="Soon a choice")

    response = programme_change(staff_client, programme, **{"questions-0-kind": QuestionKind.ONE_CHOICE})

    assert response.status_code == 200
    assert "Give at least two different choices, one a line." in response.content.decode()


def test_copy_questions_from_another_programme_twice_copies_once(staff_client, programme):
    source = ProgrammeFactory(title="Last year")
    ask(source, QuestionKind.YES_NO, label="Been before?", order=1, required=True)
    ask(source, QuestionKind.ONE_CHOICE, label="Your work", order=2, hidden=True)
    ask(programme, QuestionKind.SHORT_TEXT, label="Own", order=3)
    url = reverse("admin:applications_programme_changelist")
    post = {"action": "copy_questions", "_selected_action": [programme.pk], "source": source.pk}

    asked = staff_client.post(url, {"action": "copy_questions", "_selected_action": [programme.pk]})
    first = staff_client.post(url, post)
    again = staff_client.post(url, post)

    assert asked.status_code == 200
    assert "Copy the questions of" in asked.content.decode()
    assert (first.status_code, again.status_code) == (302, 302)
    assert list(programme.questions.values_list("label", "kind", "order", "required", "hidden")) == [
        ("Own", "short_text", 3, False, False),
        ("Been before?", "yes_no", 5, True, False),
        ("Your work", "one_choice", 6, False, True),
    ]
    assert questions_copy(source=source, target=programme) == 0


@pytest.fixture
def answered(programme):
    """Three applications answering a several-choices question and a date question."""
    work = ask(programme, QuestionKind.SEVERAL_CHOICES, label="Your work", order=1)
    start = ask(programme, QuestionKind.DATE, label="Start", order=2)
    people = []
    for name, chosen in [("Ann", "Befriending\nFood bank"), ("Bo", "Food bank"), ("Cy", "Youth work")]:
        application = ApplicationFactory(programme=programme, name=name)
        QuestionAnswer.objects.create(application=application, question=work, text=chosen)
        people.append(application)
    QuestionAnswer.objects.create(application=people[0], question=start, text="2021-09-06")
    return work, start, people


def test_application_list_filters_by_a_choice_answer(staff_client, answered):
    work, _start, _people = answered
    url = reverse("admin:applications_application_changelist")

    food = staff_client.get(url, {f"question_{work.pk}": "Food bank"}).context["cl"].result_list
    youth = staff_client.get(url, {f"question_{work.pk}": "Youth work"}).context["cl"].result_list

    assert (sorted(a.name for a in food), [a.name for a in youth]) == (["Ann", "Bo"], ["Cy"])


@pytest.mark.parametrize("count", [1, 3])
def test_application_changelist_queries_with_questions(
    staff_client, programme, django_assert_num_queries, count
):
    for number in range(count):
        ask(programme, QuestionKind.ONE_CHOICE, label=f"Question {number}")
    ApplicationFactory(programme=programme)

    # session, user, the count, the page of rows, the programme and group filters, the choice questions
    with django_assert_num_queries(7):
        response = staff_client.get(reverse("admin:applications_application_changelist"))

    assert len([f for f in response.context["cl"].filter_specs if f.title.startswith("Question")]) == count


def test_application_change_page_shows_the_answers(staff_client, answered):
    _work, _start, people = answered

    content = staff_client.get(
        reverse("admin:applications_application_change", args=[people[0].pk])
    ).content.decode()

    assert "<dt>Your work</dt><dd>Befriending; Food bank</dd><dt>Start</dt><dd>6 September</dd>" in content


def test_csv_has_one_column_per_question(staff_client, answered):
    _work, _start, people = answered

    response = staff_client.post(
        reverse("admin:applications_application_changelist"),
        {"action": "export_csv", "_selected_action": [p.pk for p in people]},
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-2:] == ["Your work", "Start"]
    assert [(row[4], row[-2], row[-1]) for row in rows[1:]] == [
        ("Ann", "Befriending; Food bank", "2021-09-06"),
        ("Bo", "Food bank", ""),
        ("Cy", "Youth work", ""),
    ]


def test_json_export_holds_the_answers_and_erasure_removes_only_the_persons(answered):
    work, _start, people = answered
    ann = people[0]
    subject = DataSubject(email=ann.email, user=None)

    exported = personal_data_export(subject)["data"]["applications"]["answers_to_programme_questions"]
    personal_data_erase(subject)

    assert [(row["question__label"], row["text"]) for row in exported] == [
        ("Your work", "Befriending\nFood bank"),
        ("Start", "2021-09-06"),
    ]
    assert list(
        QuestionAnswer.objects.order_by("application__name").values_list("application__name", "text")
    ) == [
        ("Bo", "Food bank"),
        ("Cy", "Youth work"),
    ]
    assert Question.objects.filter(pk=work.pk).exists() is True


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"questions-0-kind": QuestionKind.SEVERAL_CHOICES},
            "People have answered this question, so its kind cannot change: hide it and add a new question "
            "instead.",
        ),
        (
            {"questions-0-choices": "Befriending\nYouth work"},
            "People chose “Food bank”, so it stays among the choices (hide the question and add a new one to ask "
            "something else).",
        ),
    ],
)
def test_admin_refuses_an_edit_that_leaves_answers_without_a_question_they_fit(
    staff_client, programme, changes, message
):
    question = ask(programme, QuestionKind.ONE_CHOICE, label="Your work")
    QuestionAnswer.objects.create(
        application=ApplicationFactory(programme=programme), question=question, text="Food bank"
    )

    response = programme_change(staff_client, programme, **changes)

    assert response.status_code == 200
    assert message in response.content.decode()
    question.refresh_from_db()
    assert (question.kind, question.choice_list) == ("one_choice", ["Befriending", "Food bank", "Youth work"])


def test_admin_allows_new_choices_and_rewording_of_an_answered_choice_question(staff_client, programme):
    question = ask(programme, QuestionKind.ONE_CHOICE, label="Your work")
    QuestionAnswer.objects.create(
        application=ApplicationFactory(programme=programme), question=question, text="Food bank"
    )

    response = programme_change(
        staff_client,
        programme,
        **{"questions-0-choices": "Food bank\nArts", "questions-0-label": "What do you run?"},
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.label, question.choice_list) == ("What do you run?", ["Food bank", "Arts"])


def test_question_save_refuses_a_change_of_kind_once_answered(programme):
    question = ask(programme, QuestionKind.SHORT_TEXT)
    QuestionAnswer.objects.create(
        application=ApplicationFactory(programme=programme), question=question, text="A"
    )

    question.kind = QuestionKind.DATE
    with pytest.raises(ValidationError) as refused:
        question_save(question=question)

    assert refused.value.messages == [
        "People have answered this question, so its kind cannot change: hide it and add a new question instead."
    ]


# --- Marked to show beside what they hoped, or to count in the report -------------------------------------

ONE_BESIDE_HOPES = "Only one question of a programme can be shown beside what they hoped: untick it on the other question first."


def test_admin_refuses_two_questions_beside_hopes_in_one_save(staff_client, programme):
    ask(programme, QuestionKind.LONG_TEXT, label="What do you hope for?", order=1)
    ask(programme, QuestionKind.SHORT_TEXT, label="Your borough", order=2)

    response = programme_change(
        staff_client,
        programme,
        **{"questions-0-shown_beside_hopes": "on", "questions-1-shown_beside_hopes": "on"},
    )

    assert response.status_code == 200
    [questions] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "questions"
    ]
    assert questions.non_form_errors() == [ONE_BESIDE_HOPES]
    assert list(programme.questions.filter(shown_beside_hopes=True)) == []


def test_admin_refuses_a_second_question_beside_hopes_and_keeps_the_first(staff_client, programme):
    first = ask(programme, QuestionKind.LONG_TEXT, label="What do you hope for?", order=1)

    ticked = programme_change(staff_client, programme, **{"questions-0-shown_beside_hopes": "on"})
    ask(programme, QuestionKind.SHORT_TEXT, label="Your borough", order=2)
    refused = programme_change(staff_client, programme, **{"questions-1-shown_beside_hopes": "on"})

    assert (ticked.status_code, refused.status_code) == (302, 200)
    assert ONE_BESIDE_HOPES in refused.content.decode()
    assert list(programme.questions.filter(shown_beside_hopes=True)) == [first]


def test_question_save_refuses_a_second_question_beside_hopes(programme):
    ask(programme, QuestionKind.LONG_TEXT, shown_beside_hopes=True)
    second = ask(programme, QuestionKind.SHORT_TEXT)
    elsewhere = ask(ProgrammeFactory(), QuestionKind.SHORT_TEXT)

    second.shown_beside_hopes = elsewhere.shown_beside_hopes = True
    with pytest.raises(ValidationError) as refused:
        question_save(question=second)
    question_save(question=elsewhere)

    assert refused.value.messages == [ONE_BESIDE_HOPES]
    assert Question.objects.filter(shown_beside_hopes=True).count() == 2


def test_admin_counts_in_the_report_only_a_choice_or_yes_no_question(staff_client, programme):
    ask(programme, QuestionKind.SHORT_TEXT, label="Your borough", order=1)
    ask(programme, QuestionKind.YES_NO, label="Been before?", order=2)
    ask(programme, QuestionKind.SEVERAL_CHOICES, label="Your work", order=3)

    refused = programme_change(staff_client, programme, **{"questions-0-counted_in_report": "on"})
    counted = programme_change(
        staff_client,
        programme,
        **{"questions-1-counted_in_report": "on", "questions-2-counted_in_report": "on"},
    )

    assert (refused.status_code, counted.status_code) == (200, 302)
    assert (
        "Only a one choice, several choices or yes or no question can be counted in the report."
        in refused.content.decode()
    )
    assert list(programme.questions.filter(counted_in_report=True).values_list("label", flat=True)) == [
        "Been before?",
        "Your work",
    ]


def test_copy_questions_carries_the_marks_but_not_a_second_beside_hopes(programme):
    source = ProgrammeFactory(title="Last year")
    ask(source, QuestionKind.LONG_TEXT, label="Hopes", order=1, shown_beside_hopes=True)
    ask(source, QuestionKind.YES_NO, label="Been before?", order=2, counted_in_report=True)
    fresh, taken = ProgrammeFactory(title="Fresh"), ProgrammeFactory(title="Taken")
    ask(taken, QuestionKind.LONG_TEXT, label="Own hopes", order=1, shown_beside_hopes=True)

    questions_copy(source=source, target=fresh)
    questions_copy(source=source, target=taken)

    marks = ["label", "shown_beside_hopes", "counted_in_report"]
    assert list(fresh.questions.values_list(*marks)) == [
        ("Hopes", True, False),
        ("Been before?", False, True),
    ]
    assert list(taken.questions.values_list(*marks)) == [
        ("Own hopes", True, False),
        ("Hopes", False, False),
        ("Been before?", False, True),
    ]
