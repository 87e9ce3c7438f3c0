"""Defaults a programme starts with: the brief's reading list and the survey questions (the manager edits them)."""

from typing import Any

from .enums import QuestionKind, SurveyKind

# The brief's "Find out more" links.
READING_LIST = [
    {
        "title": "Enabling Change Through Communities of Practice",
        "source": "National Voices",
        "url": "https://www.nationalvoices.org.uk/sites/default/files/public/publications/"
        "enabling_change_through_communities_of_practice_0.pdf",
        "description": "What communities of practice are, how they work and what makes them succeed.",
    },
    {
        "title": "How To Create And Manage a Community of Practice",
        "source": "The Social Change Agency",
        "url": "https://thesocialchangeagency.org/create-a-community-of-practice/",
        "description": "A practical guide to setting up and looking after a community of practice.",
    },
]

SURVEYS: dict[SurveyKind, dict[str, Any]] = {
    SurveyKind.MIDPOINT: {
        "title": "Mid-point check-in",
        "intro": "Half way through: tell us how it is going, so we can shape the sessions that are left.",
        "questions": [
            ("How useful have the sessions been so far?", "1 is not at all, 5 is very.", QuestionKind.RATING),
            ("What have you gained so far?", "", QuestionKind.TEXT),
            (
                "How connected do you feel to other members of the group?",
                "1 is not at all, 5 is very.",
                QuestionKind.RATING,
            ),
            ("What would you change for the sessions that are left?", "", QuestionKind.TEXT),
        ],
    },
    SurveyKind.EVALUATION: {
        "title": "End-of-programme evaluation",
        "intro": "Looking back over the programme: what you gained, and what next for the group.",
        "questions": [
            ("What have you gained from taking part?", "", QuestionKind.TEXT),
            (
                "What connections have you made with other members?",
                "People you would contact again, ideas you have shared.",
                QuestionKind.TEXT,
            ),
            (
                "How connected do you feel to other members of the group?",
                "1 is not at all, 5 is very.",
                QuestionKind.RATING,
            ),
            (
                "How has your confidence in your practice changed?",
                "1 is less confident, 3 is no change, 5 is much more confident.",
                QuestionKind.RATING,
            ),
            ("What will you carry into your work?", "", QuestionKind.TEXT),
            ("What next for the group?", "", QuestionKind.TEXT),
        ],
    },
}

# The two surveys only the outcome items make (learning.services.outcome_items_set); the evaluation is SURVEYS'.
OUTCOME_SURVEY_DEFAULTS: dict[SurveyKind, dict[str, str]] = {
    SurveyKind.BASELINE: {
        "title": "Before we start",
        "intro": "A few questions before the first session, so that at the end we can see what has changed. "
        "There are no right answers.",
    },
    SurveyKind.FOLLOW_UP: {
        "title": "Three months on",
        "intro": "A few months after the last session: what has stayed with you, and what have you tried?",
    },
    SurveyKind.EVALUATION: SURVEYS[SurveyKind.EVALUATION],
}
