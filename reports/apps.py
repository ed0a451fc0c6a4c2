from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports and sharing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from reports import receivers  # noqa: F401  (connects the signal receivers)
