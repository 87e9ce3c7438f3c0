"""The application form's own questions as the brief asks them: the default set every programme starts with.

Each built-in question is also a `Question` row of its programme (`Question.builtin`), which the manager may
reword, move or (where it is safe) hide or make optional; a programme without a row for one of them asks it as
written here. Its answers stay where they always were: the application's column of the same name, or its weekly
times (`Availability` rows) for the grid.
"""

from dataclasses import dataclass

from ..enums import BuiltinQuestion, QuestionKind, QuestionSection


@dataclass(frozen=True)
class Builtin:
    """One built-in question: its kind, its wording as the brief has it, whether it needs an answer, where it is
    asked, the message when it is left empty, and how the applicant's copy of their answers names it."""

    key: str
    kind: str
    label: str
    hint: str
    required: bool
    section: str
    message: str
    summary: str
    # Always asked and always needing an answer, in its own section (the manager may reword and reorder it).
    fixed: bool = False


S = QuestionSection
K = QuestionKind
B = BuiltinQuestion

# In the order the form asks them (each in its section; their `order` is 0, so they come before the
# programme's own questions of the same section unless the manager gives them a higher number).
DEFAULTS: tuple[Builtin, ...] = (
    Builtin(B.NAME, K.SHORT_TEXT, "Your name", "", True, S.ABOUT_YOU, "Enter your name.", "Name", fixed=True),
    Builtin(
        B.ORGANISATION,
        K.SHORT_TEXT,
        "Organisation",
        "The Connection Coalition member organisation you work for. Start typing to see suggestions.",
        True,
        S.ABOUT_YOU,
        "Enter your organisation.",
        "Organisation",
        fixed=True,
    ),
    Builtin(
        B.ROLE,
        K.SHORT_TEXT,
        "Your role",
        "Your job title or what you do, e.g. community connector, volunteer coordinator.",
        True,
        S.ABOUT_YOU,
        "Enter your role.",
        "Your role",
        fixed=True,
    ),
    Builtin(
        B.ROLE_TYPE,
        K.ONE_CHOICE,
        "Which describes you best?",
        "The group is for active practitioners, in a front-line role or designing and developing front-line "
        "interventions.",
        True,
        S.ABOUT_YOU,
        "Choose whether you work in a front-line role or design front-line work.",
        "Front line or designing front-line work",
    ),
    Builtin(
        B.REGION,
        K.ONE_CHOICE,
        "Where do you work?",
        "Groups meet online; this helps us bring together people from across the country. Optional.",
        False,
        S.ABOUT_YOU,
        "Choose where you work.",
        "Where you work",
    ),
    Builtin(
        B.PANDEMIC_WORK,
        K.LONG_TEXT,
        "What did your organisation do during the pandemic?",
        "How your organisation has supported individuals and communities during the pandemic: new partnerships, "
        "volunteers, changes to your work.",
        True,
        S.WORK,
        "Tell us what your organisation did during the pandemic.",
        "What your organisation did during the pandemic",
    ),
    Builtin(
        B.LEARNING_GAINED,
        K.LONG_TEXT,
        "What learning have you or your organisation gained?",
        "Some ideas of learning you or your organisation have gained during the pandemic.",
        True,
        S.WORK,
        "Tell us about some learning you or your organisation have gained.",
        "Learning you or your organisation gained",
    ),
    Builtin(
        B.MOTIVATION,
        K.LONG_TEXT,
        "Why do you want to take part?",
        "This helps us shape the community around members' needs from the start.",
        True,
        S.WHY,
        "Tell us why you want to take part.",
        "Why you want to take part",
    ),
    Builtin(
        B.HOPES,
        K.LONG_TEXT,
        "What do you hope to achieve?",
        "What you would like to have gained by the end of the six weeks.",
        True,
        S.WHY,
        "Tell us what you hope to achieve.",
        "What you hope to achieve",
    ),
    Builtin(
        B.CHALLENGE,
        K.LONG_TEXT,
        "A challenge or question you would like to bring (optional)",
        "A specific challenge or question around putting relationships and connections at the heart of your "
        "work. It doesn't have to be perfectly formed: ideas, questions and curiosity are great.",
        False,
        S.WHY,
        "Tell us a challenge or question you would like to bring.",
        "A challenge or question to bring",
    ),
    Builtin(
        B.SHARE_CHALLENGE,
        K.YES_NO,
        "Share my challenge with my coffee pair",
        "Your coffee pair will see it, to start a conversation.",
        False,
        S.WHY,
        "Tick to share your challenge with your coffee pair.",
        "Share my challenge with my coffee partners",
    ),
    Builtin(
        B.AVAILABILITY,
        K.AVAILABILITY,
        "When can you meet?",
        "",
        True,
        S.TIMES,
        "Choose yes, if need be or no for each time.",
        "Available",
        fixed=True,
    ),
    Builtin(
        B.ORGANISATION_SUPPORT,
        K.YES_NO,
        "My organisation supports me to attend",
        "Sessions are 6 × 2 hours weekly, plus short coffee-pair meetings and a couple of hours of self-directed "
        "learning: 2–3 days over 6 weeks.",
        True,
        S.SUPPORT,
        "Tick to confirm your organisation supports you to attend: it is needed to take part.",
        "My organisation supports me to attend",
    ),
    Builtin(
        B.TEAM_OPEN,
        K.YES_NO,
        "My wider team is open to new ideas",
        "The group has most impact if you can talk with your team about your learning and try things out.",
        False,
        S.SUPPORT,
        "Tick to confirm your wider team is open to new ideas.",
        "My wider team is open to new ideas",
    ),
    Builtin(
        B.OPENNESS,
        K.YES_NO,
        "I commit to showing up with openness, honesty, a lack of judgement, playfulness and positivity",
        "",
        True,
        S.SUPPORT,
        "Tick to confirm you will show up with openness, honesty and no judgement.",
        "Openness, honesty, no judgement, playfulness",
    ),
    Builtin(
        B.SHARING,
        K.YES_NO,
        "I commit to sharing feedback and learning as we go",
        "Giving feedback to shape the sessions, and contributing to what we share with the wider network: "
        "perhaps a blog, a survey or an online session.",
        True,
        S.SUPPORT,
        "Tick to confirm you will share feedback and learning as we go.",
        "Sharing feedback and learning as we go",
    ),
    Builtin(
        B.ACCESSIBILITY,
        K.LONG_TEXT,
        "Accessibility needs (optional)",
        "Anything that would help you take part fully: captions, breaks, materials in advance. Optional.",
        False,
        S.ACCESS,
        "Tell us about any accessibility needs.",
        "Accessibility needs",
    ),
)

BY_KEY: dict[str, Builtin] = {builtin.key: builtin for builtin in DEFAULTS}
# Their place in the default set: the tie-break between built-in questions of one section at the same number.
POSITION: dict[str, int] = {builtin.key: position for position, builtin in enumerate(DEFAULTS)}
# The built-in questions answered in a column of the application (all but the weekly times).
COLUMNS: tuple[str, ...] = tuple(builtin.key for builtin in DEFAULTS if builtin.kind != K.AVAILABILITY)
# The form's sections in the order it shows them.
SECTION_ORDER: tuple[str, ...] = tuple(QuestionSection.values)


def required_message(key: str, label: str) -> str:
    """The message when a built-in question is left empty: the brief's words, or with the manager's own wording
    of the question, a plain "Answer “…”."."""
    builtin = BY_KEY[key]
    return builtin.message if label == builtin.label else f"Answer “{label}”."
