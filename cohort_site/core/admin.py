import datetime
import html
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
from django.contrib.admin.templatetags.admin_list import ResultList, result_headers, result_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import display_for_field, display_for_value, label_for_field
from django.contrib.admin.utils import quote as admin_quote
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.forms.models import BaseInlineFormSet, BaseModelFormSet
from django.forms.renderers import DjangoTemplates
from django.template.defaultfilters import stringformat
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from .models import Heartbeat, User
from .widgets import DurationField
from .words import label_with_colon

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


class QuestionLabelsMixin:
    """A change page whose labels may be questions ("Where are you based?") writes them as Django's forms do,
    with no colon after a stop of their own: the admin puts its colon after every read-only field's label
    ("Where are you based?:"). The colon becomes part of each label instead of the form's suffix."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)  # type: ignore[misc]
        given = form._meta.labels or {}
        labels = {
            **given,
            **{
                # The admin reads a read-only field's label from the form's labels when it is there.
                name: label_with_colon(
                    capfirst(str(given.get(name) or label_for_field(name, self.model, self)))
                )
                for name in self.get_readonly_fields(request, obj)  # type: ignore[attr-defined]
            },
        }

        def __init__(self, *args, **kwargs):
            form.__init__(self, *args, **kwargs)
            self.label_suffix = ""
            for field in self.fields.values():
                if not isinstance(field.widget, forms.CheckboxInput):  # a tick box's label follows it, bare
                    field.label = label_with_colon(str(field.label))

        meta = type("Meta", (form.Meta,), {"labels": labels})
        return type(form.__name__, (form,), {"Meta": meta, "__init__": __init__})


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
    parts = [f'<input type="{_escape(widget["type"])}" name="{_escape(widget["name"])}"']
    if widget["value"] != None:  # noqa: E711 (the template's `!= None`)
        parts.append(f' value="{_escape(stringformat(widget["value"], "s"))}"')
    for name, value in widget["attrs"].items():
        if value is not False:
            parts.append(f" {_escape(name)}")
            if value is not True:
                parts.append(f'="{_escape(stringformat(value, "s"))}"')
    parts.append(">")
    return "".join(parts)


def _escape(value) -> str:
    """conditional_escape without its check for lazy text on every call: a safe string as it is, else escaped
    as Django's `escape` escapes it (html.escape of its text)."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


QUICK_INPUTS = QuickInputRenderer()


class QuickListFormSet(BaseModelFormSet):
    """A list's editable boxes whose media and encoding are read from one form: Django's builds every row's form
    to read the first one's, which a list written by `quick_results` would otherwise never build."""

    @cached_property
    def blank_form(self):
        """`empty_form`, built once (Django's builds it anew on each read)."""
        return self.empty_form

    @property
    def media(self):
        return self.blank_form.media

    def is_multipart(self):
        return self.blank_form.is_multipart()

    def __getitem__(self, index):
        # A template reads `formset.errors` by trying formset["errors"] first, which built every form.
        if not isinstance(index, int | slice):
            raise TypeError(f"a formset's forms are numbered, not named ({index!r})")
        return super().__getitem__(index)


def quick_results(cl) -> dict | None:
    """The context of Django's `result_list` tag with each row written from what it shows, in the same markup
    (tests/core/test_quick_admin.py holds the two equal): no lookup per cell by name, no form per row (an editable
    box is written from one form's field and the row's value, with the per-row attributes the list's form names in
    `row_widget_attrs`). Django's own rows where a column or box is of a kind not handled here, in a popup, and
    when the typed boxes came back with errors."""
    formset = cl.formset
    if cl.is_popup or cl.to_field or (formset is not None and formset.is_bound):
        return None
    model_admin, opts = cl.model_admin, cl.lookup_opts
    editable, proto = {}, None
    if formset is not None:
        proto = formset.blank_form if isinstance(formset, QuickListFormSet) else formset.empty_form
        row_attrs = getattr(type(proto), "row_widget_attrs", None)
        pk_field = proto.fields.get(opts.pk.name)
        if row_attrs is None or pk_field is None or not pk_field.widget.is_hidden:
            return None
        for name in proto.fields:
            if name == opts.pk.name:
                continue
            field = proto.fields[name]
            if field.widget.template_name not in INPUT_TEMPLATES or any(
                (field.required, field.disabled, field.help_text, field.localize, field.show_hidden_initial)
            ):
                return None  # attributes a row's own form would work out (required, disabled, described…)
            editable[name] = (field, opts.get_field(name))
    empty = model_admin.get_empty_value_display()
    writers, first = [], True
    for index, name in enumerate(cl.list_display):
        if cl.list_display_links is None:
            link = False
        else:
            link = (first and not cl.list_display_links) or name in cl.list_display_links
        tag = "th" if first else "td"
        first = first and not link
        if name in editable:
            if link or isinstance(editable[name][1], (models.DateField, models.TimeField)):
                return None
            writers.append(_editable_writer(name, *editable[name], row_attrs, formset.prefix))
            continue
        writer = _cell_writer(cl, index, name, empty, link, tag)
        if writer is None:
            return None
        writers.append(writer)
    rows, hidden = [], []
    for index, result in enumerate(cl.result_list):
        rows.append(ResultList(None, [write(result, index) for write in writers]))
        if formset is not None:
            pk = pk_field.prepare_value(result.pk)
            hidden.append(_input(pk_field.widget, f"{formset.prefix}-{index}-{opts.pk.name}", pk))
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": hidden,
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": rows,
    }


