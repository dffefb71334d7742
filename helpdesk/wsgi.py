import os

from django.core.wsgi import get_wsgi_application

from helpdesk import garbage

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

application = get_wsgi_application()
garbage.settle()  # the loaded application out of the collector's sight (helpdesk/garbage.py)
