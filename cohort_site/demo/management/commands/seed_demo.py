import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from applications.models import CandidateTime, Cohort, DropIn, Programme, ProgrammeSection
from applications.page_cache import public_pages_invalidate
from applications.services import builtin_questions_ensure, interest_register, member_organisations_import
from cohort_site.demo import open_call
from cohort_site.demo.network import network_seed
from cohort_site.demo.pilot import MEMBER_EMAIL, organisation_type_question_add, pilot_seed
from learning.services import reading_list_seed, surveys_ensure_defaults


class Command(BaseCommand):
    help = (
        "Create the demo programme from the brief (timeline shifted so applications are open) and a manager."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", default="connect-and-share", help="The demo manager's password.")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    @transaction.atomic
    def handle(self, *args, password, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo makes a known password; it runs with DEBUG on only (or --force).")
        programme, created = self.seed_programme()
        reading_list_seed(programme=programme)
        surveys_ensure_defaults(programme=programme)
        manager = self.seed_manager(password)
        added, _known = member_organisations_import(names=open_call.MEMBER_ORGANISATIONS)
        pilot, pilot_created = pilot_seed(manager=manager)
        _event, network_created = network_seed(manager=manager)
        if created or pilot_created or network_created or options["verbosity"] > 1:
            self.stdout.write(
                f"Demo ready: an open call, “{pilot.title}” half-way through, a sharing event, "
                f"{added} member organisations; "
                f"sign in as {manager.email} / {password} or {MEMBER_EMAIL} (by code)."
            )

    def seed_programme(self) -> tuple[Programme, bool]:
        existing = Programme.objects.filter(slug=open_call.SLUG).first()
        if existing:
            return existing, False
        timeline = open_call.demo_timeline(timezone.localdate())
        programme = Programme(slug=open_call.SLUG, timezone="Europe/London")
        local = programme.tz

        def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
            return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=local)

        programme.title = open_call.TITLE
        programme.summary = open_call.SUMMARY
        programme.who_it_is_for = open_call.WHO_IT_IS_FOR
        programme.what_to_expect = open_call.WHAT_TO_EXPECT
        programme.time_commitment = open_call.TIME_COMMITMENT
        programme.location = open_call.LOCATION
        programme.contact_name = open_call.CONTACT_NAME
        programme.contact_email = open_call.CONTACT_EMAIL
        programme.applications_open_at = at(timeline.opens, 9)
        programme.applications_close_at = at(timeline.closes, 9)
        programme.confirmation_week = timeline.confirmation_week
        programme.first_session_week = timeline.first_session_week
        programme.is_published = True
        programme.save()
        builtin_questions_ensure(programme=programme)  # as the admin does for a new programme
        ProgrammeSection.objects.bulk_create(
            ProgrammeSection(programme=programme, key=key, heading=heading, body=body, order=order)
            for order, (key, heading, body) in enumerate(open_call.SECTIONS)
        )
        DropIn.objects.create(
            programme=programme,
            starts_at=at(timeline.drop_in, 15),
            ends_at=at(timeline.drop_in, 16),
            join_url=open_call.DROP_IN_JOIN_URL,
            host_name=open_call.CONTACT_NAME,
        )
        soon = open_call.soon_drop_in_start(timezone.now(), settings.DROP_IN_REMINDER_LEAD)
        DropIn.objects.create(
            programme=programme,
            starts_at=soon,
            ends_at=soon + datetime.timedelta(hours=1),
            join_url=open_call.DROP_IN_JOIN_URL,
            host_name=open_call.CONTACT_NAME,
        )
        interest_register(
            programme=programme,
            name=open_call.INTEREST_NAME,
            email=open_call.INTEREST_EMAIL,
            organisation=open_call.INTEREST_ORGANISATION,
            role=open_call.INTEREST_ROLE,
        )
        CandidateTime.objects.bulk_create(
            CandidateTime(programme=programme, weekday=weekday, start_time=datetime.time(hour))
            for weekday, hour in open_call.CANDIDATE_TIMES
        )
        organisation_type_question_add(programme)
        public_pages_invalidate()  # bulk_create sends no signal: the sections and times above are new
        Cohort.objects.create(
            programme=programme,
            number=1,
            name="Group 1",
            size=programme.group_size,
            first_session_week=programme.first_session_week,
        )
        return programme, True

    def seed_manager(self, password: str):
        user_model = get_user_model()
        manager = user_model.objects.filter(email__iexact=open_call.MANAGER_EMAIL).first()
        if manager is None:
            manager = user_model.objects.create_superuser(
                email=open_call.MANAGER_EMAIL, password=password, name=open_call.CONTACT_NAME
            )
        else:
            manager.set_password(password)
            manager.save(update_fields=["password"])
        self.mark_email_verified(manager)
        return manager

    def mark_email_verified(self, user) -> None:
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
