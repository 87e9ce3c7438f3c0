from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import TemplateView

from applications.enums import ApplicationStatus
from applications.heatmaps import heatmap
from applications.models import Application, Cohort
from applications.selectors import active_member_place, cohort_best_times, cohort_members
from cohort_site.core.dates import DAY_TIME, local_text
from cohort_site.core.mixins import StaffRequiredMixin
from cohort_site.core.models import User
from cohort_site.core.programme_filter import PARAMETER, programme_filter, programme_query
from cohort_site.core.requests import safe_next
from cohort_site.core.words import counted

from . import rules, services
from .calendar import member_calendar
from .enums import AttendanceStatus
from .forms import (
    ApologiesForm,
    AttendanceForm,
    GuestForm,
    GuestOfferForm,
    GuestOfferInviteForm,
    ScheduleConfirmForm,
    SessionAddForm,
    SessionCancelForm,
    SessionDetailsForm,
    SessionMoveForm,
    SessionNotesForm,
    WeeklyTimeForm,
    kept_dates,
)
from .join_links import JOIN_OPENS_BEFORE, JoinLinkInvalid, member_from_join_token
from .models import Attendance, Guest, GuestOffer, Session
from .selectors import (
    attendance_start,
    cohort_sessions,
    guest_offer_sessions,
    guest_offers_with_sessions,
    join_open_session,
    member_schedule,
    member_timezone,
    next_session_of,
    schedule_plan,
    session_apologies,
    session_attendance,
    session_joins,
)


def _error_messages(error: ValidationError) -> list[str]:
    return list(error.messages)


class CohortListView(StaffRequiredMixin, TemplateView):
    """Staff: every group and its weekly time, or one programme's groups (`?programme=<slug>`)."""

    template_name = "sessions_app/cohort_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["programme_filter"] = chosen = programme_filter(self.request)
        groups = Cohort.objects.all()
        if chosen.programme is not None:
            groups = groups.filter(programme=chosen.programme)
        context["cohorts"] = (
            groups.select_related("programme", "schedule")
            .annotate(
                member_count=Count(
                    "applications", filter=Q(applications__status=ApplicationStatus.CONFIRMED), distinct=True
                ),
                session_count=Count("sessions", distinct=True),
            )
            .order_by("-programme__first_session_week", "programme__title", "number")
        )
        return context


class WeeklyTimeView(TemplateView):
    """Choosing a group's weekly time: the best-time finder's ranking of the confirmed members' answers, then a
    preview of the dates (bank holidays flagged and, unless kept, skipped) that the manager confirms. Nothing
    is written or sent before `action=confirm`."""

    form_class: type[WeeklyTimeForm] = WeeklyTimeForm
    cohort: Cohort

    def choice_context(self, form=None, plan=None) -> dict:
        cohort = self.cohort
        members = list(cohort_members(cohort))
        ranking, by_pk = cohort_best_times(cohort, members)
        member_count = len(members)
        if form is None:
            labels = {
                r.candidate.key: f"{by_pk[r.candidate.key].label} · {r.can_come} of {member_count} can come"
                for r in ranking
            }
            current = getattr(cohort, "schedule", None)
            if current is not None and current.candidate_time_id:
                initial = {"candidate_time": current.candidate_time_id}
            elif cohort.offered_time_id is not None:  # composed with its time: the offers named it
                initial = {"candidate_time": cohort.offered_time_id}
            else:
                initial = {"candidate_time": ranking[0].candidate.key} if ranking else {}
            form = self.form_class(programme=cohort.programme, labels=labels, initial=initial)
        return {
            "ranking": [(r, by_pk[r.candidate.key]) for r in ranking],
            "member_count": member_count,
            "heatmap": heatmap(ranking, by_pk, member_count),
            "form": form,
            "plan": plan,
        }

    def choose(self, request, confirm: Callable[[WeeklyTimeForm, set[datetime.date]], str]):
        """Preview (the default action) or confirm the chosen time; `confirm` writes and returns the message."""
        form = self.form_class(request.POST, programme=self.cohort.programme)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        keep = kept_dates(request.POST.getlist("keep"))
        if request.POST.get("action") == "confirm":
            try:
                message = confirm(form, keep)
            except ValidationError as error:
                messages.error(request, " ".join(_error_messages(error)))
                return redirect("sessions:cohort_schedule", pk=self.cohort.pk)
            messages.success(request, message)
            return redirect("sessions:cohort_schedule", pk=self.cohort.pk)
        plan = schedule_plan(self.cohort, form.cleaned_data["candidate_time"], keep=keep, now=timezone.now())
        return self.render_to_response(self.get_context_data(form=form, plan=plan))


