"""Which live sources a deployment loads: one YAML file, overridden by environment variables.

`orchestration.settings` reads the environment and hands the relevant variables in; this
module only interprets them, so it stays testable with plain dicts. A connector is *active*
when it has what it needs (TMDb credentials, a dataset location) and its section does not
say `enabled: false`. Credentials are `SecretStr`: they print as '**********'.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

DEFAULT_TMDB_URL = "https://api.themoviedb.org/3"


class _Section(BaseModel):
    # A misspelt key is an error naming it, not a silently ignored setting.
    model_config = ConfigDict(extra="forbid", frozen=True)


class TmdbConfig(_Section):
    enabled: bool | None = None
    base_url: str = DEFAULT_TMDB_URL
    api_key: SecretStr | None = None
    api_token: SecretStr | None = None
    requests_per_second: float = Field(20.0, gt=0)
    timeout_s: float = Field(10.0, gt=0)
    max_retries: int = Field(5, ge=0)
    backoff_s: float = Field(0.5, ge=0)
    cache_ttl_s: dict[Literal["trending", "discover", "details"], float] = Field(
        default_factory=lambda: {"trending": 3600, "discover": 86400, "details": 604800}
    )
    trending_windows: tuple[Literal["day", "week"], ...] = ("day", "week")
    trending_pages: int = Field(1, ge=1, le=500)
    discover_years: tuple[int, ...] = ()
    discover_pages: int = Field(5, ge=1, le=500)
    details_batch_limit: int = Field(200, ge=1)

    @property
    def active(self) -> bool:
        return self.enabled is not False and (
            self.api_key is not None or self.api_token is not None
        )


class ImdbDatasetsConfig(_Section):
    enabled: bool | None = None
    location: str | None = None
    title_types: tuple[str, ...] = ("movie",)
    chunk_rows: int = Field(100_000, ge=1)

    @property
    def active(self) -> bool:
        return self.enabled is not False and bool(self.location)


class MovielensArchiveConfig(_Section):
    enabled: bool | None = None
    location: str | None = None
    chunk_rows: int = Field(200_000, ge=1)

    @property
    def active(self) -> bool:
        return self.enabled is not False and bool(self.location)


class SourcesConfig(_Section):
    tmdb: TmdbConfig = TmdbConfig()
    imdb_datasets: ImdbDatasetsConfig = ImdbDatasetsConfig()
    movielens_archive: MovielensArchiveConfig = MovielensArchiveConfig()
    # Where responses and downloads are cached; set by the caller (a data folder).
    cache_dir: Path | None = None


# Environment variable -> (section, field) it sets.
ENV_OVERRIDES = {
    "TMDB_API_KEY": ("tmdb", "api_key"),
    "TMDB_API_TOKEN": ("tmdb", "api_token"),
    "CINEGRAPH_IMDB_DATASETS": ("imdb_datasets", "location"),
    "CINEGRAPH_MOVIELENS_ARCHIVE": ("movielens_archive", "location"),
}


def load_sources_config(
    path: Path | None, env: Mapping[str, str] | None = None, cache_dir: Path | None = None
) -> SourcesConfig:
    """Read the YAML file (absent file: every connector off), then apply the environment."""
    document: dict = {}
    if path is not None and Path(path).exists():
        document = yaml.safe_load(Path(path).read_text()) or {}
        if not isinstance(document, dict):
            raise ValueError(f"{path}: expected a mapping of source sections")
        if "api_key" in (document.get("tmdb") or {}) or "api_token" in (document.get("tmdb") or {}):
            raise ValueError(
                f"{path}: TMDb credentials belong in TMDB_API_KEY / TMDB_API_TOKEN, "
                "not in the sources file"
            )
    for name, value in (env or {}).items():
        if name in ENV_OVERRIDES and value:
            section, key = ENV_OVERRIDES[name]
            document.setdefault(section, {})
            document[section] = {**(document[section] or {}), key: value}
    try:
        return SourcesConfig(**document, cache_dir=cache_dir)
    except ValidationError as error:
        # pydantic never echoes SecretStr values, so the message is safe to show.
        raise ValueError(f"{path or 'sources config'}: {error}") from None
