"""Only what tests need on top of base: fast hashing, in-memory mail."""

import atexit
import os
import shutil

from .base import *  # noqa: F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Lock-out and throttle counters per test process; cleared before each test.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Each test session gets its own folder: a file SQLite test database (so a real Celery worker
# process in tests/test_worker_e2e.py can open it too) and its own file-system broker queue,
# so test runs never leave tasks for the development worker or for each other.
TEST_RUN_DIR = VAR_DIR / "test" / f"run-{os.getpid()}"  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(TEST_RUN_DIR / "db.sqlite3")}  # noqa: F405
if CELERY_BROKER_URL.startswith("filesystem://"):  # noqa: F405
    for _sub in ("queue", "processed"):
        (TEST_RUN_DIR / "broker" / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "data_folder_in": str(TEST_RUN_DIR / "broker" / "queue"),
        "data_folder_out": str(TEST_RUN_DIR / "broker" / "queue"),
        "processed_folder": str(TEST_RUN_DIR / "broker" / "processed"),
    }
else:
    TEST_RUN_DIR.mkdir(parents=True, exist_ok=True)
atexit.register(shutil.rmtree, TEST_RUN_DIR, ignore_errors=True)
