"""Settings for the plan site, configured by environment variables.

Development defaults are safe to run locally: DEBUG on, a SQLite file in the project.
Set DATABASE_URL (e.g. postgres://user@host:5432/db) to use PostgreSQL.
PRODUCTION=1 selects production mode, which refuses to start without SECRET_KEY and
ALLOWED_HOSTS or with DEBUG on, and turns on HTTPS-only cookies, HSTS and friends.
See docs/operating.md, "Production".
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.log import DEFAULT_LOGGING

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env_bool("PRODUCTION", False)
DEBUG = env_bool("DEBUG", not PRODUCTION)
# The development key is public on purpose; production must set SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# In the admin, a Chinese 403 that leads back to the admin's index; elsewhere Django's own.
CSRF_FAILURE_VIEW = "plan.web.errors.csrf_failure"

# Where the site is published: every absolute link (canonical, og:url, sitemap, feed, data
# package, exports) is built from this origin, never from the request's Host header.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
if not SITE_URL:
    SITE_URL = f"https://{ALLOWED_HOSTS[0].lstrip('.')}" if PRODUCTION and ALLOWED_HOSTS else ""
SITE_URL = SITE_URL or "http://127.0.0.1:8000"

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("PRODUCTION=1 with DEBUG on: unset DEBUG")
    if not os.environ.get("SECRET_KEY"):
        raise ImproperlyConfigured("PRODUCTION=1 needs SECRET_KEY (50+ random characters)")
    if not os.environ.get("ALLOWED_HOSTS"):
        raise ImproperlyConfigured("PRODUCTION=1 needs ALLOWED_HOSTS (the site's host names)")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_tables2",
    "csp",
    "simple_history",
    "config.apps.AxesConfig",
    "plan",
]

MIDDLEWARE = [
    # Outermost: stores the pages the page cache (below) made, with every header sent.
    "plan.pagecache.middleware.PageStoreMiddleware",
    # So that responses made by the middleware below it (e.g. the HTTPS redirect)
    # carry the security headers too.
    "plan.web.middleware.SecurityHeadersMiddleware",
    # The language, from the address (/en/… is English); active for everything below.
    "plan.web.middleware.LanguageMiddleware",
    # Under DEBUG, the site's 404 and 500 pages rather than Django's technical ones.
    "plan.web.middleware.DebugErrorPagesMiddleware",
    # A disallowed Host, or a port outside 1-65535, is a 400 before anything else answers.
    "plan.web.middleware.HostMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what the page cache does not (the admin, error pages) for clients that accept
    # it; static files are compressed ahead of time by whitenoise. Django adds random padding
    # against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    # The page cache: made here and stored by PageStoreMiddleware; plain hits are answered
    # ahead of Django (plan/pagecache/front_door.py), conditional and stale ones here.
    "plan.pagecache.middleware.PageCacheMiddleware",
    # Which plan (year) a request is about; unscoped plan addresses redirect to the newest.
    "plan.web.middleware.YearMiddleware",
    # /api/: CORS for any origin; above everything the API's answers pass through.
    "plan.api.middleware.ApiMiddleware",
    "csp.middleware.CSPMiddleware",
    "plan.web.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # /preview/<year>/…: the site with an editor's draft (needs the user, so after auth).
    "plan.web.preview.PreviewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Reverse proxies in front of the app whose X-Forwarded-For entries are believed: one (nginx,
# docs/operating.md) in production, none in development, where a client could forge the header.
TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", "1" if PRODUCTION else "0"))

# Login throttling (django-axes), for an office where many editors share one address: failures
# count per user name at a client address, so one person's typos lock only themselves there (and
# a guesser cannot lock an account out for everyone); the address alone locks only at a much
# higher ceiling, against one password sprayed over many user names. Axes holds one limit and
# locks on the largest tally of its keys, and an address's tally is never below any of its user
# names', so the static list [["username", "ip_address"], "ip_address"] would lock the whole
# address at the fifth failure. Its documented hook, a callable AXES_LOCKOUT_PARAMETERS, picks
# the key per request instead (plan/editing/lockouts.py): the user name at the address, or the
# address alone once it has reached LOGIN_ADDRESS_FAILURE_LIMIT. (A callable AXES_FAILURE_LIMIT
# could do the same only by returning 0 for every user name at a locked address.)
AXES_CLIENT_IP_CALLABLE = "plan.editing.login.client_ip"
AXES_LOCKOUT_PARAMETERS = "plan.editing.lockouts.lockout_parameters"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "30"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
# A locked-out typist who keeps trying neither extends their lock nor adds to the address's
# tally: one person alone never brings the office to its ceiling.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The Chinese lockout page, saying which key is locked and until when.
AXES_LOCKOUT_CALLABLE = "plan.editing.lockouts.lockout_response"
# A successful login clears that user name's failures at its address, not the office's.
AXES_RESET_ON_SUCCESS = True

ROOT_URLCONF = "config.urls"
# The admin lives at ADMIN_URL (default "admin/"); a less guessable path is a cheap extra layer.
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "plan.views.context_processors.current_plan_context",
                "plan.views.context_processors.site_url",
                "plan.views.context_processors.year_switcher",
                "plan.views.context_processors.preview",
                "plan.views.context_processors.languages",
                "plan.views.context_processors.data_licence",
            ],
            # {% url %} with its answers remembered: links were a quarter of a page's CPU.
            "builtins": ["plan.templatetags.plan_urls"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        # A persistent connection is checked before reuse, so a database restart costs no 503.
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # OWASP ASVS 4.0 (2.1.1, level 1) asks for at least 12 characters.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hant"
# The public site in Chinese (the default, at the root) and English (under /en/:
# plan/addresses/languages.py); the admin in Chinese.
LANGUAGES = [("zh-hant", "中文"), ("en", "English")]
# simple-history and axes ship no zh_Hant: the project's catalogue, first (docs/editing.md).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Taipei"
USE_I18N = True
USE_TZ = True

# Security headers. Pages use no inline script or style, so the policy allows neither.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), browsing-topics=()"
)
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    # Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto (docs/operating.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers probe the health checks over plain HTTP, straight at the app.
    SECURE_REDIRECT_EXEMPT = [r"^healthz(/live)?$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Caches (plan/pagecache/spaces.py): "default" holds the pages at their plain addresses and
# the data version, "queries" the pages with a query (searches, sorted tables), bounded on its
# own so that unique searches cannot push budget pages out. With REDIS_URL, both on Redis (shared
# by every machine); without it in production, files under CACHE_DIR, shared by this machine's
# workers, so that a page one worker cached is served by every worker, stale during a database
# outage too; in development, each process's memory. docs/operating.md, "The page cache".
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_DIR = Path(os.environ.get("CACHE_DIR", BASE_DIR / "var" / "cache"))
PAGE_CACHE_ENTRIES = int(os.environ.get("PAGE_CACHE_ENTRIES", "5000"))
QUERY_CACHE_ENTRIES = int(os.environ.get("QUERY_CACHE_ENTRIES", "600"))
QUERY_CACHE_SECONDS = int(os.environ.get("QUERY_CACHE_SECONDS", "600"))


def _cache(name: str, max_entries: int, timeout: int = 300) -> dict:
    if REDIS_URL:  # Redis does not count entries: its own maxmemory policy bounds it
        backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        return backend | {"KEY_PREFIX": "" if name == "default" else name, "TIMEOUT": timeout}
    if PRODUCTION:
        location = {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(CACHE_DIR / name),
        }
    else:
        location = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name}
    return location | {"TIMEOUT": timeout, "OPTIONS": {"MAX_ENTRIES": max_entries}}


CACHES = {
    "default": _cache("default", PAGE_CACHE_ENTRIES),
    "queries": _cache("queries", QUERY_CACHE_ENTRIES, QUERY_CACHE_SECONDS),
}
# Public pages: cached on the server until the data changes, and in browsers and CDNs briefly.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))
PUBLIC_MAX_AGE = int(os.environ.get("PUBLIC_MAX_AGE", "60"))
PUBLIC_SHARED_MAX_AGE = int(os.environ.get("PUBLIC_SHARED_MAX_AGE", "300"))
# Cache tags and purges (docs/operating.md): the header naming what a public answer shows
# (Varnish xkey; Fastly's Surrogate-Key or Cloudflare's Cache-Tag read the same keys), and the
# proxies to send a PURGE to after a change (comma-separated base URLs; none: no purge).
CACHE_TAG_HEADER = os.environ.get("CACHE_TAG_HEADER", "xkey")
CACHE_PURGE_URLS = env_list("CACHE_PURGE_URLS")
CACHE_PURGE_SECRET = os.environ.get("CACHE_PURGE_SECRET", "")
if PRODUCTION and CACHE_PURGE_URLS and not CACHE_PURGE_SECRET:
    raise ImproperlyConfigured("PRODUCTION=1 with CACHE_PURGE_URLS needs CACHE_PURGE_SECRET")

# Absolute: under a year's pages (/114/…) the script prefix is the year
# (plan/addresses/year_prefix.py), and a relative STATIC_URL would take it on.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names need collectstatic; tests and runserver use the plain backend. In
        # production, whitenoise's with its URLs remembered (plan/web/static_files.py).
        "BACKEND": os.environ.get(
            "STATICFILES_BACKEND",
            "plan.web.static_files.ManifestStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}

# Who runs this site, as the footer and 聯絡我們 name them: the operator's name and the e-mail
# readers write to about the site (corrections of the transcription, accessibility). Both
# optional: unset, the site says only that it is not the agency's official site. The agency's
# own name (e.g. 高雄市政府警察局) says the agency runs it.
SITE_OPERATOR = os.environ.get("SITE_OPERATOR", "").strip()
SITE_CONTACT_EMAIL = os.environ.get("SITE_CONTACT_EMAIL", "").strip()

# Noto Sans CJK (Debian package fonts-noto-cjk) for the pictures of shared links
# (plan/sharing/pictures.py).
OG_FONT_DIR = Path(os.environ.get("OG_FONT_DIR", "/usr/share/fonts/opentype/noto"))
OG_FONTS = {
    "regular": OG_FONT_DIR / "NotoSansCJK-Regular.ttc",
    "bold": OG_FONT_DIR / "NotoSansCJK-Bold.ttc",
}

# The published plans: one folder each (plan/document/folders.py), built by `manage.py buildplan`.
PLANS_DIR = BASE_DIR / "fixtures" / "plans"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_security": {"()": "plan.web.errors.OneLineSecurityEvents"}},
    "formatters": {"django.server": DEFAULT_LOGGING["formatters"]["django.server"]},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["one_line_security"]},
        "django.server": DEFAULT_LOGGING["handlers"]["django.server"],
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # Django's own console handler (DEBUG only) would print each record a second time on
        # top of the root's; this one handler prints it once, with DEBUG on or off.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Configuring "django" resets its children: the dev server's request lines keep theirs.
        "django.server": DEFAULT_LOGGING["loggers"]["django.server"],
    },
}
