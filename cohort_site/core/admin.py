from urllib.parse import quote

# The admin modules of allauth, axes and auth are imported for their registrations (see SUPERUSER_ONLY below).
import allauth.account.admin  # noqa: F401
import axes.admin  # noqa: F401
import django.contrib.auth.admin  # noqa: F401
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import quote as admin_quote
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.forms.renderers import DjangoTemplates
from django.template.defaultfilters import stringformat
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.http import RFC3986_SUBDELIMS

from .models import Heartbeat, User
from .widgets import DurationField

# Inlines a higher app adds to an account's admin page (applications: the programmes a staff account reviews).
USER_INLINES: list[type[admin.options.InlineModelAdmin]] = []


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "organisation", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "name", "organisation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            "Profile",
            {"fields": ["name", "pronouns", "organisation", "role", "timezone", "accessibility_needs"]},
        ),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]})]

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        return [*inlines, *USER_INLINES] if obj is not None else inlines


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "beat_at", "count"]


# Links typed into the admin without a scheme are read as https (Django 6's default; 5.2 warns otherwise).
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


def name_split_inputs(field, *, suffix: str = "") -> None:
    """Name the date and time inputs of a split date-time field ("Applications open at, date"): Django's admin
    writes "Date:" and "Time:" beside them as plain text, and its form renderer does not read our templates."""
    if isinstance(field.widget, forms.SplitDateTimeWidget):
        for part, subwidget in zip(("date", "time"), field.widget.widgets, strict=False):
            subwidget.attrs["aria-label"] = f"{field.label}, {part}{suffix}"


class LabelledModelAdmin(admin.ModelAdmin):
    """A model admin whose split date-time inputs are each named (name_split_inputs), and whose lengths of time
    are a number and a unit ("2 days"), not Django's "2 00:00:00"."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DurationField):
            kwargs.setdefault("form_class", DurationField)
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            name_split_inputs(formfield)
        return formfield


class LabelledInlineFormSet(BaseInlineFormSet):
    """A table of inline rows whose every control has a name: a tabular inline shows the field's label once, as a
    column heading, which a screen reader does not read with each input. Each control is named by its column and
    row ("Starts at, date, row 2"; "Delete row 2")."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = f"row {index + 1}" if index is not None else "new row"
        for name, field in form.fields.items():
            if name == "DELETE":
                field.widget.attrs["aria-label"] = f"Delete {row}"
                continue
            if isinstance(field.widget, forms.SplitDateTimeWidget):
                name_split_inputs(field, suffix=f", {row}")
            elif not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs["aria-label"] = f"{field.label or name}, {row}"


class LabelledTabularInline(admin.TabularInline):
    """A tabular inline whose controls are each named (LabelledInlineFormSet)."""

    formset = LabelledInlineFormSet


PK_SLOT = "__pk__"


class QuickChangeList(ChangeList):
    """Each row's link to its change page made from one reversed address, not one `reverse` per row; the page's
    rows read with only the fields the admin's `list_fields` names, when it names them."""

    def get_results(self, request):
        fields = getattr(self.model_admin, "list_fields", None)
        if fields:
            self.queryset = self.queryset.only(*fields)
        super().get_results(request)

    def url_for_result(self, result):
        if not hasattr(self, "_change_url"):
            self._change_url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=(PK_SLOT,),
                current_app=self.model_admin.admin_site.name,
            )
        # As reverse() would write it: the admin's quoting, then the address's.
        pk = quote(str(admin_quote(getattr(result, self.pk_attname))), safe=RFC3986_SUBDELIMS + "/~:@")
        return self._change_url.replace(PK_SLOT, pk)


# Templates that are Django's plain <input> (each includes input.html and nothing else), and its error list.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html" for name in ("input", "text", "number", "hidden")
)
ERROR_LIST_TEMPLATES = frozenset(
    {"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"}
)


class QuickInputRenderer(DjangoTemplates):
    """Django's form renderer, except that a plain <input> and an empty error list are written directly: the
    same markup as Django's templates (input.html and attrs.html, escaped as a template escapes them), without
    a template render each. A list of 50 editable scores rendered 150 of them (issue 24). Everything else goes
    through the templates."""

    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            return input_markup(context["widget"])
        if template_name in ERROR_LIST_TEMPLATES and not context["errors"]:
            return ""
        return super().render(template_name, context, request)


def input_markup(widget: dict) -> str:
    """input.html and attrs.html in Python: `{{ x }}` is conditional_escape(x), `|stringformat:'s'` the filter."""
    parts = [
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
    ]
    if widget["value"] != None:  # noqa: E711 (the template's `!= None`)
        parts.append(f' value="{conditional_escape(stringformat(widget["value"], "s"))}"')
    for name, value in widget["attrs"].items():
        if value is not False:
            parts.append(f" {conditional_escape(name)}")
            if value is not True:
                parts.append(f'="{conditional_escape(stringformat(value, "s"))}"')
    parts.append(">")
    return "".join(parts)


QUICK_INPUTS = QuickInputRenderer()


class QuickCheckboxMixin:
    """A list's row checkbox written out directly. Django renders each one through a form widget's template,
    which was most of the time of a 100-row application list (issue 24); the markup is the same. Each row's link
    is made from one reversed address (`QuickChangeList`), and the list's editable boxes are rendered by
    `QuickInputRenderer`."""

    def get_changelist(self, request, **kwargs):
        return QuickChangeList

    def get_changelist_formset(self, request, **kwargs):
        return super().get_changelist_formset(request, **{"renderer": QUICK_INPUTS, **kwargs})

    def action_checkbox(self, obj):
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" '
            'aria-label="Select this object for an action - {}">',
            ACTION_CHECKBOX_NAME,
            obj.pk,
            obj,
        )


# --- What a charity manager sees ---------------------------------------------------------------------------------
# Staff who are not superusers run programmes; the sign-in lockout records, the worker's heartbeats, Django's
# permission groups and allauth's address records are for whoever runs the site. Importing those apps' admin
# modules (at the top) registers them first, so they can be registered again for superusers only.

SUPERUSER_ONLY = [AccessAttempt, AccessLog, AccessFailureLog, Heartbeat, Group, EmailAddress]


def is_superuser(request) -> bool:
    return request.user.is_active and request.user.is_superuser


class SuperuserOnlyAdmin:
    """An admin for the people who run the site: not on the index, and its pages refused, for other staff."""

    def has_module_permission(self, request):
        return is_superuser(request)

    def has_view_permission(self, request, obj=None):
        return is_superuser(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return is_superuser(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return is_superuser(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_superuser(request) and super().has_delete_permission(request, obj)


def superusers_only(models_: list, site=admin.site) -> None:
    for model in models_:
        if not site.is_registered(model):
            continue
        registered = type(site.get_model_admin(model))
        site.unregister(model)
        site.register(model, type(registered.__name__, (SuperuserOnlyAdmin, registered), {}))


superusers_only(SUPERUSER_ONLY)
