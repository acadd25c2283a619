"""Messages that cross from the training worker thread to the lesson screen.

Each carries the ``run_id`` of the experiment instance that produced it, so a
frame from a run that was replaced (parameters changed, reset) is ignored.
Frames are immutable (see ``experiments.base.Frame``), safe to pass between threads.
"""

from __future__ import annotations

from textual.message import Message

from tui_workshop.experiments.base import Frame


class FrameReady(Message, bubble=False):
    """A new frame of the running experiment; a backlog collapses to the newest."""

    def __init__(self, frame: Frame, run_id: int, final: bool = False) -> None:
        super().__init__()
        self.frame = frame
        self.run_id = run_id
        self.final = final

    def can_replace(self, message: Message) -> bool:
        # Never drop a final frame: it carries the end of a run.
        return (
            isinstance(message, FrameReady)
            and message.run_id == self.run_id
            and not message.final
        )


class RunStopped(Message, bubble=False):
    """The worker's loop ended: finished, paused or cancelled."""

    def __init__(self, run_id: int, steps: int, done: bool) -> None:
        super().__init__()
        self.run_id = run_id
        self.steps = steps
        self.done = done


class RunFailed(Message, bubble=False):
    """The experiment raised inside the worker; ``error`` is a one-line summary."""

    def __init__(self, run_id: int, error: str) -> None:
        super().__init__()
        self.run_id = run_id
        self.error = error
