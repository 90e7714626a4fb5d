"""A call with stack room keeps its call tree in a frame-stack chunk of its own
(core/stack.py)."""

import sys

import pytest

from core.stack import with_stack_room
from tests.helpers import (
    REPEATED_CALLS,
    calls_to_depth,
    most_page_faults_at_one_depth,
)


def test_a_call_with_stack_room_returns_and_raises_as_the_function():
    def divide(a, b=1):
        return a / b

    roomy = with_stack_room(divide)
    assert roomy(6, b=3) == 2
    assert roomy.__name__ == "divide"
    with pytest.raises(ZeroDivisionError):
        roomy(1, b=0)


def test_recursion_at_a_chunk_edge_maps_no_memory_with_stack_room():
    """One chunk for the whole run: the pages it touches fault once, not once per
    call."""
    most = most_page_faults_at_one_depth(with_stack_room(calls_to_depth))
    assert most < REPEATED_CALLS / 2


@pytest.mark.skipif(
    sys.version_info >= (3, 13),
    reason="CPython 3.13 and later keep a chunk at the edge (gh-142183)",
)
def test_recursion_at_a_chunk_edge_maps_memory_on_every_call_without_it():
    """The measure above sees the cost it guards against."""
    assert most_page_faults_at_one_depth(calls_to_depth) >= REPEATED_CALLS
