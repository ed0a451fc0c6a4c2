"""Run by tests/config/test_cache_deploy.py in separate processes: POSTs, prints the statuses.

Usage: python tests/config/cache_probe.py '[["/api/auth/token/", {...}, "10.0.0.1"], ...]'
or `... cache_probe.py backend` to print the configured cache backend.
"""

import json
import sys

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

if sys.argv[1] == "backend":
    print(settings.CACHES["default"]["BACKEND"])
    sys.exit(0)

statuses = []
for path, data, address in json.loads(sys.argv[1]):
    response = Client(REMOTE_ADDR=address).post(path, data, content_type="application/json")
    statuses.append(response.status_code)
print(json.dumps(statuses))
