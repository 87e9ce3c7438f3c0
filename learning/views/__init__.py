from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_POST
from django.views.generic import FormView, ListView, TemplateView

from applications.models import Programme
from applications.selectors import hopes_of, memberships_of
from cohort_site.core.charts import rating_distribution_svg
from cohort_site.core.csv import csv_response
from cohort_site.core.dates import ISO_DAY, ISO_MINUTE, local_text
from cohort_site.core.markdown import render_markdown
from cohort_site.core.mixins import StaffRequiredMixin, staff_required
from cohort_site.core.programme_filter import programme_filter
from cohort_site.core.rules import is_active_staff
from sessions_app.models import Session

from .. import rules, selectors, services
from ..enums import CONTACT_SURVEYS, EntryKind, QuestionKind, Visibility
from ..forms import (
    AudienceForm,
    EntryFilterForm,
    EntryForm,
    ReadingItemForm,
    SessionFeedbackForm,
    SurveyAnswerForm,
    SurveyQuestionFormSet,
    SurveySettingsForm,
    question_initial,
)
from ..models import Entry, Survey


def _apply_validation_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- The repository --------------------------------------------------------------------------------------


class EntryListView(ListView):
    """The learning library: for anyone not signed in, the public entries; for members, what they may read."""

    template_name = "learning/entry_list.html"
    context_object_name = "entries"
    paginate_by = 20

    def get_queryset(self):
        visible = selectors.entries_visible_to(self.request.user)
        self.filter_form = EntryFilterForm(self.request.GET or None, visible=visible)
        entries = selectors.entries_filter(visible, **self.filter_form.filters())
        return selectors.entries_with_related(entries)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["filter_form"] = self.filter_form
        context["filtering"] = bool(self.filter_form.is_bound and any(self.filter_form.filters().values()))
        context["can_write"] = rules.can_write_entries(user)
        context["is_manager"] = is_active_staff(user)
        return context


class EntryDetailView(TemplateView):
    template_name = "learning/entry_detail.html"

    def get_entry(self) -> Entry:
        entries = selectors.entries_with_related(selectors.entries_visible_to(self.request.user))
        return get_object_or_404(entries, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        entry = self.get_entry()
        context["entry"] = entry
        context["can_edit"] = rules.can_edit_entry(user, entry)
        context["can_publish"] = rules.can_publish_entry(user, entry)
        context["can_propose"] = rules.can_propose_sharing(user, entry)
        context["can_consent"] = rules.can_consent(user, entry)
        context["can_approve"] = rules.can_approve_sharing(user, entry)
        if rules.can_see_sharing_history(user, entry):
            context["show_sharing"] = True
            context["sharing_events"] = entry.sharing_events.select_related("user")
            context["consent_awaited"] = selectors.consent_awaited(entry)
            context["my_authorship"] = next(
                (a for a in entry.authorships.all() if a.user_id == user.pk), None
            )
            context["audience_form"] = AudienceForm(
                initial={"audience": entry.audience_requested or Visibility.NETWORK}
            )
        return context


class EntryCreateView(LoginRequiredMixin, FormView):
    template_name = "learning/entry_form.html"
    form_class = EntryForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.can_write_entries(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        initial = kwargs.setdefault("initial", {})
        if "session" in self.request.GET:
            initial["session"] = self.request.GET["session"]
        if self.request.GET.get("kind") in EntryKind.values:
            initial["kind"] = self.request.GET["kind"]
        if initial.get("kind") == EntryKind.SESSION_NOTES:
            initial.update(self.from_session_notes(initial.get("session")))
        return kwargs

    def from_session_notes(self, session_id) -> dict:
        """The manager turns a session's notes into a learning entry: it starts from them, as a draft that goes
        through the normal consent to share it."""
        if not is_active_staff(self.request.user) or not str(session_id or "").isdigit():
            return {}
        session = Session.objects.select_related("cohort").filter(pk=session_id).first()
        if session is None or not session.notes:
            return {}
        return {"cohort": session.cohort_id, "title": f"Notes from {session.title}", "body": session.notes}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            entry = services.entry_create(
                cohort=data["cohort"],
                created_by=self.request.user,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                link=data["link"],
                topic_names=form.topic_names(),
                session=data["session"],
                authors=form.authors_list(),
            )
        except ValidationError as error:
            _apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Saved as a draft: only its authors can see it until you share it.")
        return redirect(entry)


class EntryUpdateView(LoginRequiredMixin, FormView):
    template_name = "learning/entry_form.html"
    form_class = EntryForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            entries = selectors.entries_with_related(selectors.entries_visible_to(request.user))
            self.entry = get_object_or_404(entries, pk=kwargs["pk"])
            if not rules.can_edit_entry(request.user, self.entry):
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "entry": self.entry}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "entry": self.entry}

    def form_valid(self, form):
        data = form.cleaned_data
        was = self.entry.visibility
        try:
            entry = services.entry_update(
                entry=self.entry,
                by=self.request.user,
                title=data["title"],
                body=data["body"],
                link=data["link"],
                topic_names=form.topic_names(),
                session=data["session"],
                authors=form.authors_list(),
            )
        except ValidationError as error:
            _apply_validation_error(form, error)
            return self.form_invalid(form)
        if entry.visibility != was and was in (Visibility.NETWORK, Visibility.PUBLIC):
            messages.warning(
                self.request,
                "Saved. The text changed, so it is back with the group until every author consents again "
                "to share it wider.",
            )
        else:
            messages.success(self.request, "Saved.")
        return redirect(entry)


