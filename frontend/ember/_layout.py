"""Tensor layouts. Ember has one: ``ember.strided``."""

__all__ = ["layout", "strided"]


class layout:
    """A memory layout; ``ember.strided`` is the only one."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"ember.{self.name}"


strided = layout("strided")
