"""The web application (FastAPI, Jinja2, vendored htmx): thin routes over xxgk.services.
`create_app(db)` builds it; `xxgk serve` runs it with uvicorn."""

from .app import create_app

__all__ = ["create_app"]
