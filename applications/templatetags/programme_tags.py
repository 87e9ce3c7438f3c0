import contextlib

from django import template
from django.core.cache import cache
from django.utils.safestring import mark_safe

from applications.models import Programme
from applications.page_cache import CACHE_ERRORS, FRAGMENT_SECONDS
from applications.selectors import programme_current

register = template.Library()


@register.simple_tag
def current_programme() -> Programme | None:
    """The programme the home page shows (for a page or email that is not about one programme: whom to contact)."""
    return programme_current()


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist, key):
        self.nodelist = nodelist
        self.key = key

    def render(self, context):
        key = self.key.resolve(context)
        if not key:
            return self.nodelist.render(context)
        try:
            html = cache.get(key)
        except CACHE_ERRORS:
            html = None
        if html is None:
            html = self.nodelist.render(context)
            with contextlib.suppress(CACHE_ERRORS):
                cache.set(key, html, FRAGMENT_SECONDS)
        return mark_safe(html)  # noqa: S308 (rendered by our own template, escaped as it was rendered)


@register.tag
def cached_fragment(parser, token):
    """{% cached_fragment key %}…{% endcached_fragment %}: the fragment from the shared cache under `key`, or
    rendered and kept there; rendered each time when `key` is empty. Keys come from `page_cache.public_page_key`,
    which names everything the fragment depends on (see applications/page_cache.py)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("cached_fragment takes one argument: the key")
    nodelist = parser.parse(("endcached_fragment",))
    parser.delete_first_token()
    return CachedFragmentNode(nodelist, parser.compile_filter(bits[1]))
