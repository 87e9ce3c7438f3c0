"""Who is a member: decided once in applications.selectors, asked by every app."""

from django.contrib.auth.models import AnonymousUser

from applications.enums import ApplicationStatus
from applications.selectors import cohort_members, is_member, is_member_of_cohort, memberships_of
from cohort_site.members.rules import can_claim_expenses
from sessions_app.rules import is_session_member
from tests.factories import ApplicationFactory, MemberFactory, SessionFactory, StaffFactory, UserFactory


def test_memberships_are_confirmed_places_of_active_accounts(db):
    member = MemberFactory()
    deactivated = MemberFactory(cohort=member.cohort, user__is_active=False)
    declined = ApplicationFactory(
        programme=member.programme,
        cohort=member.cohort,
        status=ApplicationStatus.DECLINED,
        user=UserFactory(),
    )

    assert list(memberships_of(member.user)) == [member]
    assert [memberships_of(person).count() for person in (deactivated.user, declined.user)] == [0, 0]
    assert list(cohort_members(member.cohort)) == [member]
    assert [is_member(user) for user in (AnonymousUser(), None, StaffFactory(), member.user)] == [
        False,
        False,
        False,
        True,
    ]
    assert [
        is_member_of_cohort(member.user, cohort) for cohort in (member.cohort_id, MemberFactory().cohort_id)
    ] == [
        True,
        False,
    ]


def test_every_app_asks_the_same_question(db):
    """Before, expenses ignored a deactivated (erased) account while the schedule refused it."""
    member = MemberFactory()
    session = SessionFactory(cohort=member.cohort)
    member.user.is_active = False
    member.user.save(update_fields=["is_active"])

    assert (can_claim_expenses(member.user), is_session_member(member.user, session)) == (False, False)
