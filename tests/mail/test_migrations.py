import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("mail", "0002_kind_choices")]
AFTER = [("mail", "0003_skip_reason")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_rows_skipped_before_the_reason_was_stored_are_given_one():
    old = migrate(BEFORE).get_model("mail", "OutgoingEmail")
    common = {"subject": "s", "body_text": "b", "kind": "coffee-nudge"}
    old.objects.create(key="opted-out", to="sam@example.org", optional=True, status="skipped", **common)
    old.objects.create(
        key="essential", to="erased-1@erased.invalid", optional=False, status="skipped", **common
    )
    old.objects.create(
        key="erased-since", to="erased-2@erased.invalid", optional=True, status="skipped", **common
    )
    old.objects.create(key="sent", to="pat@example.org", optional=True, status="sent", **common)

    try:
        new = migrate(AFTER).get_model("mail", "OutgoingEmail")
        reasons = dict(new.objects.values_list("key", "skip_reason"))
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert reasons == {
        "opted-out": "unsubscribed",
        "essential": "erased",
        "erased-since": "erased",
        "sent": "",
    }
