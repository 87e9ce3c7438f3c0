"""The two public forms: expression of interest and application (also used to edit an application)."""

import uuid

from django import forms

from cohort_site.core.forms import FreeTextMixin

from .enums import AvailabilityAnswer, QuestionSection, Region, RoleType
from .models import Application, Programme
from .questions.kinds import answer_text, field_name, form_field, initial_value
from .selectors import questions_asked
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

# Help text from the brief's "About you" and "Practical details".
HELP = {
    "organisation": "The Connection Coalition member organisation you work for. Start typing to see suggestions.",
    "role": "Your job title or what you do, e.g. community connector, volunteer coordinator.",
    "role_type": "The group is for active practitioners, in a front-line role or designing and developing "
    "front-line interventions.",
    "region": "Groups meet online; this helps us bring together people from across the country. Optional.",
    "pandemic_work": "How your organisation has supported individuals and communities during the pandemic: "
    "new partnerships, volunteers, changes to your work.",
    "learning_gained": "Some ideas of learning you or your organisation have gained during the pandemic.",
    "motivation": "This helps us shape the community around members' needs from the start.",
    "hopes": "What you would like to have gained by the end of the six weeks.",
    "challenge": "A specific challenge or question around putting relationships and connections at the heart "
    "of your work. It doesn't have to be perfectly formed: ideas, questions and curiosity are great.",
    "share_challenge_with_partners": "Your coffee pair will see it, to start a conversation.",
    "organisation_support": "Sessions are 6 × 2 hours weekly, plus short coffee-pair meetings and a couple of hours "
    "of self-directed learning: 2–3 days over 6 weeks.",
    "team_open_to_ideas": "The group has most impact if you can talk with your team about your learning and try "
    "things out.",
    "commits_to_openness": "",
    "commits_to_sharing": "Giving feedback to shape the sessions, and contributing to what we share with the "
    "wider network: perhaps a blog, a survey or an online session.",
    "accessibility_needs": "Anything that would help you take part fully: captions, breaks, materials in "
    "advance. Optional.",
}

LABELS = {
    "pandemic_work": "What did your organisation do during the pandemic?",
    "learning_gained": "What learning have you or your organisation gained?",
    "motivation": "Why do you want to take part?",
    "hopes": "What do you hope to achieve?",
    "challenge": "A challenge or question you would like to bring (optional)",
    "share_challenge_with_partners": "Share my challenge with my coffee pair",
    "organisation_support": "My organisation supports me to attend",
    "team_open_to_ideas": "My wider team is open to new ideas",
    "accessibility_needs": "Accessibility needs (optional)",
    "role_type": "Which describes you best?",
    "region": "Where do you work?",
}

MESSAGES = {
    "name": "Enter your name.",
    "organisation": "Enter your organisation.",
    "role": "Enter your role.",
    "role_type": "Choose whether you work in a front-line role or design front-line work.",
    "pandemic_work": "Tell us what your organisation did during the pandemic.",
    "learning_gained": "Tell us about some learning you or your organisation have gained.",
    "motivation": "Tell us why you want to take part.",
    "hopes": "Tell us what you hope to achieve.",
    "organisation_support": "Tick to confirm your organisation supports you to attend: it is needed to take part.",
    "commits_to_openness": "Tick to confirm you will show up with openness, honesty and no judgement.",
    "commits_to_sharing": "Tick to confirm you will share feedback and learning as we go.",
}

# The commitments from "About you" a person must tick to apply; the open team is asked, not required.
REQUIRED_TICKS = ("organisation_support", "commits_to_openness", "commits_to_sharing")


