#!/bin/sh
# Regenerates src/generated/java from src/main/thrift/user_service.thrift. The generated code is committed because
# Maven Central carries libthrift but no thrift compiler; the build itself needs only Maven.
#
# The compiler must be the version of libthrift in the root pom.xml (thrift.version, 0.17.0). On Debian 12 it is the
# package thrift-compiler (0.17.0); it need not be installed system-wide:
#   apt-get download thrift-compiler && dpkg -x thrift-compiler_*.deb /tmp/thrift && THRIFT=/tmp/thrift/usr/bin/thrift
# Run from anywhere:  THRIFT=/path/to/thrift sh benchmarks/systems/thrift/regenerate.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
thrift=${THRIFT:-thrift}
"$thrift" --version | grep -q '0\.17\.0' || { echo "need thrift 0.17.0 (the libthrift version), got: $("$thrift" --version)" >&2; exit 1; }
rm -rf "$here/src/generated/java"
mkdir -p "$here/src/generated/java"
"$thrift" -gen java:generated_annotations=suppress -out "$here/src/generated/java" "$here/src/main/thrift/user_service.thrift"
