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
    sqlite_busy_timeout_seconds: float = Field(
        default=60.0,
        gt=0,
        description="On SQLite, how long a write waits for another writer to finish before it "
        "fails (and the web request is retried), in seconds.",
    )
    db_pool_size: int = Field(
        default=10,
        ge=1,
        description="PostgreSQL connections each process keeps open (each `serve` worker has "
        "its own pool: keep workers x (pool size + overflow) below the server's max_connections).",
    )
    db_max_overflow: int = Field(
        default=10,
        ge=0,
        description="PostgreSQL connections each process may open beyond db_pool_size under load.",
    )
    request_transactions: int = Field(
        default=24,
        ge=1,
        le=36,
        description="Requests of one worker process that may hold a database session at once; "
        "the others wait their turn without holding a thread. Must stay below the 40 threads "
        "that run routes, so that a request holding a lock can always finish.",
    )
    concurrent_writes: int = Field(
        default=4,
        ge=1,
        le=36,
        description="Write requests (POST, PUT, PATCH, DELETE) one worker process runs at once; "
        "the others wait in order of arrival, holding no thread or connection. Writes take "
        "turns for the audit log anyway: admitting more only makes each wait longer for a CPU.",
    )
    db_pool_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        description="How long a request waits for a free database connection before it is "
        "answered 503, in seconds.",
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
    session_ttl_minutes: int = Field(
        default=480,
        ge=1,
        description="Lifetime of a web session after sign-in, in minutes (server-side; "
        "the cookie carries only a random id).",
    )
    session_cookie_secure: bool = Field(
        default=False,
        description="Mark the session cookie Secure (sent over HTTPS only). Turn on behind TLS.",
    )
    login_max_failures: int = Field(
        default=5,
        ge=1,
        description="Consecutive failed sign-ins after which an account is locked.",
    )
    login_lockout_minutes: int = Field(
        default=15,
        ge=1,
        description="How long a locked account stays locked, in minutes.",
    )
    login_rate_per_minute: float = Field(
        default=10.0,
        gt=0,
        description="Sign-in attempts allowed per client per minute (token bucket; "
        "bursts up to the same number), beyond which sign-in answers 429.",
    )
    intake_rate_per_minute: float = Field(
        default=30.0,
        gt=0,
        description="Submissions allowed per user (or per client when anonymous) per minute "
        "on intake endpoints, beyond which they answer 429.",
    )
    intake_path_prefixes: list[str] = Field(
        default=["/api/intake", "/intake"],
        description="URL path prefixes of intake endpoints whose unsafe requests are rate-limited.",
    )
    sms_sender_rate_per_minute: float = Field(
        default=6.0,
        gt=0,
        description="Short messages accepted per sender number per minute on the community "
        "channel; messages beyond it are stored and held for review.",
    )
    max_body_bytes: int = Field(
        default=10 * 1024 * 1024,
        ge=1024,
        description="Largest request body accepted, in bytes; larger requests get 413.",
    )
    api_token_ttl_days: int = Field(
        default=90,
        ge=1,
        description="Default lifetime of a new API token, in days.",
    )
    public_location_precision_km: float = Field(
        default=5.0,
        gt=0,
        description="Grid size, in km, to which public outputs coarsen locations near "
        "small villages, so that a report cannot point at one household.",
    )
    small_village_population: int = Field(
        default=5000,
        ge=0,
        description="Places with fewer inhabitants than this count as small villages "
        "whose locations public outputs coarsen.",
    )

    checkpoint_interval_seconds: float = Field(
        default=60.0,
        gt=0,
        description="How often `serve` signs an audit checkpoint when entries are not yet "
        "covered and a log key is available, in seconds (one worker does it).",
    )
    outbox_interval_seconds: float = Field(
        default=15.0,
        gt=0,
        description="How often `serve` drains the notification outbox, in seconds.",
    )
    clock_scan_interval_seconds: float = Field(
        default=300.0,
        gt=0,
        description="How often `serve` re-checks the cooling-off clocks against stored "
        "incidents, in seconds.",
    )
    trusted_proxies: list[str] = Field(
        default=[],
        description="Addresses or networks (CIDR) of reverse proxies whose X-Forwarded-For "
        "and X-Forwarded-Proto headers are believed. Default none: the headers are ignored "
        "and the client is the peer of the connection.",
    )
    smtp_host: str | None = Field(
        default=None,
        description="SMTP server for warning emails; unset means email notifications stay queued.",
    )
    smtp_port: int = Field(default=25, ge=1, le=65535, description="Port of the SMTP server.")
    smtp_sender: str = Field(
        default="truceline@localhost",
        description="From address of warning emails.",
    )
    notification_max_attempts: int = Field(
        default=6,
        ge=1,
        description="Delivery attempts of a webhook or email before it is marked failed.",
    )
    webhook_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Timeout of one webhook delivery attempt, in seconds."
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