class ApplicationForm(PublicFormMixin, forms.ModelForm):
    """Every question, in sections (see `sections`), plus one yes / if need be / no per candidate time."""

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
        fields = [
            "name",
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
        ]
        widgets = {
            "role_type": forms.RadioSelect,
            "pandemic_work": forms.Textarea(attrs={"rows": 4}),
            "learning_gained": forms.Textarea(attrs={"rows": 4}),
            "motivation": forms.Textarea(attrs={"rows": 4}),
            "hopes": forms.Textarea(attrs={"rows": 3}),
            "challenge": forms.Textarea(attrs={"rows": 3}),
            "accessibility_needs": forms.Textarea(attrs={"rows": 2}),
        }
        # Set here rather than in __init__, so FreeTextMixin adds each limit to the help text it finds.
        labels = {**LABELS, "name": "Your name", "role": "Your role"}
        help_texts = {name: text for name, text in HELP.items() if text}
        error_messages = {name: {REQUIRED: message} for name, message in MESSAGES.items()}

    def __init__(self, *args, programme: Programme, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.editing = editing
        self.candidate_times = list(programme.candidate_times.select_related("programme"))
        self.fields["role_type"].choices = RoleType.choices
        self.fields["region"].choices = [("", "Prefer not to say"), *Region.choices]
        for name in REQUIRED_TICKS:
            self.fields[name].required = True
        self._add_autocomplete()
        self._add_availability_fields()
        self._add_questions()
        self.order_fields(self._field_order())
        if editing:
            self._lock_identity()
        elif not self.is_bound:
            self.fields["submission_token"].initial = uuid.uuid4()

    def _add_autocomplete(self) -> None:
        """So a browser (and a password manager) can fill in who the applicant is."""
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
        self.questions = questions_asked(self.programme)
        answers = {}
        if self.instance.pk and self.questions:
            answers = dict(self.instance.question_answers.values_list("question_id", "text"))
        for question in self.questions:
            field = form_field(question)
            if question.pk in answers:
                field.initial = initial_value(question, answers[question.pk])
            self.fields[field_name(question)] = field
        self.describe_text_fields()

    def _asked_in(self, section: str) -> list[str]:
        return [field_name(question) for question in self.questions if question.section == section]

    def _field_order(self) -> list[str]:
        """About the applicant, their work and hopes, when they can meet, the commitments, the programme's own
        further questions, then consent."""
        return [
            "name",
            "email",
            "organisation",
            "role",
            "role_type",
            "region",
            *self._asked_in(QuestionSection.ABOUT_YOU),
            "pandemic_work",
            "learning_gained",
            *self._asked_in(QuestionSection.WORK),
            "motivation",
            "hopes",
            "challenge",
            "share_challenge_with_partners",
            *self._asked_in(QuestionSection.WHY),
            *(f"{AVAILABILITY_PREFIX}{time.pk}" for time in self.candidate_times),
            *REQUIRED_TICKS[:1],
            "team_open_to_ideas",
            *REQUIRED_TICKS[1:],
            *self._asked_in(QuestionSection.SUPPORT),
            *self._asked_in(QuestionSection.AFTER),
            "accessibility_needs",
            "consent",
        ]

    def _lock_identity(self) -> None:
        """The address is who the application belongs to; to change it, withdraw and apply again."""
        self.fields["email"].disabled = True
        self.fields["email"].help_text = "To use another address, withdraw and apply again."
        self.fields["consent"].disabled = True

    def availability_fields(self):
        return [self[f"{AVAILABILITY_PREFIX}{time.pk}"] for time in self.candidate_times]

    def sections(self) -> list[tuple[str, str, list]]:
        """(heading, introduction, bound fields) in the order the form shows them."""

        def bound(*names):
            return [self[name] for name in names]

        return [
            (
                "About you",
                "",
                bound(
                    "name",
                    "email",
                    "organisation",
                    "role",
                    "role_type",
                    "region",
                    *self._asked_in(QuestionSection.ABOUT_YOU),
                ),
            ),
            (
                "Your work and learning",
                "",
                bound("pandemic_work", "learning_gained", *self._asked_in(QuestionSection.WORK)),
            ),
            (
                "Why you want to take part",
                "",
                bound(
                    "motivation",
                    "hopes",
                    "challenge",
                    "share_challenge_with_partners",
                    *self._asked_in(QuestionSection.WHY),
                ),
            ),
        ]

    def support_questions(self) -> list:
        """The programme's own questions shown after the built-in support and commitments."""
        return [self[name] for name in self._asked_in(QuestionSection.SUPPORT)]

    def further_questions(self) -> list:
        """The programme's own questions shown after all the built-in ones (before access and consent)."""
        return [self[name] for name in self._asked_in(QuestionSection.AFTER)]

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
        return {name: self.cleaned_data[name] for name in self._meta.fields}

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
