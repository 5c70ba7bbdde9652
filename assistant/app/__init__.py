"""The web app (Gradio): chat beside an editable draft, findings, export, autosave."""

from __future__ import annotations

import shutil
import tempfile
import threading
import weakref
from pathlib import Path

from ..config import Settings, browser_secret, with_saved
from .service import AppService
from .store import DraftStore, default_url


def create_service(settings: Settings, db_url: str | None = None, data_dir: Path | None = None,
                   settings_admin: str | None = None) -> AppService:
    data = Path(data_dir or settings.data_dir)
    settings = with_saved(settings, data)
    store = DraftStore(db_url or default_url(data))
    # exports are throw-away copies: they go under the system temp directory, not the data directory
    exports = Path(tempfile.mkdtemp(prefix="indicator-assistant-exports-"))
    service = AppService(store, settings, export_dir=exports)
    weakref.finalize(service, shutil.rmtree, exports, True)  # removed when the service goes, or at exit
    service.secret = browser_secret(settings, data)
    service.data_dir = data
    service.settings_admin = settings_admin
    return service


def warm_up_later() -> None:
    """After the server listens: compile the offline engine once, so the first draft is as fast as the rest
    (started late so it doesn't compete with start-up on a 2-core machine)."""
    threading.Thread(target=_warm_up, daemon=True).start()


def _warm_up() -> None:
    """Compile the offline engine's patterns once, so the first user's draft is as fast as the rest."""
    from ..engines.offline import OfflineEngine

    try:
        OfflineEngine().draft("项目名称:预热。年度目标:全年培训100人次,合格率不低于95%。")
    except Exception:  # warm-up must never stop the app
        pass


__all__ = ["AppService", "DraftStore", "create_service", "warm_up_later"]
