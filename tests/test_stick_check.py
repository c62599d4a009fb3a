"""`bayard check` on the film cache: it names the folder the show will copy films into and
the room on its disk, read as the kiosk's service runs the show (/var/cache/bayard/films),
not from check's own shell (~/.cache/bayard/films, maybe on another disk), and says which
it assumed. (Files under /var/cache lie on a drive of their own, as this test says.)"""

from __future__ import annotations

from pathlib import Path

from installation.cli import main
from installation.config.loader import load_show
from installation.media import drives
from installation.runtime import host_check, units

from .conftest import REPO, write_show

KIOSK_UNIT = REPO / "deploy" / "bayard.service"  # as setup-kiosk.sh installs it: CacheDirectory=bayard
VAR_CACHE = Path("/var/cache")


def _show_with_films(tmp_path: Path) -> Path:
    """Two 700 kB films beside the show, in home's disk, and film_cache_mb = 1."""
    path = write_show(tmp_path / "show", {"films": 'type = "video"\nid = "films"\nfile = "x.mp4"\n',
                                          "more": 'type = "video"\nid = "more"\nfile = "y.mp4"\n'},
                      extra="[runtime]\nfilm_cache_mb = 1\n")
    for name in ("x.mp4", "y.mp4"):
        (path.parent / "content" / name).write_bytes(b"\0" * 700_000)
    return path


def _film_cache_line(path: Path, capsys) -> tuple[str, str]:
    main(["check", "--fast", "--show", str(path)])
    out = capsys.readouterr().out
    return next(line for line in out.splitlines() if line.startswith("Film cache:")), out


def test_check_judges_the_film_cache_the_kiosk_service_uses_not_its_own_shells(tmp_path, capsys, monkeypatch):
    """The films lie on the disk of the technician's home, not on that of /var/cache: check,
    judging by ~/.cache, took them for the show's own disk's and said nothing, while the
    service copies them to /var/cache/bayard/films, where they do not all fit."""
    monkeypatch.setattr(drives, "device", lambda path: 3 if VAR_CACHE in (path, *path.parents) else 1)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("CACHE_DIRECTORY", raising=False)
    path = _show_with_films(tmp_path)
    monkeypatch.setattr(units, "SERVICE_UNIT", KIOSK_UNIT)
    line, out = _film_cache_line(path, capsys)
    assert line.startswith("Film cache: /var/cache/bayard/films, as bayard.service runs the show; "), line
    assert "MB free on its disk" in line and "films on another drive come to 1.4 MB of its 1.0 MB" in line
    assert "set [runtime] film_cache_mb = 2 to copy them all" in out
    # No service here: this shell's folder, said as such, with how to judge the service's.
    monkeypatch.setattr(units, "SERVICE_UNIT", tmp_path / "none.service")
    line, out = _film_cache_line(path, capsys)
    assert line.startswith(f"Film cache: {tmp_path / 'home' / '.cache' / 'bayard' / 'films'}, from this shell's "
                           "environment, no kiosk service being installed; under deploy/bayard.service it is "
                           "/var/cache/bayard/films (`CACHE_DIRECTORY=/var/cache/bayard bayard check`"), line
    assert "come to 0.0 MB" in line and "film_cache_mb = 2" not in out  # (on the shell's cache disk: none apart)
    monkeypatch.setenv("CACHE_DIRECTORY", "/var/cache/bayard")
    line, out = _film_cache_line(path, capsys)
    assert line.startswith("Film cache: /var/cache/bayard/films, as CACHE_DIRECTORY given to check says; "), line
    assert "set [runtime] film_cache_mb = 2 to copy them all" in out


def test_check_warns_when_the_film_caches_disk_has_no_room_for_the_films(tmp_path, monkeypatch):
    """Within film_cache_mb, but on a disk whose free space, less the 512 MB a copy leaves,
    cannot take them: those films would play from the stick, said by nothing until then."""
    monkeypatch.setattr(drives, "device", lambda path: 3 if VAR_CACHE in (path, *path.parents) else 1)
    path = _show_with_films(tmp_path)
    path.write_text(path.read_text().replace("film_cache_mb = 1", "film_cache_mb = 4096"))
    env = {"CACHE_DIRECTORY": "/var/cache/bayard"}
    keep = 512 * 2**20  # (what a copy leaves free on the disk)
    monkeypatch.setattr(host_check, "free_bytes", lambda folder: (keep + 1_000_000, 10**12))  # 1 MB to use
    line, problems = host_check.film_room(load_show(path), env)
    assert line.startswith("Film cache: /var/cache/bayard/films, as CACHE_DIRECTORY given to check says; 538 MB "
                           "free on its disk; the show's films on another drive come to 1.4 MB of its 4,096 MB"), line
    (problem,) = problems
    assert problem.severity == "warning" and problem.key == "runtime.film_cache_mb"
    assert "has 1.0 MB to use on its disk" in problem.message and "would take 1.4 MB" in problem.message
    monkeypatch.setattr(host_check, "free_bytes", lambda folder: (keep + 2_000_000, 10**12))
    assert host_check.film_room(load_show(path), env)[1] == []


