"""The vocabulary's code -> label and code -> order maps."""

from __future__ import annotations

from diary import vocabulary as vocab


def test_labels_cover_every_list_given():
    labels = vocab.labels(vocab.TIMINGS, vocab.CONTEXT_TAGS)
    assert labels["night"] == vocab.TIMINGS[-1].label
    assert labels["new_shoes"] == next(t.label for t in vocab.CONTEXT_TAGS if t.code == "new_shoes")
    assert len(labels) == len(vocab.TIMINGS) + len(vocab.CONTEXT_TAGS)


def test_order_follows_the_list_of_terms_or_of_codes():
    assert vocab.order(vocab.SIDES) == {"left": 0, "right": 1, "both": 2, "center": 3}
    assert vocab.order(("heel", "calf")) == {"heel": 0, "calf": 1}
    assert sorted(["night", "morning", "evening"], key=vocab.order(vocab.TIMINGS).get) == [
        "morning",
        "evening",
        "night",
    ]
