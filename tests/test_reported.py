"""How the reports of one finding by several walks (or paths) merge: the surest and most severe report wins, and
brings its message, explanation and context with it."""

from gradguard.analysis.reported import merge_finding
from gradguard.findings import Finding, Related, Severity, Span

SPAN = Span(24, 9, 24, 17)


def report(severity, message, depends_on=None, by_default="", related=()):
    return Finding("GG201", severity, message, SPAN, list(related), [], [message + " (explained)"], depends_on,
                   None, {"by_default": by_default})


def merged(*reports):
    found = {}
    for r in reports:
        merge_finding(found, r)
    assert len(found) == 1
    return next(iter(found.values()))


def test_a_report_proven_on_every_path_no_longer_rests_on_the_defaults():
    # The first path ran with the block's default setting; the next ones saw the save on every path.
    f = merged(report(Severity.WARNING, "by default", by_default="`first_attn=True`"),
               report(Severity.ERROR, "always"))
    assert (f.severity, f.message, f.explanation, f.context["by_default"]) == \
        (Severity.ERROR, "always", ["always (explained)"], "")


def test_a_certain_report_replaces_one_that_depends_on_the_caller():
    f = merged(report(Severity.WARNING, "if the caller", depends_on="whether the caller passes `mask`",
                      by_default="`mode='a'`"),
               report(Severity.WARNING, "for sure"))
    assert (f.depends_on, f.message, f.context["by_default"]) == (None, "for sure", "")


def test_a_weaker_report_changes_nothing_but_adds_its_related_locations():
    where = Related(Span(3, 1, 3, 5), "saved here")
    f = merged(report(Severity.ERROR, "always"),
               report(Severity.WARNING, "by default", by_default="`first_attn=True`", related=[where]))
    assert (f.severity, f.message, f.context["by_default"], f.related) == (Severity.ERROR, "always", "", [where])


def test_an_uncertain_report_does_not_replace_a_certain_one():
    f = merged(report(Severity.WARNING, "for sure"),
               report(Severity.ERROR, "if the inputs require grad", depends_on="whether the inputs require grad"))
    assert (f.severity, f.message, f.depends_on) == (Severity.WARNING, "for sure", None)
