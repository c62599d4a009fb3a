"""The show file (install.toml): what plays, on what display, with which inputs."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from ..inputs.osc.config import OscConfig
from ..runtime.hours_config import OpeningHoursConfig
from ..runtime.settings import RuntimeConfig
from .common import DetectorName, MotionBackendName, Strict, Transition


class ShowSection(Strict):
    title: str = Field(default="Untitled exhibition", description="shown in logs, status and the overlay")
    content: str = Field(default="content", description="folder of media files, relative to install.toml")
    scenes: str = Field(default="scenes", description="folder of scene files, relative to install.toml")
    state: str = Field(
        default="var",
        description="folder for logs, statistics and screenshots, relative to install.toml",
    )
    playlist: list[str] = Field(
        default_factory=list,
        description="scene ids in playing order (required: a show without one is refused)",
    )
    words: str = Field(
        default="",
        description="the show's own words for visitors: a TOML table with the keys of installation/words.toml "
                    "(only those it changes), relative to install.toml; e.g. a translation",
    )


class DisplaySection(Strict):
    size: tuple[int, int] = Field(
        default=(1920, 1080),
        description="width and height in pixels of the show; on a screen of another size it is scaled to "
                    "fit, and on one of another shape it keeps its own, with black bars")
    fullscreen: bool = Field(default=True, description="fill the screen (kiosk) or open a window")
    fps: int = Field(default=60, ge=10, le=240, description="target frames per second")
    vsync: bool = Field(default=True, description="wait for the display's refresh to avoid tearing")
    rotation: Literal[0, 90, 180, 270] = Field(default=0, description="degrees clockwise, for portrait screens")
    hide_cursor: bool = Field(default=True, description="hide the mouse pointer")

    @field_validator("size")
    @classmethod
    def _sane_size(cls, value: tuple[int, int]) -> tuple[int, int]:
        if not (160 <= value[0] <= 7680 and 120 <= value[1] <= 4320):
            raise ValueError(f"size {value[0]}x{value[1]} is outside 160x120 .. 7680x4320")
        return value


class TransitionsSection(Strict):
    default: Transition = Field(default_factory=Transition, description="transition used when a scene names none")


class AttractSection(Strict):
    idle_timeout: float = Field(
        default=45.0, gt=0, description="seconds without input before an interactive scene lets the show go on"
    )
    default_duration: float = Field(
        default=30.0, gt=0, description="seconds a scene plays when neither it nor its kind sets a length"
    )


class InputsSection(Strict):
    keyboard: bool = Field(default=True, description="maintenance keys (`bayard keys` lists them)")
    touch: bool = Field(default=True, description="touch screen and mouse")
    operator_pin: str = Field(default="", description="PIN asked before the operator overlay opens, 3 to 8 "
                                                      "digits in quotes; empty: none")

    @field_validator("operator_pin", mode="before")
    @classmethod
    def _pin_digits(cls, value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool):
            # (Never repeated in the message: logs and status are read by more people than the PIN.)
            raise ValueError("write the PIN in quotes, as in operator_pin = \"4821\" (as a number, a leading 0 "
                             "would be lost)")
        if not isinstance(value, str):
            return value  # the type check says what is wrong
        # Checked here, with the file's line, as well as by the overlay: a PIN the overlay
        # refused at start left it off, found only when a technician needed it.
        if value and (not value.isdigit() or not 3 <= len(value) <= 8):
            raise ValueError(f"the operator PIN must be 3 to 8 digits in quotes (\"4821\"); this one has "
                             f"{len(value)} character(s){'' if value.isdigit() else ', not all digits'}")
        return value


class CameraSection(Strict):
    device: int | str | None = Field(
        default=0,
        description="camera index (0 is the first camera), or its device path, which stays the same "
                    "after a reboot or a replug where indices may not (`ls /dev/v4l/by-id/` lists them: "
                    "\"/dev/v4l/by-id/usb-...-video-index0\"); not used while `file` is set",
    )
    file: str = Field(default="", description="a video played as if it were the camera (demos and tests), "
                                              "relative to the content folder; while it is set, `device` "
                                              "is not used")
    size: tuple[int, int] = Field(default=(640, 480), description="capture size in pixels, 160x120 to 3840x2160")
    rotation: Literal[0, 90, 180, 270] = Field(
        default=0,
        description="how far the camera's picture is turned, in degrees clockwise (180: a camera "
                    "mounted upside down; 90 or 270: on its side, as on a screen turned for portrait); "
                    "frames are turned back upright before anything sees them. The portrait scene "
                    "reports the value to set when visitors' faces keep appearing turned",
    )
    mirrored: bool = Field(
        default=False,
        description="true when the camera's own driver already mirrors its picture (some webcams "
                    "do, and their makers' tools set it): the show then does not flip it again, so "
                    "visitors still see themselves as in a looking-glass and the portrait answers "
                    "like one. Set it if raising your right hand moves the hand on the screen's left",
    )
    recording: bool = Field(
        default=False,
        description="save each visit's moving portrait (never the camera image) to <state>/recordings; "
                    "when on, the screen tells visitors so",
    )
    recording_fps: int = Field(default=15, ge=1, le=60, description="frames per second of recorded clips")
    recording_seconds: float = Field(default=60.0, gt=0, le=600, description="longest clip, in seconds")
    recording_max_mb: float = Field(default=500.0, gt=0,
                                    description="recordings folder cap; the oldest clips are deleted beyond it")

    @field_validator("size")
    @classmethod
    def _capture_size(cls, value: tuple[int, int]) -> tuple[int, int]:
        # [0, 0] passed and the camera failed at run time with an OpenCV assertion.
        if not (160 <= value[0] <= 3840 and 120 <= value[1] <= 2160):
            raise ValueError(f"size {value[0]}x{value[1]} is outside 160x120 .. 3840x2160; "
                             "640x480 suits the face models")
        return value

    @field_validator("device")
    @classmethod
    def _camera_not_file(cls, value: int | str | None) -> int | str | None:
        if isinstance(value, int) and value < 0:
            raise ValueError(f"a camera index is 0 or more, not {value}")
        if isinstance(value, str) and not value.startswith("/dev/"):
            raise ValueError(f"'{value}' is not a camera: a camera is an index (0, 1, ...) or a path under "
                             "/dev/ (`ls /dev/v4l/by-id/` lists them); a video played as the camera goes in "
                             "`file`")
        return value


class ModelsSection(Strict):
    folder: str = Field(default="models", description="folder of model weights, relative to install.toml")
    motion: MotionBackendName = Field(default="auto",
                                     description="motion backend: auto, mesh, fomm, landmarks or flow")
    detector: DetectorName = Field(default="faces",
                                   description="fake-face detector backend: faces, spectral, cnn or none")
    device: Literal["auto", "cpu", "cuda"] = Field(
        default="auto",
        description="where torch models run (fomm, the cnn detector, live face generation): auto, a CUDA GPU "
        "where there is one; cpu keeps them off the GPU; $BAYARD_DEVICE overrides it. The face stack "
        "and the mesh portrait always run on the CPU",
    )


class LoggingSection(Strict):
    level: Literal["debug", "info", "warning", "error"] = Field(default="info", description="log detail")
    libraries: Literal["debug", "info", "warning", "error"] = Field(
        default="warning",
        description="log detail of the chattiest libraries the show uses (watchfiles, which watches the "
        "show's files), apart from `level`: at debug it wrote a line a second, each written to the log a "
        "change it then reported; raise it only to debug the watching itself",
    )


class ShowConfig(Strict):
    show: ShowSection = Field(default_factory=ShowSection, description="what plays")
    display: DisplaySection = Field(default_factory=DisplaySection, description="the screen")
    transitions: TransitionsSection = Field(default_factory=TransitionsSection, description="between scenes")
    attract: AttractSection = Field(default_factory=AttractSection, description="idle behaviour")
    inputs: InputsSection = Field(default_factory=InputsSection, description="visitor and maintenance input")
    camera: CameraSection = Field(default_factory=CameraSection, description="the visitor camera")
    models: ModelsSection = Field(default_factory=ModelsSection, description="model backends and weights")
    logging: LoggingSection = Field(default_factory=LoggingSection, description="logs")
    # Filled in by their own rooms (gallery control, unattended operation).
    osc: OscConfig = Field(default_factory=OscConfig, description="OSC remote control (see docs/osc.md)")
    hours: OpeningHoursConfig = Field(default_factory=OpeningHoursConfig,
                                      description="opening hours (see docs/deploy.md)")
    runtime: RuntimeConfig = Field(default_factory=RuntimeConfig,
                                   description="unattended operation: watchdog, reload, metrics, logs")