class CohortScheduleView(StaffRequiredMixin, WeeklyTimeView):
    template_name = "sessions_app/cohort_schedule.html"
    form_class = ScheduleConfirmForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.cohort = get_object_or_404(
            Cohort.objects.select_related("programme", "offered_time__programme"), pk=kwargs["pk"]
        )

    def scheduled(self) -> bool:
        return hasattr(self.cohort, "schedule") or self.cohort.sessions.exists()

    def get_context_data(self, form=None, plan=None, **kwargs):
        context = super().get_context_data(**kwargs)
        cohort = self.cohort
        context["cohort"] = cohort
        context["programme"] = cohort.programme
        if self.scheduled():
            sessions = list(cohort_sessions(cohort))
            context["sessions"] = sessions
            context["schedule"] = getattr(cohort, "schedule", None)
            context["add_url"] = reverse("sessions:session_add", kwargs={"pk": cohort.pk})
            return context
        context.update(self.choice_context(form, plan))
        return context

    def post(self, request, *args, **kwargs):
        if self.scheduled():
            messages.info(request, "This group's time is already confirmed.")
            return redirect(request.path)

        def confirm(form, keep):
            services.schedule_confirm(
                cohort=self.cohort,
                candidate_time=form.cleaned_data["candidate_time"],
                by=request.user,
                join_url=form.cleaned_data["join_url"],
                venue=form.cleaned_data["venue"],
                keep=keep,
            )
            return (
                f"{form.cleaned_data['candidate_time'].label} confirmed: the sessions are created and every "
                "member is sent an invite."
            )

        return self.choose(request, confirm)


class CohortRetimeView(StaffRequiredMixin, WeeklyTimeView):
    """Change a confirmed group's weekly time: the sessions already held stay, the ones to come move."""

    template_name = "sessions_app/cohort_retime.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.cohort = get_object_or_404(
            Cohort.objects.select_related("programme", "schedule"), pk=kwargs["pk"], schedule__isnull=False
        )

    def get_context_data(self, form=None, plan=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            cohort=self.cohort,
            programme=self.cohort.programme,
            schedule=self.cohort.schedule,
            **self.choice_context(form, plan),
        )
        return context

    def post(self, request, *args, **kwargs):
        def confirm(form, keep):
            moved = services.schedule_retime(
                cohort=self.cohort,
                candidate_time=form.cleaned_data["candidate_time"],
                by=request.user,
                keep=keep,
            )
            count = len(moved)
            return (
                f"The weekly time is now {form.cleaned_data['candidate_time'].label}: "
                f"{count} session{pluralize(count)} moved, and everyone is sent one email with the new dates."
            )

        return self.choose(request, confirm)


class CohortInvitesView(StaffRequiredMixin, View):
    def post(self, request, pk):
        cohort = get_object_or_404(Cohort, pk=pk)
        count = services.schedule_invites_send(cohort=cohort)
        if count:
            messages.success(request, f"Invites sent to {counted(count, 'member')} who had none.")
        else:
            messages.info(request, "Every member has their invite already.")
        return redirect("sessions:cohort_schedule", pk=cohort.pk)


