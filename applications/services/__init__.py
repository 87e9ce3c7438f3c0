"""Writes for recruitment and selection, by sub-domain; everything public is importable from here as before.

- status: the state machine (`application_set_status` is the only code that assigns a status)
- selection: the manager's bulk decisions, the waitlist's order, further groups
- offers: the applicant's answer to an offer, offers that run out, an offer's clock starting when its email goes
- offer_terms: when an offer lapses and what its email says
- proposal: the group composer's proposal turned into groups, draft offers and the waitlist's order
- recruitment: expressions of interest, applications, the applicant's own changes
- erasure: withdrawing with erasure, an applicant's erasure, recruitment records past their retention
"""

from .erasure import (
    KEPT_STATUSES,
    PurgeResult,
    applicant_erase,
    applicant_subject,
    application_withdraw,
    person_erase,
    places_give_up,
    recruitment_purge,
)
from .offer_terms import OFFER_LAPSES_AT, offer_email, offer_expiry_default, offer_expiry_on
from .offers import (
    OfferNotCurrent,
    next_group_interest_record,
    offer_accept,
    offer_clock_start,
    offer_decline,
    offer_expire,
)
from .proposal import (
    ProposalOutcome,
    ProposedOffers,
    proposal_already_made,
    proposal_cohorts_planned,
    proposal_first_week,
    proposal_offer,
    proposal_stale_refusal,
    waitlist_order,
)
from .recruitment import (
    APPLICANT_FIELDS,
    ApplicationsNotOpen,
    SubmitResult,
    application_edit_refusal,
    application_submit,
    application_update,
    applications_closed_refusal,
    availability_refusal,
    closed_text,
    deadline_text,
    email_context,
    interest_confirmation_queue,
    interest_links,
    interest_register,
    member_organisations_import,
)
from .selection import (
    BulkOutcome,
    applications_offer,
    applications_set_status,
    cohort_create_next,
    cohort_size_refusal,
    waitlist_move,
    waitlist_offer_into,
)
from .status import (
    ALLOWED_TRANSITIONS,
    Promotion,
    S,
    TransitionRefused,
    application_set_status,
    current_offer,
    places_taken,
    transition_refusal,
    waitlist_promote,
    waitlist_promotion,
)

__all__ = [
    "ALLOWED_TRANSITIONS",
    "APPLICANT_FIELDS",
    "KEPT_STATUSES",
    "OFFER_LAPSES_AT",
    "ApplicationsNotOpen",
    "BulkOutcome",
    "OfferNotCurrent",
    "Promotion",
    "ProposalOutcome",
    "ProposedOffers",
    "PurgeResult",
    "S",
    "SubmitResult",
    "TransitionRefused",
    "applicant_erase",
    "applicant_subject",
    "application_edit_refusal",
    "application_set_status",
    "application_submit",
    "application_update",
    "application_withdraw",
    "applications_closed_refusal",
    "applications_offer",
    "applications_set_status",
    "availability_refusal",
    "closed_text",
    "cohort_create_next",
    "cohort_size_refusal",
    "current_offer",
    "deadline_text",
    "email_context",
    "interest_confirmation_queue",
    "interest_links",
    "interest_register",
    "member_organisations_import",
    "next_group_interest_record",
    "offer_accept",
    "offer_clock_start",
    "offer_decline",
    "offer_email",
    "offer_expire",
    "offer_expiry_default",
    "offer_expiry_on",
    "person_erase",
    "places_give_up",
    "places_taken",
    "proposal_already_made",
    "proposal_cohorts_planned",
    "proposal_first_week",
    "proposal_offer",
    "proposal_stale_refusal",
    "recruitment_purge",
    "transition_refusal",
    "waitlist_move",
    "waitlist_offer_into",
    "waitlist_order",
    "waitlist_promote",
    "waitlist_promotion",
]
