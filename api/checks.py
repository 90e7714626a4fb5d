from django.conf import settings
from django.core.checks import Warning, register


@register("caches", deploy=True)
def shared_cache_check(app_configs, **kwargs):
    """API cache invalidation reaches only the processes sharing the cache."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith("LocMemCache") and not settings.DEBUG:
        return [
            Warning(
                "The default cache is local to each process, so a change saved "
                "through one web process leaves the API answers cached by the others "
                "stale until API_CACHE_TIMEOUT.",
                hint="Set CACHE_URL to a shared cache, e.g. redis://127.0.0.1:6379/1.",
                id="api.W001",
            )
        ]
    return []
