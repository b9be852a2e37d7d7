"""The console's history file: private to its owner, and free of over-long lines."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from prompt_toolkit.history import FileHistory


class PrivateHistory(FileHistory):
    """Console history readable by its owner only (questions can be personal), and without
    lines too long to be questions (they would be refused anyway, and bloat the file).
    """

    def __init__(self, path: Path, max_chars: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        with contextlib.suppress(OSError):  # an older history file may be readable by all
            os.chmod(path, 0o600)
        self.max_chars = max_chars
        super().__init__(str(path))

    def store_string(self, string: str) -> None:
        """Append ``string`` to the file unless it is longer than a question may be."""
        if len(string) <= self.max_chars:
            super().store_string(string)
