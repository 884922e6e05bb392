"""Settings: one pydantic-settings class, read from ``SPIEGEL_*`` environment variables.

Nothing is read at import time: call :func:`get_settings` (or build ``Settings(...)``
yourself in tests).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_SECRET = "development-only-secret-change-me"
XLSX_MAX_ROWS = 250_000
XLSX_MAX_UNPACKED_MB = 100


class Settings(BaseSettings):
    """All of Spiegel's settings. Each field is an environment variable ``SPIEGEL_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="SPIEGEL_", env_file=None, extra="ignore")

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
        description="Key that signs session cookies and CSRF tokens. Must be set in production.",
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
        "in survey links, mail-merge files and QR codes, e.g. https://survey.example.org.",
    )

    # --- staff access / invitations by e-mail (added with the admin pages) ---
    smtp_url: str | None = Field(
        default=None,
        description="Mail server for sending survey invitations, e.g. "
        "smtp+starttls://user:password@mail.example.org:587?from=enquete@example.org "
        "(smtp:// plain, smtps:// TLS). Unset: the admin page offers the mail-merge file only.",
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
    def _refuse_default_secret(self) -> Settings:
        if self.environment == "production" and self.secret_key == DEFAULT_SECRET:
            raise ValueError(
                "SPIEGEL_SECRET_KEY must be set to a long random value in production "
                "(SPIEGEL_ENVIRONMENT=production)"
            )
        return self


def get_settings(**overrides: object) -> Settings:
    """Read the settings from the environment, with explicit overrides on top."""
    return Settings(**overrides)  # type: ignore[arg-type]


def sqlite_url(path: Path | str) -> str:
    """The SQLAlchemy URL of a SQLite file at ``path``."""
    return f"sqlite:///{Path(path).resolve()}"
