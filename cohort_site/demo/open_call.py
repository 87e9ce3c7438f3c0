"""The demo programme: the brief's call (July 2021), its timeline moved by whole weeks so that applications
are open today and the drop-in is still ahead. Weekdays and local times stay as the brief has them."""

import datetime
import math
from dataclasses import dataclass
from datetime import timedelta

# The brief's own dates.
BRIEF_OPENS = datetime.date(2021, 6, 28)  # w/c 28 June: applications open
BRIEF_DROP_IN = datetime.date(2021, 7, 14)  # Wednesday 14 July, 3-4pm
BRIEF_CLOSES = datetime.date(2021, 7, 21)  # Wednesday 21 July, 9am
BRIEF_CONFIRMATION_WEEK = datetime.date(2021, 7, 26)
BRIEF_FIRST_SESSION_WEEK = datetime.date(2021, 8, 9)

# The deadline lands between 14 and 20 days ahead, so the drop-in (a week before it) is at least a week ahead.
DEADLINE_AT_LEAST_DAYS_AHEAD = 14


@dataclass(frozen=True)
class DemoTimeline:
    opens: datetime.date
    drop_in: datetime.date
    closes: datetime.date
    confirmation_week: datetime.date
    first_session_week: datetime.date


def demo_timeline(today: datetime.date) -> DemoTimeline:
    days_needed = (today + timedelta(days=DEADLINE_AT_LEAST_DAYS_AHEAD) - BRIEF_CLOSES).days
    shift = timedelta(weeks=max(0, math.ceil(days_needed / 7)))
    return DemoTimeline(
        opens=BRIEF_OPENS + shift,
        drop_in=BRIEF_DROP_IN + shift,
        closes=BRIEF_CLOSES + shift,
        confirmation_week=BRIEF_CONFIRMATION_WEEK + shift,
        first_session_week=BRIEF_FIRST_SESSION_WEEK + shift,
    )


TITLE = (
    "Community of practice: how can we continue to put relationships and connections at the heart of our work"
)
SLUG = "relationships-and-connections"

SUMMARY = (
    "A community of practice for Connection Coalition members: six online sessions over six weeks to share "
    "experiences, increase knowledge, skills and confidence, and build meaningful relationships with peers."
)
WHO_IT_IS_FOR = (
    "This is for you if you are working toward reducing social isolation, building more resilient communities "
    "and increasing connections and meaningful relationships between people. You will have experience to share "
    "and might have some questions or challenges around relationships and connections in your work that you "
    "want some support with."
)
WHAT_TO_EXPECT = (
    "We will provide you with a space to share experiences and increase knowledge, skills and confidence. "
    "Attention will be focused on developing meaningful relationships and connections between group members. "
    "We will start by establishing where everyone is at, help you develop your own questions and challenges, "
    "and then see how we can address them as a group."
)
TIME_COMMITMENT = (
    "The overall time commitment is estimated to be 2-3 days over 6 weeks. This includes 6 x 2 hours weekly "
    "sessions, short one to one coffee catch ups with another group member in between sessions, and a couple "
    "of hours of self-directed learning."
)
LOCATION = (
    "The sessions will run online so you can join us from wherever you are, with an intention to meet face to "
    "face if/when restrictions allow."
)