@require_POST
def entry_share(request, pk: int):
    """The sharing steps on an entry: publish to the group, propose, consent, withdraw, approve, decline."""
    if not request.user.is_authenticated:
        raise Http404
    entries = selectors.entries_with_related(selectors.entries_visible_to(request.user))
    entry = get_object_or_404(entries, pk=pk)
    action = request.POST.get("action", "")
    user = request.user
    form = AudienceForm(request.POST)
    audience = form.cleaned_data["audience"] if form.is_valid() else ""
    steps = {
        "publish": (
            rules.can_publish_entry,
            lambda: services.entry_publish(entry=entry, by=user),
            "Shared with your group.",
        ),
        "request": (
            rules.can_propose_sharing,
            lambda: services.entry_sharing_request(entry=entry, by=user, audience=audience),
            "Proposed. It goes wider once every author has consented and the manager has approved.",
        ),
        "consent": (
            rules.can_consent,
            lambda: services.entry_consent_give(entry=entry, user=user, audience=audience),
            "Your consent is recorded.",
        ),
        "withdraw": (
            rules.can_consent,
            lambda: services.entry_consent_withdraw(entry=entry, user=user),
            "Consent withdrawn: only your group can read it now.",
        ),
        "approve": (
            rules.can_approve_sharing,
            lambda: services.entry_sharing_approve(entry=entry, by=user, audience=audience),
            "Approved. It is shared once every author has consented.",
        ),
        "decline": (
            rules.can_approve_sharing,
            lambda: services.entry_sharing_decline(entry=entry, by=user),
            "Approval withdrawn: it stays with the group.",
        ),
    }
    if action not in steps or not steps[action][0](user, entry):
        raise Http404
    _, run, message = steps[action]
    try:
        changed = run()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, message)
        if action == "request":
            awaited = selectors.consent_awaited(
                selectors.entries_with_related(Entry.objects.filter(pk=changed.pk)).get()
            )
            if awaited:
                people = [a.user.name or a.user.email for a in awaited]
                names = people[0] if len(people) == 1 else f"{', '.join(people[:-1])} and {people[-1]}"
                messages.info(request, f"We have emailed {names} to ask for their consent.")
    return redirect(entry)


class PublicEntriesFeed(Feed):
    """Atom feed of the public library. Always as an anonymous visitor sees it: feed readers don't sign in, and
    a feed address passed around must never carry a group's entries."""

    feed_type = Atom1Feed
    title = "Learning from the Connection Coalition communities of practice"
    subtitle = "Stories, resources and questions our peer-learning groups chose to share."

    def link(self):
        return reverse("learning:list")

    def items(self):
        entries = selectors.entries_visible_to(AnonymousUser())
        return selectors.entries_with_related(entries).order_by("-made_public_at", "-pk")[:50]

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_description(self, item: Entry) -> str:
        return render_markdown(item.body)

    def item_link(self, item: Entry) -> str:
        return item.get_absolute_url()

    def item_author_name(self, item: Entry) -> str:
        return ", ".join(a.user.name or "A member" for a in item.authorships.all())

    def item_pubdate(self, item: Entry):
        return item.made_public_at or item.published_at

    def item_updateddate(self, item: Entry):
        return item.updated_at

    def item_categories(self, item: Entry):
        return [topic.name for topic in item.topics.all()]


