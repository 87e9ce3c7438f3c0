"""The group's topics: the members' page (propose, vote, suggest a merge) and the manager's (ranking, merge,
publish the votes, give a topic to a session). Anyone else gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.text import Truncator
from django.views.generic import TemplateView

from applications.models import Cohort
from applications.selectors import memberships_of
from cohort_site.core.mixins import StaffRequiredMixin

from .. import rules
from ..enums import SessionStatus
from ..models import GroupTopic, Session
from ..selectors import member_timezone
from . import selectors, services
from .forms import TopicAssignForm, TopicMergeForm, TopicMergeSuggestForm, TopicProposeForm


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class TopicsPage(TemplateView):
    """What both topics pages do alike: one POST address whose `action` names the step, a message and back to
    the page after each, and proposing a topic (a member's, or the manager's when `member` is None)."""

    actions: tuple[str, ...] = ()
    page_name = ""
    cohort: Cohort
    member = None

    def done(self, message: str):
        messages.success(self.request, message)
        return redirect(self.page_name, pk=self.cohort.pk)

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action not in self.actions:
            raise Http404("Unknown action.")
        return getattr(self, f"do_{action}")(request)

    def do_propose(self, request):
        form = TopicProposeForm(request.POST)
        if form.is_valid():
            try:
                topic = services.topic_propose(cohort=self.cohort, member=self.member, **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return self.done(f"“{topic.title}” is on the list for the group to vote on.")
        return self.render_to_response(self.get_context_data(propose_form=form), status=400)


class GroupTopicsView(LoginRequiredMixin, TopicsPage):
    """A member's view of their group's topics. Staff are sent to the manager's page."""

    template_name = "sessions_app/topics.html"
    actions = ("propose", "propose_challenge", "keep_challenge", "vote", "unvote", "suggest_merge")
    page_name = "sessions:topics"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.cohort = get_object_or_404(Cohort.objects.select_related("programme"), pk=kwargs["pk"])
        if not rules.can_see_topics(request.user, self.cohort.pk):
            raise Http404("No such group.")
        self.member = memberships_of(request.user).filter(cohort=self.cohort).first()
        if self.member is None:
            if request.method == "POST":
                raise Http404("Only the group's members vote.")
            return redirect("sessions:topics_manage", pk=self.cohort.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(
        self, propose_form=None, challenge_form=None, merge_form=None, merge_topic=None, **kwargs
    ):
        context = super().get_context_data(**kwargs)
        board = selectors.member_topics(self.cohort, self.member)
        challenge = selectors.challenge_to_propose(self.member)
        if challenge and challenge_form is None:
            first_line = challenge.splitlines()[0]
            challenge_form = TopicProposeForm(
                initial={"title": Truncator(first_line).chars(80)}, prefix="challenge"
            )
        context.update(
            cohort=self.cohort,
            programme=self.cohort.programme,
            board=board,
            votes_per_member=selectors.VOTES_PER_MEMBER,
            challenge=challenge,
            challenge_form=challenge_form,
            chosen=list(selectors.chosen_topics(self.cohort)),
            propose_form=propose_form or TopicProposeForm(),
            merge_form=merge_form,
            merge_topic=merge_topic,
            tz=member_timezone(self.request.user, self.cohort.programme),
        )
        return context

    def topic(self) -> GroupTopic:
        return get_object_or_404(GroupTopic, pk=self.request.POST.get("topic"), cohort=self.cohort)

    def do_propose_challenge(self, request):
        form = TopicProposeForm(request.POST, prefix="challenge")
        if form.is_valid():
            try:
                topic = services.topic_propose(
                    cohort=self.cohort,
                    member=self.member,
                    title=form.cleaned_data["title"],
                    from_application=True,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return self.done(f"Your challenge is on the list as “{topic.title}”.")
        return self.render_to_response(self.get_context_data(challenge_form=form), status=400)

    def do_keep_challenge(self, request):
        services.challenge_keep_private(member=self.member)
        return self.done("Your challenge stays with you: nobody else in the group sees it.")

    def do_vote(self, request):
        topic = self.topic()
        try:
            services.topic_vote(topic=topic, member=self.member)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("sessions:topics", pk=self.cohort.pk)
        return self.done(f"You voted for “{topic.title}”.")

    def do_unvote(self, request):
        topic = self.topic()
        services.topic_unvote(topic=topic, member=self.member)
        return self.done(f"Your vote for “{topic.title}” is back with you.")

    def do_suggest_merge(self, request):
        topic = self.topic()
        others = selectors.open_topics(self.cohort, ranked=False).exclude(pk=topic.pk)
        form = TopicMergeSuggestForm(request.POST, topics=others)
        if form.is_valid():
            try:
                services.topic_merge_suggest(topic=topic, into=form.cleaned_data["into"], member=self.member)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return self.done("Thank you: the manager will look at merging them.")
        return self.render_to_response(self.get_context_data(merge_form=form, merge_topic=topic), status=400)


class TopicsManageView(StaffRequiredMixin, TopicsPage):
    """The manager's view: the topics ranked by votes, members' merge suggestions, merging, publishing the
    votes to the group and giving a topic to a session still to come."""

    template_name = "sessions_app/topics_manage.html"
    actions = ("propose", "merge", "assign", "publish", "hide")
    page_name = "sessions:topics_manage"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.cohort = get_object_or_404(Cohort.objects.select_related("programme"), pk=kwargs["pk"])

    def sessions_to_come(self):
        return Session.objects.filter(
            cohort=self.cohort, status=SessionStatus.SCHEDULED, starts_at__gt=timezone.now()
        ).order_by("starts_at", "number")

    def get_context_data(
        self, propose_form=None, merge_form=None, assign_form=None, assign_topic=None, **kwargs
    ):
        context = super().get_context_data(**kwargs)
        topics = list(selectors.open_topics(self.cohort, ranked=True))
        tz = self.cohort.programme.tz
        sessions = list(self.sessions_to_come())
        context.update(
            cohort=self.cohort,
            programme=self.cohort.programme,
            topics=topics,
            published=selectors.votes_published(self.cohort),
            votes_per_member=selectors.VOTES_PER_MEMBER,
            suggestions=list(selectors.merge_suggestions(self.cohort)),
            chosen=list(selectors.chosen_topics(self.cohort)),
            sessions=sessions,
            propose_form=propose_form or TopicProposeForm(),
            merge_form=merge_form
            or TopicMergeForm(topics=selectors.open_topics(self.cohort, ranked=True), listed=topics),
            assign_form=assign_form,
            assign_topic=assign_topic,
            tz=tz,
        )
        return context

    def do_merge(self, request):
        form = TopicMergeForm(request.POST, topics=selectors.open_topics(self.cohort, ranked=True))
        if form.is_valid():
            try:
                into = services.topic_merge(
                    topic=form.cleaned_data["topic"], into=form.cleaned_data["into"], by=request.user
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return self.done(f"Merged into “{into.title}”: its votes came with it, one per member.")
        return self.render_to_response(self.get_context_data(merge_form=form), status=400)

    def do_assign(self, request):
        topic = get_object_or_404(GroupTopic, pk=request.POST.get("topic"), cohort=self.cohort)
        form = TopicAssignForm(request.POST, sessions=self.sessions_to_come(), tz=self.cohort.programme.tz)
        if form.is_valid():
            try:
                session = services.topic_assign(
                    topic=topic, session=form.cleaned_data["session"], by=request.user
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return self.done(
                    f"“{topic.title}” is the topic of session {session.number}; everyone invited is sent the "
                    "change and their calendars update."
                )
        return self.render_to_response(
            self.get_context_data(assign_form=form, assign_topic=topic), status=400
        )

    def do_publish(self, request):
        services.topic_votes_publish(cohort=self.cohort, published=True)
        return self.done("The votes are published: the group sees how many each topic has.")

    def do_hide(self, request):
        services.topic_votes_publish(cohort=self.cohort, published=False)
        return self.done("The votes are hidden from the group again.")
