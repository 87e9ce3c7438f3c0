"""The one way the product sends email, by sub-domain; everything public is importable from here.

- queue: `email_queue` renders and stores a row (`email_store` stores one already rendered); drafts and failed
  messages go back to the queue
- delivery: `email_deliver` sends one stored message once; `outbox_sweep` finds what should be on its way
- opt_outs: unsubscribe links and the optional kinds a person turned off
- editing: a draft's subject and text edited by staff before it is sent
- erasure: blanking the emails about a record that is erased
- leavers: skipping what still waits for a member who left their group
- status: the state machine (`emails_set_status` is the only code that changes a status)
"""

from .delivery import (
    LOST_QUEUED_AFTER,
    REPUBLISH_AFTER,
    email_deliver,
    is_temporary_failure,
    message_id,
    outbox_sweep,
    stuck_sending_after,
)
from .editing import EDITED_TEXT_LIMIT, EditRefused, email_draft_edit, email_draft_edit_undo
from .erasure import ERASED_BODY, emails_about_erase
from .leavers import emails_skip_for_leaver, emails_skip_keys
from .opt_outs import (
    UNSUBSCRIBE_SALT,
    email_preferences_set,
    is_opted_out,
    opt_out_record,
    opt_out_remove,
    opted_out_addresses,
    opted_out_kinds,
    unsubscribe_token,
    unsubscribe_url,
)
from .queue import (
    Attachment,
    NewEmail,
    email_html,
    email_queue,
    email_store,
    emails_publish,
    emails_queue_many,
    emails_resend_unknown,
    emails_retry_failed,
    emails_send_drafts,
    new_email_queue,
)
from .status import TRANSITIONS, emails_set_status, initial_status

__all__ = [
    "EDITED_TEXT_LIMIT",
    "ERASED_BODY",
    "LOST_QUEUED_AFTER",
    "REPUBLISH_AFTER",
    "TRANSITIONS",
    "UNSUBSCRIBE_SALT",
    "Attachment",
    "EditRefused",
    "NewEmail",
    "email_deliver",
    "email_draft_edit",
    "email_draft_edit_undo",
    "email_html",
    "email_preferences_set",
    "email_queue",
    "email_store",
    "emails_about_erase",
    "emails_publish",
    "emails_queue_many",
    "emails_resend_unknown",
    "emails_retry_failed",
    "emails_send_drafts",
    "emails_set_status",
    "emails_skip_for_leaver",
    "emails_skip_keys",
    "initial_status",
    "is_opted_out",
    "is_temporary_failure",
    "message_id",
    "new_email_queue",
    "opt_out_record",
    "opt_out_remove",
    "opted_out_addresses",
    "opted_out_kinds",
    "outbox_sweep",
    "stuck_sending_after",
    "unsubscribe_token",
    "unsubscribe_url",
]
