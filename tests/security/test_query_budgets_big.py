"""The same pages and budgets as test_query_budgets.py, in a world with twenty of each thing: members in the
cohort, entries, reading items, claims, emails, feedback, survey answers, waiting applicants, coffee pairs."""

from tests.security.test_query_budgets import test_page_query_count

WORLD_SIZE = 20

__all__ = ["test_page_query_count"]


def test_world_is_big(world):
    from applications.selectors import cohort_members
    from cohort_site.mail.models import OutgoingEmail
    from cohort_site.members.models import Expense
    from learning.models import Entry
    from pairings.models import PairMember

    assert (
        cohort_members(world.cohort_a).count(),
        Entry.objects.filter(cohort=world.cohort_a).count(),
        Expense.objects.filter(claimant=world.member.user).count(),
        OutgoingEmail.objects.filter(key__startswith="world:").count(),
        PairMember.objects.filter(round=world.round).count(),
    ) == (21, 22, 21, 21, 21)