SECTIONS = [
    (
        "introduction",
        "Introduction",
        "We are creating a community of practice for Connection Coalition members focused on how we can "
        "continue to put relationships and connections at the heart of our work. During the pandemic, we have "
        "seen communities work together and support each other like never before.\n\n"
        "One of the Connection Coalition's aims is to encourage people to carry forward relationships and "
        "connectedness with them into the post-crisis period, so that as we emerge from the pandemic, we can move "
        "as a society towards a world where we make people and their social relationships the focus of our time "
        "and attention.",
    ),
    (
        "what-is-a-community-of-practice",
        "What is a community of practice?",
        "> “Communities of practice facilitate peer-based, collaborative learning between people with shared "
        "interests… By sharing experiences, stories, breakthroughs and challenges, community of practice members "
        "can shorten their collective learning curve, and ultimately develop their practice in meaningful and "
        "experience-based ways.” National Voices 2017\n\n"
        "- **Shared focus**: a defined area with potential to develop knowledge and understanding, and that "
        "members have a shared commitment to exploring.\n"
        "- **Community and relationships**: through regular interaction and facilitated spaces members develop "
        "meaningful relationships based on trust and reciprocal learning.\n"
        "- **Practice**: members share tacit knowledge from their personal experience around the shared focus.",
    ),
    (
        "aims",
        "Aims of our community",
        "- Bring together practitioners within the Connection Coalition to form a community of practice on how "
        "we can continue to put relationships and connections at the heart of our work.\n"
        "- Create a community by facilitating peer-based, collaborative learning.\n"
        "- Work with the group to capture learning which can inform practice and contribute to the sector by "
        "sharing this knowledge with the wider Connection Coalition network and beyond.",
    ),
    (
        "what-you-gain",
        "What will you gain?",
        "- Connections and relationships with other practitioners with shared values.\n"
        "- A space to ask questions and receive support from your peers.\n"
        "- A space to reflect and share your own expertise so others might learn from it.\n"
        "- Ideas, tips and support to improve your own practice and that of your organisation.",
    ),
    (
        "what-your-organisation-gains",
        "What will your organisation gain?",
        "- Meaningful connections with other organisations working towards similar aims.\n"
        "- An insight into wider trends and solutions in the sector with practical examples.\n"
        "- The opportunity to share your work and ideas across the wider Connection Coalition network of 800+ "
        "organisations.",
    ),
    (
        "about-you",
        "About you",
        "We welcome and encourage diversity in all its forms. We'd like all group members to align with these:\n\n"
        "- You are an active practitioner, working directly in a front line role or designing and developing "
        "front line interventions.\n"
        "- You have some ideas of learning gained during the pandemic and perhaps a challenge or question to "
        "bring. These don't have to be perfectly formed.\n"
        "- You are committed to showing up with openness, honesty, a lack of judgement and a sense of "
        "playfulness and positivity.\n"
        "- You have support from your organisation to attend and an openness from your wider team to new ideas.\n"
        "- You are committed to sharing feedback and learning as we go.",
    ),
    (
        "practical-details",
        "Practical details",
        "- It will be free to join with expenses available where relevant.\n"
        "- There will be a limited group size of 20 group members. If there is demand we will consider running "
        "multiple groups consecutively.\n"
        "- Each session will run for 2 hours at a regular time, with all dates and times set before the first "
        "session. On application you will be asked your preferences for days of the week and time of day, and we "
        "will try to find a time that suits the majority.\n"
        "- We will help group members coordinate short one-to-one coffee catch ups between sessions.\n"
        "- Where appropriate we may invite external contributors to help set the scene on a particular topic.\n"
        "- Learning from the group will be captured and shared with the wider Connection Coalition network, in a "
        "form decided together.",
    ),
    (
        "find-out-more",
        "Find out more",
        "- National Voices, [Enabling Change Through Communities of Practice]"
        "(https://www.nationalvoices.org.uk/sites/default/files/public/publications/"
        "enabling_change_through_communities_of_practice_0.pdf)\n"
        "- The Social Change Agency, [How To Create And Manage a Community of Practice]"
        "(https://thesocialchangeagency.org/create-a-community-of-practice/)",
    ),
]

# The programme's own question the report counts members by (issue 22's "organisation type"), asked after the
# organisation on the form.
ORGANISATION_TYPE_LABEL = "Type of organisation"
ORGANISATION_TYPES = [
    "Charity or voluntary group",
    "Local authority",
    "Health (NHS)",
    "Housing",
    "Faith group",
    "Social enterprise",
    "Other",
]

# Candidate weekly times offered on the application form: weekday mornings and afternoons.
CANDIDATE_TIMES = [(weekday, hour) for weekday in range(5) for hour in (10, 14)]
DROP_IN_JOIN_URL = "https://meet.example.org/connection-coalition-drop-in"
CONTACT_NAME = "Zoë Cumberland"
CONTACT_EMAIL = "zoe@jocoxfoundation.org"
MANAGER_EMAIL = "manager@example.org"

# Someone who registered interest, and an extra drop-in starting an hour after seeding: its reminder to them falls
# due within a minute, so whoever runs `make run` sees beat's dispatcher send it with nobody touching anything.
INTEREST_NAME = "Priya Shah"
INTEREST_EMAIL = "interested@example.org"
INTEREST_ORGANISATION = "Leeds Community Connectors"
INTEREST_ROLE = "Volunteer coordinator"


def soon_drop_in_start(now: datetime.datetime, reminder_lead: timedelta) -> datetime.datetime:
    """The start of a drop-in whose reminder is due at the next whole minute (after anyone registered now)."""
    next_minute = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return next_minute + reminder_lead


# A few Connection Coalition member organisations, suggested as people type on the forms. The real list
# (800+) is imported by the manager from CSV in the admin.
MEMBER_ORGANISATIONS = [
    "Age UK",
    "British Red Cross",
    "Campaign to End Loneliness",
    "Eden Project Communities",
    "Independent Age",
    "Jo Cox Foundation",
    "Men's Sheds Association",
    "Royal Voluntary Service",
    "The Cares Family",
    "Together Co",
]
