from pathlib import Path

import allauth
from django.conf import settings
from django.template.loader import get_template

from cohort_site.mail.account_adapter import account_email_kind
from cohort_site.mail.enums import EmailKind, OptionalEmail

EMAIL_TEMPLATES = Path(settings.BASE_DIR, "templates", "emails")


def test_every_kind_of_ours_has_its_text_and_every_text_is_a_kind():
    ours = [kind for kind in EmailKind if not kind.startswith("account-")]
    texts = sorted(path.stem for path in EMAIL_TEMPLATES.glob("*.txt") if not path.name.startswith("_"))

    assert sorted(kind.template for kind in ours) == texts
    assert [get_template(f"emails/{kind.template}.txt").origin.name for kind in ours] == [
        str(EMAIL_TEMPLATES / f"{kind.template}.txt") for kind in ours
    ]


def test_every_message_allauth_can_send_has_a_kind():
    folder = Path(allauth.__file__).parent / "templates" / "account" / "email"
    prefixes = sorted(
        f"account/email/{p.name.removesuffix('_subject.txt')}" for p in folder.glob("*_subject.txt")
    )

    kinds = [account_email_kind(prefix) for prefix in prefixes]

    assert len(prefixes) == 13
    assert sorted(kinds) == sorted(kind for kind in EmailKind if kind.startswith("account-"))


def test_optional_kinds_are_kinds_and_only_they_are_optional():
    assert sorted(kind for kind in EmailKind if kind.optional) == sorted(OptionalEmail.values)
    assert EmailKind("decision-offered").template == "decision_offered"
