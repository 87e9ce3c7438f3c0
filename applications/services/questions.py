"""A programme's application questions: the form's built-in ones given to each programme as rows the manager
edits, her own questions' edits (a wording change recorded once people have answered, no deletion of an answered
question), copying them from another programme, and storing answers."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..enums import QuestionKind
from ..models import Application, Programme, Question, QuestionAnswer, QuestionLabelChange
from ..page_cache import public_pages_invalidate
from ..questions.defaults import BY_KEY, COLUMNS, DEFAULTS, required_message
from ..questions.kinds import answer_refusal
from ..selectors import builtin_question_default

HIDE_INSTEAD = "People have answered this question, so it cannot be deleted: tick “Hidden” to stop asking it."
BUILTIN_KEPT = (
    "This is one of the form's own questions, so it cannot be deleted: tick “Hidden” to stop asking it."
)
BUILTIN_FIXED = "The form always asks this question, so it cannot be deleted (it can be reworded and moved)."
# What copying a built-in question from another programme takes: its wording and place (never its kind).
BUILTIN_WORDING = ("label", "hint", "required", "section", "order", "hidden")


def question_delete_refusal(question: Question) -> str | None:
    """Why `question` cannot be deleted, or None. Asked by the admin's form and by `question_delete`."""
    if question.builtin:
        return BUILTIN_FIXED if BY_KEY[question.builtin].fixed else BUILTIN_KEPT
    if question.pk and question.answers.exists():
        return HIDE_INSTEAD
    return None


def _column_limit(name: str) -> int | None:
    """How long an answer the application's column takes (shown on the built-in question's row)."""
    return getattr(Application._meta.get_field(name), "max_length", None)


def builtin_questions_ensure(*, programme: Programme) -> int:
    """Give `programme` a row for each of the form's built-in questions it has none for, worded as the brief
    (`questions.defaults`), so the manager sees and edits them with her own. Safe to run twice. Returns how many
    rows were made."""
    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        present = set(programme.questions.exclude(builtin="").values_list("builtin", flat=True))
        new = [
            builtin_question_default(programme, default.key)
            for default in DEFAULTS
            if default.key not in present
        ]
        for question in new:
            if question.kind == QuestionKind.LONG_TEXT:
                question.max_length = _column_limit(question.builtin)
        Question.objects.bulk_create(new)
        if new:
            public_pages_invalidate()  # bulk_create sends no signal
    return len(new)


KIND_FIXED = (
    "People have answered this question, so its kind cannot change: hide it and add a new question instead."
)


def question_change_refusal(question: Question) -> str | None:
    """Why this edit of a question would leave its answers without a question they fit, or None: once answered,
    its kind stays, and a choice someone chose stays among its choices (its wording may change: recorded)."""
    if not question.pk:
        return None
    before = Question.objects.filter(pk=question.pk).values_list("kind", flat=True).first()
    answers = question.answers.values_list("text", flat=True)
    if before is None or not answers.exists():
        return None
    if before != question.kind:
        return KIND_FIXED
    if question.is_choice:
        chosen = {line for text in answers for line in text.splitlines()}
        dropped = sorted(chosen - set(question.choice_list))
        if dropped:
            return (
                f"People chose {', '.join(f'“{choice}”' for choice in dropped)}, so it stays among the choices "
                "(hide the question and add a new one to ask something else)."
            )
    return None


def question_answered(question: Question) -> bool:
    """Whether anyone has answered `question`: one of the form's own questions is answered by every application
    to its programme (its answers are the application's column), the programme's own by its answer rows."""
    if question.builtin:
        return Application.objects.filter(programme_id=question.programme_id).exists()
    return question.answers.exists()


def question_save(*, question: Question, by=None, now=None) -> Question:
    """Save a question; a change of its wording once people have answered it is recorded (who, when, what it
    said before), so the answers can be read against the question they answered. An edit that would leave its
    answers without a question they fit is refused (`question_change_refusal`)."""
    refusal = question_change_refusal(question)
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        if question.pk:
            old_label = Question.objects.filter(pk=question.pk).values_list("label", flat=True).first()
            if old_label is not None and old_label != question.label and question_answered(question):
                QuestionLabelChange.objects.create(
                    question=question,
                    old_label=old_label,
                    new_label=question.label,
                    changed_by=by,
                    changed_at=now or timezone.now(),
                )
        question.full_clean()
        question.save()
    return question


