from django.db import models


class RoundStatus(models.TextChoices):
    PLANNED = "planned", "Planned (not announced)"
    PUBLISHED = "published", "Published"
