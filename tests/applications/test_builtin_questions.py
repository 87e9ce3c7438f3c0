"""The form's built-in questions as an editable default set (issue 20): each programme has a row per built-in
question (made for a new programme and by the migration), which the manager rewords, moves, hides or makes
optional where it is safe; a programme without rows asks today's form exactly."""

import csv
import importlib
import io
import re

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from applications.enums import QuestionKind, QuestionSection
from applications.links import application_token
from applications.models import Application, Question, QuestionLabelChange
from applications.questions.defaults import DEFAULTS
from applications.questions.models import ALWAYS_ASKED, ONE_GRID
from applications.selectors import form_questions
from applications.services import (
    APPLICANT_FIELDS,
    application_submit,
    builtin_questions_ensure,
    question_delete,
    question_save,
    questions_copy,
)
from tests.factories import ApplicationFactory, ProgrammeFactory, QuestionFactory, StaffFactory

from .conftest import apply_data
from .form_outline import form_outline
from .test_questions import change_form_data, programme_change

pytestmark = pytest.mark.usefixtures("during_applications")

# The form as it was before its built-in questions became rows (taken from the page before the change): every
# heading, label (* when it needs an answer), hint and weekly time, in order.
TODAYS_FORM = [
    ("heading", "About you"),
    ("label", "Your name*"),
    ("label", "Email address*"),
    ("hint", "We send a copy of your answers and your private link here."),
    ("label", "Organisation*"),
    ("hint", "The Connection Coalition member organisation you work for. Start typing to see suggestions."),
    ("label", "Your role*"),
    ("hint", "Your job title or what you do, e.g. community connector, volunteer coordinator."),
    ("heading", "Which describes you best?*"),
    (
        "hint",
        "The group is for active practitioners, in a front-line role or designing and developing front-line interventions.",
    ),
    ("label", "Where do you work?"),
    ("hint", "Groups meet online; this helps us bring together people from across the country. Optional."),
    ("heading", "Your work and learning"),
    ("label", "What did your organisation do during the pandemic?*"),
    (
        "hint",
        "How your organisation has supported individuals and communities during the pandemic: new partnerships, volunteers, changes to your work. Up to 3,000 characters.",
    ),
    ("label", "What learning have you or your organisation gained?*"),
    (
        "hint",
        "Some ideas of learning you or your organisation have gained during the pandemic. Up to 3,000 characters.",
    ),
    ("heading", "Why you want to take part"),
    ("label", "Why do you want to take part?*"),
    (
        "hint",
        "This helps us shape the community around members' needs from the start. Up to 3,000 characters.",
    ),
    ("label", "What do you hope to achieve?*"),
    ("hint", "What you would like to have gained by the end of the six weeks. Up to 3,000 characters."),
    ("label", "A challenge or question you would like to bring (optional)"),
    (
        "hint",
        "A specific challenge or question around putting relationships and connections at the heart of your work. It doesn't have to be perfectly formed: ideas, questions and curiosity are great. Up to 3,000 characters.",
    ),
    ("label", "Share my challenge with my coffee pair"),
    ("hint", "Your coffee pair will see it, to start a conversation."),
    ("heading", "When can you meet?"),
    (
        "introduction",
        "Sessions are 6 × 2 hours, weekly, at one regular time that suits most of the group. For each time (UK time), say whether it suits you. Please answer “yes” to at least 2.",
    ),
    ("time", "Monday 10:00–12:00"),
    ("time", "Tuesday 14:00–16:00"),
    ("time", "Wednesday 10:00–12:00"),
    ("heading", "Support and commitments"),
    (
        "introduction",
        "We don't have a vision of the perfect group member; we'd like everyone to share these.",
    ),
    ("label", "My organisation supports me to attend*"),
    (
        "hint",
        "Sessions are 6 × 2 hours weekly, plus short coffee-pair meetings and a couple of hours of self-directed learning: 2–3 days over 6 weeks.",
    ),
    ("label", "My wider team is open to new ideas"),
    (
        "hint",
        "The group has most impact if you can talk with your team about your learning and try things out.",
    ),
    (
        "label",
        "I commit to showing up with openness, honesty, a lack of judgement, playfulness and positivity*",
    ),
    ("label", "I commit to sharing feedback and learning as we go*"),
    (
        "hint",
        "Giving feedback to shape the sessions, and contributing to what we share with the wider network: perhaps a blog, a survey or an online session.",
    ),
    ("heading", "Access and consent"),
    ("label", "Accessibility needs (optional)"),
    (
        "hint",
        "Anything that would help you take part fully: captions, breaks, materials in advance. Optional. Up to 1,000 characters.",
    ),
    (
        "label",
        "I agree to my answers being stored and used to select and run the group, as the privacy notice describes.*",
    ),
    ("label", "Leave this field empty"),
]


