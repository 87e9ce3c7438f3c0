"""Every write to the learning repository, the reading list, feedback and surveys."""

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from applications.models import Application, Cohort, Programme
from cohort_site.core.models import User
from cohort_site.mail.enums import EmailKind
from cohort_site.mail.services import NewEmail, new_email_queue
from sessions_app.models import Session

from . import outcomes
from .defaults import OUTCOME_SURVEY_DEFAULTS, READING_LIST, SURVEYS
from .enums import (
    CONTACT_SURVEYS,
    OUTCOME_SURVEYS,
    EntryKind,
    QuestionKind,
    SurveyKind,
    Visibility,
    audience_rank,
)
from .models import (
    AdviceContact,
    Authorship,
    Entry,
    ReadingItem,
    ReadingTick,
    SessionFeedback,
    SharingEvent,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
    Topic,
)
from .selectors import advice_contact_choices, author_candidates, consent_awaited, entries_with_related

VISIBILITY_BY_RANK = [Visibility.GROUP, Visibility.NETWORK, Visibility.PUBLIC]
# A wider audience in a sentence: "sharing it beyond your group: with …".
AUDIENCE_WORDS: dict[str, str] = {
    Visibility.NETWORK: "the members of every group of the programme",
    Visibility.PUBLIC: "everyone, on the public pages",
}


# --- Topics ----------------------------------------------------------------------------------------------


def topics_ensure(*, names: Iterable[str]) -> list[Topic]:
    """The topics with these names, created when new. Names differing only in case or spacing are one topic."""
    topics: dict[str, Topic] = {}
    for raw in names:
        name = " ".join(raw.split())[:60]
        slug = slugify(name)[:70]
        if not slug or slug in topics:
            continue
        topic = Topic.objects.filter(slug=slug).first()
        if topic is None:
            try:
                with transaction.atomic():
                    topic = Topic.objects.create(name=name, slug=slug)
            except IntegrityError:
                topic = Topic.objects.get(slug=slug)
        topics[slug] = topic
    return list(topics.values())


# --- Entries ---------------------------------------------------------------------------------------------


def _validate_entry(
    *, cohort: Cohort, kind: str, link: str, session: Session | None, authors: Sequence[User], entry=None
) -> None:
    errors: dict[str, str] = {}
    if kind == EntryKind.RESOURCE and not link:
        errors["link"] = "A resource needs a link to where people can find it."
    if session is not None and session.cohort_id != cohort.pk:
        errors["session"] = "Choose a session of this entry's group."
    if kind == EntryKind.SESSION_NOTES:
        if session is None:
            errors["session"] = "Session notes are for one session: choose it."
        elif (
            Entry.objects.filter(kind=EntryKind.SESSION_NOTES, session=session)
            .exclude(pk__in=[entry.pk] if entry else [])
            .exists()
        ):
            errors["session"] = "This session has notes already; edit those instead."
        if any(not author.is_staff for author in authors):
            errors["authors"] = "Session notes are the manager's: only staff can be their authors."
    if not authors:
        errors["authors"] = "An entry needs at least one author."
    allowed = {user.pk for user in author_candidates(cohort)}
    strangers = [author for author in authors if author.pk not in allowed]
    if strangers:
        errors["authors"] = "Authors must be members of the group or staff."
    if errors:
        raise ValidationError(errors)


def _log(entry: Entry, user: User | None, action: str, audience: str = "") -> SharingEvent:
    return SharingEvent.objects.create(entry=entry, user=user, action=action, audience=audience)


def consent_request_email(
    *, authorship: Authorship, round_id: int, reminder: bool = False, asked_by: User | None = None
) -> NewEmail:
    """The email asking an author to consent to sharing their entry beyond the group (or reminding them once).
    Its key names the round of asking (the proposal, or the edit that cleared the consents), so each author is
    asked once a round and reminded once."""
    entry = authorship.entry
    programme = entry.cohort.programme
    audience = AUDIENCE_WORDS[Visibility(entry.audience_requested)]
    user = authorship.user
    return NewEmail(
        key=f"learning-consent{'-reminder' if reminder else ''}:{round_id}:{user.pk}",
        kind=EmailKind.LEARNING_SHARING_CONSENT_REMINDER if reminder else EmailKind.LEARNING_SHARING_CONSENT,
        to=user.email,
        subject=(
            f"Reminder: may we share “{entry.title}” more widely?"
            if reminder
            else f"May we share “{entry.title}” more widely? Your consent is needed"
        ),
        context={
            "name": user.name,
            "entry": entry,
            "audience": audience,
            "asked_by": asked_by.name if asked_by is not None and asked_by.name else "",
            "programme": programme,
            "url": entry.get_absolute_url(),
        },
        user=user,
        about=entry,
        reply_to=programme.contact_email,
    )


