from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "diary"
    verbose_name = "Symptom diary"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from diary import receivers  # noqa: F401  (connects the signal receivers)
