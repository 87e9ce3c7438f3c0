"""Reads about a group's topics: the list a member sees (their own votes, the counts only once published), the
manager's ranking, and what a member may still propose from their application."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from applications.models import Application, Cohort

from ..models import GroupTopic, TopicBoard, TopicMergeSuggestion, TopicVote

# How many votes each member has among the open topics of their group (a vote comes back when its topic is
# given to a session, or when they take it back).
VOTES_PER_MEMBER = 3


def open_votes_of(member: Application) -> QuerySet[TopicVote]:
    """The member's votes that count against VOTES_PER_MEMBER: those for topics still open."""
    return TopicVote.objects.filter(
        member=member, topic__cohort_id=member.cohort_id, topic__session__isnull=True
    )


def votes_published(cohort: Cohort) -> bool:
    return TopicBoard.objects.filter(cohort=cohort, votes_published_at__isnull=False).exists()


def open_topics(cohort: Cohort, *, member: Application | None = None, ranked: bool) -> QuerySet[GroupTopic]:
    """The group's topics still to choose from, each with `vote_count` and (for `member`) `my_vote`: ranked
    (most votes first) for the manager, or for members once published; otherwise in the order proposed."""
    topics = (
        GroupTopic.objects.filter(cohort=cohort, merged_into__isnull=True, session__isnull=True)
        .select_related("proposed_by")
        .annotate(vote_count=Count("votes"))
    )
    if member is not None:
        topics = topics.annotate(
            my_vote=Exists(TopicVote.objects.filter(topic=OuterRef("pk"), member=member))
        )
    if ranked:
        return topics.order_by("-vote_count", "created_at", "pk")
    return topics.order_by("created_at", "pk")


def chosen_topics(cohort: Cohort) -> QuerySet[GroupTopic]:
    """Topics given to a session, in the sessions' order."""
    return (
        GroupTopic.objects.filter(cohort=cohort, session__isnull=False)
        .select_related("session")
        .order_by("session__starts_at", "pk")
    )


def merge_suggestions(cohort: Cohort) -> QuerySet[TopicMergeSuggestion]:
    """Members' suggestions that two open topics are one, for the manager (one row per pair, with how many)."""
    return (
        TopicMergeSuggestion.objects.filter(
            topic__cohort=cohort,
            topic__merged_into__isnull=True,
            into__merged_into__isnull=True,
            topic__session__isnull=True,
            into__session__isnull=True,
        )
        .values("topic_id", "topic__title", "into_id", "into__title")
        .annotate(count=Count("suggested_by"))
        .order_by("-count", "topic__title")
    )


def challenge_to_propose(member: Application | None) -> str:
    """The challenge or question the member wrote in their application, while they have neither proposed it as a
    topic nor chosen to keep it to themselves: shown to them first, to propose or not as they choose."""
    if member is None or not member.challenge.strip():
        return ""
    decided = Q(proposed_topics__from_application=True) | Q(challenge_kept_private__isnull=False)
    if Application.objects.filter(decided, pk=member.pk).exists():
        return ""
    return member.challenge.strip()


@dataclass(frozen=True)
class MemberTopics:
    topics: list[GroupTopic]
    votes_left: int
    published: bool


def member_topics(cohort: Cohort, member: Application) -> MemberTopics:
    """What a member sees: the open topics (in the order proposed until the votes are published, then ranked),
    which they voted for, and how many votes they have left."""
    published = votes_published(cohort)
    topics = list(open_topics(cohort, member=member, ranked=published))
    used = sum(1 for topic in topics if topic.my_vote)
    return MemberTopics(topics=topics, votes_left=max(VOTES_PER_MEMBER - used, 0), published=published)