def apply_url(programme):
    return reverse("applications:apply", kwargs={"slug": programme.slug})


def outline(client, programme) -> list[tuple[str, str]]:
    response = client.get(apply_url(programme))
    assert response.status_code == 200
    return form_outline(response.content.decode())


def builtin(programme, key: str) -> Question:
    return programme.questions.get(builtin=key)


def reword(programme, key: str, **changes) -> Question:
    builtin_questions_ensure(programme=programme)
    question = builtin(programme, key)
    for name, value in changes.items():
        setattr(question, name, value)
    question.full_clean()
    question.save()
    return question


@pytest.fixture
def staff_client(client, db):
    client.force_login(StaffFactory(is_superuser=True))
    return client


# --- Nothing changes for the demo ------------------------------------------------------------------------------


def test_a_programme_without_rows_asks_todays_form(client, programme):
    assert outline(client, programme) == TODAYS_FORM


def test_a_programme_with_the_default_rows_asks_todays_form(client, programme):
    made = builtin_questions_ensure(programme=programme)

    assert made == 17
    assert outline(client, programme) == TODAYS_FORM


# --- The default rows --------------------------------------------------------------------------------------------


def test_default_rows_are_the_briefs_wording_and_made_once(programme):
    builtin_questions_ensure(programme=programme)
    again = builtin_questions_ensure(programme=programme)

    assert again == 0
    assert list(
        programme.questions.values_list("builtin", "kind", "label", "hint", "required", "section", "order")
    ) == [(d.key, d.kind, d.label, d.hint, d.required, d.section, 0) for d in DEFAULTS]
    assert list(
        programme.questions.filter(kind=QuestionKind.LONG_TEXT).values_list("builtin", "max_length")
    ) == [
        ("pandemic_work", 3000),
        ("learning_gained", 3000),
        ("motivation", 3000),
        ("hopes", 3000),
        ("challenge", 3000),
        ("accessibility_needs", 1000),
    ]


def test_the_migration_gives_every_existing_programme_the_default_rows_once(programme):
    other = ProgrammeFactory()
    reword(other, "motivation", label="Why this group?")
    migration = importlib.import_module("applications.migrations.0019_builtin_question_rows")

    migration.add_rows(apps, None)
    migration.add_rows(apps, None)

    assert list(programme.questions.values_list("builtin", "label")) == [(d.key, d.label) for d in DEFAULTS]
    assert other.questions.count() == 17
    assert builtin(other, "motivation").label == "Why this group?"


def test_a_programme_added_in_the_admin_gets_the_default_rows(staff_client):
    template = ProgrammeFactory(slug="template-programme", title="Template")
    data = change_form_data(
        staff_client.get(reverse("admin:applications_programme_change", args=[template.pk]))
    )
    data.update(slug="new-programme", title="New programme")
    data = {key: value for key, value in data.items() if not key.endswith(("-id", "-programme"))}

    response = staff_client.post(reverse("admin:applications_programme_add"), data)

    added = template._meta.model.objects.get(slug="new-programme")
    assert response.status_code == 302
    assert list(added.questions.values_list("builtin", flat=True)) == [d.key for d in DEFAULTS]
    assert template.questions.count() == 0


# --- The manager's changes show on the form, in the copy of the answers, and in the messages -----------------------


