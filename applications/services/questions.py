"""A programme's own application questions: the manager's edits (a wording change recorded once people have
answered, no deletion of an answered question), copying them from another programme, and storing answers."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import Application, Programme, Question, QuestionAnswer, QuestionLabelChange
from ..page_cache import public_pages_invalidate
from ..questions.kinds import answer_refusal

HIDE_INSTEAD = "People have answered this question, so it cannot be deleted: tick “Hidden” to stop asking it."


def question_delete_refusal(question: Question) -> str | None:
    """Why `question` cannot be deleted, or None. Asked by the admin's form and by `question_delete`."""
    if question.pk and question.answers.exists():
        return HIDE_INSTEAD
    return None


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
            if old_label is not None and old_label != question.label and question.answers.exists():
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
    """Copy `source`'s questions (hidden ones too, hidden) after `target`'s own, in their order and sections.
    A question `target` already has (the same wording and kind) is not copied again, so copying twice (a double
    click, a retry) adds nothing. Returns how many were copied."""
    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=target.pk).first()
        existing = set(target.questions.values_list("label", "kind"))
        start = max(target.questions.values_list("order", flat=True), default=0)
        # The question shown beside what they hoped comes along unless `target` already has one.
        hopes_taken = target.questions.filter(shown_beside_hopes=True).exists()
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
            for question in source.questions.order_by("order", "pk")
            if (question.label, question.kind) not in existing
        ]
        Question.objects.bulk_create(new)
        if new:
            public_pages_invalidate()  # bulk_create sends no signal; the form's questions changed
    return len(new)


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
