"""Runtime settings, read from the environment (prefix ``TRUCELINE_``).

Add a setting here rather than reading ``os.environ`` elsewhere, so that every
knob is documented in one place (``docs/configuration.md`` is checked against it).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """All settings of a truceline installation."""

    model_config = SettingsConfigDict(env_prefix="TRUCELINE_", extra="ignore")

    data_dir: Path = Field(
        default=Path("var"),
        description="Directory for the embedded database, evidence files and local state.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL. Default: an SQLite file in data_dir. "
        "Use postgresql+psycopg://user@host/db for PostgreSQL/PostGIS.",
    )
    keys_dir: Path | None = Field(
        default=None,
        description="Directory holding private signing keys (never in the repo or the database). "
        "Default: data_dir/keys.",
    )
    checkpoint_origin: str = Field(
        default="truceline.af-pk/audit",
        description="Origin line of signed audit checkpoints.",
    )

    @property
    def resolved_database_url(self) -> str:
        """The database URL in force, defaulting to the embedded SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'truceline.sqlite3').resolve()}"

    @property
    def resolved_keys_dir(self) -> Path:
        return self.keys_dir or (self.data_dir / "keys")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached; tests call ``get_settings.cache_clear()``)."""
    return Settings()