def test_a_reworded_builtin_shows_on_the_form_the_email_and_the_private_page(
    client, programme, django_capture_on_commit_callbacks
):
    reword(programme, "motivation", label="What draws you to this group?", hint="A sentence or two.")

    page = outline(client, programme)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(programme), apply_data(programme))
    application = Application.objects.get()
    private = client.get(reverse("applications:private", kwargs={"token": application_token(application)}))

    assert page[page.index(("heading", "Why you want to take part")) + 1 :][:2] == [
        ("label", "What draws you to this group?*"),
        ("hint", "A sentence or two. Up to 3,000 characters."),
    ]
    assert response.status_code == 302
    assert application.motivation == "To learn from peers."
    assert "What draws you to this group?\nTo learn from peers.\n" in mail.outbox[0].body
    assert "Why you want to take part:" not in mail.outbox[0].body
    assert "What draws you to this group?" in private.content.decode()


def test_a_reworded_builtin_left_empty_is_named_in_its_message(client, programme):
    reword(programme, "motivation", label="What draws you to this group?")

    response = client.post(apply_url(programme), apply_data(programme, motivation=""))

    assert response.status_code == 200
    assert response.context["form"].errors["motivation"] == ["Answer “What draws you to this group?”."]


def test_an_unchanged_builtin_keeps_the_briefs_message(client, programme):
    builtin_questions_ensure(programme=programme)

    response = client.post(apply_url(programme), apply_data(programme, motivation=""))

    assert response.context["form"].errors["motivation"] == ["Tell us why you want to take part."]


def test_a_hidden_optional_builtin_is_not_asked_and_the_application_still_submits(client, programme):
    reword(programme, "learning_gained", hidden=True)
    data = apply_data(programme)
    del data["learning_gained"]

    page = outline(client, programme)
    response = client.post(apply_url(programme), data)

    assert ("label", "What learning have you or your organisation gained?*") not in page
    assert page[page.index(("heading", "Your work and learning")) :][3] == (
        "heading",
        "Why you want to take part",
    )
    assert response.status_code == 302
    assert Application.objects.get().learning_gained == ""


def test_a_commitment_made_optional_or_hidden_is_not_required_by_the_form_nor_the_service(client, programme):
    reword(programme, "commits_to_openness", required=False)
    reword(programme, "commits_to_sharing", hidden=True)
    data = apply_data(programme)
    del data["commits_to_openness"], data["commits_to_sharing"]

    page = outline(client, programme)
    response = client.post(apply_url(programme), data)

    assert (
        "label",
        "I commit to showing up with openness, honesty, a lack of judgement, playfulness and positivity",
    ) in page
    assert ("label", "I commit to sharing feedback and learning as we go*") not in page
    assert response.status_code == 302
    assert Application.objects.values_list("commits_to_openness", "commits_to_sharing").get() == (
        False,
        False,
    )


def test_the_service_requires_what_the_form_requires(programme):
    reword(programme, "hopes", label="Your hopes")
    times = programme.candidate_times.order_by("weekday")
    answers = dict.fromkeys(APPLICANT_FIELDS, "x") | {
        "hopes": "",
        "commits_to_openness": True,
        "commits_to_sharing": False,
        "organisation_support": True,
    }

    with pytest.raises(ValidationError) as refused:
        application_submit(
            programme=programme,
            email="asha@example.org",
            answers=answers,
            availability={time.pk: "yes" for time in times},
            submission_token="8d8f3c1e-2f43-4a8e-9a3b-5c1d2e3f4a5b",
        )

    assert refused.value.messages == [
        "Answer “Your hopes”.",
        "Tick to confirm you will share feedback and learning as we go.",
    ]
    assert Application.objects.count() == 0


def test_a_hidden_builtin_keeps_its_earlier_answer_when_the_applicant_edits(client, programme):
    application = ApplicationFactory(programme=programme, learning_gained="Kept", commits_to_openness=True)
    reword(programme, "learning_gained", hidden=True)
    url = reverse("applications:edit", kwargs={"token": application_token(application)})
    data = apply_data(programme, email=None, hopes="Changed")
    del data["learning_gained"]

    response = client.post(url, data)

    application.refresh_from_db()
    assert response.status_code == 302
    assert (application.hopes, application.learning_gained) == ("Changed", "Kept")


