from django import forms, template
from django.utils.safestring import mark_safe

from cohort_site.core import sign_in
from cohort_site.core.links import web_link
from cohort_site.core.markdown import render_markdown
from cohort_site.core.words import counted

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)


@register.filter(name="counted")
def counted_filter(count, words: str) -> str:
    """`{{ n|counted:"place" }}` -> "1 place" / "3 places"; `{{ n|counted:"entry,entries" }}` -> "3 entries"."""
    singular, _, plural = words.partition(",")
    return counted(count, singular, plural or None)


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
