"""Queued messages of learning that are dropped as they go when no longer wanted (cohort_site.mail.send_checks)."""

from cohort_site.mail.enums import EmailKind
from cohort_site.mail.send_checks import still_wanted

from .funnel import nudge_still_wanted

still_wanted(EmailKind.LEARNING_NUDGE)(nudge_still_wanted)
