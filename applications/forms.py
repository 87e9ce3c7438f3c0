"""The two public forms: expression of interest and application (also used to edit an application)."""

import uuid
from typing import NamedTuple

from django import forms

from cohort_site.core.forms import FreeTextMixin

from .enums import AvailabilityAnswer, QuestionSection, Region, RoleType
from .models import Application, Programme
from .questions.defaults import BY_KEY, COLUMNS, required_message
from .questions.kinds import answer_text, field_name, form_field, initial_value
from .selectors import form_questions
from .services import availability_refusal

REQUIRED = "required"


class PublicFormMixin(FreeTextMixin, forms.Form):
    """A honeypot for bots (hidden from people by CSS, never shown to screen readers) and a submission token
    that makes a double-clicked or retried post recognisable. Free text is bounded as everywhere (FreeTextMixin)."""

    website = forms.CharField(
        label="Leave this field empty", required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )

    def is_bot(self) -> bool:
        return bool(self.data.get(self.add_prefix("website"), "").strip())


class InterestForm(PublicFormMixin):
    name = forms.CharField(label="Your name", max_length=150, error_messages={REQUIRED: "Enter your name."})
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We send the drop-in's joining link and a reminder before the deadline here.",
        error_messages={
            REQUIRED: "Enter your email address.",
            "invalid": "Enter an email address like name@example.org.",
        },
    )
    organisation = forms.CharField(
        label="Organisation",
        max_length=200,
        help_text="The Connection Coalition member organisation you work for.",
        error_messages={REQUIRED: "Enter your organisation."},
    )
    role = forms.CharField(label="Your role", max_length=200, error_messages={REQUIRED: "Enter your role."})
    consent = forms.BooleanField(
        label="I agree to the Jo Cox Foundation storing these details to contact me about this programme.",
        error_messages={REQUIRED: "Tick the box to agree, or we cannot contact you."},
    )

    field_order = ["name", "email", "organisation", "role", "consent", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["organisation"].widget.attrs.update(
            autocomplete="organization", list="member-organisations"
        )
        self.fields["role"].widget.attrs["autocomplete"] = "organization-title"


AVAILABILITY_PREFIX = "time_"

# The headings and introductions of the form's sections (the weekly times have theirs in their own template).
SECTION_HEADINGS = {
    QuestionSection.ABOUT_YOU: ("About you", ""),
    QuestionSection.WORK: ("Your work and learning", ""),
    QuestionSection.WHY: ("Why you want to take part", ""),
    QuestionSection.TIMES: ("When can you meet?", ""),
    QuestionSection.SUPPORT: (
        "Support and commitments",
        "We don't have a vision of the perfect group member; we'd like everyone to share these.",
    ),
    QuestionSection.AFTER: ("A few more questions", ""),
    QuestionSection.ACCESS: ("Access and consent", ""),
}
# Shown even with no question in them: the weekly times (the grid) and access and consent (the consent).
ALWAYS_SHOWN = (QuestionSection.TIMES, QuestionSection.ACCESS)


class FormSection(NamedTuple):
    """One section of the application form: its heading, introduction, the fields it shows (for the weekly
    times: the questions after the grid) and which section it is."""

    heading: str
    introduction: str
    fields: list
    key: str


class ApplicationForm(PublicFormMixin, forms.ModelForm):
    """Every question the programme asks (`form_questions`: the form's built-in ones as the manager worded them,
    and her own), in sections (see `sections`), with one yes / if need be / no per candidate time, the email
    address and the consent."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We send a copy of your answers and your private link here.",
        error_messages={
            REQUIRED: "Enter your email address.",
            "invalid": "Enter an email address like name@example.org.",
        },
    )
    consent = forms.BooleanField(
        label="I agree to my answers being stored and used to select and run the group, as the privacy "
        "notice describes.",
        error_messages={REQUIRED: "Tick the box to agree, or we cannot consider your application."},
    )

    class Meta:
        model = Application
        fields = list(COLUMNS)
        widgets = {
            "role_type": forms.RadioSelect,
            "pandemic_work": forms.Textarea(attrs={"rows": 4}),
            "learning_gained": forms.Textarea(attrs={"rows": 4}),
            "motivation": forms.Textarea(attrs={"rows": 4}),
            "hopes": forms.Textarea(attrs={"rows": 3}),
            "challenge": forms.Textarea(attrs={"rows": 3}),
            "accessibility_needs": forms.Textarea(attrs={"rows": 2}),
        }
        # The brief's wording (`questions.defaults`), set here rather than in __init__ so FreeTextMixin adds each
        # limit to the help text it finds; a programme's own wording replaces it in `_word_builtins`.
        labels = {name: BY_KEY[name].label for name in COLUMNS}
        help_texts = {name: BY_KEY[name].hint for name in COLUMNS if BY_KEY[name].hint}
        error_messages = {name: {REQUIRED: BY_KEY[name].message} for name in COLUMNS}

    def __init__(self, *args, programme: Programme, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.editing = editing
        self.candidate_times = list(programme.candidate_times.select_related("programme"))
        self.fields["role_type"].choices = RoleType.choices
        self.fields["region"].choices = [("", "Prefer not to say"), *Region.choices]
        self.form_questions = form_questions(programme)
        self._word_builtins()
        self._add_autocomplete()
        self._add_availability_fields()
        self._add_questions()
        self.order_fields(self._field_order())
        if editing:
            self._lock_identity()
        elif not self.is_bound:
            self.fields["submission_token"].initial = uuid.uuid4()

    def _word_builtins(self) -> None:
        """The form's built-in questions as the programme asks them: its wording, hint and whether each needs an
        answer; a hidden one is not asked (its column keeps what it had)."""
        asked = {question.builtin: question for question in self.form_questions if question.builtin}
        for name in COLUMNS:
            question = asked.get(name)
            if question is None:
                del self.fields[name]
                continue
            field, default = self.fields[name], BY_KEY[name]
            field.required = question.required
            if question.label != default.label:
                field.label = question.label
                field.error_messages[REQUIRED] = required_message(name, question.label)
            if question.hint != default.hint:
                limit = self._limit_hint(field)
                field.help_text = " ".join(text for text in (question.hint, limit) if text)

    @staticmethod
    def _limit_hint(field) -> str:
        """The limit FreeTextMixin gives a text box's hint (kept when the manager rewords the hint)."""
        if isinstance(field.widget, forms.Textarea) and getattr(field, "max_length", None):
            return f"Up to {field.max_length:,} characters."
        return ""

    def _add_autocomplete(self) -> None:
        """So a browser (and a password manager) can fill in who the applicant is (always asked)."""
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["organisation"].widget.attrs.update(
            autocomplete="organization", list="member-organisations"
        )
        self.fields["role"].widget.attrs["autocomplete"] = "organization-title"

    def _add_availability_fields(self) -> None:
        """One yes / if need be / no question per candidate time; an application being edited shows its
        answers (and its address and consent as given)."""
        answers = {}
        if self.instance.pk:
            answers = dict(self.instance.availability.values_list("candidate_time_id", "answer"))
            self.fields["email"].initial = self.instance.email
            self.fields["consent"].initial = True
        for time in self.candidate_times:
            self.fields[f"{AVAILABILITY_PREFIX}{time.pk}"] = forms.ChoiceField(
                label=time.label,
                choices=AvailabilityAnswer.choices,
                widget=forms.RadioSelect,
                initial=answers.get(time.pk),
                error_messages={REQUIRED: f"Choose yes, if need be or no for {time.label}."},
            )

    def _add_questions(self) -> None:
        """The programme's own questions (not hidden), each with the field its kind asks with; an application
        being edited shows its answers."""
        self.questions = [question for question in self.form_questions if not question.builtin]
        answers = {}
        if self.instance.pk and self.questions:
            answers = dict(self.instance.question_answers.values_list("question_id", "text"))
        for question in self.questions:
            field = form_field(question)
            if question.pk in answers:
                field.initial = initial_value(question, answers[question.pk])
            self.fields[field_name(question)] = field
        self.describe_text_fields()

    def _names(self, question) -> list[str]:
        """The fields asking `question`: its own (the grid's are shown by its template), and the email address
        right after the name."""
        if not question.builtin:
            return [field_name(question)]
        if question.builtin == "name":
            return ["name", "email"]
        return [] if question.builtin == "availability" else [question.builtin]

    def _asked_in(self, section: str) -> list[str]:
        return [
            name
            for question in self.form_questions
            if question.section == section
            for name in self._names(question)
        ]

    def _field_order(self) -> list[str]:
        """Section by section, each question in its order (the weekly times' grid in its section first), then
        consent."""
        order = []
        for section in QuestionSection.values:
            if section == QuestionSection.TIMES:
                order += [f"{AVAILABILITY_PREFIX}{time.pk}" for time in self.candidate_times]
            order += self._asked_in(section)
        return [*order, "consent"]

    def _lock_identity(self) -> None:
        """The address is who the application belongs to; to change it, withdraw and apply again."""
        self.fields["email"].disabled = True
        self.fields["email"].help_text = "To use another address, withdraw and apply again."
        self.fields["consent"].disabled = True

    def availability_fields(self):
        return [self[f"{AVAILABILITY_PREFIX}{time.pk}"] for time in self.candidate_times]

    def sections(self) -> list[FormSection]:
        """The sections in the order the form shows them, each with its heading, introduction and bound fields;
        a section with nothing to ask is left out (the weekly times and the consent are always asked)."""
        sections = []
        for key in QuestionSection.values:
            fields = [self[name] for name in self._asked_in(key)]
            if fields or key in ALWAYS_SHOWN:
                heading, introduction = SECTION_HEADINGS[key]
                sections.append(FormSection(heading, introduction, fields, key))
        return sections

    def support_questions(self) -> list:
        """The programme's own questions in the support and commitments section."""
        return [self[field_name(q)] for q in self.questions if q.section == QuestionSection.SUPPORT]

    def further_questions(self) -> list:
        """The programme's own questions in the section after the others (before access and consent)."""
        return [self[field_name(q)] for q in self.questions if q.section == QuestionSection.AFTER]

    def question_answers(self) -> dict[int, str]:
        """The answers to the programme's own questions, as stored (question id -> text, "" if none)."""
        return {
            question.pk: answer_text(question, self.cleaned_data.get(field_name(question)))
            for question in self.questions
        }

    def availability(self) -> dict[int, str]:
        return {
            time.pk: self.cleaned_data[f"{AVAILABILITY_PREFIX}{time.pk}"] for time in self.candidate_times
        }

    def answers(self) -> dict:
        """The answers to the built-in questions asked (a hidden one is not)."""
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.fields}

    def clean(self):
        cleaned = super().clean()
        chosen = {time.pk: cleaned.get(f"{AVAILABILITY_PREFIX}{time.pk}") for time in self.candidate_times}
        # A missing answer already has its own message by its row; the grid as a whole is judged once complete.
        if self.candidate_times and all(chosen.values()):
            refusal = availability_refusal(self.programme, chosen, times=len(self.candidate_times))
            if refusal:
                self.availability_error = refusal
                self.add_error(None, refusal)
        return cleaned

    availability_error = ""
