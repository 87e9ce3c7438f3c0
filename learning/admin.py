from django.contrib import admin

from cohort_site.core.admin import HTTPS_URL_FIELDS, LabelledTabularInline

from .models import (
    Entry,
    ReadingItem,
    SessionFeedback,
    SharingEvent,
    Survey,
    SurveyQuestion,
    SurveyResponse,
    Topic,
)


class AuthorshipInline(LabelledTabularInline):
    model = Entry.authors.through
    extra = 0
    readonly_fields = ["consent_audience", "consented_at"]


class SharingEventInline(LabelledTabularInline):
    model = SharingEvent
    extra = 0
    can_delete = False
    readonly_fields = ["user", "action", "audience", "at"]


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    """Read-mostly: visibility and consents change through the site, where the rules are applied."""

    list_display = ["title", "kind", "cohort", "visibility", "audience_requested", "approved_audience"]
    list_filter = ["kind", "visibility", "programme"]
    search_fields = ["title", "body"]
    readonly_fields = ["visibility", "audience_requested", "approved_audience", "approved_by", "approved_at"]
    inlines = [AuthorshipInline, SharingEventInline]


admin.site.register(Topic)
admin.site.register(ReadingItem, formfield_overrides=HTTPS_URL_FIELDS)


class SurveyQuestionInline(LabelledTabularInline):
    model = SurveyQuestion
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "kind", "opens_after_session"]
    inlines = [SurveyQuestionInline]


@admin.register(SessionFeedback)
class SessionFeedbackAdmin(admin.ModelAdmin):
    list_display = ["session", "member", "rating", "submitted_at"]
    list_filter = ["session__cohort"]


admin.site.register(SurveyResponse)
