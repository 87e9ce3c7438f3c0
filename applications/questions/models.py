"""A programme's application questions: the form's built-in ones (`builtin`: their answers are the application's
columns and weekly times) and the manager's own (answered in `QuestionAnswer`), and the record of a question's
wording changing once people had answered it. Imported by `applications.models`."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from cohort_site.core.fields import BoundedTextField
from cohort_site.core.words import label_with_colon

from ..enums import CHOICE_KINDS, COUNTABLE_KINDS, BuiltinQuestion, QuestionKind, QuestionSection
from .defaults import BY_KEY

# The longest answer a long-text question may allow, and what it allows unless the manager says otherwise.
LONG_TEXT_LIMIT = 5000
LONG_TEXT_DEFAULT = 3000
SHORT_TEXT_LIMIT = 200

ONE_BESIDE_HOPES = "Only one question of a programme can be shown beside what they hoped: untick it on the other question first."
COUNTABLE_ONLY = "Only a one choice, several choices or yes or no question can be counted in the report."
ONE_GRID = "The form asks the weekly times once, in its own section: choose another kind of question."
ALWAYS_ASKED = (
    "The form always asks this question, and it needs an answer: it can be reworded and moved, not hidden."
)


class Question(models.Model):
    """A question of the programme's application form, asked in its section, in order: one of the form's
    built-in questions (`builtin` names it; its kind stays) or one of the programme's own."""

    programme = models.ForeignKey(
        "applications.Programme", on_delete=models.CASCADE, related_name="questions"
    )
    builtin = models.CharField(
        "the form's own question",
        max_length=40,
        choices=BuiltinQuestion.choices,
        blank=True,
        default="",
        help_text="One of the questions every application form asks (its answers are kept with the application).",
    )
    kind = models.CharField(max_length=20, choices=QuestionKind.choices, default=QuestionKind.SHORT_TEXT)
    label = models.CharField("question", max_length=300)
    hint = BoundedTextField(max_length=1000, blank=True, help_text="Shown under the question. Optional.")
    required = models.BooleanField("needs an answer", default=False)
    max_length = models.PositiveSmallIntegerField(
        "longest answer (characters)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(LONG_TEXT_LIMIT)],
        help_text=f"For long text only: up to {LONG_TEXT_LIMIT:,}. Left empty: {LONG_TEXT_DEFAULT:,}.",
    )
    choices = BoundedTextField(
        max_length=3000, blank=True, help_text="For one choice or several choices: one choice a line."
    )
    section = models.CharField(max_length=12, choices=QuestionSection.choices, default=QuestionSection.AFTER)
    order = models.PositiveSmallIntegerField(
        default=0,
        help_text="Lower numbers come first in their section; at the same number, the form's own questions come "
        "first, in their usual order.",
    )
    hidden = models.BooleanField(
        default=False, help_text="No longer asked. The answers already given are kept and still shown."
    )
    shown_beside_hopes = models.BooleanField(
        "show in the evaluation beside what they hoped",
        default=False,
        help_text="The survey results show each member's answer to this question instead of “What they hoped "
        "to achieve”. One question per programme at most.",
    )
    counted_in_report = models.BooleanField(
        "count in the report",
        default=False,
        help_text="For one choice, several choices or yes or no: the programme report counts the members by "
        "their answer, under “Who took part”.",
    )

    class Meta:
        ordering = ["programme", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme"],
                condition=models.Q(shown_beside_hopes=True),
                name="question_one_beside_hopes",
                violation_error_message=ONE_BESIDE_HOPES,
            ),
            models.UniqueConstraint(
                fields=["programme", "builtin"],
                condition=~models.Q(builtin=""),
                name="question_builtin_once",
                violation_error_message="This programme already has this question of the form's own.",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.builtin:
            self._clean_builtin()
            return
        if self.kind == QuestionKind.AVAILABILITY:
            raise ValidationError({"kind": ONE_GRID})
        if self.kind in CHOICE_KINDS and len(set(self.choice_list)) < 2:
            raise ValidationError({"choices": "Give at least two different choices, one a line."})
        if self.counted_in_report and self.kind not in COUNTABLE_KINDS:
            raise ValidationError({"counted_in_report": COUNTABLE_ONLY})
        if self.max_length and self.kind != QuestionKind.LONG_TEXT:
            raise ValidationError(
                {"max_length": "Only a long-text question has a longest answer: leave it empty."}
            )

    def _clean_builtin(self) -> None:
        """A built-in question keeps its kind (its answers are a column of the application); the name, the
        organisation, the role and the weekly times stay asked, needing an answer, in their section."""
        default = BY_KEY.get(self.builtin)
        if default is None:
            raise ValidationError({"builtin": "Not one of the form's own questions."})
        if self.kind != default.kind:
            raise ValidationError({"kind": "The kind of the form's own questions cannot change."})
        if self.shown_beside_hopes or self.counted_in_report:
            raise ValidationError(
                "Only the programme's own questions can be shown beside what they hoped or counted in the report."
            )
        if default.fixed and (self.hidden or not self.required):
            raise ValidationError(ALWAYS_ASKED)
        if default.fixed and self.section != default.section:
            raise ValidationError(
                {"section": f"This question stays in “{QuestionSection(default.section).label}”."}
            )

    @property
    def default(self):
        """The brief's wording of a built-in question (None for the programme's own)."""
        return BY_KEY.get(self.builtin)

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    @property
    def text_limit(self) -> int:
        """How many characters an answer may have (text kinds)."""
        if self.kind == QuestionKind.LONG_TEXT:
            return self.max_length or LONG_TEXT_DEFAULT
        return SHORT_TEXT_LIMIT

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS


class QuestionAnswer(models.Model):
    """An applicant's answer to one of the programme's own questions: text, a choice, several choices (one a
    line), "yes" or "no", or a date (YYYY-MM-DD), as `applications.questions.kinds` stores it."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="question_answers"
    )
    # An answered question is hidden, never deleted: its answers stay readable.
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text = BoundedTextField(max_length=LONG_TEXT_LIMIT)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "answer to the programme's own question"
        verbose_name_plural = "answers to the programme's own questions"
        ordering = ["question__order", "question__pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="question_answer_unique")
        ]

    def __str__(self) -> str:
        return f"{label_with_colon(self.question.label)} {self.text}"


class QuestionLabelChange(models.Model):
    """A question's wording changed after people had answered it: who changed it, when, and what it said."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="label_changes")
    old_label = models.CharField("earlier wording", max_length=300)
    new_label = models.CharField("new wording", max_length=300)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "change of a question's wording"
        verbose_name_plural = "changes of questions' wording"
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.old_label} → {self.new_label}"
