import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Cached pages are answered ahead of Django's handler (after setup: it reads the settings).
from plan.pagecache.front_door import FrontDoor  # noqa: E402

application = FrontDoor(application)
