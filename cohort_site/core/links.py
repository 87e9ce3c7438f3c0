"""Links people store (a learning resource, a reading-list item) lead to web pages only.

A `javascript:` or `data:` address in an href runs or shows whatever it carries when clicked, on our origin's
page; `ftp:` and the rest are no use to a reader. The form accepts http(s) only (WebLinkField), and every
template that links a stored address passes it through the `web_link` filter, which gives "" for anything else,
so a value stored another way (the admin, the shell, an older row) is shown as text, never as a link.
"""

import re

from django.core.validators import URLValidator

WEB_SCHEMES = ("http", "https")
_WEB_LINK = re.compile(r"https?://", re.IGNORECASE)

WEB_LINK_MESSAGE = "Enter the link as a web address, like https://example.org/guide (it must start with https:// or http://)."
validate_web_link = URLValidator(schemes=list(WEB_SCHEMES), message=WEB_LINK_MESSAGE)


def web_link(url) -> str:
    """The address if it is a web page's (it starts with http:// or https://, nothing before it), else ""."""
    text = "" if url is None else str(url)
    return text if _WEB_LINK.match(text) else ""
