"""Export, launch and follow fine-tunes: the launch tab and its parts.

`LaunchTab(session, connections, parent)` is what the window shows; `ExportPanel` (choices,
pre-flight gate, estimate, Launch) and `JobsView` (jobs, polling, loss curves, deploy) are
its two halves.
"""

from tunedeck.ui.launch.launch_tab import LaunchTab

__all__ = ["LaunchTab"]
