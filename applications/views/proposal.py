"""The manager's "Propose groups" page: the group composer's proposal for a programme, read-only.

Who would be in which group, meeting when, who waits and why. Nothing is offered, saved or sent from here: the
manager reads the proposal beside the applications and offers places as before.
"""

from dataclasses import dataclass

from django import forms
from django.core.validators import MaxValueValidator
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from cohort_site.core.mixins import StaffRequiredMixin

from .. import composer
from ..enums import AvailabilityAnswer, RoleType
from ..models import Application, CandidateTime, Programme
from ..selectors import composer_input

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


@dataclass(frozen=True)
class Member:
    application: Application
    answer: str  # "Yes" or "If need be"


@dataclass(frozen=True)
class ProposedGroup:
    number: int
    time: CandidateTime
    members: list[Member]
    yes: int
    if_need_be: int


@dataclass(frozen=True)
class Waiting:
    position: int
    application: Application
    reason: str


class ProposeGroupsView(StaffRequiredMixin, TemplateView):
    template_name = "applications/selection/propose.html"

    def get_context_data(self, **kwargs):
        programme = get_object_or_404(Programme, slug=self.kwargs["slug"])
        form = ProposeGroupsForm(self.request.GET or None, group_size=programme.group_size)
        context = super().get_context_data(programme=programme, form=form, **kwargs)
        if form.is_bound and not form.is_valid():
            return context
        data = composer_input(programme)
        proposal = composer.compose(data.applicants, data.times, form.rules())
        answers = dict(AvailabilityAnswer.choices)
        by_pk = data.applications
        applicants = {applicant.id: applicant for applicant in data.applicants}
        groups = [
            ProposedGroup(
                number=number,
                time=data.candidate_times[group.time.key],
                members=[
                    Member(by_pk[pk], answers[applicants[pk].answer(group.time.key)]) for pk in group.members
                ],
                yes=len(group.yes),
                if_need_be=len(group.if_need_be),
            )
            for number, group in enumerate(proposal.groups, start=1)
        ]
        context.update(
            proposal=proposal,
            groups=groups,
            placed=sum(len(g.members) for g in groups),
            placed_at_yes=sum(g.yes for g in groups),
            considered=len(data.applicants),
            waiting=[
                Waiting(position, by_pk[pk], proposal.reasons[pk])
                for position, pk in enumerate(proposal.waitlist, start=1)
            ],
            gap_percent=f"{proposal.gap:.1%}",
        )
        return context
