"""Every write about a group's topics. A member's votes are counted once each and capped (VOTES_PER_MEMBER) even
under concurrent clicks: the member's place is locked while their votes are counted."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from applications.models import Application, Cohort
from cohort_site.core.models import User

from ..enums import SessionStatus
from ..models import ChallengeKeptPrivate, GroupTopic, Session, TopicBoard, TopicMergeSuggestion, TopicVote
from ..services import session_update
from .selectors import VOTES_PER_MEMBER, open_votes_of


def _same_title(cohort: Cohort, title: str) -> GroupTopic | None:
    return (
        GroupTopic.objects.annotate(lower=Lower("title"))
        .filter(cohort=cohort, merged_into__isnull=True, lower=title.lower())
        .first()
    )


def topic_propose(
    *,
    cohort: Cohort,
    title: str,
    description: str = "",
    member: Application | None = None,
    from_application: bool = False,
) -> GroupTopic:
    """A new topic for the group, by a member (`member`) or the manager. From the member's application, the
    description is the challenge or question they wrote there, and each member proposes it once. Proposing the
    same title again (a double click) gives the topic already there; someone else's topic of that title is an
    error that says so."""
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": "Give the topic a title."})
    if member is not None and member.cohort_id != cohort.pk:
        raise ValidationError("You are not a member of this group.")
    if from_application:
        if member is None or not member.challenge.strip():
            raise ValidationError("There is no challenge or question in this application to propose.")
        description = member.challenge.strip()
    with transaction.atomic():
        if from_application:
            existing = GroupTopic.objects.filter(proposed_by=member, from_application=True).first()
            if existing is not None:
                return existing
        same = _same_title(cohort, title)
        if same is not None:
            if member is not None and same.proposed_by_id == member.pk:
                return same
            raise ValidationError({"title": f"“{same.title}” is proposed already: vote for it instead."})
        try:
            with transaction.atomic():
                return GroupTopic.objects.create(
                    cohort=cohort,
                    title=title,
                    description=description.strip(),
                    proposed_by=member,
                    from_application=from_application,
                )
        except IntegrityError:
            # Two clicks at once: the other one stored it.
            same = _same_title(cohort, title)
            if same is not None and (member is None or same.proposed_by_id == member.pk):
                return same
            raise ValidationError({"title": "That topic is proposed already: vote for it instead."}) from None


def challenge_keep_private(*, member: Application) -> ChallengeKeptPrivate:
    """The member would rather not propose their application's challenge: they are not asked again (twice is
    once). They can still propose any topic, that one included, in their own words."""
    kept, _ = ChallengeKeptPrivate.objects.get_or_create(member=member)
    return kept


def _open_topic(topic: GroupTopic, *, lock: bool = False) -> GroupTopic:
    topics = GroupTopic.objects.select_for_update() if lock else GroupTopic.objects
    topic = topics.get(pk=topic.pk)
    if topic.merged_into_id is not None:
        raise ValidationError("That topic has been merged into another: vote for that one.")
    if topic.session_id is not None:
        raise ValidationError("That topic is already chosen for a session.")
    return topic


def topic_vote(*, topic: GroupTopic, member: Application, now: datetime.datetime | None = None) -> TopicVote:
    """The member votes for a topic of their group. Voting twice for one topic is one vote (a double click or a
    retry changes nothing); a member has VOTES_PER_MEMBER votes among the open topics, and the member's place is
    locked while they are counted, so two votes at once cannot pass the cap."""
    now = now or timezone.now()
    if member.cohort_id != topic.cohort_id:
        raise ValidationError("You are not a member of this group.")
    with transaction.atomic():
        Application.objects.select_for_update().filter(pk=member.pk).first()
        # The topic too, so a merge or an assignment running now finishes first (its votes move with it).
        topic = _open_topic(topic, lock=True)
        existing = TopicVote.objects.filter(topic=topic, member=member).first()
        if existing is not None:
            return existing
        if open_votes_of(member).count() >= VOTES_PER_MEMBER:
            raise ValidationError(
                f"You have used your {VOTES_PER_MEMBER} votes: take one back to vote for this topic."
            )
        TopicVote.objects.bulk_create(
            [TopicVote(topic=topic, member=member, voted_at=now)], ignore_conflicts=True
        )
        return TopicVote.objects.get(topic=topic, member=member)


def topic_unvote(*, topic: GroupTopic, member: Application) -> bool:
    """The member takes their vote for the topic back (so they can give it to another). False if there was none."""
    deleted, _ = TopicVote.objects.filter(topic=topic, member=member, topic__session__isnull=True).delete()
    return bool(deleted)


def topic_merge_suggest(*, topic: GroupTopic, into: GroupTopic, member: Application) -> TopicMergeSuggestion:
    """A member suggests two open topics of their group are the same; the manager sees it beside the ranking."""
    if topic.pk == into.pk:
        raise ValidationError({"into": "Choose another topic than this one."})
    if not (member.cohort_id == topic.cohort_id == into.cohort_id):
        raise ValidationError({"into": "Choose a topic of your group."})
    topic, into = _open_topic(topic), _open_topic(into)
    suggestion, _ = TopicMergeSuggestion.objects.get_or_create(topic=topic, into=into, suggested_by=member)
    return suggestion


def topic_merge(*, topic: GroupTopic, into: GroupTopic, by: User | None = None) -> GroupTopic:
    """Merge `topic` into `into` (both open, one group): its votes go with it, and a member who voted for both
    keeps one vote for `into` (the other comes back to them to use again). `topic` stays, marked merged."""
    if topic.pk == into.pk:
        raise ValidationError({"into": "Choose another topic than this one."})
    if topic.cohort_id != into.cohort_id:
        raise ValidationError({"into": "Choose a topic of the same group."})
    with transaction.atomic():
        first, second = sorted([topic, into], key=lambda t: t.pk)
        locked = {t.pk: _open_topic(t, lock=True) for t in (first, second)}
        topic, into = locked[topic.pk], locked[into.pk]
        both = TopicVote.objects.filter(topic=into).values("member")
        TopicVote.objects.filter(topic=topic, member__in=both).delete()
        TopicVote.objects.filter(topic=topic).update(topic=into)
        TopicMergeSuggestion.objects.filter(topic=topic).delete()
        TopicMergeSuggestion.objects.filter(into=topic).delete()
        topic.merged_into = into
        topic.save(update_fields=["merged_into"])
        # The member whose application it came from may propose nothing more from it: it lives on in `into`.
    return into


def topic_assign(*, topic: GroupTopic, session: Session, by: User | None = None) -> Session:
    """Give an open topic to a session of its group that has not started: the session's topic changes, so every
    calendar updates in place (SEQUENCE up) and everyone invited is sent the change (`session_update`). A topic
    the session had before goes back to the list."""
    if session.cohort_id != topic.cohort_id:
        raise ValidationError({"session": "Choose a session of this topic's group."})
    if session.status != SessionStatus.SCHEDULED or session.starts_at <= timezone.now():
        raise ValidationError({"session": "Choose a session that is still to come."})
    with transaction.atomic():
        topic = _open_topic(topic, lock=True)
        GroupTopic.objects.filter(session=session).update(session=None)
        topic.session = session
        topic.save(update_fields=["session"])
        return session_update(session=session, by=by, topic=topic.title)


def topic_votes_publish(
    *, cohort: Cohort, published: bool, now: datetime.datetime | None = None
) -> TopicBoard:
    """Show the members the votes (or hide them again). Until the manager publishes them, members see the
    topics and their own votes, never the counts or the order."""
    board, _ = TopicBoard.objects.get_or_create(cohort=cohort)
    board.votes_published_at = (now or timezone.now()) if published else None
    board.save(update_fields=["votes_published_at"])
    return board
