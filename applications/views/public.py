"""The public pages: the programme, the expression-of-interest and application forms."""

import logging
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.views import View
from django.views.generic import DetailView, TemplateView

from cohort_site.core.mixins import StaffRequiredMixin
from cohort_site.core.rules import is_active_staff

from ..enums import ProgrammePhase
from ..forms import ApplicationForm, InterestForm
from ..models import Programme
from ..page_cache import (
    page_by_address,
    page_cacheable,
    page_facts,
    page_from_cache,
    page_to_cache,
    public_page_key,
    whole_page_key,
)
from ..ratelimit import rate_limit_exceeded
from ..selectors import (
    drop_ins_upcoming,
    member_organisation_names,
    programme_current,
    programmes_listed,
    programmes_open,
    programmes_published,
)
from ..services import (
    application_submit,
    applications_closed_refusal,
    deadline_text,
    interest_register,
)

logger = logging.getLogger(__name__)

# A database fault between the record and its confirmation email rolls both back: nothing was kept, so say so.
NOT_STORED = (
    "We could not save this just now, so nothing was sent or kept. Your answers are still below: please send "
    "them again in a minute."
)


class ProgrammeDetailView(DetailView):
    template_name = "applications/programme_detail.html"
    context_object_name = "programme"

    def get_queryset(self):
        # The sections are read inside the cached fragment, so only when it is rendered.
        return programmes_published().prefetch_related("drop_ins")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        context["phase"] = self.object.phase(now)
        context["deadline"] = deadline_text(self.object)
        drop_ins = list(self.object.drop_ins.all())
        context["drop_ins"] = [d for d in drop_ins if d.ends_at > now]
        context["fragment_key"] = public_page_key(
            self.object, page="programme", now=now, moments=[d.ends_at for d in drop_ins]
        )
        return context

    # The page at /programmes/<slug>/ always shows that programme, so a visitor's request can find it in the
    # cache by its address alone; the home page's programme depends on every programme's dates, so it cannot.
    by_address = True

    def get(self, request, *args, **kwargs):
        if self.by_address and (cached := page_by_address(request, page="programme")):
            return cached
        self.object = self.get_object()
        context = self.get_context_data(object=self.object)
        fragment_key = context["fragment_key"]
        if not (fragment_key and page_cacheable(request)):
            return self.render_to_response(context)
        # The call to action says how long is left ("3 days, 4 hours"): a new wording is a new page.
        time_left = timeuntil(self.object.applications_close_at)
        key = whole_page_key(fragment_key, request, time_left)
        cached = page_from_cache(key, request)
        if cached is not None:
            return cached
        response = self.render_to_response(context)
        response.render()
        page_to_cache(
            key,
            response,
            fragment_key=fragment_key,
            facts=page_facts(self.object, [d.ends_at for d in self.object.drop_ins.all()]),
            time_left=time_left,
            request=request if self.by_address else None,
        )
        return response


class CurrentProgrammeView(ProgrammeDetailView):
    """The home page: every open programme, so the call is one click from anywhere. With one open (or none: the
    next, else the latest) it is that programme's page, as it always was; with several, a short list of them."""

    by_address = False

    def get(self, request, *args, **kwargs):
        self.open_programmes = programmes_open()
        if len(self.open_programmes) > 1:
            # Not cached: one small query, and a programme opening or closing changes it with no row saved.
            return render(request, "applications/programmes_open.html", {"programmes": self.open_programmes})
        return super().get(request, *args, **kwargs)

    def get_object(self, queryset=None):
        programme = self.open_programmes[0] if self.open_programmes else programme_current()
        if programme is None:
            raise Http404("No programme is published yet.")
        return self.get_queryset().get(pk=programme.pk)


class ProgrammeListView(TemplateView):
    """/programmes/: open, upcoming and past programmes; staff also see those not yet published, with a preview."""

    template_name = "applications/programme_list.html"

    def get_context_data(self, **kwargs):
        return {"listing": programmes_listed(include_unpublished=is_active_staff(self.request.user))}


class ProgrammePreviewView(StaffRequiredMixin, ProgrammeDetailView):
    """A programme's page as it will look, published or not: for staff to check before it goes live."""

    by_address = False

    def get_queryset(self):
        return Programme.objects.prefetch_related("drop_ins")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview"] = True
        # Never from the cache, nor into it: a preview shows the rows as they are now, to staff only.
        context["fragment_key"] = None
        return context


