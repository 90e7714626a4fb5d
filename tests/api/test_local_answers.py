"""Each process keeps the answers it served last (core/http_cache.py, LocalAnswers)."""

from django.test import override_settings

from core import http_cache as caching
from core.generation import bump_generation, current_generation
from core.http_cache import LocalAnswers

URL = "/api/v1/themes/"


def entry(generation: int, size: int) -> tuple:
    return (generation, b"x" * size, {"ETag": '"e"'})


def test_the_least_recently_used_answers_leave_first_within_the_bytes():
    answers = LocalAnswers(max_bytes=250)
    answers.put("a", entry(1, 100))
    answers.put("b", entry(1, 100))
    assert answers.get("a") == entry(1, 100)  # "a" is now the most recent
    answers.put("c", entry(1, 100))
    assert answers.get("b") is None
    assert answers.get("a") is not None and answers.get("c") is not None
    assert answers.size == 200
    answers.put("a", entry(2, 50))  # a newer answer replaces the older one
    assert answers.get("a") == entry(2, 50)
    assert answers.size == 150
    answers.put("huge", entry(1, 251))  # larger than the whole store: not kept
    assert answers.get("huge") is None


def test_an_answer_expires_with_the_shared_cache(monkeypatch):
    answers = LocalAnswers(max_bytes=1000)
    with override_settings(API_CACHE_TIMEOUT=60):
        answers.put("a", entry(1, 10))
    now = caching.time.monotonic()
    monkeypatch.setattr(caching.time, "monotonic", lambda: now + 61)
    assert answers.get("a") is None
    assert answers.size == 0


def test_a_held_answer_is_used_without_fetching_it_again(api, seeded, monkeypatch):
    asked = []
    fetch = caching.get_many_and_count

    def spy(keys, counters):
        asked.append(list(keys))
        return fetch(keys, counters)

    monkeypatch.setattr(caching, "get_many_and_count", spy)
    first = api.get(URL)
    again = api.get(URL)
    assert again.content == first.content
    # The first read asked for the answer; the second for nothing: the version,
    # read from the database, says the answer it holds is still current.
    assert [len(keys) for keys in asked] == [1, 0]


def test_a_held_answer_of_an_older_generation_is_never_served(api, seeded):
    first = api.get(URL)
    [key] = caching.local_answers.answers
    # Another process changed the data: the generation moved on.
    bump_generation()
    generation = current_generation()
    fresh = api.get(URL)
    assert fresh.status_code == 200 and fresh.content == first.content
    assert caching.local_answers.get(key)[0] == generation
