"""Implementation of :mod:`ember.bench` (the public facade): workloads, timing, report."""