def test_a_builtin_moved_to_another_section_and_order_is_asked_there(client, programme):
    reword(programme, "motivation", section=QuestionSection.ABOUT_YOU, order=0)
    reword(programme, "role", order=2)
    QuestionFactory(programme=programme, label="Your borough", section=QuestionSection.ABOUT_YOU, order=1)

    page = outline(client, programme)

    about_you = page[: page.index(("heading", "Your work and learning"))]
    assert [item for item in about_you if item[0] in ("heading", "label")] == [
        ("heading", "About you"),
        ("label", "Your name*"),
        ("label", "Email address*"),
        ("label", "Organisation*"),
        ("heading", "Which describes you best?*"),
        ("label", "Where do you work?"),
        ("label", "Why do you want to take part?*"),
        ("label", "Your borough"),
        ("label", "Your role*"),
    ]
    assert client.post(apply_url(programme), apply_data(programme)).status_code == 302


def test_the_support_section_is_left_out_when_all_its_questions_are_hidden(client, programme):
    for key in ("organisation_support", "team_open_to_ideas", "commits_to_openness", "commits_to_sharing"):
        reword(programme, key, hidden=True)

    headings = [text for kind, text in outline(client, programme) if kind == "heading"]

    assert headings == [
        "About you",
        "Which describes you best?*",
        "Your work and learning",
        "Why you want to take part",
        "When can you meet?",
        "Access and consent",
    ]


def test_form_questions_fall_back_to_the_defaults_per_missing_row(programme):
    Question.objects.create(
        programme=programme, builtin="hopes", kind=QuestionKind.LONG_TEXT, label="Hopes", section="why"
    )

    asked = form_questions(programme)

    assert [(q.builtin, q.label, q.pk is not None) for q in asked if q.section == QuestionSection.WHY] == [
        ("motivation", "Why do you want to take part?", False),
        ("hopes", "Hopes", True),
        ("challenge", "A challenge or question you would like to bring (optional)", False),
        ("share_challenge_with_partners", "Share my challenge with my coffee pair", False),
    ]


# --- What stays: the weekly times once, the name, organisation and role asked, the kind fixed ---------------------


def test_the_weekly_times_cannot_be_asked_twice(programme):
    builtin_questions_ensure(programme=programme)
    own = Question(programme=programme, kind=QuestionKind.AVAILABILITY, label="More times", section="after")

    with pytest.raises(ValidationError) as refused:
        own.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.create(
            programme=programme, builtin="availability", kind=QuestionKind.AVAILABILITY, label="Again"
        )

    assert refused.value.message_dict == {"kind": [ONE_GRID]}


@pytest.mark.parametrize("change", [{"hidden": True}, {"required": False}])
@pytest.mark.parametrize("key", ["name", "organisation", "role", "availability"])
def test_name_organisation_role_and_the_weekly_times_stay_asked_and_required(programme, key, change):
    builtin_questions_ensure(programme=programme)
    question = builtin(programme, key)
    for name, value in change.items():
        setattr(question, name, value)

    with pytest.raises(ValidationError) as refused:
        question.full_clean()

    assert refused.value.messages == [ALWAYS_ASKED]


def test_a_builtin_keeps_its_kind_and_cannot_be_deleted(programme):
    builtin_questions_ensure(programme=programme)
    question = builtin(programme, "hopes")
    question.kind = QuestionKind.SHORT_TEXT

    with pytest.raises(ValidationError) as kind_refused:
        question.full_clean()
    with pytest.raises(ValidationError) as delete_refused:
        question_delete(question=builtin(programme, "hopes"))

    assert kind_refused.value.message_dict == {
        "kind": ["The kind of the form's own questions cannot change."]
    }
    assert delete_refused.value.messages == [
        "This is one of the form's own questions, so it cannot be deleted: tick “Hidden” to stop asking it."
    ]


