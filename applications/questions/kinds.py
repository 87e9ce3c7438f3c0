"""What each kind of question is on the form, how its answer is stored as text, and what a stored answer may be.

The form asks with `form_field`, turns what was entered into the stored text with `answer_text`; the service
checks the text again with `answer_refusal` (so an answer is valid whatever path it came by); pages, emails and
the CSV show it with `answer_display`.
"""

import datetime

from django import forms

from cohort_site.core.dates import date_text

from ..enums import QuestionKind
from .models import Question

YES_NO = [("yes", "Yes"), ("no", "No")]
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
FIELD_PREFIX = "question_"


def field_name(question: Question) -> str:
    return f"{FIELD_PREFIX}{question.pk}"


def form_field(question: Question) -> forms.Field:
    """The form field asking `question`, with its hint, whether it needs an answer, and its messages."""
    common = {"label": question.label, "required": question.required, "help_text": question.hint}
    kind = question.kind
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        box = kind == QuestionKind.LONG_TEXT
        return forms.CharField(
            max_length=question.text_limit,
            widget=forms.Textarea(attrs={"rows": 4}) if box else forms.TextInput,
            error_messages={"required": f"Answer “{question.label}”."},
            **common,
        )
    if kind == QuestionKind.DATE:
        return forms.DateField(
            input_formats=DATE_FORMATS,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            error_messages={
                "required": f"Enter a date for “{question.label}”.",
                "invalid": "Enter a real date, like 21/07/2026.",
            },
            **common,
        )
    if kind == QuestionKind.SEVERAL_CHOICES:
        return forms.MultipleChoiceField(
            choices=[(choice, choice) for choice in question.choice_list],
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": f"Choose at least one answer for “{question.label}”.",
                "invalid_choice": "Choose from the answers given.",
            },
            **common,
        )
    choices = YES_NO if kind == QuestionKind.YES_NO else [(c, c) for c in question.choice_list]
    return forms.ChoiceField(
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": f"Choose an answer for “{question.label}”.",
            "invalid_choice": "Choose one of the answers given.",
        },
        **common,
    )


def answer_text(question: Question, value) -> str:
    """The stored text of a cleaned form value ("" when not answered)."""
    if value in (None, "", []):
        return ""
    if question.kind == QuestionKind.SEVERAL_CHOICES:
        return "\n".join(value)
    if question.kind == QuestionKind.DATE:
        return value.isoformat()
    return str(value)


def initial_value(question: Question, text: str):
    """The form's starting value for a stored answer."""
    if question.kind == QuestionKind.SEVERAL_CHOICES:
        return text.splitlines()
    if question.kind == QuestionKind.DATE and text:
        return datetime.date.fromisoformat(text)
    return text


def answer_refusal(question: Question, text: str) -> str | None:
    """Why `text` cannot be stored as an answer to `question`, or None."""
    if not text:
        return f"Answer “{question.label}”." if question.required else None
    kind = question.kind
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        if kind == QuestionKind.SHORT_TEXT and "\n" in text:
            return f"“{question.label}” takes one line."
        if len(text) > question.text_limit:
            return f"“{question.label}” takes {question.text_limit:,} characters or fewer."
        return None
    if kind == QuestionKind.DATE:
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            return "Enter a real date, like 21/07/2026."
        return None
    allowed = [value for value, _label in YES_NO] if kind == QuestionKind.YES_NO else question.choice_list
    chosen = text.splitlines() if kind == QuestionKind.SEVERAL_CHOICES else [text]
    if any(choice not in allowed for choice in chosen) or len(set(chosen)) != len(chosen):
        return f"Choose from the answers given for “{question.label}”."
    return None


def answer_display(question: Question, text: str) -> str:
    """An answer as people read it: choices joined with semicolons, a date as a date."""
    if question.kind == QuestionKind.SEVERAL_CHOICES:
        return "; ".join(text.splitlines())
    if question.kind == QuestionKind.YES_NO:
        return dict(YES_NO).get(text, text)
    if question.kind == QuestionKind.DATE and text:
        return date_text(datetime.date.fromisoformat(text))
    return text
