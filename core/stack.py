"""Room on the interpreter's frame stack for a long-lived call: a worker's request loop.

CPython 3.11 keeps the frames of Python functions in chunks of 16 KB, taken from
the operating system with mmap. A chunk is given back the moment its first frame
returns, so a call that repeatedly crosses the edge of a chunk maps and unmaps
16 KB each time (CPython issue gh-142183, "Calls across stack chunks perform
badly"; fixed in 3.13 and 3.14 by keeping one chunk, not in 3.11 or 3.12).

Rendering a page is such a call: its template nodes recurse many levels deep. Under
gunicorn, whose own frames fill the first chunk to a depth where that recursion
keeps crossing, a list page made some 2,000 mmap/munmap pairs and as many page
faults, for 60 % more CPU than the same page rendered from a shallow stack.
`with_stack_room` calls a function from a frame too large for any chunk in use,
so the interpreter opens a chunk of its own for it (512 KB, of which only the pages
used are ever touched) and the function's whole call tree lives there. Taking
that chunk costs about 10 µs, so it wraps a long-lived call, the worker's request
loop (resource_portal/workers.py), rather than each request.
"""

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

# Slots of 8 bytes: a frame of 256 KB needs a chunk of 512 KB (chunks double from
# 16 KB), which leaves the callees about 250 KB.
ROOM = 32_768


def _call_in_own_chunk(function, args, kwargs):
    return function(*args, **kwargs)


# A larger evaluation stack than the code needs is never used, only reserved.
_call_in_own_chunk.__code__ = _call_in_own_chunk.__code__.replace(
    co_stacksize=_call_in_own_chunk.__code__.co_stacksize + ROOM
)


def with_stack_room(function: Callable[P, R]) -> Callable[P, R]:
    """`function`, with its whole call tree in a frame-stack chunk of its own."""

    @functools.wraps(function)
    def called_with_room(*args: P.args, **kwargs: P.kwargs) -> R:
        return _call_in_own_chunk(function, args, kwargs)

    return called_with_room
