import pytest

# The journey's helpers assert; show their comparisons as pytest does in test modules.
pytest.register_assert_rewrite("tests.browser.journey")
