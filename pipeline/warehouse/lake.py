"""DuckLake on PostgreSQL: the warehouse's second backend, for several writer processes or hosts.

``--db`` (the ``db`` setting) names a DuckLake in DuckLake's own attach syntax,
``ducklake:postgres:dbname=lake host=127.0.0.1 port=5432 user=pipeline``: the catalog lives in
PostgreSQL, the rows in Parquet files under the ``data_path`` setting (a folder). A connection
is an in-memory DuckDB with the lake attached as ``lake`` and made the default catalog, so every
statement of the warehouse runs unchanged, and TEMP tables (the merge's staging) stay in the
connection's own temp catalog.

The extensions come from the ``lake`` extra's wheels (``duckdb-extension-ducklake``,
``duckdb-extension-postgres-scanner``: DuckDB's signed builds) and are LOADed from their files;
nothing is installed or downloaded (autoinstall and autoload are off), so a connection works
offline and writes nothing outside the lake.
"""

from __future__ import annotations

import importlib.util
import random
import re
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.errors import InputError, WarehouseError

PREFIX = "ducklake:"
CATALOG = "lake"  # the attached lake's name in the connection
EXTENSIONS = ("postgres_scanner", "ducklake")  # postgres_scanner first: ducklake uses it
INSTALL_HINT = "pip install -e '.[lake]'"
_NO_DATA_PATH = "data_path is not set"
_CREATE_DISABLED = "creating a new DuckLake is explicitly disabled"
MAKE_ATTEMPTS = 5  # attaches of a lake that another writer was making at the same moment


def is_lake(target: str | Path | None) -> bool:
    """Whether ``target`` (a --db value) names a DuckLake rather than a DuckDB file."""
    return target is not None and str(target).startswith(PREFIX)


@dataclass(frozen=True)
class LakeTarget:
    """A DuckLake as --db names it: the attach string and, for messages, its catalog."""

    attach: str  # ducklake:postgres:dbname=... as given

    @property
    def catalog(self) -> str:
        """The metadata catalog: ``postgres:dbname=lake host=...``."""
        return self.attach.removeprefix(PREFIX)

    @property
    def postgres(self) -> bool:
        return self.catalog.startswith("postgres:")

    def dsn_value(self, key: str) -> str | None:
        """A libpq keyword of the catalog's connection string (``host``, ``port``, ...)."""
        match = re.search(rf"(?:^|[\s:]){key}=(\S+)", self.catalog)
        return match.group(1) if match else None

    def where(self) -> str:
        """The PostgreSQL server and database, for messages."""
        host = self.dsn_value("host") or "localhost (the default socket)"
        port = self.dsn_value("port") or "5432"
        name = self.dsn_value("dbname") or "(the user's default database)"
        return f"database {name} on {host} port {port}"

    def __str__(self) -> str:
        return self.attach


def extension_file(name: str) -> Path:
    """The extension's file in its wheel, for the running DuckDB version."""
    module = f"duckdb_extension_{name}"
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise WarehouseError(
            f"the DuckDB extension {name} is not installed, and a DuckLake warehouse needs it; "
            f"install the lake extra: {INSTALL_HINT}"
        )
    version = duckdb.__version__
    path = Path(next(iter(spec.submodule_search_locations))) / "extensions" / f"v{version}"
    path /= f"{name}.duckdb_extension"
    if not path.is_file():
        raise WarehouseError(
            f"the installed DuckDB extension {name} has no build for DuckDB {version} "
            f"({path} is missing); install matching versions: {INSTALL_HINT}"
        )
    return path


def load_extensions(con: duckdb.DuckDBPyConnection) -> None:
    """LOAD the lake's extensions from their wheels' files (no INSTALL, no download)."""
    for name in EXTENSIONS:
        path = extension_file(name)
        try:
            con.execute("LOAD " + _sql_string(str(path)))
        except duckdb.Error as exc:
            raise WarehouseError(
                f"cannot load the DuckDB extension {name} from {path}: {exc}; reinstall it: "
                f"{INSTALL_HINT}"
            ) from exc


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _attach_sql(target: LakeTarget, read_only: bool, data_path: Path | None) -> str:
    options = []
    if data_path is not None:
        options.append("DATA_PATH " + _sql_string(str(data_path)))
    if read_only:
        options.append("READ_ONLY")
    tail = f" ({', '.join(options)})" if options else ""
    return f"ATTACH {_sql_string(target.attach)} AS {CATALOG}{tail}"


def _unreachable(target: LakeTarget, exc: duckdb.Error) -> WarehouseError:
    text = str(exc)
    detail = text.split("Unable to connect to Postgres", 1)[-1].strip(' :"')
    return WarehouseError(
        f"cannot reach the DuckLake catalog: PostgreSQL {target.where()} answered: "
        f"{detail.splitlines()[0] if detail else text}. Is the server running and accepting "
        "TCP connections there, does the database exist (createdb), and are user and password "
        "right? Check the --db connection string."
    )


