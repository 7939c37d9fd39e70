"""The progress bar of the `conet` commands that take a while (imports, reindexing).

One line per label: redrawn in place on a terminal, ended when the label is done or changes; in a
log (not a terminal) a line at the start, at each tenth and at the end, never a redraw.

    bar = ProgressBar(self.stderr._out)      # the raw stream: the bar writes its own line ends
    bar("practice", done, total)
    bar.close()
"""

import time


class ProgressBar:
    def __init__(
        self,
        stream,
        *,
        width: int = 30,
        interactive: bool | None = None,
        labels: dict[str, str] | None = None,
        label_width: int = 0,
        percent: bool = False,
        timing: bool = False,
    ):
        self.stream = stream
        self.width = width
        self.interactive = stream.isatty() if interactive is None else interactive
        self.labels = labels or {}
        self.label_width = label_width
        self.percent = percent
        self.timing = timing
        self._label: str | None = None
        self._line_open = False
        self._tenth = -1
        self._started = 0.0

    def __call__(self, label: str, done: int, total: int) -> None:
        if label != self._label:
            self.close()
            self._label, self._started, self._tenth = label, time.monotonic(), -1
        fraction = done / total if total else 1.0
        tenth = int(fraction * 10)
        if not self.interactive and tenth == self._tenth:
            return
        self._tenth = tenth
        line = self._line(label, done, total, fraction)
        if self.interactive:
            self.stream.write("\r" + line)
            self._line_open = True
            if done >= total:
                self.close()
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def _line(self, label: str, done: int, total: int, fraction: float) -> str:
        filled = int(fraction * self.width)
        parts = [
            f"{self.labels.get(label, label):<{self.label_width}}",
            f"[{'#' * filled}{'.' * (self.width - filled)}]",
        ]
        if self.percent:
            parts.append(f"{fraction:4.0%}")
        parts.append(f"{done:,}/{total:,}")
        if self.timing:
            parts.append(f"{time.monotonic() - self._started:5.1f} s")
        return " ".join(parts)

    def close(self) -> None:
        """End the current line (on a terminal); call it when the work stops early."""
        if self._line_open:
            self.stream.write("\n")
            self.stream.flush()
            self._line_open = False
