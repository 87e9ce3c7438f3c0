from django import template

from cohort_site.core.links import web_link
from cohort_site.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)


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
