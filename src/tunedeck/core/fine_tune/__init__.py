"""A project's fine-tunes: launched once, recorded in the project, followed to the end (no Qt).

`core.remote` talks to providers; `core.storage.JobStore` keeps records. This package joins
them: ProjectLedger is the launcher's ledger on the project database, and JobFollower polls a
job and stores its status, events and loss curve, so that the jobs view reads the project and
a restarted app picks up where it left off.
"""

from tunedeck.core.fine_tune.follow import Backoff, JobFollower, Poll
from tunedeck.core.fine_tune.ledger import ProjectLedger
from tunedeck.core.fine_tune.snapshot import job_from_snapshot, job_snapshot
from tunedeck.core.fine_tune.step_events import points_from_events, total_steps

__all__ = [
    "Backoff",
    "JobFollower",
    "Poll",
    "ProjectLedger",
    "job_from_snapshot",
    "job_snapshot",
    "points_from_events",
    "total_steps",
]
