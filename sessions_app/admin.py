from django.contrib import admin

from cohort_site.core.admin import HTTPS_URL_FIELDS, LabelledModelAdmin, LabelledTabularInline

from .models import Attendance, CohortSchedule, Guest, Session


class GuestInline(LabelledTabularInline):
    model = Guest
    extra = 0
    readonly_fields = ["invited_by", "invited_at"]


@admin.register(Session)
class SessionAdmin(LabelledModelAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    """Read-mostly: moving, cancelling and inviting go through the schedule pages, which send the emails."""

    list_display = ["cohort", "number", "kind", "starts_at", "status"]
    list_filter = ["status", "kind", "cohort__programme"]
    # The calendar's count of changes (sequence) is the calendar's business: set by the schedule, never shown.
    exclude = ["sequence"]
    readonly_fields = ["cohort", "number", "starts_at", "ends_at", "status", "created_at"]
    inlines = [GuestInline]


@admin.register(Attendance)
class AttendanceAdmin(LabelledModelAdmin):
    list_display = ["session", "member", "status", "apologised_at", "recorded_at"]
    list_filter = ["status"]
    raw_id_fields = ["session", "member"]


@admin.register(CohortSchedule)
class CohortScheduleAdmin(LabelledModelAdmin):
    list_display = ["cohort", "weekday", "start_time", "confirmed_by", "confirmed_at"]
    readonly_fields = ["cohort", "candidate_time", "weekday", "start_time", "confirmed_by", "confirmed_at"]
