"""Following the project's active jobs: poll, store, wait longer while nothing moves.

The poller reads which jobs are still moving from the project itself, so a job launched
before the app was closed is followed again as soon as the project is opened. Each round
polls every active job in one worker (status, events, and on success the loss curve, all
stored by `JobFollower`), then waits as `Backoff` says: briefly while jobs move, up to a
minute while they sit in a queue. A launch whose answer never came back (the app closed
mid-launch) is looked up, never re-sent: pressing Launch again settles it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer, Signal

from tunedeck.core.errors import UserError
from tunedeck.core.fine_tune import Backoff, JobFollower, ProjectLedger
from tunedeck.core.remote import Launcher, Provider
from tunedeck.core.storage.job_store import JobStore
from tunedeck.ui.connections import Connections
from tunedeck.ui.launch.tasks import Tasks

UNSETTLED = (
    "A launch did not hear back from the provider, and no job was found for it. To finish "
    "it, press Launch fine-tune again with the same settings: it continues that launch and "
    "never starts a second job."
)


@dataclass
class Round:
    """What one round of polling found."""

    changed: set[tuple[str, str]] = field(default_factory=set)  # (profile id, job id)
    problems: list[str] = field(default_factory=list)


class JobPoller(QObject):
    """Polls the project's active jobs until none is left.

    Signals:
        polled(object): A round ended (a Round); the project holds the news.
        problem(str): Something stopped a poll (the network, a removed profile); said once
            until it changes, and polling goes on.
    """

    polled = Signal(object)
    problem = Signal(str)

    def __init__(
        self,
        jobs: JobStore,
        connections: Connections,
        backoff: tuple[float, float] = (2.0, 60.0),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._jobs = jobs
        self._connections = connections
        self._backoff = Backoff(*backoff)
        self._tasks = Tasks(self)
        self._said: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.poll_now)
        self._closed = False
        self._look_up_launches = True  # once after opening: unsettled launches

    @property
    def active(self) -> bool:
        """Whether a round is running or scheduled."""
        return self._tasks.busy or self._timer.isActive()

    def start(self) -> None:
        """Follow whatever is active now (on opening, and after a launch)."""
        self._backoff.delay = self._backoff.shortest
        self._look_up_launches = True
        if not self._tasks.busy:
            self.poll_now()

    def poll_now(self) -> None:
        """Run one round now (unless one is running)."""
        self._timer.stop()
        if self._closed or self._tasks.busy:
            return
        targets: dict[str, list[str]] = defaultdict(list)
        for stored in self._jobs.active_jobs():
            targets[stored.profile].append(stored.job_id)
        open_launches = set()
        if self._look_up_launches:
            self._look_up_launches = False
            open_launches = {launch.profile for launch in self._jobs.open_launches()}
        if not targets and not open_launches:
            return
        providers: dict[str, Provider] = {}
        problems = []
        for profile_id in set(targets) | open_launches:
            try:
                providers[profile_id] = self._connections.provider(
                    self._connections.profile(profile_id)
                )
            except KeyError:
                problems.append(
                    "A job was launched with a provider profile that has since been removed; "
                    "add the profile again to follow it."
                )
            except UserError as error:
                problems.append(str(error))
        jobs = self._jobs

        def job(_post, cancel) -> Round:
            found = Round(problems=list(problems))
            for profile_id, provider in providers.items():
                with provider:
                    settle = profile_id in open_launches
                    ids = targets.get(profile_id, [])
                    _poll_profile(jobs, provider, ids, settle, cancel, found)
            return found

        self._tasks.run(job, finished=self._on_round, failed=self._on_failed)

    def close(self) -> None:
        """Stop polling and wait for a running round to end."""
        self._closed = True
        self._timer.stop()
        self._tasks.close()

    def wait(self) -> None:
        self._tasks.wait()

    def _on_round(self, found: Round) -> None:
        self.polled.emit(found)
        self._say(" ".join(found.problems) or None)
        self._schedule(bool(found.changed))

    def _on_failed(self, message: str) -> None:
        self._say(f"Could not update the jobs: {message}")
        self._schedule(False)

    def _schedule(self, changed: bool) -> None:
        if self._closed:
            return
        if self._jobs.active_jobs():
            self._timer.start(int(self._backoff.next(changed) * 1000))

    def _say(self, message: str | None) -> None:
        if message != self._said:
            self._said = message
            if message:
                self.problem.emit(message)


def _poll_profile(
    jobs: JobStore, provider: Provider, job_ids: list[str], settle: bool, cancel, found: Round
) -> None:
    """Poll one provider's jobs, and look up its unsettled launches (worker thread)."""
    profile_id = provider.profile.id
    try:
        if settle:
            ledger = ProjectLedger(jobs, profile_id)
            launcher = Launcher(provider, ledger)
            for intent in ledger.open_intents():
                job = launcher.find(intent)
                if job is None:
                    found.problems.append(UNSETTLED)
                    continue
                ledger.record_job(intent.id, job.id)  # it was created after all: follow it
                job_ids.append(job.id)
                found.changed.add((profile_id, job.id))
        follower = JobFollower(jobs, provider)
        for job_id in job_ids:
            if cancel.is_set():
                return
            poll = follower.poll(job_id)
            if poll.changed:
                found.changed.add((profile_id, job_id))
    except UserError as error:
        found.problems.append(
            f"Could not update the jobs on {provider.profile.name}: {error} TuneDeck keeps "
            "trying, waiting longer between tries."
        )
