"""Where the rooms plug into the engine and the CLI.

Each optional room (OSC, touch, camera, models, opening hours, watchdog) attaches
itself here, so the engine core stays free of them and each can fail on its own
without taking the show down.
"""

from __future__ import annotations

import importlib
import logging
import re
from typing import Any

log = logging.getLogger("bayard.services")

# Modules that may offer `add_commands(subparsers)`; missing ones are skipped.
ROOM_CLIS = (
    "installation.runtime.cli",
    "installation.models.motion.fomm.cli",
    "installation.models.motion.cli",
    "installation.models.motion.inspect",
    "installation.models.detector.cli",
    "installation.models.generator.cli",
)


def add_room_commands(subparsers: Any) -> None:
    for module_name in ROOM_CLIS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue
            raise
        module.add_commands(subparsers)


def attach_services(engine: Any, presenter: Any) -> None:
    """Start the optional rooms for a live show. Each attach is idempotent and
    failure-contained: a room that cannot start is reported, the show plays on."""
    from .inputs.osc.service import attach as attach_osc
    from .inputs.touch import attach as attach_touch
    from .overlay import attach as attach_overlay
    from .runtime.attach import attach as attach_runtime

    show = engine.show.config
    _attach("runtime", attach_runtime, engine, presenter)
    _attach("osc", attach_osc, engine, presenter)
    if show.inputs.touch:
        _attach("touch", attach_touch, engine, presenter)
    _attach("overlay", attach_overlay, engine, presenter)


def _attach(name: str, attach: Any, engine: Any, presenter: Any) -> None:
    try:
        attach(engine, presenter)
    except Exception as exc:  # one room failing to start must not stop the show
        log.exception("%s could not start; the show plays on without it", name)
        engine.record_error(name, f"could not start: {exc}")


def describe_models(show: Any) -> list[str]:
    """Lines for `bayard check` about which model backends will run and why."""
    from .models.device import use_show_device
    from .models.motion.choose import choose_backend
    from .scenes.loop import describe as describe_loops
    from .scenes.quiz_check import describe as describe_quizzes

    use_show_device(show.config.models.device)  # as the engine will when it plays this show
    lines = [_device_line(show.config.models.device)]
    if any(config.type == "portrait" for config in show.scenes.values()):
        lines.append(choose_backend(show.models_dir, show.config.models.motion).summary())
    return lines + describe_loops(show) + describe_quizzes(show)


def _device_line(setting: str) -> str:
    """Where torch models (fomm, the cnn detector, live face generation) will run, and why."""
    from .models.device import cuda_name, cuda_present, no_cuda_why, requested_device

    asked = requested_device()
    if asked is None:
        if cuda_present():
            return f"model device: auto (CUDA device {cuda_name()})"
        return f"model device: auto ({no_cuda_why()}; torch models use the CPU)"
    name, where = asked
    if not re.fullmatch(r"cpu|cuda(:[0-9]+)?", name):
        return (f"model device: {where} is not a device this show knows; use cpu, cuda or cuda:N "
                "(until then torch models keep off the GPU, and the cnn detector does not load)")
    if name.startswith("cuda") and not cuda_present():
        return (f"model device: {where}, but this machine has no CUDA device: models that need one fall back "
                'as below; set device = "auto" or "cpu" under [models] in install.toml')
    if name.startswith("cuda:"):
        from .models.device import pick_device

        try:
            pick_device()  # a GPU this machine does not have (cuda:3 on a one-GPU machine)
        except ValueError as error:
            return f"model device: {error}; models that need it fall back as below"
    return f"model device: {name} ({where})"
