"""Security headers: a Content-Security-Policy that runs only our own scripts (and the page's
nonce-marked ones), a Permissions-Policy, and templates that need nothing more."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[2] / "linli"


def test_pages_send_a_strict_policy_and_mark_their_own_scripts(
    subdistrict, make_user, client_for
) -> None:
    page = client_for(make_user("handler", subdistrict)).get(reverse("registry:map"))
    policy = page["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert "script-src 'self' 'nonce-" in policy and "unsafe-eval" not in policy
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert f'<script type="module" nonce="{nonce}">' in page.content.decode()
    assert "camera=(self)" in page["Permissions-Policy"]


def test_no_template_needs_an_inline_handler_or_an_unmarked_script() -> None:
    offending = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"\son[a-z]+=|hx-on", text):
            offending.append(f"{path.name}: inline event handler")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and "nonce=" not in tag and "application/json" not in tag:
                offending.append(f"{path.name}: {tag}")
    assert offending == []