# --- Reading list ----------------------------------------------------------------------------------------


class ReadingListView(LoginRequiredMixin, TemplateView):
    template_name = "learning/reading_list.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.can_write_entries(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = list(selectors.reading_items_for(self.request.user))
        programmes: dict[int, dict] = {}
        for item in items:
            group = programmes.setdefault(item.programme_id, {"programme": item.programme, "items": []})
            group["items"].append(item)
        context["programmes"] = list(programmes.values())
        context["done_count"] = sum(1 for item in items if item.done)
        context["item_count"] = len(items)
        if rules.can_manage_reading_list(self.request.user):
            context["add_form"] = kwargs.get("add_form") or ReadingItemForm()
        return context

    def post(self, request, *args, **kwargs):
        if not rules.can_manage_reading_list(request.user):
            raise Http404
        form = ReadingItemForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(add_form=form))
        data = form.cleaned_data
        services.reading_item_add(
            programme=data["programme"],
            title=data["title"],
            url=data["url"],
            source=data["source"],
            description=data["description"],
        )
        messages.success(request, "Added to the reading list.")
        return redirect("learning:reading")


@require_POST
def reading_tick(request, pk: int):
    if not request.user.is_authenticated:
        raise Http404
    item = get_object_or_404(selectors.reading_items_for(request.user), pk=pk)
    done = request.POST.get("done") == "1"
    services.reading_item_tick(item=item, user=request.user, done=done)
    messages.success(request, f"Marked “{item.title}” as {'read' if done else 'not read yet'}.")
    return redirect(f"{reverse('learning:reading')}#item-{item.pk}")


# --- Feedback and surveys (members) ----------------------------------------------------------------------


class MyFeedbackView(LoginRequiredMixin, TemplateView):
    template_name = "learning/my_feedback.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["items"] = selectors.feedback_for_member(self.request.user, now=timezone.now())
        return context


