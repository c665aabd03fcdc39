"""Every setting Cinegraph reads from the environment, read here and nowhere else.

With no configuration the project runs on its own embedded PostgreSQL under
`.cinegraph/` in the project folder. `CINEGRAPH_DATABASE_URL` points the
warehouse, dbt and Dagster's run storage at an external server instead.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

if TYPE_CHECKING:
    from ingest.config import SourcesConfig


PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"

DEFAULT_PORT = 54329
SUPERUSER = "postgres"
BI_ROLE = "bi_reader"
# The console's role: reads, plus the app-table writes its pages make (migration 0012).
CONSOLE_ROLE = "console_app"
WAREHOUSE_DATABASE = "cinegraph"
DAGSTER_DATABASE = "dagster"

# The schemas the project owns. dbt builds staging/intermediate/marts; Python assets write
# raw, app and ml, and the month partitions of ml.metric_timeseries into ml_partitions.
SCHEMAS = ("raw", "staging", "intermediate", "marts", "app", "ml", "ml_partitions")

# Variables that choose the live sources (see ingest/config.py); some are secrets.
SOURCE_ENV_VARS = (
    "TMDB_API_KEY",
    "TMDB_API_TOKEN",
    "CINEGRAPH_IMDB_DATASETS",
    "CINEGRAPH_MOVIELENS_ARCHIVE",
)


@dataclass(frozen=True)
class Connection:
    """Where a PostgreSQL database is, in the pieces both psycopg2 and dbt want."""

    host: str
    port: int
    user: str
    password: str = field(repr=False)  # never in a log line or a traceback's locals
    database: str

    @property
    def url(self) -> str:
        auth = quote(self.user, safe="")
        if self.password:
            auth += ":" + quote(self.password, safe="")
        return f"postgresql://{auth}@{self.host}:{self.port}/{self.database}"

    def with_database(self, database: str) -> Connection:
        return Connection(self.host, self.port, self.user, self.password, database)

    def redacted_url(self) -> str:
        """The URL with any password masked, safe for logs and `cinegraph status`."""
        if not self.password:
            return self.url
        return self.url.replace(":" + quote(self.password, safe="") + "@", ":***@")


def read_secret(path: Path) -> str:
    """A generated password kept in a 0600 file (see `orchestration.warehouse`); "" when absent."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        return ""


