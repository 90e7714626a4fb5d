"""The gunicorn worker the portal is served by: gunicorn's sync worker, its
request loop in a frame-stack chunk of its own (core/stack.py). gunicorn is told
so on its command line: `--worker-class resource_portal.workers.SyncWorker`.
"""

from gunicorn.workers.sync import SyncWorker as GunicornSyncWorker

from core.stack import with_stack_room


class SyncWorker(GunicornSyncWorker):
    def run(self) -> None:
        # The loop never returns while the worker serves: its one chunk is taken
        # once per process, and no request crosses a chunk's edge.
        with_stack_room(super().run)()
