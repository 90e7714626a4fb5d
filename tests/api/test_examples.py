"""The OpenAPI description's examples are the API's own answers."""

import json

import pytest

from api.examples import examples_generate, examples_load

pytestmark = pytest.mark.django_db


def test_the_schema_examples_are_what_the_api_answers_now(seeded):
    """After a change to what the API answers, `manage.py api_examples` writes
    the examples anew (api/examples.json)."""
    assert examples_generate() == examples_load(), (
        "api/examples.json no longer matches the API: run manage.py api_examples"
    )


def example_values(node) -> list:
    """Every example value in an OpenAPI document."""
    if isinstance(node, list):
        return [value for item in node for value in example_values(item)]
    if not isinstance(node, dict):
        return []
    found = [
        example["value"]
        for example in node.get("examples", {}).values()
        if isinstance(example, dict) and "value" in example
    ]
    return found + [value for item in node.values() for value in example_values(item)]


def test_the_schema_shows_the_examples(client):
    response = client.get("/api/v1/schema/", headers={"accept": "application/json"})
    values = example_values(json.loads(response.content))
    examples = examples_load()
    assert examples["reads"]["regions"]["detail"] in values
    assert examples["writes"]["potentials"] in values
    assert examples["errors"]["Status does not allow it"] in values
