"""What the interfaces may take from the service instead of reaching into lower layers."""

from __future__ import annotations

import langkah.service as service
import langkah.store as store
import langkah.views as views


def test_the_service_re_exports_the_store_errors_and_the_read_models():
    for name in ("StoreError", "ConflictError", "CycleNotFound", "DamagedStoreError"):
        assert name in service.__all__
        assert getattr(service, name) is getattr(store, name)
    for name in ("CycleView", "Overview", "OverviewRow"):
        assert name in service.__all__
        assert getattr(service, name) is getattr(views, name)
