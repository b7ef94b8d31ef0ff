"""Where dossier keeps its files, and the settings that shape it.

Precedence, highest first: command-line flags > environment > config file > defaults.
The config file is YAML, read with `yaml.safe_load` and validated by a pydantic model
that forbids unknown keys, so a typo is reported rather than silently ignored.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dossier_cli import vocab
from dossier_cli.errors import ConfigError
from dossier_cli.paths import config_path, default_database
from dossier_cli.i18n import _

# The shipped lists are the vocabularies' stored values (dossier_cli.vocab: labels and synonyms
# in both languages); the config file may extend the sources and replace stages and kinds.
DEFAULT_SOURCES: tuple[str, ...] = vocab.SOURCES.values
DEFAULT_STAGES: tuple[str, ...] = vocab.STAGES.values
DEFAULT_TOUCH_KINDS: tuple[str, ...] = vocab.TOUCH_KINDS.values

# How likely a deal at each stage is to close, in percent (the weighted forecast). A stage
# not named here (a custom stage list) counts 0% until the config gives it a number.
DEFAULT_STAGE_PROBABILITIES: dict[str, float] = {
    "target": 10.0,
    "researching": 25.0,
    "contacted": 50.0,
    "negotiating": 70.0,
    "client": 90.0,
    "regular": 90.0,
    "key": 90.0,
}



@dataclass
class Settings:
    """The effective settings, with where each came from (for `dossier config show`)."""

    database: str = ""
    user: str = ""
    currency: str = "RUB"
    language: str = "en"
    phone_region: str = "RU"
    sources: list[str] = field(default_factory=lambda: list(DEFAULT_SOURCES))
    stages: list[str] = field(default_factory=lambda: list(DEFAULT_STAGES))
    first_contact_stage: str = "contacted"
    client_stage: str = "client"
    touch_kinds: list[str] = field(default_factory=lambda: list(DEFAULT_TOUCH_KINDS))
    stage_probabilities: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_STAGE_PROBABILITIES))
    lost_reasons: list[str] = field(default_factory=list)  # added to the shipped list (selling/lost.py)
    abc_a_percent: float = 80.0
    abc_b_percent: float = 15.0
    stale_days: int = 30
    dossier_stale_days: int = 180
    dossier_threshold: float | None = None
    dossier_template: str | None = None
    backup_keep: int = 7
    our_inn: str | None = None  # our own tax number: `import payments` takes payments to it as sales
    config_file: str = ""
    origins: dict[str, str] = field(default_factory=dict)

    def as_public_dict(self) -> dict[str, Any]:
        """Settings for display, with any password in the database URL masked."""
        out: dict[str, Any] = {}
        for key, value in self.__dict__.items():
            if key == "origins":
                continue
            if key == "database":
                value = mask_url(value)
            out[key] = value
        return out


def mask_url(url: str) -> str:
    """Hide the password of a database URL (`postgresql://u:secret@h/db` -> `u:***@h`)."""
    if "://" not in url or "@" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    if ":" in creds:
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return url


def _validate_file(path: Path, text: str, raw: Any) -> dict[str, Any]:
    from typing import Annotated

    from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

    from dossier_cli.documents import validate

    class AbcSection(BaseModel):
        model_config = ConfigDict(extra="forbid")
        a_percent: float | None = None
        b_percent: float | None = None

        @field_validator("a_percent", "b_percent")
        @classmethod
        def _a_share(cls, value: float | None) -> float | None:
            if value is not None and not 0 < value < 100:
                raise ValueError(f"{value:g} is not a share of revenue: give a percent above 0 and below 100")
            return value

        @model_validator(mode="after")
        def _a_and_b_fit(self) -> "AbcSection":
            if (self.a_percent or 80.0) + (self.b_percent or 15.0) > 100:
                raise ValueError("a_percent + b_percent is more than 100%")
            return self

    class DossierSection(BaseModel):
        model_config = ConfigDict(extra="forbid")
        stale_days: int | None = Field(default=None, ge=0)
        threshold: float | None = Field(default=None, ge=0, le=100)
        template: str | None = None

    class BackupSection(BaseModel):
        model_config = ConfigDict(extra="forbid")
        keep: int | None = None

    class ConfigFile(BaseModel):
        model_config = ConfigDict(extra="forbid")
        database: str | None = None
        user: str | None = None
        currency: str | None = None
        language: str | None = None
        phone_region: str | None = None
        sources: list[str] | None = None
        stages: list[str] | None = None
        first_contact_stage: str | None = None
        client_stage: str | None = None
        touch_kinds: list[str] | None = None
        stage_probabilities: dict[str, Annotated[float, Field(ge=0, le=100)]] | None = None  # percent
        lost_reasons: list[str] | None = None
        stale_days: int | None = None
        abc: AbcSection | None = None
        dossier: DossierSection | None = None
        backup: BackupSection | None = None
        our_inn: str | None = None

        @field_validator("our_inn", mode="before")
        @classmethod
        def _inn_text(cls, value: object) -> object:
            return str(value) if isinstance(value, int) else value

        @field_validator("stages")
        @classmethod
        def _stages_unique(cls, value: list[str] | None) -> list[str] | None:
            if value is None:
                return value
            if not value:
                raise ValueError("the stage list must not be empty")
            seen: set[str] = set()
            for stage in value:
                if not stage.strip():
                    raise ValueError("a stage name must not be blank")
                if stage in seen:
                    raise ValueError(f"stage '{stage}' appears twice")
                seen.add(stage)
            return value

        @field_validator("lost_reasons")
        @classmethod
        def _reasons_not_blank(cls, value: list[str] | None) -> list[str] | None:
            for reason in value or []:
                if not reason.strip():
                    raise ValueError("a lost reason must not be blank")
            return value

        @field_validator("language")
        @classmethod
        def _language_known(cls, value: str | None) -> str | None:
            if value is not None and value not in ("en", "ru"):
                raise ValueError("expected 'en' or 'ru'")
            return value

    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(_("config file {path}: expected a mapping of settings at the top level").format(path=path))
    model = validate(ConfigFile, raw, source=f"config file {path}", text=text, error=ConfigError, unknown=lambda loc: "unknown setting")
    return model.model_dump(exclude_none=True)


def load_settings(*, database_flag: str | None = None) -> Settings:
    """Build the effective settings from defaults, the config file, environment and flags."""
    settings = Settings()
    origins = {key: "default" for key in settings.__dict__ if key not in ("origins", "config_file")}
    path = config_path()
    settings.config_file = str(path)
    if path.is_file():
        from dossier_cli.documents import parse_yaml, read_text

        text = read_text(path, source=f"config file {path}", error=ConfigError)
        raw = parse_yaml(text, source=f"config file {path}", error=ConfigError)
        values = _validate_file(path, text, raw)
        nested = {
            ("abc", "a_percent"): "abc_a_percent",
            ("abc", "b_percent"): "abc_b_percent",
            ("dossier", "stale_days"): "dossier_stale_days",
            ("dossier", "threshold"): "dossier_threshold",
            ("dossier", "template"): "dossier_template",
            ("backup", "keep"): "backup_keep",
        }
        for (section, key), attr in nested.items():
            if key in values.get(section, {}):
                setattr(settings, attr, values[section][key])
                origins[attr] = f"config file {path}"
        for key, value in values.items():
            if key in ("abc", "dossier", "backup"):
                continue
            if key == "sources":
                # The config extends the shipped list rather than replacing it.
                value = list(dict.fromkeys([*settings.sources, *value]))
            elif key == "stage_probabilities":
                # The config names the stages it changes; the others keep their defaults.
                value = {**settings.stage_probabilities, **value}
            setattr(settings, key, value)
            origins[key] = f"config file {path}"
        if settings.first_contact_stage not in settings.stages:
            raise ConfigError(
                _("config file {path}: key 'first_contact_stage': '{first_contact_stage}' is not one of the stages").format(path=path, first_contact_stage=settings.first_contact_stage)
            )
        if settings.client_stage not in settings.stages:
            raise ConfigError(
                _("config file {path}: key 'client_stage': '{client_stage}' is not one of the stages").format(path=path, client_stage=settings.client_stage)
            )
        for stage in values.get("stage_probabilities", {}):
            if stage not in settings.stages:
                raise ConfigError(_("config file {path}: key 'stage_probabilities.{stage}': not one of the stages").format(path=path, stage=stage))

    from dossier_cli.i18n import normalise_language, resolve_language

    if os.environ.get("DOSSIER_LANG") and not normalise_language(os.environ["DOSSIER_LANG"]):
        raise ConfigError(_("environment DOSSIER_LANG: '{DOSSIER_LANG}' is not a language; expected 'en' or 'ru'").format(DOSSIER_LANG=os.environ['DOSSIER_LANG']))
    from_file = origins["language"] != "default"
    settings.language, origins["language"] = resolve_language(
        settings.language if from_file else None, origins["language"]
    )
    if os.environ.get("DOSSIER_DB"):
        settings.database = os.environ["DOSSIER_DB"]
        origins["database"] = "environment DOSSIER_DB"
    if os.environ.get("DOSSIER_USER"):
        settings.user = os.environ["DOSSIER_USER"]
        origins["user"] = "environment DOSSIER_USER"
    if database_flag:
        settings.database = database_flag
        origins["database"] = "flag --db"
    if not settings.database:
        settings.database = default_database()
    if not settings.user:
        settings.user = _os_user()
        origins["user"] = "operating system user"
    settings.origins = origins
    return settings


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in a bare container
        return "unknown"
