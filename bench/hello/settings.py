"""The smallest Django site the benchmark compares the site with: one view, no apps, no
middleware, no database, no templates. Served by the same gunicorn, config file and worker count
as the site (bench/run.py), so that the difference is what the site adds to Django."""

import os
import secrets

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50)
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "bench.hello.urls"
WSGI_APPLICATION = "bench.hello.wsgi.application"
INSTALLED_APPS = []
MIDDLEWARE = []
DATABASES = {}
