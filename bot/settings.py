"""All of Sitrep's configuration, read from the environment and `.env`.

This is the only module that reads configuration; every setting is documented line by line
in `.env.example`. Secrets are `SecretStr`, so they never show up in logs or reprs.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DISCORD_API = "https://discord.com/api/v10"
DEFAULT_DISCORD_GATEWAY = "wss://gateway.discord.gg/"
DEFAULT_SLACK_API = "https://slack.com/api/"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    # Storage
    database_path: Path = Field(Path("data/sitrep.db"), alias="SITREP_DB")
    gazetteer_path: Path = Field(Path("data/gazetteer.db"), alias="SITREP_GAZETTEER_DB")
    seeds_dir: Path = Field(Path("seeds"), alias="SITREP_SEEDS_DIR")

    # Fetching
    allow_private_urls: bool = Field(False, alias="SITREP_ALLOW_PRIVATE_URLS")
    max_response_bytes: int = Field(5 * 1024 * 1024, alias="SITREP_MAX_RESPONSE_BYTES", gt=0)
    fetch_timeout: float = Field(20.0, alias="SITREP_FETCH_TIMEOUT", gt=0)
    user_agent: str = Field(
        "Sitrep/0.1 (+https://github.com/sitrep-bot/sitrep)", alias="SITREP_USER_AGENT"
    )
    default_poll_minutes: int = Field(30, alias="SITREP_POLL_MINUTES", ge=1)
    per_host_concurrency: int = Field(2, alias="SITREP_PER_HOST_CONCURRENCY", ge=1)
    pause_after_failures: int = Field(10, alias="SITREP_PAUSE_AFTER_FAILURES", ge=1)

    # Briefings
    timezone: str = Field("UTC", alias="SITREP_TIMEZONE")
    delivery_grace_hours: float = Field(6.0, alias="SITREP_DELIVERY_GRACE_HOURS", ge=0)
    admin_user_ids: str = Field("", alias="SITREP_ADMIN_USER_IDS")
    admin_role: str = Field("", alias="SITREP_ADMIN_ROLE")
    admin_channel: str = Field("", alias="SITREP_ADMIN_CHANNEL")
    log_level: str = Field("INFO", alias="SITREP_LOG_LEVEL")

    # Discord
    discord_token: SecretStr | None = Field(None, alias="DISCORD_TOKEN")
    discord_guild_id: int | None = Field(None, alias="DISCORD_GUILD_ID")
    discord_application_id: int | None = Field(None, alias="DISCORD_APPLICATION_ID")
    discord_api_url: str = Field(DEFAULT_DISCORD_API, alias="SITREP_DISCORD_API_URL")
    discord_gateway_url: str = Field(DEFAULT_DISCORD_GATEWAY, alias="SITREP_DISCORD_GATEWAY_URL")

    # Slack
    slack_bot_token: SecretStr | None = Field(None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(None, alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(DEFAULT_SLACK_API, alias="SITREP_SLACK_API_URL")
    slack_http_port: int = Field(3000, alias="SITREP_SLACK_HTTP_PORT", ge=0, le=65535)
    slack_http_host: str = Field("0.0.0.0", alias="SITREP_SLACK_HTTP_HOST")

    @field_validator(
        "discord_token", "slack_bot_token", "slack_signing_secret", "slack_app_token", mode="before"
    )
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("discord_guild_id", "discord_application_id", mode="before")
    @classmethod
    def _blank_id_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("slack_api_url")
    @classmethod
    def _slack_base_ends_with_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    @property
    def admin_ids(self) -> frozenset[str]:
        return frozenset(part.strip() for part in self.admin_user_ids.split(",") if part.strip())

    @property
    def admin_channels(self) -> dict[str, str]:
        """Admin channel per platform, from `discord:123,slack:C456` (a bare id: every platform)."""
        channels: dict[str, str] = {}
        for part in self.admin_channel.split(","):
            platform, sep, channel = part.strip().partition(":")
            if not part.strip():
                continue
            if sep and platform.lower() in {"discord", "slack", "console"}:
                channels[platform.lower()] = channel.strip()
            else:
                for name in ("discord", "slack", "console"):
                    channels.setdefault(name, part.strip())
        return channels

    @property
    def discord_enabled(self) -> bool:
        return self.discord_token is not None

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment and `.env`; keyword overrides win (for tests)."""
    return Settings(**overrides)  # type: ignore[arg-type]
