"""User settings: which rules run and at what severity, from the CLI, pyproject.toml or the editor."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

from .findings import Severity


class ConfigError(ValueError):
    pass


# The keys of [tool.gradguard]; anything else is a typo the user would otherwise never hear about.
PYPROJECT_KEYS = ("select", "ignore", "severity", "exclude", "strict")


def unknown_codes(codes: list[str]) -> list[str]:
    """The codes or prefixes that name no rule ("ALL" is every rule)."""
    from .rules import RULES

    return [c for c in codes if c != "ALL" and not any(code.startswith(c) for code in RULES)]


@dataclass
class Config:
    select: list[str] = field(default_factory=list)  # code prefixes; empty: every default-enabled rule
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)  # code (or prefix) -> severity
    exclude: list[str] = field(default_factory=list)  # glob patterns on paths
    strict: bool = False  # also report what depends on the caller (as information)

    def enabled(self, code: str) -> bool:
        from .rules import RULES

        rule = RULES.get(code)
        if self.select:
            chosen = any(code.startswith(p) for p in self.select)
        else:
            chosen = rule is None or rule.default_enabled
        return chosen and not any(code.startswith(p) for p in self.ignore)

    def severity_for(self, code: str, default: Severity) -> Severity:
        best = None
        for prefix, sev in self.severity.items():
            if code.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
                best = (prefix, sev)
        return best[1] if best else default

    def excluded(self, path: str) -> bool:
        p = Path(path).as_posix()
        return any(fnmatch.fnmatch(p, pat) or fnmatch.fnmatch(Path(p).name, pat) or f"/{pat.strip('/')}/" in f"/{p}/"
                   for pat in self.exclude)

    def merged(self, other: "Config") -> "Config":
        """`other` (e.g. the command line) wins over self (e.g. pyproject.toml) where it says something."""
        return Config(
            select=other.select or self.select,
            ignore=self.ignore + other.ignore,
            severity={**self.severity, **other.severity},
            exclude=self.exclude + other.exclude,
            strict=self.strict or other.strict,
        )

    @classmethod
    def from_mapping(cls, data: dict, source: str = "settings") -> "Config":
        """Build from `[tool.gradguard]` or an editor's settings; raises ConfigError with a clear message."""
        if not isinstance(data, dict):
            raise ConfigError(f"{source}: expected a table of settings, got {type(data).__name__}")

        def codes(key):
            value = data.get(key, [])
            if isinstance(value, str):
                value = [v.strip() for v in value.split(",") if v.strip()]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{source}: `{key}` must be a list of rule codes, e.g. [\"GG101\"]")
            return [v.strip().upper() for v in value]

        sev = data.get("severity", {})
        if not isinstance(sev, dict):
            raise ConfigError(f"{source}: `severity` must map rule codes to error|warning|information|hint")
        severity = {}
        for code, text in sev.items():
            try:
                severity[str(code).upper()] = Severity.parse(str(text))
            except ValueError:
                raise ConfigError(
                    f"{source}: severity of {code} is {text!r}; use error, warning, information or hint"
                ) from None
        exclude = data.get("exclude", [])
        if isinstance(exclude, str):
            exclude = [exclude]
        if not isinstance(exclude, list) or not all(isinstance(v, str) for v in exclude):
            raise ConfigError(f"{source}: `exclude` must be a list of glob patterns")
        strict = data.get("strict", False)
        if not isinstance(strict, bool):
            raise ConfigError(f"{source}: `strict` must be true or false")
        return cls(select=codes("select"), ignore=codes("ignore"), severity=severity, exclude=list(exclude),
                   strict=strict)


def find_pyproject(start: Path) -> Path | None:
    start = start.resolve()
    for folder in [start, *start.parents] if start.is_dir() else [start.parent, *start.parent.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_pyproject(path: Path) -> Config:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python < 3.11
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ModuleNotFoundError:
            return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read [tool.gradguard]: {exc}") from None
    table = data.get("tool", {}).get("gradguard")
    if table is None:
        return Config()
    source = f"{path}: [tool.gradguard]"
    if isinstance(table, dict):
        for key, value in table.items():
            if key not in PYPROJECT_KEYS:
                raise ConfigError(f"{source} {key} = {value!r}: unknown key (the keys are {', '.join(PYPROJECT_KEYS)})")
    config = Config.from_mapping(table, source=source)
    for key, codes in (("select", config.select), ("ignore", config.ignore), ("severity", list(config.severity))):
        bad = unknown_codes(codes)
        if bad:
            raise ConfigError(f"{source} {key} = {table[key]!r}: unknown rule code {bad[0]} "
                              "(`gradguard rules` lists them)")
    return config