class ProgrammeMixin:
    """Views under /programmes/<slug>/: the published programme, or a 404."""

    def dispatch(self, request, *args, **kwargs):
        self.programme = get_object_or_404(programmes_published(), slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def base_context(self, **extra) -> dict:
        return {
            "programme": self.programme,
            "phase": self.programme.phase(),
            "deadline": deadline_text(self.programme),
            **extra,
        }


def too_many_requests(request, programme):
    return render(request, "applications/rate_limited.html", {"programme": programme}, status=429)


class InterestView(ProgrammeMixin, View):
    """The quick expression-of-interest form. Open in every phase: after the deadline it is for the next group."""

    template_name = "applications/interest_form.html"

    def render_form(self, form, status=200):
        context = self.base_context(
            form=form,
            drop_ins=drop_ins_upcoming(self.programme),
            organisation_names=member_organisation_names(),
        )
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, slug):
        return self.render_form(InterestForm())

    def post(self, request, slug):
        if rate_limit_exceeded(request, scope="interest"):
            return too_many_requests(request, self.programme)
        form = InterestForm(request.POST)
        if form.is_bot():
            # Look like success, store nothing.
            return redirect("applications:interest_thanks", slug=slug)
        if not form.is_valid():
            return self.render_form(form)
        try:
            interest_register(
                programme=self.programme,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
            )
        except DatabaseError:
            logger.exception("An expression of interest could not be stored")
            form.add_error(None, NOT_STORED)
            return self.render_form(form, status=503)
        # The same page whether the address was new or known, so it reveals nothing about who registered.
        return redirect("applications:interest_thanks", slug=slug)


class InterestThanksView(ProgrammeMixin, TemplateView):
    template_name = "applications/interest_thanks.html"

    def get_context_data(self, **kwargs):
        return self.base_context(drop_ins=drop_ins_upcoming(self.programme))


class ApplyView(ProgrammeMixin, View):
    template_name = "applications/application_form.html"

    def dispatch(self, request, *args, **kwargs):
        # A visitor's blank form, found in the cache by its address before the programme is read.
        if request.method == "GET" and (cached := page_by_address(request, page="apply")):
            return cached
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form, status=200):
        context = self.base_context(form=form, organisation_names=member_organisation_names())
        if not form.is_bound:
            # A blank form is the same for everyone (its tokens are outside the fragment); one with answers is not.
            context["fragment_key"] = public_page_key(self.programme, page="apply", now=timezone.now())
        return render(self.request, self.template_name, context, status=status)

    def not_open(self):
        return render(self.request, "applications/not_open.html", self.base_context())

    def get(self, request, slug):
        if self.programme.phase() != ProgrammePhase.OPEN:
            return self.not_open()
        if not page_cacheable(request):
            return self.render_form(ApplicationForm(programme=self.programme))
        fragment_key = public_page_key(self.programme, page="apply", now=timezone.now())
        if fragment_key is None:
            return self.render_form(ApplicationForm(programme=self.programme))
        key = whole_page_key(fragment_key, request)
        cached = page_from_cache(key, request)
        if cached is not None:
            return cached
        response = self.render_form(ApplicationForm(programme=self.programme))
        page_to_cache(
            key,
            response,
            fragment_key=fragment_key,
            facts=page_facts(self.programme),
            open_only=True,
            request=request,
        )
        return response

    def post(self, request, slug):
        if rate_limit_exceeded(request, scope="apply"):
            return too_many_requests(request, self.programme)
        if self.programme.phase() == ProgrammePhase.NOT_YET_OPEN:
            return self.not_open()
        form = ApplicationForm(request.POST, programme=self.programme)
        if form.is_bot():
            return redirect("applications:apply_thanks", slug=slug)
        if not form.is_valid():
            refusal = applications_closed_refusal(self.programme, timezone.now())
            if refusal:
                form.add_error(None, refusal)
            return self.render_form(form)
        try:
            application_submit(
                programme=self.programme,
                email=form.cleaned_data["email"],
                answers=form.answers(),
                availability=form.availability(),
                submission_token=form.cleaned_data["submission_token"] or uuid.uuid4(),
                question_answers=form.question_answers(),
            )
        except ValidationError as error:
            # Past the deadline (or anything the service refuses): say why, keep every answer on screen.
            for message in error.messages:
                form.add_error(None, message)
            return self.render_form(form)
        except DatabaseError:
            logger.exception("An application could not be stored")
            form.add_error(None, NOT_STORED)
            return self.render_form(form, status=503)
        # Same page for a new application and a repeat: the address's inbox is told which it was.
        return redirect("applications:apply_thanks", slug=slug)


class ApplyThanksView(ProgrammeMixin, TemplateView):
    template_name = "applications/application_thanks.html"

    def get_context_data(self, **kwargs):
        return self.base_context()


class PrivacyView(ProgrammeMixin, TemplateView):
    template_name = "applications/privacy.html"

    def get_context_data(self, **kwargs):
        return self.base_context(
            retention_days=settings.RECRUITMENT_RETENTION.days,
            member_retention_days=settings.MEMBER_DATA_RETENTION.days,
        )
