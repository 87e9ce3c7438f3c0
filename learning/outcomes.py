"""Before, after and later: the bank of outcome items and the arithmetic of change. No Django here.

The baseline (before the first session), the end-of-programme evaluation and the follow-up (a set time after the
last session) share the items the manager chooses from this bank, plus her own. A question carries its item's key
(`SurveyQuestion.item`), so one person's answers to the same item can be paired across the three surveys.

Nothing is shown for fewer than `MIN_ANSWERS` answers (figures and quoted words alike), so no one can be picked out.
"""

import statistics
from collections.abc import Mapping
from dataclasses import dataclass

MIN_ANSWERS = 5

# The words of each point of a 1-5 item, shown beside the number so every answer means the same thing.
AMOUNT_ANCHORS = ("Very little", "A little", "Some", "A good deal", "A great deal")
AGREE_ANCHORS = ("Not at all", "A little", "Somewhat", "Quite", "Very")


@dataclass(frozen=True)
class BankItem:
    key: str
    text: str
    help_text: str
    rating: bool  # 1-5 with `anchors`; otherwise an open answer
    surveys: tuple[str, ...]  # the survey kinds it appears in (SurveyKind values)
    anchors: tuple[str, ...] = ()


ALL = ("baseline", "evaluation", "follow_up")
THEME = "putting relationships and connections at the heart of your work"


def _anchored(anchors: tuple[str, ...]) -> str:
    return f"1 is {anchors[0].lower()}, 5 is {anchors[-1].lower()}."


BANK: tuple[BankItem, ...] = (
    BankItem(
        "knowledge",
        f"How much do you know about {THEME}?",
        _anchored(AMOUNT_ANCHORS),
        True,
        ALL,
        AMOUNT_ANCHORS,
    ),
    BankItem(
        "skills",
        f"How much skill do you have in {THEME}?",
        _anchored(AMOUNT_ANCHORS),
        True,
        ALL,
        AMOUNT_ANCHORS,
    ),
    BankItem(
        "confidence",
        f"How confident do you feel about {THEME}?",
        _anchored(AGREE_ANCHORS),
        True,
        ALL,
        AGREE_ANCHORS,
    ),
    BankItem(
        "motivation",
        f"How motivated do you feel about {THEME}?",
        _anchored(AGREE_ANCHORS),
        True,
        ALL,
        AGREE_ANCHORS,
    ),
    BankItem(
        "connection",
        "How connected do you feel to other practitioners doing work like yours?",
        _anchored(AGREE_ANCHORS),
        True,
        ALL,
        AGREE_ANCHORS,
    ),
    BankItem(
        "intention",
        "What, if anything, do you intend to change in your practice?",
        "A sentence or two is plenty.",
        False,
        ("baseline", "evaluation"),
    ),
    BankItem(
        "changes",
        "What have you tried in your practice since the sessions?",
        "Anything you have done differently, however small.",
        False,
        ("follow_up",),
    ),
)
BANK_BY_KEY = {item.key: item for item in BANK}
DEFAULT_ITEMS = tuple(item.key for item in BANK)
OWN_PREFIX = "own-"


def anchors_for(item_key: str) -> tuple[str, ...]:
    item = BANK_BY_KEY.get(item_key)
    return item.anchors if item else ()


@dataclass(frozen=True)
class PairedChange:
    """One item's change for the people who answered it both before and after.

    `shown` is False when fewer than MIN_ANSWERS people answered both: then the figures are not to be shown."""

    n: int
    median_change: float | None
    improved: int
    same: int
    worse: int

    @property
    def shown(self) -> bool:
        return self.n >= MIN_ANSWERS

    @property
    def improved_share(self) -> str:
        return percent(self.improved, self.n)

    @property
    def median_text(self) -> str:
        """ "+1", "0", "-0.5" points on the 1-5 scale."""
        return signed(self.median_change) if self.median_change is not None else "–"


def signed(value: float) -> str:
    number = f"{value:g}"
    return f"+{number}" if value > 0 else number


def paired_change(before: Mapping[int, int], after: Mapping[int, int]) -> PairedChange:
    """Pair each person's rating before with theirs after (keyed by person); people with only one are left out."""
    changes = [after[person] - before[person] for person in before.keys() & after.keys()]
    return PairedChange(
        n=len(changes),
        median_change=statistics.median(changes) if changes else None,
        improved=sum(1 for change in changes if change > 0),
        same=sum(1 for change in changes if change == 0),
        worse=sum(1 for change in changes if change < 0),
    )


def percent(part: int, whole: int) -> str:
    """ "40%"; "–" when there is nothing to divide by."""
    return f"{round(100 * part / whole)}%" if whole else "–"
