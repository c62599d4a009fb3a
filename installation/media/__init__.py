"""Media decoding ahead of the display: frames with presentation timestamps.

Video is decoded and scaled on a worker thread into a bounded queue; the render loop
only picks, by the scene clock, the frame whose time has come. Nothing here touches
pygame, so workers never race the display.
"""

from .sources import (
    Frame,
    FrameStats,
    GeneratorSource,
    ImageSource,
    MediaSource,
    VideoSource,
    fit_size,
    open_source,
)

__all__ = [
    "Frame",
    "FrameStats",
    "GeneratorSource",
    "ImageSource",
    "MediaSource",
    "VideoSource",
    "fit_size",
    "open_source",
]
