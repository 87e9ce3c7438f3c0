from django.db import models

from cohort_site.mail.enums import EmailKind


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    OFFERED = "offered", "Offered a place"
    CONFIRMED = "confirmed", "Confirmed (member)"
    WAITLISTED = "waitlisted", "Waitlisted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    OFFER_EXPIRED = "offer_expired", "Offer expired"


# Statuses that hold one of a cohort's places.
PLACE_HOLDING_STATUSES = (ApplicationStatus.OFFERED, ApplicationStatus.CONFIRMED)

# The email each status change sends, by target status (its kind names its template).
DECISION_EMAILS: dict[str, EmailKind] = {
    ApplicationStatus.OFFERED: EmailKind.DECISION_OFFERED,
    ApplicationStatus.WAITLISTED: EmailKind.DECISION_WAITLISTED,
    ApplicationStatus.DECLINED: EmailKind.DECISION_DECLINED,
    ApplicationStatus.CONFIRMED: EmailKind.DECISION_CONFIRMED,
    ApplicationStatus.WITHDRAWN: EmailKind.DECISION_WITHDRAWN,
    ApplicationStatus.OFFER_EXPIRED: EmailKind.DECISION_OFFER_EXPIRED,
}


# The emails a programme may word itself (applications/wording.py, where each app registers its own kinds'
# placeholders): every email the programme sends to the people who register interest, apply and take part.
WORDED_EMAILS: list[EmailKind] = [
    EmailKind.INTEREST_CONFIRMATION,
    EmailKind.INTEREST_AGAIN,
    EmailKind.DROP_IN_REMINDER,
    EmailKind.APPLY_REMINDER,
    EmailKind.APPLICATION_RECEIVED,
    EmailKind.APPLICATION_UPDATED,
    EmailKind.APPLICATION_AGAIN,
    *DECISION_EMAILS.values(),
    EmailKind.OFFER_REMINDER,
    EmailKind.SESSION_INVITE,
    EmailKind.SESSION_UPDATE,
    EmailKind.SESSION_REMINDER,
    EmailKind.COFFEE_INTRODUCTION,
    EmailKind.COFFEE_NUDGE,
    EmailKind.LEARNING_SESSION_FEEDBACK,
    EmailKind.LEARNING_SESSION_FEEDBACK_REMINDER,
    EmailKind.LEARNING_SURVEY,
    EmailKind.LEARNING_SURVEY_REMINDER,
]


class WaitlistPromotion(models.TextChoices):
    AUTOMATIC = "automatic", "Offer the freed place to the next person on the waitlist at once"
    PROPOSED = "proposed", "Propose the next person to the manager, who offers the place"


class Notify(models.TextChoices):
    """What happens to the decision email a status change creates."""

    SEND = "send", "Send the emails now"
    DRAFT = "draft", "Save the emails as drafts to preview and send later"
    NONE = "none", "Send no email"


class RoleType(models.TextChoices):
    FRONT_LINE = "front_line", "I work directly in a front-line role"
    DESIGNING = "designing", "I design and develop front-line interventions"


class Region(models.TextChoices):
    """Where an applicant works, from a short list, so a proposal of groups can show the spread."""

    NORTH_EAST = "north_east", "North East England"
    NORTH_WEST = "north_west", "North West England"
    YORKSHIRE = "yorkshire", "Yorkshire and the Humber"
    MIDLANDS = "midlands", "East or West Midlands"
    EAST = "east", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south_east", "South East England"
    SOUTH_WEST = "south_west", "South West England"
    WALES = "wales", "Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"
    OUTSIDE_UK = "outside_uk", "Outside the UK"


class ComposerMark(models.TextChoices):
    """The manager's mark on an application under consideration, which the group composer honours."""

    INCLUDE = "include", "Must include"
    EXCLUDE = "exclude", "Exclude"


class AvailabilityAnswer(models.TextChoices):
    YES = "yes", "Yes"
    IF_NEED_BE = "if_need_be", "If need be"
    NO = "no", "No"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class ProgrammePhase(models.TextChoices):
    NOT_YET_OPEN = "not_yet_open", "Applications not yet open"
    OPEN = "open", "Applications open"
    CLOSED = "closed", "Applications closed"


class HolidayNation(models.TextChoices):
    """Where a programme's sessions keep bank holidays: the `holidays` package's UK subdivision codes."""

    ENGLAND_AND_WALES = "ENG", "England and Wales"
    SCOTLAND = "SCT", "Scotland"
    NORTHERN_IRELAND = "NIR", "Northern Ireland"


class QuestionKind(models.TextChoices):
    """The kinds of question on a programme's application form. The weekly times are the form's own question
    only (`BuiltinQuestion.AVAILABILITY`): a manager cannot add a second grid."""

    SHORT_TEXT = "short_text", "Short text (one line)"
    LONG_TEXT = "long_text", "Long text (a text box, with a maximum length)"
    ONE_CHOICE = "one_choice", "One choice"
    SEVERAL_CHOICES = "several_choices", "Several choices"
    YES_NO = "yes_no", "Yes or no"
    DATE = "date", "A date"
    AVAILABILITY = "availability", "Weekly times (the availability grid)"


# Kinds whose answer is one or more of the question's choices (a filter on the applications list).
CHOICE_KINDS = (QuestionKind.ONE_CHOICE, QuestionKind.SEVERAL_CHOICES)
# Kinds whose answers the programme report can count, choice by choice.
COUNTABLE_KINDS = (*CHOICE_KINDS, QuestionKind.YES_NO)


class QuestionSection(models.TextChoices):
    """The sections of the application form, in the order it shows them. Within a section, questions come in
    their order (lower first; at the same number, the form's own questions first, then the programme's)."""

    ABOUT_YOU = "about_you", "About you"
    WORK = "work", "Your work and learning"
    WHY = "why", "Why you want to take part"
    TIMES = "times", "When can you meet? (after the weekly times)"
    SUPPORT = "support", "Support and commitments"
    AFTER = "after", "A few more questions (after the others)"
    ACCESS = "access", "Access and consent"


class BuiltinQuestion(models.TextChoices):
    """The questions every application form asks unless the manager hides them (their answers are columns of
    the application, or its weekly times). Their default wording is `applications.questions.defaults`."""

    NAME = "name", "Name"
    ORGANISATION = "organisation", "Organisation"
    ROLE = "role", "Role"
    ROLE_TYPE = "role_type", "Front line or designing front-line work"
    REGION = "region", "Where they work"
    PANDEMIC_WORK = "pandemic_work", "What their organisation did during the pandemic"
    LEARNING_GAINED = "learning_gained", "Learning gained"
    MOTIVATION = "motivation", "Why they want to take part"
    HOPES = "hopes", "What they hope to achieve"
    CHALLENGE = "challenge", "A challenge or question to bring"
    SHARE_CHALLENGE = "share_challenge_with_partners", "Share the challenge with the coffee pair"
    AVAILABILITY = "availability", "The weekly times"
    ORGANISATION_SUPPORT = "organisation_support", "Organisation supports them to attend"
    TEAM_OPEN = "team_open_to_ideas", "Wider team open to new ideas"
    OPENNESS = "commits_to_openness", "Commits to openness"
    SHARING = "commits_to_sharing", "Commits to sharing feedback and learning"
    ACCESSIBILITY = "accessibility_needs", "Accessibility needs"
