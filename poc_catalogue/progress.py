"""One progress display for every long command: a tqdm bar on stderr, fed by the
`(done, total)` callbacks the loaders and the indexer call.

A new total starts a new bar, so one callback can follow several phases (load, then rebuild).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from tqdm import tqdm

Progress = Callable[[int, int], None]


@contextmanager
def progress_bar(unit: str, stream: TextIO | None = None) -> Iterator[Progress]:
    bar: tqdm | None = None

    def report(done: int, total: int) -> None:
        nonlocal bar
        if bar is None or bar.disable or bar.total != total:
            if bar is not None:
                bar.close()
            bar = tqdm(
                total=total,
                unit=f" {unit}",
                file=stream or sys.stderr,
                mininterval=0.5,
                dynamic_ncols=True,
            )
        bar.update(done - bar.n)
        if done >= total:
            bar.close()  # the rate shown is this phase's, not the time until the command ends

    try:
        yield report
    finally:
        if bar is not None:
            bar.close()
