"""HTTP headers: the security headers on every response, and which forwarded headers of a proxy are believed.

Every response (pages, API, errors, static files) carries a Content-Security-Policy that allows no inline script
or style, X-Frame-Options DENY, X-Content-Type-Options nosniff, Referrer-Policy same-origin and a Permissions-Policy
(Flask-Talisman); Strict-Transport-Security when the request came over HTTPS; and `Cache-Control: no-store` on
everything except the static files (and the favicon at /favicon.ico), since pages and API answers show identity
numbers.

A view may set any of these headers on its own response and keep it (an evidence file's sandboxing CSP).
"""
from __future__ import annotations

from flask import Flask, Response, request
from flask_talisman import DENY, Talisman
from werkzeug.datastructures import Headers
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",  # Bootstrap's stylesheet draws its icons (close button, select arrow) as data: SVGs
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
PERMISSIONS_POLICY = {feature: "()" for feature in ("camera", "microphone", "geolocation", "payment", "usb")}
HSTS = "max-age=31536000; includeSubDomains"  # one year, as browsers' preload lists expect


class ViewFirstTalisman(Talisman):
    """Talisman whose headers are defaults: a header the view already set on its response is left as it is."""

    def _set_response_headers(self, response: Response) -> Response:
        own = Headers(response.headers)
        super()._set_response_headers(response)
        for name in {name for name, _value in own}:
            response.headers.setlist(name, own.getlist(name))
        return response


talisman = ViewFirstTalisman()


def init(app: Flask) -> None:
    """Believe the proxies configured in PROXY_FIX_X_FOR / _X_PROTO / _X_HOST (counts, 0 = none) and set the
    security headers on every response."""
    trust_proxies(app)
    talisman.init_app(
        app,
        force_https=False,  # TLS ends at the proxy, which redirects plain HTTP itself
        # Talisman would believe any client's X-Forwarded-Proto; add_transport_and_cache_headers trusts
        # request.is_secure, which ProxyFix sets only from a configured proxy.
        strict_transport_security=False,
        frame_options=DENY,
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy="same-origin",
        permissions_policy=PERMISSIONS_POLICY,
        # The session cookie's flags are registry.config's; Talisman is told to leave them as they are.
        session_cookie_secure=False,
        session_cookie_http_only=False,
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
    )
    app.after_request(add_transport_and_cache_headers)


def trust_proxies(app: Flask) -> None:
    """Wrap the WSGI app in werkzeug's ProxyFix when any PROXY_FIX_X_* count is above 0, so that
    request.remote_addr (the sign-in throttle's key), request.is_secure and request.host are the client's."""
    counts = {part: int(app.config.get(f"PROXY_FIX_X_{part.upper()}", 0)) for part in ("for", "proto", "host")}
    if any(counts.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=counts["for"], x_proto=counts["proto"], x_host=counts["host"])


# Answers that are files of static/ and so carry no personal data.
STATIC_ENDPOINTS = frozenset({"static", "main.favicon"})


def add_transport_and_cache_headers(response: Response) -> Response:
    """HSTS over HTTPS; `no-store` on every answer but a static file (which carries no personal data)."""
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if request.endpoint not in STATIC_ENDPOINTS or response.status_code >= 400:
        response.cache_control.no_store = True
    return response
