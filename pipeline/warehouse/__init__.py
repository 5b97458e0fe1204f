"""The DuckDB warehouse: runs, fetches, SCD2 project history and typed change events."""

from pipeline.warehouse.db import DEFAULT_DB, ENV_DB, Warehouse, resolve_db_path
from pipeline.warehouse.loader import LoadReport, RunLoader
from pipeline.warehouse.state import WarehouseStateStore

__all__ = [
    "DEFAULT_DB",
    "ENV_DB",
    "LoadReport",
    "RunLoader",
    "Warehouse",
    "WarehouseStateStore",
    "resolve_db_path",
]
