from django.conf import settings
from django.db import models
from django.utils import timezone

from applications.models import Application, Cohort

from .enums import RoundStatus


class Round(models.Model):
    """The gap between two sessions: opens when session `after_session` ends, closes when the next session still
    on (`before_session`) starts. `number` is the round's place in the group's rounds (1, 2, 3, ...): what people
    see, with no gap where a cancelled session took a round away; `rounds_sync` keeps it so."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="coffee_rounds", verbose_name="group"
    )
    number = models.PositiveSmallIntegerField(
        help_text="The round's place in the group's rounds: 1, 2, 3, ..."
    )
    after_session = models.PositiveSmallIntegerField(help_text="The number of the session the round follows.")
    before_session = models.PositiveSmallIntegerField(
        help_text="The number of the session that ends the round."
    )
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.PLANNED)
    published_at = models.DateTimeField(null=True, blank=True)
    planned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cohort", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "after_session"], name="coffee_round_after_session_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="coffee_round_closes_after_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort.name}: coffee round {self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == RoundStatus.PUBLISHED

    @property
    def halfway_at(self):
        return self.opens_at + (self.closes_at - self.opens_at) / 2


class Pair(models.Model):
    """A pair (or the round's one trio) of members who meet for coffee in a round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="pairs")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round", "pk"]

    def __str__(self) -> str:
        return f"{self.round}: pair {self.pk}"


class PairMember(models.Model):
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="memberships")
    # Denormalised from pair.round so that "one group per member per round" is a database constraint.
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="coffee_memberships")
    met_at = models.DateTimeField(null=True, blank=True, help_text="When this member said “we met”.")

    class Meta:
        ordering = ["pair", "member__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "member"], name="coffee_one_group_per_round")]

    def __str__(self) -> str:
        return f"{self.member.name} in {self.pair}"


class SkipRequest(models.Model):
    """A member asking to sit out a round that is not announced yet."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="skip_requests")
    member = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="coffee_skips")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "member"], name="coffee_skip_unique")]

    def __str__(self) -> str:
        return f"{self.member.name} skips {self.round}"


# --- Alumni: monthly coffee pairs across groups and programmes ---------------------------------------------


class AlumniOptIn(models.Model):
    """A member whose group has ended, in the monthly alumni coffee pairs. Opting out deletes the row."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alumni_coffee"
    )
    opted_in_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "alumni coffee opt-in"

    def __str__(self) -> str:
        return f"{self.user.name or self.user.email} in alumni coffee pairs"


class AlumniRound(models.Model):
    """One month's alumni coffee pairs, formed once by the dispatcher (`pairings.services.alumni_round_form`)."""

    month = models.DateField(unique=True, help_text="The first day of the month (UK time).")
    formed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"Alumni coffee, {self.month_name}"

    @property
    def month_name(self) -> str:
        """ "November 2026": a month, always with its year."""
        return f"{self.month:%B %Y}"


class AlumniPair(models.Model):
    """A pair (or the month's one trio) of alumni who meet for coffee in a month."""

    round = models.ForeignKey(AlumniRound, on_delete=models.CASCADE, related_name="pairs")

    class Meta:
        ordering = ["round", "pk"]

    def __str__(self) -> str:
        return f"{self.round}: pair {self.pk}"


class AlumniPairMember(models.Model):
    pair = models.ForeignKey(AlumniPair, on_delete=models.CASCADE, related_name="memberships")
    # Denormalised from pair.round so that "one pair per person per month" is a database constraint.
    round = models.ForeignKey(AlumniRound, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alumni_coffee_memberships"
    )

    class Meta:
        ordering = ["pair", "user__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="alumni_coffee_one_pair_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.user.name or self.user.email} in {self.pair}"
