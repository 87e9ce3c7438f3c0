"""The database's own guard on a group's size, behind the service's lock: on PostgreSQL a row that takes a place
(a status in PLACE_HOLDING_STATUSES) in a full group is refused with a check violation. The trigger takes the group
row's lock itself, so even code that forgot the service's lock cannot overfill a group.

The SQL is built here, from the statuses it is given, and nowhere else. A migration passes the statuses as they
were when it was written (as Django migrations freeze a field's choices), so an old migration keeps installing
what it always did; tests/applications/test_selection_cap.py checks that the trigger installed by the migrations
is the one `cohort_cap_sql(PLACE_HOLDING_STATUSES)` builds today, so a change to the statuses fails until a
migration installs the new trigger.
"""

from collections.abc import Iterable

FUNCTION = "applications_cohort_cap"
TRIGGER = "applications_cohort_cap"


def cohort_cap_sql(statuses: Iterable[str]) -> str:
    """CREATE OR REPLACE the trigger function for these place-holding statuses, and CREATE the trigger."""
    return f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $${cohort_cap_body(statuses)}$$ LANGUAGE plpgsql;
CREATE TRIGGER {TRIGGER}
    BEFORE INSERT OR UPDATE OF status, cohort_id ON applications_application
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();
"""


def cohort_cap_body(statuses: Iterable[str]) -> str:
    """The function's body, as PostgreSQL stores it (pg_proc.prosrc)."""
    held = ", ".join(f"'{status}'" for status in _checked(statuses))
    # S608: the only values pasted in are status words, checked by _checked.
    return f"""
DECLARE
    cap integer;
    taken integer;
BEGIN
    IF NEW.cohort_id IS NULL OR NEW.status NOT IN ({held}) THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.cohort_id IS NOT DISTINCT FROM NEW.cohort_id
            AND OLD.status IN ({held}) THEN
        RETURN NEW;
    END IF;
    SELECT size INTO cap FROM applications_cohort WHERE id = NEW.cohort_id FOR UPDATE;
    SELECT count(*) INTO taken FROM applications_application
        WHERE cohort_id = NEW.cohort_id AND status IN ({held}) AND id <> NEW.id;
    IF taken >= cap THEN
        RAISE EXCEPTION 'cohort % is full (% of % places taken)', NEW.cohort_id, taken, cap
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
"""  # noqa: S608


DROP_COHORT_CAP_SQL = f"""
DROP TRIGGER IF EXISTS {TRIGGER} ON applications_application;
DROP FUNCTION IF EXISTS {FUNCTION}();
"""


def _checked(statuses: Iterable[str]) -> list[str]:
    """Statuses are our own lowercase words; anything else would be pasted into SQL, so it is refused."""
    statuses = [str(status) for status in statuses]
    if not statuses or not all(status.replace("_", "").isalpha() and status.islower() for status in statuses):
        raise ValueError(f"not a list of status values: {statuses!r}")
    return statuses
