"""`gradguard trace`: run a program under torch and name the line that broke autograd.

Only the `trace` command imports this package, and only its recorder and runner import torch: the static
analysis and the language server never do (the server reads the JSON result that `trace` leaves behind, see
`lsp/trace_results.py`).

    frames.py    which frames are the user's code, and the call chain of a place (no torch)
    events.py    what the recorder observed, as plain data (no torch)
    recorder.py  saved-tensor hooks + a dispatch mode that watch the saved tensors (torch)
    numpy_watch.py  the line tracer that finds the NumPy write to a saved tensor (torch)
    runner.py    runs the script or module under the recorder, maps torch's errors to rule codes (torch)
    report.py    events -> gradguard Findings, the link to the static analysis, output, last.json (no torch)
"""
