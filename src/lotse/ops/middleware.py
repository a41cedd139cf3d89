from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from lotse.ops.logs import reset_log_request, set_log_request
from lotse.ops.metrics import observe_request

access_log = logging.getLogger("lotse.access")

# Probes and scrapes every few seconds would drown the access log; they are still counted.
QUIET_VIEWS = {"healthz", "readyz", "metrics"}


def view_label(request: HttpRequest) -> str:
    """A bounded label: the URL name (or route), never the path with its ids."""
    match = request.resolver_match
    if match is None:
        return "unmatched"
    return match.view_name or match.route or "unnamed"


class ObservabilityMiddleware:
    """One access line (JSON in production) and the request metrics for every request.

    Sits right after the request id middleware so that it times everything below it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        token = set_log_request(request)
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            view = view_label(request)
            observe_request(
                view=view, method=request.method or "-", status=response.status_code,
                seconds=seconds,
            )  # fmt: skip
            if view not in QUIET_VIEWS:
                access_log.info(
                    "%s %s %s", request.method, view, response.status_code,
                    extra={
                        "method": request.method,
                        # The route, not the path: paths of the worker's upload link and the
                        # calendar feed carry secret tokens, query strings may carry a name.
                        "path": request.resolver_match.route if request.resolver_match else "-",
                        "view": view,
                        "status": response.status_code,
                        "duration_ms": round(seconds * 1000, 1),
                    },
                )  # fmt: skip
            return response
        finally:
            reset_log_request(token)
