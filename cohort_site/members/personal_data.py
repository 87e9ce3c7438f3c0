"""Everything held about one person, to download or to erase.

Each app says what it holds in its own `personal_data.py`:

    @personal_data_source("learning")
    class LearningData:
        def export(self, subject) -> dict[str, list[dict]]: ...   # section name -> rows
        def erase(self, subject) -> None: ...                     # remove name, email and free text
        def files(self, subject) -> list[tuple[str, FieldFile]]: ...  # optional: (name in the ZIP, file)

A source that others find the person through (applications, the account) sets `erase_order` higher, so it is
erased after them. Erasure keeps anonymous counts (statuses, dates, numbers) and removes what identifies the person.
"""

import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

ERASED_NAME = "Erased person"


def erased_email(pk: int) -> str:
    return f"erased-{pk}@erased.invalid"


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


def personal_data_export_zip(subject: DataSubject) -> bytes:
    """data.json plus every file held about the person (receipts)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json", json.dumps(personal_data_export(subject), cls=DjangoJSONEncoder, indent=2)
        )
        for source in personal_data_sources().values():
            for name, field_file in getattr(source, "files", lambda subject: [])(subject):
                with field_file.open("rb") as handle:
                    archive.writestr(name, handle.read())
    return buffer.getvalue()


@transaction.atomic
def personal_data_erase(subject: DataSubject) -> None:
    """Remove the person's name, email and free text everywhere; the account goes last."""
    sources = sorted(
        personal_data_sources().items(), key=lambda item: (getattr(item[1], "erase_order", 0), item[0])
    )
    for _name, source in sources:
        source.erase(subject)


@personal_data_source("expenses")
class ExpenseData:
    def export(self, subject: DataSubject) -> dict[str, list[dict]]:
        if subject.user is None:
            return {}
        from .models import Expense

        return {
            "expense_claims": rows(
                Expense.objects.filter(claimant=subject.user),
                [
                    "pk",
                    "category",
                    "amount",
                    "spent_on",
                    "description",
                    "status",
                    "rejection_reason",
                    "created_at",
                ],
            )
        }

    def files(self, subject: DataSubject):
        if subject.user is None:
            return []
        from .models import Expense

        return [
            (f"receipts/claim-{expense.pk}.{expense.receipt.name.rsplit('.', 1)[-1]}", expense.receipt)
            for expense in Expense.objects.filter(claimant=subject.user)
        ]

    def erase(self, subject: DataSubject) -> None:
        if subject.user is None:
            return
        from .models import Expense

        # Amounts and dates stay for the accounts; what identifies the person and the receipts go.
        for expense in Expense.objects.filter(claimant=subject.user):
            expense.receipt.delete(save=False)
            expense.description = expense.rejection_reason = ""
            expense.receipt = ""
            expense.save(update_fields=["description", "rejection_reason", "receipt"])
