"""Reads for "before, after and later": each outcome item's answers in the baseline, the evaluation and the
follow-up, paired person by person (the arithmetic is `learning.outcomes`, with no Django).

Figures and quotes of fewer than `outcomes.MIN_ANSWERS` answers are withheld here, so no page can show them."""

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Q

from applications.models import Application, Programme
from applications.selectors import active_member_place

from . import outcomes
from .enums import OUTCOME_SURVEYS, QuestionKind, SurveyKind
from .models import Survey, SurveyAnswer, SurveyQuestion
from .selectors import survey_openings

# The comparisons shown for each 1-5 item: (from, to, words).
COMPARISONS = [
    (SurveyKind.BASELINE, SurveyKind.EVALUATION, "Before to the end"),
    (SurveyKind.BASELINE, SurveyKind.FOLLOW_UP, "Before to the follow-up"),
]


@dataclass
class SurveyRate:
    """How many members a survey has been sent to (it has opened for their group) and how many answered."""

    survey: Survey
    asked: int
    answered: int

    @property
    def rate(self) -> str:
        return outcomes.percent(self.answered, self.asked)


@dataclass
class ItemAnswers:
    """One item in one survey: how many answered, and the median rating when at least MIN_ANSWERS did."""

    title: str
    count: int
    median: float | None

    @property
    def shown(self) -> bool:
        return self.count >= outcomes.MIN_ANSWERS


@dataclass
class Quote:
    survey_title: str
    text: str


@dataclass
class ItemResult:
    key: str
    text: str
    rating: bool
    per_survey: list[ItemAnswers] = field(default_factory=list)
    changes: list[tuple[str, outcomes.PairedChange]] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    # Written answers exist, but too few in a survey (or none with consent) to quote any.
    quotes_withheld: bool = False


@dataclass
class OutcomeResults:
    rates: list[SurveyRate]
    items: list[ItemResult]

    @property
    def chosen(self) -> set[str]:
        return {item.key for item in self.items}


def outcome_surveys(programme: Programme) -> list[Survey]:
    """The programme's baseline, evaluation and follow-up that exist, in that order."""
    surveys = {
        s.kind: s for s in programme.surveys.filter(kind__in=OUTCOME_SURVEYS).select_related("programme")
    }
    return [surveys[kind] for kind in OUTCOME_SURVEYS if kind in surveys]


def survey_rates(surveys: list[Survey], *, now: datetime.datetime) -> list[SurveyRate]:
    """Per survey: the members of the groups it has opened for by `now`, and how many of them answered."""
    rates = []
    for survey in surveys:
        opened = [cohort_id for cohort_id, at in survey_openings(survey).items() if at <= now]
        counts = Application.objects.filter(active_member_place(), cohort_id__in=opened).aggregate(
            asked=Count("pk", distinct=True),
            answered=Count("pk", filter=Q(survey_responses__survey=survey), distinct=True),
        )
        rates.append(SurveyRate(survey, counts["asked"], counts["answered"]))
    return rates


def outcome_results(programme: Programme, *, now: datetime.datetime) -> OutcomeResults:
    """Every outcome item asked in the programme's outcome surveys (retired ones too, if answered), with its
    answers per survey, the paired changes and the quotes its authors consented to."""
    surveys = outcome_surveys(programme)
    titles = {s.kind: s.title for s in surveys}
    questions = list(
        SurveyQuestion.objects.filter(survey__in=surveys)
        .exclude(item="")
        .filter(Q(is_active=True) | Q(answers__isnull=False))
        .distinct()
        .select_related("survey")
        .order_by("order", "pk")
    )
    order = {item.key: index for index, item in enumerate(outcomes.BANK)}
    keys = sorted(dict.fromkeys(q.item for q in questions), key=lambda key: (order.get(key, len(order)), key))
    first_question = {}
    for question in questions:
        first_question.setdefault(question.item, question)
    # item -> survey kind -> member id -> rating (or text, and whether it may be quoted)
    ratings: dict[str, dict[str, dict[int, int]]] = {}
    texts: dict[str, dict[str, list[tuple[str, bool]]]] = {}
    answers = SurveyAnswer.objects.filter(question__in=questions).values_list(
        "question__item",
        "question__survey__kind",
        "response__member_id",
        "rating",
        "text",
        "response__may_quote",
    )
    for key, kind, member_id, rating, text, may_quote in answers.order_by("response__submitted_at", "pk"):
        if rating is not None:
            ratings.setdefault(key, {}).setdefault(kind, {})[member_id] = rating
        elif text:
            texts.setdefault(key, {}).setdefault(kind, []).append((text, may_quote))
    items = []
    for key in keys:
        question = first_question[key]
        result = ItemResult(key=key, text=question.text, rating=question.kind == QuestionKind.RATING)
        for survey in surveys:
            if result.rating:
                given = list(ratings.get(key, {}).get(survey.kind, {}).values())
                shown = len(given) >= outcomes.MIN_ANSWERS
                median = statistics.median(given) if shown else None
                result.per_survey.append(ItemAnswers(survey.title, len(given), median))
            else:
                written = texts.get(key, {}).get(survey.kind, [])
                result.per_survey.append(ItemAnswers(survey.title, len(written), None))
                if len(written) >= outcomes.MIN_ANSWERS:
                    result.quotes += [Quote(survey.title, text) for text, may_quote in written if may_quote]
                if written and (
                    len(written) < outcomes.MIN_ANSWERS or not any(may_quote for _, may_quote in written)
                ):
                    result.quotes_withheld = True
        if result.rating:
            by_kind = ratings.get(key, {})
            for before, after, words in COMPARISONS:
                if before in titles and after in titles:
                    result.changes.append(
                        (words, outcomes.paired_change(by_kind.get(before, {}), by_kind.get(after, {})))
                    )
        items.append(result)
    return OutcomeResults(rates=survey_rates(surveys, now=now), items=items)
