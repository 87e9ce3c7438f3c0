from django import template

from applications.models import Programme
from applications.selectors import programme_current

register = template.Library()


@register.simple_tag
def current_programme() -> Programme | None:
    """The programme the home page shows (for a page or email that is not about one programme: whom to contact)."""
    return programme_current()