def _ask_for_consent(entry: Entry, *, by: User | None, round_event: SharingEvent) -> list[Authorship]:
    """Email every author whose consent the proposal now awaits (but the person who asked): each gets a to-do
    on their dashboard too, and the dispatcher reminds them once after three days (learning/reminders.py)."""
    entry = entries_with_related(Entry.objects.filter(pk=entry.pk)).select_related("cohort__programme").get()
    awaited = [a for a in consent_awaited(entry) if a.user_id != (by.pk if by else None) and a.user.is_active]
    for authorship in awaited:
        new_email_queue(consent_request_email(authorship=authorship, round_id=round_event.pk, asked_by=by))
    return awaited


@transaction.atomic
def entry_create(
    *,
    cohort: Cohort,
    created_by: User,
    kind: str,
    title: str,
    body: str,
    link: str = "",
    topic_names: Iterable[str] = (),
    session: Session | None = None,
    authors: Sequence[User] = (),
) -> Entry:
    """A new entry, as a draft its authors see alone. The person writing it is always one of its authors."""
    authors = list(dict.fromkeys([created_by, *authors]))
    _validate_entry(cohort=cohort, kind=kind, link=link, session=session, authors=authors)
    entry = Entry.objects.create(
        programme=cohort.programme,
        cohort=cohort,
        kind=kind,
        title=title.strip(),
        body=body,
        link=link,
        session=session,
        created_by=created_by,
    )
    Authorship.objects.bulk_create(Authorship(entry=entry, user=user) for user in authors)
    entry.topics.set(topics_ensure(names=topic_names))
    return entry


@transaction.atomic
def entry_update(
    *,
    entry: Entry,
    by: User,
    title: str,
    body: str,
    link: str = "",
    topic_names: Iterable[str] = (),
    session: Session | None = None,
    authors: Sequence[User] = (),
) -> Entry:
    """Save an author's edit. Changing what is shared clears the consents given to share it beyond the group
    (they were given to the old words), so it goes back to the group until everyone consents again."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    authors = list(dict.fromkeys(authors or [by]))
    _validate_entry(
        cohort=entry.cohort, kind=entry.kind, link=link, session=session, authors=authors, entry=entry
    )
    content_changed = (entry.title, entry.body, entry.link) != (title.strip(), body, link)
    entry.title, entry.body, entry.link, entry.session = title.strip(), body, link, session
    entry.updated_at = timezone.now()
    entry.save(update_fields=["title", "body", "link", "session", "updated_at"])
    entry.topics.set(topics_ensure(names=topic_names))

    keep = {user.pk for user in authors}
    entry.authorships.exclude(user_id__in=keep).delete()
    present = set(entry.authorships.values_list("user_id", flat=True))
    Authorship.objects.bulk_create(
        Authorship(entry=entry, user=user) for user in authors if user.pk not in present
    )
    if content_changed and entry.authorships.exclude(consent_audience="").exists():
        entry.authorships.update(consent_audience="", consented_at=None)
        reset = _log(entry, by, SharingEvent.Action.RESET)
        _ask_for_consent(entry, by=by, round_event=reset)
    return entry_visibility_sync(entry=entry, by=by)


def entry_visibility_sync(*, entry: Entry, by: User | None = None, publish: bool = False) -> Entry:
    """The one writer of `Entry.visibility`.

    A draft stays a draft until published. Otherwise the entry reaches the widest audience that the authors
    asked for, that *every* author consented to and that the manager approved; short of that, the group.
    """
    authorships = list(entry.authorships.all())
    if entry.visibility == Visibility.DRAFT and not publish:
        target = Visibility.DRAFT
    else:
        rank = min(
            audience_rank(entry.audience_requested),
            audience_rank(entry.approved_audience),
            *(audience_rank(a.consent_audience) for a in authorships),
        )
        target = VISIBILITY_BY_RANK[rank]
    if target == entry.visibility:
        return entry
    now = timezone.now()
    fields = ["visibility"]
    entry.visibility = target
    if target != Visibility.DRAFT and entry.published_at is None:
        entry.published_at = now
        fields.append("published_at")
    if target == Visibility.PUBLIC and entry.made_public_at is None:
        entry.made_public_at = now
        fields.append("made_public_at")
    entry.save(update_fields=fields)
    _log(entry, by, SharingEvent.Action.VISIBILITY, target)
    return entry


entry_visibility_sync.alters_data = True  # type: ignore[attr-defined]


@transaction.atomic
def entry_publish(*, entry: Entry, by: User) -> Entry:
    """Draft → group: the cohort and the manager can read it."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.visibility != Visibility.DRAFT:
        return entry
    _log(entry, by, SharingEvent.Action.PUBLISHED, Visibility.GROUP)
    return entry_visibility_sync(entry=entry, by=by, publish=True)


