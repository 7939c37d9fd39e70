"""Schemathesis against /api/v1/openapi.json, in-process (WSGI), as a visitor and as a coordinator:
no server errors and no response that contradicts the document. Bounded for CI by
CONET_SCHEMATHESIS_EXAMPLES (examples per operation); bench/api_fuzz.py runs the long version."""

import json
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conet.api.api import api
from tests.factories import api_headers

EXAMPLES = int(os.environ.get("CONET_SCHEMATHESIS_EXAMPLES", "5"))
# bench/api_fuzz.py counts the cases here (one line per request sent).
COUNT_FILE = os.environ.get("CONET_SCHEMATHESIS_COUNT_FILE")
# What the issue asks: no server error, and no response that contradicts the document (its status
# code, content type, headers and body), and no operation that ignores a wrong token. Left out:
# schemathesis's guesses of which requests "should" succeed, which a random slug (a 404) fails.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    ignored_auth,
]


class _DjangoApp:
    """Django's WSGI handler, built at the first request: by then the suite has switched the HTTPS
    redirect off (SecurityMiddleware reads it once, when the handler is built)."""

    handler = None

    def __call__(self, environ, start_response):
        if self.handler is None:
            self.handler = get_wsgi_application()
        return self.handler(environ, start_response)


# The document as the API serves it (the same function answers /api/v1/openapi.json).
schema = schemathesis.openapi.from_dict(
    json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))
)
schema.app = _DjangoApp()


@pytest.fixture(autouse=True)
def _keep_the_test_transaction(db):
    # Django's WSGI handler closes the database connection after each request, which would end
    # the test's transaction; its test client keeps it open the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _count(response, who: str, case) -> None:
    if COUNT_FILE:
        with open(COUNT_FILE, "a") as count:
            count.write(f"{response.status_code}\t{who}\t{case.operation.label}\n")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_as_visitor_and_coordinator(case, people, network, city):
    response = case.call()
    _count(response, "visitor", case)
    case.validate_response(response, checks=CHECKS)
    headers = api_headers(people["network_coordinator"])
    response = case.call(headers=headers)
    _count(response, "coordinator", case)
    case.validate_response(response, checks=CHECKS, headers=headers)
