import copy
import csv
import io
from collections.abc import Callable
from typing import NamedTuple

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from cohort_site.core.admin import (
    HTTPS_URL_FIELDS,
    USER_INLINES,
    LabelledModelAdmin,
    LabelledTabularInline,
    QuestionLabelsMixin,
    QuickCheckboxMixin,
)
from cohort_site.core.csv import csv_response
from cohort_site.core.dates import COLUMN_DAY_TIME, ISO_MINUTE, local_text
from cohort_site.core.forms import FreeTextMixin
from cohort_site.core.words import counted

from .composer import normalise_organisation
from .enums import PLACE_HOLDING_STATUSES
from .enums import BuiltinQuestion as B
from .models import (
    Application,
    ApplicationStatusChange,
    Availability,
    CandidateTime,
    Cohort,
    DropIn,
    EmailWording,
    ExpressionOfInterest,
    MemberOrganisation,
    Programme,
    ProgrammeReviewer,
    ProgrammeSection,
    Question,
)
from .questions.defaults import BY_KEY
from .questions.kinds import answer_display
from .questions.models import ONE_BESIDE_HOPES
from .rules import can_decide, can_review_programme, is_reviewer, reviewed_programme_ids
from .selectors import (
    answers_of,
    applications_choosing,
    builtin_labels,
    choice_questions,
    interests_with_applied,
)
from .services import (
    HIDE_INSTEAD,
    builtin_questions_ensure,
    cohort_size_refusal,
    member_organisations_import,
    question_change_refusal,
    question_delete,
    question_delete_refusal,
    question_save,
    questions_copy,
)
from .wording import PLACEHOLDERS, placeholders_text, wording_errors, wording_preview


def _decide(action: str, queryset) -> HttpResponseRedirect:
    ids = ",".join(str(pk) for pk in queryset.order_by("pk").values_list("pk", flat=True))
    return HttpResponseRedirect(f"{reverse('applications:selection_decide', args=[action])}?ids={ids}")


class ProgrammeSectionInline(admin.StackedInline):
    model = ProgrammeSection
    extra = 0


class DropInInline(LabelledTabularInline):
    model = DropIn
    formfield_overrides = HTTPS_URL_FIELDS
    extra = 0


class CandidateTimeInline(LabelledTabularInline):
    model = CandidateTime
    extra = 0


# What the manager cannot change on one of the form's built-in questions (its answers are a column of the
# application), and on those always asked (name, organisation, role, the weekly times).
BUILTIN_READ_ONLY = ("kind", "choices", "max_length", "shown_beside_hopes", "counted_in_report")
FIXED_READ_ONLY = ("required", "hidden", "section")


class QuestionForm(forms.ModelForm):
    """A question people have answered cannot be deleted, nor changed so its answers no longer fit it: the row
    says why (hide it instead). One of the form's built-in questions shows its kind (and, when always asked,
    whether it needs an answer and its section) without letting it change."""

    class Meta:
        model = Question
        fields = "__all__"  # noqa: DJ007 (the inline's own field list applies)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = self.instance.default
        if default is None:
            return
        for name in (*BUILTIN_READ_ONLY, *(FIXED_READ_ONLY if default.fixed else ())):
            if name in self.fields:
                self.fields[name].disabled = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("DELETE") and question_delete_refusal(self.instance):
            # Not deleted, so the formset checks this row and shows why.
            cleaned["DELETE"] = False
            self.add_error(None, HIDE_INSTEAD)
        elif not cleaned.get("DELETE"):
            # The row as it would be saved (the form fills its instance in only after this).
            edited = copy.copy(self.instance)
            edited.kind = cleaned.get("kind", edited.kind)
            edited.choices = cleaned.get("choices", edited.choices)
            if refusal := question_change_refusal(edited):
                self.add_error(None, refusal)
        return cleaned


class QuestionFormSet(forms.BaseInlineFormSet):
    """Two questions ticked "show in the evaluation beside what they hoped" in one save are refused together
    (each row alone is checked against the saved questions by the model's constraint)."""

    def clean(self):
        super().clean()
        ticked = [
            form
            for form in self.forms
            if form.cleaned_data.get("shown_beside_hopes") and not form.cleaned_data.get("DELETE")
        ]
        if len(ticked) > 1:
            raise forms.ValidationError(ONE_BESIDE_HOPES)


