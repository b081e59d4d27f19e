"""Editor settings (section ``gradguard``), validated so a typo never takes the server down.

    enable        bool, default true           false: no diagnostics at all
    select        list of codes/prefixes       as in [tool.gradguard]
    ignore        list of codes/prefixes
    severity      {code: error|warning|information|hint}
    exclude       list of glob patterns
    lintOnChange  bool, default true           false: analyse on open and save only
    debounceMs    int 0..10000, default 0      0: analyse at once when idle, and fold the edits typed during an
                                               analysis into one that starts when it ends; more: wait that long
                                               after the last change
    trace         off|messages|verbose         what the server writes to the client's log
    followImports bool, default true           follow calls into the workspace's other files (gradguard.project)
    strict        bool, default false          also report what depends on the caller, as information

Layers, later wins key by key: initializationOptions.settings, workspace/configuration (global),
workspace/configuration (the document's folder). [tool.gradguard] of the nearest pyproject.toml sits
below all of them (`Config.merged`: editor select/severity win, ignores add up).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..config import Config, ConfigError

RULE_KEYS = ("select", "ignore", "severity", "exclude", "strict")
TRACE_LEVELS = ("off", "messages", "verbose")
MAX_DEBOUNCE_MS = 10_000


class SettingsError(ConfigError):
    pass


@dataclass(frozen=True)
class Settings:
    enable: bool = True
    lint_on_change: bool = True
    debounce_ms: int = 0
    trace: str = "off"
    follow_imports: bool = True
    config: Config = field(default_factory=Config)
    has_rules: bool = False  # the editor said something about select/ignore/severity/exclude


def _bool(raw: dict, key: str, default: bool, source: str) -> bool:
    value = raw.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise SettingsError(f"{source}: `{key}` must be true or false, got {value!r}")
    return value


def parse_settings(raw: Any, source: str = "gradguard settings") -> Settings:
    """Validate one layer (or the merged layers); raises SettingsError with a clear message."""
    if raw is None:
        return Settings()
    if not isinstance(raw, dict):
        raise SettingsError(f"{source}: expected an object of settings, got {type(raw).__name__}")
    enable = _bool(raw, "enable", True, source)
    lint_on_change = _bool(raw, "lintOnChange", True, source)
    follow_imports = _bool(raw, "followImports", True, source)
    debounce = raw.get("debounceMs", 0)
    if debounce is None:
        debounce = 0
    if isinstance(debounce, bool) or not isinstance(debounce, (int, float)) or not 0 <= debounce <= MAX_DEBOUNCE_MS:
        raise SettingsError(f"{source}: `debounceMs` must be a number of milliseconds from 0 to {MAX_DEBOUNCE_MS}, got {debounce!r}")
    trace = raw.get("trace", "off") or "off"
    if not isinstance(trace, str) or trace.lower() not in TRACE_LEVELS:
        raise SettingsError(f"{source}: `trace` must be one of off, messages, verbose; got {trace!r}")
    rules = {key: raw[key] for key in RULE_KEYS if raw.get(key) is not None}
    try:
        config = Config.from_mapping(rules, source=source)
    except ConfigError as exc:
        raise SettingsError(str(exc)) from None
    return Settings(
        enable=enable,
        lint_on_change=lint_on_change,
        debounce_ms=int(debounce),
        trace=trace.lower(),
        follow_imports=follow_imports,
        config=config,
        has_rules=bool(rules),
    )


def unwrap_init_options(options: Any) -> Any:
    """initializationOptions may be {"settings": {...}}, {"gradguard": {...}} or the settings themselves."""
    if not isinstance(options, dict):
        return None
    for key in ("settings", "gradguard"):
        if key in options:
            inner = options[key]
            if isinstance(inner, dict) and "gradguard" in inner and isinstance(inner["gradguard"], dict):
                return inner["gradguard"]
            return inner
    return options or None


def merge_layers(*layers: Any) -> dict:
    """Key-by-key merge of validated raw layers (None and non-dicts are skipped)."""
    merged: dict = {}
    for layer in layers:
        if isinstance(layer, dict):
            merged.update({k: v for k, v in layer.items() if v is not None})
    return merged
