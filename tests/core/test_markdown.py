from cohort_site.core.markdown import render_markdown


def test_markdown_is_sanitised_and_each_text_rendered_once_per_process():
    render_markdown.cache_clear()
    text = "**Hi** <script>x</script> [a](javascript:alert(1))"

    first = render_markdown(text)
    second = render_markdown(text)

    assert first == '<p><strong>Hi</strong>  <a rel="noopener noreferrer nofollow">a</a></p>'
    assert second is first
    assert (render_markdown.cache_info().hits, render_markdown.cache_info().misses) == (1, 1)