@transaction.atomic
def entry_sharing_request(*, entry: Entry, by: User, audience: str) -> Entry:
    """Propose sharing beyond the group. The proposer, if an author, consents by proposing."""
    if audience_rank(audience) == 0:
        raise ValidationError({"audience": "Choose the network or everyone."})
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.visibility == Visibility.DRAFT:
        raise ValidationError("Share the draft with the group first.")
    entry.audience_requested = audience
    entry.save(update_fields=["audience_requested"])
    proposal = _log(entry, by, SharingEvent.Action.REQUESTED, audience)
    authorship = entry.authorships.filter(user=by).first()
    if authorship is not None:
        _consent(entry, authorship, audience)
    _ask_for_consent(entry, by=by, round_event=proposal)
    return entry_visibility_sync(entry=entry, by=by)


def _consent(entry: Entry, authorship: Authorship, audience: str) -> None:
    authorship.consent_audience = audience
    authorship.consented_at = timezone.now()
    authorship.save(update_fields=["consent_audience", "consented_at"])
    _log(entry, authorship.user, SharingEvent.Action.CONSENTED, audience)


@transaction.atomic
def entry_consent_give(*, entry: Entry, user: User, audience: str) -> Entry:
    """An author records consent to share the entry with `audience` (network or public)."""
    if audience_rank(audience) == 0:
        raise ValidationError({"audience": "Choose the network or everyone."})
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    authorship = entry.authorships.filter(user=user).first()
    if authorship is None:
        raise ValidationError("Only an author can consent to sharing.")
    if authorship.consent_audience != audience:
        _consent(entry, authorship, audience)
    return entry_visibility_sync(entry=entry, by=user)


@transaction.atomic
def entry_consent_withdraw(*, entry: Entry, user: User) -> Entry:
    """An author takes back their consent: the entry returns to the group at once."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    authorship = entry.authorships.filter(user=user).first()
    if authorship is None:
        raise ValidationError("Only an author can withdraw consent.")
    if authorship.consent_audience:
        authorship.consent_audience = ""
        authorship.consented_at = None
        authorship.save(update_fields=["consent_audience", "consented_at"])
        _log(entry, user, SharingEvent.Action.WITHDRAWN)
    return entry_visibility_sync(entry=entry, by=user)


@transaction.atomic
def entry_sharing_approve(*, entry: Entry, by: User, audience: str) -> Entry:
    """The manager approves sharing with `audience`; it takes effect once every author has consented."""
    if not by.is_staff:
        raise ValidationError("Only the manager approves sharing beyond the group.")
    if audience_rank(audience) == 0:
        raise ValidationError({"audience": "Choose the network or everyone."})
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    entry.approved_audience = audience
    entry.approved_by = by
    entry.approved_at = timezone.now()
    entry.save(update_fields=["approved_audience", "approved_by", "approved_at"])
    _log(entry, by, SharingEvent.Action.APPROVED, audience)
    return entry_visibility_sync(entry=entry, by=by)


@transaction.atomic
def entry_sharing_decline(*, entry: Entry, by: User) -> Entry:
    """The manager withdraws approval (or declines the request): the entry stays with the group."""
    if not by.is_staff:
        raise ValidationError("Only the manager approves sharing beyond the group.")
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    entry.approved_audience = ""
    entry.approved_by = by
    entry.approved_at = timezone.now()
    entry.save(update_fields=["approved_audience", "approved_by", "approved_at"])
    _log(entry, by, SharingEvent.Action.DECLINED)
    return entry_visibility_sync(entry=entry, by=by)


# --- Reading list ----------------------------------------------------------------------------------------


def reading_item_add(
    *, programme: Programme, title: str, url: str, source: str = "", description: str = ""
) -> ReadingItem:
    """Add to a programme's reading list; the same link twice is one item."""
    existing = ReadingItem.objects.filter(programme=programme, url=url).first()
    if existing is not None:
        return existing
    order = ReadingItem.objects.filter(programme=programme).count()
    try:
        with transaction.atomic():
            return ReadingItem.objects.create(
                programme=programme, title=title, url=url, source=source, description=description, order=order
            )
    except IntegrityError:
        return ReadingItem.objects.get(programme=programme, url=url)


