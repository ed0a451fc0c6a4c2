"""Migration 0002_user_public_id: existing accounts each get their own public id."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def _targets() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    # Found by name, so the test holds when the migration is renumbered at merge.
    graph = MigrationExecutor(connection).loader.graph
    (node,) = [n for n in graph.nodes if n[0] == "diary" and n[1].endswith("_user_public_id")]
    parents = sorted(p for p in graph.node_map[node].parents if p[0] == "diary")
    return [p.key for p in parents], [node]


@pytest.mark.django_db(transaction=True)
def test_existing_accounts_get_distinct_public_ids() -> None:
    before, after = _targets()
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_user = executor.loader.project_state(before).apps.get_model("diary", "User")
    for n in range(3):
        old_user.objects.create(email=f"existing{n}@example.com", password="!")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new_user = executor.loader.project_state(after).apps.get_model("diary", "User")

    public_ids = list(new_user.objects.values_list("public_id", flat=True))
    assert len(public_ids) == 3
    assert all(isinstance(value, uuid.UUID) for value in public_ids)
    assert len(set(public_ids)) == 3
    # Leave the schema as every other test expects it.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db
def test_new_accounts_get_a_fresh_public_id() -> None:
    from tests.factories import UserFactory

    first, second = UserFactory(), UserFactory()

    assert isinstance(first.public_id, uuid.UUID)
    assert first.public_id != second.public_id
