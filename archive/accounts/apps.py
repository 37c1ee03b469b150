from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "archive.accounts"
    label = "accounts"

    def ready(self) -> None:
        from archive.accounts import kept

        kept.connect()
