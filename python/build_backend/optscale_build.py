"""The in-tree PEP 517 build backend of the optscale Python package.

`python3 -m pip install --no-build-isolation .` (from the repository root)
calls build_wheel here. It does not compile anything itself: it drives the
project's CMake build in `build/` (the folder scripts/setup.sh builds, or
$OPTSCALE_BUILD_DIR), where the `optscale_python` target assembles the
package (native module + Python files + the shipped predictor model) in
build/python/optscale, and packs that folder into a wheel. After setup.sh
the library is already built there, so the install only checks that the
build is up to date. Standard library only: it runs under any python3.

Rules:
- no build/ yet: configure it as scripts/setup.sh does (Release, Ninja),
  then build only the Python target (the library and the module);
- the module is reused when its extension suffix (CPython minor version and
  platform: the ABI) is this interpreter's; otherwise the build is
  reconfigured for this interpreter (-DPython3_EXECUTABLE) and the module
  rebuilt (the library is not);
- a build configured with -DOPTSCALE_BUILD_PYTHON=OFF is switched on.
"""

import base64
import csv
import hashlib
import io
import os
import subprocess
import sys
import sysconfig
import tomllib
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PACKAGE = "optscale"


def _log(message):
    print(f"optscale build: {message}", file=sys.stderr, flush=True)


def _project():
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        return tomllib.load(f)["project"]


def _build_dir(config_settings):
    chosen = (config_settings or {}).get("build-dir") or os.environ.get("OPTSCALE_BUILD_DIR") or "build"
    return chosen if os.path.isabs(chosen) else os.path.join(ROOT, chosen)


def _cache(build_dir):
    values = {}
    path = os.path.join(build_dir, "CMakeCache.txt")
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith(("#", "//")) or "=" not in line or ":" not in line.split("=", 1)[0]:
                continue
            key, value = line.rstrip("\n").split("=", 1)
            values[key.split(":", 1)[0]] = value
    return values


def _run(command):
    _log(" ".join(command))
    subprocess.run(command, cwd=ROOT, check=True)


def _configure(build_dir, extra):
    command = ["cmake", "-S", ROOT, "-B", build_dir]
    if _cache(build_dir) is None:
        command += ["-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release"]
        command += os.environ.get("CMAKE_ARGS", "").split()
    _run(command + extra)


def _module_path(package_dir):
    if not os.path.isdir(package_dir):
        return None
    for name in sorted(os.listdir(package_dir)):
        if name.startswith("_optscale.") and name.endswith((".so", ".pyd")):
            return os.path.join(package_dir, name)
    return None


def _build_package(build_dir):
    """Brings build/python/optscale up to date for this interpreter; returns it."""
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    cache = _cache(build_dir)
    if cache is None:
        _configure(build_dir, ["-DOPTSCALE_BUILD_PYTHON=ON"])
    elif cache.get("OPTSCALE_BUILD_PYTHON", "ON").upper() in ("OFF", "0", "FALSE", "NO"):
        _configure(build_dir, ["-DOPTSCALE_BUILD_PYTHON=ON"])
    package_dir = os.path.join(build_dir, "python", PACKAGE)
    module = _module_path(package_dir)
    if module is not None and not module.endswith(suffix):
        _log(f"{os.path.basename(module)} was built for another Python; rebuilding for {sys.executable}")
        os.remove(module)
        _configure(build_dir, [f"-DPython3_EXECUTABLE={sys.executable}"])
    _run(["cmake", "--build", build_dir, "--target", "optscale_python"])
    module = _module_path(package_dir)
    if module is None or not module.endswith(suffix):
        # The cached interpreter was another one all along (first build).
        if module is not None:
            os.remove(module)
        _configure(build_dir, [f"-DPython3_EXECUTABLE={sys.executable}"])
        _run(["cmake", "--build", build_dir, "--target", "optscale_python"])
        module = _module_path(package_dir)
    if module is None or not module.endswith(suffix):
        raise RuntimeError(f"optscale build: no native module ending in {suffix} in {package_dir}")
    return package_dir


def _wheel_tag():
    implementation = f"cp{sys.version_info.major}{sys.version_info.minor}"
    abi = implementation + getattr(sys, "abiflags", "")
    platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return f"{implementation}-{abi}-{platform}"


def _metadata(project):
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {project['name']}",
        f"Version: {project['version']}",
        f"Summary: {project.get('description', '')}",
    ]
    if "requires-python" in project:
        lines.append(f"Requires-Python: {project['requires-python']}")
    for requirement in project.get("dependencies", []):
        lines.append(f"Requires-Dist: {requirement}")
    for extra, requirements in project.get("optional-dependencies", {}).items():
        lines.append(f"Provides-Extra: {extra}")
        for requirement in requirements:
            lines.append(f'Requires-Dist: {requirement}; extra == "{extra}"')
    readme = project.get("readme")
    body = ""
    if isinstance(readme, str) and os.path.isfile(os.path.join(ROOT, readme)):
        lines.append("Description-Content-Type: text/markdown")
        with open(os.path.join(ROOT, readme), encoding="utf-8") as f:
            body = "\n" + f.read()
    return "\n".join(lines) + "\n" + body


def _dist_info(project):
    return f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"


def _record_hash(data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


# ---- PEP 517 hooks


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    project = _project()
    dist_info = os.path.join(metadata_directory, _dist_info(project))
    os.makedirs(dist_info, exist_ok=True)
    with open(os.path.join(dist_info, "METADATA"), "w", encoding="utf-8") as f:
        f.write(_metadata(project))
    return os.path.basename(dist_info)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    project = _project()
    package_dir = _build_package(_build_dir(config_settings))
    tag = _wheel_tag()
    name = f"{project['name'].replace('-', '_')}-{project['version']}-{tag}.whl"
    dist_info = _dist_info(project)
    files = []
    for folder, subfolders, names in os.walk(package_dir):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        for file_name in sorted(names):
            path = os.path.join(folder, file_name)
            files.append((os.path.join(PACKAGE, os.path.relpath(path, package_dir)), path))
    generated = {
        f"{dist_info}/METADATA": _metadata(project).encode(),
        f"{dist_info}/WHEEL": (
            f"Wheel-Version: 1.0\nGenerator: optscale_build\nRoot-Is-Purelib: false\nTag: {tag}\n"
        ).encode(),
    }
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    path = os.path.join(wheel_directory, name)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as wheel:
        for archive_name, source in files:
            with open(source, "rb") as f:
                data = f.read()
            info = zipfile.ZipInfo(archive_name.replace(os.sep, "/"), date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (os.stat(source).st_mode & 0o777) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info, data)
            writer.writerow([info.filename, _record_hash(data), len(data)])
        for archive_name, data in generated.items():
            wheel.writestr(archive_name, data)
            writer.writerow([archive_name, _record_hash(data), len(data)])
        writer.writerow([f"{dist_info}/RECORD", "", ""])
        wheel.writestr(f"{dist_info}/RECORD", record.getvalue())
    _log(f"wrote {name}")
    return name
