import datetime
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from cohort_site.core.dates import DAY_TIME, local_text
from cohort_site.core.fields import BoundedTextField
from cohort_site.core.models import validate_timezone

from .enums import (
    PLACE_HOLDING_STATUSES,
    WORDED_EMAILS,
    ApplicationStatus,
    AvailabilityAnswer,
    ComposerMark,
    HolidayNation,
    ProgrammePhase,
    Region,
    RoleType,
    WaitlistPromotion,
    Weekday,
)

# An application answer: room for a few careful paragraphs (about 450 words), far more than selection needs.
ANSWER_MAX = 3000


class Programme(models.Model):
    """A call for a community of practice: what it is, who it is for, and its timeline."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        "web address",
        max_length=80,
        unique=True,
        help_text="The end of the programme page's address (…/programmes/this-part/): small letters, numbers and "
        "hyphens. Filled in from the title.",
    )
    summary = BoundedTextField(
        max_length=1000, help_text="One or two sentences shown at the top of the programme page."
    )
    who_it_is_for = BoundedTextField(max_length=5000)
    what_to_expect = BoundedTextField(max_length=5000)
    time_commitment = BoundedTextField(max_length=5000)
    location = BoundedTextField(max_length=1000, help_text="Where sessions happen, e.g. online.")
    contact_name = models.CharField(max_length=150)
    contact_email = models.EmailField()
    timezone = models.CharField(max_length=64, default="Europe/London", validators=[validate_timezone])
    holiday_nation = models.CharField(
        "bank holidays of",
        max_length=3,
        choices=HolidayNation.choices,
        default=HolidayNation.ENGLAND_AND_WALES,
        help_text="Sessions that fall on this nation's bank holidays are flagged, and skipped unless kept.",
    )
    group_size = models.PositiveSmallIntegerField(default=20, validators=[MinValueValidator(2)])
    session_count = models.PositiveSmallIntegerField(default=6, validators=[MinValueValidator(1)])
    session_length = models.DurationField(default=timedelta(hours=2))
    applications_open_at = models.DateTimeField()
    applications_close_at = models.DateTimeField()
    confirmation_week = models.DateField(help_text="Monday of the week members are confirmed.")
    first_session_week = models.DateField(help_text="Monday of the week of session 1.")
    min_available_times = models.PositiveSmallIntegerField(
        default=2, help_text="How many candidate weekly times an applicant must answer “yes” to."
    )
    apply_reminder_lead = models.DurationField(
        default=timedelta(days=2),
        help_text="How long before the deadline interested people are reminded to apply.",
    )
    offer_valid_for = models.DurationField(
        default=timedelta(days=7), help_text="How long an applicant has to confirm an offered place."
    )
    offer_reminder_lead = models.DurationField(
        default=timedelta(days=2), help_text="How long before an offer expires the applicant is reminded."
    )
    waitlist_promotion = models.CharField(
        max_length=12,
        choices=WaitlistPromotion.choices,
        default=WaitlistPromotion.PROPOSED,
        help_text="When a member withdraws or an offer expires, what happens to the freed place.",
    )
    freed_places_until_session = models.PositiveSmallIntegerField(
        "offer freed places until session",
        default=2,
        validators=[MinValueValidator(1)],
        help_text="A place freed before this session of the group starts goes to the waitlist; once it has "
        "started, a freed place stays empty (joining that late is too late to catch up).",
    )
    is_published = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-applications_open_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(applications_close_at__gt=models.F("applications_open_at")),
                name="programme_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("applications:programme", kwargs={"slug": self.slug})

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def phase(self, now: datetime.datetime | None = None) -> ProgrammePhase:
        now = now or timezone.now()
        if now < self.applications_open_at:
            return ProgrammePhase.NOT_YET_OPEN
        if now < self.applications_close_at:
            return ProgrammePhase.OPEN
        return ProgrammePhase.CLOSED

    def session_weeks(self) -> list[datetime.date]:
        """The Monday of each session's week, from the first, one a week."""
        return [self.first_session_week + timedelta(weeks=n) for n in range(self.session_count)]