def test_the_admin_shows_a_builtins_kind_and_key_read_only_and_keeps_them(staff_client, programme):
    builtin_questions_ensure(programme=programme)
    url = reverse("admin:applications_programme_change", args=[programme.pk])

    page = staff_client.get(url)
    forms_by_key = {
        form.instance.builtin: form for form in page.context["inline_admin_formsets"][3].formset.forms
    }
    response = programme_change(
        staff_client,
        programme,
        **{
            "questions-9-label": "Your challenge (optional)",
            "questions-9-kind": QuestionKind.DATE,
            "questions-9-builtin": "name",
        },
    )

    assert forms_by_key["challenge"].fields["kind"].disabled is True
    assert forms_by_key["name"].fields["hidden"].disabled is True
    assert forms_by_key["challenge"].fields["hidden"].disabled is False
    assert "builtin" not in forms_by_key["challenge"].fields
    assert response.status_code == 302
    assert programme.questions.filter(builtin="challenge").values_list("label", "kind").get() == (
        "Your challenge (optional)",
        QuestionKind.LONG_TEXT,
    )


# --- Copying from another programme --------------------------------------------------------------------------------


def test_copy_takes_the_builtin_wording_without_duplicating_rows(programme):
    source = ProgrammeFactory(title="Last year")
    reword(source, "hopes", label="By the end, you hope to…", order=3)
    reword(source, "learning_gained", hidden=True)
    QuestionFactory(programme=source, label="Been before?", kind=QuestionKind.YES_NO)
    builtin_questions_ensure(programme=programme)

    copied = questions_copy(source=source, target=programme)
    again = questions_copy(source=source, target=programme)

    assert (copied, again) == (1, 0)
    assert programme.questions.exclude(builtin="").count() == 17
    assert list(programme.questions.filter(builtin="").values_list("label", flat=True)) == ["Been before?"]
    assert builtin(programme, "hopes").label == "By the end, you hope to…"
    assert builtin(programme, "hopes").order == 3
    assert builtin(programme, "learning_gained").hidden is True


def test_the_admin_refuses_a_second_weekly_times_question(staff_client, programme):
    builtin_questions_ensure(programme=programme)

    response = programme_change(
        staff_client,
        programme,
        **{
            "questions-TOTAL_FORMS": "18",
            "questions-17-label": "More times",
            "questions-17-kind": QuestionKind.AVAILABILITY,
            "questions-17-section": QuestionSection.AFTER,
            "questions-17-order": "0",
            "questions-17-hint": "",
            "questions-17-choices": "",
        },
    )

    assert response.status_code == 200
    assert ONE_GRID in response.content.decode()
    assert programme.questions.filter(kind=QuestionKind.AVAILABILITY).count() == 1


def test_rewording_a_builtin_once_people_have_applied_is_recorded(programme):
    builtin_questions_ensure(programme=programme)
    staff = StaffFactory()
    motivation = builtin(programme, "motivation")
    motivation.label = "Why this group, now?"
    question_save(question=motivation, by=staff)
    assert QuestionLabelChange.objects.count() == 0  # nobody had answered it yet

    ApplicationFactory(programme=programme)
    motivation.label = "Why this group, this year?"
    question_save(question=motivation, by=staff)

    assert list(
        QuestionLabelChange.objects.values_list("question", "old_label", "new_label", "changed_by")
    ) == [(motivation.pk, "Why this group, now?", "Why this group, this year?", staff.pk)]


# --- Staff read the answers under the programme's own wording ----------------------------------------------------

SUPPORT_AS_THE_BRIEF_WORDS_IT = [
    "My organisation supports me to attend:",
    "My wider team is open to new ideas:",
    "I commit to showing up with openness, honesty, a lack of judgement, playfulness and positivity:",
    "I commit to sharing feedback and learning as we go:",
    "Accessibility needs (optional):",
]


def fieldset_labels(html: str, title: str) -> list[str]:
    """The labels of one fieldset of an admin change page, in order."""
    fieldset = html.split(f'class="fieldset-heading">{title}</h2>')[1].split("</fieldset>")[0]
    return re.findall(r"<label[^>]*>(.*?)</label>", fieldset)


