"""Phone forms for a treatment event and the weekly check-in (CONTRACT §8)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from diary import outcomes as terms
from diary.models import CheckIn, TreatmentEvent, User


def _today(user: User) -> date:
    return timezone.now().astimezone(user.zone).date()


def _options(form: forms.Form, name: str, labels: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Radio options the templates draw as chips: id, name, value, label, checked."""
    current = form[name].value()
    return [
        {
            "id": f"id_{name}_{index}",
            "name": form.add_prefix(name),
            "value": value,
            "label": label,
            "checked": str(current) == str(value),
        }
        for index, (value, label) in enumerate(labels)
    ]


class TreatmentForm(forms.Form):
    kind = forms.ChoiceField(
        label="What changed?",
        choices=[(t.code, t.label) for t in terms.TREATMENT_KINDS],
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label="Name",
        max_length=terms.TREATMENT_NAME_MAX,
        help_text="For example “Pregabalin 75 mg twice a day” or “Epidural steroid injection”.",
    )
    started_on = forms.DateField(
        label="On which day?", widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(
        label="Notes (optional)",
        max_length=terms.TREATMENT_NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, user: User, instance: TreatmentEvent | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": instance.kind,
                "name": instance.name,
                "started_on": instance.started_on,
                "notes": instance.notes,
            }
        super().__init__(*args, **kwargs)
        self.user = user
        today = _today(user)
        self.fields["started_on"].initial = self.fields["started_on"].initial or today
        # The browser's date picker stops at the patient's today as well.
        self.fields["started_on"].widget.attrs["max"] = today.isoformat()

    def clean_started_on(self) -> date:
        value: date = self.cleaned_data["started_on"]
        if value > _today(self.user):
            raise forms.ValidationError("This date is in the future; use today or earlier.")
        return value

    @property
    def kind_options(self) -> list[dict[str, Any]]:
        return _options(self, "kind", [(t.code, t.label) for t in terms.TREATMENT_KINDS])


class CheckInForm(forms.Form):
    """This week's four 0-6 answers and the global change; the week comes from the view."""

    global_change = forms.ChoiceField(
        label=terms.GLOBAL_CHANGE_QUESTION,
        choices=[(t.code, t.label) for t in terms.GLOBAL_CHANGES],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, instance: CheckIn | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{code: getattr(instance, code) for code in terms.CHECKIN_ITEM_CODES},
                "global_change": instance.global_change,
            }
        super().__init__(*args, **kwargs)
        for item in terms.CHECKIN_ITEMS:
            self.fields[item.code] = forms.TypedChoiceField(
                label=item.question,
                coerce=int,
                choices=[(n, str(n)) for n in range(terms.ITEM_MIN, terms.ITEM_MAX + 1)],
                widget=forms.RadioSelect,
                error_messages={"required": "Choose a number from 0 to 6."},
            )
        self.order_fields([*terms.CHECKIN_ITEM_CODES, "global_change"])

    @property
    def items(self) -> list[dict[str, Any]]:
        """Each question with its 0-6 options (the number shown, the words for readers)."""
        return [
            {
                "code": item.code,
                "question": item.question,
                "errors": self.errors.get(item.code),
                "options": _options(
                    self,
                    item.code,
                    [(str(n), terms.BOTHER_SCALE[n]) for n in range(terms.ITEM_MAX + 1)],
                ),
            }
            for item in terms.CHECKIN_ITEMS
        ]

    @property
    def global_options(self) -> list[dict[str, Any]]:
        return _options(self, "global_change", [(t.code, t.label) for t in terms.GLOBAL_CHANGES])

    def answers(self) -> dict[str, Any]:
        """The cleaned answers as `checkin_save` takes them."""
        return {
            **{code: self.cleaned_data[code] for code in terms.CHECKIN_ITEM_CODES},
            "global_change": self.cleaned_data["global_change"],
        }