def reading_list_seed(*, programme: Programme) -> list[ReadingItem]:
    """The brief's two "Find out more" links. Safe to run again."""
    return [reading_item_add(programme=programme, **item) for item in READING_LIST]


def reading_item_tick(*, item: ReadingItem, user: User, done: bool) -> bool:
    """Mark an item read (or not). Repeating it changes nothing."""
    if done:
        ReadingTick.objects.get_or_create(item=item, user=user)
    else:
        ReadingTick.objects.filter(item=item, user=user).delete()
    return done


# --- Feedback and surveys --------------------------------------------------------------------------------


def session_feedback_save(
    *, session: Session, member: Application, rating: int, what_worked: str = "", what_to_change: str = ""
) -> SessionFeedback:
    """Record (or update) a member's feedback on a session. A double click saves one answer."""
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": "Choose a rating from 1 to 5."})
    feedback, _ = SessionFeedback.objects.update_or_create(
        session=session,
        member=member,
        defaults={
            "rating": rating,
            "what_worked": what_worked.strip(),
            "what_to_change": what_to_change.strip(),
            "updated_at": timezone.now(),
        },
    )
    return feedback


def surveys_ensure_defaults(*, programme: Programme) -> list[Survey]:
    """The mid-point check-in and the evaluation, with the default questions, unless they exist."""
    opens_after = {
        SurveyKind.MIDPOINT: max(1, programme.session_count // 2),
        SurveyKind.EVALUATION: programme.session_count,
    }
    surveys = []
    for kind, spec in SURVEYS.items():
        with transaction.atomic():
            survey, created = Survey.objects.get_or_create(
                programme=programme,
                kind=kind,
                defaults={
                    "title": spec["title"],
                    "intro": spec["intro"],
                    "opens_after_session": opens_after[kind],
                },
            )
            if created:
                SurveyQuestion.objects.bulk_create(
                    SurveyQuestion(survey=survey, order=order, text=text, help_text=help_text, kind=qkind)
                    for order, (text, help_text, qkind) in enumerate(spec["questions"])
                )
        surveys.append(survey)
    return surveys


@transaction.atomic
def survey_response_save(
    *,
    survey: Survey,
    member: Application,
    answers: dict[int, int | str],
    may_quote: bool | None = None,
    contacts: Sequence[int] | None = None,
) -> SurveyResponse:
    """Record (or update) a member's answers, keyed by question id. A rating question takes 1-5 or nothing.
    `may_quote`: whether their written answers may be quoted without their name (None leaves it as it was).
    `contacts`: in the baseline or the evaluation, the members of their group (application ids) they would feel
    comfortable contacting for advice (None leaves them as they were; anyone outside the group is refused)."""
    questions = {q.pk: q for q in survey.questions.filter(is_active=True)}
    response, created = SurveyResponse.objects.get_or_create(
        survey=survey, member=member, defaults={"may_quote": bool(may_quote)}
    )
    if not created:
        response.updated_at = timezone.now()
        fields = ["updated_at"]
        if may_quote is not None:
            response.may_quote = may_quote
            fields.append("may_quote")
        response.save(update_fields=fields)
    for question_id, value in answers.items():
        question = questions.get(question_id)
        if question is None:
            continue
        if question.kind == QuestionKind.RATING:
            defaults = {"rating": int(value) if value not in (None, "") else None, "text": ""}
        else:
            defaults = {"rating": None, "text": str(value or "").strip()}
        SurveyAnswer.objects.update_or_create(response=response, question=question, defaults=defaults)
    if contacts is not None and survey.kind in CONTACT_SURVEYS:
        group = set(advice_contact_choices(member).values_list("pk", flat=True))
        if set(contacts) - group:
            raise ValidationError({"contacts": "Choose from the members of your group."})
        AdviceContact.objects.filter(response=response).exclude(contact_id__in=contacts).delete()
        have = set(AdviceContact.objects.filter(response=response).values_list("contact_id", flat=True))
        AdviceContact.objects.bulk_create(
            AdviceContact(response=response, contact_id=pk) for pk in sorted(set(contacts) - have)
        )
    return response


@transaction.atomic
def survey_update(
    *, survey: Survey, title: str, intro: str, opens_after_session: int, follow_up_days: int | None = None
) -> Survey:
    survey.title, survey.intro, survey.opens_after_session = title, intro, opens_after_session
    fields = ["title", "intro", "opens_after_session"]
    if follow_up_days is not None:
        survey.follow_up_days = follow_up_days
        fields.append("follow_up_days")
    survey.save(update_fields=fields)
    return survey


# --- Before, after and later ----------------------------------------------------------------------------


def own_item_key(text: str) -> str:
    """The item key of one of the manager's own questions: the same words are the same item in every survey."""
    return (outcomes.OWN_PREFIX + slugify(text))[:40]


@transaction.atomic
def outcome_items_set(
    *,
    programme: Programme,
    items: Sequence[str],
    own_ratings: Sequence[str] = (),
    own_open: Sequence[str] = (),
) -> list[Survey]:
    """Choose the outcome items the baseline, the evaluation and the follow-up share: keys of the bank
    (`learning.outcomes.BANK`) and the manager's own questions (1-5 ratings, and open answers). The three surveys
    are created when missing; an item no longer chosen is removed from each (retired where answered, so its
    answers stay in the results). Running it again with the same choice changes nothing."""
    surveys_ensure_defaults(programme=programme)
    unknown = [key for key in items if key not in outcomes.BANK_BY_KEY]
    if unknown:
        raise ValidationError({"items": "Choose from the list."})
    wanted: dict[str, tuple[str, str, str, tuple[str, ...]]] = {}  # key: (text, hint, kind, survey kinds)
    for key in items:
        bank_item = outcomes.BANK_BY_KEY[key]
        kind: str = QuestionKind.RATING if bank_item.rating else QuestionKind.TEXT
        wanted[key] = (bank_item.text, bank_item.help_text, kind, bank_item.surveys)
    for lines, kind in ((own_ratings, QuestionKind.RATING), (own_open, QuestionKind.TEXT)):
        for line in lines:
            text = " ".join(line.split())[:300]
            if text and own_item_key(text) not in wanted:
                wanted[own_item_key(text)] = (
                    text,
                    "1 is not at all, 5 is very." if kind == "rating" else "",
                    kind,
                    outcomes.ALL,
                )
    surveys = []
    for survey_kind in OUTCOME_SURVEYS:
        spec = OUTCOME_SURVEY_DEFAULTS[survey_kind]
        survey, _ = Survey.objects.get_or_create(
            programme=programme,
            kind=survey_kind,
            defaults={
                "title": spec["title"],
                "intro": spec["intro"],
                "opens_after_session": 1 if survey_kind == SurveyKind.BASELINE else programme.session_count,
            },
        )
        present = {q.item: q for q in survey.questions.exclude(item="")}
        for key, asked in present.items():
            if asked.is_active and (key not in wanted or survey_kind not in wanted[key][3]):
                survey_question_retire(question=asked)
        order = survey.questions.count()
        for key, (text, help_text, kind, kinds) in wanted.items():
            if survey_kind not in kinds:
                continue
            existing = present.get(key)
            if existing is None:
                SurveyQuestion.objects.create(
                    survey=survey, item=key, text=text, help_text=help_text, kind=kind, order=order
                )
                order += 1
            elif not existing.is_active:
                existing.is_active = True
                existing.save(update_fields=["is_active"])
        surveys.append(survey)
    return surveys


def survey_question_save(
    *,
    survey: Survey,
    text: str,
    kind: str,
    help_text: str = "",
    order: int | None = None,
    question: SurveyQuestion | None = None,
) -> SurveyQuestion:
    """Add a question, or edit one. A question that has answers keeps its kind (the answers would not fit)."""
    if question is None:
        order = order if order is not None else survey.questions.count()
        return SurveyQuestion.objects.create(
            survey=survey, text=text, kind=kind, help_text=help_text, order=order
        )
    if kind != question.kind and question.answers.exists():
        raise ValidationError({"kind": "People have answered this question; its kind can no longer change."})
    question.text, question.kind, question.help_text = text, kind, help_text
    if order is not None:
        question.order = order
    question.save(update_fields=["text", "kind", "help_text", "order"])
    return question


def survey_question_retire(*, question: SurveyQuestion) -> SurveyQuestion | None:
    """Remove a question; one with answers is retired instead, so the answers stay in the results."""
    if question.answers.exists():
        question.is_active = False
        question.save(update_fields=["is_active"])
        return question
    question.delete()
    return None
