"""Every byte that leaves the process: storage, messaging, outgoing HTTP."""
