"""The programme report a manager sends to funders and the network: who took part, attendance, coffee pairs met,
the funnel, the outcome changes, quotes their authors agreed to and the learning shared beyond the groups.

Every figure is read here once, for the page and the CSV alike. Outcome figures and quotes come from
`learning.evidence`, which withholds anything under five answers."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q

from applications.enums import RoleType
from applications.models import Programme
from cohort_site.core.dates import ISO_DAY, local_text
from learning.enums import Visibility
from learning.evidence import OutcomeResults, outcome_results
from learning.funnel import StepRow, conversion_rates
from learning.models import Entry
from learning.outcomes import percent
from pairings.enums import RoundStatus
from pairings.models import Round
from sessions_app.enums import AttendanceStatus, SessionStatus
from sessions_app.models import Session


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
class Report:
    programme: Programme
    members: int
    by_role: list[tuple[str, int]]
    by_organisation: list[tuple[str, int]]
    sessions: list[SessionLine]
    coffee: list[CoffeeLine]
    funnel: list[StepRow]
    outcomes: OutcomeResults
    shared: list[Entry]

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
        by_organisation=sorted(organisations.items(), key=lambda item: (-item[1], item[0].lower())),
        sessions=[SessionLine(s, s.attended, group_sizes.get(s.cohort_id, 0)) for s in sessions],
        coffee=[CoffeeLine(r, r.groups, r.met) for r in rounds],
        funnel=funnel,
        outcomes=outcome_results(programme, now=now),
        shared=shared,
    )


def report_rows(report: Report, tz) -> list[list]:
    """The report's figures as spreadsheet rows: (section, what, figure, of, share)."""
    rows: list[list] = [["Who took part", "Members", report.members, "", ""]]
    rows += [
        ["Who took part: role", role, n, report.members, percent(n, report.members)]
        for role, n in report.by_role
    ]
    rows += [
        ["Who took part: organisation", name, n, report.members, percent(n, report.members)]
        for name, n in report.by_organisation
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
    for entry in report.shared:
        rows.append(
            ["Shared learning", entry.get_kind_display(), entry.title, entry.get_visibility_display(), ""]
        )
    return rows