class SessionAddView(StaffRequiredMixin, TemplateView):
    template_name = "sessions_app/session_add.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.cohort = get_object_or_404(
            Cohort.objects.select_related("programme", "offered_time__programme"), pk=kwargs["pk"]
        )

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        cohort = self.cohort
        tz = cohort.programme.tz
        if form is None:
            last = cohort.sessions.order_by("-number").first()
            initial = {}
            if last is not None:
                local = timezone.localtime(last.starts_at, tz)
                initial = {
                    "date": local.date() + datetime.timedelta(weeks=1),
                    "start_time": local.time(),
                    "join_url": last.join_url,
                    "venue": last.venue,
                }
            form = SessionAddForm(tz=tz, initial=initial)
        context.update(cohort=cohort, form=form)
        return context

    def post(self, request, *args, **kwargs):
        form = SessionAddForm(request.POST, tz=self.cohort.programme.tz)
        if form.is_valid():
            data = form.cleaned_data
            try:
                session = services.session_add(
                    cohort=self.cohort,
                    starts_at=data["starts_at"],
                    by=request.user,
                    topic=data["topic"],
                    join_url=data["join_url"],
                    venue=data["venue"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Session {session.number} added; members are sent an invite.")
                return redirect("sessions:cohort_schedule", pk=self.cohort.pk)
        return self.render_to_response(self.get_context_data(form=form))


def cancel_preview(session: Session, *, members: list, guests: list) -> dict[str, list[str]]:
    """What cancelling the session does, and who is told: for the "are you sure" panel beside the button."""
    day = local_text(session.starts_at, session.cohort.programme.tz, DAY_TIME)
    count = len(members)
    emailed = (
        [
            f"The {count} member{'s' if count != 1 else ''} of {session.cohort.name}: a cancellation, with a "
            "calendar file that takes it out of their calendar"
        ]
        if members
        else []
    )
    emailed += [f"{guest.name} ({guest.email}), a guest: the same cancellation" for guest in guests]
    return {
        "what_happens": [
            f"{session.title} on {day} is cancelled and shown as cancelled on everyone's schedule. It cannot "
            "be restored: add a new session instead.",
            "The reason you give, if any, is in the cancellation email.",
        ],
        "emailed": emailed,
    }


class SessionManageView(StaffRequiredMixin, TemplateView):
    """One session for the manager: details, move, cancel, guests and, after it starts, attendance."""

    template_name = "sessions_app/session_detail.html"
    actions = ("details", "move", "cancel", "guest", "attendance", "everyone_present", "remove_guest")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.session = get_object_or_404(Session.objects.select_related("cohort__programme"), pk=kwargs["pk"])
        self.now = timezone.now()

    def forms(self, bound: dict | None = None):
        session = self.session
        tz = session.cohort.programme.tz
        local = timezone.localtime(session.starts_at, tz)
        members = list(cohort_members(session.cohort))
        records = session_attendance(session)
        existing = {member_id: status for member_id, (status, _) in records.items()}
        joins = session_joins(session)
        start = attendance_start(records, [m.pk for m in members], joins=joins)
        forms = {
            "details": SessionDetailsForm(instance=session, prefix="details"),
            "move": SessionMoveForm(
                tz=tz, prefix="move", initial={"date": local.date(), "start_time": local.time()}
            ),
            "cancel": SessionCancelForm(prefix="cancel"),
            "guest": GuestForm(session=session, prefix="guest"),
            "attendance": AttendanceForm(
                members=members, existing=start, joins=joins, tz=tz, prefix="attendance"
            ),
        }
        forms.update(bound or {})
        self.joins = joins
        return forms, members, existing

    def get_context_data(self, bound=None, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.session
        forms, members, existing = self.forms(bound)
        apologised = session_apologies(session)
        guests = list(session.guests.all())
        context.update(
            session=session,
            cohort=session.cohort,
            programme=session.cohort.programme,
            forms=forms,
            members=[(m, existing.get(m.pk), m.pk in apologised) for m in members],
            guests=guests,
            can_change=rules.can_change_session(self.request.user, session),
            can_record=rules.can_record_attendance(self.request.user, session, self.now),
            attendance_labels=dict(AttendanceStatus.choices),
            cancel_preview=cancel_preview(session, members=members, guests=guests),
            joined_count=len(self.joins),
            prefilled_from_joins=bool(self.joins)
            and not any(status != AttendanceStatus.APOLOGIES for status in existing.values()),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        session = self.session
        if action not in self.actions:
            raise Http404("Unknown action.")
        if action in ("attendance", "everyone_present"):
            if not rules.can_record_attendance(request.user, session, self.now):
                raise Http404("Attendance cannot be recorded for this session yet.")
        elif not rules.can_change_session(request.user, session):
            raise Http404("This session cannot be changed.")
        handler = getattr(self, f"do_{action}")
        return handler(request)

    def done(self, message: str):
        messages.success(self.request, message)
        return redirect("sessions:session", pk=self.session.pk)

    def invalid(self, name, form):
        return self.render_to_response(self.get_context_data(bound={name: form}), status=400)

    def do_details(self, request):
        form = SessionDetailsForm(
            request.POST, instance=Session.objects.get(pk=self.session.pk), prefix="details"
        )
        if not form.is_valid():
            return self.invalid("details", form)
        before = self.session.sequence
        session = services.session_update(
            session=self.session,
            by=request.user,
            **{name: form.cleaned_data[name] for name in form.Meta.fields},
        )
        if session.sequence != before:
            return self.done("Session updated; everyone invited is sent the change.")
        return self.done("Session saved.")

    def do_move(self, request):
        form = SessionMoveForm(request.POST, tz=self.session.cohort.programme.tz, prefix="move", now=self.now)
        if not form.is_valid():
            return self.invalid("move", form)
        try:
            services.session_move(
                session=self.session, starts_at=form.cleaned_data["starts_at"], by=request.user, now=self.now
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.invalid("move", form)
        return self.done("Session moved; everyone invited is sent the new time.")

    def do_cancel(self, request):
        form = SessionCancelForm(request.POST, prefix="cancel")
        if not form.is_valid():
            return self.invalid("cancel", form)
        services.session_cancel(session=self.session, by=request.user, reason=form.cleaned_data["reason"])
        return self.done("Session cancelled; everyone invited is sent a cancellation.")

    def do_guest(self, request):
        form = GuestForm(request.POST, session=self.session, prefix="guest")
        if not form.is_valid():
            return self.invalid("guest", form)
        try:
            guest = services.guest_invite(session=self.session, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.invalid("guest", form)
        return self.done(f"{guest.name} is invited and sent this session's invite.")

    def do_remove_guest(self, request):
        guest = get_object_or_404(Guest, pk=request.POST.get("guest"), session=self.session)
        services.guest_remove(guest=guest, by=request.user)
        return self.done(f"{guest.name}'s invitation is withdrawn; they are sent a cancellation.")

    def do_attendance(self, request):
        members = list(cohort_members(self.session.cohort))
        existing = dict(Attendance.objects.filter(session=self.session).values_list("member_id", "status"))
        form = AttendanceForm(request.POST, members=members, existing=existing, prefix="attendance")
        if not form.is_valid():
            return self.invalid("attendance", form)
        services.attendance_record(
            session=self.session, statuses=form.statuses(), by=request.user, now=self.now
        )
        return self.done("Attendance recorded.")

    def do_everyone_present(self, request):
        records = services.attendance_everyone_present(session=self.session, by=request.user, now=self.now)
        attended = sum(1 for record in records if record.status == AttendanceStatus.ATTENDED)
        return self.done(
            f"{counted(attended, 'member', 'members')} marked as attended. Change anyone who did not come."
        )


class SessionNotesEditView(StaffRequiredMixin, TemplateView):
    """The manager writes a session's notes (Markdown), with the Chatham House reminder: the group reads them
    once the session is over; they go further only as a learning entry, with the normal consent."""

    template_name = "sessions_app/session_notes_edit.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.session = get_object_or_404(Session.objects.select_related("cohort__programme"), pk=kwargs["pk"])

    def get_context_data(self, form=None, **kwargs):
        session = self.session
        return {
            **super().get_context_data(**kwargs),
            "session": session,
            "cohort": session.cohort,
            "programme": session.cohort.programme,
            "form": form or SessionNotesForm(instance=session),
        }

    def post(self, request, *args, **kwargs):
        form = SessionNotesForm(request.POST, instance=Session.objects.get(pk=self.session.pk))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            services.session_update(session=self.session, by=request.user, notes=form.cleaned_data["notes"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, "Session notes saved. The group can read them once the session is over.")
        return redirect("sessions:session_notes_edit", pk=self.session.pk)


# --- Members -------------------------------------------------------------------------------------------


class MyScheduleView(LoginRequiredMixin, TemplateView):
    """A member's sessions: the next one first with its join link, in their own time zone."""

    template_name = "sessions_app/my_schedule.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        schedule = member_schedule(user, now=timezone.now())
        context.update(
            memberships=schedule.memberships,
            next_session=schedule.next_session,
            later_sessions=schedule.later_sessions,
            past_sessions=schedule.past_sessions,
            tz=schedule.tz,
            apologies_form=ApologiesForm(),
            feed_url=calendar_feed_url(self.request, user),
        )
        return context


class SessionNotesView(LoginRequiredMixin, TemplateView):
    """The manager's notes of a session, for the group once it is over (staff at any time); a 404 to anyone
    else, and to the group before the session ends."""

    template_name = "sessions_app/session_notes.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.session = get_object_or_404(Session.objects.select_related("cohort__programme"), pk=kwargs["pk"])
        if not rules.can_read_session_notes(request.user, self.session, timezone.now()):
            raise Http404("No such notes.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        session = self.session
        return {
            **super().get_context_data(**kwargs),
            "session": session,
            "cohort": session.cohort,
            "programme": session.cohort.programme,
        }


def calendar_feed_url(request, user) -> str:
    """The member's private calendar feed, as an absolute address to paste into a calendar app."""
    return request.build_absolute_uri(
        reverse("sessions:calendar_feed", kwargs={"user_id": user.pk, "token": user.calendar_token})
    )


@login_required
@require_POST
def apologies(request, pk):
    session = get_object_or_404(Session.objects.select_related("cohort__programme"), pk=pk)
    member = Application.objects.filter(
        cohort_id=session.cohort_id, user=request.user, status=ApplicationStatus.CONFIRMED
    ).first()
    if member is None:
        raise Http404("No such session.")
    try:
        if request.POST.get("withdraw"):
            services.apologies_withdraw(session=session, member=member)
            messages.success(request, f"Apologies withdrawn: we will see you at {session.title}.")
        else:
            form = ApologiesForm(request.POST)
            note = form.cleaned_data["note"] if form.is_valid() else ""
            services.apologies_send(session=session, member=member, note=note)
            messages.success(request, f"Apologies sent for {session.title}. Thank you for letting us know.")
    except ValidationError as error:
        messages.error(request, " ".join(_error_messages(error)))
    return redirect("sessions:my_schedule")


@login_required
@require_POST
def calendar_reset(request):
    services.calendar_token_reset(user=request.user)
    messages.success(
        request,
        "Your calendar feed has a new address; the old one no longer works. Subscribe again with the new one. "
        "Your join link has changed with it: use the one on your schedule (emails from now on carry it).",
    )
    return redirect(safe_next(request, default=reverse("sessions:my_schedule")))


def calendar_feed(request, user_id: int, token: str):
    """A member's private feed, read by calendar apps without signing in, so the address is the secret: the
    user's id with their current token. Another person's token, or a token since reset, is a 404."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not constant_time_compare(user.calendar_token, token):
        raise Http404("No such calendar.")
    response = HttpResponse(member_calendar(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="sessions.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_safe
def join(request, token: str):
    """A member's one join link, opened from an email or a calendar without signing in (the signed token is
    the key). While a session is open (JOIN_OPENS_BEFORE its start until its end) it records them as joined
    and takes them to its video link; otherwise it shows their next session. A wrong or reset token is a 404;
    a member who has left their group is told so and taken nowhere."""
    try:
        member = member_from_join_token(token)
    except JoinLinkInvalid:
        raise Http404("No such link.") from None
    now = timezone.now()
    programme = member.cohort.programme if member.cohort is not None else member.programme
    context = {
        "member": member,
        "programme": programme,
        "tz": member_timezone(member.user, programme),
        "opens_minutes": int(JOIN_OPENS_BEFORE.total_seconds() // 60),
    }
    if (
        member.cohort_id is None
        or not Application.objects.filter(active_member_place(), pk=member.pk).exists()
    ):
        response = render(request, "sessions_app/join.html", {**context, "left": True})
    else:
        session = join_open_session(member.cohort_id, now=now)
        if session is not None and session.join_url:
            if request.method == "GET":  # a link checker's HEAD is not a member joining
                services.session_join_record(session=session, member=member, now=now)
            response = redirect(session.join_url)
        else:
            context.update(
                open_session=session,
                next_session=next_session_of(member.cohort_id, now=now) if session is None else None,
            )
            response = render(request, "sessions_app/join.html", context)
    # Where it leads changes with the clock: never cached (never_cache), never indexed.
    response["X-Robots-Tag"] = "noindex"
    return response


# --- Offers to contribute as a guest (members whose group has ended) ---------------------------------------


class AlumniRequiredMixin(LoginRequiredMixin):
    """A page for members whose group has ended (`rules.is_alumnus_member`): signed out, to sign in and back;
    anyone else, 404."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.is_alumnus_member(request.user, timezone.now()):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class GuestOfferView(AlumniRequiredMixin, TemplateView):
    """An alumnus offers (or withdraws an offer) to be a guest contributor to a later group."""

    template_name = "sessions_app/guest_offer.html"

    def get_context_data(self, **kwargs):
        offer = GuestOffer.objects.filter(user=self.request.user).first()
        return {
            **super().get_context_data(**kwargs),
            "offer": offer,
            "form": kwargs.get("form") or GuestOfferForm(instance=offer),
        }

    def post(self, request):
        if request.POST.get("withdraw"):
            services.guest_offer_withdraw(user=request.user)
            messages.success(request, "Your offer to contribute is withdrawn.")
            return redirect("sessions:guest_offer")
        form = GuestOfferForm(request.POST)
        if form.is_valid():
            try:
                services.guest_offer_make(user=request.user, note=form.cleaned_data["note"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Thank you: the programme team can see your offer to contribute.")
                return redirect("sessions:guest_offer")
        return self.render_to_response(self.get_context_data(form=form))


class GuestOfferListView(StaffRequiredMixin, TemplateView):
    """Staff: every alumnus's offer to contribute, each with the sessions of later groups it can be taken up for
    (of one programme's groups, with `?programme=<slug>`: an alumnus of any programme may contribute to it)."""

    template_name = "sessions_app/guest_offers.html"

    def get_context_data(self, **kwargs):
        chosen = programme_filter(self.request)
        offers = guest_offers_with_sessions(now=timezone.now(), programme=chosen.programme)
        return {
            **super().get_context_data(**kwargs),
            "programme_filter": chosen,
            "offers": [
                (offer, GuestOfferInviteForm(sessions=sessions, prefix=f"offer-{offer.pk}"))
                for offer, sessions in offers
            ],
        }


def guest_offers_url(request) -> str:
    """Back to the offers, showing the programme they were showing (the invite form carries it)."""
    query = programme_query(request.POST.get(PARAMETER, ""))
    return reverse("sessions:guest_offers") + (f"?{query}" if query else "")


class GuestOfferInviteView(StaffRequiredMixin, View):
    def post(self, request, pk):
        offer = get_object_or_404(GuestOffer.objects.select_related("user"), pk=pk)
        sessions = guest_offer_sessions(offer, now=timezone.now())
        form = GuestOfferInviteForm(request.POST, sessions=sessions, prefix=f"offer-{offer.pk}")
        if not form.is_valid():
            messages.error(request, "Choose a session still to come, of a group they were not in.")
            return redirect(guest_offers_url(request))
        try:
            guest = services.guest_offer_invite(
                offer=offer, session=sessions.get(pk=form.cleaned_data["session"]), by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{guest.name} is invited and sent the session's invite.")
        return redirect(guest_offers_url(request))
