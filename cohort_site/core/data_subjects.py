"""Everything held about one person, to download or to erase: the registry of personal-data sources.

Each app (core included) says what it holds in its own `personal_data.py`, which core's AppConfig.ready imports:

    @personal_data_source("learning")
    class LearningData:
        def export(self, subject) -> dict[str, list[dict]]: ...   # section name -> rows
        def erase(self, subject) -> None: ...                     # remove name, email and free text
        def files(self, subject) -> list[tuple[str, FieldFile]]: ...  # optional: (name in the ZIP, file)

A source that others find the person through (applications, the account) sets `erase_order` higher, so it is
erased after them. Erasure keeps anonymous counts (statuses, dates, numbers) and removes what identifies the person.

A source may also say by which names and addresses the person is known (`names(subject) -> set[str]`). Other
people's rows sometimes quote them: a coffee partner's introduction email, another applicant's audit note ("X's
place came free"). After every source has erased its own rows, those quotes are replaced in every text column
(`redact_mentions`), so that afterwards no row anywhere holds the person's name or address. Emails also copy what
the person wrote (an apology's note, a challenge shared with coffee partners): a source names those texts
(`quoted(subject) -> set[str]`) and a source that stores copies (the emails) removes them (`redact_quoted(texts)`).

Staff change records in the admin, and the admin's history describes each change by the record's name. A source
says which of its records are about the person (`admin_records(subject) -> [(model, [pk, ...]), ...]`: the
account, applications, expressions of interest) so that core's admin-history source finds that history without
knowing the apps.
"""

import io
import json
import re
import zipfile
from dataclasses import dataclass
from typing import Any, Protocol

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

ERASED_NAME = "Erased person"
# A reserved top-level domain (RFC 2606): mail to it can never reach anyone; reminders leave these rows out.
ERASED_DOMAIN = "erased.invalid"


def erased_email(pk: int) -> str:
    return f"erased-{pk}@{ERASED_DOMAIN}"


def is_erased_address(email: str) -> bool:
    """Whether `email` is one that erasure put in place of a person's address: nobody reads it."""
    return email.lower().endswith(f"@{ERASED_DOMAIN}")


@dataclass(frozen=True)
class DataSubject:
    """A person, known by an email address and perhaps an account."""

    email: str
    user: Any = None

    @classmethod
    def for_user(cls, user) -> "DataSubject":
        return cls(email=user.email, user=user)


class PersonalDataSource(Protocol):
    def export(self, subject: DataSubject) -> dict[str, list[dict]]: ...

    def erase(self, subject: DataSubject) -> None: ...


_SOURCES: dict[str, PersonalDataSource] = {}


def personal_data_source(name: str):
    def register(cls):
        _SOURCES[name] = cls()
        return cls

    return register


def personal_data_sources() -> dict[str, PersonalDataSource]:
    return dict(sorted(_SOURCES.items()))


def rows(queryset: models.QuerySet, fields: list[str]) -> list[dict]:
    return [dict(row) for row in queryset.values(*fields)]


def personal_data_export(subject: DataSubject) -> dict:
    return {
        "email": subject.email,
        "exported_at": timezone.now(),
        "data": {name: source.export(subject) for name, source in personal_data_sources().items()},
    }


def personal_data_export_json(subject: DataSubject) -> str:
    """The export as the one JSON file people download (also data.json inside the ZIP)."""
    return json.dumps(personal_data_export(subject), cls=DjangoJSONEncoder, indent=2)


def personal_data_export_zip(subject: DataSubject) -> bytes:
    """data.json plus every file held about the person (receipts)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", personal_data_export_json(subject))
        for source in personal_data_sources().values():
            for name, field_file in getattr(source, "files", lambda subject: [])(subject):
                with field_file.open("rb") as handle:
                    archive.writestr(name, handle.read())
    return buffer.getvalue()


# A name is replaced in others' rows only when it cannot be an ordinary word: two words, five letters or more.
MIN_REDACTED_NAME = 5
TEXT_FIELDS = (models.CharField, models.TextField)


def personal_data_names(subject: DataSubject) -> set[str]:
    """Every name and address the person is known by, as the sources hold them now."""
    found = {subject.email}
    for source in personal_data_sources().values():
        found |= getattr(source, "names", lambda subject: set())(subject)
    return {
        value.strip()
        for value in found
        if value
        and not value.endswith(f"@{ERASED_DOMAIN}")
        and value != ERASED_NAME
        and ("@" in value or (len(value.strip()) >= MIN_REDACTED_NAME and " " in value.strip()))
    }


def personal_data_records(subject: DataSubject) -> list[tuple[type[models.Model], list[int]]]:
    """The records the sources hold about the person, as (model, primary keys), for finding their admin history."""
    return [
        (model, pks)
        for source in personal_data_sources().values()
        for model, pks in getattr(source, "admin_records", lambda subject: [])(subject)
    ]


def _whole(needle: str) -> str:
    """A pattern for the needle as a whole word or address, not inside a longer one."""
    if "@" in needle:
        return rf"(?<![\w.+-]){re.escape(needle)}(?![\w-]|\.\w)"
    return rf"(?<!\w){re.escape(needle)}(?!\w)"


def redact_mentions(needles: set[str]) -> int:
    """Replace each name or address in `needles` wherever a text column quotes it. Returns the rows changed."""
    if not needles:
        return 0
    pattern = re.compile("|".join(_whole(needle) for needle in sorted(needles, key=len, reverse=True)), re.I)

    def replacement(match: re.Match) -> str:
        return f"erased@{ERASED_DOMAIN}" if "@" in match.group(0) else ERASED_NAME

    changed = 0
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, TEXT_FIELDS) or field.choices:
                continue
            condition = models.Q()
            for needle in needles:
                condition |= models.Q(**{f"{field.attname}__icontains": needle})
            for pk, value in model.objects.filter(condition).values_list("pk", field.attname):
                redacted = pattern.sub(replacement, value)
                if field.max_length:
                    redacted = redacted[: field.max_length]
                if redacted != value:
                    model.objects.filter(pk=pk).update(**{field.attname: redacted})
                    changed += 1
    return changed


@transaction.atomic
def personal_data_erase(subject: DataSubject) -> None:
    """Remove the person's name, email and free text everywhere; the account goes last."""
    names = personal_data_names(subject)
    quoted = set()
    for source in personal_data_sources().values():
        quoted |= {text.strip() for text in getattr(source, "quoted", lambda subject: set())(subject) if text}
    sources = sorted(
        personal_data_sources().items(), key=lambda item: (getattr(item[1], "erase_order", 0), item[0])
    )
    for _name, source in sources:
        source.erase(subject)
    for _name, source in sources:
        if hasattr(source, "redact_quoted") and quoted:
            source.redact_quoted(quoted)
    redact_mentions(names)
