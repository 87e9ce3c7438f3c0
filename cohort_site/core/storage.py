"""Uploaded files on disk, never left half-written."""

from django.core.files.storage import FileSystemStorage


class CompleteFileSystemStorage(FileSystemStorage):
    """Django's file storage, except that a file which could not be written whole (a full disk, a quota) is removed
    before the error goes on: no empty or truncated receipt is left behind for nobody to find."""

    def _save(self, name, content):
        existed = self.exists(
            name
        )  # save() chose a free name; if it was taken after all, leave that file alone
        try:
            return super()._save(name, content)
        except OSError:
            if not existed and self.exists(name):
                self.delete(name)
            raise
