"""FHIR test support: snapshot builders, and validation against R4 4.0.1.

Validation uses fhir.resources 6.4 (its R4 models) in its own venv.

fhir.resources 8.x (our venv) validates R4B only, and 6.4.x, the last release with R4
models, needs pydantic < 2. So the first test that asks builds a small venv under
`var/fhir-r4-venv` from the package index and later runs reuse it (a marker file holds the
pins it was built with). The tests skip only when the package index cannot be reached; any
other failure to build is a test failure. See docs/decisions.md.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from itertools import count
from pathlib import Path

import pytest

from diary.outcomes import CheckInSnapshot, TreatmentSnapshot
from diary.rules.base import Location
from reports.fhir import EntryRecord, FhirExport, PatientRecord

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / "var" / "fhir-r4-venv"
PINS: tuple[str, ...] = ("fhir.resources==6.4.0", "pydantic==1.10.27", "email-validator==2.4.0")
# What pip prints when it cannot reach the index at all (as opposed to a broken pin).
UNREACHABLE = (
    "NewConnectionError",
    "NameResolutionError",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "ProxyError",
    "ConnectTimeoutError",
    "ReadTimeoutError",
    "Connection refused",
)
# Reads a JSON list of Bundles on stdin, prints a JSON list of error texts ("" = valid).
_VALIDATE = """
import json, sys
from fhir.resources import __fhir_version__
from fhir.resources.bundle import Bundle
assert __fhir_version__ == "4.0.1", __fhir_version__
out = []
for data in json.load(sys.stdin):
    try:
        Bundle.parse_obj(data)
        out.append("")
    except Exception as exc:
        out.append(str(exc) or repr(exc))
print(json.dumps(out))
"""


@dataclass(frozen=True)
class R4Validator:
    python: Path

    def errors(self, *bundles: dict) -> list[str]:
        """One error text per Bundle, "" for a valid one."""
        done = subprocess.run(
            [str(self.python), "-c", _VALIDATE],
            input=json.dumps(list(bundles)),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def assert_valid(self, *bundles: dict) -> None:
        errors = [e for e in self.errors(*bundles) if e]
        assert errors == [], "\n".join(errors)


def _build() -> str | None:
    """Create the venv; None on success, else pip's output."""
    shutil.rmtree(VENV, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, timeout=300)
    done = subprocess.run(
        [
            str(VENV / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--no-input",
            "--quiet",
            "--retries",
            "2",
            "--timeout",
            "20",
            *PINS,
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode == 0:
        return None
    shutil.rmtree(VENV, ignore_errors=True)
    return done.stdout + done.stderr


@cache
def _prepare() -> R4Validator | tuple[str, str]:
    VENV.parent.mkdir(parents=True, exist_ok=True)
    marker = VENV / "pins.txt"
    wanted = "\n".join(PINS)
    # A lock: parallel test processes must not build the same venv at once.
    with (VENV.parent / "fhir-r4-venv.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (marker.is_file() and marker.read_text() == wanted):
            failure = _build()
            if failure is not None:
                unreachable = any(sign in failure for sign in UNREACHABLE)
                return ("skip" if unreachable else "fail", failure)
            marker.write_text(wanted)
    return R4Validator(python=VENV / "bin" / "python")


def r4_validator() -> R4Validator:
    """The R4 validator, building its venv once; skips only if the index is unreachable."""
    outcome = _prepare()  # cached, failures too: one attempt per test run
    if isinstance(outcome, R4Validator):
        return outcome
    kind, output = outcome
    if kind == "skip":
        pytest.skip(f"package index unreachable, R4 validator not built: {output[-2000:]}")
    pytest.fail(f"could not build the R4 validator venv:\n{output}")


def entry_record(
    *,
    occurred_at: datetime = datetime(2026, 1, 15, 11, 15, tzinfo=UTC),
    timezone: str = "Europe/Berlin",
    timing: str = "afternoon",
    intensity: int = 6,
    locations: tuple[tuple[str, str], ...] = (("calf", "left"),),
    pain_types: tuple[str, ...] = ("burning",),
    activity: str = "sitting",
    red_flags: tuple[str, ...] = (),
    context: tuple[str, ...] = (),
    notes: str = "",
) -> EntryRecord:
    """One entry snapshot for the pure FHIR tests, with a fresh id."""
    return EntryRecord(
        id=str(uuid.uuid4()),
        occurred_at=occurred_at,
        timezone=timezone,
        timing=timing,
        intensity=intensity,
        locations=tuple(Location(region, side) for region, side in locations),
        pain_types=pain_types,
        activity=activity,
        red_flags=red_flags,
        context=context,
        notes=notes,
    )


_row_ids = count(1)


def treatment(
    kind: str = "injection",
    name: str = "Epidural steroid injection",
    started_on: date = date(2026, 1, 12),
    notes: str = "",
) -> TreatmentSnapshot:
    """One treatment event snapshot with a fresh row id."""
    return TreatmentSnapshot(
        id=next(_row_ids), kind=kind, name=name, started_on=started_on, notes=notes
    )


def export_of(
    *entries: EntryRecord,
    public_id: uuid.UUID | None = None,
    treatments: tuple[TreatmentSnapshot, ...] = (),
    checkins: tuple[CheckInSnapshot, ...] = (),
) -> FhirExport:
    """A patient's export holding these entries, treatments and check-ins."""
    return FhirExport(
        patient=PatientRecord(public_id=public_id or uuid.uuid4()),
        entries=entries,
        treatments=treatments,
        checkins=checkins,
    )


def resources_by_url(bundle: dict) -> dict[str, dict]:
    """Each entry's resource by its fullUrl."""
    return {item["fullUrl"]: item["resource"] for item in bundle["entry"]}


def references_in(value: object) -> Iterator[str]:
    """Every `reference` string anywhere inside a resource."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "reference" and isinstance(item, str):
                yield item
            else:
                yield from references_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from references_in(item)