class ProgrammeSection(models.Model):
    """A block of the call's text (introduction, aims, what you gain, …), Markdown, shown in order."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(
        "short name",
        max_length=60,
        help_text="One or two words naming the section in its programme, in small letters joined by hyphens "
        "(aims, about-you). Each section of a programme has its own.",
    )
    heading = models.CharField(max_length=200)
    body = BoundedTextField(
        max_length=20000,
        help_text="A blank line starts a new paragraph; *words in stars* are emphasised, a line starting with "
        "“- ” is a bullet, and [words](https://…) is a link.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["programme", "key"], name="section_key_unique")]

    def __str__(self) -> str:
        return self.heading


class DropIn(models.Model):
    """A drop-in Q&A session where people find out more before applying."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="drop_ins")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    join_url = models.URLField()
    host_name = models.CharField(max_length=150)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="drop_in_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"Drop-in {local_text(self.starts_at, self.programme.tz, DAY_TIME)}"


class CandidateTime(models.Model):
    """A weekly time the manager offers for sessions (a day and a local start time); applicants say if it suits."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="candidate_times")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField(help_text="Local time in the programme's time zone.")

    class Meta:
        ordering = ["programme", "weekday", "start_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "weekday", "start_time"], name="candidate_time_unique"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        start = datetime.datetime.combine(datetime.date(2000, 1, 3), self.start_time)
        end = start + self.programme.session_length
        return f"{Weekday(self.weekday).label} {start:%H:%M}–{end:%H:%M}"


class Cohort(models.Model):
    """A group of a programme, of at most `size` members; several may run one after another."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cohorts")
    number = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=120)
    size = models.PositiveSmallIntegerField(
        default=20, validators=[MinValueValidator(2), MaxValueValidator(200)]
    )
    first_session_week = models.DateField(help_text="Monday of the week of this group's first session.")
    # The weekly time the group's places were offered at, when it was composed with its time (the "Propose
    # groups" page): offers name it, waitlist promotion offers only to those who can make it, and the schedule
    # page starts from it. The schedule (sessions_app's CohortSchedule, with the sessions) confirms it later.
    offered_time = models.ForeignKey(
        CandidateTime,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="weekly time offered",
        help_text="The weekly time the places were offered at; the schedule page confirms it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # "group" on screen, the admin included (docs: STYLE.md practice 15); "cohort" stays the code's word.
        verbose_name = "group"
        verbose_name_plural = "groups"
        ordering = ["programme", "number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="cohort_number_unique")]

    def __str__(self) -> str:
        return f"{self.programme.title}: {self.name}"


class MemberOrganisation(models.Model):
    """A Connection Coalition member organisation, imported by the manager, suggested on the forms."""

    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="member_organisation_unique_ci")]

    def __str__(self) -> str:
        return self.name


