"""Production settings: `check --deploy` is clean with HTTPS on, switches come from the environment,
no secret is tracked by git, weak passwords are refused."""

from __future__ import annotations

import json
import os
import re
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from tests.factories import UserFactory

REPO = Path(__file__).resolve().parents[2]


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in {"BIOPLAN_TESTING", "DEBUG", "SECRET_KEY", "HTTPS"}
    }
    env.update(DJANGO_SETTINGS_MODULE="bioplan.settings", PYTHONPATH=str(REPO / "src"), **extra)
    return env


def _secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(50))


def _settings(tmp_path: Path, **env: str) -> dict[str, object]:
    """Selected settings as a fresh process sees them with ``env``."""
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k, None) for k in "
        "['DEBUG','SECURE_SSL_REDIRECT','SECURE_HSTS_SECONDS','SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE',"
        "'SECURE_PROXY_SSL_HEADER','SECURE_HSTS_INCLUDE_SUBDOMAINS','X_FRAME_OPTIONS','SESSION_COOKIE_HTTPONLY']}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=_env(BIOPLAN_VAR_DIR=str(tmp_path), **env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def _check_deploy(tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=_env(
            SECRET_KEY=_secret_key(),
            ALLOWED_HOSTS="bioplan.example",
            HTTPS="1",
            BIOPLAN_VAR_DIR=str(tmp_path),
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_has_no_security_warning_with_https(tmp_path):
    result = _check_deploy(tmp_path)
    assert not re.findall(r"\(security\.[WE]\d+\)", result.stdout + result.stderr), (
        result.stdout + result.stderr
    )


def test_check_deploy_is_clean_with_https(tmp_path):
    result = _check_deploy(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_https_switch_turns_on_hsts_redirect_and_secure_cookies(tmp_path):
    on = _settings(tmp_path, SECRET_KEY=_secret_key(), HTTPS="1")
    assert on["DEBUG"] is False
    assert on["SECURE_SSL_REDIRECT"] is True
    assert on["SECURE_HSTS_SECONDS"] == 31536000 and on["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert on["SESSION_COOKIE_SECURE"] is True and on["CSRF_COOKIE_SECURE"] is True
    assert on["SESSION_COOKIE_HTTPONLY"] is True and on["X_FRAME_OPTIONS"] == "DENY"
    assert on["SECURE_PROXY_SSL_HEADER"] is None  # a proxy header is trusted only when asked for

    off = _settings(tmp_path, SECRET_KEY=_secret_key())
    assert (off["SECURE_SSL_REDIRECT"], off["SECURE_HSTS_SECONDS"], off["SESSION_COOKIE_SECURE"]) == (
        False,
        0,
        False,
    )


def test_proxy_ssl_header_is_opt_in(tmp_path):
    behind = _settings(
        tmp_path, SECRET_KEY=_secret_key(), HTTPS="1", SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto"
    )
    assert behind["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=_env(BIOPLAN_VAR_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    key = _secret_key()
    (tmp_path / "key").write_text(key + "\n", encoding="utf-8")
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=_env(BIOPLAN_VAR_DIR=str(tmp_path), SECRET_KEY_FILE=str(tmp_path / "key")),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.stdout.strip() == key, out.stderr


# ------------------------------------------------------------------------- secrets in git
SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----"),
    "AWS key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "Django secret key": re.compile(r"SECRET_KEY\s*=\s*['\"](?!insecure-development-key)[^'\"$\s]{20,}['\"]"),
    "password in a URL": re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@'\"]+:(?!\$|\{|<)[^@\s/'\"]{3,}@"),
    "assigned credential": re.compile(
        r"(?i)\b(?:api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret|secret[_-]?key)\b"
        r"\s*[:=]\s*['\"](?!insecure-development-key)[A-Za-z0-9+/=_\-]{24,}['\"]"
    ),
}
SECRET_FILES = re.compile(r"(^|/)(\.env|secret_key|id_rsa|id_ed25519|.*\.pem|.*\.key|.*\.p12|.*\.pfx)$")


def _tracked_files() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True, timeout=60)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: the tracked-files scan runs in the repository only")
    return [name for name in out.stdout.decode().split("\0") if name]


def test_no_secret_is_tracked_by_git():
    found = []
    for name in _tracked_files():
        if SECRET_FILES.search(name):
            found.append(f"{name}: a file that holds secrets")
            continue
        path = REPO / name
        if not path.is_file() or path.stat().st_size > 2_000_000 or "/static/vendor/" in name:
            continue
        text = path.read_bytes().decode("utf-8", errors="ignore")
        for label, pattern in SECRET_PATTERNS.items():
            for match in pattern.finditer(text):
                found.append(f"{name}: {label}: {match.group(0)[:40]}…")
    assert not found, "\n".join(found)


def test_secret_patterns_catch_what_they_should():
    # Samples are assembled at run time, so this file does not itself contain what the scan looks for.
    key = "k3j4h5g6f7d8" + "s9a0q1w2e3r4t5y6u7i8"
    assert SECRET_PATTERNS["Django secret key"].search(f'SECRET_KEY = "{key}"')
    assert not SECRET_PATTERNS["Django secret key"].search('SECRET_KEY = os.environ.get("SECRET_KEY", "")')
    assert SECRET_PATTERNS["password in a URL"].search(
        "postgres://bioplan:" + "Sup3rS3cret" + "@db:5432/bioplan"
    )
    assert not SECRET_PATTERNS["password in a URL"].search("postgres://postgres@127.0.0.1:5432/bioplan")
    assert SECRET_FILES.search("var/secret_key") and SECRET_FILES.search("deploy/server.key")


def test_var_directory_is_ignored_by_git():
    _tracked_files()
    result = subprocess.run(["git", "check-ignore", "-q", "var/secret_key"], cwd=REPO, timeout=60)
    assert result.returncode == 0


# ------------------------------------------------------------------------- passwords
@pytest.mark.parametrize("weak", ["12345678901", "password123", "short1!", "zhangwei2026", "qwertyuiop"])
def test_weak_passwords_are_refused(db, weak):
    user = UserFactory(username="zhangwei2026", first_name="Wei", last_name="Zhang")
    with pytest.raises(ValidationError):
        validate_password(weak, user)
    form = SetPasswordForm(user, {"new_password1": weak, "new_password2": weak})
    assert not form.is_valid()
    assert form.errors["new_password2"]


def test_a_long_unusual_password_is_accepted(db):
    user = UserFactory(username="zhangwei")
    validate_password("青浦-生物医药-行动方案-2026-河马", user)
