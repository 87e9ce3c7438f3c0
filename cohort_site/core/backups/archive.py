"""The archive file: a gzipped tar holding the database, the uploaded files and, last, `manifest.json`.

    database.pgdump | database.sqlite3     pg_dump's custom format, or a consistent copy of the SQLite file
    media/<path under MEDIA_ROOT>          every uploaded file (receipts)
    manifest.json                          what the archive holds and the checksum of every file in it

No Django here: this module writes and reads archives; what goes in them is decided in services.py.
Reading never trusts the archive: a member is written only under the folder it is unpacked into, only regular
files are accepted, and every file is checked against the manifest's size and SHA-256 before anything is restored.
"""

import datetime
import gzip
import hashlib
import io
import json
import os
import tarfile
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

from .schedule import PARTIAL_SUFFIX

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


class RestoreRefused(BackupError):
    """The target, or the archive, is not one a restore may proceed with: nothing was changed."""


@dataclass(frozen=True)
class Manifest:
    format: int
    created_at: str  # ISO 8601, UTC
    app_version: str
    # vendor ("postgresql" or "sqlite"), file (its name in the archive), server_version, dump_tool
    database: dict[str, str]
    migrations: dict[str, list[str]]  # app label -> applied migration names
    row_counts: dict[str, int]  # table -> rows
    files: dict[str, dict]  # name in the archive -> {"size": bytes, "sha256": hex}
    # An HMAC made with the site's SECRET_KEY (not the key): a restore can tell whether the new site's key is the
    # one the links already emailed were signed with.
    secret_key_check: str

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> "Manifest":
        try:
            data = json.loads(raw)
            manifest = cls(**data)
        except (ValueError, TypeError) as error:
            raise RestoreRefused(
                f"The archive's manifest cannot be read ({error}): it is corrupted."
            ) from None
        if manifest.format != FORMAT:
            raise RestoreRefused(
                f"The archive is in format {manifest.format}; this version of the site reads format {FORMAT}."
            )
        return manifest

    @property
    def media_files(self) -> dict[str, dict]:
        """Uploaded files: path under MEDIA_ROOT -> {"size", "sha256"}."""
        prefix = f"{MEDIA}/"
        return {
            name.removeprefix(prefix): entry for name, entry in self.files.items() if name.startswith(prefix)
        }

    @property
    def made_at(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.created_at)


def file_digest(path: Path) -> dict:
    """{"size", "sha256"} of a file on disk, as the manifest records it."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


class _HashingReader:
    """Reads exactly what tarfile asks for from a file and hashes it on the way, so the checksum in the
    manifest is of the bytes in the archive even if the file on disk changes meanwhile."""

    def __init__(self, stream):
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.digest.update(chunk)
        self.size += len(chunk)
        return chunk


class ArchiveWriter:
    """Writes `<path>.partial` and renames it to `path` only when complete: an archive that exists is whole.
    Readable by its owner only (it holds everyone's personal data)."""

    def __init__(self, path: Path, *, mtime: datetime.datetime):
        self.path = path
        self.partial = path.with_name(path.name + PARTIAL_SUFFIX)
        self.mtime = mtime.timestamp()
        self.files: dict[str, dict] = {}
        if path.exists():
            raise BackupError(f"{path} already exists.")
        descriptor = os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self._raw = os.fdopen(descriptor, "wb")
        self._gzip = gzip.GzipFile(fileobj=self._raw, mode="wb", compresslevel=6, mtime=int(self.mtime))
        # Closed by finish() or abandon(), which backup_create always reaches.
        self._tar = tarfile.open(fileobj=self._gzip, mode="w", format=tarfile.PAX_FORMAT)  # noqa: SIM115

    def add_file(self, name: str, source: Path) -> None:
        with source.open("rb") as stream:
            info = tarfile.TarInfo(name)
            info.size = os.fstat(stream.fileno()).st_size
            info.mtime = int(os.fstat(stream.fileno()).st_mtime)
            info.mode = 0o600
            reader = _HashingReader(stream)
            self._tar.addfile(info, reader)
        self.files[name] = {"size": reader.size, "sha256": reader.digest.hexdigest()}

    def finish(self, manifest: Manifest) -> Path:
        raw = manifest.to_json()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(raw)
        info.mtime = int(self.mtime)
        info.mode = 0o600
        self._tar.addfile(info, io.BytesIO(raw))
        self._close()
        os.replace(self.partial, self.path)
        return self.path

    def abandon(self) -> None:
        self._close()
        self.partial.unlink(missing_ok=True)

    def _close(self) -> None:
        self._tar.close()
        self._gzip.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()


def _safe_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or any(part in ("", ".", "..") for part in path.parts):
        raise RestoreRefused(f"The archive holds a file named {name!r}, outside where it may go: refused.")
    return path


def archive_unpack(archive: Path, into: Path) -> Manifest:
    """Unpack `archive` into the folder `into` and check every file against the manifest.

    Raises RestoreRefused, naming the first problem, when the archive is damaged or cut short, has no manifest, or
    a file is missing, unexpected, or not the size and checksum the manifest records.
    """
    found: dict[str, dict] = {}
    raw_manifest: bytes | None = None
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                name = str(_safe_name(member.name))
                if not member.isfile():
                    raise RestoreRefused(f"The archive holds {name}, which is not a regular file: refused.")
                source = tar.extractfile(member)
                if name == MANIFEST:
                    raw_manifest = source.read()
                    continue
                target = into / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                size = 0
                with target.open("wb") as stream:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        stream.write(chunk)
                found[name] = {"size": size, "sha256": digest.hexdigest()}
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise RestoreRefused(f"The archive {archive.name} is damaged or cut short ({error}).") from None
    if raw_manifest is None:
        raise RestoreRefused(
            f"The archive {archive.name} has no {MANIFEST}: it was cut short, or is not a backup of this site."
        )
    manifest = Manifest.from_json(raw_manifest)
    for name, expected in sorted(manifest.files.items()):
        if name not in found:
            raise RestoreRefused(f"{name} is in the manifest but not in the archive: it is corrupted.")
        if found[name] != expected:
            raise RestoreRefused(
                f"{name} does not match its checksum in the manifest: the archive is corrupted."
            )
    extra = sorted(set(found) - set(manifest.files))
    if extra:
        raise RestoreRefused(f"{extra[0]} is in the archive but not in its manifest: it is corrupted.")
    return manifest