class QuestionInline(admin.StackedInline):
    """The questions of the programme's application form: the form's own (worded as the brief until the manager
    rewords them) and the programme's own."""

    model = Question
    form = QuestionForm
    formset = QuestionFormSet
    extra = 0
    fields = [
        ("label", "kind", "builtin"),
        "hint",
        ("required", "hidden"),
        ("section", "order"),
        ("shown_beside_hopes", "counted_in_report"),
        "choices",
        "max_length",
        "earlier_wording",
    ]
    readonly_fields = ["earlier_wording", "builtin"]
    verbose_name = "application question"
    verbose_name_plural = (
        "application questions (the form's own questions and this programme's; at the same number in a "
        "section, the form's own come first)"
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("label_changes__changed_by")

    @admin.display(description="earlier wording")
    def earlier_wording(self, question):
        changes = list(question.label_changes.all()) if question.pk else []
        if not changes:
            return "–"
        return "; ".join(
            f"“{change.old_label}” until {local_text(change.changed_at, None, ISO_MINUTE)}"
            f" (changed by {change.changed_by or 'someone since removed'})"
            for change in changes
        )


class CopyQuestionsForm(forms.Form):
    source = forms.ModelChoiceField(
        label="Copy the questions of", queryset=Programme.objects.order_by("-applications_open_at")
    )


class ProgrammeReviewerInline(LabelledTabularInline):
    """The staff accounts given this programme to review: they read, note and score its applications only."""

    model = ProgrammeReviewer
    extra = 0
    fields = ["user", "created_at"]
    readonly_fields = ["created_at"]


class ReviewedProgrammeInline(LabelledTabularInline):
    """On a staff account's page: the programmes it was given to review (and nothing else it may decide)."""

    model = ProgrammeReviewer
    fk_name = "user"
    extra = 0
    fields = ["programme", "created_at"]
    readonly_fields = ["created_at"]
    verbose_name = "programme this account reviews"
    verbose_name_plural = "programmes this account reviews (it reads, notes and scores their applications only, and decides nothing)"


USER_INLINES.append(ReviewedProgrammeInline)


@admin.register(Programme)
class ProgrammeAdmin(LabelledModelAdmin):
    list_display = [
        "title",
        "applications_open_at",
        "applications_close_at",
        "first_session_week",
        "is_published",
        "interest_count",
        "interest_applied_count",
        "application_count",
        "selection_link",
        "page_link",
    ]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [
        ProgrammeSectionInline,
        DropInInline,
        CandidateTimeInline,
        QuestionInline,
        ProgrammeReviewerInline,
    ]
    actions = ["copy_questions"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # a new programme starts with the form's own questions, worded as the brief
            builtin_questions_ensure(programme=obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Question:
            return super().save_formset(request, form, formset, change)
        # Through the services: a wording change once answered is recorded; an answered question is not deleted.
        for question in formset.save(commit=False):
            question_save(question=question, by=request.user)
        for question in formset.deleted_objects:
            question_delete(question=question)
        return None

    @admin.action(description="Copy questions from another programme…")
    def copy_questions(self, request, queryset):
        form = CopyQuestionsForm(request.POST if "source" in request.POST else None)
        if form.is_valid():
            source = form.cleaned_data["source"]
            for target in queryset.exclude(pk=source.pk):
                copied = questions_copy(source=source, target=target)
                messages.success(
                    request, f"{counted(copied, 'question')} copied from “{source}” to “{target}”."
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Copy questions from another programme",
            "form": form,
            "targets": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return render(request, "admin/applications/programme/copy_questions.html", context)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "is_published" and formfield is not None:
            formfield.help_text = (
                "Shown on the website once ticked. A new programme starts unticked: preview its page from the "
                "“Page” column of the list of programmes, or from the list at /programmes/, then tick it."
            )
        return formfield

    def get_queryset(self, request):
        applied = Application.objects.filter(programme=OuterRef("programme"), email__iexact=OuterRef("email"))
        interest_applied = (
            ExpressionOfInterest.objects.filter(programme=OuterRef("pk"))
            .filter(Exists(applied))
            .order_by()
            .values("programme")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                _interest=Count("interests", distinct=True),
                _applications=Count("applications", distinct=True),
                _interest_applied=interest_applied,
            )
        )

    @admin.display(description="interest", ordering="_interest")
    def interest_count(self, programme):
        return programme._interest

    @admin.display(description="interest that applied")
    def interest_applied_count(self, programme):
        return programme._interest_applied or 0

    @admin.display(description="applications", ordering="_applications")
    def application_count(self, programme):
        return programme._applications

    @admin.display(description="Selection")
    def selection_link(self, programme):
        return format_html(
            '<a href="{}">Groups and waitlist</a>',
            reverse("applications:selection_programme", kwargs={"slug": programme.slug}),
        )

    @admin.display(description="Page")
    def page_link(self, programme):
        if programme.is_published:
            return format_html('<a href="{}">Public page</a>', programme.get_absolute_url())
        return format_html(
            '<a href="{}">Preview (not published)</a>',
            reverse("applications:programme_preview", kwargs={"slug": programme.slug}),
        )


class CohortSizeForm(forms.ModelForm):
    """A group cannot be made smaller than the places already offered or confirmed in it."""

    class Meta:
        model = Cohort
        fields = "__all__"  # noqa: DJ007 (the admin's own field list applies)

    def clean_size(self):
        size = self.cleaned_data["size"]
        refusal = cohort_size_refusal(self.instance, size)
        if refusal:
            raise forms.ValidationError(refusal)
        return size


@admin.register(Cohort)
class CohortAdmin(LabelledModelAdmin):
    form = CohortSizeForm
    list_display = ["name", "programme", "number", "size", "first_session_week", "fill", "selection_link"]
    list_filter = ["programme"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(taken=Count("applications", filter=Q(applications__status__in=PLACE_HOLDING_STATUSES)))
        )

    @admin.display(description="Places")
    def fill(self, cohort):
        return f"{cohort.taken}/{cohort.size}"

    @admin.display(description="Selection")
    def selection_link(self, cohort):
        return format_html(
            '<a href="{}">Selection page</a>',
            reverse("applications:selection_cohort", kwargs={"pk": cohort.pk}),
        )


class AvailabilityInline(LabelledTabularInline):
    model = Availability
    extra = 0
    can_delete = False
    fields = ["candidate_time", "answer"]
    readonly_fields = ["candidate_time", "answer"]
    verbose_name_plural = "availability (the applicant's answers)"

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # A reviewer reads the application (already checked to be of their programme), its answers included.
        return super().has_view_permission(request, obj) or is_reviewer(request.user)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("candidate_time__programme")


def question_filter(question: Question, *, with_programme: bool) -> type[admin.SimpleListFilter]:
    """A list filter by the answer to one choice question."""

    class QuestionFilter(admin.SimpleListFilter):
        title = f"{question.label} ({question.programme.title})" if with_programme else question.label
        parameter_name = f"question_{question.pk}"

        def lookups(self, request, model_admin):
            return [(choice, choice) for choice in question.choice_list]

        def queryset(self, request, queryset):
            if self.value() is None:
                return queryset
            return applications_choosing(queryset, question, self.value())

    return QuestionFilter


def plain_for_reviewers(names, request) -> list[str]:
    """A reviewer reads a related group, programme or account as its name: Django would link it to an admin page
    they may not open."""
    if not is_reviewer(request.user):
        return list(names)
    return [PLAIN_FOR_REVIEWERS.get(name, name) for name in names]


PLAIN_FOR_REVIEWERS = {
    "programme": "programme_name",
    "cohort": "group",
    "user": "account",
    "changed_by": "changed_by_name",
}


class StatusChangeInline(LabelledTabularInline):
    model = ApplicationStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "cohort", "changed_by", "changed_at", "note"]

    def get_readonly_fields(self, request, obj=None):
        return plain_for_reviewers(super().get_readonly_fields(request, obj), request)

    def get_fields(self, request, obj=None):
        return plain_for_reviewers(super().get_fields(request, obj), request)

    @admin.display(description="group")
    def group(self, change):
        return change.cohort.name if change.cohort_id else self.get_empty_value_display()

    @admin.display(description="changed by")
    def changed_by_name(self, change):
        return str(change.changed_by) if change.changed_by_id else self.get_empty_value_display()

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or is_reviewer(request.user)


ANSWER_FIELDS = [
    "name",
    "email",
    "organisation",
    "role",
    "role_type",
    "region",
    "pandemic_work",
    "learning_gained",
    "motivation",
    "hopes",
    "challenge",
    "share_challenge_with_partners",
    "organisation_support",
    "team_open_to_ideas",
    "commits_to_openness",
    "commits_to_sharing",
    "accessibility_needs",
    "consented_at",
]


class CsvColumn(NamedTuple):
    """One column of the applications CSV: its heading and value together, so they cannot drift apart."""

    heading: str
    value: Callable[[Application, list[Availability]], object]
    # The built-in question it answers: headed with its programme's wording when one programme is exported.
    question: str = ""


# The applications CSV, one column each.
APPLICATION_CSV_COLUMNS = [
    CsvColumn("Submitted", lambda a, availability: local_text(a.submitted_at, None, ISO_MINUTE)),
    CsvColumn("Programme", lambda a, availability: a.programme.title),
    CsvColumn("Status", lambda a, availability: a.get_status_display()),
    CsvColumn("Group", lambda a, availability: a.cohort.name if a.cohort else ""),
    CsvColumn("Name", lambda a, availability: a.name, B.NAME),
    CsvColumn("Email", lambda a, availability: a.email),
    CsvColumn("Organisation", lambda a, availability: a.organisation, B.ORGANISATION),
    CsvColumn("Role", lambda a, availability: a.role, B.ROLE),
    CsvColumn("Role type", lambda a, availability: a.get_role_type_display(), B.ROLE_TYPE),
    CsvColumn("Region", lambda a, availability: a.get_region_display(), B.REGION),
    CsvColumn("Pandemic work", lambda a, availability: a.pandemic_work, B.PANDEMIC_WORK),
    CsvColumn("Learning gained", lambda a, availability: a.learning_gained, B.LEARNING_GAINED),
    CsvColumn("Why take part", lambda a, availability: a.motivation, B.MOTIVATION),
    CsvColumn("Hopes", lambda a, availability: a.hopes, B.HOPES),
    CsvColumn("Challenge", lambda a, availability: a.challenge, B.CHALLENGE),
    CsvColumn(
        "Share challenge", lambda a, availability: _yes_no(a.share_challenge_with_partners), B.SHARE_CHALLENGE
    ),
    CsvColumn(
        "Organisation supports",
        lambda a, availability: _yes_no(a.organisation_support),
        B.ORGANISATION_SUPPORT,
    ),
    CsvColumn("Team open to ideas", lambda a, availability: _yes_no(a.team_open_to_ideas), B.TEAM_OPEN),
    CsvColumn("Commits to openness", lambda a, availability: _yes_no(a.commits_to_openness), B.OPENNESS),
    CsvColumn("Commits to sharing", lambda a, availability: _yes_no(a.commits_to_sharing), B.SHARING),
    CsvColumn("Accessibility needs", lambda a, availability: a.accessibility_needs, B.ACCESSIBILITY),
    CsvColumn(
        "Times answered yes",
        lambda a, availability: sum(1 for answer in availability if answer.answer == "yes"),
    ),
    CsvColumn(
        "Availability",
        lambda a, availability: "; ".join(
            f"{x.candidate_time.label}: {x.get_answer_display()}" for x in availability
        ),
    ),
    CsvColumn("Score", lambda a, availability: "" if a.score is None else a.score),
    CsvColumn("When proposing groups", lambda a, availability: a.get_composer_mark_display()),
    CsvColumn("Notes", lambda a, availability: a.manager_notes),
]


class ScoreListForm(forms.ModelForm):
    """A score typed in the list of applications: each box named by whose application it scores."""

    class Meta:
        model = Application
        fields = ["score"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["score"]
        field.help_text = ""  # said once, in the column's heading; each box is named instead
        field.widget.attrs.update(self.row_widget_attrs(self.instance)["score"])

    @staticmethod
    def row_widget_attrs(application: Application) -> dict[str, dict]:
        """What differs from row to row: the box's name for a screen reader (the list writes its rows from this
        too, without a form per row: cohort_site.core.admin.quick_results)."""
        return {"score": {"max": 10, "aria-label": f"Score for {application.name}, 0 to 10"}}


class GroupListFilter(admin.RelatedFieldListFilter):
    """The groups, each named with its programme, read in one query (not one more per group)."""

    def field_choices(self, field, request, model_admin):
        groups = Cohort.objects.select_related("programme").order_by("programme__title", "number")
        return [(group.pk, str(group)) for group in groups]


@admin.register(Application)
class ApplicationAdmin(QuestionLabelsMixin, QuickCheckboxMixin, LabelledModelAdmin):
    # What the manager reads down the list to choose whom to open (issue 24): who, from where, where they are
    # in selection and their score. The kind of role and the dates are filters on the right; 25 rows a page,
    # about a screen's worth to score before saving (and half the rendering of 50).
    list_display = ["name", "organisation", "status", "group", "submitted", "score"]
    # What those columns read (the row's name for the checkbox and score box, the programme's time zone for the
    # date): the applicants' long answers are not fetched for the list.
    list_fields = [
        "name",
        "organisation",
        "status",
        "cohort",
        "cohort__name",
        "submitted_at",
        "programme",
        "programme__timezone",
        "score",
    ]
    # Scored down the list, a page at a time: "Save" under the list keeps every score typed (0 to 10).
    list_editable = ["score"]

    def get_changelist_form(self, request, **kwargs):
        return ScoreListForm

    list_filter = [
        "programme",
        "status",
        "role_type",
        "region",
        "composer_mark",
        ("cohort", GroupListFilter),
        "organisation_support",
        "submitted_at",
    ]
    search_fields = ["name", "email", "organisation", "role"]
    list_select_related = ["cohort", "programme"]
    list_per_page = 25
    # A filtered list says "Show all" rather than counting every application a second time on each page.
    show_full_result_count = False

    def changelist_view(self, request, extra_context=None):
        # The list takes the page's width: no menu of every model beside it (a tenth of the page's time at 1,000
        # applications; the breadcrumbs and the admin's home page still lead everywhere).
        return super().changelist_view(request, {**(extra_context or {}), "is_nav_sidebar_enabled": False})

    actions = ["export_csv", "offer_places", "waitlist", "decline"]
    # The applicant's words are theirs: read-only here. Status moves only through the selection service,
    # which checks and records them. The manager writes notes and a score.
    readonly_fields = [
        "programme",
        *ANSWER_FIELDS,
        "status",
        "status_changed_at",
        "cohort",
        "user",
        "submitted_at",
        "updated_at",
        "waitlist_position",
        "offer_expires_at",
        "next_group_interest_at",
        "own_question_answers",
    ]
    fieldsets = [
        ("Assessment", {"fields": ["manager_notes", "score", "composer_mark"]}),
        ("Status", {"fields": ["programme", "status", "status_changed_at", "cohort", "user"]}),
        ("About them", {"fields": ["name", "email", "organisation", "role", "role_type", "region"]}),
        (
            "Their answers",
            {
                "fields": [
                    "pandemic_work",
                    "learning_gained",
                    "motivation",
                    "hopes",
                    "challenge",
                    "share_challenge_with_partners",
                ]
            },
        ),
        ("Answers to the programme's own questions", {"fields": ["own_question_answers"]}),
        (
            "Support and commitments",
            {
                "fields": [
                    "organisation_support",
                    "team_open_to_ideas",
                    "commits_to_openness",
                    "commits_to_sharing",
                    "accessibility_needs",
                ]
            },
        ),
        ("Record", {"fields": ["consented_at", "submitted_at", "updated_at"]}),
    ]
    inlines = [AvailabilityInline, StatusChangeInline]

    def get_list_filter(self, request):
        # Each choice question of the programmes' own is a filter too (its programme named when there are several).
        questions = choice_questions()
        filters = self.list_filter
        if is_reviewer(request.user):
            # Only their programme: no list of every programme or group, no other programme's questions.
            ids = reviewed_programme_ids(request.user)
            questions = [question for question in questions if question.programme_id in ids]
            filters = [name for name in filters if name != "programme" and not isinstance(name, tuple)]
        several = len({question.programme_id for question in questions}) > 1
        return [*filters, *(question_filter(q, with_programme=several) for q in questions)]

    @admin.display(description="answers")
    def own_question_answers(self, application):
        answers = list(answers_of(application))
        if not answers:
            return "None: this programme asks no questions of its own, or they were left unanswered."
        return format_html(
            "<dl>{}</dl>",
            format_html_join(
                "",
                "<dt>{}</dt><dd>{}</dd>",
                ((a.question.label, answer_display(a.question, a.text)) for a in answers),
            ),
        )

    # Plain text from what the row already holds, rather than a field's general-purpose formatting per cell.
    @admin.display(description="group", ordering="cohort__number")
    def group(self, application):
        return application.cohort.name if application.cohort_id else self.get_empty_value_display()

    @admin.display(description="submitted", ordering="submitted_at")
    def submitted(self, application):
        return local_text(application.submitted_at, application.programme.tz, COLUMN_DAY_TIME)

    def has_add_permission(self, request):
        # Applications come from the public form, which enforces the deadline and sends the confirmation.
        return False

    # A programme's reviewer (applications/rules.py) reads its applications and writes notes and a score; the
    # list and every page hold only that programme's applications, and nothing here decides.
    def has_module_permission(self, request):
        return is_reviewer(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        if is_reviewer(request.user):
            return obj is None or can_review_programme(request.user, obj.programme_id)
        return super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        # Changing is writing the notes and score: everything else on the page is read-only for everyone.
        return (
            self.has_view_permission(request, obj)
            if is_reviewer(request.user)
            else super().has_change_permission(request, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return False if is_reviewer(request.user) else super().has_delete_permission(request, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_reviewer(request.user):
            return queryset.filter(programme_id__in=reviewed_programme_ids(request.user))
        return queryset

    def get_object(self, request, object_id, from_field=None):
        found = super().get_object(request, object_id, from_field)
        if found is None and is_reviewer(request.user):
            raise Http404  # another programme's application: as if it did not exist
        return found

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not can_decide(request.user):
            for name in ("offer_places", "waitlist", "decline"):
                actions.pop(name, None)
        return actions

    def get_readonly_fields(self, request, obj=None):
        fields = plain_for_reviewers(super().get_readonly_fields(request, obj), request)
        if not can_decide(request.user):
            return [*fields, "composer_mark"]  # how the proposal treats them is the manager's decision
        return fields

    def get_fieldsets(self, request, obj=None):
        return [
            (title, {**options, "fields": plain_for_reviewers(options["fields"], request)})
            for title, options in super().get_fieldsets(request, obj)
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            # Each answer named by its question as the application's programme words it now (hidden ones too:
            # their answers are kept), not by the column's name. One query.
            kwargs["labels"] = builtin_labels(obj.programme_id)
        return super().get_form(request, obj, change, **kwargs)

    @admin.display(description="programme")
    def programme_name(self, application):
        return application.programme.title

    @admin.display(description="account")
    def account(self, application):
        return str(application.user) if application.user_id else self.get_empty_value_display()

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        organisation = _reviewer_organisation(request.user)
        if not organisation:
            return shown

        @admin.display(description="your organisation")
        def same_organisation(application):
            return (
                "Yes: tell the manager"
                if normalise_organisation(application.organisation) == organisation
                else ""
            )

        return [*shown, same_organisation]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        organisation = _reviewer_organisation(request.user)
        if organisation and request.method == "GET":
            application = self.get_object(request, object_id)
            if application is not None and normalise_organisation(application.organisation) == organisation:
                messages.warning(request, SAME_ORGANISATION)
        return super().change_view(request, object_id, form_url, extra_context)

    # Decisions open the selection page's confirmation step, which checks the cap and records each move.
    @admin.action(description="Offer places in a group…")
    def offer_places(self, request, queryset):
        return _decide("offer", queryset)

    @admin.action(description="Put on the waitlist…")
    def waitlist(self, request, queryset):
        return _decide("waitlist", queryset)

    @admin.action(description="Decline…")
    def decline(self, request, queryset):
        return _decide("decline", queryset)

    @admin.action(description="Export selected applications as CSV")
    def export_csv(self, request, queryset):
        answers = Availability.objects.select_related("candidate_time__programme").order_by(
            "candidate_time__weekday", "candidate_time__start_time"
        )
        queryset = queryset.select_related("programme", "cohort").prefetch_related(
            Prefetch("availability", queryset=answers), "question_answers"
        )
        # One column per question of the programmes exported (hidden ones too: their answers are kept).
        questions = list(
            Question.objects.filter(programme__in=queryset.values("programme"), builtin="")
            .select_related("programme")
            .order_by("programme__title", "order", "pk")
        )
        several = len({question.programme_id for question in questions}) > 1
        # A built-in question the manager reworded is headed as one programme words it; the others keep their
        # short usual heading, and a column of several programmes (two wordings) keeps it too.
        programme_ids = list(queryset.order_by().values_list("programme_id", flat=True).distinct()[:2])
        labels = builtin_labels(programme_ids[0]) if len(programme_ids) == 1 else {}
        labels = {key: label for key, label in labels.items() if label != BY_KEY[key].label}
        headings = [labels.get(column.question, column.heading) for column in APPLICATION_CSV_COLUMNS] + [
            f"{q.programme.title}: {q.label}" if several else q.label for q in questions
        ]

        def rows():
            for application in queryset.order_by("submitted_at", "pk"):
                availability = list(application.availability.all())
                given = {answer.question_id: answer.text for answer in application.question_answers.all()}
                yield [column.value(application, availability) for column in APPLICATION_CSV_COLUMNS] + [
                    given.get(q.pk, "").replace("\n", "; ") for q in questions
                ]

        return csv_response("applications.csv", headings, rows())


SAME_ORGANISATION = "You work at the same organisation as this applicant: tell the manager before you score."


def _reviewer_organisation(user) -> str:
    """A reviewer's organisation as the composer compares organisations, or "" (a manager, or none given)."""
    if not is_reviewer(user):
        return ""
    return normalise_organisation(user.organisation)


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


class AppliedFilter(admin.SimpleListFilter):
    title = "applied"
    parameter_name = "applied"

    def lookups(self, request, model_admin):
        return [("yes", "Applied"), ("no", "Not applied yet")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(applied=True)
        if self.value() == "no":
            return queryset.filter(applied=False)
        return queryset


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(LabelledModelAdmin):
    list_display = ["name", "email", "organisation", "role", "programme", "created_at", "has_applied"]
    list_filter = ["programme", AppliedFilter, "created_at"]
    search_fields = ["name", "email", "organisation", "role"]
    list_select_related = ["programme"]
    readonly_fields = ["programme", "name", "email", "organisation", "role", "consented_at", "created_at"]
    actions = ["export_csv"]

    def get_queryset(self, request):
        return interests_with_applied(super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    @admin.display(description="applied", boolean=True, ordering="applied")
    def has_applied(self, interest):
        return interest.applied

    def changelist_view(self, request, extra_context=None):
        summary = ExpressionOfInterest.objects.aggregate(
            interest=Count("pk"),
            applied=Count("pk", filter=Q(Exists(_same_email_application()))),
        )
        summary["applications"] = Application.objects.count()
        return super().changelist_view(request, {**(extra_context or {}), "interest_summary": summary})

    @admin.action(description="Export selected expressions of interest as CSV")
    def export_csv(self, request, queryset):
        header = ["Registered", "Programme", "Name", "Email", "Organisation", "Role", "Applied"]
        rows = (
            [
                local_text(i.created_at, None, ISO_MINUTE),
                i.programme.title,
                i.name,
                i.email,
                i.organisation,
                i.role,
                _yes_no(i.applied),
            ]
            for i in queryset.select_related("programme").order_by("created_at", "pk")
        )
        return csv_response("expressions-of-interest.csv", header, rows)


def _same_email_application():
    return Application.objects.filter(programme=OuterRef("programme"), email__iexact=OuterRef("email"))


class MemberOrganisationImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="One organisation per row, its name in the first column. A header row named “name” or "
        "“organisation” is skipped; names already in the list are left alone.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError("That file is over 2 MB; a list of names should be far smaller.")
        raw = upload.read()
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - cp1252 decodes almost anything
            raise forms.ValidationError("Save the file as CSV (UTF-8) and try again.")
        try:
            rows = list(csv.reader(io.StringIO(text)))
        except csv.Error as error:
            raise forms.ValidationError(f"This does not read as CSV: {error}.") from error
        names = [row[0] for row in rows if row and row[0].strip()]
        if names and names[0].strip().lower() in {
            "name",
            "organisation",
            "organization",
            "organisation name",
        }:
            names = names[1:]
        if not names:
            raise forms.ValidationError("No organisation names found in the first column.")
        return names


@admin.register(MemberOrganisation)
class MemberOrganisationAdmin(LabelledModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    change_list_template = "admin/applications/memberorganisation/change_list.html"

    def get_urls(self):
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="applications_memberorganisation_import",
            )
        ]
        return own + super().get_urls()

    def import_view(self, request):
        if not self.has_add_permission(request):
            from django.http import Http404

            raise Http404
        form = MemberOrganisationImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            added, known = member_organisations_import(names=form.cleaned_data["file"])
            messages.success(request, f"Imported {added} organisations; {known} were already in the list.")
            return redirect(reverse("admin:applications_memberorganisation_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": "Import member organisations",
        }
        return render(request, "admin/applications/memberorganisation/import.html", context)


@admin.register(ApplicationStatusChange)
class ApplicationStatusChangeAdmin(LabelledModelAdmin):
    """The audit trail: every status change, who made it and why. Read-only."""

    list_display = ["changed_at", "application", "from_status", "to_status", "cohort", "changed_by", "note"]
    list_filter = ["to_status", "application__programme", "cohort"]
    search_fields = ["application__name", "application__email", "note"]
    list_select_related = ["application", "cohort", "changed_by"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EmailWordingForm(FreeTextMixin, forms.ModelForm):
    """A programme's wording of an email: refused on save, with the reason, if it uses a placeholder its kind
    does not have, leaves a brace unpaired, or leaves out one its kind must carry (an offer's link). Its text
    is checked as all typed text is (FreeTextMixin): kept with the line breaks a browser sends as CR LF made
    plain LF, as the emails and a draft's edit have them, so the lines a draft brings up to date as it is sent
    are found in an edited draft."""

    class Meta:
        model = EmailWording
        fields = ["programme", "kind", "subject", "body"]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind:
            for name, required in (("subject", False), ("body", True)):
                for error in wording_errors(kind, data.get(name) or "", check_required=required):
                    self.add_error(name, error)
        return data


@admin.register(EmailWording)
class EmailWordingAdmin(LabelledModelAdmin):
    """The programme's own wording of an email, with the placeholders it may use and a preview."""

    form = EmailWordingForm
    list_display = ["programme", "kind", "subject", "updated_at"]
    list_filter = ["programme", "kind"]
    list_select_related = ["programme"]
    fields = ["programme", "kind", "subject", "body", "placeholders", "preview"]
    readonly_fields = ["placeholders", "preview"]

    @admin.display(description="placeholders it may use")
    def placeholders(self, wording):
        if wording.kind:
            return placeholders_text(wording.kind)
        return format_html_join(
            "",
            "<p><strong>{}</strong>: {}</p>",
            ((kind.label, placeholders_text(kind)) for kind in PLACEHOLDERS),
        )

    @admin.display(description="preview")
    def preview(self, wording):
        if not wording.pk:
            return "Save to see this email as one of the programme's people would receive it."
        found = wording_preview(wording)
        if found is None:
            return "No one in this programme is sent this email yet: the preview shows a real person's email."
        name, subject, text = found
        return format_html(
            "<p>As {} would receive it:</p><p><strong>{}</strong></p><pre>{}</pre>", name, subject, text
        )