def attach(
    con: duckdb.DuckDBPyConnection,
    target: LakeTarget,
    read_only: bool,
    data_path: Path | None,
) -> bool:
    """Attach the lake to ``con`` as its default catalog; True when this made a new lake.

    An existing lake keeps the data path it was made with (DuckLake records it); ``data_path``
    is needed only to make one, and must then name a folder."""
    try:
        con.execute(_attach_sql(target, read_only, None))
        new = False
    except duckdb.Error as exc:
        text = str(exc)
        if _CREATE_DISABLED in text:
            raise InputError(
                f"no warehouse at {target}: the DuckLake catalog ({target.where()}) holds no "
                "lake yet; run `pipeline crawl` with data_path set first"
            ) from exc
        if _NO_DATA_PATH not in text:
            if "Unable to connect" in text or "connection to server" in text:
                raise _unreachable(target, exc) from exc
            raise WarehouseError(f"cannot attach the DuckLake {target}: {text}") from exc
        _create(con, target, data_path)
        new = True
    con.execute(f"USE {CATALOG}")
    return new


def _create(con: duckdb.DuckDBPyConnection, target: LakeTarget, data_path: Path | None) -> None:
    if data_path is None:
        raise InputError(
            f"{target} holds no lake yet, and making one needs a folder for its Parquet "
            "files: set data_path (pipeline.toml or $PIPELINE_DATA_PATH)"
        )
    folder = data_path.resolve()
    if folder.exists() and not folder.is_dir():
        raise InputError(f"data_path {folder} is not a folder; point it at a folder")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        con.execute(_attach_sql(target, False, folder))
        # Rows are never inlined into the catalog: DuckLake 1.5.5 fails reading inlined rows of
        # STRUCT columns back from PostgreSQL ("Attempted to access index 0 within vector of
        # size 0", the connection then invalidated); every write goes to Parquet files.
        _no_inlining(con)
    except duckdb.Error as exc:
        if "Failed to initialize DuckLake" in str(exc):
            raise _MadeMeanwhile(f"cannot make the DuckLake {target}: {exc}") from exc
        raise WarehouseError(f"cannot make the DuckLake {target}: {exc}") from exc


def _no_inlining(con: duckdb.DuckDBPyConnection) -> None:
    """Set the new lake's inlining limit to 0. Writers making the same lake at one moment all
    set it; PostgreSQL fails all but one of the simultaneous updates ("could not serialize
    access due to concurrent update"), so a writer whose update lost sets it again (the value
    is the same: whoever wins, the lake has it)."""
    for attempt in range(MAKE_ATTEMPTS):
        try:
            con.execute(f"CALL {CATALOG}.set_option('data_inlining_row_limit', 0)")
            return
        except duckdb.Error as exc:
            if _CONCURRENT_UPDATE not in str(exc) or attempt + 1 == MAKE_ATTEMPTS:
                raise
            time.sleep(random.uniform(0.05, 0.3))


_CONCURRENT_UPDATE = "could not serialize access due to concurrent update"


def stored_data_path(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The folder of the attached lake's Parquet files, as its catalog records it."""
    row = con.execute(
        f"SELECT value FROM {CATALOG}.options() WHERE option_name = 'data_path'"
    ).fetchone()
    return Path(str(row[0])) if row and row[0] else None


class _MadeMeanwhile(WarehouseError):
    """Another writer made the same new lake at the same moment (its catalog tables won)."""


def connect(
    target: LakeTarget,
    read_only: bool,
    config: dict[str, str | bool | int | float | list[str]],
    data_path: Path | None,
) -> tuple[duckdb.DuckDBPyConnection, bool]:
    """A connection with the lake attached (see the module docstring) and whether it is new.

    Writers started together on a lake nobody has made yet all try to make it; PostgreSQL lets
    one create the catalog's tables and fails the others, which then attach the lake it made."""
    settings = dict(config) | {
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
    }
    for attempt in range(MAKE_ATTEMPTS):
        con = duckdb.connect(":memory:", config=settings)
        try:
            load_extensions(con)
            new = attach(con, target, read_only, data_path)
        except _MadeMeanwhile as exc:
            con.close()
            if attempt + 1 == MAKE_ATTEMPTS:
                raise WarehouseError(
                    f"{exc.args[0]} (tried {MAKE_ATTEMPTS} times, in case another writer was "
                    "making the same lake at that moment); check the catalog database's "
                    "permissions and that it is empty or a DuckLake"
                ) from exc
            time.sleep(random.uniform(0.1, 0.5))
            continue
        except BaseException:
            con.close()
            raise
        return con, new
    raise AssertionError("unreachable")  # pragma: no cover


def lock_down(con: duckdb.DuckDBPyConnection) -> None:
    """For SQL a user types: no file, network or extension access beyond the attached lake
    (its catalog connection and Parquet files stay readable), and settings locked."""
    folder = stored_data_path(con)
    if folder is not None:
        con.execute("SET allowed_directories = [" + _sql_string(str(folder)) + "]")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
