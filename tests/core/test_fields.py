"""Serializers whose fields are built once per class (issue 15): each instance still owns and
binds its copies, so context, partial and nested validation behave as DRF's own."""

from __future__ import annotations

import copy

import pytest
from rest_framework import serializers

from core.fields import BoundedListField, FieldsBuiltOnceMixin


class Point(FieldsBuiltOnceMixin, serializers.Serializer):
    x = serializers.IntegerField(min_value=0, max_value=9)
    y = serializers.IntegerField(min_value=0, max_value=9)

    def validate(self, attrs: dict) -> dict:
        if attrs.get("x") == attrs.get("y") == 0:
            raise serializers.ValidationError({"y": "Not the origin."})
        return attrs


class Shape(FieldsBuiltOnceMixin, serializers.Serializer):
    name = serializers.CharField(max_length=5)
    points = Point(many=True, required=False)
    tags = BoundedListField(child=serializers.ChoiceField(choices=["a", "b"]), max_length=2)

    def validate_name(self, value: str) -> str:
        if value == self.context.get("taken"):
            raise serializers.ValidationError("Taken.")
        return value


class PlainShape(serializers.Serializer):
    """The same fields built DRF's way, to compare errors with."""

    name = serializers.CharField(max_length=5)
    points = serializers.ListSerializer(child=copy.deepcopy(Point()), required=False)
    tags = BoundedListField(child=serializers.ChoiceField(choices=["a", "b"]), max_length=2)


def test_the_fields_are_built_once_and_copied_per_instance(monkeypatch):
    first = Shape()
    first.fields  # noqa: B018 - builds the templates
    built = []
    monkeypatch.setattr(copy, "deepcopy", lambda *a, **k: built.append(a) or a[0])
    second, third = Shape(), Shape()
    assert built == []  # no deep copy for later instances
    for name in ("name", "points", "tags"):
        assert second.fields[name] is not third.fields[name]
        assert second.fields[name].parent is second
        assert third.fields[name].parent is third
    assert second.fields["points"].child is not third.fields["points"].child
    assert second.fields["points"].child.root is second
    assert second.fields["tags"].child.parent is second.fields["tags"]
    assert second.fields["points"].child.fields["x"].root is second


@pytest.mark.parametrize(
    "data",
    [
        {"name": "toolong", "points": [{"x": 10, "y": 1}], "tags": ["c"]},
        {"name": "ok", "points": [{"x": 0, "y": 0}, {"x": 1}], "tags": ["a", "b", "a"]},
        {"name": "ok", "points": "nope", "tags": "a"},
        {"points": [{"y": "two"}]},
    ],
)
def test_errors_are_drfs_own(data):
    ours, theirs = Shape(data=data), PlainShape(data=data)
    assert not ours.is_valid()
    assert not theirs.is_valid()
    assert ours.errors == theirs.errors


def test_each_instance_reads_its_own_context():
    data = {"name": "box", "points": [], "tags": []}
    assert not Shape(data=data, context={"taken": "box"}).is_valid()
    assert Shape(data=data, context={"taken": "cube"}).is_valid()


def test_partial_reaches_the_nested_fields_as_in_drf():
    data = {"points": [{"x": 1}]}
    ours = Shape(data=data, partial=True)
    theirs = PlainShape(data=data, partial=True)
    assert ours.is_valid() == theirs.is_valid()
    assert ours.validated_data == theirs.validated_data
    # And a later whole (not partial) instance requires them again.
    data = {"name": "a", "points": [{"x": 1}], "tags": []}
    whole, plain = Shape(data=data), PlainShape(data=data)
    assert not whole.is_valid()
    assert not plain.is_valid()
    assert whole.errors == plain.errors
    assert "y" in whole.errors["points"][0]