class SessionFeedbackView(LoginRequiredMixin, FormView):
    template_name = "learning/session_feedback_form.html"
    form_class = SessionFeedbackForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.session = get_object_or_404(
                Session.objects.select_related("cohort__programme"), pk=kwargs["session_id"]
            )
            if not rules.can_give_session_feedback(request.user, self.session, now=timezone.now()):
                raise Http404
            self.member = selectors.member_for_session(request.user, self.session)
            self.existing = self.session.feedback.filter(member=self.member).first()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        if self.existing is None:
            return {}
        return {
            "rating": self.existing.rating,
            "what_worked": self.existing.what_worked,
            "what_to_change": self.existing.what_to_change,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["session"] = self.session
        context["programme"] = self.session.cohort.programme
        context["existing"] = self.existing
        return context

    def form_valid(self, form):
        services.session_feedback_save(session=self.session, member=self.member, **form.cleaned_data)
        messages.success(self.request, "Thank you: your feedback is saved.")
        return redirect("learning:my_feedback")


class SurveyView(LoginRequiredMixin, FormView):
    template_name = "learning/survey_form.html"
    form_class = SurveyAnswerForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.survey = get_object_or_404(Survey.objects.select_related("programme"), pk=kwargs["pk"])
            if not rules.can_answer_survey(request.user, self.survey, now=timezone.now()):
                raise Http404
            self.member = memberships_of(request.user).get(programme_id=self.survey.programme_id)
            self.response = self.survey.responses.filter(member=self.member).first()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        contacts = (
            list(selectors.advice_contact_choices(self.member))
            if self.survey.kind in CONTACT_SURVEYS
            else None
        )
        return {
            **super().get_form_kwargs(),
            "questions": self.survey.questions.filter(is_active=True),
            "contact_choices": contacts,
        }

    def get_initial(self):
        if self.response is None:
            return {}
        return {
            "may_quote": self.response.may_quote,
            "contacts": [c.contact_id for c in self.response.advice_contacts.all()],
            **{
                f"q{a.question_id}": a.rating if a.question.kind == QuestionKind.RATING else a.text
                for a in self.response.answers.select_related("question")
            },
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        hopes = hopes_of(self.survey.programme_id, [self.member])
        context.update(
            survey=self.survey,
            member=self.member,
            response=self.response,
            hopes_heading=hopes.heading,
            hopes=hopes.of(self.member),
        )
        return context

    def form_valid(self, form):
        services.survey_response_save(
            survey=self.survey,
            member=self.member,
            answers=form.answers(),
            may_quote=form.cleaned_data.get("may_quote", False),
            contacts=form.cleaned_data.get("contacts") if "contacts" in form.fields else None,
        )
        messages.success(
            self.request, "Thank you: your answers are saved. You can change them here any time."
        )
        return redirect("learning:my_feedback")


# --- The manager's pages ---------------------------------------------------------------------------------


class ManageView(StaffRequiredMixin, TemplateView):
    """Staff: entries waiting for sharing approval, and each programme's feedback and surveys (one programme's,
    with `?programme=<slug>`)."""

    template_name = "learning/manage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["programme_filter"] = chosen = programme_filter(self.request)
        # The programmes in hand (the select's), latest first session first, with their surveys: no new query.
        if chosen.programme is not None:
            programmes = [chosen.programme]
        else:
            programmes = sorted(chosen.programmes, key=lambda p: p.first_session_week, reverse=True)
        prefetch_related_objects(programmes, "surveys")
        context["programmes"] = programmes
        context["awaiting"] = selectors.entries_awaiting_approval(programme=chosen.programme)
        return context

    def post(self, request, *args, **kwargs):
        programme = get_object_or_404(Programme, pk=request.POST.get("programme"))
        services.surveys_ensure_defaults(programme=programme)
        messages.success(request, f"The surveys for “{programme.title}” are ready to edit.")
        # Back to the page as it was (the form posts to it), with the programme it showed.
        return redirect(request.get_full_path())


def _chart(summary, title: str) -> str:
    from django.utils.safestring import mark_safe

    return mark_safe(rating_distribution_svg(summary.distribution, title=title))  # noqa: S308 - escaped in charts


class ProgrammeResultsView(StaffRequiredMixin, TemplateView):
    template_name = "learning/results_programme.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme = get_object_or_404(Programme, slug=self.kwargs["slug"])
        rows = selectors.programme_session_results(programme)
        for row in rows:
            session = row["session"]
            row["chart"] = _chart(
                row["summary"], f"Ratings for {session.cohort.name} session {session.number}"
            )
        all_ratings = selectors.RatingSummary.of(
            [r for row in rows for value, n in row["summary"].distribution.items() for r in [value] * n]
        )
        context.update(
            programme=programme,
            rows=rows,
            overall=all_ratings,
            overall_chart=_chart(all_ratings, "Ratings for every session"),
            surveys=programme.surveys.all(),
        )
        return context


class SessionResultsView(StaffRequiredMixin, TemplateView):
    template_name = "learning/results_session.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = get_object_or_404(
            Session.objects.select_related("cohort__programme"), pk=self.kwargs["session_id"]
        )
        answers = list(selectors.session_feedback_answers(session))
        summary = selectors.RatingSummary.of([a.rating for a in answers])
        context.update(
            session=session,
            programme=session.cohort.programme,
            answers=answers,
            summary=summary,
            chart=_chart(summary, f"Ratings for {session.cohort.name} session {session.number}"),
            attended=session.attendance.filter(status="attended").count(),
        )
        return context


class SurveyResultsView(StaffRequiredMixin, TemplateView):
    template_name = "learning/results_survey.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        survey = get_object_or_404(Survey.objects.select_related("programme"), pk=self.kwargs["pk"])
        results = selectors.survey_results(survey)
        for result in results:
            if result["summary"] is not None:
                result["chart"] = _chart(result["summary"], result["question"].text)
        _, members, hopes_heading = selectors.survey_answers_by_member(survey)
        context.update(
            survey=survey,
            results=results,
            response_count=len(members),
            members=members,
            hopes_heading=hopes_heading,
        )
        return context


class SurveyEditView(StaffRequiredMixin, TemplateView):
    template_name = "learning/survey_edit.html"

    def dispatch(self, request, *args, **kwargs):
        self.survey = get_object_or_404(Survey.objects.select_related("programme"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def questions(self):
        return list(self.survey.questions.filter(is_active=True))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["survey"] = self.survey
        context["settings_form"] = kwargs.get("settings_form") or SurveySettingsForm(instance=self.survey)
        context["formset"] = kwargs.get("formset") or SurveyQuestionFormSet(
            initial=question_initial(self.questions()), prefix="questions"
        )
        return context

    def post(self, request, *args, **kwargs):
        settings_form = SurveySettingsForm(request.POST, instance=self.survey)
        questions = {q.pk: q for q in self.questions()}
        formset = SurveyQuestionFormSet(
            request.POST, initial=question_initial(list(questions.values())), prefix="questions"
        )
        if not (settings_form.is_valid() and formset.is_valid()):
            return self.render_to_response(
                self.get_context_data(settings_form=settings_form, formset=formset)
            )
        try:
            with transaction.atomic():
                data = settings_form.cleaned_data
                services.survey_update(
                    survey=self.survey,
                    title=data["title"],
                    intro=data["intro"],
                    opens_after_session=data["opens_after_session"],
                    follow_up_days=data.get("follow_up_days"),
                )
                for index, form in enumerate(formset.forms):
                    if not form.has_changed() and not form.cleaned_data.get("id"):
                        continue
                    cleaned = form.cleaned_data
                    question = questions.get(cleaned.get("id"))
                    if cleaned.get("DELETE"):
                        if question is not None:
                            services.survey_question_retire(question=question)
                        continue
                    order = cleaned.get("order")
                    services.survey_question_save(
                        survey=self.survey,
                        question=question,
                        text=cleaned["text"],
                        kind=cleaned["kind"],
                        help_text=cleaned["help_text"],
                        order=order if order is not None else index,
                    )
        except ValidationError as error:
            formset.non_form_errors().extend(error.messages)
            return self.render_to_response(
                self.get_context_data(settings_form=settings_form, formset=formset)
            )
        messages.success(request, "The questions are saved.")
        return redirect("learning:survey_edit", pk=self.survey.pk)


@staff_required
def programme_feedback_csv(request, slug: str):
    if not rules.can_see_results(request.user):
        raise Http404
    programme = get_object_or_404(Programme, slug=slug)
    rows = (
        (
            f.session.cohort.name,
            f.session.number,
            local_text(f.session.starts_at, programme.tz, ISO_DAY),
            f.member.name,
            f.member.organisation,
            f.rating,
            f.what_worked,
            f.what_to_change,
            local_text(f.submitted_at, programme.tz, ISO_MINUTE),
        )
        for f in selectors.programme_feedback_rows(programme)
    )
    header = [
        "Group",
        "Session",
        "Date",
        "Member",
        "Organisation",
        "Rating",
        "What worked",
        "What to change",
        "Answered",
    ]
    return csv_response(f"{programme.slug}-session-feedback.csv", header, rows)


@staff_required
def survey_csv(request, pk: int):
    if not rules.can_see_results(request.user):
        raise Http404
    survey = get_object_or_404(Survey.objects.select_related("programme"), pk=pk)
    questions, members, hopes_heading = selectors.survey_answers_by_member(survey)
    header = [
        "Group",
        "Member",
        "Organisation",
        hopes_heading or "What they hoped to achieve",
        "Answered",
        *(q.text for q in questions),
    ]

    def rows():
        for member in members:
            response = member.response
            yield [
                response.member.cohort.name,
                response.member.name,
                response.member.organisation,
                member.hopes,
                local_text(response.submitted_at, survey.programme.tz, ISO_MINUTE),
                *(
                    int(text) if question.kind == QuestionKind.RATING and text else text
                    for question, text in member.answers
                ),
            ]

    return csv_response(f"{survey.programme.slug}-{survey.kind}.csv", header, rows())
