"""Python stubs for kadmesh's API, generated from proto/kadmesh/v1 when a program starts.

    import kadmesh_stubs
    missing = kadmesh_stubs.missing_dependencies()   # [] when grpc, protobuf and a protoc are there
    with kadmesh_stubs.generated() as (dht_pb2, dht_pb2_grpc):
        ...

The stubs need a protoc that knows proto3 `optional` (3.15 or later): Debian's protobuf-compiler
with protobuf-compiler-grpc's grpc_python_plugin, or pip's grpcio-tools (Debian's
python3-grpc-tools bundles protoc 3.5, too old), and grpcio and protobuf to run.
"""

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile

PROTO_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "proto")


def missing_dependencies(modules=("grpc", "google.protobuf")):
    """What is missing to generate and use the stubs (and to import `modules`), as phrases."""
    missing = []
    for module in modules:
        try:
            __import__(module)
        except ImportError:
            missing.append("the Python module " + module)
    if not (shutil.which("protoc") and shutil.which("grpc_python_plugin")) and not _grpc_tools_usable():
        missing.append("a protoc for proto3 optional (protoc and grpc_python_plugin, or grpcio-tools)")
    return missing


def _grpc_tools_usable():
    try:
        from grpc_tools import protoc  # noqa: F401
    except ImportError:
        return False
    version = subprocess.run([sys.executable, "-m", "grpc_tools.protoc", "--version"],
                             capture_output=True, text=True).stdout.split()
    # proto3 `optional` needs protoc 3.15 or later (3.12 behind a flag).
    parts = version[-1].split(".") if version else ["0"]
    return tuple(int(p) for p in parts[:2] if p.isdigit()) >= (3, 15)


def generate_stubs(out_dir):
    """Writes kadmesh/v1/*_pb2.py and *_pb2_grpc.py into out_dir and makes them importable."""
    protos = [os.path.join(PROTO_DIR, "kadmesh", "v1", f)
              for f in sorted(os.listdir(os.path.join(PROTO_DIR, "kadmesh", "v1")))
              if f.endswith(".proto")]
    if shutil.which("protoc") and shutil.which("grpc_python_plugin"):
        command = ["protoc", "--plugin=protoc-gen-grpc_python=" + shutil.which("grpc_python_plugin")]
    else:
        command = [sys.executable, "-m", "grpc_tools.protoc"]
    subprocess.run(command + ["-I", PROTO_DIR, "--python_out=" + out_dir,
                              "--grpc_python_out=" + out_dir] + protos, check=True)
    sys.path.insert(0, out_dir)


@contextlib.contextmanager
def generated():
    """Generates the stubs into a temporary directory and yields (dht_pb2, dht_pb2_grpc)."""
    with tempfile.TemporaryDirectory() as out_dir:
        generate_stubs(out_dir)
        from kadmesh.v1 import dht_pb2, dht_pb2_grpc
        yield dht_pb2, dht_pb2_grpc
