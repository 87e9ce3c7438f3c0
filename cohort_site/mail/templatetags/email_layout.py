from django import template

from ..links import text_to_html

register = template.Library()


@register.filter
def email_text_html(text: str) -> str:
    """The text of an email laid out for its HTML part: escaped, its links in words (cohort_site/mail/links.py)."""
    return text_to_html(text)
