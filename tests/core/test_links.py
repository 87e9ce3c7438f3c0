import pytest

from cohort_site.core.links import web_link


@pytest.mark.parametrize("url", ["https://example.org/a?b=c", "http://example.org", "HTTPS://EXAMPLE.ORG/"])
def test_a_web_address_is_kept(url):
    assert web_link(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "\x01javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://example.org/file",
        "//evil.example/",
        "/learning/",
        "",
        None,
    ],
)
def test_anything_else_gives_no_link(url):
    assert web_link(url) == ""