def quick_result_list(cl) -> dict:
    return quick_results(cl) or result_list(cl)


def _input(widget, name: str, value, attrs: dict | None = None) -> str:
    """A plain input as the widget renders it for a bound field of that name (its id the field's auto id)."""
    context = {
        "type": widget.input_type,
        "name": name,
        "value": widget.format_value(value),
        "attrs": {**widget.attrs, **(attrs or {}), "id": f"id_{name}"},
    }
    return mark_safe(input_markup(context))  # noqa: S308 - input_markup escapes every part


def _editable_writer(name, field, model_field, row_attrs, prefix):
    cell_class = format_html(' class="field-{}"', name)

    def write(result, index):
        value = field.prepare_value(model_field.value_from_object(result))
        box = _input(field.widget, f"{prefix}-{index}-{name}", value, row_attrs(result)[name])
        return format_html("<td{}>{}</td>", cell_class, box)

    return write


def _cell_writer(cl, index, name, empty, link, tag):
    """One column's cell as Django's `items_for_result` writes it, for a model field that is not a relation, an
    admin method or a callable; None for anything else."""
    model_admin = cl.model_admin
    try:
        field = None if callable(name) else cl.lookup_opts.get_field(name)
    except FieldDoesNotExist:
        field = None
        if not hasattr(model_admin, name) or name == "__str__":
            return None
    if field is not None and (
        field.is_relation or field.auto_created or isinstance(field, models.BooleanField)
    ):
        return None
    attr = name if callable(name) else None if field is not None else getattr(model_admin, name)
    if attr is not None:
        if getattr(attr, "boolean", False):
            return None
        empty = getattr(attr, "empty_value_display", empty)
        base_class = "action-checkbox" if name == "action_checkbox" else f"field-{_column_name(name, index)}"
    else:
        base_class = f"field-{name}"
    date_field = isinstance(field, (models.DateField, models.TimeField))
    plain_class, nowrap_class = (
        format_html(' class="{}"', base_class),
        format_html(' class="{} nowrap"', base_class),
    )
    preserved = {"preserved_filters": cl.preserved_filters, "opts": cl.opts}

    def write(result, _index):
        value = attr(result) if attr is not None else getattr(result, name)
        if isinstance(value, str) and value.strip() == "":
            value = ""
        if field is None:
            shown = display_for_value(value, empty)
            nowrap = isinstance(value, (datetime.date, datetime.time))
        else:
            shown = display_for_field(value, field, empty, avoid_link=link)
            nowrap = date_field
        row_class = nowrap_class if nowrap else plain_class
        if not link:
            return format_html("<td{}>{}</td>", row_class, shown)
        url = add_preserved_filters(preserved, cl.url_for_result(result))
        return format_html('<{}{}><a href="{}">{}</a></{}>', tag, row_class, url, shown, tag)

    return write


def _column_name(name, index) -> str:
    """Django's class name for a column given as a callable (its function's name, or lambdaN)."""
    if callable(name):
        return f"lambda{index}" if name.__name__ == "<lambda>" else name.__name__
    return name


class QuickCheckboxMixin:
    """A list's row checkbox written out directly. Django renders each one through a form widget's template,
    which was most of the time of a 100-row application list (issue 24); the markup is the same. Each row's link
    is made from one reversed address (`QuickChangeList`), and the list's editable boxes are rendered by
    `QuickInputRenderer`."""

    change_list_template = "admin/quick_change_list.html"

    def get_changelist(self, request, **kwargs):
        return QuickChangeList

    def get_changelist_formset(self, request, **kwargs):
        return super().get_changelist_formset(
            request, **{"renderer": QUICK_INPUTS, "formset": QuickListFormSet, **kwargs}
        )

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
