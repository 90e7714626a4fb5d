"""The gunicorn worker serves its requests with stack room (core/stack.py)."""

from gunicorn.workers.sync import SyncWorker as GunicornSyncWorker

from resource_portal.workers import SyncWorker
from tests.helpers import REPEATED_CALLS, most_page_faults_at_one_depth


def test_the_worker_runs_gunicorns_request_loop_with_stack_room(monkeypatch):
    measured = []

    def request_loop(worker):
        measured.append(most_page_faults_at_one_depth())

    monkeypatch.setattr(GunicornSyncWorker, "run", request_loop)
    SyncWorker.run(object.__new__(SyncWorker))
    assert len(measured) == 1
    assert measured[0] < REPEATED_CALLS / 2