def _unit_as(tmp_path: Path, user: str) -> Path:
    """A kiosk service of the technician's own, run as `user`, with no CacheDirectory=: the
    show copies films under that user's home."""
    unit = tmp_path / "units" / "bayard.service"
    unit.parent.mkdir(exist_ok=True)
    unit.write_text(f"[Service]\nUser={user}\nExecStart=/usr/bin/bayard run\n")
    return unit


def test_check_warns_when_the_service_users_home_does_not_exist(tmp_path, monkeypatch):
    """A kiosk user made with `adduser --system` has the home /nonexistent: the show, run as
    it, cannot make its film cache there, and every film on the stick plays from the stick.
    check named that folder as the cache and said nothing more."""
    import pwd

    monkeypatch.setattr(drives, "device", lambda path: 1)
    home = tmp_path / "nonexistent"
    entry = pwd.struct_passwd(("kiosk", "x", 990, 990, "", str(home), "/usr/sbin/nologin"))
    monkeypatch.setattr(pwd, "getpwnam", lambda name: {"kiosk": entry}[name])
    path = _show_with_films(tmp_path)
    line, problems = host_check.film_room(load_show(path), {}, _unit_as(tmp_path, "kiosk"))
    assert line.startswith(f"Film cache: {home}/.cache/bayard/films, as bayard.service runs the show"), line
    (problem,) = [p for p in problems if "home" in p.message]
    assert problem.severity == "warning"
    assert (f"User=kiosk's home {home} does not exist: the show cannot make its film cache there, and films on "
            "a USB stick play from the stick") in problem.message, problem.message
    assert "CacheDirectory=bayard" in problem.message  # (the fix: as deploy/bayard.service has it)
    home.mkdir()
    assert [p for p in host_check.film_room(load_show(path), {}, _unit_as(tmp_path, "kiosk"))[1]
            if "home" in p.message] == []


def test_check_reads_a_service_user_given_by_number(tmp_path, monkeypatch):
    """User=1000 runs the show as that user, with its home: check took the number for a name
    nobody has, and judged its own shell's cache instead, saying it was the service's."""
    import pwd

    monkeypatch.setattr(drives, "device", lambda path: 1)
    monkeypatch.setenv("HOME", str(tmp_path / "technician"))
    entry = pwd.struct_passwd(("kiosk", "x", 1000, 1000, "", str(tmp_path / "kiosk"), "/bin/bash"))
    monkeypatch.setattr(pwd, "getpwuid", lambda uid: {1000: entry}[uid])
    monkeypatch.setattr(pwd, "getpwnam", lambda name: {"kiosk": entry}[name])
    path = _show_with_films(tmp_path)
    line, _ = host_check.film_room(load_show(path), {}, _unit_as(tmp_path, "1000"))
    assert line.startswith(f"Film cache: {tmp_path / 'kiosk'}/.cache/bayard/films, as bayard.service runs"), line


def test_check_reads_cache_directory_as_systemd_does(tmp_path, monkeypatch):
    """CacheDirectory= is a list of words, each maybe quoted (systemd unquotes them), each
    line adding to it and an empty one emptying it, drop-ins applied after the unit: check
    took the quotes for part of the name, and judged a folder the service never uses."""
    monkeypatch.setattr(drives, "device", lambda path: 1)
    unit = tmp_path / "units" / "bayard.service"
    (tmp_path / "units" / "bayard.service.d").mkdir(parents=True)
    unit.write_text('[Service]\nCacheDirectory=old\nExecStart=/usr/bin/bayard run\n')
    path = _show_with_films(tmp_path)
    line, _ = host_check.film_room(load_show(path), {}, unit)
    assert line.startswith("Film cache: /var/cache/old/films, as bayard.service runs the show"), line
    (tmp_path / "units" / "bayard.service.d" / "cache.conf").write_text(
        "[Service]\nCacheDirectory=\nCacheDirectory=\"bayard\" 'other'\n")
    line, _ = host_check.film_room(load_show(path), {}, unit)
    assert line.startswith("Film cache: /var/cache/bayard/films, as bayard.service runs the show"), line


def test_check_warns_when_the_service_gives_the_show_no_film_cache(tmp_path, monkeypatch):
    """A service of the technician's own with neither CacheDirectory= nor User=: systemd sets
    no HOME, so the show makes no film cache and every film plays from the stick. check named
    its own shell's ~/.cache as the show's."""
    monkeypatch.setattr(drives, "device", lambda path: 1)
    unit = tmp_path / "units" / "bayard.service"
    unit.parent.mkdir()
    unit.write_text("[Service]\nExecStart=/usr/bin/bayard run\n")
    path = _show_with_films(tmp_path)
    line, problems = host_check.film_room(load_show(path), {"HOME": str(tmp_path / "technician")}, unit)
    assert line.startswith("Film cache: none, as bayard.service runs the show, with no CacheDirectory="), line
    (problem,) = problems
    assert problem.severity == "warning" and "the show makes no film cache" in problem.message
    assert "add CacheDirectory=bayard to the service" in problem.message
    unit.write_text("[Service]\nExecStart=/usr/bin/bayard run\nEnvironment=XDG_CACHE_HOME=/srv/cache\n")
    line, problems = host_check.film_room(load_show(path), {"HOME": str(tmp_path / "technician")}, unit)
    assert line.startswith("Film cache: /srv/cache/bayard/films, as bayard.service runs the show"), line
