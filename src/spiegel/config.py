"""Settings: one pydantic-settings class, read from ``SPIEGEL_*`` environment variables.

Nothing is read at import time: call :func:`get_settings` (or build ``Settings(...)``
yourself in tests).
"""

from __future__ import annotations

import json
import string
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_SECRET = "development-only-secret-change-me"
MAKE_SECRET_COMMAND = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'
XLSX_MAX_ROWS = 250_000
XLSX_MAX_UNPACKED_MB = 100


class Settings(BaseSettings):
    """All of Spiegel's settings. Each field is an environment variable ``SPIEGEL_<NAME>``."""

    model_config = SettingsConfigDict(
        env_prefix="SPIEGEL_",
        env_file=None,
        extra="ignore",
        hide_input_in_errors=True,  # errors never print the secret key or a password
    )

    database_url: str = Field(
        default="sqlite:///spiegel.db",
        description="SQLAlchemy URL of the database. Default: the SQLite file spiegel.db in "
        "the working directory. Production: postgresql+psycopg://user@host/db.",
    )
    environment: Literal["development", "production", "test"] = Field(
        default="development",
        description="development, test or production. Production refuses default secrets.",
    )
    secret_key: str = Field(
        default=DEFAULT_SECRET,
        description="Key that signs form (CSRF) tokens, location links and known-browser "
        "cookies. In production at least 32 random bytes: 43 or more URL-safe characters or "
        "64 hex digits.",
    )
    instrument_dirs: Annotated[list[Path], NoDecode] = Field(
        default_factory=list,
        description="Extra directories with questionnaire files (YAML), searched after the "
        "built-in library. Separate several with ':' (or give a JSON list) in the "
        "environment variable.",
    )
    echo_sql: bool = Field(default=False, description="Log every SQL statement (debugging).")
    public_url: str = Field(
        default="http://localhost:8000",
        description="Address respondents reach Spiegel at (scheme, host, optional path), used "
        "in survey links, mail-merge files and QR codes, e.g. https://survey.example.org. "
        "Unset: spiegel serve (and the demo) use the address they are started on "
        "(--host, --port); other commands http://localhost:8000.",
    )

    # --- staff access / invitations by e-mail (added with the admin pages) ---
    smtp_url: str | None = Field(
        default=None,
        description="Mail server for sending survey invitations, e.g. "
        "smtp+starttls://user:password@mail.example.org:587?from=enquete@example.org "
        "(smtp:// plain, smtps:// TLS). Unset: the admin page offers the mail-merge file only.",
    )

    # --- survey integrity: submissions through location links (docs/getting-started.md §5) ---
    submit_limit_per_link: int = Field(
        default=300,
        ge=0,
        description="Responses one location link takes per hour, per worker process: this "
        "many at once, then again as many per hour. 0 turns the limit off.",
    )
    submit_limit_per_client: int = Field(
        default=60,
        ge=0,
        description="Responses one client address (IPv6: its /64 network) sends through one "
        "location link per hour, per worker process: this many at once, then again as many "
        "per hour. 0 turns the limit off.",
    )

    # --- imports (added with survey-tool exports) ---
    xlsx_max_rows: int = Field(
        default=XLSX_MAX_ROWS,
        gt=0,
        description="The most data rows an Excel (.xlsx) import reads; a larger sheet is "
        "refused with a message (save it as CSV instead).",
    )
    xlsx_max_unpacked_mb: int = Field(
        default=XLSX_MAX_UNPACKED_MB,
        gt=0,
        description="The most megabytes an Excel (.xlsx) workbook may unpack to; checked "
        "before it is opened, so a small file cannot take the server's memory.",
    )

    @field_validator("instrument_dirs", mode="before")
    @classmethod
    def _split_dirs(cls, value: object) -> object:
        if isinstance(value, str):
            if value.strip().startswith("["):
                return [Path(p) for p in json.loads(value)]
            return [Path(p) for p in value.split(":") if p]
        return value

    @field_validator("database_url")
    @classmethod
    def _normalise_url(cls, value: str) -> str:
        # Accept the plain forms people paste and use the psycopg 3 driver for PostgreSQL.
        for prefix in ("postgres://", "postgresql://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix) :]
        return value

    @model_validator(mode="after")
    def _refuse_weak_secret(self) -> Settings:
        if self.environment == "production":
            problem = secret_key_problem(self.secret_key)
            if problem is not None:
                raise ValueError(
                    f"SPIEGEL_SECRET_KEY is not safe for production (SPIEGEL_ENVIRONMENT="
                    f"production): {problem}. It needs at least 32 random bytes: 43 or more "
                    "URL-safe characters (64 hex digits). Make one with: "
                    f"{MAKE_SECRET_COMMAND}"
                )
        return self


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` holds fewer than 32 random bytes' worth, or ``None`` when it will do.

    A key of digits only needs 78 characters, of hex digits only 64, any other 43 (what
    ``secrets.token_urlsafe(32)`` gives). A key of fewer than 8 different characters, or
    one that repeats a pattern, is refused whatever its length.
    """
    if not key:
        return "it is empty"
    if key == DEFAULT_SECRET:
        return "it is the development default"
    if key.isdigit():
        needed, kind = 78, "digits"
    elif all(c in string.hexdigits for c in key):
        needed, kind = 64, "hex digits"
    else:
        needed, kind = 43, "characters"
    if len(key) < needed:
        return f"it has {len(key)} {kind if len(key) != 1 else kind[:-1]}, fewer than {needed}"
    different = len(set(key))
    if different < 8:
        plural = "s" if different != 1 else ""
        return f"it has only {different} different character{plural}"
    if any(key[step:] == key[:-step] for step in range(1, len(key) // 2 + 1)):
        return "it repeats a pattern"
    return None


class SettingsError(ValueError):
    """A setting is missing or wrong; the message names the environment variable."""


def get_settings(**overrides: object) -> Settings:
    """Read the settings from the environment, with explicit overrides on top.

    Raises :class:`SettingsError` with one line per problem (``SPIEGEL_NAME: what is
    wrong``), without pydantic's decoration and never with the value itself.
    """
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            message = str(error["msg"]).removeprefix("Value error, ")
            place = ".".join(str(p) for p in error["loc"])
            lines.append(f"SPIEGEL_{place.upper()}: {message}" if place else message)
        raise SettingsError("\n".join(lines)) from None


def sqlite_url(path: Path | str) -> str:
    """The SQLAlchemy URL of a SQLite file at ``path``."""
    return f"sqlite:///{Path(path).resolve()}"
