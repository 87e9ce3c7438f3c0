"""The manager's "Propose groups" page, and turning its proposal into offers.

The proposal page shows who would be in which group, meeting when, who waits and why. The manager may pin a
person to a proposed group's time, or move them to another group, and propose again around the pins: the pins
travel in the page's address (`pin-<application pk>=<candidate time pk>`), like the rules, so nothing is saved
until the proposal is turned into offers. That is a second page (what will happen, who will be emailed) whose
one POST carries the proposal exactly as shown and calls `proposal_offer`.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.validators import MaxValueValidator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from cohort_site.core.dates import zone_name
from cohort_site.core.mixins import StaffRequiredMixin
from cohort_site.core.words import counted, plural

from .. import composer
from ..enums import ApplicationStatus, AvailabilityAnswer, RoleType
from ..group_times import ConfirmedTime
from ..heatmaps import heatmap
from ..models import Application, CandidateTime, Programme
from ..selectors import best_times, composer_input
from ..services import (
    ProposedOffers,
    TransitionRefused,
    proposal_already_made,
    proposal_cohorts_planned,
    proposal_first_week,
    proposal_offer,
    proposal_stale_refusal,
)

# Seconds the composer may take while the manager waits for the page (a programme's few hundred applications are
# solved well within it; a longer run returns its best answer and says how close to the best possible it is).
PAGE_TIME_LIMIT = 3.0


class ProposeGroupsForm(forms.Form):
    """The rules of a proposal, sent with GET so a proposal is a link the manager can keep or share."""

    groups = forms.IntegerField(
        label="Number of groups",
        min_value=1,
        max_value=20,
        required=False,
        initial=1,
        help_text="Leave it empty for as many full groups as the applications can fill.",
    )
    max_per_organisation = forms.IntegerField(
        label="Most people from one organisation in a group", min_value=1, initial=1
    )
    front_line_minimum = forms.IntegerField(
        label="Fewest front-line practitioners in a group", min_value=0, initial=0
    )
    avoid_if_need_be = forms.BooleanField(
        label="Use “if need be” answers only where there is no other way",
        required=False,
        help_text="Otherwise an “if need be” counts three quarters of a “yes”.",
    )

    def __init__(self, *args, group_size: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.group_size = group_size
        for name in ("max_per_organisation", "front_line_minimum"):
            self.fields[name].validators.append(
                MaxValueValidator(
                    group_size, f"A group holds {group_size} people; give {group_size} or fewer."
                )
            )

    def rules(self) -> composer.Rules:
        data = (
            self.cleaned_data
            if self.is_bound
            else {name: field.initial for name, field in self.fields.items()}
        )
        minimum = data["front_line_minimum"] or 0
        return composer.Rules(
            group_size=self.group_size,
            groups=data["groups"],
            max_per_organisation=data["max_per_organisation"],
            role_minimums={RoleType.FRONT_LINE: minimum} if minimum else {},
            avoid_if_need_be=bool(data["avoid_if_need_be"]),
            time_limit=PAGE_TIME_LIMIT,
        )


PIN_PREFIX = "pin-"


def pins_from(query: QueryDict, applications: set[int], times: set[int]) -> dict[int, int]:
    """The manager's pins in the page's address: `pin-<application pk>=<candidate time pk>`; empty values
    (the composer decides) and pins of people or times no longer in the proposal are left out."""
    pins = {}
    for name, value in query.items():
        if not name.startswith(PIN_PREFIX) or not value:
            continue
        try:
            pk, time = int(name.removeprefix(PIN_PREFIX)), int(value)
        except ValueError:
            continue
        if pk in applications and time in times:
            pins[pk] = time
    return pins


@dataclass(frozen=True)
class Choice:
    """An option of a person's "Group" menu: a proposed group's time they can make."""

    value: int
    label: str
    selected: bool


@dataclass(frozen=True)
class Member:
    application: Application
    answer: str  # "Yes" or "If need be"
    pinned: bool = False
    choices: tuple[Choice, ...] = ()


@dataclass(frozen=True)
class ProposedGroup:
    number: int
    time: CandidateTime
    members: list[Member]
    yes: int
    if_need_be: int
    heatmap: dict  # when the group's people can meet (`heatmaps.heatmap`), its proposed time flagged

    @property
    def heatmap_id(self) -> str:
        return f"group-{self.number}-heatmap"


@dataclass(frozen=True)
class Waiting:
    position: int
    application: Application
    reason: str
    choices: tuple[Choice, ...] = ()


class ProposeGroupsView(StaffRequiredMixin, TemplateView):
    template_name = "applications/selection/propose.html"

    def get_context_data(self, **kwargs):
        programme = get_object_or_404(Programme, slug=self.kwargs["slug"])
        form = ProposeGroupsForm(self.request.GET or None, group_size=programme.group_size)
        context = super().get_context_data(programme=programme, form=form, **kwargs)
        if form.is_bound and not form.is_valid():
            return context
        data = composer_input(programme)
        pins = pins_from(self.request.GET, set(data.applications), set(data.candidate_times))
        try:
            proposal = composer.compose(data.applicants, data.times, form.rules(), pins=pins)
        except composer.ComposerError as error:
            context["pin_error"] = _named(str(error), data)
            return context
        answers = dict(AvailabilityAnswer.choices)
        by_pk = data.applications
        applicants = {applicant.id: applicant for applicant in data.applicants}

        numbers: dict[
            int, list[int]
        ] = {}  # time -> the numbers of the groups meeting then (two may share one)
        for number, group in enumerate(proposal.groups, start=1):
            numbers.setdefault(group.time.key, []).append(number)

        def choices(pk: int) -> tuple[Choice, ...]:
            return tuple(
                Choice(
                    key,
                    f"Pin to group {' or '.join(str(n) for n in shared)}",
                    pins.get(pk) == key,
                )
                for key, shared in numbers.items()
                if applicants[pk].can_make(key)
            )

        first_week = proposal_first_week(programme=programme, count=len(proposal.groups))
        times = list(data.candidate_times.values())

        def group_heatmap(group: composer.Group) -> dict:
            answers = {pk: applicants[pk].availability for pk in group.members}
            ranking = best_times(programme, times, answers, first_week=first_week)
            return heatmap(ranking, data.candidate_times, len(group.members), chosen=group.time.key)

        groups = [
            ProposedGroup(
                number=number,
                time=data.candidate_times[group.time.key],
                members=[
                    Member(
                        by_pk[pk],
                        answers[applicants[pk].answer(group.time.key)],
                        pinned=pk in pins,
                        choices=choices(pk),
                    )
                    for pk in group.members
                ],
                yes=len(group.yes),
                if_need_be=len(group.if_need_be),
                heatmap=group_heatmap(group),
            )
            for number, group in enumerate(proposal.groups, start=1)
        ]
        offers_query = urlencode(
            [
                *((GROUP_FIELD, _group_value(group.time.key, group.members)) for group in proposal.groups),
                (WAITLIST_FIELD, ",".join(str(pk) for pk in proposal.waitlist)),
                (BACK_FIELD, self.request.GET.urlencode()),
            ]
        )
        context.update(
            proposal=proposal,
            groups=groups,
            pins=len(pins),
            placed=sum(len(g.members) for g in groups),
            placed_at_yes=sum(g.yes for g in groups),
            considered=len(data.applicants),
            waiting=[
                Waiting(position, by_pk[pk], proposal.reasons[pk], choices=choices(pk))
                for position, pk in enumerate(proposal.waitlist, start=1)
            ],
            gap_percent=f"{proposal.gap:.1%}",
            broken_rules=[_named(rule, data) for rule in proposal.broken_rules],
            excluded=[by_pk[a.id] for a in data.applicants if a.exclude],
            offers_url=reverse("applications:selection_propose_offers", kwargs={"slug": programme.slug})
            + "?"
            + offers_query,
        )
        return context


def _named(message: str, data) -> str:
    """The composer names people by application pk: name them as the manager knows them."""
    for pk, application in data.applications.items():
        message = message.replace(f"{pk} is", f"{application.name} is").replace(
            f"({pk})", f"({application.name})"
        )
    return message


# --- Turning the proposal into offers --------------------------------------------------------------------------

GROUP_FIELD = "group"  # "<candidate time pk>:<application pk>,<application pk>,…", one per group
WAITLIST_FIELD = "waitlist"  # "<application pk>,…" in order
BACK_FIELD = "back"  # the proposal page's query (its rules and pins), to go back to it


def _group_value(time_pk, members) -> str:
    return f"{time_pk}:{','.join(str(pk) for pk in members)}"


def _ids(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


class ProposalOffersForm(forms.Form):
    """The proposal exactly as the manager saw it, carried in hidden fields from the proposal page to the
    "are you sure" page and on to the POST, so what is offered is what was shown (not a new run)."""

    back = forms.CharField(required=False, widget=forms.HiddenInput)
    waitlist = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.group_values = self.data.getlist(GROUP_FIELD) if self.is_bound else []

    def clean(self):
        cleaned = super().clean()
        times = {c.pk: c for c in CandidateTime.objects.filter(programme=self.programme)}
        groups = []
        try:
            for value in self.group_values:
                time, _, members = value.partition(":")
                groups.append((times[int(time)], _ids(members)))
            waitlist = _ids(cleaned.get("waitlist", ""))
        except (KeyError, ValueError) as error:
            raise forms.ValidationError("This proposal cannot be read. Propose the groups again.") from error
        for candidate in times.values():
            candidate.programme = self.programme
        cleaned["proposed"] = ProposedOffers(groups=groups, waitlist=waitlist)
        return cleaned


@dataclass(frozen=True)
class OfferedGroup:
    name: str
    reused: bool
    time: ConfirmedTime
    people: list[Application]


class ProposalOffersView(StaffRequiredMixin, TemplateView):
    """Are you sure? The groups to be made, who is offered a place and who waits, and who will be emailed when
    the drafts are sent; the POST makes it so (`proposal_offer`) and goes to the decision emails page."""

    template_name = "applications/selection/propose_offers.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.programme = get_object_or_404(Programme, slug=kwargs["slug"])

    def back_url(self, form: ProposalOffersForm) -> str:
        url = reverse("applications:selection_propose", kwargs={"slug": self.programme.slug})
        back = form.cleaned_data.get("back", "") if form.is_bound and hasattr(form, "cleaned_data") else ""
        return f"{url}?{back}" if back else url

    def get_context_data(self, **kwargs):
        programme = self.programme
        form = ProposalOffersForm(self.request.GET, programme=programme)
        context = super().get_context_data(programme=programme, form=form, **kwargs)
        if not form.is_valid():
            context["refusal"] = " ".join(form.non_field_errors())
            context["back_url"] = self.back_url(form)
            return context
        proposed: ProposedOffers = form.cleaned_data["proposed"]
        context["back_url"] = self.back_url(form)
        refusal = proposal_stale_refusal(programme=programme, proposed=proposed)
        if refusal:
            context["refusal"] = refusal
            return context
        people = Application.objects.in_bulk(proposed.application_ids)
        planned = proposal_cohorts_planned(programme=programme, count=len(proposed.groups))
        last = max((c.number for c in programme.cohorts.all()), default=0)
        groups = []
        for (candidate, members), existing in zip(proposed.groups, planned, strict=True):
            if existing is None:
                last += 1
            groups.append(
                OfferedGroup(
                    name=existing.name if existing else f"Group {last}",
                    reused=existing is not None,
                    time=ConfirmedTime(candidate.weekday, candidate.start_time, candidate.pk, candidate),
                    people=[people[pk] for pk in members],
                )
            )
        waiting = [people[pk] for pk in proposed.waitlist]
        newly = [a for a in waiting if a.status != ApplicationStatus.WAITLISTED]
        offered = sum(len(g.people) for g in groups)
        zone = zone_name(programme.timezone)
        what_happens = [
            (
                f"{g.name} {'(empty now) is given' if g.reused else 'is made, with'} the weekly time "
                f"{g.time.label} ({zone}), and {counted(len(g.people), 'person', 'people')} "
                f"{plural(len(g.people), 'is', 'are')} offered a place in it."
            )
            for g in groups
        ]
        if waiting:
            what_happens.append(
                f"{counted(len(waiting), 'person', 'people')} {plural(len(waiting), 'waits', 'wait')}, in the "
                "proposed order" + (f" ({len(newly)} of them new to the waitlist)." if newly else ".")
            )
        what_happens.append(
            "The emails are saved as drafts: nothing is sent until you send them from the decision emails page. "
            "Each offer's days to reply start when its email is sent."
        )
        emailed = [
            f"When the drafts are sent: the {counted(offered, 'person', 'people')} offered a place, each told "
            "their group's day and time."
        ]
        if newly:
            emailed.append(f"The {counted(len(newly), 'person', 'people')} joining the waitlist.")
        context.update(
            groups=groups,
            waiting=waiting,
            what_happens=what_happens,
            emailed=emailed,
            offered=offered,
        )
        return context

    def post(self, request, *args, **kwargs):
        form = ProposalOffersForm(request.POST, programme=self.programme)
        if not form.is_valid():
            messages.error(request, " ".join(form.non_field_errors()))
            return redirect("applications:selection_propose", slug=self.programme.slug)
        try:
            outcome = proposal_offer(
                programme=self.programme, proposed=form.cleaned_data["proposed"], by=request.user
            )
        except TransitionRefused as refusal:
            if proposal_already_made(programme=self.programme, proposed=form.cleaned_data["proposed"]):
                messages.info(
                    request,
                    "These groups and offers were made already (the button was pressed twice?): nothing more was "
                    "changed. Their emails are below.",
                )
                return redirect("applications:selection_emails", slug=self.programme.slug)
            messages.error(request, refusal.reason)
            return redirect(self.back_url(form))
        names = ", ".join(c.name for c in outcome.cohorts)
        messages.success(
            request,
            f"{names}: {counted(len(outcome.offered), 'place')} offered, {len(outcome.waitlisted)} waiting. "
            "The emails are drafts: read them here, then send them.",
        )
        return redirect("applications:selection_emails", slug=self.programme.slug)
