from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.text import Truncator

from applications.enums import ApplicationStatus
from cohort_site.core.forms import FreeTextMixin, WebLinkField
from sessions_app.models import Session

from . import outcomes
from .enums import RATING_CHOICES, EntryKind, QuestionKind, SurveyKind, Visibility
from .models import (
    WIDER_AUDIENCE_CHOICES,
    Entry,
    ReadingItem,
    SessionFeedback,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    Topic,
)
from .selectors import cohorts_for_writing

User = get_user_model()


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Session) -> str:
        topic = f": {obj.topic}" if obj.topic else ""
        return f"{obj.cohort.name}, session {obj.number}{topic}"


class CohortChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({Truncator(obj.programme.title).chars(40)})"


class AuthorsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name or obj.email}" + (" (manager)" if obj.is_staff else "")


class EntryForm(FreeTextMixin, forms.Form):
    cohort = CohortChoiceField(
        queryset=None,
        label="Group",
        empty_label=None,
        error_messages={
            "required": "Choose the group the entry belongs to.",
            "invalid_choice": "Choose one of your groups from the list.",
        },
    )
    kind = forms.ChoiceField(
        label="What is it?",
        choices=EntryKind.choices,
        error_messages={
            "required": "Choose what the entry is, for example a blog post.",
            "invalid_choice": "Choose what the entry is from the list.",
        },
    )
    title = forms.CharField(
        max_length=200,
        error_messages={
            "required": "Enter a title.",
            "max_length": "Shorten the title to 200 characters or fewer.",
        },
    )
    body = forms.CharField(
        max_length=Entry._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Markdown: *emphasis*, **strong**, - lists, [links](https://…) and ## headings.",
        error_messages={"required": "Write the text of the entry: a few lines are enough."},
    )
    link = WebLinkField(
        max_length=500,
        required=False,
        help_text="For a resource: where to find it.",
        error_messages={"max_length": "Shorten the link to 500 characters or fewer."},
    )
    topics = forms.CharField(
        max_length=300,
        required=False,
        help_text="Separate topics with commas, e.g. volunteers, digital inclusion.",
        error_messages={"max_length": "Shorten the topics to 300 characters or fewer."},
    )
    session = SessionChoiceField(
        queryset=None,
        required=False,
        help_text="Optional: the session it came from.",
        error_messages={"invalid_choice": "Choose one of the group's sessions, or leave it empty."},
    )
    authors = AuthorsField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Everyone named must consent before it is shared beyond the group.",
        error_messages={"invalid_choice": "Choose authors from the list: people in the group."},
    )

    def __init__(self, *args, user, entry=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.entry = user, entry
        cohorts = cohorts_for_writing(user)
        self.fields["cohort"].queryset = cohorts
        if entry is not None:
            del self.fields["cohort"]
            del self.fields["kind"]
            cohort_ids = [entry.cohort_id]
        else:
            cohort_ids = list(cohorts.values_list("pk", flat=True))
            if not user.is_staff:
                self.fields["kind"].choices = [
                    c for c in EntryKind.choices if c[0] != EntryKind.SESSION_NOTES
                ]
        self.fields["session"].queryset = (
            Session.objects.filter(cohort_id__in=cohort_ids)
            .select_related("cohort")
            .order_by("cohort", "number")
        )
        members = Q(
            applications__cohort_id__in=cohort_ids, applications__status=ApplicationStatus.CONFIRMED
        ) | Q(is_staff=True)
        self.fields["authors"].queryset = (
            User.objects.filter(members, is_active=True).distinct().order_by("name", "email")
        )
        if not self.is_bound:
            if entry is not None:
                self.initial.update(
                    title=entry.title,
                    body=entry.body,
                    link=entry.link,
                    session=entry.session_id,
                    topics=", ".join(t.name for t in entry.topics.all()),
                    authors=[a.user_id for a in entry.authorships.all()],
                )
            else:
                self.initial.setdefault("authors", [user.pk])

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind", self.entry.kind if self.entry else None)
        if kind == EntryKind.RESOURCE and not cleaned.get("link") and "link" not in self.errors:
            self.add_error("link", "A resource needs a link to where people can find it.")
        return cleaned

    def topic_names(self) -> list[str]:
        return [name for name in self.cleaned_data.get("topics", "").split(",") if name.strip()]

    def authors_list(self) -> list:
        authors = list(self.cleaned_data.get("authors") or [])
        if self.entry is None and self.user not in authors:
            authors.insert(0, self.user)
        return authors or [self.user]


class EntryFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "Any kind"), *EntryKind.choices])
    topic = forms.ModelChoiceField(
        label="Topic", queryset=None, required=False, to_field_name="slug", empty_label="Any topic"
    )
    cohort = CohortChoiceField(label="Group", queryset=None, required=False, empty_label="Any group")
    session = SessionChoiceField(label="Session", queryset=None, required=False, empty_label="Any session")

    def __init__(self, *args, visible, **kwargs):
        super().__init__(*args, **kwargs)
        from applications.models import Cohort

        self.fields["topic"].queryset = Topic.objects.filter(pk__in=visible.values("topics__id")).order_by(
            "name"
        )
        self.fields["cohort"].queryset = (
            Cohort.objects.filter(pk__in=visible.values("cohort_id"))
            .select_related("programme")
            .order_by("programme_id", "number")
        )
        self.fields["session"].queryset = (
            Session.objects.filter(pk__in=visible.values("session_id"))
            .select_related("cohort")
            .order_by("cohort__number", "number")
        )

    def filters(self) -> dict:
        """The filters that were valid; an unknown topic or group is ignored (and shown as an error)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        return {
            "cohort": data.get("cohort"),
            "topic": data.get("topic"),
            "kind": data.get("kind") or "",
            "session": data.get("session"),
            "search": data.get("q") or "",
        }


class AudienceForm(forms.Form):
    audience = forms.ChoiceField(choices=WIDER_AUDIENCE_CHOICES, widget=forms.RadioSelect)


SHARING_ACTIONS = ["publish", "request", "consent", "withdraw", "approve", "decline"]


class SessionFeedbackForm(FreeTextMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label="Overall, how was the session?",
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text="1 is poor, 5 is excellent.",
        error_messages={
            "required": "Choose a rating from 1 (poor) to 5 (excellent).",
            "invalid_choice": "Choose a rating from 1 (poor) to 5 (excellent).",
        },
    )
    what_worked = forms.CharField(
        label="What worked?",
        required=False,
        max_length=SessionFeedback._meta.get_field("what_worked").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    what_to_change = forms.CharField(
        label="What would you change?",
        required=False,
        max_length=SessionFeedback._meta.get_field("what_to_change").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SurveyAnswerForm(FreeTextMixin, forms.Form):
    """One field per active question: `q<id>`."""

    def __init__(self, *args, questions, contact_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            if question.kind == QuestionKind.RATING:
                anchors = outcomes.anchors_for(question.item)
                field = forms.TypedChoiceField(
                    choices=[(n, f"{n}: {anchors[n - 1]}") for n in range(1, 6)]
                    if anchors
                    else RATING_CHOICES,
                    coerce=int,
                    widget=forms.RadioSelect,
                    required=False,
                    empty_value=None,
                )
            else:
                field = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 4}),
                    required=False,
                    max_length=SurveyAnswer._meta.get_field("text").max_length,
                )
            field.label = question.text
            field.help_text = question.help_text
            self.fields[f"q{question.pk}"] = field
        if contact_choices:
            self.fields["contacts"] = forms.TypedMultipleChoiceField(
                label="Whom in your group would you feel comfortable contacting for advice?",
                help_text="Optional. Only the manager sees your ticks, and only to count how connected the group "
                "has become; nobody in the group sees whom you chose.",
                choices=[(member.pk, f"{member.name} ({member.organisation})") for member in contact_choices],
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        if any(question.kind == QuestionKind.TEXT for question in self.questions):
            self.fields["may_quote"] = forms.BooleanField(
                required=False,
                label="You may quote my written answers, without my name, in reports about the programme",
                help_text="Leave it unticked and your words stay with the manager. Quotes are only shown "
                "when at least five people answered.",
            )
        self.describe_text_fields()

    def answers(self) -> dict[int, int | str | None]:
        return {question.pk: self.cleaned_data.get(f"q{question.pk}") for question in self.questions}


class SurveySettingsForm(FreeTextMixin, forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "intro", "opens_after_session", "follow_up_days"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}
        labels = {"follow_up_days": "Days after the last session"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.kind != SurveyKind.FOLLOW_UP:
            del self.fields["follow_up_days"]
        if self.instance.kind == SurveyKind.BASELINE:
            self.fields["opens_after_session"].help_text = "Opens a week before this session starts."
        elif self.instance.kind == SurveyKind.FOLLOW_UP:
            self.fields[
                "opens_after_session"
            ].help_text = "Sent at 9:00, the chosen number of days after it ends."


class OutcomeItemsForm(FreeTextMixin, forms.Form):
    """Which outcome items the baseline, the evaluation and the follow-up share."""

    items = forms.MultipleChoiceField(
        label="Questions from the list",
        choices=[(item.key, item.text) for item in outcomes.BANK],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    own_ratings = forms.CharField(
        label="Your own questions answered from 1 to 5",
        help_text="One a line. 1 is not at all, 5 is very.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=3000,
    )
    own_open = forms.CharField(
        label="Your own questions answered in words",
        help_text="One a line.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=3000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe_text_fields()

    def clean(self):
        cleaned = super().clean()
        for name in ("own_ratings", "own_open"):
            lines = [line.strip() for line in cleaned.get(name, "").splitlines() if line.strip()]
            if any(len(line) > 300 for line in lines):
                self.add_error(name, "Keep each question under 300 characters.")
            cleaned[name] = lines
        if not cleaned.get("items") and not cleaned.get("own_ratings") and not cleaned.get("own_open"):
            self.add_error("items", "Choose at least one question.")
        return cleaned


class SurveyQuestionForm(FreeTextMixin, forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label="Question", max_length=300)
    help_text = forms.CharField(label="Hint", max_length=300, required=False)
    kind = forms.ChoiceField(label="Answer", choices=QuestionKind.choices, initial=QuestionKind.TEXT)
    order = forms.IntegerField(label="Order", min_value=0, required=False)


SurveyQuestionFormSet = forms.formset_factory(SurveyQuestionForm, extra=1, can_delete=True)


def question_initial(questions: list[SurveyQuestion]) -> list[dict]:
    return [
        {"id": q.pk, "text": q.text, "help_text": q.help_text, "kind": q.kind, "order": q.order}
        for q in questions
    ]


class ReadingItemForm(FreeTextMixin, forms.ModelForm):
    url = WebLinkField(label="Link", max_length=500)

    class Meta:
        model = ReadingItem
        fields = ["programme", "title", "source", "url", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


VISIBILITY_LABELS = dict(Visibility.choices)


class NudgeForm(FreeTextMixin, forms.Form):
    """Nudge some of the people missing one step of the funnel (learning.funnel)."""

    person = forms.MultipleChoiceField(
        label="Nudge",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick the people to nudge."},
    )
    note = forms.CharField(
        label="A line of your own (optional)",
        help_text="Added to the standard message.",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        # The value carries how many nudges the page showed, so a double click sends nothing twice.
        self.fields["person"].choices = [
            (f"{person.key}:{nudges}", f"{person.name} ({person.email})") for person, nudges in people
        ]

    def seen(self) -> dict[str, int]:
        pairs = (value.partition(":") for value in self.cleaned_data["person"])
        return {key: int(count) for key, _, count in pairs if count.isdigit()}
