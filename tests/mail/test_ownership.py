"""Mail owns its rows: the apps above it read through mail's selectors and write through its services, and
inside mail only the state machine moves a status."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
MAIL = ROOT / "cohort_site" / "mail"
APPS = [
    ROOT / "applications",
    ROOT / "sessions_app",
    ROOT / "pairings",
    ROOT / "learning",
    ROOT / "cohort_site",
]
MODELS = {"OutgoingEmail", "EmailAttachment", "EmailOptOut"}


def source_files(folders):
    for folder in folders:
        for path in folder.rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_no_app_above_mail_queries_its_models():
    offenders = []
    for path in source_files(APPS):
        if path.is_relative_to(MAIL):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in {"objects", "_default_manager"}
                and isinstance(node.value, ast.Name)
                and node.value.id in MODELS
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")

    assert offenders == []


def status_writes(path: Path) -> list[str]:
    """Where a file sets `status` on an email: `.update(status=…)`, `.create(status=…)`, `x.status = …`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"update", "create", "bulk_create"}
            and any(k.arg == "status" for k in node.keywords)
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.func.attr}")
        if isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr == "status":
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} assignment")
    return found


def test_only_the_state_machine_moves_an_emails_status():
    writes = [write for path in sorted(source_files([MAIL])) for write in status_writes(path)]

    # The state machine's one update, and the row's birth in email_store (with initial_status's answer).
    assert [write.split(":")[0] for write in writes] == [
        "cohort_site/mail/services/queue.py",
        "cohort_site/mail/services/status.py",
    ]
