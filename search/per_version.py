"""A value read from the database once per published version, in each process.

Every change a visitor could see raises the published version (`poc_catalogue.published_cache`),
which a request reads once: a value kept under it costs a search no query until the next change,
in any process, and is never older than the pages stored for that version.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from poc_catalogue.published_cache import published_version

Value = TypeVar("Value")


class PerPublishedVersion(Generic[Value]):
    def __init__(self, load: Callable[[], Value]) -> None:
        self.load = load
        self._lock = threading.Lock()
        self._cached: tuple[str, Value] | None = None

    def get(self) -> Value:
        version = published_version()
        with self._lock:
            if self._cached is not None and self._cached[0] == version:
                return self._cached[1]
        loaded = self.load()
        with self._lock:
            self._cached = (version, loaded)
        return loaded

    def forget(self) -> None:
        with self._lock:
            self._cached = None