def parse_database_url(url: str) -> Connection:
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise ValueError("CINEGRAPH_DATABASE_URL must be a postgresql:// URL")
    database = parts.path.lstrip("/") or WAREHOUSE_DATABASE
    return Connection(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password or ""),
        database=database,
    )


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    port: int
    external_url: str | None
    dbt_target: str
    ratings_inbox: Path
    sources_config: Path = PROJECT_ROOT / "config" / "sources.yaml"
    source_env: dict[str, str] = field(default_factory=dict, repr=False)  # holds secrets
    llm_url: str | None = None  # an OpenAI-compatible API base for the companion's extractor
    llm_model: str | None = None
    llm_api_key: str = field(default="", repr=False)
    # The one seed every model's randomness derives from (casting heads and calibration folds,
    # taste clusters, the companion's rating model, learned-weight bootstraps): the same data
    # and seed give the same models and metrics.
    model_seed: int = 0

    @property
    def embedded(self) -> bool:
        return self.external_url is None

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "pgdata"

    @property
    def casting_dir(self) -> Path:
        """Casting model versions, the pipeline's IO files and the slates of `cinegraph slate`."""
        return self.data_dir / "casting"

    @property
    def superuser_password_file(self) -> Path:
        """The embedded server's generated superuser password, written at initdb (0600)."""
        return self.data_dir / "superuser.password"

    @property
    def bi_password_file(self) -> Path:
        """The read-only BI role's generated password (0600); `cinegraph status` prints it."""
        return self.data_dir / f"{BI_ROLE}.password"

    @property
    def console_password_file(self) -> Path:
        """The console role's generated password (0600), read by `cinegraph console`."""
        return self.data_dir / f"{CONSOLE_ROLE}.password"

    @property
    def dagster_home(self) -> Path:
        return Path(os.environ.get("DAGSTER_HOME") or self.data_dir / "dagster_home")

    @property
    def warehouse(self) -> Connection:
        if self.external_url:
            return parse_database_url(self.external_url)
        password = read_secret(self.superuser_password_file)
        return Connection("127.0.0.1", self.port, SUPERUSER, password, WAREHOUSE_DATABASE)

    @property
    def bi_reader(self) -> Connection:
        """What a BI tool connects with: the read-only role on the warehouse database."""
        return Connection(
            self.warehouse.host,
            self.warehouse.port,
            BI_ROLE,
            read_secret(self.bi_password_file),
            self.warehouse.database,
        )

    @property
    def console_app(self) -> Connection:
        """What the console connects with: its least-privilege role on the warehouse database."""
        return Connection(
            self.warehouse.host,
            self.warehouse.port,
            CONSOLE_ROLE,
            read_secret(self.console_password_file),
            self.warehouse.database,
        )

    @property
    def dagster_storage(self) -> Connection:
        return self.warehouse.with_database(DAGSTER_DATABASE)

    def child_env(self) -> dict[str, str]:
        """What dbt (`dbt_project/profiles.yml`) and Dagster's storage (`dagster.yaml`) read
        from the environment: one source of truth for every process."""
        conn = self.warehouse
        # dagster-postgres needs psycopg2; SQLAlchemy 2.1 would pick psycopg 3 for postgresql://.
        storage_url = self.dagster_storage.url.replace("postgresql://", "postgresql+psycopg2://", 1)
        return {
            "CINEGRAPH_DAGSTER_STORAGE_URL": storage_url,
            "CINEGRAPH_PGHOST": conn.host,
            "CINEGRAPH_PGPORT": str(conn.port),
            "CINEGRAPH_PGUSER": conn.user,
            "CINEGRAPH_PGPASSWORD": conn.password,
            "CINEGRAPH_PGDATABASE": conn.database,
            "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR),
            # A test runs only where every model it reads is built in the same run or
            # upstream of it; partitioned and unpartitioned models build in separate runs.
            "DBT_INDIRECT_SELECTION": "buildable",
            # A ranged monthly run yields a materialisation per asset and month (thousands on a
            # cold start); Dagster writes them in batches only when this is set, instead of
            # one storage round trip each.
            "DAGSTER_EVENT_BATCH_SIZE": "1000",
        }


def load_settings() -> Settings:
    """Read the environment once; tests build their own `Settings` instead."""
    data_dir = Path(os.environ.get("CINEGRAPH_DATA_DIR") or PROJECT_ROOT / ".cinegraph").resolve()
    return Settings(
        data_dir=data_dir,
        port=int(os.environ.get("CINEGRAPH_PG_PORT") or DEFAULT_PORT),
        external_url=os.environ.get("CINEGRAPH_DATABASE_URL") or None,
        dbt_target=os.environ.get("DBT_TARGET") or "dev",
        ratings_inbox=Path(os.environ.get("CINEGRAPH_RATINGS_INBOX") or data_dir / "inbox"),
        sources_config=Path(
            os.environ.get("CINEGRAPH_SOURCES_CONFIG") or PROJECT_ROOT / "config" / "sources.yaml"
        ),
        source_env={name: os.environ[name] for name in SOURCE_ENV_VARS if os.environ.get(name)},
        llm_url=os.environ.get("CINEGRAPH_LLM_URL") or None,
        llm_model=os.environ.get("CINEGRAPH_LLM_MODEL") or None,
        llm_api_key=os.environ.get("CINEGRAPH_LLM_API_KEY") or "",
        model_seed=int(os.environ.get("CINEGRAPH_MODEL_SEED") or 0),
    )


@cache
def settings() -> Settings:
    return load_settings()


def sources_from_settings() -> SourcesConfig:
    # Imported here: pydantic and yaml cost the CLI's start-up on every command.
    from ingest.config import load_sources_config

    config = settings()
    return load_sources_config(
        config.sources_config, config.source_env, cache_dir=config.data_dir / "http_cache"
    )


def export_connection_env(config: Settings) -> None:
    """Publish the connection (and the tools' folder) to child processes: dbt, the Dagster UI."""
    for name, value in config.child_env().items():
        os.environ[name] = value
    # dbt and dagster are installed beside this interpreter; an un-activated venv must find them.
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")