class Application(models.Model):
    """One person's application to a programme, and, once confirmed, their membership of a cohort.

    A cohort never holds more than `size` applications in PLACE_HOLDING_STATUSES (offered, confirmed): the selection
    service locks the cohort row and counts; behind it, on PostgreSQL, the trigger `applications_cohort_cap`
    (function of the same name, migration 0003) refuses any insert or update that would overfill, even from code
    that skipped the service. The trigger, the check constraint below and the service use the same statuses
    (tests/applications/test_selection_cap.py checks that they agree).
    """

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="applications")
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name="group",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
    )
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)

    name = models.CharField(max_length=150)
    email = models.EmailField(max_length=254)
    organisation = models.CharField(max_length=200)
    role = models.CharField("your role", max_length=200)
    role_type = models.CharField(max_length=20, choices=RoleType.choices)
    region = models.CharField("where you work", max_length=20, choices=Region.choices, blank=True)
    pandemic_work = BoundedTextField("what your organisation did during the pandemic", max_length=ANSWER_MAX)
    motivation = BoundedTextField("why you want to take part", max_length=ANSWER_MAX)
    hopes = BoundedTextField("what you hope to achieve", max_length=ANSWER_MAX)
    learning_gained = BoundedTextField("learning you or your organisation gained", max_length=ANSWER_MAX)
    challenge = BoundedTextField("a challenge or question to bring", max_length=ANSWER_MAX, blank=True)
    share_challenge_with_partners = models.BooleanField(
        "share my challenge with my coffee partners", default=False
    )
    organisation_support = models.BooleanField("my organisation supports me to attend", default=False)
    team_open_to_ideas = models.BooleanField("my wider team is open to new ideas", default=False)
    accessibility_needs = BoundedTextField(max_length=1000, blank=True)
    commits_to_openness = models.BooleanField(
        "I commit to showing up with openness, honesty, a lack of judgement, playfulness and positivity",
        default=False,
    )
    commits_to_sharing = models.BooleanField(
        "I commit to sharing feedback and learning as we go", default=False
    )
    consented_at = models.DateTimeField(null=True, blank=True)
    # Sent with the form: a retried or double-clicked post carries the same token, so it is recognised.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    manager_notes = BoundedTextField(max_length=5000, blank=True)
    score = models.PositiveSmallIntegerField(
        "score (0 to 10)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(10)],
        help_text="Your own score for this application, from 0 (not a fit) to 10 (a strong fit); only staff see it.",
    )
    composer_mark = models.CharField(
        "when proposing groups",
        max_length=10,
        choices=ComposerMark.choices,
        blank=True,
        help_text="“Must include” places them whenever they can make a proposed time; “Exclude” never places them.",
    )
    next_group_interest_at = models.DateTimeField(
        null=True, blank=True, help_text="When a declined applicant asked to be considered for a later group."
    )

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint("programme", Lower("email"), name="application_one_per_email"),
            models.CheckConstraint(
                condition=~models.Q(status__in=PLACE_HOLDING_STATUSES) | models.Q(cohort__isnull=False),
                name="application_place_needs_cohort",
            ),
            # The waitlist is one queue per programme: a waitlisted application has a place in it, no other does.
            models.CheckConstraint(
                condition=models.Q(status="waitlisted", waitlist_position__isnull=False)
                | (~models.Q(status="waitlisted") & models.Q(waitlist_position__isnull=True)),
                name="application_waitlist_position_iff_waitlisted",
            ),
            models.UniqueConstraint(
                fields=["programme", "waitlist_position"],
                condition=models.Q(waitlist_position__isnull=False),
                name="application_waitlist_position_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="offered") | models.Q(offer_expires_at__isnull=False),
                name="application_offer_has_expiry",
            ),
        ]
        indexes = [models.Index(fields=["cohort", "status"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class Availability(models.Model):
    """An applicant's answer for one candidate weekly time."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="availability")
    candidate_time = models.ForeignKey(CandidateTime, on_delete=models.CASCADE, related_name="answers")
    answer = models.CharField(max_length=12, choices=AvailabilityAnswer.choices)

    class Meta:
        verbose_name_plural = "availability"
        constraints = [
            models.UniqueConstraint(fields=["application", "candidate_time"], name="availability_unique")
        ]

    def __str__(self) -> str:
        return f"{self.candidate_time}: {self.get_answer_display()}"


class ApplicationStatusChange(models.Model):
    """The audit trail of an application's status: who moved it, when, from what to what, and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    to_status = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    cohort = models.ForeignKey(Cohort, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="group")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)
    note = BoundedTextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class ExpressionOfInterest(models.Model):
    """Someone who wants to hear more: sent the drop-in's link now and reminded to apply before the deadline."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="interests")
    name = models.CharField(max_length=150)
    email = models.EmailField(max_length=254)
    organisation = models.CharField(max_length=200)
    role = models.CharField("your role", max_length=200)
    consented_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "expression of interest"
        verbose_name_plural = "expressions of interest"
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint("programme", Lower("email"), name="interest_one_per_email")]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class EmailWording(models.Model):
    """A programme's own wording of one kind of email, used instead of the default text (templates/emails/),
    with placeholders such as {name} filled in for each person (applications/wording.py, and each app's
    wording.py for its own kinds, say which each kind may use; others are refused when it is saved)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="email_wordings")
    kind = models.CharField(
        "email", max_length=60, choices=[(kind.value, kind.label) for kind in WORDED_EMAILS]
    )
    subject = models.CharField(max_length=300)
    body = BoundedTextField("text", max_length=10000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "programme's email wording"
        verbose_name_plural = "programmes' email wording"
        ordering = ["programme", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind"], name="email_wording_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.kind}"


class ProgrammeReviewer(models.Model):
    """A staff account given one programme to review: it reads that programme's applications, writes notes and
    a score, and decides nothing (no status, no decision email, no selection pages; applications/rules.py)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="programme_reviews",
        limit_choices_to={"is_staff": True, "is_superuser": False},
        verbose_name="staff account",
        help_text="A staff account that is not a superuser. It then sees only this programme's applications.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "reviewer"
        verbose_name_plural = "reviewers (read, note and score this programme's applications; no decisions)"
        ordering = ["programme", "user"]
        constraints = [models.UniqueConstraint(fields=["programme", "user"], name="programme_reviewer_once")]

    def __str__(self) -> str:
        return f"{self.user} reviews {self.programme}"


# A programme's own questions live in their own module (applications/questions/), registered with this app here.
from .questions.models import Question, QuestionAnswer, QuestionLabelChange  # noqa: E402, F401
