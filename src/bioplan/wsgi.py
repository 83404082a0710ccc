import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bioplan.settings")
application = get_wsgi_application()

# What is loaded at start-up (settings, apps, models, URL patterns) lives as long as the process: move
# it out of the collector's generations, so a full collection during a request does not walk it
# (seen as 60–90 ms pauses on the dashboard; bench/README.md). Gunicorn forks after this import.
gc.freeze()
