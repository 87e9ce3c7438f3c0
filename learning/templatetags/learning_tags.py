from django import template
from django.utils.html import strip_tags
from django.utils.text import Truncator

from cohort_site.core.markdown import render_markdown

register = template.Library()


@register.filter
def excerpt(text: str, words: int = 40) -> str:
    """The first words of a Markdown body as plain text (auto-escaped by the template)."""
    return Truncator(strip_tags(render_markdown(text))).words(words)


@register.filter
def percent_of(part, whole) -> int:
    return round(100 * part / whole) if whole else 0
