"""The programme report a manager sends to funders and the network: who took part, attendance, coffee pairs met,
the funnel, the outcome changes, quotes their authors agreed to and the learning shared beyond the groups.

Every figure is read here once, for the page and the CSV alike. Outcome figures and quotes come from
`learning.evidence`, which withholds anything under five answers."""

import datetime
import itertools
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.safestring import mark_safe

from applications.enums import Region, RoleType
from applications.models import Application, Programme
from applications.selectors import ChoiceCount, choice_counts
from cohort_site.core.charts import network_svg
from cohort_site.core.dates import ISO_DAY, local_text
from learning import relationships
from learning.enums import SurveyKind, Visibility
from learning.evidence import OutcomeResults, outcome_results
from learning.funnel import StepRow, conversion_rates
from learning.models import AdviceContact, Entry
from learning.outcomes import percent
from learning.relationships import WebFigures
from pairings.enums import RoundStatus
from pairings.models import PairMember, Round
from sessions_app.enums import AttendanceStatus, SessionStatus
from sessions_app.models import Attendance, Session


@dataclass
class SessionLine:
    session: Session
    attended: int
    members: int

    @property
    def rate(self) -> str:
        return percent(self.attended, self.members)


@dataclass
class CoffeeLine:
    round: Round
    pairs: int
    met: int


@dataclass
class GroupMap:
    """One group's web of relationships before and after, and the pictures of it (the manager's only)."""

    cohort_name: str
    before: WebFigures
    after: WebFigures
    together: int  # pairs of members who came to at least one session together
    before_svg: str
    after_svg: str


@dataclass
class Report:
    programme: Programme
    members: int
    by_role: list[tuple[str, int]]
    by_region: list[tuple[str, int]]
    by_organisation: list[tuple[str, int]]
    by_question: list[ChoiceCount]  # the programme's own questions marked "count in the report"
    sessions: list[SessionLine]
    coffee: list[CoffeeLine]
    funnel: list[StepRow]
    outcomes: OutcomeResults
    shared: list[Entry]
    maps: list[GroupMap]

    @property
    def attendance_rate(self) -> str:
        return percent(sum(s.attended for s in self.sessions), sum(s.members for s in self.sessions))

    @property
    def pairs(self) -> int:
        return sum(line.pairs for line in self.coffee)

    @property
    def pairs_met(self) -> int:
        return sum(line.met for line in self.coffee)


def programme_report(programme: Programme, *, now: datetime.datetime) -> Report:
    funnel = conversion_rates([programme])[programme.pk]
    confirmed = next(row for row in funnel if row.step.key == "confirmed")
    took_part = [person.application for person in confirmed.done if person.application is not None]
    roles = Counter(
        RoleType(a.role_type).label if a.role_type in RoleType.values else "Other" for a in took_part
    )
    regions = Counter(Region(a.region).label if a.region in Region.values else "Not said" for a in took_part)
    organisations = Counter(" ".join(a.organisation.split()) for a in took_part)
    group_sizes = Counter(a.cohort_id for a in took_part if a.cohort_id is not None)
    sessions = (
        Session.objects.filter(cohort__programme=programme, status=SessionStatus.SCHEDULED, ends_at__lte=now)
        .select_related("cohort")
        .annotate(attended=Count("attendance", filter=Q(attendance__status=AttendanceStatus.ATTENDED)))
        .order_by("cohort__number", "starts_at")
    )
    rounds = (
        Round.objects.filter(cohort__programme=programme, status=RoundStatus.PUBLISHED, opens_at__lte=now)
        .select_related("cohort")
        .annotate(
            groups=Count("pairs", distinct=True),
            met=Count("pairs", filter=Q(pairs__memberships__met_at__isnull=False), distinct=True),
        )
        .order_by("cohort__number", "number")
    )
    shared = list(
        Entry.objects.filter(programme=programme, visibility__in=[Visibility.NETWORK, Visibility.PUBLIC])
        .select_related("cohort")
        .order_by("-published_at", "-pk")
    )
    return Report(
        programme=programme,
        members=len(took_part),
        by_role=sorted(roles.items(), key=lambda item: (-item[1], item[0])),
        by_region=sorted(regions.items(), key=lambda item: (-item[1], item[0])),
        by_organisation=sorted(organisations.items(), key=lambda item: (-item[1], item[0].lower())),
        by_question=choice_counts(programme.pk, took_part),
        sessions=[SessionLine(s, s.attended, group_sizes.get(s.cohort_id, 0)) for s in sessions],
        coffee=[CoffeeLine(r, r.groups, r.met) for r in rounds],
        funnel=funnel,
        outcomes=outcome_results(programme, now=now),
        shared=shared,
        maps=relationship_maps(took_part),
    )


