"""Where the API lives: its URL prefix, and telling an API request from a page's by its path.

Outside the `registry.api` package so that the error pages and the session handling can ask
without importing the API's handlers.
"""
from __future__ import annotations

from flask import Request

API_ROOT = "/api"
URL_PREFIX = API_ROOT + "/v1"


def is_api_request(request: Request) -> bool:
    """Whether a request is for the API (anything under /api/); known from its path, so also before routing
    and for unknown URLs."""
    return request.path == API_ROOT or request.path.startswith(API_ROOT + "/")
