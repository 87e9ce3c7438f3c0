"""The Celery app. Tasks live in each app's tasks.py; the beat schedule is static, in settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cohort_site.settings")

app = Celery("cohort_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
