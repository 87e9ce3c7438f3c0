import datetime

from django import forms, template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from cohort_site.core import dates, sign_in
from cohort_site.core.links import web_link
from cohort_site.core.markdown import render_markdown
from cohort_site.core.programme_filter import PARAMETER, programme_query
from cohort_site.core.words import counted, label_with_colon

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)


@register.filter(name="counted")
def counted_filter(count, words: str) -> str:
    """`{{ n|counted:"place" }}` -> "1 place" / "3 places"; `{{ n|counted:"entry,entries" }}` -> "3 entries"."""
    singular, _, plural = words.partition(",")
    return counted(count, singular, plural or None)


@register.filter(name="label_with_colon")
def label_with_colon_filter(label) -> str:
    """`{{ question|label_with_colon }}`: "Your name:", "Where are you based?" (core/words.py)."""
    return label_with_colon(str(label))


@register.filter(name="web_link")
def web_link_filter(url) -> str:
    """A stored address for an href: itself if it is http(s), else "" (core/links.py)."""
    return web_link(url)


@register.simple_tag(takes_context=True)
def query_without_page(context) -> str:
    """The current query string minus `page`, for pagination links that keep the filters."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    return query.urlencode()


@register.filter
def keep_programme(url: str, request) -> str:
    """A staff page's link keeping the programme the page shows (`?programme=<slug>`), so the manager stays
    within one programme as she moves between staff pages; without one, the link as it is."""
    slug = request.GET.get(PARAMETER, "") if request is not None else ""
    if not slug:
        return url
    return f"{url}{'&' if '?' in url else '?'}{programme_query(slug)}"


@register.simple_tag(takes_context=True)
def other_filters(context, *names: str) -> str:
    """Hidden inputs carrying the page's other filters (its query string but `names` and `page`), so a GET form
    choosing one thing keeps the rest."""
    query = context["request"].GET
    kept = [(key, value) for key in query for value in query.getlist(key) if key not in {*names, "page"}]
    return format_html_join("", '<input type="hidden" name="{}" value="{}">', kept)


@register.filter
def error_anchor(field) -> str:
    """The id an error-summary link moves focus to: the field's own control, or the first radio or checkbox of a
    set (Django numbers them `<id>_0`, `<id>_1`...), or the first part of a split field."""
    if not hasattr(field, "field"):
        return ""  # no such field (a form without candidate times, say)
    if isinstance(field.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.MultiWidget)):
        return f"{field.auto_id}_0"
    return field.auto_id


@register.simple_tag(takes_context=True)
def aria_current(context, url: str, section: bool = False) -> str:
    """` aria-current="page"` on the navigation link of the page being shown; with `section`, also
    ` aria-current="true"` on pages under it (an entry under Learning)."""
    request = context.get("request")
    path = request.path if request is not None else ""
    if path == url:
        return mark_safe(' aria-current="page"')
    if section and path.startswith(url):
        return mark_safe(' aria-current="true"')
    return ""


@register.simple_tag
def sign_in_code_lifetime() -> str:
    """How long a sign-in code works, in words ("3 minutes")."""
    return sign_in.code_lifetime()


@register.simple_tag
def sign_in_code_max_tries() -> int:
    return sign_in.code_max_tries()


@register.simple_tag
def sign_in_code_tries_left_sentence(view) -> str:
    """ "You have 2 tries left with this code." on a page asking for an emailed code."""
    return f"You have {sign_in.tries_text(sign_in.code_tries_left(view))} left with this code."


@register.filter
def plain_message(message) -> str:
    """A flash message, with allauth's stock sentences in our words."""
    return sign_in.plain_message(message)


@register.filter
def when(value, shape: str = "day") -> str:
    """A moment in the page's time zone (or a date) in one of core/dates.py's SHAPES, with its year when it is
    not this year: {{ session.starts_at|when:"day_time" }} is "Tuesday 3 March, 14:00"."""
    if isinstance(value, datetime.datetime):
        return dates.local_text(value, None, dates.SHAPES[shape])
    if isinstance(value, datetime.date):
        return dates.date_text(value, dates.SHAPES[shape])
    return ""


@register.filter
def zone_name(zone) -> str:
    """A time zone (a ZoneInfo or its name) as people say it: "UK time", "US Eastern time" (core/dates.py)."""
    return dates.zone_name(getattr(zone, "key", zone) or "")
