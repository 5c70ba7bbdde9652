"""Settings from the environment and a .env file (pydantic-settings); CLI flags override them.

The API key is a SecretStr: it is never printed or logged, and only sent to the configured endpoint.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _env_file() -> str:
    return os.environ.get("ASSISTANT_ENV_FILE", ".env")


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "indicator-assistant"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore", populate_by_name=True)

    llm_base_url: str | None = Field(None, validation_alias=AliasChoices("ASSISTANT_LLM_BASE_URL", "OPENAI_BASE_URL"))
    llm_api_key: SecretStr | None = Field(None, validation_alias=AliasChoices("ASSISTANT_LLM_API_KEY", "OPENAI_API_KEY"))
    llm_model: str | None = Field(None, validation_alias=AliasChoices("ASSISTANT_LLM_MODEL"))
    llm_provider: str | None = Field(None, validation_alias=AliasChoices("ASSISTANT_LLM_PROVIDER"))
    llm_timeout: float = Field(60.0, validation_alias=AliasChoices("ASSISTANT_LLM_TIMEOUT"))
    llm_max_retries: int = Field(2, validation_alias=AliasChoices("ASSISTANT_LLM_MAX_RETRIES"))  # transport retries
    llm_max_repairs: int = Field(2, validation_alias=AliasChoices("ASSISTANT_LLM_MAX_REPAIRS"))
    llm_max_tokens: int = Field(4096, validation_alias=AliasChoices("ASSISTANT_LLM_MAX_TOKENS"))
    llm_token_budget: int = Field(60_000, validation_alias=AliasChoices("ASSISTANT_LLM_TOKEN_BUDGET"))
    llm_concurrency: int = Field(4, validation_alias=AliasChoices("ASSISTANT_LLM_CONCURRENCY"))
    data_dir: Path = Field(default_factory=default_data_dir, validation_alias=AliasChoices("ASSISTANT_DATA_DIR"))
    secret: SecretStr | None = Field(None, validation_alias=AliasChoices("ASSISTANT_SECRET"))  # browser sessions

    @property
    def llm_configured(self) -> bool:
        """A model name plus somewhere to send it (an endpoint, or a key for the default OpenAI endpoint)."""
        return bool(self.llm_model and (self.llm_base_url or self.llm_api_key))

    def describe_llm(self) -> str:
        if not self.llm_configured:
            return "未配置模型"
        where = self.llm_base_url or "https://api.openai.com/v1"
        return f"{self.llm_model}（{where}）"


SECRET_FILE = "browser-secret.key"


def browser_secret(settings: Settings, data_dir: Path) -> str:
    """The key that encrypts what the browser keeps (its owner key, the open draft, the chat): ASSISTANT_SECRET,
    or a key file made once in the data directory (mode 0600), so a restart or a second instance on the same
    data reads what browsers already hold."""
    import secrets

    if settings.secret and settings.secret.get_secret_value():
        return settings.secret.get_secret_value()
    path = Path(data_dir) / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_urlsafe(32))
    return path.read_text(encoding="ascii").strip()


MODEL_FILE = "model-settings.json"
_MODEL_KEYS = ("llm_base_url", "llm_model", "llm_provider", "llm_api_key")


def mask(secret: str | None) -> str:
    """What the page may show of a key: its last four characters."""
    return f"••••{secret[-4:]}" if secret and len(secret) >= 8 else ("••••" if secret else "")


def saved_model_settings(data_dir: Path) -> dict:
    import json

    path = Path(data_dir) / MODEL_FILE
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if k in _MODEL_KEYS and v}


def save_model_settings(data_dir: Path, values: dict) -> None:
    """The model settings made in the app, kept in the data directory (mode 0600); the key is never logged."""
    import json
    import tempfile

    Path(data_dir).mkdir(parents=True, exist_ok=True)
    data = {k: v for k, v in values.items() if k in _MODEL_KEYS and v}
    fd, tmp = tempfile.mkstemp(dir=str(data_dir), prefix=".model-settings.")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False)
        os.replace(tmp, Path(data_dir) / MODEL_FILE)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def with_saved(settings: Settings, data_dir: Path) -> Settings:
    """Settings with the model configured in the app (if any) taking precedence over the environment."""
    saved = saved_model_settings(data_dir)
    if not saved:
        return settings
    update = {k: (SecretStr(v) if k == "llm_api_key" else v) for k, v in saved.items()}
    return settings.model_copy(update=update)


def load_settings(**overrides) -> Settings:
    """Environment and .env, then explicit overrides (None means 'not given')."""
    given = {k: v for k, v in overrides.items() if v is not None}
    settings = Settings(_env_file=_env_file(), _env_file_encoding="utf-8")  # type: ignore[call-arg]
    if given:
        settings = settings.model_copy(update={k: (SecretStr(v) if k == "llm_api_key" and isinstance(v, str) else v)
                                               for k, v in given.items()})
    return settings


NO_MODEL_HINT = ("未配置大模型，正在使用离线规则引擎。配置方法：设置 ASSISTANT_LLM_BASE_URL、ASSISTANT_LLM_API_KEY、"
                 "ASSISTANT_LLM_MODEL（如 deepseek-chat），或写入 .env 文件后重新启动。")