def relationship_maps(members: list[Application]) -> list[GroupMap]:
    """Per group: ties before (the baseline's "whom would you ask for advice", a tick either way) and after (the
    evaluation's ticks, and the coffee pairs that met), and how many pairs came to a session together. Four
    queries whatever the size."""
    by_cohort: dict[int, list[Application]] = {}
    for member in members:
        if member.cohort_id is not None:
            by_cohort.setdefault(member.cohort_id, []).append(member)
    ids = [member.pk for member in members]
    ticks: dict[str, list[tuple[int, int]]] = {SurveyKind.BASELINE: [], SurveyKind.EVALUATION: []}
    for kind, member_id, contact_id in AdviceContact.objects.filter(
        response__member_id__in=ids, response__survey__kind__in=list(ticks)
    ).values_list("response__survey__kind", "response__member_id", "contact_id"):
        ticks[kind].append((member_id, contact_id))
    met_pairs = PairMember.objects.filter(pair__memberships__met_at__isnull=False, member_id__in=ids)
    coffee: dict[int, set[int]] = {}
    for pair_id, member_id in met_pairs.values_list("pair_id", "member_id").distinct():
        coffee.setdefault(pair_id, set()).add(member_id)
    coffee_ties = [
        tuple(pair) for group in coffee.values() for pair in itertools.combinations(sorted(group), 2)
    ]
    sessions: dict[int, set[int]] = {}
    for session_id, member_id in Attendance.objects.filter(
        member_id__in=ids, status=AttendanceStatus.ATTENDED
    ).values_list("session_id", "member_id"):
        sessions.setdefault(session_id, set()).add(member_id)
    came_together = [pair for group in sessions.values() for pair in itertools.combinations(sorted(group), 2)]
    maps = []
    for group in by_cohort.values():
        organisations = {member.pk: member.organisation for member in group}
        before = relationships.ties(ticks[SurveyKind.BASELINE], organisations)
        after = relationships.ties(ticks[SurveyKind.EVALUATION] + coffee_ties, organisations)
        place = {member.pk: index for index, member in enumerate(group)}
        names = [member.name for member in group]
        name = group[0].cohort.name if group[0].cohort else ""
        pictures = []
        for words, web in (("before", before), ("after", after)):
            figures = relationships.web_figures(organisations, web)
            pictures.append(
                mark_safe(  # noqa: S308 - network_svg escapes every text it writes
                    network_svg(
                        names,
                        sorted(tuple(sorted(place[p] for p in tie)) for tie in web),
                        title=f"{name}: who is connected {words}",
                        summary=f"{figures.connected} of {figures.possible} possible pairs connected "
                        f"({figures.share}); {figures.unconnected_people} with no connection; "
                        f"{figures.across_organisations} across organisations.",
                    )
                )
            )
        maps.append(
            GroupMap(
                cohort_name=name,
                before=relationships.web_figures(organisations, before),
                after=relationships.web_figures(organisations, after),
                together=len(
                    relationships.ties([tuple(t) for t in came_together if len(t) == 2], organisations)
                ),
                before_svg=pictures[0],
                after_svg=pictures[1],
            )
        )
    return maps


def report_rows(report: Report, tz) -> list[list]:
    """The report's figures as spreadsheet rows: (section, what, figure, of, share)."""
    rows: list[list] = [["Who took part", "Members", report.members, "", ""]]
    rows += [
        ["Who took part: role", role, n, report.members, percent(n, report.members)]
        for role, n in report.by_role
    ]
    rows += [
        ["Who took part: region", region, n, report.members, percent(n, report.members)]
        for region, n in report.by_region
    ]
    rows += [
        ["Who took part: organisation", name, n, report.members, percent(n, report.members)]
        for name, n in report.by_organisation
    ]
    rows += [
        [f"Who took part: {table.question.label}", choice, n, report.members, percent(n, report.members)]
        for table in report.by_question
        for choice, n in table.counts
    ]
    for line in report.sessions:
        session = line.session
        what = (
            f"{session.cohort.name}, session {session.number}, {local_text(session.starts_at, tz, ISO_DAY)}"
        )
        rows.append(["Attendance", what, line.attended, line.members, line.rate])
    for coffee in report.coffee:
        rows.append(
            [
                "Coffee pairs met",
                f"{coffee.round.cohort.name}, round {coffee.round.number}",
                coffee.met,
                coffee.pairs,
                percent(coffee.met, coffee.pairs),
            ]
        )
    for row in report.funnel:
        rows.append(["Funnel", row.step.label, len(row.done), row.previous_count or "", row.conversion])
    for rate in report.outcomes.rates:
        rows.append(["Response rate", rate.survey.title, rate.answered, rate.asked, rate.rate])
    for item in report.outcomes.items:
        for words, change in item.changes:
            if change.shown:
                rows.append(
                    [f"Change: {item.text}", f"{words}: middle change", change.median_change, change.n, ""]
                )
                rows.append(
                    [
                        f"Change: {item.text}",
                        f"{words}: went up",
                        change.improved,
                        change.n,
                        change.improved_share,
                    ]
                )
            else:
                rows.append(
                    [f"Change: {item.text}", f"{words}: fewer than 5 answered both, not shown", "", "", ""]
                )
        for quote in item.quotes:
            rows.append([f"Quote: {item.text}", quote.survey_title, quote.text, "", ""])
    for group in report.maps:
        for words, figures in (("before", group.before), ("after", group.after)):
            section = f"Connections: {group.cohort_name}, {words}"
            rows.append([section, "Pairs connected", figures.connected, figures.possible, figures.share])
            rows.append(
                [section, "People with no connection", figures.unconnected_people, figures.people, ""]
            )
            rows.append([section, "Connections across organisations", figures.across_organisations, "", ""])
        rows.append(
            [
                f"Connections: {group.cohort_name}",
                "Pairs who came to a session together",
                group.together,
                "",
                "",
            ]
        )
    for entry in report.shared:
        rows.append(
            ["Shared learning", entry.get_kind_display(), entry.title, entry.get_visibility_display(), ""]
        )
    return rows
