"""Speed of the `fomm` backend at 256x256, batch 1, with random vox-256 weights.

    python bench/fomm_gpu.py                 # CUDA if present, else a short CPU run
    python bench/fomm_gpu.py --cuda-graph    # also replay the per-frame step as a CUDA graph
    python bench/fomm_gpu.py --live VIDEO    # the live path: a video as the camera -> worker -> screen
    BAYARD_DEVICE=cpu python bench/fomm_gpu.py --frames 2

On CUDA it prints frames per second for fp32 and fp16: the model step alone (driver
keypoints + generator decode with the portrait's encoding cached, as the live backend
runs), end to end (uint8 crop in, uint8 crop out, host<->device copies included) and,
for comparison, without the source cache. Timings bracket torch.cuda.synchronize().
On a CPU it runs a frame or two and prints seconds per frame: FOMM is not a CPU method.
The issue's target: at least 200 fps at batch 1 on one H200 (Avatarify: 33 on a 1080 Ti).

`--live` runs the show's own live path with these networks: the video stands in for a 30 fps
camera, the animator worker (face tracking, crop, FOMM, paste back into the whole portrait)
runs in its thread, and a 60 Hz loop draws its newest result with the dummy video driver.
Printed: results per second and camera-to-screen latency (the figures bench/portrait.py
prints for the mesh backend).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

import numpy as np  # noqa: E402
import torch  # noqa: E402

from installation.models.motion.fomm.networks import VOX_256, build  # noqa: E402
from installation.models.motion.fomm.wrapper import FommWrapper, pick_device  # noqa: E402


def timed(fn, frames: int, warmup: int, cuda: bool) -> tuple[float, float]:
    """(wall seconds, process CPU seconds) per call of fn after warm-up.

    CPU seconds matter on a shared machine: wall time there depends on the neighbours."""
    for _ in range(warmup):
        fn()
    if cuda:
        torch.cuda.synchronize()
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(frames):
        fn()
    if cuda:
        torch.cuda.synchronize()
    return (time.perf_counter() - start) / frames, (time.process_time() - cpu_start) / frames


def graph_step(step, example: torch.Tensor):
    """Capture step(static input) as a CUDA graph; returns (replay, static input)."""
    static_in = example.clone()
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):  # warm up (cuDNN autotuning) outside the capture
        for _ in range(3):
            step(static_in)
    torch.cuda.current_stream().wait_stream(side)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        step(static_in)
    return graph.replay, static_in


def live(video: Path, seconds: float, device: torch.device, precision: str,
         channels_last: bool | None = None) -> None:
    import os

    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import cv2
    import pygame
    from live_timing import draw_live

    from installation.inputs.camera import Camera
    from installation.models.motion.animator_worker import AnimatorWorker
    from installation.models.motion.fomm.backend import FommBackend
    from installation.models.motion.pipeline import PortraitAnimator

    root = Path(__file__).resolve().parents[1]
    portrait = cv2.cvtColor(cv2.imread(str(root / "content/portraits/thoreau-1856.jpg")), cv2.COLOR_BGR2RGB)
    torch.manual_seed(0)
    kp_detector, generator = build(VOX_256)
    backend = FommBackend.from_networks(kp_detector, generator, config=VOX_256, device=str(device),
                                        precision=precision, channels_last=channels_last)
    layout = "NHWC" if backend.wrapper.channels_last else "NCHW"
    pygame.init()
    screen = pygame.display.set_mode((1280, 720))
    animator = PortraitAnimator(backend, portrait)
    camera = Camera(video, size=(640, 480)).start()
    worker = AnimatorWorker(animator, camera).start()
    try:
        worker.mode = "live"
        worker.request_calibration()
        if not worker.calibrated.wait(20.0):
            print(f"live ({precision}, {layout}): no calibration in 20 s (no face in {video.name}?)")
            return
        worker_part: list[float] = []
        latencies, results, elapsed = draw_live(worker, screen, seconds, worker_part)
    finally:
        worker.stop()
        camera.stop()
    if not latencies:
        print(f"live ({precision}, {layout}): no live result in {seconds:.0f} s")
        return
    lat = np.array(latencies) * 1e3
    print(f"live ({precision}, {layout}), {video.name}: results/s {results / elapsed:5.1f}   "
          f"camera-to-screen p50 {np.median(lat):6.1f} ms   p99 {np.percentile(lat, 99):6.1f} ms   "
          f"(camera-to-ready p50 {np.median(worker_part) * 1e3:.1f} ms)", flush=True)


def report(label: str, times: tuple[float, float], cuda: bool) -> None:
    seconds, cpu_seconds = times
    if cuda:
        print(f"  {label:<34} {seconds * 1000:7.2f} ms/frame  {1.0 / seconds:7.1f} fps", flush=True)
    else:
        print(f"  {label:<34} {seconds:7.2f} s/frame  ({cpu_seconds:.2f} CPU-s/frame)", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--device", help="cpu, cuda or cuda:N (default: $BAYARD_DEVICE, else auto)")
    parser.add_argument("--frames", type=int, help="timed frames (default 300 on CUDA, 2 on CPU)")
    parser.add_argument("--warmup", type=int, help="untimed frames first (default 30 on CUDA, 1 on CPU)")
    parser.add_argument(
        "--precision", nargs="+", choices=["fp32", "fp16"], help="default: both on CUDA, fp32 on CPU"
    )
    parser.add_argument(
        "--cuda-graph", action="store_true", help="also time the model step replayed as a CUDA graph"
    )
    parser.add_argument(
        "--flops", action="store_true", help="count GFLOPs per frame (cached and not) instead of timing"
    )
    parser.add_argument("--no-fold", action="store_true", help="keep batch norms separate (for comparison)")
    parser.add_argument(
        "--layout",
        choices=["auto", "nchw", "nhwc"],
        default="auto",
        help="convolution memory format (auto: the wrapper's default, NHWC)",
    )
    parser.add_argument(
        "--no-uncached", action="store_true", help="skip the comparison without the source cache"
    )
    parser.add_argument("--threads", type=int, help="CPU threads for torch (default: torch's choice)")
    parser.add_argument("--live", type=Path, metavar="VIDEO", help="time the live path, VIDEO as the camera")
    parser.add_argument("--live-seconds", type=float, default=8.0)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

    device = pick_device(args.device)
    cuda = device.type == "cuda"
    frames = args.frames or (300 if cuda else 2)
    warmup = args.warmup if args.warmup is not None else (30 if cuda else 1)
    precisions = args.precision or (["fp32", "fp16"] if cuda else ["fp32"])
    name = torch.cuda.get_device_name(device) if cuda else f"CPU, {torch.get_num_threads()} threads"
    print(f"FOMM vox-256, random weights, 256x256, batch 1 | {name} | torch {torch.__version__}", flush=True)
    if args.live:
        for precision in precisions:
            live(args.live, args.live_seconds, device, precision,
                 {"auto": None, "nchw": False, "nhwc": True}[args.layout])
        return 0

    rng = np.random.default_rng(0)
    source = rng.integers(0, 256, (256, 256, 3), dtype=np.uint8)
    driver = rng.integers(0, 256, (256, 256, 3), dtype=np.uint8)
    for precision in precisions:
        torch.manual_seed(0)
        kp_detector, generator = build(VOX_256)
        w = FommWrapper(
            kp_detector,
            generator,
            config=VOX_256,
            device=str(device),
            precision=precision,
            fold_bn=not args.no_fold,
            channels_last={"auto": None, "nchw": False, "nhwc": True}[args.layout],
        )
        w.set_source(source)
        w.calibrate(driver)
        x = w.to_tensor(driver)
        layout = "NHWC" if w.channels_last else "NCHW"
        print(f"{precision}, {layout}, batch norms {'separate' if args.no_fold else 'folded'}:", flush=True)

        @torch.inference_mode()
        def step(image: torch.Tensor, w=w) -> torch.Tensor:
            return w.render(w.kp_detector(image))

        if args.flops:
            from torch.utils.flop_counter import FlopCounterMode

            with torch.inference_mode():
                with FlopCounterMode(display=False) as counter:
                    step(x)
                cached = counter.get_total_flops() / 1e9
                with FlopCounterMode(display=False) as counter:
                    w.generator.encode_source(w.to_tensor(source))
                encode = counter.get_total_flops() / 1e9
            print(f"  per frame: {cached:.1f} GFLOPs with the source cached, {cached + encode:.1f} without")
            continue
        report(
            "model step (source cached)", timed(lambda x=x, step=step: step(x), frames, warmup, cuda), cuda
        )
        report(
            "end to end (uint8 in/out)",
            timed(lambda w=w: w.animate(driver), frames if cuda else 1, warmup, cuda),
            cuda,
        )
        if not args.no_uncached:

            @torch.inference_mode()
            def uncached(image: torch.Tensor, w=w) -> torch.Tensor:
                kp = w.driven_keypoints(w.kp_detector(image))
                return w.generator(w.to_tensor(source), kp, w.kp_source)["prediction"]

            report(
                "model step, source re-encoded",
                timed(lambda x=x, f=uncached: f(x), frames if cuda else 1, 0 if not cuda else warmup, cuda),
                cuda,
            )
        if args.cuda_graph and cuda:
            try:
                with torch.inference_mode():
                    replay, static_in = graph_step(step, x)
                report("model step as a CUDA graph", timed(replay, frames, warmup, cuda), cuda)
            except Exception as e:  # a capture failure must not hide the figures above
                print(f"  CUDA graph capture failed: {type(e).__name__}: {str(e).splitlines()[0][:200]}")
        del w, kp_detector, generator
        if cuda:
            torch.cuda.empty_cache()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
