from django.db import models


class EntryKind(models.TextChoices):
    SESSION_NOTES = "session_notes", "Session notes"
    BLOG = "blog", "Blog post"
    RESOURCE = "resource", "Resource"
    QUESTION = "question", "Question for the wider network"
    STORY = "story", "Practice story or tip"


class Visibility(models.TextChoices):
    """Who can read an entry, narrowest first. Beyond the group needs every author's consent and the manager."""

    DRAFT = "draft", "Draft (authors only)"
    GROUP = "group", "Group (the cohort and the manager)"
    NETWORK = "network", "Network (members of every cohort of the programme)"
    PUBLIC = "public", "Public (anyone)"


# Audiences beyond the group, in widening order: consent or approval to a wider one covers the narrower.
WIDER_AUDIENCES = [Visibility.NETWORK, Visibility.PUBLIC]


def audience_rank(audience: str) -> int:
    """0 for none (or group), 1 for network, 2 for public."""
    return {Visibility.NETWORK: 1, Visibility.PUBLIC: 2}.get(audience, 0)


class SurveyKind(models.TextChoices):
    BASELINE = "baseline", "Before the programme"
    MIDPOINT = "midpoint", "Mid-point check-in"
    EVALUATION = "evaluation", "End-of-programme evaluation"
    FOLLOW_UP = "follow_up", "Follow-up"


# The surveys that share the outcome items (learning.outcomes), in the order a person answers them.
OUTCOME_SURVEYS = [SurveyKind.BASELINE, SurveyKind.EVALUATION, SurveyKind.FOLLOW_UP]


class QuestionKind(models.TextChoices):
    RATING = "rating", "Rating from 1 to 5"
    TEXT = "text", "Open answer"


RATING_CHOICES = [(1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, "5")]

# The surveys that ask whom in their group a member would feel comfortable contacting for advice (before, after).
CONTACT_SURVEYS = [SurveyKind.BASELINE, SurveyKind.EVALUATION]
