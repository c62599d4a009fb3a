"""Content and model packs against a local HTTP server: verify, resume, reject, import, credits."""

from __future__ import annotations

import argparse
import hashlib
import http.server
import threading
from pathlib import Path

import pytest

from installation.runtime import assets
from installation.runtime.assets import AssetError, credits_for, load_manifest
from installation.runtime.cli import add_commands

PHOTO = bytes(range(256)) * 4000  # ~1 MB, several chunks
MODEL = b"weights" * 50_000


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Server:
    """Serves byte strings with HTTP Range support; can cut a response short or ignore Range."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.cut_after: dict[str, int] = {}  # path -> bytes to send before dropping, once
        self.ignore_range = False
        self.ranges: list[str | None] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                data = outer.files.get(self.path)
                if data is None:
                    self.send_error(404)
                    return
                header = self.headers.get("Range")
                outer.ranges.append(header)
                start = 0
                if header and not outer.ignore_range:
                    start = int(header.split("=")[1].split("-")[0])
                    if start >= len(data):
                        self.send_response(416)
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                else:
                    self.send_response(200)
                body = data[start:]
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                cut = outer.cut_after.pop(self.path, None)
                if cut is not None:
                    self.wfile.write(body[:cut])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = Server()
    yield s
    s.close()


def write_manifest(folder: Path, entries: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for entry in entries:
        lines.append("[[asset]]")
        for key, value in entry.items():
            if value is None:
                continue
            lines.append(f"{key} = {value!r}".replace("'", '"') if isinstance(value, str) else
                         f"{key} = {str(value).lower()}")
        lines.append("")
    path = folder / "manifest.toml"
    path.write_text("\n".join(lines))
    return path


def photo_entry(url: str, **extra) -> dict:
    entry = dict(id="bayard-1840", path="photographs/bayard.png", url=url, sha256=sha(PHOTO), size=len(PHOTO),
                 licence="Public domain", credit="Hippolyte Bayard, 1840, Société française de photographie")
    entry.update(extra)
    return entry


def test_fetch_installs_a_verified_file(server, tmp_path):
    server.files["/bayard.png"] = PHOTO
    manifest = load_manifest(write_manifest(tmp_path / "content", [photo_entry(server.url + "/bayard.png")]))
    assert assets.check(manifest, manifest.entries[0]).state == "missing"
    done, errors = assets.fetch([manifest], quiet=True)
    assert errors == [] and [d.entry.id for d in done] == ["bayard-1840"]
    assert (tmp_path / "content/photographs/bayard.png").read_bytes() == PHOTO
    assert not (tmp_path / "content/photographs/bayard.png.part").exists()
    # A second fetch has nothing to do and downloads nothing.
    requests = len(server.ranges)
    assert assets.fetch([manifest], quiet=True) == ([], [])
    assert len(server.ranges) == requests


def test_checksum_mismatch_is_rejected(server, tmp_path):
    server.files["/bayard.png"] = PHOTO[:-1] + b"X"  # same size, one byte differs
    manifest = load_manifest(write_manifest(tmp_path / "content", [photo_entry(server.url + "/bayard.png")]))
    done, errors = assets.fetch([manifest], quiet=True)
    assert done == []
    assert "checksum mismatch" in errors[0] and "not installed" in errors[0] and sha(PHOTO) in errors[0]
    assert not list((tmp_path / "content/photographs").iterdir())  # neither target nor .part


def test_interrupted_download_resumes_with_range(server, tmp_path):
    server.files["/bayard.png"] = PHOTO
    server.cut_after["/bayard.png"] = 300_000
    manifest = load_manifest(write_manifest(tmp_path / "content", [photo_entry(server.url + "/bayard.png")]))
    entry = manifest.entries[0]
    with pytest.raises(AssetError, match="interrupted.*resume"):
        assets.download(manifest, entry, attempts=1, quiet=True)
    part = tmp_path / "content/photographs/bayard.png.part"
    assert part.stat().st_size == 300_000
    assert assets.check(manifest, entry).state == "partial"
    assets.download(manifest, entry, quiet=True)
    assert server.ranges[-1] == "bytes=300000-"
    assert (tmp_path / "content/photographs/bayard.png").read_bytes() == PHOTO


def test_retry_within_one_fetch_and_server_without_range(server, tmp_path):
    server.files["/bayard.png"] = PHOTO
    server.cut_after["/bayard.png"] = 123_456
    server.ignore_range = True  # answers 200 to a Range request: start again cleanly
    manifest = load_manifest(write_manifest(tmp_path / "content", [photo_entry(server.url + "/bayard.png")]))
    done, errors = assets.fetch([manifest], quiet=True)
    assert errors == [] and server.ranges == [None, "bytes=123456-"]
    assert (tmp_path / "content/photographs/bayard.png").read_bytes() == PHOTO


def test_corrupt_installed_file_is_detected_and_replaced(server, tmp_path):
    server.files["/bayard.png"] = PHOTO
    manifest = load_manifest(write_manifest(tmp_path / "content", [photo_entry(server.url + "/bayard.png")]))
    target = tmp_path / "content/photographs/bayard.png"
    target.parent.mkdir(parents=True)
    target.write_bytes(PHOTO[: len(PHOTO) // 2])
    assert assets.check(manifest, manifest.entries[0]).state == "corrupt"
    assets.fetch([manifest], quiet=True)
    assert target.read_bytes() == PHOTO


def test_http_error_and_missing_url_are_clear(server, tmp_path):
    manifest = load_manifest(write_manifest(tmp_path / "models", [
        photo_entry(server.url + "/gone.png"),
        dict(id="fomm", path="fomm/vox.pth", sha256=sha(MODEL), licence="MIT"),
    ]))
    done, errors = assets.fetch([manifest], quiet=True)
    assert "HTTP 404" in errors[0]
    assert "no url" in errors[1] and "assets import" in errors[1]


def test_pinning_refuses_a_picture_cut_short(server, tmp_path, capsys):
    """A half-copied JPEG on a stick (or a download cut off by a proxy that still said 200)
    was pinned: its checksum went into the manifest, and from then on `assets status`
    vouched for the broken file. Pinning decodes the file first."""
    import cv2
    import numpy as np

    picture = cv2.imencode(".jpg", np.random.default_rng(3).integers(0, 256, (400, 400, 3), dtype=np.uint8))[1]
    half = picture.tobytes()[: picture.size // 2]
    stick = tmp_path / "stick"
    stick.mkdir()
    (stick / "bayard.jpg").write_bytes(half)
    server.files["/bayard.jpg"] = half
    path = tmp_path / "content/manifest.toml"
    path.parent.mkdir()
    path.write_text('[[asset]]\nid = "bayard-1840"\npath = "photographs/bayard.jpg"\n'
                    f'url = "{server.url}/bayard.jpg"\nsha256 = ""\nlicence = "Public domain"\n')
    show = ["--show", str(tmp_path)]
    for command in (["import", str(stick)], ["fetch"]):
        assert run_cli(["assets", *command, *show, "-q", "--pin"]) == 1
        said = capsys.readouterr().err
        assert "bayard-1840" in said and "cannot be decoded" in said and "nothing was installed or pinned" in said
        assert 'sha256 = ""' in path.read_text()
        assert not (tmp_path / "content/photographs/bayard.jpg").exists()
        assert list((tmp_path / "content/photographs").glob("*.part")) == []


def test_import_from_a_folder_by_name_and_by_checksum(tmp_path):
    stick = tmp_path / "USB"
    (stick / "deep/er").mkdir(parents=True)
    (stick / "bayard.png").write_bytes(b"not the photo" * 10)  # right name, wrong content
    (stick / "deep/er/IMG_0001.PNG").write_bytes(PHOTO)  # right content, another name
    (stick / "vox.pth").write_bytes(MODEL)
    (stick / "._vox.pth").write_bytes(b"macos junk")
    manifest = load_manifest(write_manifest(tmp_path / "show/models", [
        photo_entry("", size=None),
        dict(id="fomm", path="fomm/vox.pth", sha256=sha(MODEL), size=len(MODEL), licence="MIT"),
        dict(id="absent", path="x.bin", sha256=sha(b"nothing"), licence="MIT", required=False),
    ]))
    done, problems = assets.import_folder([manifest], stick, quiet=True)
    assert sorted(d.entry.id for d in done) == ["bayard-1840", "fomm"]
    assert (tmp_path / "show/models/photographs/bayard.png").read_bytes() == PHOTO
    assert (tmp_path / "show/models/fomm/vox.pth").read_bytes() == MODEL
    assert len(problems) == 1 and "absent: not found" in problems[0]
    with pytest.raises(AssetError, match="not a folder"):
        assets.import_folder([manifest], tmp_path / "nope")


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bayard")
    add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_status_fetch_and_errors(server, tmp_path, capsys):
    server.files["/bayard.png"] = PHOTO
    show = tmp_path / "show"
    write_manifest(show / "content", [photo_entry(server.url + "/bayard.png", title="The drowned man")])
    assert run_cli(["assets", "status", "--show", str(show)]) == 1
    out = capsys.readouterr().out
    assert "missing" in out and "bayard assets fetch bayard-1840" in out and "1 required missing" in out
    assert "\n          The drowned man\n" in out  # a missing file is named for what it is
    assert run_cli(["assets", "fetch", "--show", str(show / "install.toml"), "-q"]) == 0  # file or folder
    assert run_cli(["assets", "status", "--show", str(show)]) == 0
    assert "1 of 1 installed" in capsys.readouterr().out
    assert run_cli(["assets", "fetch", "--show", str(show), "bayard-1804"]) == 1
    err = capsys.readouterr().err
    assert "did you mean 'bayard-1840'" in err and "Traceback" not in err
    assert run_cli(["assets", "status", "--show", str(tmp_path / "empty")]) == 1
    assert "no manifest" in capsys.readouterr().err


def test_cli_add_writes_an_entry_that_round_trips(tmp_path, capsys):
    source = tmp_path / "scan.png"
    source.write_bytes(PHOTO)
    show = tmp_path / "show"
    assert run_cli(["assets", "add", str(source), "--show", str(show), "--id", "scan", "--licence", "CC BY 4.0",
                    "--credit", 'Jane "J" Doe', "--path", "photographs/scan.png"]) == 0
    manifest = load_manifest(show / "content/manifest.toml")
    assert manifest.entries[0].credit == 'Jane "J" Doe' and manifest.entries[0].sha256 == sha(PHOTO)
    assert assets.check(manifest, manifest.entries[0]).state == "installed"
    assert run_cli(["assets", "add", str(source), "--show", str(show), "--id", "scan", "--licence", "x"]) == 1
    assert "already exists" in capsys.readouterr().err
    # A bad id or path is one line, not pydantic's report with a link to its docs.
    assert run_cli(["assets", "add", str(source), "--show", str(show), "--id", "a b", "--licence", "x"]) == 1
    err = capsys.readouterr().err
    assert "--id:" in err and "errors.pydantic.dev" not in err and "Traceback" not in err


@pytest.mark.parametrize("entry, message", [
    (dict(path="../outside.png"), "inside the manifest's folder"),
    (dict(path="/etc/passwd"), "inside the manifest's folder"),
    (dict(sha256="abc"), "sha256"),
    (dict(url="ftp://x"), "http"),
    (dict(licence_="x"), "licence_"),
])
def test_manifest_errors_name_entry_and_key(tmp_path, entry, message):
    data = photo_entry("")
    data.update(entry)
    with pytest.raises(AssetError, match=message) as info:
        load_manifest(write_manifest(tmp_path, [data]))
    assert "manifest.toml" in str(info.value) and "bayard-1840" in str(info.value)


def test_duplicate_ids_and_bad_toml(tmp_path):
    with pytest.raises(AssetError, match="already used by #1"):
        load_manifest(write_manifest(tmp_path, [photo_entry(""), photo_entry("")]))
    bad = tmp_path / "bad.toml"
    bad.write_text("[[asset]\nid = 1")
    with pytest.raises(AssetError, match="not valid TOML"):
        load_manifest(bad)


def test_credits_for_media_paths(tmp_path):
    content = write_manifest(tmp_path / "content", [
        photo_entry(""),
        dict(id="faces", path="faces", sha256=sha(b""), licence="CC BY 4.0", credit="Generated by X"),
        dict(id="pd", path="pd.png", sha256=sha(b"1"), licence="Public domain"),
    ])
    models = write_manifest(tmp_path / "models", [dict(id="m", path="m.pth", sha256=sha(b"2"), licence="MIT",
                                                       credit="Model authors")])
    manifests = [load_manifest(content), load_manifest(models)]
    root = tmp_path / "content"
    assert credits_for("photographs/bayard.png", manifests, root) == [
        "Hippolyte Bayard, 1840, Société française de photographie (Public domain)"]
    assert credits_for("faces/0001.png", manifests, root) == ["Generated by X (CC BY 4.0)"]
    assert credits_for("pd.png", manifests, root) == ["Public domain"]
    assert credits_for("other.png", manifests, root) == []
    assert credits_for("m.pth", manifests, root) == []  # models are not credited on screen via content paths


def test_the_default_exhibition_manifest_loads():
    manifest = load_manifest(Path(__file__).resolve().parents[1] / "content" / "manifest.toml")
    assert manifest.entries and all(e.licence for e in manifest.entries)


def _png(seed: int = 0) -> bytes:
    """A real picture (pinning decodes what it pins), noisy so it is some 700 KB."""
    import cv2
    import numpy as np

    noise = np.random.default_rng(seed).integers(0, 256, (480, 480, 3), dtype=np.uint8)
    return cv2.imencode(".png", noise)[1].tobytes()


def test_entry_without_checksum_needs_pin_then_records_it(server, tmp_path, capsys):
    PHOTO = _png()
    server.files["/bayard.png"] = PHOTO
    path = tmp_path / "content/manifest.toml"
    path.parent.mkdir()
    path.write_text(
        "# curated by hand\n[[asset]]\n"
        f'id = "bayard-1840"\ntitle = "The drowned man"\npath = "photographs/bayard.png"\n'
        f'url = "{server.url}/bayard.png"\nsha256 = ""\nlicence = "Public domain"\nrequired = false\n\n'
        '[[asset]]\nid = "other"\npath = "o.png"\nsha256 = ""\nlicence = "CC0"\n')
    show = ["--show", str(tmp_path)]
    assert run_cli(["assets", "fetch", *show, "-q", "bayard-1840"]) == 1
    assert "cannot be verified" in capsys.readouterr().err and server.ranges == []
    assert run_cli(["assets", "fetch", *show, "-q", "--pin", "bayard-1840"]) == 0
    text = path.read_text()
    assert f'sha256 = "{sha(PHOTO)}"' in text and f"size = {len(PHOTO)}" in text and "# curated by hand" in text
    manifest = load_manifest(path)
    assert manifest.entries[0].sha256 == sha(PHOTO) and manifest.entries[1].sha256 == ""
    assert assets.check(manifest, manifest.entries[0]).state == "installed"
    # Now pinned: a changed file on the server is rejected like any mismatch.
    server.files["/bayard.png"] = PHOTO[::-1]
    (tmp_path / "content/photographs/bayard.png").unlink()
    assert run_cli(["assets", "fetch", *show, "-q", "bayard-1840"]) == 1
    assert "checksum mismatch" in capsys.readouterr().err


def _faststart_film(path: Path, seconds: float = 4.0) -> bytes:
    """A film of ours with its index at the front (as web and editing tools write MP4s), so
    a copy cut off part-way still starts and its first frame decodes."""
    import imageio_ffmpeg
    import numpy as np

    writer = imageio_ffmpeg.write_frames(str(path), (160, 96), fps=25, macro_block_size=16,
                                         output_params=["-movflags", "+faststart", "-g", "25"])
    writer.send(None)
    for index in range(round(seconds * 25)):
        frame = np.full((96, 160, 3), index % 256, np.uint8)
        frame[20:40, index % 140:index % 140 + 20] = 255
        writer.send(frame)
    writer.close()
    return path.read_bytes()


def test_pinning_refuses_a_film_cut_short_whose_start_plays(server, tmp_path, capsys):
    """A faststart MP4 cut off at 60% (a download that stopped, a stick pulled early) was
    pinned: its first frame decodes, so the probe passed it, and the film stopped part-way
    in front of visitors while `assets status` vouched for it."""
    whole = _faststart_film(tmp_path / "whole.mp4")
    stick = tmp_path / "stick"
    stick.mkdir()
    (stick / "film.mp4").write_bytes(whole[: len(whole) * 6 // 10])
    server.files["/film.mp4"] = whole[: len(whole) * 6 // 10]
    path = tmp_path / "content/manifest.toml"
    path.parent.mkdir()
    path.write_text('[[asset]]\nid = "film"\npath = "films/film.mp4"\n'
                    f'url = "{server.url}/film.mp4"\nsha256 = ""\nlicence = "CC0"\n')
    show = ["--show", str(tmp_path)]
    for command, origin in ((["import", str(stick)], str(stick / "film.mp4")),
                            (["fetch"], f"{server.url}/film.mp4")):
        assert run_cli(["assets", *command, *show, "-q", "--pin"]) == 1
        said = capsys.readouterr().err
        assert f"film: {origin} is cut short: it should last 4.0 s, but its data stops at" in said, said
        assert "nothing was installed or pinned: copy or download it again, whole, then pin it" in said
        assert said.count("again, whole") == 1, said  # one fix, not the probe's and then this one
        assert 'sha256 = ""' in path.read_text() and not (tmp_path / "content/films/film.mp4").exists()
    # The whole film pins.
    (stick / "film.mp4").write_bytes(whole)
    assert run_cli(["assets", "import", str(stick), *show, "-q", "--pin"]) == 0
    assert f'sha256 = "{sha(whole)}"' in path.read_text()