def question_delete(*, question: Question) -> None:
    """Delete a question nobody has answered; an answered one is refused (hide it instead)."""
    refusal = question_delete_refusal(question)
    if refusal:
        raise ValidationError(refusal)
    question.delete()


def questions_copy(*, source: Programme, target: Programme) -> int:
    """Copy `source`'s own questions (hidden ones too, hidden) after `target`'s own, in their order and sections,
    and the wording and place of the form's built-in questions `source` has rows for onto `target`'s (made if
    need be; never a second one). A question `target` already has (the same wording and kind) is not copied
    again, so copying twice (a double click, a retry) adds nothing. Returns how many own questions were copied."""
    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=target.pk).first()
        reworded = _builtin_wording_copy(source=source, target=target)
        own = target.questions.filter(builtin="")
        existing = set(own.values_list("label", "kind"))
        start = max(own.values_list("order", flat=True), default=0)
        # The question shown beside what they hoped comes along unless `target` already has one.
        hopes_taken = own.filter(shown_beside_hopes=True).exists()
        new = [
            Question(
                programme=target,
                kind=question.kind,
                label=question.label,
                hint=question.hint,
                required=question.required,
                max_length=question.max_length,
                choices=question.choices,
                section=question.section,
                order=start + question.order + 1,
                hidden=question.hidden,
                shown_beside_hopes=question.shown_beside_hopes and not hopes_taken,
                counted_in_report=question.counted_in_report,
            )
            for question in source.questions.filter(builtin="").order_by("order", "pk")
            if (question.label, question.kind) not in existing
        ]
        Question.objects.bulk_create(new)
        if new or reworded:
            public_pages_invalidate()  # bulk writes send no signal; the form's questions changed
    return len(new)


def _builtin_wording_copy(*, source: Programme, target: Programme) -> int:
    """`target`'s built-in questions take the wording and place of `source`'s rows (inside the caller's
    transaction). Returns how many of `target`'s rows changed or were made."""
    wording = {
        row["builtin"]: row
        for row in source.questions.exclude(builtin="").values("builtin", *BUILTIN_WORDING)
    }
    if not wording:
        return 0
    builtin_questions_ensure(programme=target)
    changed = []
    for question in target.questions.filter(builtin__in=list(wording)):
        row = wording[question.builtin]
        if any(getattr(question, name) != row[name] for name in BUILTIN_WORDING):
            for name in BUILTIN_WORDING:
                setattr(question, name, row[name])
            changed.append(question)
    Question.objects.bulk_update(changed, BUILTIN_WORDING)
    return len(changed)


def builtin_answers_check(questions: list[Question], answers: dict) -> None:
    """Refuse an application whose answers leave a built-in question the form asks, and needs an answer to,
    unanswered (`questions`: `form_questions` of its programme, so a hidden one is never required)."""
    messages = [
        required_message(question.builtin, question.label)
        for question in questions
        if question.builtin in COLUMNS and question.required and not answers.get(question.builtin)
    ]
    if messages:
        raise ValidationError(messages)


def question_answers_check(questions: list[Question], answers: dict[int, str]) -> None:
    """Refuse answers that do not fit their questions (`questions`: those the form asked)."""
    asked = {question.pk: question for question in questions}
    unknown = set(answers) - set(asked)
    if unknown:
        raise ValidationError("Some answers are to questions this form does not ask.")
    refusals = [answer_refusal(question, answers.get(question.pk, "")) for question in questions]
    messages = [refusal for refusal in refusals if refusal]
    if messages:
        raise ValidationError(messages)


def question_answers_store(
    *, application: Application, questions: list[Question], answers: dict[int, str], now=None
) -> None:
    """Store the answers to the questions asked (inside the caller's transaction): an answer left empty removes
    an earlier one; answers to questions not asked now (hidden since) are kept as they are."""
    now = now or timezone.now()
    existing = {answer.question_id: answer for answer in application.question_answers.all()}
    new, changed, emptied = [], [], []
    for question in questions:
        text = answers.get(question.pk, "")
        answer = existing.get(question.pk)
        if not text:
            if answer is not None:
                emptied.append(answer.pk)
        elif answer is None:
            new.append(QuestionAnswer(application=application, question=question, text=text, answered_at=now))
        elif answer.text != text:
            answer.text, answer.answered_at = text, now
            changed.append(answer)
    QuestionAnswer.objects.bulk_create(new)
    QuestionAnswer.objects.bulk_update(changed, ["text", "answered_at"])
    QuestionAnswer.objects.filter(pk__in=emptied).delete()