def test_the_application_page_names_the_answers_as_its_programme_words_them(
    staff_client, programme, django_assert_num_queries
):
    reword(programme, "motivation", label="Why this group?")
    reword(programme, "hopes", label="What do you hope to take back to your team & community?")
    reword(programme, "region", label="Where are you based?", hidden=True)  # hidden: the answer is still read
    other = ProgrammeFactory()
    builtin_questions_ensure(programme=other)
    reworded = ApplicationFactory(programme=programme, region="scotland")
    usual = ApplicationFactory(programme=other)

    other_page = staff_client.get(reverse("admin:applications_application_change", args=[usual.pk]))
    # (content types and the like, cached per process, were read by the first page) session, user, the
    # application, the labels (one query), its weekly times and changes of status, its programme's name and its
    # answers to the programme's own questions
    with django_assert_num_queries(8):
        page = staff_client.get(reverse("admin:applications_application_change", args=[reworded.pk]))

    html, other_html = page.content.decode(), other_page.content.decode()
    assert fieldset_labels(html, "About them") == [
        "Your name:",
        "Email:",
        "Organisation:",
        "Your role:",
        "Which describes you best?",
        "Where are you based?",
    ]
    assert re.findall(r'<label>Where are you based\?</label>\s*<div class="readonly">(.*?)</div>', html) == [
        "Scotland"
    ]
    assert fieldset_labels(html, "Their answers") == [
        "What did your organisation do during the pandemic?",
        "What learning have you or your organisation gained?",
        "Why this group?",
        "What do you hope to take back to your team &amp; community?",
        "A challenge or question you would like to bring (optional):",
        "Share my challenge with my coffee pair:",
    ]
    assert fieldset_labels(html, "Support and commitments") == SUPPORT_AS_THE_BRIEF_WORDS_IT
    # The boxes she fills in keep their colons (it is part of the label now, not the admin's suffix).
    assert fieldset_labels(html, "Assessment") == [
        "Manager notes:",
        "Score (0 to 10):",
        "When proposing groups:",
    ]
    assert fieldset_labels(other_html, "About them")[-1] == "Where do you work?"
    assert fieldset_labels(other_html, "Their answers") == [
        "What did your organisation do during the pandemic?",
        "What learning have you or your organisation gained?",
        "Why do you want to take part?",
        "What do you hope to achieve?",
        "A challenge or question you would like to bring (optional):",
        "Share my challenge with my coffee pair:",
    ]
    assert fieldset_labels(other_html, "Support and commitments") == SUPPORT_AS_THE_BRIEF_WORDS_IT


def export_headings(staff_client, applications) -> list[str]:
    response = staff_client.post(
        reverse("admin:applications_application_changelist"),
        {"action": "export_csv", "_selected_action": [application.pk for application in applications]},
    )
    return next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_of_one_programme_heads_the_answers_she_reworded_as_she_words_them(staff_client, programme):
    reword(programme, "motivation", label="Why this group?")
    reword(programme, "hopes", label="What do you hope to take back to your team?")
    reword(programme, "region", label="Where are you based?", hidden=True)
    applications = ApplicationFactory.create_batch(2, programme=programme)

    assert export_headings(staff_client, applications) == [
        "Submitted",
        "Programme",
        "Status",
        "Group",
        "Name",
        "Email",
        "Organisation",
        "Role",
        "Role type",
        "Where are you based?",
        "Pandemic work",
        "Learning gained",
        "Why this group?",
        "What do you hope to take back to your team?",
        "Challenge",
        "Share challenge",
        "Organisation supports",
        "Team open to ideas",
        "Commits to openness",
        "Commits to sharing",
        "Accessibility needs",
        "Times answered yes",
        "Availability",
        "Score",
        "When proposing groups",
        "Notes",
    ]


def test_the_csv_of_several_programmes_keeps_the_usual_headings(staff_client, programme):
    reword(programme, "hopes", label="What do you hope to take back to your team?")
    applications = [ApplicationFactory(programme=programme), ApplicationFactory()]

    assert export_headings(staff_client, applications) == [
        "Submitted",
        "Programme",
        "Status",
        "Group",
        "Name",
        "Email",
        "Organisation",
        "Role",
        "Role type",
        "Region",
        "Pandemic work",
        "Learning gained",
        "Why take part",
        "Hopes",
        "Challenge",
        "Share challenge",
        "Organisation supports",
        "Team open to ideas",
        "Commits to openness",
        "Commits to sharing",
        "Accessibility needs",
        "Times answered yes",
        "Availability",
        "Score",
        "When proposing groups",
        "Notes",
    ]
