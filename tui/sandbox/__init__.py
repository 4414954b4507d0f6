"""The embedded AWS sandbox: moto + trellis's Lattice/ECS extensions + fault injection.

    from tui.sandbox import Sandbox, Faults
    with Sandbox(seed="none", faults=Faults(throttle_rate=0.2)) as sb:
        sb.client("vpc-lattice").list_services()

Importing this package does not import moto; ``Sandbox.start()`` does.
"""

from tui.sandbox.faults import Faults
from tui.sandbox.requestlog import Request, RequestLog
from tui.sandbox.server import Sandbox

__all__ = ["Faults", "Request", "RequestLog", "Sandbox"]
