"""Think&Do workshop tool: the domain package (no Streamlit outside workshop.ui).

>>> from workshop import db, store
>>> conn = db.open_db(":memory:")  # doctest: +SKIP
"""

from workshop.errors import AccessDenied, ImportRefused, InvalidInput, NotFound, RoundClosed, StorageError, WorkshopError

__all__ = ["AccessDenied", "ImportRefused", "InvalidInput", "NotFound", "RoundClosed", "StorageError", "WorkshopError"]
